"""Snapping geometry to a writer's coordinate grid without creating degenerate polygons.

CityJSON stores integer coordinates on a grid of ``transform.scale`` (1 mm by default, ~1e-8
degrees in a geographic CRS). Corners closer than a step land on the same grid point: a ring
then repeats a corner, and a polygon thinner than a step becomes a line or a point (zero area).
Written as is, such a polygon is invalid (val3dity 102/203) and the triangulation of the output
loses it ("could not be fully triangulated", "zero area"), silently.

:func:`snap_geometry` works on the grid positions the writer will write: corners that repeat
their neighbour are merged, rings left with fewer than three corners or with exactly zero area
on the grid are dropped (an exterior ring takes its surface with it; the surface's semantics,
materials and textures go too; empty shells, solids and geometries go), and it counts what it
did, so the writer can say so. The integer grid makes "zero area" exact, not a tolerance.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from citytwin.mesh.triangulate import ring_next
from citytwin.semantics.geometry import MULTI_SOLID_TYPES, SOLID_TYPES, Geometry, MaterialMap, Semantics, \
    TextureMap


@dataclass
class SnapStats:
    """What snapping changed, summed over the geometries of a write.

    Attributes
    ----------
    merged_corners : corners dropped because they land on their neighbour's grid point
    dropped_rings : interior rings (holes) that collapse
    dropped_surfaces : surfaces whose exterior ring collapses (removed with their holes)
    dropped_geometries : geometries left with no surface
    objects : ids of the objects concerned (first ones)
    """

    merged_corners: int = 0
    untangled_polygons: int = 0
    untangled_corners: int = 0
    dropped_rings: int = 0
    dropped_surfaces: int = 0
    dropped_geometries: int = 0
    objects: list[str] = field(default_factory=list)

    def message(self, step: str) -> str | None:
        """One sentence for a ``warning:`` line, or None when nothing changed."""
        if not (self.merged_corners or self.dropped_rings or self.dropped_surfaces or self.untangled_polygons):
            return None
        parts = []
        if self.untangled_polygons:
            parts.append(f"{self.untangled_polygons} polygon(s) would cross themselves: {self.untangled_corners} "
                         "corner(s) closer than a step to another edge were removed")
        if self.dropped_surfaces:
            parts.append(f"{self.dropped_surfaces} surface(s) collapse to zero area and were left out")
        if self.dropped_rings:
            parts.append(f"{self.dropped_rings} hole(s) collapse and were left out")
        if self.dropped_geometries:
            parts.append(f"{self.dropped_geometries} geometry(ies) left empty were left out")
        if self.merged_corners:
            parts.append(f"{self.merged_corners} repeated corner(s) were merged")
        shown = ", ".join(self.objects[:5]) + (", ..." if len(self.objects) > 5 else "")
        return f"at the output precision ({step}) {'; '.join(parts)} (objects: {shown})"


def snap_geometry(g: Geometry, grid: "Grid", stats: SnapStats, drop: np.ndarray | None = None) -> Geometry | None:
    """``g`` with repeated grid corners merged and collapsed rings/surfaces removed.

    Parameters
    ----------
    g : a surface geometry (MultiSurface, CompositeSurface, Solid, MultiSolid, CompositeSolid);
        other types are returned as they are
    grid : the write's :class:`Grid`
    stats : updated in place
    drop : (n,) bool, corners of ``g`` to remove as well (see :func:`untangle`)

    Returns
    -------
    ``g`` itself when nothing changes, a new Geometry otherwise, None when nothing is left.
    """
    if not _snappable(g):
        return g
    ro = g.ring_offsets
    ring_len = np.diff(ro)
    c = grid.canon[g.indices]
    dup, kept_len, collapsed = _ring_checks(g.indices, ro, grid, drop)
    ring_ok = ~collapsed
    keep = ~dup
    if ring_ok.all() and not dup.any():
        return g
    # a surface goes when its exterior ring collapses; a shell when all its surfaces go; a solid
    # when its exterior shell goes (with its interior shells)
    so = g.surface_offsets
    n_surf = len(so) - 1
    rings_in = np.diff(so)
    surf_keep = np.zeros(n_surf, dtype=bool)
    surf_keep[rings_in > 0] = ring_ok[so[:-1][rings_in > 0]]
    if g.type in SOLID_TYPES or g.type in MULTI_SOLID_TYPES:
        sh = g.shell_offsets
        shell_of_surf = np.repeat(np.arange(len(sh) - 1), np.diff(sh))
        shell_keep = np.bincount(shell_of_surf[surf_keep], minlength=len(sh) - 1) > 0
        sd = g.solid_offsets if g.type in MULTI_SOLID_TYPES else np.array([0, len(sh) - 1], np.int64)
        solid_of_shell = np.repeat(np.arange(len(sd) - 1), np.diff(sd))
        solid_keep = np.zeros(len(sd) - 1, dtype=bool)
        has = np.diff(sd) > 0
        solid_keep[has] = shell_keep[sd[:-1][has]]
        shell_keep &= solid_keep[solid_of_shell]
        surf_keep &= shell_keep[shell_of_surf]
    if not surf_keep.any():
        stats.dropped_surfaces += int(n_surf)
        stats.dropped_geometries += 1
        return None
    ring_surface = np.repeat(np.arange(n_surf), rings_in)
    ring_keep = ring_ok & surf_keep[ring_surface]
    corner_keep = keep & np.repeat(ring_keep, ring_len)
    stats.merged_corners += int((dup & np.repeat(ring_keep, ring_len)).sum())
    stats.dropped_surfaces += int((~surf_keep).sum())
    stats.dropped_rings += int((~ring_ok & surf_keep[ring_surface]).sum())
    out = g.copy()
    out.indices = c[corner_keep]
    out.ring_offsets = _offsets(kept_len[ring_keep])
    out.surface_offsets = _offsets(np.bincount(ring_surface[ring_keep], minlength=n_surf)[surf_keep])
    if g.type in SOLID_TYPES or g.type in MULTI_SOLID_TYPES:
        out.shell_offsets = _offsets(np.bincount(shell_of_surf[surf_keep], minlength=len(sh) - 1)[shell_keep])
        if g.type in MULTI_SOLID_TYPES:
            out.solid_offsets = _offsets(np.bincount(solid_of_shell[shell_keep],
                                                     minlength=len(sd) - 1)[solid_keep])
    if g.semantics is not None:
        out.semantics = Semantics(out.semantics.surfaces, g.semantics.values[surf_keep])
    out.materials = {k: MaterialMap(v.values[surf_keep], v.uniform) for k, v in g.materials.items()}
    out.textures = {k: TextureMap(v.ring_texture[ring_keep], v.uv[corner_keep]) for k, v in g.textures.items()}
    return out


def _snappable(g: Geometry) -> bool:
    return g.has_surfaces and not g.is_instance and g.ring_offsets is not None and len(g.indices) > 0


@dataclass(frozen=True)
class Grid:
    """The writer's grid for one write.

    Attributes
    ----------
    canon : (v,) int64, representative vertex of each vertex's grid point
    coords : (v, 3) int64, grid coordinates ``rint((p - translate) / scale)`` (zeros where unused)
    exact : (v,) int64, representative vertex of each vertex's exact position (the input's own
        repeated corners and degenerate polygons are the input's: kept as they are)
    vertices : (v, 3) float64, the model's vertices
    moved : (v,) bool, vertices that snapping moves by more than a thousandth of a step (a model
        read from a file on the same grid moves none: whatever it has is the input's)
    """

    canon: np.ndarray
    coords: np.ndarray
    exact: np.ndarray
    vertices: np.ndarray
    moved: np.ndarray


def _newell_rings(pts: np.ndarray, kept_len: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(r, 3) Newell vectors of rings given as consecutive corners ``pts`` (k, 3), relative to each
    ring's first corner (exact for integer grid coordinates of moderate size), and (r,) the
    largest squared distance of a corner from that first corner."""
    r = len(kept_len)
    ko = _offsets(kept_len)
    nonempty = kept_len > 0
    area = np.zeros((r, 3))
    extent = np.zeros(r)
    if not nonempty.any():
        return area, extent
    first = np.zeros((r, 3), dtype=pts.dtype)
    first[nonempty] = pts[ko[:-1][nonempty]]
    local = (pts - first[np.repeat(np.arange(r), kept_len)]).astype(np.float64)
    knxt = ring_next(ko, len(pts))
    x, y, z = local[:, 0], local[:, 1], local[:, 2]
    st = ko[:-1][nonempty]
    area[nonempty, 0] = np.add.reduceat(y * z[knxt] - z * y[knxt], st)
    area[nonempty, 1] = np.add.reduceat(z * x[knxt] - x * z[knxt], st)
    area[nonempty, 2] = np.add.reduceat(x * y[knxt] - y * x[knxt], st)
    extent[nonempty] = np.maximum.reduceat(np.einsum("ij,ij->i", local, local), st)
    return area, extent


#: an input ring (float coordinates) is degenerate when its Newell vector (twice its area, CRS
#: units squared) is at most this: the triangulator's own zero-area threshold
_INPUT_FLAT = 1e-12


def _degenerate(c: np.ndarray, ro: np.ndarray, pos: np.ndarray, gone: np.ndarray, tol: float) -> np.ndarray:
    """(r,) bool: rings with fewer than 3 corners once ``gone`` corners are out, or whose Newell
    vector is at most ``tol`` long (0: exactly zero, for integer grid positions)."""
    ring_len = np.diff(ro)
    r = len(ring_len)
    keep = ~gone
    kept_len = np.bincount(np.repeat(np.arange(r), ring_len)[keep], minlength=r).astype(np.int64)
    area, _ = _newell_rings(pos[c[np.nonzero(keep)[0]]], kept_len)
    return (kept_len < 3) | (np.linalg.norm(area, axis=1) <= tol)


def _ring_checks(idx: np.ndarray, ro: np.ndarray, grid: Grid,
                 drop: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """What the grid does to rings that the input did not have.

    Parameters
    ----------
    idx : (n,) int64 vertex of each corner
    ro : (r+1,) int64 ring offsets
    grid : the write's :class:`Grid`
    drop : (n,) bool corners removed on purpose (:func:`untangle`), or None

    Returns
    -------
    merge : (n,) bool corners to remove (they repeat their successor on the grid, not in the
        input; or ``drop``)
    kept_len : (r,) int64 corners left per ring
    collapsed : (r,) bool rings that are degenerate on the grid (fewer than 3 distinct corners or
        exactly zero area) and were not in the input
    """
    n = len(idx)
    ring_len = np.diff(ro)
    r = len(ring_len)
    nxt = ring_next(ro, n)
    c, ci = grid.canon[idx], grid.exact[idx]
    dup_g = c == c[nxt]
    dup_i = ci == ci[nxt]
    deg_g = _degenerate(c, ro, grid.coords, dup_g if drop is None else dup_g | drop, 0.0)
    deg_i = _degenerate(ci, ro, grid.vertices, dup_i, _INPUT_FLAT)
    # rings that snapping does not move, or that are degenerate in the input, are the input's:
    # written as they were
    moved = np.zeros(r, dtype=bool)
    mv = grid.moved[idx]
    if mv.any():
        moved[np.repeat(np.arange(r), ring_len)[mv]] = True
    deg_i |= ~moved
    merge = dup_g & ~dup_i & ~np.repeat(deg_i, ring_len)
    if drop is not None:
        merge |= drop
    kept_len = np.bincount(np.repeat(np.arange(r), ring_len)[~merge], minlength=r).astype(np.int64)
    return merge, kept_len, deg_g & ~deg_i


def snap_geometries(geoms: list[Geometry], grid: Grid) -> np.ndarray:
    """Which geometries snapping changes, found for all of them at once; (len(geoms),) bool.

    One vectorised pass over every ring of ``geoms`` (the common case, nothing collapses, costs
    no per-geometry work); :func:`snap_geometry` then rebuilds only the flagged ones.
    """
    flag = np.zeros(len(geoms), dtype=bool)
    sel = [k for k, g in enumerate(geoms) if _snappable(g)]
    if not sel:
        return flag
    idx = np.concatenate([geoms[k].indices for k in sel])
    ring_len = np.concatenate([np.diff(geoms[k].ring_offsets) for k in sel])
    ro = _offsets(ring_len)
    dup, _, collapsed = _ring_checks(idx, ro, grid)
    n_rings = np.array([len(geoms[k].ring_offsets) - 1 for k in sel], dtype=np.int64)
    owner_ring = np.repeat(np.arange(len(sel)), n_rings)
    owner_corner = np.repeat(owner_ring, ring_len)
    bad = np.zeros(len(sel), dtype=bool)
    bad[owner_ring[collapsed]] = True
    bad[owner_corner[dup]] = True
    flag[np.asarray(sel)[bad]] = True
    return flag


def _offsets(counts: np.ndarray) -> np.ndarray:
    return np.concatenate([[0], np.cumsum(counts)]).astype(np.int64)


def make_grid(vertices: np.ndarray, used: np.ndarray, scale: np.ndarray, translate: np.ndarray) -> Grid:
    """The :class:`Grid` of a write.

    Parameters
    ----------
    vertices : (v, 3) float64, the model's vertices
    used : (u,) int64, indices of the vertices the writer writes
    scale, translate : (3,) the writer's ``transform``
    """
    v = len(vertices)
    moved = np.zeros(v, dtype=bool)
    canon = np.arange(v, dtype=np.int64)
    exact = np.arange(v, dtype=np.int64)
    coords = np.zeros((v, 3), dtype=np.int64)
    if len(used):
        q = np.rint((vertices[used] - translate) / scale).astype(np.int64)
        coords[used] = q
        moved[used] = np.any(np.abs(q * scale + translate - vertices[used]) > 1e-3 * scale, axis=1)
        canon[used] = used[_first_equal_row(q)]
        exact[used] = used[_first_equal_row(vertices[used])]
    return Grid(canon, coords, exact, vertices, moved)


def _first_equal_row(a: np.ndarray) -> np.ndarray:
    """(n,) int64: for each row of ``a`` (n, 3), the index of one row equal to it, the same for
    all equal rows (lexsort: far faster than ``np.unique(axis=0)``)."""
    order = np.lexsort((a[:, 2], a[:, 1], a[:, 0]))
    sa = a[order]
    new = np.ones(len(a), dtype=bool)
    new[1:] = np.any(sa[1:] != sa[:-1], axis=1)
    rep = order[np.flatnonzero(new)][np.cumsum(new) - 1]
    out = np.empty(len(a), dtype=np.int64)
    out[order] = rep
    return out


def untangle(geoms: list[Geometry], grid: Grid, scale: np.ndarray, stats: SnapStats) -> dict[int, np.ndarray]:
    """Corners to remove so that no polygon crosses itself on the grid when it did not before.

    Snapping moves a corner by up to half a step per axis: a corner closer than that to another
    edge of its polygon can land on the far side of it. Every polygon of four or more corners is
    triangulated on the grid; one whose triangles no longer cover it (and whose triangles did
    cover it before snapping) loses, one at a time, the corner that spans the smallest triangle
    with its neighbours (the sliver that crossed) until it is simple again.

    Parameters
    ----------
    geoms : geometries already snapped by :func:`snap_geometry` (indices are grid representatives)
    grid : the write's :class:`Grid`
    scale : (3,) grid step per axis (CRS units)
    stats : updated in place

    Returns
    -------
    {position in ``geoms``: (n,) bool corners to remove}, for the geometries concerned only
    """
    import mapbox_earcut

    from citytwin.mesh.triangulate import EARCUT_FAILED, _covers, triangulate_polygons

    sel = [k for k, g in enumerate(geoms) if g is not None and _snappable(g)]
    if not sel:
        return {}
    idx = np.concatenate([geoms[k].indices for k in sel])
    ring_len = np.concatenate([np.diff(geoms[k].ring_offsets) for k in sel])
    surf_len = np.concatenate([np.diff(geoms[k].surface_offsets) for k in sel])
    ro, so = _offsets(ring_len), _offsets(surf_len)
    on_grid = grid.coords.astype(np.float64) * scale
    # only polygons of 4+ corners (a triangle cannot cross itself) with a corner that moves
    n_corner = ro[so[1:]] - ro[so[:-1]]
    ring_of_corner = np.repeat(np.arange(len(ring_len)), ring_len)
    surf_of_ring = np.repeat(np.arange(len(surf_len)), surf_len)
    moved = np.zeros(len(surf_len), dtype=bool)
    mv = grid.moved[idx]
    moved[surf_of_ring[ring_of_corner[mv]]] = True
    big = np.nonzero((n_corner >= 4) & moved)[0]
    if not len(big):
        return {}
    # the selected polygons, compacted, triangulated on the grid in one call
    chosen = np.zeros(len(surf_len), dtype=bool)
    chosen[big] = True
    r_sel = np.nonzero(chosen[surf_of_ring])[0]
    c_sel = np.nonzero(chosen[surf_of_ring[ring_of_corner]])[0]
    after = triangulate_polygons(on_grid, idx[c_sel], _offsets(ring_len[r_sel]), _offsets(surf_len[big]),
                                 planarity_tol=np.inf).status
    bad = big[after == EARCUT_FAILED].tolist()
    if not bad:
        return {}
    surf_owner = np.repeat(np.arange(len(sel)), [len(geoms[k].surface_offsets) - 1 for k in sel])
    geom_surf0 = _offsets(np.array([len(geoms[k].surface_offsets) - 1 for k in sel], np.int64))
    out: dict[int, np.ndarray] = {}
    for j in bad:
        r0, r1 = int(so[j]), int(so[j + 1])
        c0, c1 = int(ro[r0]), int(ro[r1])
        sub_ro = (ro[r0:r1 + 1] - c0).astype(np.int64)
        one = np.array([0, r1 - r0], np.int64)
        before = triangulate_polygons(grid.vertices, idx[c0:c1], sub_ro, one, planarity_tol=np.inf).status[0]
        if before == EARCUT_FAILED:
            continue  # it crossed itself before snapping: the reader already listed it
        pts = on_grid[idx[c0:c1]]
        pts = pts - pts[0]
        nrm = _newell(pts[:sub_ro[1]])
        keep_axes = [a for a in range(3) if a != int(np.argmax(np.abs(nrm)))]
        xy = pts[:, keep_axes]
        alive = np.ones(c1 - c0, dtype=bool)
        removed = 0
        for _ in range(c1 - c0):
            ends, order = _alive_rings(sub_ro, alive)
            if ends[0] < 3:
                break
            cur = xy[order]
            if _covers(cur, ends, mapbox_earcut.triangulate_float64(cur, ends)):
                break
            # smallest |triangle (prev, corner, next)| over the live corners of every ring
            best, best_area = -1, np.inf
            start = 0
            for e in ends.tolist():
                ring = order[start:e]
                if len(ring) >= 3:
                    p, q, r = xy[np.roll(ring, 1)], xy[ring], xy[np.roll(ring, -1)]
                    a = np.abs((q[:, 0] - p[:, 0]) * (r[:, 1] - p[:, 1]) - (q[:, 1] - p[:, 1]) * (r[:, 0] - p[:, 0]))
                    i = int(np.argmin(a))
                    if a[i] < best_area:
                        best, best_area = int(ring[i]), float(a[i])
                start = e
            if best < 0:
                break
            alive[best] = False
            removed += 1
        if not removed:
            continue
        g_pos = int(surf_owner[j])
        k = sel[g_pos]
        base = int(geoms[k].ring_offsets[geoms[k].surface_offsets[j - geom_surf0[g_pos]]])
        mask = out.setdefault(k, np.zeros(len(geoms[k].indices), dtype=bool))
        mask[base:base + (c1 - c0)] |= ~alive
        stats.untangled_polygons += 1
        stats.untangled_corners += removed
    return out


def _newell(p: np.ndarray) -> np.ndarray:
    q = np.roll(p, -1, axis=0)
    return np.cross(p, q).sum(axis=0)


def _alive_rings(ring_offsets: np.ndarray, alive: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Ends (uint32) of the rings' live corners in a compacted order, and that order."""
    order = np.nonzero(alive)[0]
    counts = np.add.reduceat(alive.astype(np.int64), ring_offsets[:-1]) if len(ring_offsets) > 1 else \
        np.zeros(0, np.int64)
    counts[np.diff(ring_offsets) == 0] = 0
    return np.cumsum(counts).astype(np.uint32), order
