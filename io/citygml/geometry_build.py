"""CityGML geometry records resolved and built into flat numpy geometries.

The second step of :mod:`citytwin.io.citygml.geometry`: :func:`resolve_entries` replaces the
``xlink:href`` references (:class:`~citytwin.io.citygml.geometry.Ref`) of a record by the polygons
they point to (in this batch or an earlier one), and :func:`build_geometry` /
:func:`build_geometries` turn records into :class:`~citytwin.semantics.geometry.Geometry` index
arrays into the model's vertex pool with a few vectorised operations per batch.
"""

from __future__ import annotations

import numpy as np

from citytwin.io.citygml.geometry import GeomRec, Poly, reversed_entries
from citytwin.semantics.geometry import Geometry, Semantics


def resolve_entries(entries: list, polys: dict[str, Poly], groups: dict[str, list],
                    missing: list[str], depth: int = 0,
                    earlier: tuple[dict[str, Poly], dict[str, list]] | None = None,
                    mark: bool = True, fresh: list[Poly] | None = None) -> list[Poly]:
    """Replace :class:`Ref` entries by the polygons they point to; ids not found go to ``missing``.

    ``earlier``: polygons and aggregates of batches already flushed, looked up when an id is not
    in this batch's (a reference back into an earlier batch). ``mark``: flag the polygons reached
    through a reference as used by a geometry (``Poly.used``); ``fresh`` collects those of earlier
    batches that were not used before.
    """
    out: list[Poly] = []
    for e in entries:
        if e.__class__ is Poly:
            out.append(e)
            continue
        p = polys.get(e.id)
        if p is None and earlier is not None:
            p = earlier[0].get(e.id)
            if p is not None and fresh is not None and mark and not p.used:
                fresh.append(p)
        if p is not None:
            out.append(p.reversed() if e.reverse else p)
            if mark:
                p.used = True
            continue
        g = groups.get(e.id)
        old = g is None and earlier is not None
        if old:
            g = earlier[1].get(e.id)
        if g is not None and depth < 8:
            sub = resolve_entries(g, polys, groups, missing, depth + 1, earlier, mark, fresh)
            if mark:
                for q in sub:
                    if old and fresh is not None and not q.used:
                        fresh.append(q)
                    q.used = True
            out.extend(reversed_entries(sub) if e.reverse else sub)
            continue
        missing.append(e.id)
    return out


def build_geometry(rec: GeomRec, start: np.ndarray, length: np.ndarray, base: int,
                   bad: dict[int, str]) -> tuple[Geometry | None, list[Poly], str | None]:
    """Turn a resolved record into a Geometry (indices into the model's vertex pool).

    Parameters
    ----------
    rec : record whose surface entries are all :class:`Poly` (resolved)
    start, length : (r,) int64 first vertex and vertex count per ring of the batch
    base : serial of the batch's first ring

    Returns
    -------
    (geometry or None, polygons in surface order, problem sentence or None)
    """
    if rec.type == "MultiPoint":
        s = np.asarray(rec.points, dtype=np.int64) - base
        if any(r in bad for r in rec.points):
            return None, [], "a point has bad coordinates"
        return Geometry("MultiPoint", rec.lod, indices=start[s].copy()), [], None
    if rec.type == "MultiLineString":
        serials = np.asarray(rec.lines, dtype=np.int64)
        polys: list[Poly] = []
        ring_list = serials
        surf_len = None
    else:
        polys = [p for so in rec.solids for sh in so for p in sh]
        ring_list = np.fromiter((r for p in polys for r in p.rings), dtype=np.int64)
        surf_len = np.fromiter((len(p.rings) for p in polys), dtype=np.int64, count=len(polys))
    if len(ring_list) == 0:
        return None, [], "no rings"
    rev = ring_list < 0
    serial = np.where(rev, ~ring_list, ring_list)
    for r in serial.tolist() if bad else ():
        if r in bad:
            return None, [], f"a ring has {bad[r]}"
    s = serial - base
    lens = length[s]
    offs = np.zeros(len(s) + 1, dtype=np.int64)
    np.cumsum(lens, out=offs[1:])
    idx = np.repeat(start[s] - offs[:-1], lens) + np.arange(offs[-1], dtype=np.int64)
    if rev.any():
        for k in np.flatnonzero(rev).tolist():
            a, b = offs[k], offs[k + 1]
            idx[a:b] = idx[a:b][::-1]
    g = Geometry(rec.type, rec.lod, indices=idx, ring_offsets=offs)
    problem = None
    short = lens < (2 if rec.type == "MultiLineString" else 3)
    if short.any():
        problem = f"{int(short.sum())} ring(s) with fewer than {2 if rec.type == 'MultiLineString' else 3} points"
    if surf_len is not None:
        so = np.zeros(len(polys) + 1, dtype=np.int64)
        np.cumsum(surf_len, out=so[1:])
        g.surface_offsets = so
        if rec.type in ("Solid", "MultiSolid", "CompositeSolid"):
            shells = [len(sh) for so_ in rec.solids for sh in so_]
            g.shell_offsets = np.concatenate([[0], np.cumsum(shells)]).astype(np.int64)
            if rec.type != "Solid":
                g.solid_offsets = np.concatenate([[0], np.cumsum([len(so_) for so_ in rec.solids])]).astype(np.int64)
        g.semantics = semantics_of(polys)
    return g, polys, problem


