"""Colour a layer by the direction its triangles face: roof-like, wall-like, ground-like.

Meshes (photogrammetry scans, OBJ/PLY/STL/glTF) carry no semantics, so "semantic" colouring
draws them in one colour. This colouring labels each triangle by the rules of the mesh fusion
(:func:`citytwin.semantics.mesh_labels.label_mesh`, without footprints): steep faces are
wall-like, upward faces more than 1 m above the local terrain (the lowest vertex per 5 m cell)
are roof-like, upward faces at the terrain are ground-like, and downward faces above it are
overhangs. The legend says these come from the normals, not from the file.
"""

from __future__ import annotations

import numpy as np

from citytwin.app.render.coloring import Coloring
from citytwin.app.render.palette import SEMANTIC_COLORS, semantic_rgb
from citytwin.mesh.triangles import TriangleMesh

#: The colour mode's name (in the Layers panel's colour list).
ORIENTATION_MODE = "orientation (from normals)"

_LABELS = {"RoofSurface": "roof-like (faces up, above the ground)",
           "WallSurface": "wall-like (steep)",
           "GroundSurface": "ground-like (faces up, at the ground)",
           "OuterCeilingSurface": "overhang (faces down)"}


def orientation_codes(tri: TriangleMesh, wall_nz: float = 0.3, ground_height: float = 1.0,
                      terrain_cell: float = 5.0) -> np.ndarray:
    """Semantic codes (t,) int16 of the triangles of ``tri`` from their normals and heights.

    The rules are :func:`~citytwin.semantics.mesh_labels.label_mesh`'s; the local terrain is the
    lowest *vertex* per ``terrain_cell`` cell (walls reach down to the ground), so that a mesh of
    buildings without any ground around them does not take its roofs for the terrain.

    Parameters
    ----------
    tri : the triangulated layer (z up, metres)
    wall_nz : faces with ``|n_z|`` below this are wall-like
    ground_height : metres above the local terrain from which upward faces are roof-like
    terrain_cell : metres, the cell of the terrain grid
    """
    from citytwin.semantics.mesh_labels import CEILING, GROUND, ROOF, WALL, centroids_and_nz, terrain_heights

    if tri.n_triangles == 0:
        return np.zeros(0, np.int16)
    verts = np.asarray(tri.vertices, dtype=np.float64)
    cen, nz = centroids_and_nz(verts[tri.triangles])
    used = verts[np.unique(tri.triangles)]
    pts = np.concatenate([used, cen])
    is_vertex = np.zeros(len(pts), bool)
    is_vertex[:len(used)] = True
    terrain = terrain_heights(pts, is_vertex, terrain_cell)[len(used):]
    high = cen[:, 2] - terrain > ground_height
    out = np.full(len(cen), WALL, dtype=np.int16)
    up, down = nz >= wall_nz, nz <= -wall_nz
    out[up & high] = ROOF
    out[up & ~high] = GROUND
    out[down & high] = CEILING
    out[down & ~high] = GROUND
    return out


def color_orientation(tri: TriangleMesh) -> Coloring:
    """The orientation colouring of ``tri`` (semantic colours, legend naming the normal classes)."""
    from citytwin.semantics.surfaces import SEMANTIC_TYPES

    codes = orientation_codes(tri)
    legend = []
    for c in np.unique(codes).tolist():
        name = SEMANTIC_TYPES[c]
        legend.append((_LABELS.get(name, name), SEMANTIC_COLORS[name]))
    return Coloring("semantic", "surface orientation (from normals, not semantics)", rgb=semantic_rgb(codes),
                    legend=legend)
