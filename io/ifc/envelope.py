"""An LoD2-style closed exterior shell (roof, walls, ground) from a building's element triangles.

Method (a 2.5D envelope, as 3D city models hold buildings):

1. footprint: the union of the triangles projected on the ground plane (shapely; upward faces
   first, then any downward face outside them), closed by a small buffer-unbuffer, tiny holes
   and slivers dropped;
2. roof: the footprint cut by a regular grid (cell size from the footprint size), each piece
   triangulated with a constrained Delaunay triangulation (shapely), vertices welded to the mm;
   each roof vertex gets the highest z of the element triangles above it (STRtree query plus
   barycentric interpolation, vectorised);
3. walls: one vertical quad per boundary edge of the roof triangulation, from the lowest point
   of the building up to the roof; ground: the roof triangulation at the lowest z, turned down.
   Roof triangles steeper than ~70 degrees (inner faces of parapets) are labelled WallSurface.

Every roof boundary edge has exactly one wall and every wall bottom edge one ground triangle, so
the shell is closed by construction. Grid resolution limits how sharply ridges are reproduced.
"""

from __future__ import annotations

import numpy as np

from citytwin.semantics.geometry import Geometry, Semantics


def footprint(tris: np.ndarray, gap: float = 0.05):
    """Ground-plane footprint of a triangle soup (tris (t, 3, 3) float64) as a shapely geometry."""
    import shapely

    xy = tris[:, :, :2]
    area2 = ((xy[:, 1, 0] - xy[:, 0, 0]) * (xy[:, 2, 1] - xy[:, 0, 1])
             - (xy[:, 2, 0] - xy[:, 0, 0]) * (xy[:, 1, 1] - xy[:, 0, 1]))
    up, down = xy[area2 > 1e-8], xy[area2 < -1e-8]
    if len(up) + len(down) == 0:
        raise ValueError("the elements have no extent on the ground plane")
    # The shadow of a closed solid is the shadow of its upward faces: union those (about half the
    # triangles, the union is the cost here), then add the downward faces that stick out of it
    # (open or inconsistently oriented surfaces), found by their centroids.
    fp = shapely.union_all(shapely.polygons(np.concatenate([up, up[:, :1]], axis=1)), grid_size=1e-4) \
        if len(up) else shapely.Polygon()
    if len(down):
        c = down.mean(axis=1)
        out = down[~shapely.contains_xy(fp, c[:, 0], c[:, 1])] if not fp.is_empty else down
        if len(out):
            fp = shapely.union_all(np.concatenate([[fp], shapely.polygons(np.concatenate([out, out[:, :1]], axis=1))]),
                                   grid_size=1e-4)
    fp = fp.buffer(gap, join_style="mitre").buffer(-gap, join_style="mitre")
    parts = []
    for p in shapely.get_parts(fp):
        if p.geom_type != "Polygon" or p.area < 1.0:
            continue
        holes = [h for h in p.interiors if shapely.Polygon(h).area >= 2.0]
        parts.append(shapely.Polygon(p.exterior, holes).simplify(0.01))
    if not parts:
        raise ValueError("the footprint is smaller than 1 m2")
    return shapely.MultiPolygon(parts) if len(parts) > 1 else parts[0]


#: Most grid cells an envelope is refined on (a 5 km x 5 km footprint at the 5 m cell size).
MAX_GRID_CELLS = 1_000_000


