"""glTF/GLB embedded textures are kept: original image bytes, per-mesh UVs, copied beside outputs."""

from __future__ import annotations

import io
import json
from pathlib import Path

import numpy as np

from citytwin.app.commands.convert import ConvertParams, run_convert
from citytwin.io.gltf.images import gltf_images, split_glb
from citytwin.io.registry import read
from tests.conftest import DATA, ROOT, shared_path

MESH = DATA / "mesh"


def _embedded(path: Path) -> list[bytes]:
    doc, binary = split_glb(path.read_bytes())
    return [r[0] for r in gltf_images(doc, binary, path.parent)]


def _sample(model, image_path: str, flip_v: bool = False) -> np.ndarray:
    """RGB of the model's texture at the UV centroid of every triangle (CityJSON UVs: origin bottom-left)."""
    import PIL.Image

    img = np.asarray(PIL.Image.open(image_path).convert("RGB"), dtype=np.float64)
    h, w = img.shape[:2]
    (o,) = list(model)
    uvi = o.geometry[0].textures["default"].uv.reshape(-1, 3)
    uv = model.appearance.texture_vertices[uvi].mean(axis=1)
    if flip_v:
        uv[:, 1] = 1.0 - uv[:, 1]
    col = np.clip((uv[:, 0] % 1.0) * w, 0, w - 1).astype(int)
    row = np.clip((1.0 - uv[:, 1] % 1.0) * h, 0, h - 1).astype(int)
    return img[row, col]


def test_glb_embedded_png_is_kept_byte_for_byte_and_converted_beside_the_output(tmp_path):
    import jsonschema_rs

    m = read(MESH / "Duck.glb")
    assert m.appearance.textures == [{"type": "PNG", "image": "Duck_image0.png"}]
    assert Path(m.appearance.image_path(0)).read_bytes() == _embedded(MESH / "Duck.glb")[0]
    assert len(m.appearance.texture_vertices) == len(m.vertices)
    assert not any("texture" in p.message for p in m.problems)
    out = tmp_path / "out" / "duck.city.json"
    out.parent.mkdir()
    run_convert(ConvertParams(input=MESH / "Duck.glb", output=out))
    doc = json.loads(out.read_text())
    schema = json.loads((ROOT / "resources/schemas/cityjson/2.0/cityjson.min.schema.json").read_text())
    assert [e.message for e in jsonschema_rs.validator_for(schema).iter_errors(doc)] == []
    assert doc["appearance"]["textures"] == [{"type": "PNG", "image": "Duck_image0.png"}]
    assert (out.parent / "Duck_image0.png").read_bytes() == _embedded(MESH / "Duck.glb")[0]
    back = read(out)
    np.testing.assert_allclose(back.appearance.texture_vertices, m.appearance.texture_vertices, atol=1e-6)


def test_glb_jpeg_stays_jpeg_and_identical_images_are_shared():
    path = shared_path("mesh", "gltf", "AlphaBlendModeTest.glb")
    m = read(path)
    raw = _embedded(path)
    by_mesh = {o.id: m.appearance.textures[o.geometry[0].textures["default"].ring_texture[0]]["image"] for o in m}
    assert by_mesh["BedMesh"] == "AlphaBlendModeTest_image2.jpg"  # the bed's base colour is image 2 (JPEG)
    i = next(k for k, t in enumerate(m.appearance.textures) if t["image"].endswith(".jpg"))
    assert m.appearance.textures[i]["type"] == "JPG"
    assert Path(m.appearance.image_path(i)).read_bytes() == raw[2]
    # images 0, 1, 6, 7, 8 are the same PNG: the eight arrow meshes share one texture file
    assert len({v for k, v in by_mesh.items() if k != "BedMesh"}) == 1
    assert len(m.appearance.textures) == 2


def test_textured_obj_exported_to_glb_by_trimesh_samples_the_same_colours(tmp_path):
    """A real textured OBJ made into a GLB by trimesh: every triangle samples the same colour
    through our GLB reading as through our OBJ reading (a flipped V axis would not)."""
    import trimesh

    scene = trimesh.load(str(MESH / "fuze.obj"), force="scene", process=False)
    glb = tmp_path / "fuze.glb"
    glb.write_bytes(scene.export(file_type="glb"))
    via_obj = read(MESH / "fuze.obj")
    via_glb = read(glb, up="z")
    assert len(via_glb.appearance.textures) == 1
    assert Path(via_glb.appearance.image_path(0)).read_bytes() == _embedded(glb)[0]
    a = _sample(via_obj, via_obj.appearance.image_path(0))
    b = _sample(via_glb, via_glb.appearance.image_path(0))
    assert a.shape == b.shape and a.std() > 20  # a real, varied texture
    assert np.median(np.abs(a - b).max(axis=1)) < 6  # JPEG -> trimesh re-encode: small differences only
    flipped = _sample(via_glb, via_glb.appearance.image_path(0), flip_v=True)
    assert np.median(np.abs(a - flipped).max(axis=1)) > 20  # the check can tell a flipped V axis


def test_glb_without_images_reads_untextured():
    m = read(shared_path("mesh", "gltf", "boolean.glb"))
    assert not m.appearance.textures


def test_gltf_images_reads_data_uris_and_png_magic():
    import base64

    import PIL.Image

    buf = io.BytesIO()
    PIL.Image.new("RGB", (2, 2), (255, 0, 0)).save(buf, format="PNG")
    uri = "data:application/octet-stream;base64," + base64.b64encode(buf.getvalue()).decode()
    (blob, ext), = gltf_images({"images": [{"uri": uri}]}, None, None)
    assert ext == "png" and blob == buf.getvalue()
