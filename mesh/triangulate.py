"""Triangulation of planar polygons with holes, in bulk.

Triangles and convex-or-concave quads are split with numpy in one pass; other polygons go
through mapbox-earcut after projecting on the plane orthogonal to the dominant axis of their
Newell normal (computed for all polygons at once). Each triangle is oriented like its polygon.

Nothing here raises on bad geometry: polygons with fewer than 3 vertices or zero area are
skipped and flagged, non-planar ones are triangulated best-effort and flagged.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from citytwin.progress import ProgressArg, report

#: Status codes per polygon.
OK, TOO_FEW_POINTS, ZERO_AREA, NON_PLANAR, EARCUT_FAILED = 0, 1, 2, 3, 4
STATUS_MESSAGES = {
    TOO_FEW_POINTS: "polygon has fewer than 3 distinct vertices (skipped)",
    ZERO_AREA: "polygon has zero area (skipped)",
    NON_PLANAR: "polygon is not planar (triangulated best-effort)",
    EARCUT_FAILED: "polygon could not be fully triangulated (self-intersecting?)",
}


@dataclass(frozen=True)
class Triangulation:
    """Result of :func:`triangulate_polygons`.

    Attributes
    ----------
    corners : (t, 3) int64
        Positions into the input ``indices`` array of the three corners of each triangle
        (so ``indices[corners]`` are vertex indices and per-corner data such as UVs follows).
    surface : (t,) int64
        Polygon index of each triangle.
    normals : (s, 3) float64
        Unit Newell normal per polygon (zeros where degenerate).
    status : (s,) int8
        OK, TOO_FEW_POINTS, ZERO_AREA, NON_PLANAR or EARCUT_FAILED per polygon.
    """

    corners: np.ndarray
    surface: np.ndarray
    normals: np.ndarray
    status: np.ndarray


def ring_next(ring_offsets: np.ndarray, n: int) -> np.ndarray:
    """(n,) int64: position of the next corner in the same ring (wrapping at ring ends)."""
    nxt = np.arange(1, n + 1, dtype=np.int64)
    ends = ring_offsets[1:]
    starts = ring_offsets[:-1]
    nonempty = ends > starts
    nxt[ends[nonempty] - 1] = starts[nonempty]
    return nxt


def _cross_cols(ax, ay, az, bx, by, bz):
    return ay * bz - az * by, az * bx - ax * bz, ax * by - ay * bx


def newell_normals(pts: np.ndarray, ring_offsets: np.ndarray) -> np.ndarray:
    """Unnormalised Newell normal of every ring.

    Parameters
    ----------
    pts : (n, 3) float64, ring corners, ring after ring (shift to a local origin first)
    ring_offsets : (r+1,) int64

    Returns
    -------
    (r, 3) float64, twice the vector area of each ring (zero for empty rings).
    """
    n = len(pts)
    r = len(ring_offsets) - 1
    out = np.zeros((r, 3), dtype=np.float64)
    if n == 0 or r == 0:
        return out
    nxt = ring_next(ring_offsets, n)
    x, y, z = pts[:, 0], pts[:, 1], pts[:, 2]
    cx, cy, cz = _cross_cols(x, y, z, x[nxt], y[nxt], z[nxt])  # sum p_i x p_{i+1} = 2 * area vector
    starts = ring_offsets[:-1]
    nonempty = ring_offsets[1:] > starts
    if nonempty.any():
        st = starts[nonempty]
        out[nonempty, 0] = np.add.reduceat(cx, st)
        out[nonempty, 1] = np.add.reduceat(cy, st)
        out[nonempty, 2] = np.add.reduceat(cz, st)
    return out


def _tri_normals(p0: np.ndarray, p1: np.ndarray, p2: np.ndarray) -> np.ndarray:
    a = p1 - p0
    b = p2 - p0
    c = np.empty_like(a)
    c[:, 0], c[:, 1], c[:, 2] = _cross_cols(a[:, 0], a[:, 1], a[:, 2], b[:, 0], b[:, 1], b[:, 2])
    return c


def _plane_distances(pts: np.ndarray, ring_offsets: np.ndarray, surface_offsets: np.ndarray,
                     unit: np.ndarray, block: int = 1 << 20) -> np.ndarray:
    """Largest distance (m) of each polygon's corners from the plane through their mean with
    normal ``unit``; (s,) float64. Worked through in blocks of about ``block`` corners so the
    temporaries stay small whatever the model size."""
    s = len(surface_offsets) - 1
    corner_start = ring_offsets[surface_offsets[:-1]]
    corner_end = ring_offsets[surface_offsets[1:]]
    dmax = np.zeros(s)
    j0 = 0
    while j0 < s:
        j1 = int(np.searchsorted(corner_start, corner_start[j0] + block, side="right"))
        j1 = min(max(j1, j0 + 1), s)
        c0, c1 = int(corner_start[j0]), int(corner_end[j1 - 1])
        count = corner_end[j0:j1] - corner_start[j0:j1]
        nz = count > 0
        if nz.any():
            local = pts[c0:c1]
            st = (corner_start[j0:j1] - c0)[nz]
            centroid = np.zeros((j1 - j0, 3))
            for k in range(3):
                centroid[nz, k] = np.add.reduceat(local[:, k], st)
            centroid /= np.maximum(count, 1)[:, None]
            owner = np.repeat(np.arange(j1 - j0), count)
            u = unit[j0:j1][owner]
            rel = local - centroid[owner]
            d = np.abs(np.einsum("ij,ij->i", rel, u))
            dmax[j0:j1][nz] = np.maximum.reduceat(d, st)
        j0 = j1
    return dmax


def triangulate_polygons(vertices: np.ndarray, indices: np.ndarray, ring_offsets: np.ndarray,
                         surface_offsets: np.ndarray, planarity_tol: float = 0.01,
                         origin: np.ndarray | None = None,
                         on_progress: ProgressArg | None = None) -> Triangulation:
    """Triangulate many polygons with holes.

    Parameters
    ----------
    vertices : (v, 3) float64, metres
    indices : (n,) int64, vertex index of each ring corner
    ring_offsets : (r+1,) int64, ring k = ``indices[ring_offsets[k]:ring_offsets[k+1]]``
    surface_offsets : (s+1,) int64, polygon j = rings ``surface_offsets[j]:surface_offsets[j+1]``,
        exterior first
    planarity_tol : float, metres: a polygon whose corners leave its best plane by more is flagged
    origin : (3,) float64, subtracted before computing (default: first vertex) for precision
    on_progress : :class:`~citytwin.progress.ProgressReporter` (or ``fn(fraction)``), told the fraction
        of corners done after each block of about
        ``_BLOCK_CORNERS`` corners (a fraction of a second of work); it may raise to stop

    Returns
    -------
    Triangulation
    """
    s = len(surface_offsets) - 1
    if origin is None and len(indices):
        origin = vertices[indices[0]]
    corner_start = ring_offsets[surface_offsets[:-1]] if s > 0 else np.zeros(0, np.int64)
    if s <= 0 or len(indices) <= _BLOCK_CORNERS:
        whole = _triangulate_block(vertices, indices, ring_offsets, surface_offsets, planarity_tol, origin)
        report(on_progress, 1.0)
        return whole
    # polygons are independent: work through blocks of ~_BLOCK_CORNERS corners so the numpy
    # temporaries (~100 bytes per corner) stay bounded whatever the model size
    parts = []
    j0 = 0
    while j0 < s:
        j1 = int(np.searchsorted(corner_start, corner_start[j0] + _BLOCK_CORNERS, side="left"))
        j1 = min(max(j1, j0 + 1), s)
        r0, r1 = int(surface_offsets[j0]), int(surface_offsets[j1])
        c0, c1 = int(ring_offsets[r0]), int(ring_offsets[r1])
        part = _triangulate_block(vertices, indices[c0:c1], ring_offsets[r0:r1 + 1] - c0,
                                  surface_offsets[j0:j1 + 1] - r0, planarity_tol, origin)
        parts.append((part, c0, j0))
        report(on_progress, c1 / len(indices))
        j0 = j1
    return Triangulation(
        np.concatenate([p.corners + c0 for p, c0, _ in parts]),
        np.concatenate([p.surface + j0 for p, _, j0 in parts]),
        np.concatenate([p.normals for p, _, _ in parts]),
        np.concatenate([p.status for p, _, _ in parts]),
    )


_BLOCK_CORNERS = 1 << 19

#: relative area difference under which earcut's triangles are taken to cover their polygon
_COVER_RTOL = 1e-6


def _covers(xy: np.ndarray, ends: np.ndarray, tri: np.ndarray) -> bool:
    """True when earcut's triangles cover the polygon's projected area.

    Earcut leaves out repeated and collinear corners (it emits no zero-area triangles), so a
    polygon with such corners, e.g. ones made exactly collinear by snapping to a grid, gets
    fewer than ``m - 2 + 2 * holes`` triangles with nothing missing. Only a shortfall of *area*
    is a failed triangulation.

    Parameters
    ----------
    xy : (m, 2) float64, the polygon's corners projected on its plane, rings one after another
    ends : (k,) uint32, end of each ring in ``xy`` (exterior first)
    tri : (3t,) corner positions in ``xy`` of earcut's triangles
    """
    def shoelace(p: np.ndarray) -> float:
        x, y = p[:, 0], p[:, 1]
        return 0.5 * abs(float(np.dot(x, np.roll(y, -1)) - np.dot(y, np.roll(x, -1))))

    starts = np.concatenate([[0], ends[:-1]]).astype(np.int64)
    rings = [shoelace(xy[a:b]) for a, b in zip(starts.tolist(), ends.astype(np.int64).tolist()) if b - a >= 3]
    if not rings:
        return False
    poly = rings[0] - sum(rings[1:])
    t = np.asarray(tri, dtype=np.int64).reshape(-1, 3)
    if len(t) == 0:
        return poly <= 0
    a, b, c = xy[t[:, 0]], xy[t[:, 1]], xy[t[:, 2]]
    tri_area = 0.5 * float(np.abs((b[:, 0] - a[:, 0]) * (c[:, 1] - a[:, 1])
                                  - (b[:, 1] - a[:, 1]) * (c[:, 0] - a[:, 0])).sum())
    return abs(tri_area - poly) <= _COVER_RTOL * max(rings[0], 1e-300)


def _triangulate_block(vertices: np.ndarray, indices: np.ndarray, ring_offsets: np.ndarray,
                       surface_offsets: np.ndarray, planarity_tol: float,
                       origin: np.ndarray | None) -> Triangulation:
    """:func:`triangulate_polygons` on one block of polygons (same arguments and result)."""
    import mapbox_earcut

    s = len(surface_offsets) - 1
    n = len(indices)
    status = np.zeros(s, dtype=np.int8)
    if s <= 0 or n == 0:
        return Triangulation(np.zeros((0, 3), np.int64), np.zeros(0, np.int64),
                             np.zeros((max(s, 0), 3)), np.full(max(s, 0), TOO_FEW_POINTS, np.int8))
    if origin is None:
        origin = vertices[indices[0]]
    pts = vertices[indices] - origin  # (n, 3) corners, local
    ring_len = np.diff(ring_offsets)
    n_rings = np.diff(surface_offsets)
    ext_ring = surface_offsets[:-1]
    has_ring = n_rings > 0
    ext_len = np.zeros(s, dtype=np.int64)
    ext_len[has_ring] = ring_len[ext_ring[has_ring]]
    ext_start = np.zeros(s, dtype=np.int64)
    ext_start[has_ring] = ring_offsets[ext_ring[has_ring]]

    ring_normals = newell_normals(pts, ring_offsets)
    normals = np.zeros((s, 3))
    normals[has_ring] = ring_normals[ext_ring[has_ring]]
    norm = np.linalg.norm(normals, axis=1)
    # zero area: tiny normal relative to the ring's extent squared
    status[ext_len < 3] = TOO_FEW_POINTS
    zero = (status == OK) & (norm <= 1e-12)
    status[zero] = ZERO_AREA
    with np.errstate(invalid="ignore", divide="ignore"):
        unit = np.where(norm[:, None] > 0, normals / norm[:, None], 0.0)

    # -- planarity: max distance of corners from the plane through their mean (polygons > 3 corners) --
    valid = (status == OK) & (ext_len > 3)
    if valid.any():
        dmax = _plane_distances(pts, ring_offsets, surface_offsets, unit)
        status[valid & (dmax > planarity_tol)] = NON_PLANAR

    tri_corners: list[np.ndarray] = []
    tri_surface: list[np.ndarray] = []
    usable = (status == OK) | (status == NON_PLANAR)
    single = usable & (n_rings == 1)

    # -- triangles ----------------------------------------------------------------------------
    t3 = np.nonzero(single & (ext_len == 3))[0]
    if len(t3):
        base = ext_start[t3]
        tri_corners.append(np.stack([base, base + 1, base + 2], axis=1))
        tri_surface.append(t3)

    # -- quads: split along the diagonal that keeps both triangles facing like the polygon ----
    q4 = np.nonzero(single & (ext_len == 4))[0]
    if len(q4):
        b = ext_start[q4]
        c = np.stack([b, b + 1, b + 2, b + 3], axis=1)
        p = pts[c]
        nrm = normals[q4]
        a1 = np.einsum("ij,ij->i", _tri_normals(p[:, 0], p[:, 1], p[:, 2]), nrm)
        a2 = np.einsum("ij,ij->i", _tri_normals(p[:, 0], p[:, 2], p[:, 3]), nrm)
        use_02 = (a1 >= 0) & (a2 >= 0)
        t_a = np.where(use_02[:, None], c[:, [0, 1, 2]], c[:, [1, 2, 3]])
        t_b = np.where(use_02[:, None], c[:, [0, 2, 3]], c[:, [1, 3, 0]])
        tri_corners.append(np.concatenate([t_a, t_b]))
        tri_surface.append(np.concatenate([q4, q4]))

    # -- everything else through earcut --------------------------------------------------------
    rest = np.nonzero(usable & ~((n_rings == 1) & ((ext_len == 3) | (ext_len == 4))))[0]
    if len(rest):
        ec_corners, ec_surface = _earcut_polygons(pts, ring_offsets, surface_offsets, normals, rest, status)
        if len(ec_surface):
            tri_corners.append(ec_corners)
            tri_surface.append(ec_surface)

    if tri_corners:
        corners = np.concatenate(tri_corners)
        surface = np.concatenate(tri_surface)
        order = np.argsort(surface, kind="stable")
        corners, surface = corners[order], surface[order]
        # orient every triangle like its polygon
        p0, p1, p2 = pts[corners[:, 0]], pts[corners[:, 1]], pts[corners[:, 2]]
        flip = np.einsum("ij,ij->i", _tri_normals(p0, p1, p2), normals[surface]) < 0
        corners[flip] = corners[flip][:, [0, 2, 1]]
    else:
        corners = np.zeros((0, 3), np.int64)
        surface = np.zeros(0, np.int64)
    return Triangulation(corners, surface, unit, status)


def _earcut_polygons(pts: np.ndarray, ring_offsets: np.ndarray, surface_offsets: np.ndarray,
                     normals: np.ndarray, rest: np.ndarray, status: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Earcut the polygons ``rest`` (projected on the plane of their dominant normal axis).

    One earcut call per polygon is unavoidable (mapbox_earcut has no batch call), so everything
    around it is done once for all of them: the projection of every corner, the ring ends
    (cached per corner count for the one-ring polygons), the offsets of the results and the
    check for missing triangles. ``status`` of a polygon whose triangles do not cover it becomes
    ``EARCUT_FAILED`` (in place).

    Parameters
    ----------
    pts : (n, 3) float64, corners (local coordinates)
    ring_offsets, surface_offsets : as in :func:`triangulate_polygons`
    normals : (s, 3) float64, polygon normals (Newell, not normalised)
    rest : (k,) int64, the polygons to triangulate
    status : (s,) int8, updated in place

    Returns
    -------
    corners : (t, 3) int64, corner positions in ``pts``
    surface : (t,) int64, the polygon of each triangle
    """
    import mapbox_earcut

    earcut = mapbox_earcut.triangulate_float64
    so, ro = surface_offsets, ring_offsets
    r0 = so[rest]
    r1 = so[rest + 1]
    a = ro[r0]
    b = ro[r1]
    m = b - a
    # every corner of these polygons projected: drop the dominant axis of its polygon's normal
    axis = np.argmax(np.abs(normals[rest]), axis=1)
    keep = np.array([[1, 2], [0, 2], [0, 1]])[axis]
    starts = np.cumsum(m) - m
    total = int(m.sum())
    src = np.arange(total) - np.repeat(starts - a, m)  # corner position in pts
    kc = np.repeat(keep, m, axis=0)
    xy = np.empty((total, 2))
    xy[:, 0] = pts[src, kc[:, 0]]
    xy[:, 1] = pts[src, kc[:, 1]]
    one = {}  # ring ends of a one-ring polygon of m corners
    tris = []
    for p0, p1, q0, q1, ca, mm in zip(starts.tolist(), (starts + m).tolist(), r0.tolist(), r1.tolist(),
                                      a.tolist(), m.tolist()):
        if q1 - q0 == 1:
            ends = one.get(mm)
            if ends is None:
                ends = one[mm] = np.array([mm], dtype=np.uint32)
        else:
            ends = (ro[q0 + 1:q1 + 1] - ca).astype(np.uint32)
        tris.append(earcut(xy[p0:p1], ends))
    nt = np.fromiter((len(t) for t in tris), dtype=np.int64, count=len(tris)) // 3
    # earcut gives m - 2 + 2 * holes triangles for m corners; fewer is a failure only when the
    # triangles do not cover the polygon's area (repeated or collinear corners are left out)
    holes_pts = m - (ro[r0 + 1] - a)
    expected = np.where(holes_pts >= 0, m - 2 + 2 * (r1 - r0 - 1), m - 2)
    for k in np.nonzero((nt < expected) & (status[rest] == OK))[0].tolist():
        q0, q1, ca = int(r0[k]), int(r1[k]), int(a[k])
        ends = (ro[q0 + 1:q1 + 1] - ca).astype(np.uint32)
        if not _covers(xy[starts[k]:starts[k] + m[k]], ends, tris[k]):
            status[rest[k]] = EARCUT_FAILED
    if not nt.sum():
        return np.zeros((0, 3), np.int64), np.zeros(0, np.int64)
    corners = np.concatenate(tris).astype(np.int64) + np.repeat(a, 3 * nt)
    return corners.reshape(-1, 3), np.repeat(rest, nt)
