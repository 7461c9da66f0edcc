"""CityGML writer, geometry: GML 3.1.1 / 3.2 coordinates, polygons, aggregates, solids, implicit geometry.

The geometry half of :mod:`citytwin.io.citygml.writer`, as :mod:`citytwin.io.citygml.geometry` is
the reader's. Coordinates go out as ``posList`` text formatted per ring with one ``%`` operation
(decimals per axis from the precision in metres), never per vertex in Python.
"""

from __future__ import annotations

import math
import re

import numpy as np

from citytwin.semantics.geometry import Geometry
from citytwin.semantics.model import CityModel

#: an XML NCName (a valid gml:id)
NCNAME = re.compile(r"^[A-Za-z_][\w.\-]*$")


class GmlIds:
    """The ``gml:id`` values of one document: generated ones are unique, object ids that are not
    XML names are replaced (the original is kept in the ``cityjsonId`` generic attribute)."""

    def __init__(self) -> None:
        self.used: set[str] = set()
        self.counter = 0
        self.renamed: dict[str, str] = {}   # object id -> the gml:id written for it

    def new_id(self, hint: str) -> str:
        self.counter += 1
        base = hint if NCNAME.match(hint) else "id_" + re.sub(r"[^\w.\-]", "_", hint)
        gid = f"{base}_{self.counter}"
        self.used.add(gid)
        return gid

    def object_id(self, oid: str) -> str:
        """The gml:id for an object id; ids that are not XML names get a new one (the original is
        kept in the ``cityjsonId`` generic attribute, which the reader restores)."""
        if NCNAME.match(oid) and oid not in self.used:
            self.used.add(oid)
            return oid
        new = self.new_id(oid)
        self.renamed[oid] = new
        return new


