"""The LoD 2.2 envelope built straight into arrays equals the surface-list construction."""

from __future__ import annotations

import numpy as np
import pytest

from citytwin.io.ifc.envelope import _shell, envelope_geometry
from citytwin.semantics.geometry import make_surface_geometry


def _reference(faces, boundary, n, start, steep):
    roof = [[f + start] for f in faces]
    walls = [[np.array([a + n, b + n, b, a]) + start] for a, b in boundary]
    ground = [[f[::-1] + n + start] for f in faces]
    sem = np.where(steep, "WallSurface", "RoofSurface").tolist() + ["WallSurface"] * len(walls) \
        + ["GroundSurface"] * len(ground)
    s = roof + walls + ground
    return make_surface_geometry("Solid", "2.2", s, shells=[len(s)], semantic_types=sem)


@pytest.mark.parametrize("steep", [[False, False], [True, False], [True, True], [False, True]])
@pytest.mark.parametrize("with_walls", [True, False])
def test_shell_arrays_match_make_surface_geometry(steep, with_walls):
    faces = np.array([[0, 1, 2], [0, 2, 3]])
    boundary = np.array([[0, 1], [1, 2], [2, 3], [3, 0]]) if with_walls else np.zeros((0, 2), dtype=np.int64)
    steep = np.array(steep)
    g = _shell(faces, boundary, 4, 10, steep, "2.2")
    ref = _reference(faces, boundary, 4, 10, steep)
    for k in ("indices", "ring_offsets", "surface_offsets", "shell_offsets"):
        np.testing.assert_array_equal(getattr(g, k), getattr(ref, k))
    assert g.semantics.surfaces == ref.semantics.surfaces
    np.testing.assert_array_equal(g.semantics.values, ref.semantics.values)


def test_box_envelope_is_closed_with_roof_walls_ground():
    # a 10 x 6 x 4 m box as 12 triangles
    x, y, z = np.meshgrid([0.0, 10.0], [0.0, 6.0], [0.0, 4.0], indexing="ij")
    v = np.c_[x.ravel(), y.ravel(), z.ravel()]
    import scipy.spatial

    tris = v[scipy.spatial.ConvexHull(v).simplices]
    g, pts = envelope_geometry(tris)
    types = g.surface_types()
    assert {"RoofSurface", "WallSurface", "GroundSurface"} == set(types)
    # closed: every directed edge of the shell has its reverse
    edges = set()
    for k in range(g.n_rings):
        r = g.ring(k)
        edges |= {(int(a), int(b)) for a, b in zip(r, np.roll(r, -1))}
    assert all((b, a) in edges for a, b in edges)
    roof = [k for k, t in enumerate(types) if t == "RoofSurface"]
    assert np.allclose(pts[np.concatenate([g.ring(k) for k in roof])][:, 2], 4.0)
