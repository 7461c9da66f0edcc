"""Textured b3dm: the real textured Duck.glb in a 3D Tiles 1.0 b3dm reads exactly like the GLB itself
(same images byte for byte, same UVs, same triangles), plus RTC_CENTER (JSON or binary body),
CESIUM_RTC, glTF node transforms before Y-up -> Z-up, tilesets with several textured tiles."""

from __future__ import annotations

import importlib.util
import json
import struct
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from citytwin.app.commands.convert import ConvertParams, run_convert
from citytwin.io.registry import read
from tests.conftest import DATA, ROOT

MESH = DATA / "mesh"
_spec = importlib.util.spec_from_file_location("make_textured_b3dm", MESH / "make_textured_b3dm.py")
gen = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(gen)
RTC = np.array(gen.RTC_DELFT)


@pytest.fixture(scope="module")
def pair():
    return read(MESH / "Duck.glb"), read(MESH / "Duck.b3dm", upright=False)


def _geometry(m):
    (o,) = list(m)
    g = o.geometry[0]
    return g, g.textures["default"]


def test_committed_b3dm_is_the_generator_output_and_follows_the_layout(tmp_path):
    data = (MESH / "Duck.b3dm").read_bytes()
    subprocess.run([sys.executable, str(MESH / "make_textured_b3dm.py"), str(tmp_path / "again.b3dm")],
                   check=True, timeout=60)
    assert (tmp_path / "again.b3dm").read_bytes() == data
    magic, version, length, ftj, ftb, btj, btb = struct.unpack_from("<4sIIIIII", data, 0)
    assert (magic, version, length) == (b"b3dm", 1, len(data)) and length % 8 == 0
    glb_start = 28 + ftj + ftb + btj + btb
    assert glb_start % 8 == 0 and data[glb_start:glb_start + 4] == b"glTF"
    ft = json.loads(data[28:28 + ftj])
    assert ft["BATCH_LENGTH"] == 1 and json.loads(data[28 + ftj + ftb:glb_start]) == {"name": ["Duck"]}
    doc, _ = gen.split_glb(data[glb_start:])
    prim = doc["meshes"][0]["primitives"][0]
    acc = doc["accessors"][prim["attributes"]["_BATCHID"]]
    assert acc["type"] == "SCALAR" and acc["count"] == doc["accessors"][prim["attributes"]["POSITION"]]["count"]


def test_b3dm_reads_like_the_glb_textures_uvs_triangles(pair):
    glb, b3dm = pair
    assert b3dm.appearance.textures == glb.appearance.textures == [{"type": "PNG", "image": "Duck_image0.png"}]
    assert Path(b3dm.appearance.image_path(0)).read_bytes() == Path(glb.appearance.image_path(0)).read_bytes()
    np.testing.assert_array_equal(b3dm.appearance.texture_vertices, glb.appearance.texture_vertices)
    (ga, ta), (gb, tb) = _geometry(glb), _geometry(b3dm)
    np.testing.assert_array_equal(ga.indices, gb.indices)
    np.testing.assert_array_equal(ta.uv, tb.uv)
    np.testing.assert_array_equal(ta.ring_texture, tb.ring_texture)
    # positions: the GLB's (node transforms, then Y-up -> Z-up) + RTC_CENTER, in ECEF
    np.testing.assert_allclose(b3dm.vertices - RTC, glb.vertices, atol=1e-6)
    assert b3dm.crs.epsg == 4978
    assert not list(b3dm.problems)


