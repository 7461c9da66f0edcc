"""Tiles on the real Delft file (570 objects, EPSG:7415): a grid split loses and repeats nothing,
a tile's scene keeps the tile intact and adds exactly the neighbours' objects within the buffer,
and the neighbour search of ``batch`` finds the adjacent tiles."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from citytwin.app.commands.batch_solar import neighbours
from citytwin.io.registry import read, write
from citytwin.semantics.compare import diff_models
from citytwin.semantics.tiles import near, split_grid, translated, with_context, xy_bounds


@pytest.fixture(scope="module")
def delft(shared_data: Path):
    return read(shared_data / "cityjson" / "delft_v2.0.city.json")


def test_split_grid_partitions_the_objects(delft) -> None:
    tiles = split_grid(delft, 200.0)
    assert len(tiles) >= 4 and (1, 0) in tiles  # 525 m x 328 m; cells without an object centre are absent
    ids = [oid for t in tiles.values() for oid in t.objects]
    assert sorted(ids) == sorted(delft.objects) and len(ids) == len(set(ids))
    ox, oy = xy_bounds(delft)[:2]
    boxes = delft.object_bboxes()
    for (c, r), t in tiles.items():
        for o in t.roots():
            b = boxes[o.id]
            assert ox + c * 200 <= (b[0] + b[3]) / 2 < ox + (c + 1) * 200
            assert oy + r * 200 <= (b[1] + b[4]) / 2 < oy + (r + 1) * 200


def test_with_context_adds_neighbours_within_buffer(delft, tmp_path: Path) -> None:
    delft = delft.subset([o.id for o in delft.by_type("Building")])  # 160 buildings
    tiles = split_grid(delft, 100.0)
    tile = tiles[(1, 0)]
    others = [t for k, t in tiles.items() if k != (1, 0)]
    scene, own = with_context(tile, others, 30.0)
    assert own == list(tile.objects)
    assert list(scene.objects)[: len(own)] == own
    assert all(scene.objects[i] is tile.objects[i] for i in own)  # the tile's objects themselves
    assert np.array_equal(scene.vertices[: len(tile.vertices)], tile.vertices)
    box = xy_bounds(tile) + np.array([-30, -30, 30, 30])
    expected = sorted({i for t in others for r in near(t, box) for i in [r, *t.descendants(r)]})
    ctx = sorted(set(scene.objects) - set(own))
    assert ctx == expected and 10 < len(ctx) < len(delft) - len(own)
    # context geometry is the neighbours' geometry, moved to the scene's vertex pool
    for oid in ctx[:20]:
        a = [delft.geometry_vertices(g) for g in delft.objects[oid].geometry]
        b = [scene.geometry_vertices(g) for g in scene.objects[oid].geometry]
        assert all(np.array_equal(x, y) for x, y in zip(a, b))
    assert len(scene.triangulate()) > len(tile.triangulate())
    # writing back only the tile's objects gives the tile
    out = tmp_path / "tile.city.json"
    write(scene.subset(own, with_relatives=False), out)
    assert diff_models(tile, read(out)) == []
    assert len(with_context(tile, others, 0.0)[0]) < len(scene)


def test_translated_and_neighbours(delft) -> None:
    w = xy_bounds(delft)
    dx = w[2] - w[0] + 50.0
    right = translated(delft, dx, 0.0)
    assert np.allclose(xy_bounds(right), w + [dx, 0, dx, 0])
    far = translated(delft, 0.0, 10_000.0)
    tiles = [{"bounds": list(xy_bounds(m)), "crs": "EPSG:7415"} for m in (delft, right, far)]
    assert neighbours(tiles, 100.0) == [[1], [0], []]
    assert neighbours(tiles, 10.0) == [[], [], []]
    tiles[1]["crs"] = "EPSG:28992"  # other CRS: never a neighbour
    assert neighbours(tiles, 100.0) == [[], [], []]
    assert neighbours([None, tiles[0]], 100.0) == [[], []]
