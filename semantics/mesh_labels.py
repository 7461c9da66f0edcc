"""Mesh semantics: cut an unstructured mesh per building and label faces roof / wall / ground.

Cutting assigns each triangle to the building footprint that contains its centroid (triangles
are not split: a triangle straddling a footprint edge goes to the side of its centroid); steep
(wall) triangles within ``wall_tolerance`` outside a footprint also belong to it. To
reach millions of triangles per second the footprints are first rasterised on the grid *nodes*
of a fine grid (``cell`` metres, shapely ``contains_xy`` per footprint over its bounding box);
a triangle whose grid cell has four equal corner labels takes that label, the few others are
tested exactly against the candidate footprints (shapely, vectorised). Footprint features
narrower than a cell (notches, slivers < 0.5 m) can be missed: against an exact shapely
``within`` query 99.9 % of centroids agree on the benchmark district.

Labelling uses the face normal and the height above the local terrain: the terrain is the lowest
upward-facing unassigned triangle per ``terrain_cell`` grid cell (filled from the nearest cell
where empty); inside a footprint the building's own ground height is used when known.

- ``|n_z| < wall_nz`` -> WallSurface;
- upward (``n_z >= wall_nz``) and higher than ``ground_height`` above terrain -> RoofSurface;
- upward and lower -> GroundSurface (for unassigned triangles: terrain);
- downward and higher -> OuterCeilingSurface (overhang undersides).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from citytwin.progress import ProgressArg, report, scaled
from citytwin.semantics.surfaces import semantic_code

ROOF, WALL, GROUND, CEILING = (semantic_code(n) for n in
                               ("RoofSurface", "WallSurface", "GroundSurface", "OuterCeilingSurface"))


@dataclass(frozen=True)
class MeshLabels:
    """Per-triangle result of :func:`label_mesh`.

    Attributes
    ----------
    building : (t,) int32, index into the footprints, -1 outside every footprint
    semantic : (t,) int16, semantic code (RoofSurface, WallSurface, GroundSurface, OuterCeilingSurface)
    height : (t,) float64, metres of the centroid above the local terrain / building ground
    """

    building: np.ndarray
    semantic: np.ndarray
    height: np.ndarray


def assign_to_footprints(xy: np.ndarray, footprints, cell: float = 0.5,
                         max_nodes: int = 25_000_000, on_progress: ProgressArg | None = None) -> np.ndarray:
    """Index of the footprint containing each point, -1 for none.

    Parameters
    ----------
    xy : (p, 2) float64 points, metres
    footprints : sequence of shapely (Multi)Polygons
    cell : raster node spacing in metres (grown when the extent would need more than ``max_nodes``)
    on_progress : called with the fraction done every ``_REPORT_FOOTPRINTS`` footprints while
        rasterising and after each chunk of ``_CHUNK`` points; it may raise to stop

    Returns
    -------
    (p,) int32
    """
    import shapely

    fps = np.asarray(footprints, dtype=object)
    if len(fps) == 0 or len(xy) == 0:
        return np.full(len(xy), -1, dtype=np.int32)
    b = shapely.bounds(fps)
    x0, y0 = min(b[:, 0].min(), xy[:, 0].min()), min(b[:, 1].min(), xy[:, 1].min())
    x1, y1 = max(b[:, 2].max(), xy[:, 0].max()), max(b[:, 3].max(), xy[:, 1].max())
    while ((x1 - x0) / cell + 2) * ((y1 - y0) / cell + 2) > max_nodes:
        cell *= 2
    nx, ny = int((x1 - x0) / cell) + 2, int((y1 - y0) / cell) + 2
    nodes = np.full((nx, ny), -1, dtype=np.int32)
    shapely.prepare(fps)
    n_fp = len(fps)
    for k, fp in enumerate(fps):
        if on_progress is not None and k % _REPORT_FOOTPRINTS == 0:
            report(on_progress, 0.3 * k / n_fp)
        i0, j0 = int((b[k, 0] - x0) / cell), int((b[k, 1] - y0) / cell)
        i1, j1 = int((b[k, 2] - x0) / cell) + 1, int((b[k, 3] - y0) / cell) + 1
        gi, gj = np.meshgrid(np.arange(i0, i1 + 1), np.arange(j0, j1 + 1), indexing="ij")
        inside = shapely.contains_xy(fp, x0 + gi * cell, y0 + gj * cell)
        nodes[gi[inside], gj[inside]] = k
    out = np.empty(len(xy), dtype=np.int32)
    for a in range(0, len(xy), _CHUNK):
        report(on_progress, 0.3 + 0.7 * a / len(xy))
        out[a:a + _CHUNK] = _lookup(xy[a:a + _CHUNK], fps, nodes, x0, y0, cell)
    report(on_progress, 1.0)
    return out


#: Points (triangles) handled per chunk between progress reports (about 0.3 s of work).
_CHUNK = 1 << 20
#: Footprints rasterised between progress reports.
_REPORT_FOOTPRINTS = 256


def _lookup(xy: np.ndarray, fps: np.ndarray, nodes: np.ndarray, x0: float, y0: float,
            cell: float) -> np.ndarray:
    """Footprint index (p,) int32 of points (p, 2) from the node raster ``nodes`` (nx, ny) int32,
    with an exact shapely test where a point's cell corners disagree."""
    import shapely

    nx, ny = nodes.shape
    inv = 1.0 / cell
    i = np.clip(((xy[:, 0] - x0) * inv).astype(np.int32), 0, nx - 2)
    j = np.clip(((xy[:, 1] - y0) * inv).astype(np.int32), 0, ny - 2)
    flat = nodes.ravel()
    idx = i.astype(np.int64) * ny + j
    c0, c1, c2, c3 = flat.take(idx), flat.take(idx + ny), flat.take(idx + 1), flat.take(idx + ny + 1)
    uniform = (c0 == c1) & (c0 == c2) & (c0 == c3)
    out = np.where(uniform, c0, -1).astype(np.int32)
    todo = np.flatnonzero(~uniform)
    corners = np.stack([c0[todo], c1[todo], c2[todo], c3[todo]], axis=1)
    rows = np.arange(len(todo))
    for k in range(4):  # exact test against each distinct corner candidate
        if len(todo) == 0:
            break
        cand = corners[rows, k]
        has = cand >= 0
        t, c = todo[has], cand[has]
        hit = shapely.contains_xy(fps[c], xy[t, 0], xy[t, 1]) if len(t) else np.zeros(0, bool)
        out[t[hit]] = c[hit]
        keep = np.ones(len(todo), dtype=bool)
        keep[np.flatnonzero(has)[hit]] = False
        todo, rows = todo[keep], rows[keep]
    return out


