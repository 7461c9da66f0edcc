"""Orientation of solid shells in the triangulated view.

CityJSON and CityGML want the exterior shell of a solid oriented outward (its polygons
counter-clockwise seen from outside, so the signed volume is positive) and interior shells
(cavities) oriented inward. A file whose shells are the other way round gives normals that
point into the building: roofs face down and every analysis that looks at the normal (solar,
shadow, sky view) gets zero. The checks here are vectorised over the whole triangle soup: per
shell, the sum of the triangles' signed volumes (numpy ``bincount``).
"""

from __future__ import annotations

import numpy as np

#: A shell counts as closed when the length of the sum of its triangles' area vectors is below
#: this share of its total area (for a closed surface that sum is exactly zero; the signed volume
#: of an open shell depends on the origin and says nothing about orientation).
CLOSED_TOLERANCE = 1e-3

#: The problem message for a wrongly oriented shell (val3dity error 308; 307 when only some
#: polygons of a shell are reversed, which this check does not see).
WRONG_ORIENTATION = ("solid shell oriented the wrong way (val3dity 308 ALL_POLYGONS_WRONGLY_ORIENTED: "
                     "signed volume {volume:.1f} m3); its triangles are turned to face outward for "
                     "analyses and views")


def shell_labels(shell_offsets: np.ndarray | None, solid_offsets: np.ndarray | None,
                 n_surfaces: int) -> tuple[np.ndarray, np.ndarray] | None:
    """Shell of each surface and whether each shell is an exterior shell.

    Parameters
    ----------
    shell_offsets : (h+1,) int64 or None, surfaces of each shell
    solid_offsets : (d+1,) int64 or None, shells of each solid (None: one solid)
    n_surfaces : number of surfaces of the geometry

    Returns
    -------
    None when the geometry has no shells, else (shell (n_surfaces,) int64, local shell index of
    each surface, -1 outside any shell; exterior (h,) bool)
    """
    if shell_offsets is None or len(shell_offsets) < 2:
        return None
    if len(shell_offsets) == 2 and solid_offsets is None and shell_offsets[0] == 0 \
            and shell_offsets[1] == n_surfaces:
        # the common case, a Solid of one shell holding every surface
        return np.zeros(n_surfaces, np.int64), np.ones(1, bool)
    h = len(shell_offsets) - 1
    shell = np.full(n_surfaces, -1, np.int64)
    counts = np.diff(shell_offsets)
    shell[int(shell_offsets[0]):int(shell_offsets[-1])] = np.repeat(np.arange(h), counts)
    exterior = np.zeros(h, bool)
    firsts = np.asarray(solid_offsets[:-1] if solid_offsets is not None else [0], np.int64)
    exterior[firsts[firsts < h]] = True
    return shell, exterior


def wrong_shells(points: np.ndarray, triangles: np.ndarray, shell: np.ndarray,
                 exterior: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Closed shells whose orientation is the wrong way round.

    Parameters
    ----------
    points : (v, 3) float64, vertices in a local frame (metres, origin near the data)
    triangles : (t, 3) int64, vertex indices
    shell : (t,) int64, shell of each triangle, -1 for triangles outside any shell
    exterior : (h,) bool, True for exterior shells (should have positive volume)

    Returns
    -------
    (wrong (h,) bool, volume (h,) float64 signed volume of each shell, m3)
    """
    h = len(exterior)
    inside = shell >= 0
    if h == 0 or not inside.any():
        return np.zeros(h, bool), np.zeros(h)
    t = triangles[inside]
    s = shell[inside]
    a, b, c = points[t[:, 0]], points[t[:, 1]], points[t[:, 2]]
    cr = np.cross(b - a, c - a)
    vol = np.bincount(s, weights=np.einsum("ij,ij->i", a, np.cross(b, c)) / 6.0, minlength=h)
    area = np.bincount(s, weights=0.5 * np.linalg.norm(cr, axis=1), minlength=h)
    svec = np.stack([np.bincount(s, weights=0.5 * cr[:, k], minlength=h) for k in range(3)], axis=1)
    closed = (area > 0) & (np.linalg.norm(svec, axis=1) <= CLOSED_TOLERANCE * area)
    wrong = closed & np.where(exterior, vol < 0, vol > 0)
    return wrong, vol
