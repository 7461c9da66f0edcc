"""The public API's surface: a cheap ``import citytwin``, lazy names, keyword options and their
errors, tables and the pyvista mesh of a model (on a real 3D BAG file)."""

from __future__ import annotations

import inspect
import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

DATA = Path(__file__).resolve().parents[1] / "data"
BAG = DATA / "cityjson" / "3dbag_b2_v2.0.city.json"
HEAVY = ("numpy", "pandas", "pyproj", "shapely", "scipy", "open3d", "ifcopenshell", "PySide6", "pyvista",
         "pyvistaqt", "vtk", "vtkmodules", "matplotlib")


def _modules_after(code: str) -> list[str]:
    probe = code + "\nimport sys\nprint('MODS=' + ','.join(sorted({m.split('.')[0] for m in sys.modules})))\n"
    res = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=300)
    assert res.returncode == 0, res.stderr
    return [ln for ln in res.stdout.splitlines() if ln.startswith("MODS=")][-1][5:].split(",")


def test_import_citytwin_imports_nothing_heavy() -> None:
    loaded = _modules_after("import citytwin\nassert citytwin.__version__\nassert 'solar' in dir(citytwin)")
    assert not [m for m in HEAVY if m in loaded], [m for m in HEAVY if m in loaded]
    # the probe sees imports: the first use of an API name loads the model's libraries
    loaded = _modules_after("import citytwin\ncitytwin.read")
    assert "numpy" in loaded and "PySide6" not in loaded and "vtk" not in loaded


def test_public_names_are_the_api_functions() -> None:
    import citytwin
    from citytwin.semantics.model import CityModel

    assert citytwin.CityModel is CityModel
    for name in citytwin.__all__:
        assert getattr(citytwin, name) is not None, name
        assert name in dir(citytwin)
    with pytest.raises(AttributeError, match="no attribute 'solr'"):
        citytwin.solr  # noqa: B018


def test_study_keywords_come_from_the_options_with_their_units() -> None:
    import dataclasses

    import citytwin
    from citytwin.app.commands.solar import SolarOptions

    from citytwin.analysis.options import option_specs

    sig = inspect.signature(citytwin.solar)
    fields = {f.name for f in dataclasses.fields(SolarOptions)}
    flat = {s.name for s in option_specs(SolarOptions)}  # nested ones flattened: pv_efficiency, ...
    assert fields | flat | {"model", "progress"} == set(sig.parameters) and "pv_efficiency" in flat
    assert sig.parameters["albedo"].default == 0.2 and sig.parameters["albedo"].kind is inspect.Parameter.KEYWORD_ONLY
    assert "resolution : Resolution [m]\n    metres between sample points" in citytwin.solar.__doc__
    assert "date" in inspect.signature(citytwin.shadow).parameters
    assert inspect.signature(citytwin.shadow).parameters["date"].default is inspect.Parameter.empty


def test_keyword_values_are_coerced_to_the_options_types() -> None:
    from citytwin.api.options import study_options
    from citytwin.app.commands.solar import SolarOptions

    o = study_options("solar", SolarOptions, {"surfaces": "roof, wall", "weather": "w.epw",
                                              "pv": {"efficiency": 0.18}, "leaf_on_months": [5, 6]})
    assert o.surfaces == ("roof", "wall") and o.weather == Path("w.epw") and o.leaf_on_months == (5, 6)
    assert o.pv.efficiency == 0.18 and o.pv.min_area_m2 == 5.0  # the other PV defaults are kept


@pytest.fixture(scope="module")
def model():
    import citytwin

    return citytwin.read(BAG)


