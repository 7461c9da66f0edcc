"""GML geometry of CityGML (GML 3.1.1 and 3.2) parsed into flat numpy geometries.

Parsing happens in two steps so that coordinates are never touched per vertex in Python:

1. :func:`GeometryParser.parse` walks a GML geometry element and records its structure
   (solids -> shells -> surfaces -> rings) as :class:`Poly` / :class:`Ref` entries; each ring's
   coordinate text is only *collected* (``posList``, ``pos`` sequence or ``coordinates``).
2. :meth:`RingBatch.flush` parses the collected texts of a whole feature in one
   ``numpy.fromstring`` call (texts joined with ``nan`` separators), drops the repeated closing
   vertex of each ring, and :func:`~citytwin.io.citygml.geometry_build.build_geometry` turns the records into
   :class:`~citytwin.semantics.geometry.Geometry` index arrays with a few vectorised operations.

``xlink:href`` references to polygons or surfaces (``Ref``) are resolved by the reader against
the ids seen in the same feature (forward and backward); what cannot be resolved is reported.
"""

from __future__ import annotations

import numpy as np

from citytwin.io.citygml.vocab import GML31, GML32, XLINK

_HREF = f"{{{XLINK}}}href"
_ID31 = f"{{{GML31}}}id"
_ID32 = f"{{{GML32}}}id"


def gml_id(el) -> str | None:
    """The ``gml:id`` of an element (GML 3.1 or 3.2), or None."""
    get = el.get
    return get(_ID32) or get(_ID31)


def href(el) -> str | None:
    """The target id of an ``xlink:href`` (without ``#``), or None."""
    h = el.get(_HREF)
    if h is None:
        return None
    return h[1:] if h.startswith("#") else h.rsplit("#", 1)[-1]


_LOCAL: dict[str, str] = {}


def local(tag: str) -> str:
    """Local name of a Clark tag ``{ns}name`` (memoised: a file has few distinct tags)."""
    try:
        return _LOCAL[tag]
    except KeyError:
        r = _LOCAL[tag] = tag.rsplit("}", 1)[-1] if tag[:1] == "{" else tag
        return r


_LR31, _LR32 = f"{{{GML31}}}LinearRing", f"{{{GML32}}}LinearRing"
_LINEAR_RINGS = (_LR31, _LR32)
_POLYGONS = frozenset({f"{{{GML31}}}Polygon", f"{{{GML32}}}Polygon"})
_POSLISTS = frozenset({f"{{{GML31}}}posList", f"{{{GML32}}}posList"})
_TRUES = [True] * 8
_DIMS = {"2": 2, "3": 3}
_MULTI_SURFACES = frozenset(f"{{{ns}}}{n}" for ns in (GML31, GML32) for n in ("MultiSurface", "CompositeSurface"))
_COMPOSITE_SURFACES = frozenset({f"{{{GML31}}}CompositeSurface", f"{{{GML32}}}CompositeSurface"})
_SURFACE_MEMBER = frozenset({f"{{{GML31}}}surfaceMember", f"{{{GML32}}}surfaceMember"})


class Poly:
    """One polygon: its rings as ring serials (``~s`` = reversed orientation), its gml:id and semantics.

    ``used``: a geometry holds it through a reference. ``home`` (set only on thematic polygons no
    geometry used when their batch was built, read with ``getattr``): ``[object, geometry, polygons]``
    of the MultiSurface they were written to, so a later reference can take them back out of it.
    """

    __slots__ = ("rings", "id", "sem", "used", "home")

    def __init__(self, rings: list[int], id_: str | None) -> None:
        self.rings = rings
        self.id = id_
        self.sem: dict | None = None
        self.used = False

    def reversed(self) -> "Poly":
        p = Poly([~r for r in self.rings], self.id)
        p.sem = self.sem
        return p


class Ref:
    """An ``xlink:href`` to a polygon or a surface aggregate, resolved later."""

    __slots__ = ("id", "reverse")
    def __init__(self, id_: str, reverse: bool = False) -> None:
        self.id = id_
        self.reverse = reverse


