"""3D Tiles tilesets: ADD vs REPLACE refinement, external tilesets, a broken tile among good ones."""

from __future__ import annotations

import json

import numpy as np

from citytwin.io.registry import read
from tests.conftest import DATA

MESH = DATA / "mesh"
SPHERE = {"sphere": [0, 0, 0, 1e7]}


def _tile(uri=None, transform=None, children=None, refine=None) -> dict:
    t: dict = {"geometricError": 1, "boundingVolume": SPHERE}
    if uri:
        t["content"] = {"uri": uri}
    if transform is not None:
        m = np.eye(4)
        m[:3, 3] = transform
        t["transform"] = m.T.ravel().tolist()
    if children:
        t["children"] = children
    if refine:
        t["refine"] = refine
    return t


def _write(folder, name, root) -> None:
    (folder / name).write_text(json.dumps({"asset": {"version": "1.0"}, "geometricError": 10, "root": root}))


def _setup(tmp_path):
    for sub in ("a", "b"):
        (tmp_path / sub).mkdir(exist_ok=True)
        (tmp_path / sub / "Duck.b3dm").write_bytes((MESH / "Duck.b3dm").read_bytes())
    return read(MESH / "Duck.b3dm", upright=False)


def test_add_refinement_reads_parent_and_children_replace_only_children(tmp_path):
    single = _setup(tmp_path)
    n = len(single.vertices)
    for refine, want in (("ADD", 2), ("REPLACE", 1)):
        _write(tmp_path, "tileset.json", _tile("a/Duck.b3dm", refine=refine,
                                               children=[_tile("b/Duck.b3dm", transform=[0, 0, 10])]))
        m = read(tmp_path / "tileset.json", upright=False)
        assert len(m) == want and len(m.vertices) == want * n
        np.testing.assert_allclose(m.vertices[-n:], single.vertices + [0, 0, 10], atol=1e-6)  # the child


def test_external_tileset_is_walked_with_the_parent_transform(tmp_path):
    single = _setup(tmp_path)
    _write(tmp_path / "b", "tileset.json", _tile("Duck.b3dm"))
    _write(tmp_path, "tileset.json", _tile(transform=[100, 0, 0], refine="REPLACE",
                                           children=[_tile("b/tileset.json")]))
    m = read(tmp_path / "tileset.json", upright=False)
    np.testing.assert_allclose(m.vertices, single.vertices + [100, 0, 0], atol=1e-6)
    assert m.appearance.textures == [{"type": "PNG", "image": "b_Duck_image0.png"}]


def test_a_broken_tile_is_reported_and_the_rest_reads(tmp_path):
    single = _setup(tmp_path)
    (tmp_path / "b" / "Duck.b3dm").write_bytes((MESH / "Duck.b3dm").read_bytes()[:4000])
    _write(tmp_path, "tileset.json", _tile(refine="ADD", children=[_tile("a/Duck.b3dm"), _tile("b/Duck.b3dm"),
                                                                    _tile("c/missing.b3dm")]))
    m = read(tmp_path / "tileset.json", upright=False)
    assert len(m.vertices) == len(single.vertices)
    msgs = [p.message for p in m.problems]
    assert any("Duck.b3dm" in s and "truncated b3dm" in s for s in msgs)
    assert any("missing.b3dm" in s and "cannot be read" in s for s in msgs)