def test_node_transforms_come_before_y_up_and_rtc(pair):
    """The Duck's root node scales its positions by 0.01: applied first, the duck is ~2 m; its
    glTF +Y (up) is 3D Tiles +Z, so the flat bottom is the lowest z."""
    _, b3dm = pair
    local = b3dm.vertices - RTC
    size = local.max(axis=0) - local.min(axis=0)
    assert 1.0 < size.max() < 3.0
    doc, binary = gen.split_glb((MESH / "Duck.glb").read_bytes())
    acc = doc["accessors"][doc["meshes"][0]["primitives"][0]["attributes"]["POSITION"]]
    raw_min, raw_max = np.array(acc["min"]) * 0.01, np.array(acc["max"]) * 0.01  # (x, y, z) glTF
    np.testing.assert_allclose(local.min(axis=0), [raw_min[0], -raw_max[2], raw_min[1]], atol=1e-4)
    np.testing.assert_allclose(local.max(axis=0), [raw_max[0], -raw_min[2], raw_max[1]], atol=1e-4)


def test_textured_b3dm_to_cityjson_copies_the_image_and_validates(tmp_path):
    import jsonschema_rs

    out = tmp_path / "duck.city.json"
    run_convert(ConvertParams(input=MESH / "Duck.b3dm", output=out))
    doc = json.loads(out.read_text())
    schema = json.loads((ROOT / "resources/schemas/cityjson/2.0/cityjson.min.schema.json").read_text())
    assert [e.message for e in jsonschema_rs.validator_for(schema).iter_errors(doc)] == []
    assert doc["appearance"]["textures"] == [{"type": "PNG", "image": "Duck_image0.png"}]
    glb_doc, binary = gen.split_glb((MESH / "Duck.glb").read_bytes())
    bv = glb_doc["bufferViews"][glb_doc["images"][0]["bufferView"]]
    png = binary[bv.get("byteOffset", 0):bv.get("byteOffset", 0) + bv["byteLength"]]
    assert (tmp_path / "Duck_image0.png").read_bytes() == png
    back = read(out)
    assert len(back.appearance.texture_vertices) == len(read(MESH / "Duck.glb").appearance.texture_vertices)


def test_textured_b3dm_reaches_the_viewport_scene(pair):
    from citytwin.app.render.scene import build_scene
    from citytwin.app.render.scene import texture_paths

    glb, b3dm = pair
    sa = build_scene(glb.triangulate(), texture_paths=texture_paths(glb))
    sb = build_scene(b3dm.triangulate(), origin=RTC, texture_paths=texture_paths(b3dm))
    ta = [g for g in sa.groups if g.texture_path]
    tb = [g for g in sb.groups if g.texture_path]
    assert len(ta) == len(tb) == 1
    assert Path(tb[0].texture_path).read_bytes() == Path(ta[0].texture_path).read_bytes()
    np.testing.assert_array_equal(ta[0].tri_index, tb[0].tri_index)


def test_rtc_center_in_the_feature_table_binary_body(tmp_path):
    glb = gen.add_batch_ids((MESH / "Duck.glb").read_bytes())
    (tmp_path / "Duck.b3dm").write_bytes(gen.make_b3dm(glb, 1, None, gen.RTC_DELFT, rtc_binary=True))
    m, ref = read(tmp_path / "Duck.b3dm", upright=False), read(MESH / "Duck.glb")
    np.testing.assert_allclose(m.vertices - RTC.astype(np.float32).astype(np.float64), ref.vertices, atol=1e-6)
    assert m.appearance.textures == ref.appearance.textures


def test_cesium_rtc_extension_is_applied_like_rtc_center(tmp_path):
    doc, binary = gen.split_glb((MESH / "Duck.glb").read_bytes())
    doc.setdefault("extensions", {})["CESIUM_RTC"] = {"center": list(gen.RTC_DELFT)}
    doc.setdefault("extensionsUsed", []).append("CESIUM_RTC")
    (tmp_path / "c.b3dm").write_bytes(gen.make_b3dm(gen.join_glb(doc, binary), 0))
    m = read(tmp_path / "c.b3dm", upright=False)
    np.testing.assert_allclose(m.vertices - RTC, read(MESH / "Duck.glb").vertices, atol=1e-6)