def triangle_normals(tris: np.ndarray) -> np.ndarray:
    """Unit normals (t, 3) of triangles (t, 3, 3); zero for degenerate ones."""
    n = np.cross(tris[:, 1] - tris[:, 0], tris[:, 2] - tris[:, 0])
    ln = np.linalg.norm(n, axis=1)
    return np.divide(n, ln[:, None], out=np.zeros_like(n), where=ln[:, None] > 0)


def centroids_and_nz(tris: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Centroids (t, 3) and the z component of the unit normals (t,) of triangles (t, 3, 3).

    Column-wise arithmetic: about twice as fast as ``mean(axis=1)`` and ``np.cross``.
    """
    a, b, c = tris[:, 0], tris[:, 1], tris[:, 2]
    cen = (a + b + c) * (1.0 / 3.0)
    u, v = b - a, c - a
    nx = u[:, 1] * v[:, 2] - u[:, 2] * v[:, 1]
    ny = u[:, 2] * v[:, 0] - u[:, 0] * v[:, 2]
    nz = u[:, 0] * v[:, 1] - u[:, 1] * v[:, 0]
    ln = np.sqrt(nx * nx + ny * ny + nz * nz)
    return cen, np.divide(nz, ln, out=np.zeros_like(nz), where=ln > 0)


def terrain_heights(centroids: np.ndarray, upward_free: np.ndarray, cell: float = 5.0) -> np.ndarray:
    """Local terrain height under each centroid: the lowest upward, unassigned triangle per cell.

    centroids : (t, 3) float64; upward_free : (t,) bool. Returns (t,) float64 (NaN when no terrain).
    """
    out = np.full(len(centroids), np.nan)
    if not upward_free.any():
        return out
    x0, y0 = centroids[:, 0].min(), centroids[:, 1].min()
    ci = ((centroids[:, 0] - x0) / cell).astype(np.int64)
    cj = ((centroids[:, 1] - y0) / cell).astype(np.int64)
    nx, ny = ci.max() + 1, cj.max() + 1
    grid = np.full(nx * ny, np.inf)
    np.minimum.at(grid, (ci * ny + cj)[upward_free], centroids[upward_free, 2])
    have = np.isfinite(grid)
    if not have.all():
        from scipy.spatial import cKDTree

        idx = np.flatnonzero(have)
        gx, gy = np.divmod(np.arange(nx * ny), ny)
        _, nn = cKDTree(np.c_[gx[idx], gy[idx]]).query(np.c_[gx[~have], gy[~have]])
        grid[~have] = grid[idx[nn]]
    return grid[ci * ny + cj]


def label_mesh(tris: np.ndarray, footprints, ground_z: np.ndarray | None = None,
               wall_nz: float = 0.3, ground_height: float = 1.0, cell: float = 0.5,
               terrain_cell: float = 5.0, wall_tolerance: float = 0.5,
               on_progress: ProgressArg | None = None) -> MeshLabels:
    """Cut a triangle soup per footprint and label its faces (see the module docstring).

    Parameters
    ----------
    tris : (t, 3, 3) float64, metres, z up, same CRS as the footprints
    footprints : sequence of shapely polygons (one per building)
    ground_z : (b,) float64 ground height of each building, NaN where unknown
    wall_tolerance : metres; steep triangles this close outside a footprint belong to it
    on_progress : called with the fraction done after each chunk of about a million triangles
        and every few hundred footprints; it may raise to stop
    """
    tris = np.asarray(tris, dtype=np.float64)
    n = len(tris)
    cen, nz = np.empty((n, 3)), np.empty(n)
    for a in range(0, n, _CHUNK):
        report(on_progress, 0.15 * a / n)
        cen[a:a + _CHUNK], nz[a:a + _CHUNK] = centroids_and_nz(tris[a:a + _CHUNK])
    building = assign_to_footprints(cen[:, :2], footprints, cell, on_progress=scaled(on_progress, 0.15, 0.75))
    # walls stand on the footprint edge: half of their centroids fall just outside, so steep
    # triangles left over are assigned against footprints grown by ``wall_tolerance``
    steep = np.flatnonzero((building < 0) & (np.abs(nz) < wall_nz))
    if len(steep) and len(footprints) and wall_tolerance > 0:
        import shapely

        grown = shapely.buffer(np.asarray(footprints, dtype=object), wall_tolerance, join_style="mitre")
        building[steep] = assign_to_footprints(cen[steep, :2], grown, cell,
                                               on_progress=scaled(on_progress, 0.75, 0.9))
    report(on_progress, 0.9)
    free = building < 0
    terrain = terrain_heights(cen, free & (nz >= 0.7), terrain_cell)
    base = terrain.copy()
    if ground_z is not None and len(ground_z):
        gz = np.asarray(ground_z, dtype=np.float64)[np.maximum(building, 0)]
        use = ~free & np.isfinite(gz)
        base[use] = gz[use]
    h = cen[:, 2] - np.where(np.isfinite(base), base, cen[:, 2].min())
    sem = np.full(len(tris), WALL, dtype=np.int16)
    up = nz >= wall_nz
    down = nz <= -wall_nz
    high = h > ground_height
    sem[up & high] = ROOF
    sem[up & ~high] = GROUND
    sem[down & high] = CEILING
    sem[down & ~high] = GROUND
    return MeshLabels(building, sem, h)