class GeomRec:
    """A parsed geometry before its coordinates are known.

    ``solids`` is always solids -> shells -> surfaces (a MultiSurface is one solid of one
    shell); ``lines`` holds ring serials of line strings and ``points`` of single points.
    (A plain slotted class: one is made per geometry property of the file.)
    """

    __slots__ = ("type", "lod", "solids", "lines", "points", "id", "extra")

    def __init__(self, type: str, lod: str | None, solids: list | None = None, lines: list | None = None,
                 points: list | None = None, id: str | None = None, extra: dict | None = None) -> None:
        self.type = type
        self.lod = lod
        self.solids = [] if solids is None else solids
        self.lines = [] if lines is None else lines
        self.points = [] if points is None else points
        self.id = id
        self.extra = _NO_EXTRA if extra is None else extra

    def __repr__(self) -> str:
        return f"GeomRec({self.type!r}, lod={self.lod!r}, id={self.id!r})"


_NO_EXTRA: dict = {}   # shared, never written


class RingBatch:
    """Collects ring coordinate texts and turns them into vertices, a feature at a time."""

    def __init__(self) -> None:
        self.texts: list[str] = []
        self.dims: list[int] = []
        self.closed: list[bool] = []
        self.base = 0               # serial of the first ring of the current batch
        self.ring_ids: dict[str, int] = {}
        self.bad: dict[int, str] = {}   # serial -> what is wrong

    def rollback(self, n: int) -> None:
        """Forget the last ``n`` rings added (a fast path that gave up)."""
        if n:
            del self.texts[-n:], self.dims[-n:], self.closed[-n:]
            s0 = self.base + len(self.texts)
            for k in [k for k, v in self.ring_ids.items() if v >= s0]:
                del self.ring_ids[k]

    def pending_rings(self) -> int:
        return len(self.texts)

    def add(self, text: str, dim: int, closed: bool, gid: str | None = None) -> int:
        s = self.base + len(self.texts)
        self.texts.append(text)
        self.dims.append(dim)
        self.closed.append(closed)
        if gid is not None:
            self.ring_ids[gid] = s
        return s

    def flush(self, vertex_base: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Parse the collected rings.

        Returns
        -------
        coords : (m, 3) float64, the vertices of all rings (closing vertices dropped)
        start : (r,) int64, global index of each ring's first vertex (``vertex_base`` + offset)
        length : (r,) int64, vertices per ring
        """
        n = len(self.texts)
        if n == 0:
            return np.zeros((0, 3)), np.zeros(0, np.int64), np.zeros(0, np.int64)
        try:
            vals = np.fromstring(" nan ".join(self.texts) + " nan", sep=" ")  # noqa: NPY (text mode is fine)
        except ValueError:  # text that is not a number (numpy >= 2 raises): each ring said on its own
            return self._flush_slow(vertex_base)
        seps = np.flatnonzero(np.isnan(vals))
        if len(seps) != n:  # a NaN inside the data, or text numpy could not read
            return self._flush_slow(vertex_base)
        counts = np.diff(np.concatenate([[-1], seps])) - 1
        dims = np.asarray(self.dims, dtype=np.int64)
        if np.all(dims == 3) and not np.any(counts % 3):
            coords = np.delete(vals, seps).reshape(-1, 3)
            npts = counts // 3
        else:
            return self._flush_slow(vertex_base)
        return self._finish(coords, npts, vertex_base)

    def _flush_slow(self, vertex_base: int):
        parts = []
        npts = np.zeros(len(self.texts), dtype=np.int64)
        for i, (t, d) in enumerate(zip(self.texts, self.dims)):
            try:
                v = np.array(t.split(), dtype=np.float64)
            except ValueError:
                self.bad[self.base + i] = "coordinates that are not numbers"
                continue
            if d not in (2, 3):
                self.bad[self.base + i] = f"srsDimension {d} (only 2 and 3 are supported)"
                continue
            if len(v) % d:
                self.bad[self.base + i] = (f"{len(v)} coordinate values, not a multiple of its "
                                           f"srsDimension {d}")
                continue
            p = v.reshape(-1, d)
            if d == 2:
                p = np.c_[p, np.zeros(len(p))]
            parts.append(p)
            npts[i] = len(p)
        coords = np.concatenate(parts) if parts else np.zeros((0, 3))
        if not np.all(np.isfinite(coords)):
            coords = np.nan_to_num(coords)
        return self._finish(coords, npts, vertex_base)

    def _finish(self, coords: np.ndarray, npts: np.ndarray, vertex_base: int):
        starts = np.zeros(len(npts), dtype=np.int64)
        np.cumsum(npts[:-1], out=starts[1:])
        closed = np.asarray(self.closed, dtype=bool) & (npts > 1)
        last = starts + npts - 1
        dup = np.zeros(len(npts), dtype=bool)
        if closed.any():
            ci = np.flatnonzero(closed)
            dup[ci] = np.all(coords[starts[ci]] == coords[last[ci]], axis=1)
        if dup.any():
            keep = np.ones(len(coords), dtype=bool)
            keep[last[dup]] = False
            coords = coords[keep]
            npts = npts - dup
            starts = np.zeros(len(npts), dtype=np.int64)
            np.cumsum(npts[:-1], out=starts[1:])
        self.base += len(self.texts)
        self.texts, self.dims, self.closed = [], [], []
        return coords, starts + vertex_base, npts


class GeometryParser:
    """Walks GML geometry elements; coordinates go to a :class:`RingBatch`."""

    def __init__(self, batch: RingBatch) -> None:
        self.batch = batch
        self.polys: dict[str, Poly] = {}          # gml:id -> polygon (this feature)
        self.groups: dict[str, list] = {}         # gml:id -> surface entries (aggregates)
        self.srs_names: list[str] = []
        self.problems: list[str] = []
        self.refs: list[str] = []               # ids referenced by xlink in this batch
        self.earlier: tuple[dict, dict] = ({}, {})   # polygons / aggregates of flushed batches (the reader's)

    def reset(self) -> None:
        self.polys = {}
        self.groups = {}
        self.refs = []

    def has_forward_refs(self) -> bool:
        """True when a reference of this batch points at an id not seen yet (maybe further on)."""
        polys, groups = self.polys, self.groups
        ep, eg = self.earlier
        return any(r not in polys and r not in groups and r not in ep and r not in eg for r in self.refs)

    # -- entry point ----------------------------------------------------------------------------
    def parse(self, el, lod: str | None, dim: int = 3) -> GeomRec | None:
        """Parse one GML geometry element into a record (None when it holds no geometry)."""
        srs = el.get("srsName")
        if srs:
            self.srs_names.append(srs)
        d = el.get("srsDimension")
        if d:
            dim = _int(d, dim)
        tag = el.tag
        gid = el.get(_ID32) or el.get(_ID31)
        if tag in _MULTI_SURFACES:     # the common case, without the dispatch below
            out = self._surface_members(el, dim)
            if gid is not None:
                self.groups[gid] = out
            return GeomRec("CompositeSurface" if tag in _COMPOSITE_SURFACES else "MultiSurface", lod, [[out]],
                           id=gid)
        name = local(tag)
        if name in ("Solid",):
            rec = GeomRec("Solid", lod, [self._solid(el, dim)], id=gid)
        elif name in ("MultiSolid", "CompositeSolid"):
            sols = []
            for m in el:
                ln = local(m.tag)
                if ln in ("solidMember", "solidMembers"):
                    for s in m:
                        sols.append(self._solid(s, dim))
            if gid is not None:
                self.groups[gid] = [s for so in sols for sh in so for s in sh]
            rec = GeomRec(name, lod, sols, id=gid)
        elif name in ("MultiCurve", "CompositeCurve", "LineString", "Curve", "MultiLineString"):
            rec = GeomRec("MultiLineString", lod, id=gid)
            self._curves(el, dim, rec.lines)
        elif name in ("Point", "MultiPoint"):
            rec = GeomRec("MultiPoint", lod, id=gid)
            self._points(el, dim, rec.points)
        elif name in ("MultiGeometry", "GeometricComplex"):
            return self._multi_geometry(el, lod, dim)
        else:
            surfs = self._surfaces(el, dim)
            if surfs is None:
                self.problems.append(f"unsupported geometry gml:{name}")
                return None
            typ = "CompositeSurface" if name in ("CompositeSurface", "TriangulatedSurface", "Tin",
                                                   "Shell") else "MultiSurface"
            rec = GeomRec(typ, lod, [[surfs]], id=gid)
        return rec

    def parse_property(self, prop, lod: str | None, dim: int = 3) -> GeomRec | None:
        """A geometry property (``lod2Solid`` ...): its child geometry, or an xlink to one."""
        ref = href(prop)
        if ref is not None:
            self.refs.append(ref)
            return GeomRec("MultiSurface", lod, [[[Ref(ref)]]], extra={"_href": ref})
        for ch in prop:
            if isinstance(ch.tag, str):
                return self.parse(ch, lod, dim)
        return None

    # -- surfaces -------------------------------------------------------------------------------
    def _surfaces(self, el, dim: int) -> list | None:
        """Surface entries (Poly / Ref) of a surface element; None when ``el`` is not a surface."""
        name = local(el.tag)
        d = el.get("srsDimension")
        if d:
            dim = _int(d, dim)
        gid = gml_id(el)
        if name in ("Polygon", "PolygonPatch", "Triangle", "Rectangle"):
            p = self._polygon(el, dim, gid if name == "Polygon" else None)
            if gid is not None:
                self.polys[gid] = p
            return [p]
        out: list = []
        if name in ("MultiSurface", "CompositeSurface", "Shell"):
            out = self._surface_members(el, dim)
        elif name == "OrientableSurface":
            rev = el.get("orientation", "+") == "-"
            for m in el:
                if local(m.tag) == "baseSurface":
                    r = href(m)
                    if r is not None:
                        self.refs.append(r)
                        out.append(Ref(r, rev))
                        continue
                    for s in m:
                        sub = self._surfaces(s, dim) or []
                        out.extend(reversed_entries(sub) if rev else sub)
        elif name in ("Surface", "TriangulatedSurface", "Tin", "PolyhedralSurface"):
            for m in el:
                ln = local(m.tag)
                if ln in ("patches", "trianglePatches", "polygonPatches"):
                    for patch in m:
                        out.extend(self._surfaces(patch, dim) or [])
        else:
            return None
        if gid is not None:
            self.groups[gid] = out
        return out

    def _surface_members(self, el, dim: int) -> list:
        """Surface entries of a MultiSurface / CompositeSurface / Shell."""
        out: list = []
        member = self._member
        for m in el:
            t = m.tag
            if t in _SURFACE_MEMBER:
                member(m, dim, out)
            elif t.__class__ is str:
                ln = local(t)
                if ln == "surfaceMember":
                    member(m, dim, out)
                elif ln == "surfaceMembers":
                    for s in m:
                        out.extend(self._surfaces(s, dim) or [])
        return out

    def _member(self, m, dim: int, out: list) -> None:
        h = m.get(_HREF)
        if h is not None:
            r = h[1:] if h[:1] == "#" else h.rsplit("#", 1)[-1]
            self.refs.append(r)
            out.append(Ref(r))
            return
        for s in m:
            tag = s.tag
            if tag in _POLYGONS and s.get("srsDimension") is None:   # the common case, without the dispatch
                gid = s.get(_ID32) or s.get(_ID31)
                p = self._polygon(s, dim, gid)
                if gid is not None:
                    self.polys[gid] = p
                out.append(p)
            elif isinstance(tag, str):
                sub = self._surfaces(s, dim)
                if sub is None:
                    self.problems.append(f"unsupported surface gml:{local(s.tag)}")
                else:
                    out.extend(sub)

    def _polygon(self, el, dim: int, gid: str | None) -> Poly:
        # fast path (nearly every polygon): LinearRings with a posList, found by lxml in C; the
        # ring is recorded in the batch inline (this runs once per ring of the file)
        batch = self.batch
        texts = batch.texts
        s0 = batch.base + len(texts)
        rings = []
        for ring in el.iter(_LINEAR_RINGS):
            pl = ring[0] if len(ring) == 1 else None      # (lxml's find() runs ElementPath in Python: slow)
            if pl is None or pl.tag not in _POSLISTS or ring.get("srsDimension") is not None:
                break
            d = pl.get("srsDimension")
            s = s0 + len(rings)
            texts.append(pl.text or "")
            batch.dims.append(dim if d is None else (_DIMS.get(d) or _int(d, dim)))
            rid = ring.get(_ID32) or ring.get(_ID31)
            if rid is not None:
                batch.ring_ids[rid] = s
            rings.append(s)
        else:
            if rings:
                batch.closed.extend(_TRUES[:len(rings)] if len(rings) <= 8 else [True] * len(rings))
                return Poly(rings, gid)
        batch.closed.extend([True] * len(rings))   # (dims and texts were appended too)
        batch.rollback(len(rings))
        rings = []
        for b in el:
            ln = local(b.tag)
            if ln in ("exterior", "interior", "outerBoundaryIs", "innerBoundaryIs"):
                for ring in b:
                    if isinstance(ring.tag, str):
                        s = self._ring(ring, dim, True)
                        if s is not None:
                            rings.append(s)
        return Poly(rings, gid)

    def _ring(self, ring, dim: int, closed: bool) -> int | None:
        d = ring.get("srsDimension")
        if d:
            dim = _int(d, dim)
        text, dim = coords_text(ring, dim)
        if text is None:
            self.problems.append(f"gml:{local(ring.tag)} without coordinates")
            return None
        return self.batch.add(text, dim, closed, gml_id(ring))

    def _solid(self, el, dim: int) -> list[list]:
        shells: list[list] = []
        d = el.get("srsDimension")
        if d:
            dim = _int(d, dim)
        if href(el) is not None:  # a solidMember xlink
            self.refs.append(href(el))
            return [[Ref(href(el))]]
        for b in el:
            ln = local(b.tag)
            if ln in ("exterior", "interior"):
                r = href(b)
                if r is not None:
                    self.refs.append(r)
                    shells.append([Ref(r)])
                    continue
                for s in b:
                    if isinstance(s.tag, str):
                        shells.append(self._surfaces(s, dim) or [])
        gid = gml_id(el)
        if gid is not None:
            self.groups[gid] = [s for sh in shells for s in sh]
        return shells

    # -- curves and points ----------------------------------------------------------------------
    def _curves(self, el, dim: int, out: list[int]) -> None:
        name = local(el.tag)
        if name in ("LineString", "Curve", "LineStringSegment"):
            s = self._ring(el, dim, False)
            if s is not None:
                out.append(s)
            return
        for m in el:
            ln = local(m.tag)
            if ln in ("curveMember", "curveMembers", "lineStringMember"):
                for c in m:
                    if isinstance(c.tag, str):
                        self._curves(c, dim, out)

    def _points(self, el, dim: int, out: list[int]) -> None:
        if local(el.tag) == "Point":
            s = self._ring(el, dim, False)
            if s is not None:
                out.append(s)
            return
        for m in el:
            if local(m.tag) in ("pointMember", "pointMembers"):
                for p in m:
                    if isinstance(p.tag, str):
                        self._points(p, dim, out)

    def _multi_geometry(self, el, lod, dim) -> GeomRec | None:
        surfs: list = []
        lines: list[int] = []
        points: list[int] = []
        for m in el:
            if local(m.tag) not in ("geometryMember", "geometryMembers", "element"):
                continue
            for g in m:
                if not isinstance(g.tag, str):
                    continue
                r = self.parse(g, lod, dim)
                if r is None:
                    continue
                for so in r.solids:
                    for sh in so:
                        surfs.extend(sh)
                lines.extend(r.lines)
                points.extend(r.points)
        if surfs:
            gid = gml_id(el)
            if gid is not None:
                self.groups[gid] = surfs
            return GeomRec("MultiSurface", lod, [[surfs]], id=gid)
        if lines:
            return GeomRec("MultiLineString", lod, lines=lines, id=gml_id(el))
        if points:
            return GeomRec("MultiPoint", lod, points=points, id=gml_id(el))
        return None


def reversed_entries(entries: list) -> list:
    """The entries of an oppositely oriented surface (polygons reversed, references flagged)."""
    return [e.reversed() if isinstance(e, Poly) else Ref(e.id, not e.reverse) for e in entries]


def coords_text(el, dim: int) -> tuple[str | None, int]:
    """Coordinate text of a ring / line string and its dimension."""
    pos: list[str] = []
    for c in el:
        ln = local(c.tag)
        if ln == "posList":
            d = c.get("srsDimension")
            return c.text or "", _int(d, dim) if d else dim
        if ln == "pos":
            d = c.get("srsDimension")
            if d:
                dim = _int(d, dim)
            pos.append(c.text or "")
        elif ln == "coordinates":
            cs, ts = c.get("cs", ","), c.get("ts", " ")
            t = (c.text or "").replace(ts, " ").replace(cs, " ")
            return t, dim
        elif ln in ("pointProperty", "pointRep"):
            for p in c:
                t, _ = coords_text(p, dim)
                if t:
                    pos.append(t)
        elif ln == "segments":  # gml:Curve
            for seg in c:
                t, dim = coords_text(seg, dim)
                if t:
                    pos.append(t)
    if pos:
        return " ".join(pos), dim
    return None, dim


def _int(text: str, default: int) -> int:
    try:
        return int(text)
    except ValueError:
        return -1
