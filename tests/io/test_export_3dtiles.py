"""3D Tiles 1.1 export: GLB contents with feature IDs and a property table, georeferenced through
an east-north-up frame; read back by citytwin's 3D Tiles reader into the model CRS."""

from __future__ import annotations

import json
import subprocess
import sys

import numpy as np
import pytest
from scipy.spatial import cKDTree

from citytwin.io.gltf.images import split_glb
from citytwin.io.registry import read, write
from citytwin.io.tiles3d.metadata import read_property_table
from citytwin.errors import ProblemLog
from tests.conftest import DATA, ROOT, shared_path
from tests.export_validators import gltf_reports, tiles_report

SAMPLE = ROOT / "resources" / "sample" / "3dbag_b2_v2.0.city.json"
TOWN = "citygml/v2.0/citygml4j_lod3_testtown_textured/lod3_building_v2.gml"

#: attribute values of every JSON kind, including the awkward ones (gaps, empty strings, names
#: that are not identifiers, big ints, nested values, NaN-free floats, booleans)
EXTRA = [
    {"solar_annual_kwh_m2": 812.5, "solar_sun_hours": 1203, "flag": True, "note": "",
     "bag:status": "Pand in gebruik", "parts": [1, 2, {"a": None}], "big": 2 ** 70, "mixed": 3},
    {"solar_annual_kwh_m2": 640, "flag": False, "note": "x", "bag:status": "-", "mixed": "three"},
    {"solar_sun_hours": 0, "nested": {"k": [1.5, "v"]}},
]


def _rows_of(path):
    doc, binary = split_glb(path.read_bytes())
    ext = doc["extensions"]["EXT_structural_metadata"]
    return doc, read_property_table(doc, binary, 0, path.name, ProblemLog()), ext


def _roundtrip(model, out, **opts):
    tri = model.triangulate()
    write(model, out, **opts)
    back = read(out)
    assert back.crs is not None and back.crs == model.crs
    roots = [o for o in model.objects.values() if not o.parents]
    assert sorted(back.objects) == sorted(o.id for o in roots)
    for o in roots:
        b = back.objects[o.id]
        assert b.type == o.type
        assert b.attributes == o.attributes, o.id
    bt = back.triangulate()
    # only (near) zero-area triangles may be dropped by the reader's degenerate-triangle rule
    assert 0 <= tri.n_triangles - bt.n_triangles <= int(np.count_nonzero(tri.areas < 1e-6))
    assert bt.areas.sum() == pytest.approx(tri.areas.sum(), rel=1e-6)
    a = bt.vertices[np.unique(bt.triangles)]
    c = tri.vertices[np.unique(tri.triangles)]
    assert cKDTree(c).query(a)[0].max() < 1e-3
    assert cKDTree(a).query(c)[0].max() < 1e-3
    return back


def test_3dtiles_round_trip_keeps_ids_attributes_and_geometry_within_1mm(tmp_path):
    m = read(shared_path("cityjson", "delft_v2.0.city.json"))
    roots = [o for o in m.objects.values() if not o.parents]
    for o, extra in zip(roots[::97], EXTRA):  # results and odd values on a few objects
        o.attributes.update(extra)
    out = tmp_path / "t" / "tileset.json"
    _roundtrip(m, out, max_features=60)
    ts = json.loads(out.read_text())
    assert ts["asset"]["version"] == "1.1"
    assert ts["metadata"]["properties"]["crs"] == "EPSG:7415"
    assert len(list((out.parent / "tiles").glob("*.glb"))) >= 10  # a real quadtree
    # the schema names units of the analysis results
    props = ts["schema"]["classes"]["cityobject"]["properties"]
    assert props["solar_annual_kwh_m2"]["extras"]["unit"] == "kWh/m2"
    assert props["solar_sun_hours"]["extras"]["unit"] == "h"
    assert props["bag_status"]["name"] == "bag:status"


def test_3dtiles_round_trip_of_the_bundled_sample(tmp_path):
    m = read(SAMPLE)
    back = _roundtrip(m, tmp_path / "tileset.json")
    # a Building with its BuildingParts is one feature
    assert len(back) == len(m.roots()) < len(m)


