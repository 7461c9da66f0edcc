"""Reprojection: choosing PROJ's operation for the data's area and saying when it is approximate.

PROJ knows several operations between most pairs of CRSs (one per region, per grid, per
accuracy). Which one is right depends on *where the data is*: "DHDN to ETRS89 (3)" (1 m) covers
southern Germany only, "(2)" (3 m) all of former West Germany. So the operation is chosen for the
data's area of interest (the longitude/latitude box of its vertices), as
``pyproj.Transformer.from_crs(src, dst, always_xy=True, area_of_interest=...)`` does:

1. the available operations whose area of use contains the data (else: intersects it; else all),
2. never a horizontal "Ballpark geographic offset" (no datum shift, ~100 m off) while a real
   datum transformation is available,
3. then the most accurate (known accuracy first), PROJ's own order breaking ties.

What is approximate is said, never silent (the README's promise): a missing grid, a ballpark
horizontal step, a ballpark vertical step (heights kept unchanged under a new label), heights
taken as they are because one side has no vertical CRS.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from citytwin.errors import UsageError

if TYPE_CHECKING:  # pragma: no cover
    import pyproj
    from pyproj.aoi import AreaOfInterest

    from citytwin.semantics.crs import CRS

#: at most this many vertices (plus the extremes) are projected to find the area of interest
_AOI_SAMPLE = 4096


@dataclass(frozen=True)
class Reprojection:
    """The operation chosen between two CRSs for one set of points.

    Attributes
    ----------
    transformer : the pyproj transformer (always_xy: longitude/easting first)
    three_d : True when heights take part (x, y, z transformed together)
    notes : one sentence each about what is approximate; empty when the result is exact
    operations : every operation used, when data spanning several areas needs more than one
        (e.g. "DHDN to ETRS89 (3)" south of 50°20'N and "(4)" north of it)
    assignment : (n,) int, index into ``operations`` per point; None when ``transformer``
        serves every point
    """

    transformer: "pyproj.Transformer"
    three_d: bool
    notes: tuple[str, ...] = ()
    operations: tuple = ()
    assignment: np.ndarray | None = None

    @property
    def description(self) -> str:
        """PROJ's description of the operation ("Inverse of RD New + Amersfoort to WGS 84 (4) + ...")."""
        return str(self.transformer.description)


def _is_geocentric(c: "pyproj.CRS") -> bool:
    return bool(getattr(c, "is_geocentric", False))


def lonlat(points: np.ndarray, crs: "CRS") -> tuple[np.ndarray, np.ndarray]:
    """Longitude and latitude (degrees, (n,) float64 each; NaN where unknown) of ``points`` in ``crs``.

    For choosing operations by area: the CRS's own geographic CRS (a conversion, no datum
    search; datums differ by less than a kilometre) is used, WGS 84 for a geocentric CRS or one
    whose geographic CRS is not in degrees from Greenwich (NTF Paris in grads).
    """
    import warnings

    import pyproj

    pts = np.asarray(points, dtype=np.float64).reshape(-1, 3)
    nan = np.full(len(pts), np.nan)
    try:
        src = crs.to_pyproj()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            if _is_geocentric(src):
                tr = pyproj.Transformer.from_crs(src, pyproj.CRS.from_epsg(4979), always_xy=True)
                lon, lat, _ = tr.transform(pts[:, 0], pts[:, 1], pts[:, 2])
            else:
                horizontal = src.sub_crs_list[0] if src.is_compound and src.sub_crs_list else src
                geographic = horizontal.geodetic_crs
                if (geographic is None or not geographic.is_geographic or geographic.prime_meridian.longitude != 0
                        or any(a.unit_name != "degree" for a in geographic.axis_info)):
                    geographic = pyproj.CRS.from_epsg(4326)
                tr = pyproj.Transformer.from_crs(horizontal, geographic, always_xy=True)
                lon, lat = tr.transform(pts[:, 0], pts[:, 1])
    except (pyproj.exceptions.ProjError, pyproj.exceptions.CRSError, UsageError):
        return nan, nan.copy()
    lon, lat = np.array(lon, dtype=np.float64).reshape(-1), np.array(lat, dtype=np.float64).reshape(-1)
    bad = ~(np.isfinite(lon) & np.isfinite(lat))
    lon[bad] = np.nan
    lat[bad] = np.nan
    return lon, lat


def area_of_interest(points: np.ndarray | None, crs: "CRS") -> "AreaOfInterest | None":
    """The longitude/latitude box (degrees) of ``points`` given in ``crs``; None when unknown.

    Parameters
    ----------
    points : (n, 3) float64 in ``crs``, x/y order (easting or longitude first)
    crs : the CRS of the points

    Only a sample of the vertices (and the extreme ones along x and y) is used (see :func:`lonlat`).
    """
    from pyproj.aoi import AreaOfInterest

    if points is None:
        return None
    pts = np.asarray(points, dtype=np.float64).reshape(-1, 3)
    pts = pts[np.isfinite(pts).all(axis=1)]
    if len(pts) == 0:
        return None
    if len(pts) > _AOI_SAMPLE:
        ext = np.concatenate([np.argmin(pts[:, :2], axis=0), np.argmax(pts[:, :2], axis=0)])
        pts = np.concatenate([pts[:: math.ceil(len(pts) / _AOI_SAMPLE)], pts[ext]])
    lon, lat = lonlat(pts, crs)
    ok = np.isfinite(lon)
    if not ok.any():
        return None
    lon, lat = lon[ok], lat[ok]
    return AreaOfInterest(west_lon_degree=float(lon.min()), south_lat_degree=float(lat.min()),
                          east_lon_degree=float(lon.max()), north_lat_degree=float(lat.max()))


def _contains(area, aoi) -> bool:
    return (area.west <= aoi.west_lon_degree and area.east >= aoi.east_lon_degree
            and area.south <= aoi.south_lat_degree and area.north >= aoi.north_lat_degree)


def _intersects(area, aoi) -> bool:
    return not (area.east < aoi.west_lon_degree or area.west > aoi.east_lon_degree
                or area.north < aoi.south_lat_degree or area.south > aoi.north_lat_degree)


def horizontal_ballpark(description: str) -> bool:
    """True when the operation shifts positions by a ballpark step (no datum transformation)."""
    d = description.lower()
    return "ballpark geographic offset" in d or "ballpark geocentric translation" in d


def vertical_ballpark(description: str) -> bool:
    """True when the operation's height step is a ballpark one (heights are left unchanged)."""
    return "ballpark vertical transformation" in description.lower()


def choose_operation(candidates: list, aoi: "AreaOfInterest | None") -> "pyproj.Transformer":
    """The operation to use among PROJ's available ``candidates`` for data in ``aoi``.

    Those whose area of use contains ``aoi`` (else intersects it, else all of them), horizontal
    ballpark steps last, then known accuracy (best first), then unknown accuracy; PROJ's order
    breaks ties.
    """
    pool = list(enumerate(candidates))
    if aoi is not None:
        inside = [(i, t) for i, t in pool if t.area_of_use is not None and _contains(t.area_of_use, aoi)]
        touching = [(i, t) for i, t in pool if t.area_of_use is None or _intersects(t.area_of_use, aoi)]
        pool = inside or touching or pool

    return min(pool, key=_rank)[1]


def _vertical_name(c: "pyproj.CRS") -> str:
    if c.is_compound and len(c.sub_crs_list) > 1:
        return c.sub_crs_list[1].name
    if _is_geocentric(c):
        return f"{c.name} (geocentric)"
    return f"ellipsoidal heights of {c.name}"


def _rank(item) -> tuple:
    i, t = item
    acc = t.accuracy if t.accuracy is not None and t.accuracy >= 0 else math.inf
    return (horizontal_ballpark(t.description), acc, i)


def _inside(lon: np.ndarray, lat: np.ndarray, area) -> np.ndarray:
    """(n,) bool: the points within an area of use's box (one crossing the antimeridian too)."""
    in_lat = (lat >= area.south) & (lat <= area.north)
    if area.west <= area.east:
        return in_lat & (lon >= area.west) & (lon <= area.east)
    return in_lat & ((lon >= area.west) | (lon <= area.east))


def _split(candidates: list, aoi) -> bool:
    """True when some points may need another operation than the one for the whole box: the
    best-ranked operation touching the box does not cover all of it."""
    touching = [(i, t) for i, t in enumerate(candidates) if t.area_of_use is None or _intersects(t.area_of_use, aoi)]
    if not touching:
        return False
    top = min(touching, key=_rank)[1]
    return top.area_of_use is not None and not _contains(top.area_of_use, aoi)


def _per_point(candidates: list, default, lon: np.ndarray, lat: np.ndarray) -> tuple[tuple, np.ndarray]:
    """For each point the best-ranked candidate whose area of use contains it, as PROJ's default
    transformer does point by point; ``default`` for points no area contains (or without lon/lat).

    Returns the operations used, most used first, and (n,) int indices into them.
    """
    ranked = [t for _, t in sorted(enumerate(candidates), key=_rank)]
    pick = np.full(len(lon), -1, dtype=np.int64)
    for k, t in enumerate(ranked):
        free = pick < 0
        if not free.any():
            break
        area = t.area_of_use
        pick[free & (np.ones(len(lon), bool) if area is None else _inside(lon, lat, area))] = k
    ranked.append(default)
    pick[pick < 0] = len(ranked) - 1
    used, counts = np.unique(pick, return_counts=True)
    order = used[np.argsort(-counts, kind="stable")]
    ops = tuple(ranked[k] for k in order)
    remap = np.zeros(len(ranked), dtype=np.int64)
    remap[order] = np.arange(len(order))
    return ops, remap[pick]


def _operation_notes(source: "CRS", target: "CRS", src, dst, group, ops: tuple, counts: list[int],
                     three_d: bool) -> list[str]:
    reasons: list[str] = []
    if not group.best_available and group.unavailable_operations:
        op = group.unavailable_operations[0]
        grids = sorted({g.short_name for g in op.grids if not g.available})
        if grids:
            reasons.append(f"the PROJ grid(s) {', '.join(grids)} of the best operation are not installed "
                           "(projsync, or PROJ_NETWORK=ON, gives the exact result)")
    total = sum(counts)
    ballpark = sum(n for t, n in zip(ops, counts) if horizontal_ballpark(t.description))
    if ballpark:
        share = "" if ballpark == total else f" for {ballpark} of {total} vertices"
        reasons.append(f"PROJ has no datum transformation{share} here, only a ballpark geographic offset: "
                       "positions may be off by up to ~100 m")
    if three_d and any(vertical_ballpark(t.description) for t in ops):
        reasons.append(f"heights were not transformed: PROJ has only a ballpark vertical step from "
                       f"{_vertical_name(src)} to {_vertical_name(dst)} here, so the heights are kept as they "
                       "were and only their label changed (they may be off by the geoid height, tens of metres)")
    if not reasons:
        return []
    used = []
    for t, n in zip(ops, counts):
        accuracy = f" (accuracy {t.accuracy:g} m)" if t.accuracy and t.accuracy > 0 else ""
        used.append(f"'{t.description}'{accuracy}" + (f" for {n} vertices" if len(ops) > 1 else ""))
    what = "the operation" if len(ops) == 1 else "the operations"
    return [f"reprojection {source} -> {target} used {what} {' and '.join(used)}: " + "; ".join(reasons) + "."]


def plan(source: "CRS", target: "CRS", points: np.ndarray | None = None) -> Reprojection:
    """Choose the operation(s) from ``source`` to ``target`` for ``points``; say what is approximate.

    Parameters
    ----------
    source, target : the CRSs
    points : (n, 3) float64 in ``source`` (x/y order). Each point gets the best available
        operation whose area of use contains it (as pyproj's default transformer does), so
        data spanning two areas uses two operations. Without points: the best operation for
        the CRSs' whole areas.

    Returns
    -------
    Reprojection
    """
    import warnings

    import pyproj
    from pyproj.transformer import TransformerGroup

    src, dst = source.to_pyproj(), target.to_pyproj()
    geocentric = _is_geocentric(src) or _is_geocentric(dst)
    three_d = (source.has_vertical() and target.has_vertical()) or geocentric
    pts = None if points is None else np.asarray(points, dtype=np.float64).reshape(-1, 3)
    aoi = area_of_interest(pts, source) if pts is not None and len(pts) else None
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # we report what is missing ourselves, once
        try:
            group = TransformerGroup(src, dst, always_xy=True, area_of_interest=aoi)
        except pyproj.exceptions.ProjError as exc:
            raise UsageError(f"PROJ has no operation from {source} to {target} ({exc})") from None
        if not group.transformers:
            best = pyproj.Transformer.from_crs(src, dst, always_xy=True, area_of_interest=aoi)
            return Reprojection(best, three_d, (), (best,), None)
    best = choose_operation(group.transformers, aoi)
    ops: tuple = (best,)
    assignment = None
    counts = [0 if pts is None else len(pts)]
    if aoi is not None and len(group.transformers) > 1 and _split(group.transformers, aoi):
        lon, lat = lonlat(pts, source)
        ops, assignment = _per_point(group.transformers, best, lon, lat)
        counts = np.bincount(assignment, minlength=len(ops)).tolist()
        if len(ops) == 1:
            assignment = None
    notes = _operation_notes(source, target, src, dst, group, ops, counts, three_d)
    if geocentric and not (source.has_vertical() and target.has_vertical()):
        side = "source" if not source.has_vertical() else "target"
        notes.append(f"reprojection {source} -> {target}: the {side} CRS has no vertical part, so the "
                     "heights were taken as ellipsoidal heights")
    elif target.has_vertical() and not source.has_vertical():
        notes.append(f"reprojection {source} -> {target}: the source CRS has no vertical part, so the "
                     f"heights were kept unchanged and are now labelled {_vertical_name(dst)}")
    return Reprojection(ops[0], three_d, tuple(notes), ops, assignment)


def transform_points(points: np.ndarray, source: "CRS", target: "CRS",
                     notes: list[str] | None = None) -> np.ndarray:
    """Reproject points from ``source`` to ``target`` with the operation for their area.

    Parameters
    ----------
    points : (n, 3) float64, x/y order (longitude first for geographic CRSs), heights in metres
    source, target : CRSs; heights are converted when both have a vertical part (or one side
        is geocentric), else kept
    notes : when given, what is approximate is appended (one sentence each)

    Returns
    -------
    (n, 3) float64 in ``target``, x/y order.
    """
    out, r = reproject_points(points, source, target)
    if notes is not None:
        notes.extend(r.notes)
    return out


def reproject_points(points: np.ndarray, source: "CRS", target: "CRS") -> tuple[np.ndarray, Reprojection]:
    """:func:`transform_points` that also returns the :class:`Reprojection` it used.

    Raises
    ------
    UsageError : a vertex cannot be reprojected (outside the CRSs' area)
    """
    pts = np.asarray(points, dtype=np.float64).reshape(-1, 3)
    out = pts.copy()
    r = plan(source, target, pts if len(pts) else None)
    if len(pts) == 0:
        return out, r
    groups = [(r.transformer, slice(None))] if r.assignment is None else [
        (t, np.flatnonzero(r.assignment == k)) for k, t in enumerate(r.operations)]
    for tr, sel in groups:
        p = pts[sel]
        if r.three_d:
            out[sel, 0], out[sel, 1], out[sel, 2] = tr.transform(p[:, 0], p[:, 1], p[:, 2])
        else:
            out[sel, 0], out[sel, 1] = tr.transform(p[:, 0], p[:, 1])
    if not np.all(np.isfinite(out)):
        bad = int(np.count_nonzero(~np.isfinite(out).all(axis=1)))
        raise UsageError(f"{bad} of {len(out)} vertices cannot be reprojected from "
                         f"{source} to {target} (outside the CRS's area of use?)")
    return out, r