class GeometryWriter:
    """GML for geometries: coordinates with a fixed number of decimals per axis (axis order of the
    CRS), polygons and rings with their ids, aggregates, solids and implicit geometries.

    Attributes
    ----------
    inline_polys : surface index -> ``gml:Polygon`` text of the geometry being written, for the
        surfaces that no thematic surface holds (written inline in the geometry property)
    """

    def __init__(self, model: CityModel, version: str, precision: float, ids: GmlIds) -> None:
        from citytwin.semantics.crs import steps_for

        self.m = model
        self.v = version
        self.ids = ids
        steps = steps_for(model.crs, precision)  # per axis, in CRS units (degrees need more decimals)
        #: decimals per written axis (x, y, z in file order: swapped for latitude-first CRSs)
        self.axis_decimals = [max(0, int(round(-math.log10(s)))) if s < 1 else 0 for s in steps]
        self.swap = bool(model.crs is not None and model.crs.is_latitude_first())
        if self.swap:
            self.axis_decimals = [self.axis_decimals[1], self.axis_decimals[0], self.axis_decimals[2]]
        self.fmt_cache: dict[int, str] = {}
        self.srs_dim = ' srsDimension="3"'
        self.inline_polys: dict[int, str] = {}
        self.template_ids: dict[int, str] = {}
        self.m_vertices_override: np.ndarray | None = None

    def pos(self, idx: np.ndarray, close: bool) -> str:
        pool = self.m.vertices if self.m_vertices_override is None else self.m_vertices_override
        pts = pool[idx]
        if self.swap and self.m_vertices_override is None:
            pts = pts[:, [1, 0, 2]]
        if close and len(pts):
            pts = np.vstack([pts, pts[:1]])
        n = len(pts)
        f = self.fmt_cache.get(n)
        if f is None:
            dx, dy, dz = self.axis_decimals
            f = self.fmt_cache[n] = " ".join([f"%.{dx}f %.{dy}f %.{dz}f"] * n)
        return f % tuple(pts.ravel().tolist())

    def ring(self, g: Geometry, k: int, outer: bool, rid: str | None) -> str:
        tag = "exterior" if outer else "interior"
        a, b = g.ring_offsets[k], g.ring_offsets[k + 1]
        i = f' gml:id="{rid}"' if rid else ""
        return (f"<gml:{tag}><gml:LinearRing{i}><gml:posList{self.srs_dim}>{self.pos(g.indices[a:b], True)}"
                f"</gml:posList></gml:LinearRing></gml:{tag}>")

    def polygon(self, g: Geometry, j: int, pid: str, ring_ids: bool, tag: str = "Polygon") -> str:
        r0, r1 = g.surface_offsets[j], g.surface_offsets[j + 1]
        rings = "".join(self.ring(g, k, k == r0, f"{pid}_{k - r0}" if ring_ids else None) for k in range(r0, r1))
        idattr = f' gml:id="{pid}"' if pid else ""
        return f"<gml:{tag}{idattr}>{rings}</gml:{tag}>"

    def surface_members(self, g: Geometry, js: range, member: dict[int, str]) -> str:
        out = []
        for j in js:
            if j in member:
                out.append(f'<gml:surfaceMember xlink:href="#{member[j]}"/>')
            else:
                out.append(f"<gml:surfaceMember>{self.inline_polys[j]}</gml:surfaceMember>")
        return "".join(out)

    def geometry(self, g: Geometry, referenced: dict[int, str]) -> str:
        """GML for a geometry; surfaces in ``referenced`` are xlinks (their polygons are elsewhere)."""
        t = g.type
        if t == "MultiPoint":
            pts = "".join(f"<gml:pointMember><gml:Point><gml:pos{self.srs_dim}>{self.pos(g.indices[i:i + 1], False)}"
                          "</gml:pos></gml:Point></gml:pointMember>" for i in range(len(g.indices)))
            return f"<gml:MultiPoint>{pts}</gml:MultiPoint>"
        if t == "MultiLineString":
            ls = "".join(f"<gml:curveMember><gml:LineString><gml:posList{self.srs_dim}>"
                         f"{self.pos(g.indices[g.ring_offsets[k]:g.ring_offsets[k + 1]], False)}</gml:posList>"
                         "</gml:LineString></gml:curveMember>" for k in range(g.n_rings))
            return f"<gml:MultiCurve>{ls}</gml:MultiCurve>"
        if t in ("MultiSurface", "CompositeSurface"):
            body = self.surface_members(g, range(g.n_surfaces), referenced)
            if t == "CompositeSurface":
                return f"<gml:MultiSurface><gml:surfaceMember><gml:CompositeSurface>{body}</gml:CompositeSurface>" \
                       "</gml:surfaceMember></gml:MultiSurface>"
            return f"<gml:MultiSurface>{body}</gml:MultiSurface>"
        solids = []
        so = g.solid_offsets if g.solid_offsets is not None else np.array([0, g.n_shells])
        for s in range(len(so) - 1):
            shells = []
            for h in range(so[s], so[s + 1]):
                body = self.surface_members(g, range(g.shell_offsets[h], g.shell_offsets[h + 1]), referenced)
                tag = "exterior" if h == so[s] else "interior"
                inner = f"<gml:Shell>{body}</gml:Shell>" if self.v == "3.0" else \
                    f"<gml:CompositeSurface>{body}</gml:CompositeSurface>"
                shells.append(f"<gml:{tag}>{inner}</gml:{tag}>")
            solids.append(f"<gml:Solid>{''.join(shells)}</gml:Solid>")
        if t == "Solid":
            return solids[0]
        members = "".join(f"<gml:solidMember>{s}</gml:solidMember>" for s in solids)
        return f"<gml:{t}>{members}</gml:{t}>"

    def implicit(self, g: Geometry) -> str:
        """``core:ImplicitGeometry``: the template inline the first time, by xlink afterwards."""
        t = g.template
        tid = self.template_ids.get(t)
        rel = "relativeGeometry" if self.v == "3.0" else "relativeGMLGeometry"
        if tid is None:
            tg = self.m.templates[t]
            tid = self.template_ids[t] = self.ids.new_id(f"template_{t}")
            pool, self.m_vertices_override = self.m_vertices_override, self.m.template_vertices
            try:
                pid = [self.ids.new_id(f"{tid}_s") for _ in range(tg.n_surfaces)] if tg.has_surfaces else []
                self.inline_polys = {j: self.polygon(tg, j, pid[j], False) for j in range(len(pid))}
                body = self.geometry(tg, {})
            finally:
                self.m_vertices_override = pool
            body = body.replace(">", f' gml:id="{tid}">', 1)
            relxml = f"<core:{rel}>{body}</core:{rel}>"
        else:
            relxml = f'<core:{rel} xlink:href="#{tid}"/>'
        matrix = " ".join(repr(float(x)) for x in np.asarray(g.transformation, dtype=float).reshape(16))
        point = f"<gml:Point><gml:pos{self.srs_dim}>{self.pos(np.array([g.reference_point]), False)}</gml:pos></gml:Point>"
        ref = f"<core:referencePoint>{point}</core:referencePoint>"
        body = relxml + ref if self.v != "3.0" else ref + relxml   # 3.0 puts the reference point first
        return f"<core:ImplicitGeometry><core:transformationMatrix>{matrix}</core:transformationMatrix>{body}" \
               "</core:ImplicitGeometry>"


