"""Mesh import: OBJ+MTL+texture, PLY, GLB (Y-up), b3dm (RTC_CENTER), tilesets, broken meshes."""

from __future__ import annotations

import json
import struct
import subprocess
import sys

import numpy as np
import pytest

from citytwin.errors import InputError
from citytwin.io.registry import read, write
from tests.conftest import DATA, ROOT, SHARED, shared_path

MESH = DATA / "mesh"


def _raw(path, **kw):
    import trimesh

    s = trimesh.load(str(path), force="scene", process=False, **kw)
    return np.concatenate([np.asarray(m.vertices) for m in s.dump(concatenate=False)])


def test_obj_with_mtl_texture_to_cityjson_validates(tmp_path):
    import jsonschema_rs

    m = read(MESH / "fuze.obj")
    assert m.appearance.textures == [{"type": "JPG", "image": "fuze uv.jpg"}]
    (o,) = list(m)
    g = o.geometry[0]
    assert "default" in g.textures and np.all(g.textures["default"].uv >= 0)
    assert len(m.appearance.texture_vertices) == len(m.vertices)
    np.testing.assert_allclose(np.sort(m.vertices, axis=0), np.sort(_raw(MESH / "fuze.obj"), axis=0))
    out = tmp_path / "fuze.city.json"
    write(m, out)
    doc = json.loads(out.read_text())
    schema = json.loads((ROOT / "resources/schemas/cityjson/2.0/cityjson.min.schema.json").read_text())
    assert [e.message for e in jsonschema_rs.validator_for(schema).iter_errors(doc)] == []
    assert doc["appearance"]["textures"][0]["image"] == "fuze uv.jpg"


def test_missing_mtl_loads_untextured_with_warning(tmp_path):
    (tmp_path / "x.obj").write_bytes((MESH / "fuze.obj").read_bytes())
    m = read(tmp_path / "x.obj")
    assert not m.appearance.textures
    assert any("not found" in p.message and "untextured" in p.message for p in m.problems)


def test_ply_and_obj_give_the_same_triangles():
    a, b = read(MESH / "fuze.ply"), read(MESH / "fuze.obj")
    assert len(a.triangulate()) == len(b.triangulate()) == 1000


def test_glb_is_turned_z_up_and_offset_and_crs_applied():
    raw = _raw(MESH / "Duck.glb")
    m = read(MESH / "Duck.glb", offset=(1000.0, 2000.0, 3.0), crs="EPSG:28992")
    want = np.c_[raw[:, 0], -raw[:, 2], raw[:, 1]] + [1000.0, 2000.0, 3.0]
    np.testing.assert_allclose(np.sort(m.vertices, axis=0), np.sort(want, axis=0), atol=1e-9)
    assert m.crs.epsg == 28992 and m.source["mesh_up_axis"] == "y"
    # OBJ is Z-up unless told otherwise
    y = read(MESH / "fuze.obj", up="y")
    rawo = _raw(MESH / "fuze.obj")
    np.testing.assert_allclose(np.sort(y.vertices[:, 2]), np.sort(rawo[:, 1]))


def _b3dm_with_rtc(rtc) -> bytes:
    data = (MESH / "dragon_low.b3dm").read_bytes()
    _, ver, length, ftj, ftb, btj, btb = struct.unpack_from("<4sIIIIII", data, 0)
    glb = data[28 + ftj + ftb + btj + btb:length]
    ft = json.dumps({"BATCH_LENGTH": 0, "RTC_CENTER": list(rtc)}).encode()
    ft += b" " * (-(28 + len(ft)) % 8)
    return struct.pack("<4sIIIIII", b"b3dm", 1, 28 + len(ft) + len(glb), len(ft), 0, 0, 0) + ft + glb


def test_b3dm_rtc_center_and_tileset_transform(tmp_path):
    plain = read(MESH / "dragon_low.b3dm")
    assert plain.crs.to_string() == "EPSG:4978"
    rtc = (3925000.0, 312000.0, 5010000.0)  # ECEF of a point in the Netherlands
    (tmp_path / "t.b3dm").write_bytes(_b3dm_with_rtc(rtc))
    m = read(tmp_path / "t.b3dm")
    np.testing.assert_allclose(m.vertices, plain.vertices + rtc, atol=1e-6)
    assert 6.3e6 < np.linalg.norm(m.vertices, axis=1).mean() < 6.4e6
    t = np.eye(4)
    t[:3, 3] = [10.0, 20.0, 30.0]
    ts = {"asset": {"version": "1.0"}, "geometricError": 100,
          "root": {"transform": t.T.ravel().tolist(), "geometricError": 10, "boundingVolume": {"sphere": [0, 0, 0, 1e7]},
                   "content": {"uri": "t.b3dm"}}}
    (tmp_path / "tileset.json").write_text(json.dumps(ts))
    m2 = read(tmp_path / "tileset.json")
    assert m2.source["format"] == "3dtiles"
    np.testing.assert_allclose(m2.vertices, m.vertices + [10.0, 20.0, 30.0], atol=1e-6)