def test_tileset_of_textured_tiles_keeps_every_tile_texture(tmp_path):
    for sub in ("a", "b"):
        (tmp_path / sub).mkdir()
        (tmp_path / sub / "Duck.b3dm").write_bytes((MESH / "Duck.b3dm").read_bytes())
    t = np.eye(4)
    t[:3, 3] = [5.0, 0.0, 0.0]
    ts = {"asset": {"version": "1.0"}, "geometricError": 10,
          "root": {"geometricError": 5, "boundingVolume": {"sphere": [0, 0, 0, 1e7]}, "refine": "ADD",
                   "children": [{"geometricError": 0, "boundingVolume": {"sphere": [0, 0, 0, 1e7]},
                                 "content": {"uri": "a/Duck.b3dm"}},
                                {"geometricError": 0, "boundingVolume": {"sphere": [0, 0, 0, 1e7]},
                                 "transform": t.T.ravel().tolist(), "content": {"uri": "b/Duck.b3dm"}}]}}
    (tmp_path / "tileset.json").write_text(json.dumps(ts))
    m = read(tmp_path / "tileset.json", upright=False)
    single = read(MESH / "Duck.b3dm", upright=False)
    assert [t["image"] for t in m.appearance.textures] == ["a_Duck_image0.png", "b_Duck_image0.png"]
    png = Path(single.appearance.image_path(0)).read_bytes()
    assert all(Path(m.appearance.image_path(i)).read_bytes() == png for i in range(2))
    a, b = list(m)
    for o, k in ((a, 0), (b, 1)):
        assert set(o.geometry[0].textures["default"].ring_texture.tolist()) == {k}
    n = len(single.vertices)
    np.testing.assert_allclose(m.vertices[:n], single.vertices, atol=1e-6)
    np.testing.assert_allclose(m.vertices[n:], single.vertices + [5.0, 0.0, 0.0], atol=1e-6)
    np.testing.assert_array_equal(m.appearance.texture_vertices[len(single.appearance.texture_vertices):],
                                  single.appearance.texture_vertices)


def test_tileset_gltf_up_axis_z_is_not_rotated(tmp_path):
    (tmp_path / "Duck.b3dm").write_bytes((MESH / "Duck.b3dm").read_bytes())
    ts = {"asset": {"version": "1.0", "gltfUpAxis": "Z"}, "geometricError": 10,
          "root": {"geometricError": 0, "boundingVolume": {"sphere": [0, 0, 0, 1e7]}, "content": {"uri": "Duck.b3dm"}}}
    (tmp_path / "tileset.json").write_text(json.dumps(ts))
    z = read(tmp_path / "tileset.json", upright=False).vertices - RTC
    y = read(MESH / "Duck.glb").vertices  # Y-up turned Z-up: (x, y, z) -> (x, -z, y)
    np.testing.assert_allclose(z, np.c_[y[:, 0], y[:, 2], -y[:, 1]], atol=1e-6)


def test_broken_rtc_center_is_an_input_error(tmp_path):
    from citytwin.errors import InputError

    data = bytearray((MESH / "Duck.b3dm").read_bytes())
    ftj = struct.unpack_from("<I", data, 12)[0]
    ft = json.dumps({"BATCH_LENGTH": 1, "RTC_CENTER": [1, 2]}).encode()
    data[28:28 + ftj] = ft + b" " * (ftj - len(ft))
    (tmp_path / "bad.b3dm").write_bytes(bytes(data))
    with pytest.raises(InputError, match="bad.b3dm.*RTC_CENTER"):
        read(tmp_path / "bad.b3dm", upright=False)