def test_3dtiles_features_cover_every_object_once(tmp_path):
    m = read(shared_path("cityjson", "delft_v2.0.city.json"))
    out = tmp_path / "tileset.json"
    write(m, out, max_features=50)
    seen = []
    for glb in sorted((tmp_path / "tiles").glob("*.glb")):
        doc, rows, ext = _rows_of(glb)
        n = ext["propertyTables"][0]["count"]
        ids = [r["\0id"] for r in rows]
        seen += ids
        assert len(ids) == n <= 50
        for prim in doc["meshes"][0]["primitives"]:
            f = prim["extensions"]["EXT_mesh_features"]["featureIds"][0]
            assert f == {"featureCount": n, "attribute": 0, "propertyTable": 0}
            acc = doc["accessors"][prim["attributes"]["_FEATURE_ID_0"]]
            assert acc["componentType"] == 5126  # FLOAT
    assert sorted(seen) == sorted(o.id for o in m.objects.values() if not o.parents)


def test_3dtiles_root_frame_is_east_north_up_at_the_model_centre(tmp_path):
    """Oracle: pyproj's geodetic latitude/longitude of the origin (EPSG:4978 -> 4979)."""
    import pyproj

    m = read(SAMPLE)
    write(m, tmp_path / "tileset.json")
    ts = json.loads((tmp_path / "tileset.json").read_text())
    t = np.array(ts["root"]["transform"]).reshape(4, 4).T
    rot, origin = t[:3, :3], t[:3, 3]
    assert np.allclose(rot.T @ rot, np.eye(3), atol=1e-12)
    lon, lat, _h = pyproj.Transformer.from_crs(4978, 4979, always_xy=True).transform(*origin)
    lo, la = np.radians(lon), np.radians(lat)
    up = [np.cos(la) * np.cos(lo), np.cos(la) * np.sin(lo), np.sin(la)]
    east = [-np.sin(lo), np.cos(lo), 0.0]
    assert np.allclose(rot[:, 2], up, atol=1e-9) and np.allclose(rot[:, 0], east, atol=1e-9)
    # the origin is the model centre, placed by pyproj (7415 -> 4978) independently of the writer
    centre = ts["asset"]["extras"]["citytwin"]["origin"]
    ref = pyproj.Transformer.from_crs(7415, 4978, always_xy=True).transform(*centre)
    assert np.allclose(origin, ref, atol=1e-3)


def test_3dtiles_of_a_model_without_crs_is_written_in_local_coordinates(tmp_path):
    m = read(SAMPLE)
    m.crs = None
    write(m, tmp_path / "tileset.json")
    ts = json.loads((tmp_path / "tileset.json").read_text())
    assert "transform" not in ts["root"]
    assert any("not placed on the globe" in p.message for p in m.problems)


