"""IFC import: the shared IFC corpus imports, semantics, envelope closure, CityJSON schema, crashes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from citytwin.io.registry import read, write
from tests.conftest import DATA, ROOT, SHARED, shared_path

#: Files whose geometry takes more than ~10 s on two cores: imported only with CITYTWIN_SLOW_TESTS=1.
BIG = {"geometrygym_great_court_roof.ifc", "Ifc4_SampleHouse.ifc", "Ifc2s3_Duplex_Electrical.ifc"}


def _corpus() -> list[str]:
    base = SHARED / "ifc"
    if not base.exists():
        return []
    return sorted(str(p.relative_to(base)) for p in base.rglob("*") if p.is_file())


def _is_xml(rel: str) -> bool:
    return "ifcxml" in rel.lower()


@pytest.mark.parametrize("rel", [r for r in _corpus() if _is_xml(r)])
def test_ifcxml_gives_clear_error(rel):
    from citytwin.errors import InputError

    with pytest.raises(InputError, match="ifcXML cannot be read"):
        read(shared_path("ifc", rel))


@pytest.mark.parametrize("rel", [r for r in _corpus() if Path(r).name not in BIG and not _is_xml(r)])
def test_every_shared_ifc_imports(rel):
    m = read(shared_path("ifc", rel))
    assert m.source["format"] == "ifc"
    assert m.source["georef"]["method"] in ("IfcMapConversion", "IfcSite", "none")
    assert np.all(np.isfinite(m.vertices))
    if "ifc2x3.ifc" not in rel:  # the 3-entity minimal file has no products
        assert len(m) > 0


@pytest.mark.skipif(not os.environ.get("CITYTWIN_SLOW_TESTS"), reason="big IFC files: set CITYTWIN_SLOW_TESTS=1")
@pytest.mark.parametrize("rel", [r for r in _corpus() if Path(r).name in BIG])
def test_big_shared_ifc_imports(rel):
    m = read(shared_path("ifc", rel))
    assert len(m.by_type("Building")) >= 1 and len(m.vertices) > 1000


def _closed(g, vertices) -> bool:
    """Every directed edge of the shell is matched by its reverse exactly once."""
    edges = []
    for j in range(g.n_surfaces):
        r = g.surface_rings(j)[0]
        edges += list(zip(r.tolist(), np.roll(r, -1).tolist()))
    key = {}
    for a, b in edges:
        key[(a, b)] = key.get((a, b), 0) + 1
    return all(n == 1 and key.get((b, a), 0) == 1 for (a, b), n in key.items())


def test_semantics_storeys_psets_and_closed_envelope():
    m = read(shared_path("ifc", "ifcopenshell_files", "TestModel_IFC4Add2.ifc"))
    (b,) = m.by_type("Building")
    env = [g for g in b.geometry if g.lod == "2.2"]
    assert len(env) == 1 and env[0].type == "Solid"
    types = set(env[0].surface_types())
    assert types == {"RoofSurface", "WallSurface", "GroundSurface"}
    assert _closed(env[0], m.vertices)
    # roofs on top, ground at the bottom
    tri = m.triangulate(lod="2.2")
    bi = tri.object_ids.index(b.id)
    sel = (tri.object_index == bi) & (tri.geometry_index == 0)
    from citytwin.semantics.surfaces import semantic_code
    zc = tri.vertices[tri.triangles].mean(axis=1)[:, 2]
    roof = sel & (tri.semantic_type == semantic_code("RoofSurface"))
    ground = sel & (tri.semantic_type == semantic_code("GroundSurface"))
    assert zc[roof].min() > zc[ground].max() + 2.0
    # detailed elements with class semantics, storeys, property sets
    kinds = {o.attributes["ifc_class"]: o for o in m if "ifc_class" in o.attributes}
    assert {"IfcWall", "IfcWindow", "IfcDoor", "IfcSlab"} <= set(kinds) or \
        {"IfcWallStandardCase", "IfcWindow", "IfcDoor", "IfcSlab"} <= set(kinds)
    win = kinds["IfcWindow"]
    assert win.geometry[0].lod == "3" and set(win.geometry[0].surface_types()) == {"Window"}
    assert set(kinds["IfcDoor"].geometry[0].surface_types()) == {"Door"}
    assert len(m.by_type("BuildingStorey")) == 2
    assert any(k.startswith("Pset_") for o in m for k in o.attributes)
    assert all(o.parents for o in m if o.type != "Building")
    assert m.by_type("BuildingRoom")


def test_roof_elements_give_roof_semantics():
    m = read(shared_path("ifc", "samples", "Ifc4_SampleHouse_1_Roof.ifc"))
    roofs = [o for o in m if o.attributes.get("ifc_class") == "IfcRoof"
             or o.attributes.get("ifc_predefined_type") == "ROOF"]
    assert roofs and all(set(o.geometry[0].surface_types()) == {"RoofSurface"} for o in roofs)


def test_ifc_to_cityjson_validates_against_schema(tmp_path):
    import jsonschema_rs

    m = read(DATA / "ifc" / "basic.ifczip")
    out = tmp_path / "basic.city.json"
    write(m, out)
    doc = json.loads(out.read_text())
    schema = json.loads((ROOT / "resources" / "schemas" / "cityjson" / "2.0" / "cityjson.min.schema.json").read_text())
    errors = [e.message for e in jsonschema_rs.validator_for(schema).iter_errors(doc)]
    assert errors == []
    sem = {s["type"] for o in doc["CityObjects"].values() for g in o.get("geometry", [])
           if g["lod"] == "2.2" for s in g["semantics"]["surfaces"]}
    assert sem == {"RoofSurface", "WallSurface", "GroundSurface"}
    back = read(out)
    assert back.semantic_counts()["RoofSurface"] == m.semantic_counts()["RoofSurface"]


def test_unparseable_ifc_gives_error_line_and_exit_1():
    r = subprocess.run([sys.executable, "-m", "citytwin", "info", str(DATA / "ifc" / "fail_no_header.ifc")],
                       capture_output=True, text=True, timeout=120)
    assert r.returncode == 1
    lines = r.stderr.strip().splitlines()
    assert lines[-1].startswith("error:") and "fail_no_header.ifc" in lines[-1] and "Traceback" not in r.stderr


def test_iterator_refusal_falls_back_per_element():
    m = read(DATA / "ifc" / "fail_duplicate_id.ifc")
    assert any("iterator failed" in p.message for p in m.problems)


def test_kernel_crash_on_one_element_is_reported_and_rest_imports(monkeypatch):
    path = shared_path("ifc", "ifcopenshell_files", "TestModel_IFC4Add2.ifc")
    whole = read(path, envelope=False)
    victim = next(o.id for o in whole if o.attributes.get("ifc_class", "").startswith("IfcWall"))
    monkeypatch.setenv("CITYTWIN_TEST_IFC_CRASH_GUID", victim)
    m = read(path, envelope=False)
    assert victim not in m.objects
    assert set(whole.objects) - set(m.objects) == {victim}
    assert any(p.object_id == victim and "crashed" in p.message for p in m.problems)
    assert m.source["ifc_restarts"] >= 1


def test_info_shows_georef_method():
    r = subprocess.run([sys.executable, "-m", "citytwin", "info", "--json",
                        str(DATA / "ifc" / "UT_GeoRef_1_IFC4X3.ifc")], capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr
    d = json.loads(r.stdout)
    assert d["georef"]["method"] == "IfcMapConversion" and d["crs"] == "EPSG:5834"
    r = subprocess.run([sys.executable, "-m", "citytwin", "info", str(DATA / "ifc" / "UT_GeoRef_1_IFC4X3.ifc")],
                       capture_output=True, text=True, timeout=120)
    assert "IfcMapConversion" in r.stdout