def _grid_triangles(fp, cell: float) -> np.ndarray:
    """Triangles (t, 3, 2) covering ``fp``, counter-clockwise, refined on a ``cell`` grid."""
    import shapely

    x0, y0, x1, y1 = fp.bounds
    n_cells = (np.floor((x1 - x0) / cell) + 2) * (np.floor((y1 - y0) / cell) + 2)
    if not n_cells <= MAX_GRID_CELLS:  # also NaN: memory stays bounded whatever the coordinates
        raise ValueError(f"the footprint is {x1 - x0:.3g} x {y1 - y0:.3g} m, too large for a building "
                         f"envelope ({n_cells:.3g} grid cells of {cell:g} m, at most {MAX_GRID_CELLS:g})")
    xs = np.arange(np.floor(x0 / cell) * cell, x1 + cell, cell)
    ys = np.arange(np.floor(y0 / cell) * cell, y1 + cell, cell)
    gx, gy = np.meshgrid(xs[:-1], ys[:-1])
    cells = shapely.box(gx.ravel(), gy.ravel(), gx.ravel() + cell, gy.ravel() + cell)
    pieces = shapely.intersection(cells, fp, grid_size=1e-4)
    pieces = shapely.get_parts(pieces[~shapely.is_empty(pieces)])
    pieces = pieces[shapely.get_type_id(pieces) == 3]  # polygons only (drop touching lines/points)
    tri = shapely.get_parts(shapely.constrained_delaunay_triangles(pieces))
    tri = tri[shapely.get_type_id(tri) == 3]
    coords = shapely.get_coordinates(shapely.get_exterior_ring(tri)).reshape(-1, 4, 2)[:, :3]
    a = coords[:, 0]
    cross = ((coords[:, 1, 0] - a[:, 0]) * (coords[:, 2, 1] - a[:, 1])
             - (coords[:, 2, 0] - a[:, 0]) * (coords[:, 1, 1] - a[:, 1]))
    coords = coords[np.abs(cross) > 1e-10]
    cw = cross[np.abs(cross) > 1e-10] < 0
    coords[cw] = coords[cw][:, ::-1]
    return coords


def top_heights(points: np.ndarray, tris: np.ndarray) -> np.ndarray:
    """Highest z of the triangles above each point; NaN where no triangle covers it.

    points : (p, 2) float64; tris : (t, 3, 3) float64. Returns (p,) float64.
    """
    import shapely

    xy = tris[:, :, :2]
    d = ((xy[:, 1, 0] - xy[:, 0, 0]) * (xy[:, 2, 1] - xy[:, 0, 1])
         - (xy[:, 2, 0] - xy[:, 0, 0]) * (xy[:, 1, 1] - xy[:, 0, 1]))
    keep = np.abs(d) > 1e-10
    tris, xy, d = tris[keep], xy[keep], d[keep]
    tree = shapely.STRtree(shapely.polygons(np.concatenate([xy, xy[:, :1]], axis=1)))
    pi, ti = tree.query(shapely.points(points), predicate="intersects")
    p = points[pi]
    t = xy[ti]
    l1 = ((t[:, 1, 0] - p[:, 0]) * (t[:, 2, 1] - p[:, 1]) - (t[:, 2, 0] - p[:, 0]) * (t[:, 1, 1] - p[:, 1])) / d[ti]
    l2 = ((t[:, 2, 0] - p[:, 0]) * (t[:, 0, 1] - p[:, 1]) - (t[:, 0, 0] - p[:, 0]) * (t[:, 2, 1] - p[:, 1])) / d[ti]
    l3 = 1.0 - l1 - l2
    z = l1 * tris[ti, 0, 2] + l2 * tris[ti, 1, 2] + l3 * tris[ti, 2, 2]
    out = np.full(len(points), -np.inf)
    np.maximum.at(out, pi, z)
    out[~np.isfinite(out)] = np.nan
    return out