def test_truncated_b3dm_is_an_input_error(tmp_path):
    data = (MESH / "dragon_low.b3dm").read_bytes()
    (tmp_path / "cut.b3dm").write_bytes(data[:5000])
    with pytest.raises(InputError, match="truncated b3dm"):
        read(tmp_path / "cut.b3dm")


def test_decimation_on_request():
    m = read(MESH / "fuze.obj", decimate=300)
    assert 200 <= len(m.triangulate()) <= 320


def test_broken_meshes_never_crash():
    files = sorted((SHARED / "invalid" / "mesh").glob("*")) if (SHARED / "invalid" / "mesh").exists() \
        else [MESH / "empty.obj", MESH / "notenoughindices.obj"]
    outcomes = {}
    for f in files:
        try:
            m = read(f)
            assert len(m.triangulate()) > 0 and np.all(np.isfinite(m.vertices))
            outcomes[f.name] = "ok"
        except InputError as exc:
            assert f.name in str(exc)
            outcomes[f.name] = "error"
    assert outcomes.get("empty.obj") == "error"


def test_cli_empty_mesh_error_line():
    r = subprocess.run([sys.executable, "-m", "citytwin", "info", str(MESH / "empty.obj")],
                       capture_output=True, text=True, timeout=60)
    assert r.returncode == 1 and r.stderr.strip().splitlines()[-1].startswith("error:")
    assert "no valid triangle" in r.stderr


def test_obj_to_cityjson_through_cli(tmp_path):
    out = tmp_path / "fuze.city.json"
    r = subprocess.run([sys.executable, "-m", "citytwin", "convert", str(MESH / "fuze.obj"), str(out), "--quiet"],
                       capture_output=True, text=True, timeout=60)
    assert r.returncode == 0, r.stderr
    assert len(read(out).triangulate()) == 1000


def test_obj_objects_stay_apart_and_materials_of_one_object_stay_together():
    """Each OBJ ``o`` is one object (trimesh merged them); an object with two materials is one."""
    m = read(MESH / "two_objects.obj")
    tri = m.triangulate()
    counts = {oid: int((tri.object_index == i).sum()) for i, oid in enumerate(tri.object_ids)}
    assert counts == {"cube": 12, "tetra": 4}
    box = read(MESH / "box.obj")  # one `o Cube`, faces under `usemtl Material` and `SecondMaterial`
    assert list(box.objects) == ["Cube"]
    assert box.triangulate().n_triangles == 12


def test_obj_faces_before_the_first_o_line_are_an_object_named_for_the_file():
    """val3dity's two_objects_2.obj: the first object of the file has no ``o`` line."""
    m2 = read(shared_path("invalid", "val3dity", "test_valid", "two_objects_2.obj"))
    assert sorted(m2.objects) == ["cube_44", "two_objects_2.obj"]


def test_tiff_texture_is_written_as_png_for_cityjson(tmp_path):
    """CityJSON textures are PNG or JPG: an OBJ textured with a TIFF (common in photogrammetry
    exports) converts with the image written as PNG, pixel for pixel, and a warning; CityGML keeps
    the TIFF as it is."""
    import shutil

    import jsonschema_rs
    from PIL import Image

    from citytwin.app.commands.convert import ConvertParams, run_convert

    src = tmp_path / "in"
    src.mkdir()
    shutil.copy(MESH / "fuze.obj", src / "fuze.obj")
    (src / "fuze.obj.mtl").write_text((MESH / "fuze.obj.mtl").read_text().replace("fuze uv.jpg", "fuze uv.tif"))
    with Image.open(MESH / "fuze uv.jpg") as im:
        im.save(src / "fuze uv.tif", format="TIFF")
    out = tmp_path / "out" / "fuze.city.json"
    res = run_convert(ConvertParams(input=src / "fuze.obj", output=out))
    doc = json.loads(out.read_text())
    assert doc["appearance"]["textures"] == [{"type": "PNG", "image": "fuze uv.png"}]
    schema = json.loads((ROOT / "resources/schemas/cityjson/2.0/cityjson.min.schema.json").read_text())
    assert [e.message for e in jsonschema_rs.validator_for(schema).iter_errors(doc)] == []
    with Image.open(out.parent / "fuze uv.png") as png, Image.open(src / "fuze uv.tif") as tif:
        assert png.format == "PNG" and np.array_equal(np.asarray(png), np.asarray(tif))
    assert any("fuze uv.tif written as fuze uv.png" in w for w in res.write_problems)
    assert not (out.parent / "fuze uv.tif").exists()
    gml = tmp_path / "gml" / "fuze.gml"
    run_convert(ConvertParams(input=src / "fuze.obj", output=gml))
    assert (gml.parent / "fuze uv.tif").exists() and "fuze uv.tif" in gml.read_text()