def test_option_errors_name_the_keyword_not_the_cli_flag(model) -> None:
    import citytwin
    from citytwin.errors import UsageError

    with pytest.raises(UsageError) as err:
        citytwin.solar(model, albedo=1.5, clear_sky=True)
    assert str(err.value) == "albedo must be between 0 and 1 (got 1.5)"
    with pytest.raises(UsageError) as err:
        citytwin.shadow(model, date="2025-06-21", step_minutes=0)
    assert str(err.value) == "step_minutes must be positive (got 0)"
    with pytest.raises(UsageError) as err:
        citytwin.convert(BAG, "x.city.json", bbox=(1, 2, 3))
    assert "--" not in str(err.value) and str(err.value).startswith("bbox ")
    with pytest.raises(TypeError, match="'citygml_versoin': the citygml writer takes citygml_version"):
        citytwin.convert(BAG, "x.gml", citygml_versoin="3.0")  # the command would drop it silently
    with pytest.raises(TypeError, match="unexpected keyword argument 'albdo'; did you mean 'albedo'"):
        citytwin.solar(model, albdo=0.3)
    with pytest.raises(TypeError, match="missing required keyword argument 'date'"):
        citytwin.shadow(model)
    with pytest.raises(TypeError, match="pv has no option 'efficency'; did you mean 'efficiency'"):
        citytwin.solar(model, pv={"efficency": 0.2})


def test_model_to_pyvista_has_one_cell_per_triangle_with_its_object(model) -> None:
    import citytwin

    tri = model.triangulate()
    mesh = citytwin.to_pyvista(model)
    assert mesh.n_cells == len(tri) and mesh.points.dtype == np.float64
    ids = np.asarray(mesh.cell_data["object_id"])
    assert (ids == np.asarray(tri.object_ids)[tri.object_index]).all()
    assert set(np.asarray(mesh.cell_data["semantic_type"]).tolist()) == set(model.semantic_counts())
    _close = np.testing.assert_allclose
    _close(mesh.cell_data["triangle_area_m2"].sum(), tri.areas.sum())
    # the same triangles as the model: cell centres are the triangle centroids (model CRS)
    _close(mesh.cell_centers().points, tri.vertices[tri.triangles].mean(axis=1), atol=1e-6)
    local = citytwin.to_pyvista(model, local_origin=True)
    _close(local.points + local.field_data["origin"], mesh.points, atol=1e-9)
    assert str(mesh.field_data["crs"][0]) == "EPSG:7415"


def test_row_tables_convert_to_pandas() -> None:
    from citytwin.api.results import rows_table

    rows = [{"object_id": "a", "area_m2": 2.0, "monthly_kwh": list(range(12))},
            {"object_id": "b", "area_m2": 3.5, "monthly_kwh": [1.0] * 12}]
    t = rows_table(rows)
    assert t.columns == ("object_id", "area_m2", "monthly_kwh") and t.rows() == rows
    df = t.to_pandas()
    assert df["area_m2"].sum() == 5.5 and df["monthly_kwh_dec"].tolist() == [11, 1.0]
    assert df["object_id"].tolist() == ["a", "b"]


def test_progress_may_be_a_function_and_fuse_checks_its_sources_first(model) -> None:
    import citytwin
    from citytwin.errors import UsageError

    seen: list[float] = []
    study = citytwin.sky_view_factor(model, resolution=4.0, mf=4, surfaces="roof",
                                     progress=seen.append)
    assert seen and seen[-1] == 1.0 and seen == sorted(seen)
    assert set(study.surfaces.to_pandas()["object_id"]) <= set(model.objects)
    cloud = study.points_to_pyvista()
    np.testing.assert_array_equal(cloud.points, study.raw.points)
    np.testing.assert_array_equal(cloud.point_data["svf"], study.raw.svf)
    assert (np.asarray(cloud.point_data["object_id"]) ==
            np.asarray(study.raw.object_ids)[study.raw.object_index]).all()
    with pytest.raises(UsageError) as err:
        citytwin.fuse(DATA / "does_not_exist.city.json")  # no source: said before the base is read
    assert str(err.value) == "give at least one IFC or mesh file to fuse (ifc, mesh)"