def envelope_geometry(tris: np.ndarray, start: int = 0, cell: float | None = None,
                      lod: str = "2.2") -> tuple[Geometry, np.ndarray]:
    """The closed envelope of a building as a Solid with Roof/Wall/GroundSurface semantics.

    Parameters
    ----------
    tris : (t, 3, 3) float64, the building's element triangles, metres (projected CRS)
    start : index of the first new vertex in the model's vertex pool
    cell : grid cell size in metres (default: from the footprint size, 0.5 to 5 m)

    Returns
    -------
    (geometry, vertices) : the Solid (indices offset by ``start``) and its (k, 3) float64 vertices
    """
    tris = np.asarray(tris, dtype=np.float64).reshape(-1, 3, 3)
    tris = tris[np.all(np.isfinite(tris), axis=(1, 2))]
    if len(tris) == 0:
        raise ValueError("no finite triangles")
    fp = footprint(tris)
    if cell is None:
        cell = float(np.clip(np.sqrt(fp.area) / 30.0, 0.5, 5.0))
    t2 = _grid_triangles(fp, cell)
    key = np.round(t2.reshape(-1, 2) * 1000.0).astype(np.int64)
    uniq, inv = np.unique(key, axis=0, return_inverse=True)
    xy = uniq / 1000.0
    faces = inv.reshape(-1, 3).astype(np.int64)
    zmin = float(tris[:, :, 2].min())
    z = top_heights(xy, tris)
    hit = np.isfinite(z)
    if not hit.any():
        z[:] = float(tris[:, :, 2].max())
    elif not hit.all():  # grid points no element covers take the height of the nearest covered one
        import shapely

        tree = shapely.STRtree(shapely.points(xy[hit]))
        src, nn = tree.query_nearest(shapely.points(xy[~hit]), all_matches=False)
        miss = np.flatnonzero(~hit)
        z[miss[src]] = z[hit][nn]
    z = np.maximum(z, zmin + 0.1)
    n = len(xy)
    pts = np.concatenate([np.c_[xy, z], np.c_[xy, np.full(n, zmin)]])
    # boundary edges: directed edges whose reverse is not present
    e = np.concatenate([faces[:, [0, 1]], faces[:, [1, 2]], faces[:, [2, 0]]])
    code = e[:, 0] * n + e[:, 1]
    rev = e[:, 1] * n + e[:, 0]
    boundary = e[~np.isin(code, rev)]
    # roof triangles steeper than ~70 degrees (a parapet's inner face spanning one grid cell) are walls
    rp = pts[faces]
    nrm = np.cross(rp[:, 1] - rp[:, 0], rp[:, 2] - rp[:, 0])
    steep = np.abs(nrm[:, 2]) < 0.3 * np.linalg.norm(nrm, axis=1)
    g = _shell(faces, boundary, n, start, steep, lod)
    return g, pts


def _shell(faces: np.ndarray, boundary: np.ndarray, n: int, start: int, steep: np.ndarray,
           lod: str) -> Geometry:
    """The envelope Solid built straight into flat arrays (one ring per surface, no Python loop).

    Surfaces in order: roof triangles ``faces`` (t, 3) on the top vertices, one quad per
    ``boundary`` edge (b, 2) from the bottom (``+ n``) up, ground triangles reversed on the
    bottom vertices; ``steep`` (t,) bool marks roof triangles labelled WallSurface.
    """
    a, b = boundary[:, 0], boundary[:, 1]
    quads = np.stack([a + n, b + n, b, a], axis=1)
    t, q = len(faces), len(quads)
    indices = np.concatenate([faces.ravel(), quads.ravel(), (faces[:, ::-1] + n).ravel()]).astype(np.int64) + start
    ring_len = np.concatenate([np.full(t, 3), np.full(q, 4), np.full(t, 3)])
    ring_offsets = np.zeros(len(ring_len) + 1, dtype=np.int64)
    np.cumsum(ring_len, out=ring_offsets[1:])
    n_surf = 2 * t + q
    # semantic objects numbered in order of first appearance, as make_surface_geometry does
    kinds = ["WallSurface", "RoofSurface"] if t and steep[0] else ["RoofSurface", "WallSurface"]
    roof_k, wall_k = kinds.index("RoofSurface"), kinds.index("WallSurface")
    values = np.concatenate([np.where(steep, wall_k, roof_k), np.full(q, wall_k), np.full(t, 2)]).astype(np.int32)
    used = [k for k in kinds if (k == "RoofSurface" and not steep.all()) or
            (k == "WallSurface" and (q or steep.any()))]
    if used != kinds:  # a kind that never occurs: renumber what remains
        remap = np.array([used.index(k) if k in used else -1 for k in kinds] + [len(used)], dtype=np.int32)
        values = remap[values]
        kinds = used
    return Geometry(type="Solid", lod=lod, indices=indices, ring_offsets=ring_offsets,
                    surface_offsets=np.arange(n_surf + 1, dtype=np.int64),
                    shell_offsets=np.array([0, n_surf], dtype=np.int64),
                    semantics=Semantics([{"type": k} for k in kinds] + [{"type": "GroundSurface"}], values))