def test_convert_cli_writes_3dtiles_by_name_and_by_format(tmp_path):
    out = tmp_path / "a" / "tileset.json"
    r = subprocess.run([sys.executable, "-m", "citytwin", "convert", str(SAMPLE), str(out)],
                       capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    assert json.loads(out.read_text())["asset"]["version"] == "1.1"
    r = subprocess.run([sys.executable, "-m", "citytwin", "convert", str(SAMPLE), str(tmp_path / "b"),
                        "--format", "3dtiles"], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    assert (tmp_path / "b" / "tileset.json").exists() and list((tmp_path / "b" / "tiles").glob("*.glb"))


def _tilesets(tmp_path):
    srcs = {"sample": SAMPLE, "citygml3": DATA / "citygml" / "sig3d_Building_LOD2_v3.gml",
            "delft": shared_path("cityjson", "delft_v2.0.city.json"), "town": shared_path(TOWN),
            "ifc": shared_path("ifc", "georef_bonsai", "geolocation-mapconversion.ifc")}
    out = {}
    for k, src in srcs.items():
        m = read(src)
        p = tmp_path / k / "tileset.json"
        write(m, p, max_features=80)
        out[k] = p
    return out


def test_3dtiles_contents_pass_the_khronos_gltf_validator(tmp_path):
    sets = _tilesets(tmp_path)
    glbs = [g for p in sets.values() for g in sorted((p.parent / "tiles").glob("*.glb"))]
    for r in gltf_reports(*glbs):
        assert r["errors"] == 0, r


def test_3dtiles_pass_the_cesium_3dtiles_validator(tmp_path):
    sets = _tilesets(tmp_path)
    for name, p in sets.items():
        rep = tiles_report(p)
        assert rep["numErrors"] == 0, (name, json.dumps(rep)[:3000])
        # the only warning allowed is about a source texture kept byte for byte (a JPEG with a
        # colour profile, in the textured CityGML): "Image contains unsupported features"
        assert all("unsupported features" in m for m in _messages(rep, "WARNING")), (name, rep)


def _messages(rep: dict, severity: str) -> list[str]:
    out = []
    stack = list(rep.get("issues", []))
    while stack:
        i = stack.pop()
        causes = i.get("causes") or []
        if causes:
            stack.extend(causes)
        elif i["severity"] == severity:
            out.append(i["message"])
    return out


def test_batch_outputs_one_tileset_per_input_and_keeps_meshes_as_cityjson(tmp_path):
    from citytwin.app.commands.batch_inputs import output_name

    assert output_name("d/delft.city.json", "3dtiles") == ("d/delft.tileset.json", "3dtiles")
    # export-only writers do not capture inputs of their extension: a mesh still becomes CityJSON
    assert output_name("m/capsule.obj", None) == ("m/capsule.city.json", "cityjson")
    assert output_name("m/duck.glb", None) == ("m/duck.city.json", "cityjson")
    for stem in ("a", "b"):
        write(read(SAMPLE), tmp_path / f"{stem}.tileset.json")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.tileset.json", "a.tileset_tiles",
                                                          "b.tileset.json", "b.tileset_tiles"]
    assert len(read(tmp_path / "b.tileset.json")) == len(read(SAMPLE).roots())


def test_3dtiles_of_a_solar_result_has_per_building_and_per_surface_features(tmp_path):
    from citytwin.app.commands.solar import SolarOptions, run_solar

    m = read(SAMPLE)
    run_solar(m, SolarOptions(resolution=2.0)).apply_to_model(m)
    out = tmp_path / "tileset.json"
    back = _roundtrip(m, out)  # building results come back exactly
    assert all("solar_annual_kwh" in o.attributes for o in back.objects.values())
    ts = json.loads(out.read_text())
    sprops = ts["schema"]["classes"]["surface"]["properties"]
    assert sprops["solar_annual_kwh_m2"]["extras"]["unit"] == "kWh/m2"
    checked = 0
    for glb in (tmp_path / "tiles").glob("*.glb"):
        doc, binary = split_glb(glb.read_bytes())
        rows = read_property_table(doc, binary, 1, glb.name, ProblemLog())
        for prim in doc["meshes"][0]["primitives"]:
            sets = prim["extensions"]["EXT_mesh_features"]["featureIds"]
            assert sets[1] == {"featureCount": len(rows), "attribute": 1, "propertyTable": 1}
        for r in rows:
            g = m.objects[r["object id"]].geometry[r["geometry"]]
            s = g.semantics.surfaces[g.semantics.values[r["surface"]]]
            assert r["semantic type"] == s["type"]
            if "solar_annual_kwh_m2" in s:
                assert r["solar_annual_kwh_m2"] == s["solar_annual_kwh_m2"]
                assert r["solar_monthly_kwh_m2"] == s["solar_monthly_kwh_m2"]
                checked += 1
    assert checked > 10
    for r in gltf_reports(*(tmp_path / "tiles").glob("*.glb")):
        assert r["errors"] == 0, r
    rep = tiles_report(out)
    assert rep["numErrors"] == 0 and rep["numWarnings"] == 0, rep


def test_a_tileset_without_named_crs_opens_upright_in_a_local_frame(tmp_path):
    """A tileset that names no CRS (as third-party ones) comes in upright: ground surfaces level,
    heights as in the source; the local frame is a real CRS (pyproj takes it back to RD New + NAP
    within 1 mm of the source)."""
    m = read(SAMPLE)
    write(m, tmp_path / "tileset.json")
    ts = json.loads((tmp_path / "tileset.json").read_text())
    del ts["metadata"]  # now it is just an ECEF tileset
    (tmp_path / "tileset.json").write_text(json.dumps(ts))
    ecef = read(tmp_path / "tileset.json", upright=False)
    assert ecef.crs.epsg == 4978
    up = read(tmp_path / "tileset.json")
    assert up.crs.epsg is None and "upright" in up.crs.to_pyproj().name
    # level and sloped surfaces as in the source: the same area faces straight up / down
    def level(tri):
        return tri.areas[np.abs(tri.normals[:, 2]) > 0.9999].sum()

    assert level(up.triangulate()) == pytest.approx(level(m.triangulate()), rel=1e-3)
    assert level(ecef.triangulate()) < 0.01 * level(m.triangulate())  # ECEF: tilted by the latitude
    src = m.bbox()
    assert (up.bbox()[5] - up.bbox()[2]) == pytest.approx(src[5] - src[2], abs=0.01)
    up.reproject("EPSG:7415")
    a = up.vertices
    c = m.triangulate().vertices[np.unique(m.triangulate().triangles)]
    assert cKDTree(c).query(a)[0].max() < 1e-3
