"""One result interface for the solar, shadow and sky view factor studies.

Every study result has the same point identity with one meaning per index (the meaning of
:class:`~citytwin.mesh.triangles.TriangleMesh`): ``object_index`` into ``object_ids``,
``geometry_index`` within the object, ``surface_index`` within the geometry, and ``surface_row``
into the typed per-surface table ``surfaces``. Oracle: the model's own triangulation (each
sample point's triangle names its object, geometry and surface) and the table's own columns.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from citytwin.io.registry import read

DATA = Path(__file__).resolve().parents[1] / "data" / "cityjson" / "3dbag_b2_v2.0.city.json"


@pytest.fixture(scope="module")
def results():
    from citytwin.analysis.shadow_study import ShadowOptions, shadow_study
    from citytwin.analysis.solar import SolarOptions, solar_study
    from citytwin.analysis.svf import SVFOptions, svf_study

    model = read(DATA)
    return model, {
        "solar": solar_study(model, SolarOptions(clear_sky=True, resolution=3.0, sky_mf=4)),
        "svf": svf_study(model, SVFOptions(resolution=3.0, mf=4)),
        "shadow": shadow_study(model, ShadowOptions(date="2025-06-21", start="10:00", end="14:00",
                                                    step_minutes=60, resolution=3.0, grid_cell=0)),
    }


@pytest.mark.parametrize("name", ["solar", "svf", "shadow"])
def test_indices_have_one_meaning(results, name: str) -> None:
    from citytwin.analysis.results import StudyResult
    from citytwin.analysis.table import Table

    model, res = results[0], results[1][name]
    assert isinstance(res, StudyResult) and isinstance(res.surfaces, Table)
    n = len(res.points)
    assert n > 0 and all(len(a) == n for a in (res.object_index, res.geometry_index, res.surface_index,
                                                 res.surface_row, res.areas))
    # oracle: every sample point lies on a triangle of the model's triangulation of that object,
    # geometry and surface (the triangulation's own indices)
    tri = model.triangulate()
    tri_obj = np.array(tri.object_ids, dtype=object)[tri.object_index]
    key = {(str(o), int(g), int(s)) for o, g, s in zip(tri_obj, tri.geometry_index, tri.surface_index)}
    ids = np.array(res.object_ids, dtype=object)
    for o, g, s in zip(ids[res.object_index], res.geometry_index, res.surface_index):
        assert (str(o), int(g), int(s)) in key
    # surface_row points at the row of the same surface; the table's key columns say which
    table = res.surfaces
    assert np.array_equal(res.surface_keys[res.surface_row],
                          np.stack([res.object_index, res.geometry_index, res.surface_index], 1))
    assert list(table["object_id"][res.surface_row]) == list(ids[res.object_index])
    assert len(np.unique(res.surface_keys, axis=0)) == len(table)  # one row per surface


def test_tables_are_typed_and_rows_are_the_exported_values(results) -> None:
    from citytwin.analysis.solar_tables import BUILDING_DIGITS, SURFACE_DIGITS

    res = results[1]["solar"]
    s = res.surfaces
    assert s.data.dtype.names[:4] == ("object_id", "object_index", "geometry", "surface")
    assert s["monthly_kwh_m2"].shape == (len(s), 12) and s["area_m2"].dtype == np.float64
    # the table is the sum over its points (independent of the table code: a plain loop here)
    for r in range(len(s)):
        pts = res.surface_row == r
        assert s["area_m2"][r] == pytest.approx(res.areas[pts].sum(), rel=1e-12)
    row = s[0]
    assert row["area_m2"] == round(float(s["area_m2"][0]), SURFACE_DIGITS["area_m2"])
    assert row["monthly_kwh_m2"] == [round(float(x), 3) for x in s["monthly_kwh_m2"][0]]
    b = res.buildings
    assert [x["annual_kwh"] for x in b] == [round(float(v), BUILDING_DIGITS["annual_kwh"]) for v in b["annual_kwh"]]
    with pytest.raises(ValueError):
        s["area_m2"][0] = 1.0  # read only
    df = s.to_pandas()
    assert len(df) == len(s) and "monthly_kwh_m2_jan" in df and "pv_monthly_kwh_dec" in df
    assert np.allclose(df["annual_kwh"], s["annual_kwh_m2"] * s["area_m2"])


def test_shadow_surface_table_is_the_mean_of_its_points(results) -> None:
    res = results[1]["shadow"]
    t = res.surfaces
    assert t["lit_fraction"].shape == (len(t), len(res.times))
    for r in range(len(t)):
        pts = res.surface_row == r
        assert t["points"][r] == pts.sum()
        assert t["sun_hours"][r] == pytest.approx(res.sun_hours[pts].mean())
        assert np.allclose(t["lit_fraction"][r], res.lit[:, pts].mean(axis=1))