def geometry_property(g: Geometry, lod: str, order: dict, used: set) -> str | None:
    """The free ``lodN...`` property of a class (``order``: its properties) for a geometry, or None."""
    t = g.type
    if t in ("Solid", "CompositeSolid"):
        cands = [f"lod{lod}Solid", f"lod{lod}Geometry"]
    elif t == "MultiSolid":
        cands = [f"lod{lod}MultiSolid", f"lod{lod}Geometry"]
    elif t in ("MultiSurface", "CompositeSurface"):
        cands = [f"lod{lod}MultiSurface", f"lod{lod}Geometry"]
        if lod == "0":
            roof = g.semantics is not None and "RoofSurface" in g.semantics.type_names()
            cands += ["lod0RoofEdge", "lod0FootPrint"] if roof else ["lod0FootPrint", "lod0RoofEdge"]
    elif t == "MultiLineString":
        cands = [f"lod{lod}MultiCurve", f"lod{lod}Geometry", f"lod{lod}TerrainIntersection",
                 f"lod{lod}TerrainIntersectionCurve"]
    else:
        cands = [f"lod{lod}Geometry"] + (["lod0Point"] if len(g.indices) == 1 else [])
    for c in cands:
        if c in order and c not in used:
            return c
    return None


def closed_shell(vertices: np.ndarray, g: Geometry) -> bool:
    """True when the polygons of ``g`` close a shell: every edge (by vertex position, to 1e-9 of
    the coordinates' magnitude) is used by exactly two rings. Vectorised over all rings."""
    idx = np.asarray(g.indices, dtype=np.int64)
    ro = np.asarray(g.ring_offsets, dtype=np.int64)
    if len(idx) < 3 or len(ro) < 5:  # a closed shell needs at least 4 polygons
        return False
    pts = vertices[idx]
    tol = max(1e-9, float(np.abs(pts).max()) * 1e-12)
    _, pos = np.unique(np.rint(pts / tol).astype(np.int64), axis=0, return_inverse=True)
    pos = pos.reshape(-1)
    nxt = np.arange(1, len(idx) + 1)
    nxt[ro[1:] - 1] = ro[:-1]
    e = np.sort(np.stack([pos, pos[nxt]], axis=1), axis=1)
    e = e[e[:, 0] != e[:, 1]]
    if not len(e):
        return False
    _, counts = np.unique(e, axis=0, return_counts=True)
    return bool((counts == 2).all())
