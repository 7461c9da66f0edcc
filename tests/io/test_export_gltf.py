"""glTF/GLB export: validated by the Khronos glTF validator, read back by citytwin's mesh reader."""

from __future__ import annotations

import json

import numpy as np
import pytest
from scipy.spatial import cKDTree

from citytwin.app.commands.convert import ConvertParams, run_convert
from citytwin.io.gltf.images import split_glb
from citytwin.io.meshfiles.reader import read_mesh
from citytwin.io.registry import read, write
from tests.conftest import DATA, ROOT, shared_path
from tests.export_validators import gltf_reports

SAMPLE = ROOT / "resources" / "sample" / "3dbag_b2_v2.0.city.json"
TOWN = "citygml/v2.0/citygml4j_lod3_testtown_textured/lod3_building_v2.gml"


def _doc(path):
    doc, _ = split_glb(path.read_bytes())
    return doc


def test_glb_of_real_files_passes_the_khronos_validator(tmp_path):
    inputs = [SAMPLE, DATA / "citygml" / "sig3d_Building_LOD2_v3.gml", shared_path(TOWN),
              DATA / "cityjson" / "cityjson_fake_complete.city.json",  # objects without surfaces too
              shared_path("ifc", "georef_bonsai", "basic.ifc"), shared_path("mesh", "obj_capsule_textured", "capsule.obj")]
    outs = []
    for i, src in enumerate(inputs):
        out = tmp_path / f"{i}.glb"
        write(read(src), out)
        outs.append(out)
    gltf_out = tmp_path / "sample.gltf"
    write(read(SAMPLE), gltf_out)
    reports = gltf_reports(*outs, gltf_out)
    for r in reports:
        assert r["errors"] == 0, r
    assert len(reports) == len(inputs) + 1


def test_glb_round_trip_keeps_triangles_areas_and_geometry(tmp_path):
    m = read(SAMPLE)
    tri = m.triangulate()
    out = tmp_path / "s.glb"
    write(m, out)
    doc = _doc(out)
    origin = np.array(doc["asset"]["extras"]["citytwin"]["origin"])
    assert doc["asset"]["extras"]["citytwin"]["crs"] == "EPSG:7415"
    back = read_mesh(out, offset=tuple(origin))
    bt = back.triangulate()
    # the mesh reader drops zero-area triangles (the sample has one: three collinear corners)
    assert bt.n_triangles == int(np.count_nonzero(tri.areas > 1e-9)) == tri.n_triangles - 1
    assert bt.areas.sum() == pytest.approx(tri.areas.sum(), rel=1e-6)
    # every vertex read back lies within 1 mm of a vertex of the model (and the other way round)
    a = bt.vertices[np.unique(bt.triangles)]
    b = tri.vertices[np.unique(tri.triangles)]
    assert cKDTree(b).query(a)[0].max() < 1e-3
    assert cKDTree(a).query(b)[0].max() < 1e-3
    # float32 positions are small numbers: the origin is near the model's centre
    assert np.abs(a - origin).max() < 1000


def test_glb_nodes_carry_ids_types_attributes_and_hierarchy(tmp_path):
    m = read(SAMPLE)
    out = tmp_path / "s.glb"
    write(m, out)
    doc = _doc(out)
    nodes = {n["name"]: n for n in doc["nodes"]}
    assert set(nodes) == set(m.objects)
    for oid, o in m.objects.items():
        ex = nodes[oid]["extras"]
        assert ex["id"] == oid and ex["type"] == o.type
        assert json.loads(json.dumps(ex["attributes"])) == json.loads(json.dumps(o.attributes))
        kids = [doc["nodes"][k]["name"] for k in nodes[oid].get("children", [])]
        assert kids == [c for c in o.children if c in m.objects]
    roots = {doc["nodes"][k]["name"] for k in doc["scenes"][0]["nodes"]}
    assert roots == {o.id for o in m.objects.values() if not o.parents}
    # semantic surfaces as materials: the roof material is red, the wall one light grey
    mats = {mt["name"]: mt["pbrMetallicRoughness"]["baseColorFactor"] for mt in doc["materials"]}
    assert {"RoofSurface", "WallSurface", "GroundSurface"} <= set(mats)
    r, g, b, _ = mats["RoofSurface"]
    assert r > 0.5 and g < 0.1 and b < 0.1


def test_glb_embeds_textures_and_uvs(tmp_path):
    m = read(shared_path(TOWN))
    out = tmp_path / "town.glb"
    res = run_convert(ConvertParams(input=shared_path(TOWN), output=out))
    assert res.objects == len(m)
    assert [p.name for p in tmp_path.iterdir()] == ["town.glb"]  # images inside, none copied beside
    doc = _doc(out)
    used = {int(t) for t in np.unique(m.triangulate().texture_index) if t >= 0}
    assert len(doc["images"]) == len(used)
    assert all(im["mimeType"] in ("image/png", "image/jpeg") for im in doc["images"])
    back = read_mesh(out)
    assert len(back.appearance.textures) == len(used)
    bt = back.triangulate()
    tt = m.triangulate()
    # the textured share of the area survives, and UVs come back as written (v flipped twice)
    assert bt.areas[bt.texture_index >= 0].sum() == pytest.approx(tt.areas[tt.texture_index >= 0].sum(), rel=1e-5)
    assert bt.uv[bt.texture_index >= 0].min() >= tt.uv[tt.texture_index >= 0].min() - 1e-6