def build_geometries(recs: list[GeomRec], start: np.ndarray, length: np.ndarray, base: int,
                     bad: dict[int, str], earlier=None) -> list[tuple[Geometry | None, list[Poly], str | None]]:
    """:func:`build_geometry` for many records at once (the index arithmetic of all surface-based
    records is done in one set of numpy operations; each geometry's ``indices`` is a slice of one
    shared array).

    ``earlier``: a callable giving ``(start, length, bad)`` of every ring of every batch so far
    (serial 0 on), used when a record has rings of earlier batches (references back).
    Returns one ``(geometry or None, polygons in surface order, problem or None)`` per record.
    """
    out: list = [None] * len(recs)
    bulk: list[int] = []
    poly_lists: list[list[Poly]] = []
    rings: list[int] = []
    surf_len: list[int] = []
    ring_cut = [0]       # per bulk record: end of its rings in ``rings``
    surf_cut = [0]       # per bulk record: end of its surfaces in ``surf_len``
    for i, rec in enumerate(recs):
        if rec.type == "MultiPoint" or rec.type == "MultiLineString":
            out[i] = build_geometry(rec, start, length, base, bad)
            continue
        polys = [p for so in rec.solids for sh in so for p in sh]
        for p in polys:
            rings += p.rings
            surf_len.append(len(p.rings))
        if len(rings) == ring_cut[-1]:
            out[i] = (None, [], "no rings")
            continue
        bulk.append(i)
        poly_lists.append(polys)
        ring_cut.append(len(rings))
        surf_cut.append(len(surf_len))
    if not bulk:
        return out
    ring_arr = np.array(rings, dtype=np.int64)
    rev = ring_arr < 0
    serial = np.where(rev, ~ring_arr, ring_arr)
    if earlier is not None and base and serial.min() < base:   # rings of earlier batches
        start, length, bad = earlier()
        base = 0
    bad_rec: dict[int, str] = {}
    if bad:
        hit = np.flatnonzero(np.isin(serial, np.fromiter(bad, dtype=np.int64, count=len(bad))))
        if len(hit):
            which = np.searchsorted(np.asarray(ring_cut), hit, side="right") - 1
            for k, r in zip(which.tolist(), serial[hit].tolist()):
                bad_rec.setdefault(k, f"a ring has {bad[r]}")
    s = serial - base
    lens = length[s]
    offs = np.zeros(len(s) + 1, dtype=np.int64)
    np.cumsum(lens, out=offs[1:])
    pos = np.arange(offs[-1], dtype=np.int64) - np.repeat(offs[:-1], lens)
    first = np.repeat(start[s], lens)
    if rev.any():
        rv = np.repeat(rev, lens)
        pos = np.where(rv, np.repeat(lens - 1, lens) - pos, pos)
    idx = first + pos
    soffs = np.zeros(len(surf_len) + 1, dtype=np.int64)
    np.cumsum(np.asarray(surf_len, dtype=np.int64), out=soffs[1:])
    short = lens < 3
    any_short = bool(short.any())
    offs_l = offs.tolist()
    for k, i in enumerate(bulk):
        rec = recs[i]
        if k in bad_rec:
            out[i] = (None, [], bad_rec[k])
            continue
        ra, rb = ring_cut[k], ring_cut[k + 1]
        sa, sb = surf_cut[k], surf_cut[k + 1]
        va = offs_l[ra]
        g = Geometry(rec.type, rec.lod, indices=idx[va:offs_l[rb]], ring_offsets=offs[ra:rb + 1] - va,
                     surface_offsets=soffs[sa:sb + 1] - soffs[sa])
        problem = None
        if any_short:
            n_short = int(short[ra:rb].sum())
            if n_short:
                problem = f"{n_short} ring(s) with fewer than 3 points"
        if rec.type != "MultiSurface" and rec.type != "CompositeSurface":
            shells = [len(sh) for so_ in rec.solids for sh in so_]
            g.shell_offsets = np.concatenate([[0], np.cumsum(shells)]).astype(np.int64)
            if rec.type != "Solid":
                g.solid_offsets = np.concatenate([[0], np.cumsum([len(so_) for so_ in rec.solids])]).astype(np.int64)
        polys = poly_lists[k]
        g.semantics = semantics_of(polys)
        out[i] = (g, polys, problem)
    return out


def semantics_of(polys: list[Poly]) -> Semantics | None:
    """Semantics for the surfaces of a geometry from each polygon's semantic object.

    Openings (windows, doors) keep their parent surface through ``parent`` / ``children``
    indices, as in CityJSON; each geometry gets its own copies of the semantic objects.
    """
    sems = [p.sem for p in polys]
    if sems.count(None) == len(sems):
        return None
    order: dict[int, int] = {}
    objs: list[dict] = []
    vals: list[int] = []
    nested = False
    for sem in sems:
        if sem is None:
            vals.append(-1)
            continue
        k = id(sem)
        i = order.get(k)
        if i is None:
            i = order[k] = len(objs)
            objs.append(sem)
            par = sem.get("_parent")
            if par is not None:   # an opening: its parent surface follows it (even without own polygons)
                nested = True
                while par is not None and id(par) not in order:
                    order[id(par)] = len(objs)
                    objs.append(par)
                    par = par.get("_parent")
        vals.append(i)
    surfaces = [dict(sem) for sem in objs]
    if nested:
        for i, sem in enumerate(objs):
            par = surfaces[i].pop("_parent", None)
            if par is not None:
                pi = order[id(par)]
                surfaces[i]["parent"] = pi
                surfaces[pi].setdefault("children", []).append(i)
    return Semantics(surfaces, np.array(vals, dtype=np.int32))