def _box_b3dm(side_of_vertex=None) -> tuple[bytes, list[str], np.ndarray]:
    """BoxTextured.glb batched per box side (a feature per side, found from the vertex normals),
    batch table: "id" (JSON) and "area" (FLOAT, binary body, from the triangles)."""
    data = (MESH / "BoxTextured.glb").read_bytes()
    doc, binary = gen.split_glb(data)
    prim = doc["meshes"][0]["primitives"][0]

    def accessor(i, dtype, width):
        a = doc["accessors"][i]
        bv = doc["bufferViews"][a["bufferView"]]
        start = bv.get("byteOffset", 0) + a.get("byteOffset", 0)
        return np.frombuffer(binary, dtype=dtype, count=a["count"] * width, offset=start).reshape(-1, width)

    normals = accessor(prim["attributes"]["NORMAL"], "<f4", 3)
    pos = accessor(prim["attributes"]["POSITION"], "<f4", 3).astype(np.float64)
    tri = accessor(prim["indices"], "<u2", 1).reshape(-1, 3)
    axis = np.abs(normals).argmax(axis=1)
    side = axis * 2 + (normals[np.arange(len(normals)), axis] < 0)  # 0: +X, 1: -X, 2: +Y ...
    if side_of_vertex is not None:
        side = side_of_vertex(side)
    p = pos[tri]
    tri_area = 0.5 * np.linalg.norm(np.cross(p[:, 1] - p[:, 0], p[:, 2] - p[:, 0]), axis=1)
    area = np.bincount(np.clip(side[tri[:, 0]], 0, 5), tri_area, minlength=6)
    ids = ["+X", "-X", "+Y", "-Y", "+Z", "-Z"]
    glb = gen.add_batch_ids(data, [side.astype(float).tolist()])
    table = {"id": [f"side{s}" for s in ids], "area": {"byteOffset": 0, "componentType": "FLOAT", "type": "SCALAR"}}
    return gen.make_b3dm(glb, 6, table, batch_binary=area.astype("<f4").tobytes()), ids, area


def test_features_are_split_by_batch_id_with_their_batch_table_rows(tmp_path):
    blob, ids, area = _box_b3dm()
    (tmp_path / "BoxTextured.b3dm").write_bytes(blob)
    m = read(tmp_path / "BoxTextured.b3dm", upright=False)
    glb = read(MESH / "BoxTextured.glb")
    assert sorted(o.id for o in m) == sorted(f"side{s}" for s in ids)
    assert not list(m.problems)
    tri = m.triangulate()
    assert len(tri) == len(glb.triangulate()) == 12
    uv = m.appearance.texture_vertices
    for o in m:
        (g,) = o.geometry
        assert len(g.ring_offsets) == 3  # two triangles per side
        assert o.attributes["area"] == pytest.approx(area[o.attributes["batch_id"]], rel=1e-6)
        assert o.attributes["id"] == o.id
        p = m.vertices[g.indices.reshape(-1, 3)]  # the side is flat: all its corners share one coordinate
        assert np.isclose(p.reshape(-1, 3).std(axis=0), 0, atol=1e-9).any()
        got = 0.5 * np.linalg.norm(np.cross(p[:, 1] - p[:, 0], p[:, 2] - p[:, 0]), axis=1).sum()
        assert got == pytest.approx(o.attributes["area"], rel=1e-5)
    # textures: the same image, and every triangle keeps its UVs (as sets of corner UVs)
    assert Path(m.appearance.image_path(0)).read_bytes() == Path(glb.appearance.image_path(0)).read_bytes()

    def corner_uvs(model):
        out = []
        for o in model:
            t = o.geometry[0].textures["default"]
            out += [tuple(sorted(map(tuple, model.appearance.texture_vertices[r].round(6))))
                    for r in t.uv.reshape(-1, 3)]
        return sorted(out)

    assert corner_uvs(m) == corner_uvs(glb) and len(uv) == 24


def test_batch_ids_outside_the_table_are_reported_and_kept(tmp_path):
    blob, _, _ = _box_b3dm(lambda side: np.where(side == 5, 9, side))  # -Z vertices say feature 9 of 6
    (tmp_path / "odd.b3dm").write_bytes(blob)
    m = read(tmp_path / "odd.b3dm", upright=False)
    assert "odd-unbatched" in m.objects and len(m) == 6
    assert any("outside 0..5" in p.message and "odd.b3dm" in p.message for p in m.problems)
    assert len(m.triangulate()) == 12
