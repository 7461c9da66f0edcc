"""Geometry validation in bulk: the checks that matter for viewing and analysis.

Ring and polygon checks (too few points, repeated consecutive points, zero area, non-planar)
come from triangulation; this module adds the shell checks of val3dity's 3xx family for every
Solid (and the shells of MultiSolid / CompositeSolid), computed with numpy over all shells of the
model at once: every edge of a closed, 2-manifold, consistently oriented shell is used exactly
twice, once in each direction. Vertices are matched by position (1 mm), not by index.

Not checked (yet): self-intersections (104, 306), solid-solid intersections (5xx), building
parts overlap (601).
"""

from __future__ import annotations

import numpy as np

from citytwin.errors import Problem
from citytwin.mesh.rows import unique_rows
from citytwin.semantics.crs import steps_for
from citytwin.semantics.geometry import MULTI_SOLID_TYPES, SOLID_TYPES
from citytwin.semantics.model import CityModel

SNAP = 0.001  # metres: vertices closer than this are the same point


def _snapped_ids(pts: np.ndarray, step: np.ndarray) -> np.ndarray:
    """Position id per point (n,) for points (n, 3) quantised by ``step`` (3,) in CRS units."""
    key = np.round(pts / step).astype(np.int64)
    return unique_rows(key)[1]


def _shells_per_ring(parts: list, counts: np.ndarray) -> np.ndarray:
    """(r,) int64 shell of every ring: ``parts`` holds per geometry an array, or an int that all
    its ``counts[k]`` rings share."""
    if all(isinstance(p, int) for p in parts):
        return np.repeat(np.asarray(parts, dtype=np.int64), counts)
    return np.concatenate([np.full(int(c), p, np.int64) if isinstance(p, int) else np.asarray(p, np.int64)
                           for p, c in zip(parts, counts.tolist())])


def validate_model(model: CityModel, max_problems: int = 5000) -> list[Problem]:
    """Check rings and shells of every geometry; returns problems (nothing is raised).

    Reported per object id and geometry index:
    repeated consecutive points (val3dity 102), shells not closed (302), non-manifold edges (303),
    inconsistent polygon orientation (304).
    """
    problems: list[Problem] = []
    # gather every ring of every geometry, with (object, geometry, shell) ids; per geometry only
    # list appends (the per-ring arrays are built once for all geometries below)
    idx_parts, ro_parts, shell_parts = [], [], []
    n_rings: list[int] = []
    owners: list[tuple[str, int]] = []
    for o in model.objects.values():
        for gi, g in enumerate(o.geometry):
            if g.is_instance or g.ring_offsets is None or g.type == "MultiLineString":
                continue
            owners.append((o.id, gi))
            nr = g.n_rings
            n_rings.append(nr)
            idx_parts.append(g.indices)
            ro_parts.append(g.ring_offsets)
            if g.type in SOLID_TYPES or g.type in MULTI_SOLID_TYPES:
                so, sh = g.surface_offsets, g.shell_offsets
                if len(sh) == 2 and sh[0] == 0 and sh[1] == g.n_surfaces and so[0] == 0 and so[-1] == nr:
                    shell_parts.append(0)  # one shell holding every ring
                else:
                    surf_of_ring = np.repeat(np.arange(g.n_surfaces), np.diff(so))
                    shell_of_surf = np.repeat(np.arange(g.n_shells), np.diff(sh))
                    shell_parts.append(shell_of_surf[surf_of_ring] if nr else np.zeros(0, np.int64))
            else:
                shell_parts.append(-1)
    if not idx_parts:
        return problems
    idx = np.concatenate(idx_parts)
    counts = np.asarray(n_rings, dtype=np.int64)
    # ring lengths: the differences within each geometry's offsets (not across two geometries)
    ro_all = np.concatenate(ro_parts).astype(np.int64, copy=False)
    step = np.diff(ro_all)
    within = np.ones(len(step), dtype=bool)
    within[(np.cumsum(counts + 1) - 1)[:-1]] = False
    ring_len = step[within]
    ring_owner = np.repeat(np.arange(len(owners), dtype=np.int64), counts)
    ring_shell = _shells_per_ring(shell_parts, counts)
    if len(idx) == 0:
        return problems
    # 1 mm in the model's units per axis (a model in degrees gets ~1e-8 deg horizontally)
    vid = _snapped_ids(model.vertices[idx], steps_for(model.crs, SNAP))  # position ids per corner
    ring_start = np.concatenate([[0], np.cumsum(ring_len)[:-1]])
    nxt = np.arange(1, len(idx) + 1)
    ends = ring_start + ring_len
    ok = ring_len > 0
    nxt[ends[ok] - 1] = ring_start[ok]
    corner_ring = np.repeat(np.arange(len(ring_len)), ring_len)
    a, b = vid, vid[nxt]

    # 102: consecutive repeated points
    rep = a == b
    if rep.any():
        for ow in np.unique(ring_owner[corner_ring[rep]])[:max_problems].tolist():
            oid, gi = owners[ow]
            problems.append(Problem(oid, "ring has repeated consecutive points (val3dity 102)", "warning",
                                    geometry=gi))

    # shells: edges of exterior and interior rings of solid shells
    in_shell = ring_shell[corner_ring] >= 0
    sel = in_shell & ~rep
    if sel.any():
        owner_c = ring_owner[corner_ring][sel]
        shell_c = ring_shell[corner_ring][sel]
        ea, eb = a[sel], b[sel]
        lo, hi = np.minimum(ea, eb), np.maximum(ea, eb)
        direction = np.where(ea < eb, 1, -1)
        keys = np.stack([owner_c, shell_c, lo, hi], axis=1)
        uk, inv, cnt = unique_rows(keys)
        dsum = np.bincount(inv, weights=direction, minlength=len(uk))
        flags = {
            "shell is not closed: some edges are used by only one polygon (val3dity 302)": cnt == 1,
            "shell is non-manifold: some edges are shared by more than two polygons (val3dity 303)": cnt > 2,
            "polygons of a shell are not consistently oriented (val3dity 304)": (cnt == 2) & (dsum != 0),
        }
        for msg, mask in flags.items():
            if mask.any():
                for ow in np.unique(uk[mask, 0])[:max_problems].tolist():
                    oid, gi = owners[int(ow)]
                    problems.append(Problem(oid, msg, "error", geometry=gi))
    return problems[:max_problems]
