"""Bulk triangulation: holes, concave polygons, orientation, degenerate and non-planar input."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from citytwin.mesh.triangulate import NON_PLANAR, OK, TOO_FEW_POINTS, ZERO_AREA, triangulate_polygons


def _area(v, tris):
    p = v[tris]
    return 0.5 * np.linalg.norm(np.cross(p[:, 1] - p[:, 0], p[:, 2] - p[:, 0]), axis=1).sum()


def test_square_with_hole_concave_l_and_quad_orientation() -> None:
    v = np.array([
        # square 10x10 with a 2x2 hole (vertical, in the xz plane)
        [0, 0, 0], [10, 0, 0], [10, 0, 10], [0, 0, 10], [4, 0, 4], [4, 0, 6], [6, 0, 6], [6, 0, 4],
        # concave L in the xy plane, counter-clockwise seen from +z
        [0, 0, 5], [4, 0, 5], [4, 2, 5], [2, 2, 5], [2, 4, 5], [0, 4, 5],
        # concave (dart) quad
        [0, 0, 0], [4, 0, 0], [1, 1, 0], [0, 4, 0],
    ], dtype=float)
    indices = np.arange(len(v))
    ring_offsets = np.array([0, 4, 8, 14, 18])
    surface_offsets = np.array([0, 2, 3, 4])
    t = triangulate_polygons(v, indices, ring_offsets, surface_offsets)
    assert (t.status == OK).all()
    tris = indices[t.corners]
    area = [_area(v, tris[t.surface == j]) for j in range(3)]
    assert np.allclose(area, [96.0, 12.0, 4.0])
    # every triangle faces like its polygon
    n = np.cross(v[tris[:, 1]] - v[tris[:, 0]], v[tris[:, 2]] - v[tris[:, 0]])
    assert (np.einsum("ij,ij->i", n, t.normals[t.surface]) > 0).all()
    assert np.allclose(t.normals[1], [0, 0, 1]) and np.allclose(t.normals[0], [0, -1, 0])


def test_degenerate_and_non_planar_are_flagged_not_fatal() -> None:
    v = np.array([[0, 0, 0], [1, 0, 0], [2, 0, 0],           # collinear: zero area
                  [0, 0, 0], [1, 0, 0],                      # two points
                  [0, 0, 0], [1, 0, 0], [1, 1, 0.5], [0, 1, 0], [-.5, .5, 0]],  # non-planar pentagon
                 dtype=float)
    indices = np.arange(len(v))
    t = triangulate_polygons(v, indices, np.array([0, 3, 5, 10]), np.array([0, 1, 2, 3]))
    assert t.status.tolist() == [ZERO_AREA, TOO_FEW_POINTS, NON_PLANAR]
    assert set(t.surface.tolist()) == {2} and len(t.corners) == 3


def test_large_coordinates_keep_precision() -> None:
    base = np.array([85000.0, 446000.0, 0.0])
    v = base + np.array([[0, 0, 0], [0.01, 0, 0], [0.01, 0.01, 0], [0, 0.01, 0]])
    t = triangulate_polygons(v, np.arange(4), np.array([0, 4]), np.array([0, 1]))
    assert t.status[0] == OK and np.isclose(_area(v, np.arange(4)[t.corners]), 1e-4)


def test_blocks_give_the_same_triangulation(monkeypatch) -> None:
    """Working through polygons in blocks (bounded memory) changes nothing in the result."""
    import citytwin.mesh.triangulate as tri_mod
    from citytwin.io.registry import read

    model = read(Path(__file__).resolve().parents[1] / "data" / "cityjson" / "3dbag_b2_v2.0.city.json")
    whole = model.triangulate()
    problems = len(model.problems)
    model.touch()
    monkeypatch.setattr(tri_mod, "_BLOCK_CORNERS", 7)  # many tiny blocks
    blocks = model.triangulate()
    assert blocks is not whole
    for name in ("triangles", "object_index", "surface_index", "semantic_type"):
        assert np.array_equal(getattr(whole, name), getattr(blocks, name)), name
    assert len(model.problems) == 2 * problems  # the same problems reported again, no more


def test_progress_per_block_and_stop(monkeypatch) -> None:
    """``on_progress`` is called once per block with increasing fractions ending at 1; when it
    raises, the triangulation stops there and the model caches nothing."""
    import pytest

    import citytwin.mesh.triangulate as tri_mod
    from citytwin.io.registry import read

    model = read(Path(__file__).resolve().parents[1] / "data" / "cityjson" / "3dbag_b2_v2.0.city.json")
    whole = model.triangulate()
    model.touch()
    problems = len(model.problems)
    monkeypatch.setattr(tri_mod, "_BLOCK_CORNERS", 40)
    seen: list[float] = []
    counted = []
    real_block = tri_mod._triangulate_block
    monkeypatch.setattr(tri_mod, "_triangulate_block", lambda *a: (counted.append(1), real_block(*a))[1])
    blocks = model.triangulate(on_progress=seen.append)
    assert len(counted) > 5
    assert np.array_equal(blocks.triangles, whole.triangles)
    assert len(seen) > 5 and all(b > a for a, b in zip(seen, seen[1:])) and seen[-1] == pytest.approx(0.97)
    model.touch()
    n_blocks = []

    class Stop(Exception):
        pass

    calls = []
    monkeypatch.setattr(tri_mod, "_triangulate_block", lambda *a: (n_blocks.append(1), real_block(*a))[1])

    def stop_in_triangulation(f: float) -> None:
        calls.append(f)
        if f > 0.45:  # past gathering: inside the triangulation of the polygons
            raise Stop

    with pytest.raises(Stop):
        model.triangulate(on_progress=stop_in_triangulation)
    assert len(n_blocks) == 1  # stopped after the first of the many blocks
    assert ("tri", None, None) not in model._cache and len(model.problems) == problems
    again = model.triangulate()  # and works afterwards
    assert np.array_equal(again.triangles, whole.triangles)


def test_earcut_triangles_cover_each_real_polygon_exactly() -> None:
    """On real LoD2 files (3D BAG: walls of 5+ corners; Rotterdam: roofs of up to 12), the
    triangles of every polygon that went through earcut have the polygon's area (oracle: the
    Newell area of its exterior ring minus its holes', both measured across the polygon's normal,
    which holds exactly for a slightly non-planar polygon too), and every triangle faces like it."""
    from citytwin.io.registry import read

    root = Path(__file__).resolve().parents[1] / "data" / "cityjson"
    for name in ("3dbag_b2_v2.0.city.json", "rotterdam_textured/rotterdam_subset_v2.0.city.json"):
        model = read(root / name)
        idx, ro, so = [], [0], [0]
        for o in model.objects.values():
            for g in o.geometry:
                if g.ring_offsets is None or g.surface_offsets is None or g.n_surfaces == 0:
                    continue
                base = ro[-1]
                idx.append(g.indices)
                so.extend((g.surface_offsets[1:] + len(ro) - 1).tolist())
                ro.extend((g.ring_offsets[1:] + base).tolist())
        idx = np.concatenate(idx)
        ro, so = np.asarray(ro), np.asarray(so)
        res = triangulate_polygons(model.vertices, idx, ro, so)
        pts = model.vertices[idx] - model.vertices[idx[0]]
        n_big = 0
        for j in np.nonzero(res.status == OK)[0]:
            rings = [pts[ro[r]:ro[r + 1]] for r in range(so[j], so[j + 1])]
            if len(rings) == 1 and len(rings[0]) <= 4:
                continue  # triangles and quads do not go through earcut
            n_big += 1
            newell = [0.5 * np.linalg.norm(np.cross(r, np.roll(r, -1, axis=0)).sum(axis=0)) for r in rings]
            expect = newell[0] - sum(newell[1:])
            mine = res.surface == j
            p = pts[res.corners[mine]]
            across = np.einsum("ij,j->i", np.cross(p[:, 1] - p[:, 0], p[:, 2] - p[:, 0]), res.normals[j]) / 2
            assert (across >= 0).all()
            assert abs(across.sum() - expect) <= 1e-6 * max(newell[0], 1e-9), (name, j, across.sum(), expect)
        assert n_big > 10, name