def test_what_the_cli_says_as_warnings_the_api_warns(model) -> None:
    import warnings

    import citytwin
    from citytwin.api import CityTwinWarning

    with pytest.warns(CityTwinWarning, match=r"semantic_type_true.city.json: 1 problem while reading, the first: "
                                             r"NL.IMBAG.Pand.0503100000028341-0: geometry 0: semantic surface type"):
        citytwin.read(DATA / "hostile" / "semantic_type_true.city.json")
    with pytest.warns(CityTwinWarning, match="no weather file given: .*; give weather FILE.epw") as got:
        study = citytwin.solar(model, resolution=4.0, surfaces="roof")
    ours = [w for w in got if issubclass(w.category, CityTwinWarning)]
    assert len(ours) == 1 and ours[0].filename == __file__  # pointing at the caller's line
    assert study.summary()["weather"] == "clear-sky (Ineichen)"
    with warnings.catch_warnings():
        warnings.simplefilter("error", CityTwinWarning)  # a clear sky asked for is a note in the summary, not a warning
        citytwin.solar(model, resolution=4.0, surfaces="roof", clear_sky=True)


def test_formats_lists_the_registry() -> None:
    import citytwin
    from citytwin.io.registry import format_for_output, readable_formats, writable_formats

    t = citytwin.formats().to_pandas().set_index("name")
    assert set(t.index) == {f.name for f in readable_formats()} | {f.name for f in writable_formats()}
    assert t.loc["cityjson", "read"] and t.loc["cityjson", "write"] and ".city.json" in t.loc["cityjson", "extensions"]
    assert "citygml_version" in t.loc["citygml", "writer_options"].split()
    for name in t.index[t["write"]]:
        assert format_for_output(f"x.{name}", name).name == name  # a name the format= keyword takes


def test_write_carries_texture_images_as_convert_does(tmp_path) -> None:
    """citytwin.write of a textured CityJSON writes the model and its images, as `citytwin convert`."""
    import citytwin

    src = DATA / "cityjson" / "rotterdam_textured" / "rotterdam_subset_v2.0.city.json"
    (tmp_path / "api").mkdir()
    (tmp_path / "cli").mkdir()
    out = citytwin.write(citytwin.read(src), tmp_path / "api" / "r.city.json")
    assert out == tmp_path / "api" / "r.city.json" and out.is_file()
    res = subprocess.run([sys.executable, "-m", "citytwin", "convert", str(src), str(tmp_path / "cli" / "r.city.json"),
                          "--quiet"], capture_output=True, text=True, timeout=300)
    assert res.returncode == 0, res.stderr
    api_files = sorted(str(p.relative_to(tmp_path / "api")) for p in (tmp_path / "api").rglob("*") if p.is_file())
    cli_files = sorted(str(p.relative_to(tmp_path / "cli")) for p in (tmp_path / "cli").rglob("*") if p.is_file())
    assert api_files == cli_files and any(f.endswith(".jpg") for f in api_files)
    assert (tmp_path / "api" / "r.city.json").read_bytes() == (tmp_path / "cli" / "r.city.json").read_bytes()


def test_nested_options_by_their_flat_names_and_messages_in_the_studys_words(model) -> None:
    import citytwin
    from citytwin.api.options import study_options
    from citytwin.app.commands.solar import SolarOptions
    from citytwin.errors import UsageError

    o = study_options("solar", SolarOptions, {"pv_efficiency": 0.18, "pv_min_area_m2": 3.0})
    assert (o.pv.efficiency, o.pv.min_area_m2, o.pv.max_slope_deg) == (0.18, 3.0, 60.0)
    assert "pv_min_area_m2 : PV least area [m2]" in citytwin.solar.__doc__  # label and unit of the registry
    assert not re.search(r"--[a-z]", citytwin.solar.__doc__)  # its help names keywords, not flags
    with pytest.raises(UsageError) as err:  # the CLI's --mf is sky_mf in solar ...
        citytwin.solar(model, sky_mf=2, clear_sky=True)
    assert "sky_mf" in str(err.value) or "MF" in str(err.value)
    with pytest.raises(UsageError) as err:  # ... and mf in the sky view factor
        citytwin.sky_view_factor(model, mf=2)
    assert "sky_mf" not in str(err.value) and "--" not in str(err.value)
