"""Colour a layer by the direction its triangles face: roof-like, wall-like, ground-like.

Meshes (photogrammetry scans, OBJ/PLY/STL/glTF) carry no semantics, so "semantic" colouring
draws them in one colour. This colouring labels each triangle by the rules of the mesh fusion
(:func:`citytwin.semantics.mesh_labels.label_mesh`, without footprints): steep faces are
wall-like, upward faces more than 1 m above the local terrain (the lowest vertex within about
12 m) are roof-like, upward faces at the terrain are ground-like, and downward faces above it are
overhangs. The legend says these come from the normals, not from the file.
"""

from __future__ import annotations

import numpy as np

from citytwin.app.render.palette import SEMANTIC_COLORS, semantic_rgb
from citytwin.mesh.triangles import TriangleMesh

#: The colour mode's name (in the Layers panel's colour list).
ORIENTATION_MODE = "orientation (from normals)"

_LABELS = {"RoofSurface": "roof-like (faces up, above the ground)",
           "WallSurface": "wall-like (steep)",
           "GroundSurface": "ground-like (faces up, at the ground)",
           "OuterCeilingSurface": "overhang (faces down)"}


def local_terrain(vertices: np.ndarray, points: np.ndarray, cell: float = 5.0, reach: int = 2) -> np.ndarray:
    """Terrain height (p,) float64 under each of ``points`` (p, 3): the lowest of ``vertices``
    (v, 3) within ``reach`` cells of ``cell`` metres around the point's cell.

    Walls reach down to the ground, so the lowest vertex near a roof is at its eaves' foot; the
    neighbourhood (default 25 m x 25 m) covers roofs whose middle is far from any wall. Cells
    with no vertex in reach take the nearest reached cell's height. On a slope the terrain is
    taken up to ``reach * cell * slope`` metres too low.
    """
    from scipy.ndimage import minimum_filter

    x0, y0 = min(vertices[:, 0].min(), points[:, 0].min()), min(vertices[:, 1].min(), points[:, 1].min())

    def cells(p):
        return ((p[:, 0] - x0) / cell).astype(np.int64), ((p[:, 1] - y0) / cell).astype(np.int64)

    vi, vj = cells(vertices)
    pi, pj = cells(points)
    nx, ny = int(max(vi.max(), pi.max())) + 1, int(max(vj.max(), pj.max())) + 1
    grid = np.full((nx, ny), np.inf)
    np.minimum.at(grid, (vi, vj), vertices[:, 2])
    grid = minimum_filter(grid, size=2 * reach + 1, mode="constant", cval=np.inf)
    have = np.isfinite(grid)
    if not have.all():
        from scipy.spatial import cKDTree

        good, bad = np.argwhere(have), np.argwhere(~have)
        _, nn = cKDTree(good).query(bad)
        grid[~have] = grid[tuple(good[nn].T)]
    return grid[pi, pj]


def orientation_codes(tri: TriangleMesh, wall_nz: float = 0.3, ground_height: float = 1.0,
                      terrain_cell: float = 5.0) -> np.ndarray:
    """Semantic codes (t,) int16 of the triangles of ``tri`` from their normals and heights.

    The rules are :func:`~citytwin.semantics.mesh_labels.label_mesh`'s; the local terrain is
    :func:`local_terrain` (the lowest vertex nearby: walls reach down to the ground), so that a
    mesh of buildings without any ground around them does not take its roofs for the terrain.

    Parameters
    ----------
    tri : the triangulated layer (z up, metres)
    wall_nz : faces with ``|n_z|`` below this are wall-like
    ground_height : metres above the local terrain from which upward faces are roof-like
    terrain_cell : metres, the cell of the terrain grid
    """
    from citytwin.semantics.mesh_labels import CEILING, GROUND, ROOF, WALL, centroids_and_nz

    if tri.n_triangles == 0:
        return np.zeros(0, np.int16)
    verts = np.asarray(tri.vertices, dtype=np.float64)
    cen, nz = centroids_and_nz(verts[tri.triangles])
    terrain = local_terrain(verts[np.unique(tri.triangles)], cen, terrain_cell)
    high = cen[:, 2] - terrain > ground_height
    out = np.full(len(cen), WALL, dtype=np.int16)
    up, down = nz >= wall_nz, nz <= -wall_nz
    out[up & high] = ROOF
    out[up & ~high] = GROUND
    out[down & high] = CEILING
    out[down & ~high] = GROUND
    return out


def color_orientation(tri: TriangleMesh):
    """The orientation :class:`~citytwin.app.render.coloring.Coloring` of ``tri`` (semantic
    colours, a legend naming the normal classes)."""
    from citytwin.app.render.coloring import Coloring
    from citytwin.semantics.surfaces import SEMANTIC_TYPES

    codes = orientation_codes(tri)
    legend = []
    for c in np.unique(codes).tolist():
        name = SEMANTIC_TYPES[c]
        legend.append((_LABELS.get(name, name), SEMANTIC_COLORS[name]))
    return Coloring("semantic", "surface orientation (from normals, not semantics)", rgb=semantic_rgb(codes),
                    legend=legend)
