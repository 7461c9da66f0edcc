"""Streaming CityGML 2.0 / 3.0 writer, valid against the official XSDs.

Each top-level object (with its children nested as the schema wants: BuildingParts in
``consistsOfBuildingPart`` / ``buildingPart``, installations, rooms, ...) is encoded to a string
and written out at once, so memory stays at one object's text. Properties are emitted in the
order the XSD of each class demands (:func:`citytwin.io.citygml.schema.property_sequence`), so
every class is handled by the same code.

Semantics are written the CityGML way: each semantic surface becomes a thematic surface
(``bldg:WallSurface`` in ``boundedBy`` for 2.0, ``con:WallSurface`` in ``boundary`` for 3.0,
openings nested in ``opening`` / ``fillingSurface``) holding the polygons, and the geometry
property (``lod2Solid``, ``lod2MultiSurface``) points at them with ``xlink:href``, keeping the
surface order. Materials and textures are written as per-object appearances; texture images are
copied next to the output (see :mod:`citytwin.io.textures`). Coordinates are written with a
fixed number of decimals (default 1 mm). Files are written atomically; ``.gz`` is compressed.
"""

from __future__ import annotations

import gzip
import json
import math
import re
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape, quoteattr

import numpy as np

from citytwin.errors import OutputError, ProblemLog
from citytwin.io.atomic import atomic_open
from citytwin.io.citygml.schema import property_sequence
from citytwin.io.citygml.vocab import (GML31, GML32, WRITE_CLASSES_2, WRITE_CLASSES_3, WRITE_SEMANTICS_2,
                                       WRITE_SEMANTICS_3, XAL2, XAL3, XLINK)
from citytwin.semantics.geometry import Geometry
from citytwin.semantics.model import CityModel, CityObject

DEFAULT_PRECISION = 0.001
_NCNAME = re.compile(r"^[A-Za-z_][\w.\-]*$")
_MODULES = {"bldg": "building", "brid": "bridge", "tun": "tunnel", "con": "construction", "tran": "transportation",
            "wtr": "waterbody", "veg": "vegetation", "luse": "landuse", "frn": "cityfurniture",
            "gen": "generics", "grp": "cityobjectgroup", "dem": "relief", "app": "appearance"}
_SIMPLE_TYPES = {"CodeType", "gYear", "date", "dateTime", "integer", "nonNegativeInteger", "positiveInteger",
                 "double", "boolean", "string", "LengthType", "MeasureType", "MeasureOrNullListType",
                 "MeasureOrNilReasonListType", "RelativeToTerrainType", "RelativeToWaterType", "anyURI"}
_CHILD_PROPS_2 = {
    "BuildingPart": "consistsOfBuildingPart", "BuildingInstallation": "outerBuildingInstallation",
    "BuildingRoom": "interiorRoom", "BuildingFurniture": "interiorFurniture", "BridgePart": "consistsOfBridgePart",
    "BridgeInstallation": "outerBridgeInstallation", "BridgeConstructiveElement": "outerBridgeConstruction",
    "BridgeRoom": "interiorBridgeRoom", "BridgeFurniture": "interiorFurniture", "TunnelPart": "consistsOfTunnelPart",
    "TunnelInstallation": "outerTunnelInstallation", "TunnelHollowSpace": "interiorHollowSpace",
    "TunnelFurniture": "interiorFurniture",
}
_CHILD_PROPS_3 = {
    "BuildingPart": "buildingPart", "BuildingInstallation": "buildingInstallation", "BuildingRoom": "buildingRoom",
    "BuildingFurniture": "buildingFurniture", "BuildingConstructiveElement": "buildingConstructiveElement",
    "BuildingStorey": "buildingSubdivision", "BuildingUnit": "buildingSubdivision", "BridgePart": "bridgePart",
    "BridgeInstallation": "bridgeInstallation", "BridgeConstructiveElement": "bridgeConstructiveElement",
    "BridgeRoom": "bridgeRoom", "BridgeFurniture": "bridgeFurniture", "TunnelPart": "tunnelPart",
    "TunnelInstallation": "tunnelInstallation", "TunnelHollowSpace": "hollowSpace",
    "TunnelFurniture": "tunnelFurniture", "TunnelConstructiveElement": "tunnelConstructiveElement",
    "+Section": "section", "+Intersection": "intersection",
}
_TERRAIN = {"entirelyAboveTerrain", "substantiallyAboveTerrain", "substantiallyAboveAndBelowTerrain",
            "substantiallyBelowTerrain", "entirelyBelowTerrain"}
_WATER = {"entirelyAboveWaterSurface", "substantiallyAboveWaterSurface", "substantiallyAboveAndBelowWaterSurface",
          "substantiallyBelowWaterSurface", "entirelyBelowWaterSurface", "temporarilyAboveAndBelowWaterSurface"}
_DATE = re.compile(r"^\d{4}-\d\d-\d\d$")
_DATETIME = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d")
#: attribute the writer stores the CityJSON type in when CityGML has no such class (read back by the reader)
TYPE_ATTRIBUTE = "cityjsonType"
#: attribute holding an object id that is not a valid XML id (read back by the reader)
ID_ATTRIBUTE = "cityjsonId"
#: attribute noting the JSON types CityGML generic attributes cannot carry: {"name": "boolean" | "json"}
#: for booleans (written as "true" / "false" strings) and lists / values written as JSON text
VALUE_TYPES_ATTRIBUTE = "cityjsonValueTypes"


def namespaces(version: str) -> dict[str, str]:
    """Prefix -> namespace of the modules written."""
    v = version
    ns = {"core": f"http://www.opengis.net/citygml/{v}", "gml": GML32 if v == "3.0" else GML31,
          "xlink": XLINK, "xAL": XAL3 if v == "3.0" else XAL2,
          "xsi": "http://www.w3.org/2001/XMLSchema-instance"}
    for p, m in _MODULES.items():
        if p == "con" and v != "3.0":
            continue
        ns[p] = f"http://www.opengis.net/citygml/{m}/{v}"
    return ns


class _Encoder:
    def __init__(self, model: CityModel, version: str, precision: float, problems: ProblemLog) -> None:
        self.m = model
        self.v = version
        self.ns = namespaces(version)
        self.classes = WRITE_CLASSES_3 if version == "3.0" else WRITE_CLASSES_2
        self.child_props = _CHILD_PROPS_3 if version == "3.0" else _CHILD_PROPS_2
        from citytwin.semantics.crs import steps_for

        steps = steps_for(model.crs, precision)  # per axis, in CRS units (degrees need more decimals)
        #: decimals per written axis (x, y, z in file order: swapped for latitude-first CRSs)
        self.axis_decimals = [max(0, int(round(-math.log10(s)))) if s < 1 else 0 for s in steps]
        self.swap = bool(model.crs is not None and model.crs.is_latitude_first())
        if self.swap:
            self.axis_decimals = [self.axis_decimals[1], self.axis_decimals[0], self.axis_decimals[2]]
        self.problems = problems
        self.generic_notes: set[tuple[str, str]] = set()
        self.ids: set[str] = set()
        self.counter = 0
        self.fmt_cache: dict[int, str] = {}
        self.gml = "gml"
        self.srs_dim = ' srsDimension="3"'
        self.seq_cache: dict = {}
        self.pfx: dict[str, str] = {}
        self.done: set[str] = set()
        self.orphans: list[str] = []
        self.inline_polys: dict[int, str] = {}
        self.template_ids: dict[int, str] = {}
        self.renamed: dict[str, str] = {}
        self.m_vertices_override: np.ndarray | None = None

    # -- ids and numbers ------------------------------------------------------------------------
    def new_id(self, hint: str) -> str:
        self.counter += 1
        base = hint if _NCNAME.match(hint) else "id_" + re.sub(r"[^\w.\-]", "_", hint)
        gid = f"{base}_{self.counter}"
        self.ids.add(gid)
        return gid

    def object_id(self, oid: str) -> str:
        """The gml:id for an object id; ids that are not XML names get a new one (the original is
        kept in the ``cityjsonId`` generic attribute, which the reader restores)."""
        if _NCNAME.match(oid) and oid not in self.ids:
            self.ids.add(oid)
            return oid
        new = self.new_id(oid)
        self.renamed[oid] = new
        return new

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

    # -- geometry -------------------------------------------------------------------------------
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

    # -- objects --------------------------------------------------------------------------------
    def seq_maps(self, ns: str, el: str) -> tuple[dict[str, int], dict[str, Any], dict[str, str]]:
        """For a class: property name -> schema position, -> type qname, -> namespace prefix."""
        key = (ns, el)
        r = self.seq_cache.get(key)
        if r is None:
            seq = property_sequence(self.v, ns, el)
            if not seq:
                raise OutputError(f"no schema for {el} ({ns}) in CityGML {self.v}")
            rev = {u: p for p, u in self.ns.items()}
            order: dict[str, int] = {}
            types: dict[str, Any] = {}
            pfx: dict[str, str] = {}
            for i, (pns, name, t) in enumerate(seq):
                if name not in order or pfx.get(name) == "gml":
                    order[name] = i
                    types[name] = t
                    pfx[name] = rev.get(pns, "core")
            r = self.seq_cache[key] = (order, types, pfx)
        return r

    def cls(self, o: CityObject) -> tuple[str, str, bool]:
        """(prefix, element, type_is_kept) for an object."""
        c = self.classes.get(o.type)
        if c is not None:
            return c[0], c[1], True
        return "gen", ("GenericOccupiedSpace" if self.v == "3.0" else "GenericCityObject"), False

    def encode(self, o: CityObject) -> str:
        """The whole ``<bldg:Building>...`` element of ``o`` (children nested)."""
        prefix, el, kept = self.cls(o)
        order, types, pfx = self.seq_maps(self.ns[prefix], el)
        self.pfx = pfx
        props: list[tuple[int, str]] = []
        gid = self.object_id(o.id)
        attrs = dict(o.attributes)
        if not kept:
            attrs[TYPE_ATTRIBUTE] = o.type
        if gid != o.id:
            attrs[ID_ATTRIBUTE] = o.id
        self.attributes(attrs, order, types, pfx, props, o.id)
        self.geometries(o, prefix, el, order, props)
        self.pfx = pfx
        self.children(o, prefix, order, props)
        if o.address:
            self.address(o, pfx, order, props)
        props.sort(key=lambda p: p[0])
        body = "".join(p[1] for p in props)
        return f'<{prefix}:{el} gml:id="{gid}">{body}</{prefix}:{el}>'

    # attributes
    def generic_slot(self, order: dict) -> int:
        for name in ("genericAttribute", "_GenericApplicationPropertyOfCityObject"):
            if name in order:
                return order[name]
        return len(order)

    def attributes(self, attrs: dict, order: dict, types: dict, pfx: dict, props: list, oid: str | None) -> None:
        gslot = self.generic_slot(order)
        noted: dict[str, str] = {}
        for k, v in attrs.items():
            if v is None:  # a null (CityJSON's "no value"): a generic attribute noted "json"
                props.append((gslot, self.generic(k, v)))
                noted[k] = "json"
                continue
            if k in ("name", "description") and "name" in order:
                for x in (v if isinstance(v, list) else [v]):
                    props.append((order[k], f"<gml:{k}>{escape(str(x))}</gml:{k}>"))
                continue
            if k == "identifier" and self.v == "3.0" and isinstance(v, str):
                props.append((order["identifier"], f'<gml:identifier codeSpace="unknown">{escape(v)}</gml:identifier>'))
                continue
            t = types.get(k)
            if t is not None and t[1] in _SIMPLE_TYPES and k not in ("name", "description", "identifier", "lod"):
                xml = self.simple(pfx[k], k, t[1], v)
                if xml is not None:
                    props.append((order[k], xml))
                    continue
            if t is not None and k in _COMPLEX.get(self.v, {}):
                xml = _complex(pfx[k], k, v, _COMPLEX[self.v][k])
                if xml is not None:
                    props.append((order[k], xml))
                    continue
            if t is not None and t[1] not in _SIMPLE_TYPES and k not in ("name", "description", "identifier", "lod"):
                # a CityGML property of this class (a point cloud, a height of another shape, ...)
                # whose structure we keep but cannot write as its own type: said once per property
                note = (k, t[1])
                if note not in self.generic_notes:
                    self.generic_notes.add(note)
                    self.problems.report(oid, f"property {k!r} ({t[1]}) of CityGML {self.v} is written as a "
                                              "generic attribute (its content is kept, not its CityGML type)")
            kind = _value_type_note(v)
            if kind == "json" and isinstance(v, dict):  # a set that would not read back as it is
                v = json.dumps(v, ensure_ascii=False)
            props.append((gslot, self.generic(k, v)))
            if kind:
                noted[k] = kind
        if noted:
            props.append((gslot, self.generic(VALUE_TYPES_ATTRIBUTE, json.dumps(noted, ensure_ascii=False))))

    def simple(self, prefix: str, k: str, t: str, v: Any) -> str | None:
        vals = v if isinstance(v, list) and t in ("CodeType",) else [v]
        out = []
        for x in vals:
            uom = ""
            if isinstance(x, dict) and "value" in x:
                uom, x = x.get("uom", ""), x["value"]
            if t in ("integer", "nonNegativeInteger", "positiveInteger", "gYear"):
                if not isinstance(x, int) or isinstance(x, bool) or (t != "integer" and x < 0):
                    return None
                s = str(x)
            elif t in ("double", "LengthType", "MeasureType"):
                if not isinstance(x, (int, float)) or isinstance(x, bool):
                    return None
                s = repr(float(x))
                uom = f' uom={quoteattr(uom or "m")}' if t != "double" else ""
            elif t in ("MeasureOrNullListType", "MeasureOrNilReasonListType"):
                xs = x if isinstance(x, list) else [x]
                if not all(isinstance(y, (int, float)) for y in xs):
                    return None
                s = " ".join(repr(float(y)) for y in xs)
                uom = f' uom={quoteattr(uom or "m")}'
            elif t == "date":
                if not (isinstance(x, str) and _DATE.match(x)):
                    return None
                s = x
            elif t == "dateTime":
                if not (isinstance(x, str) and _DATETIME.match(x)):
                    return None
                s = x
            elif t == "RelativeToTerrainType":
                if x not in _TERRAIN:
                    return None
                s = x
            elif t == "RelativeToWaterType":
                if x not in _WATER:
                    return None
                s = x
            elif t == "boolean":
                if not isinstance(x, bool):
                    return None
                s = "true" if x else "false"
            else:
                if isinstance(x, (dict, list)):
                    return None
                s = str(x)
            out.append(f"<{prefix}:{k}{uom}>{escape(s)}</{prefix}:{k}>")
        return "".join(out)

    def generic(self, k: str, v: Any, nested: bool = False) -> str:
        if isinstance(v, list) and v and all(isinstance(x, (str, int, float)) and not isinstance(x, bool) for x in v):
            return "".join(self.generic(k, x, nested) for x in v)
        name = escape(k)
        if self.v == "3.0":
            w = "gen:genericAttribute" if nested else "core:genericAttribute"
            if isinstance(v, dict) and not ("value" in v and "uom" in v):
                inner = "".join(self.generic(kk, vv, True) for kk, vv in v.items() if vv is not None)
                return (f"<{w}><gen:GenericAttributeSet><gen:name>{name}</gen:name>{inner}"
                        f"</gen:GenericAttributeSet></{w}>")
            kind, val, uom = _generic_kind(v)
            uattr = f" uom={quoteattr(uom)}" if kind == "Measure" else ""
            return (f"<{w}><gen:{kind}Attribute><gen:name>{name}</gen:name>"
                    f"<gen:value{uattr}>{escape(val)}</gen:value></gen:{kind}Attribute></{w}>")
        if isinstance(v, dict) and not ("value" in v and "uom" in v):
            inner = "".join(self.generic(kk, vv) for kk, vv in v.items() if vv is not None)
            return f'<gen:genericAttributeSet name={quoteattr(k)}>{inner}</gen:genericAttributeSet>'
        kind, val, uom = _generic_kind(v)
        tag = kind[0].lower() + kind[1:] + "Attribute"
        uattr = f" uom={quoteattr(uom)}" if kind == "Measure" else ""
        return f'<gen:{tag} name={quoteattr(k)}><gen:value{uattr}>{escape(val)}</gen:value></gen:{tag}>'

    # geometries and thematic surfaces
    def geometries(self, o: CityObject, prefix: str, el: str, order: dict, props: list) -> None:
        used: set[str] = set()
        app: dict[str, dict] = {}
        for gi, g in enumerate(o.geometry):
            lod = (g.lod or "0").split(".")[0]
            if g.is_instance:
                name = f"lod{lod}ImplicitRepresentation"
                if name not in order or name in used:
                    self.problems.report(o.id, f"an implicit geometry of LoD {g.lod} has no place in {prefix}:{el} "
                                         f"of CityGML {self.v} (skipped)", "error", geometry=gi)
                    continue
                used.add(name)
                props.append((order[name], f"<{self.pfx[name]}:{name}>{self.implicit(g)}</{self.pfx[name]}:{name}>"))
                continue
            if o.type == "TINRelief":
                continue  # written by the relief wrapper
            name = self.geometry_property(g, lod, order, used, o)
            fallback = None
            loose_cls = ("gen", "GenericThematicSurface")
            if name is None:
                fallback = self.surface_fallback(g, lod, order, used)
                if fallback is None:
                    self.problems.report(o.id, f"a {g.type} of LoD {g.lod} has no place in {prefix}:{el} of "
                                         f"CityGML {self.v} (skipped)", "error", geometry=gi)
                    continue
                name = fallback if fallback != "boundary" else None
                # CityGML 2.0 had lod0FootPrint and lod0RoofEdge; 3.0 keeps one lod0MultiSurface on the
                # space, so the second (unlabelled) LoD 0 surface of a building-like object, the roof
                # edge as our 2.0 writer orders them, becomes a RoofSurface
                if lod == "0" and g.semantics is None and prefix in ("bldg", "brid", "tun") \
                        and "lod0MultiSurface" in used:
                    loose_cls = ("con", "RoofSurface")
                self.problems.report(o.id, f"{prefix}:{el} of CityGML {self.v} has no (free) LoD {lod} property "
                                     f"for a {g.type}: the LoD "
                                     f"{g.lod} {g.type} is written as " + (
                                         f"{fallback} (its surfaces close a shell)" if name else
                                         f"boundary surfaces (lod{lod}MultiSurface of its semantic surfaces, "
                                         f"the rest in a {loose_cls[0]}:{loose_cls[1]})"), geometry=gi)
            if name is not None:
                used.add(name)
            pid = [self.new_id(f"{o.id}_{gi}") for _ in range(g.n_surfaces)] if g.has_surfaces else []
            ring_ids = bool(g.textures)
            self.inline_polys = {}
            referenced: dict[int, str] = {}
            if g.has_surfaces:
                self.thematic(o, g, gi, lod, prefix, order, props, pid, referenced, ring_ids,
                              quiet=fallback == "boundary")
                if fallback == "boundary":
                    loose = [j for j in range(g.n_surfaces) if j not in referenced]
                    self.generic_boundary(o, g, loose, lod, order, props, pid, ring_ids, loose_cls)
                for j in range(g.n_surfaces):
                    if j not in referenced:
                        self.inline_polys[j] = self.polygon(g, j, pid[j], ring_ids)
            if name is not None:
                if fallback is not None:  # a closed MultiSurface as a Solid
                    body = self.surface_members(g, range(g.n_surfaces), referenced)
                    shell = f"<gml:Shell>{body}</gml:Shell>" if self.v == "3.0" else \
                        f"<gml:CompositeSurface>{body}</gml:CompositeSurface>"
                    gml = f"<gml:Solid><gml:exterior>{shell}</gml:exterior></gml:Solid>"
                else:
                    gml = self.geometry(g, referenced)
                pp = self.pfx[name]
                props.append((order[name], f"<{pp}:{name}>{gml}</{pp}:{name}>"))
            if g.materials or g.textures:
                self.collect_appearance(g, pid, app)
        if app:
            self.appearance(app, order, props)

    def implicit(self, g: Geometry) -> str:
        """``core:ImplicitGeometry``: the template inline the first time, by xlink afterwards."""
        t = g.template
        tid = self.template_ids.get(t)
        rel = "relativeGeometry" if self.v == "3.0" else "relativeGMLGeometry"
        if tid is None:
            tg = self.m.templates[t]
            tid = self.template_ids[t] = self.new_id(f"template_{t}")
            pool, self.m_vertices_override = self.m_vertices_override, self.m.template_vertices
            try:
                pid = [self.new_id(f"{tid}_s") for _ in range(tg.n_surfaces)] if tg.has_surfaces else []
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

    def geometry_property(self, g: Geometry, lod: str, order: dict, used: set, o: CityObject) -> str | None:
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

    def surface_fallback(self, g: Geometry, lod: str, order: dict, used: set) -> str | None:
        """Where a surface geometry goes when the class has no free property for it (CityGML 3.0
        spaces have no lod1MultiSurface, one lod0MultiSurface for LoD 0 footprint and roof edge, one
        lodNSolid for several LoD N.x refinements, no MultiSolid): a MultiSurface whose surfaces close
        a shell goes to a free ``lod{lod}Solid``, else anything with surfaces to ``"boundary"``
        (thematic boundary surfaces, which have every lod0-3MultiSurface in 3.0), else None."""
        if not g.has_surfaces or not g.n_surfaces:
            return None
        solid = f"lod{lod}Solid"
        if g.type in ("MultiSurface", "CompositeSurface") and solid in order and solid not in used \
                and _closed_shell(self.m.vertices, g):
            return solid
        if "boundary" in order:
            try:
                torder = self.seq_maps(self.ns["gen"], "GenericThematicSurface")[0]
            except (OutputError, KeyError):
                return None
            if f"lod{lod}MultiSurface" in torder:
                return "boundary"
        return None

    def generic_boundary(self, o, g: Geometry, js: list[int], lod: str, order: dict, props: list,
                         pid: list[str], ring_ids: bool,
                         cls: tuple[str, str] = ("gen", "GenericThematicSurface")) -> None:
        """Surfaces ``js`` of ``g`` as one thematic ``boundary`` (3.0) of class ``cls`` (module prefix,
        element), polygons inline in its ``lod{lod}MultiSurface``."""
        if not js:
            return
        pfx = self.pfx
        torder, _ttypes, tpfx = self.seq_maps(self.ns[cls[0]], cls[1])
        self.pfx = pfx
        lodprop = f"lod{lod}MultiSurface"
        if lodprop not in torder:
            cls = ("gen", "GenericThematicSurface")
            tpfx = self.seq_maps(self.ns["gen"], "GenericThematicSurface")[2]
            self.pfx = pfx
        members = "".join(f"<gml:surfaceMember>{self.polygon(g, j, pid[j], ring_ids)}</gml:surfaceMember>"
                          for j in js)
        lp = tpfx[lodprop]
        tag = f"{cls[0]}:{cls[1]}"
        gid = self.new_id(f"{o.id}_{cls[1]}")
        body = (f'<{tag} gml:id="{gid}"><{lp}:{lodprop}><gml:MultiSurface>{members}'
                f"</gml:MultiSurface></{lp}:{lodprop}></{tag}>")
        bp = pfx["boundary"]
        props.append((order["boundary"], f"<{bp}:boundary>{body}</{bp}:boundary>"))

    def thematic(self, o, g: Geometry, gi: int, lod: str, prefix: str, order: dict, props: list,
                 pid: list[str], referenced: dict[int, str], ring_ids: bool, quiet: bool = False) -> None:
        """Write semantic surfaces as thematic surfaces holding their polygons (referenced by xlink).

        ``quiet``: the caller writes the surfaces left over itself (no problem reported here)."""
        sem = g.semantics
        if sem is None:
            return
        vals = sem.values
        by_sem: dict[int, list[int]] = {}
        for j, v in enumerate(vals.tolist()):
            if v >= 0:
                by_sem.setdefault(v, []).append(j)
        written: dict[int, str] = {}
        skipped = 0
        for si, js in by_sem.items():
            s = sem.surfaces[si]
            if "parent" in s and s["parent"] is not None:
                continue  # written inside the parent
            xml = self.thematic_element(o, g, si, js, by_sem, lod, prefix, pid, referenced, ring_ids, order)
            if xml is None:
                skipped += len(js)
                continue
            wrapper, body = xml
            if wrapper not in order or self.pfx.get(wrapper) == "gml":  # gml:boundedBy is the envelope
                for j in js:
                    referenced.pop(j, None)
                skipped += len(js)
                continue
            written[si] = body
            wp = self.pfx[wrapper]
            props.append((order[wrapper], f"<{wp}:{wrapper}>{body}</{wp}:{wrapper}>"))
        if skipped and not quiet:
            self.problems.report(o.id, f"{skipped} semantic surface(s) of a LoD {g.lod} {g.type} cannot be "
                                 f"thematic surfaces of {o.type} in CityGML {self.v}: written without semantics",
                                 geometry=gi)

    def thematic_element(self, o, g, si, js, by_sem, lod, prefix, pid, referenced, ring_ids, order):
        s = g.semantics.surfaces[si]
        typ = s.get("type", "")
        wmap = WRITE_SEMANTICS_3 if self.v == "3.0" else WRITE_SEMANTICS_2
        el = wmap.get(typ, typ)
        if not el or el.startswith("+"):
            return None
        tprefix, wrapper = self.thematic_module(o, typ, prefix)
        if tprefix is None:
            return None
        try:
            torder, ttypes, tpfx = self.seq_maps(self.ns[tprefix], el)
        except OutputError:
            return None
        lodprop = f"lod{lod}MultiSurface" if f"lod{lod}MultiSurface" in torder else (
            f"lod{lod}Surface" if f"lod{lod}Surface" in torder else None)
        if lodprop is None:
            return None
        tprops: list[tuple[int, str]] = []
        members = []
        for j in js:
            members.append(f"<gml:surfaceMember>{self.polygon(g, j, pid[j], ring_ids)}</gml:surfaceMember>")
            referenced[j] = pid[j]
        if lodprop.endswith("MultiSurface"):
            geom = f"<gml:MultiSurface>{''.join(members)}</gml:MultiSurface>"
        else:
            geom = f"<gml:CompositeSurface>{''.join(members)}</gml:CompositeSurface>"
        lp = tpfx[lodprop]
        tprops.append((torder[lodprop], f"<{lp}:{lodprop}>{geom}</{lp}:{lodprop}>"))
        attrs = {k: v for k, v in s.items() if k not in ("type", "parent", "children", "id")}
        self.attributes(attrs, torder, ttypes, tpfx, tprops, None)
        for ci in s.get("children") or []:
            cjs = by_sem.get(ci)
            if not cjs:
                continue
            child = self.thematic_element(o, g, ci, cjs, by_sem, lod, prefix, pid, referenced, ring_ids, order)
            oprop = "fillingSurface" if self.v == "3.0" else "opening"
            if child is None or oprop not in torder:
                for j in cjs:
                    referenced.pop(j, None)
                continue
            op = tpfx[oprop]
            tprops.append((torder[oprop], f"<{op}:{oprop}>{child[1]}</{op}:{oprop}>"))
        tprops.sort(key=lambda p: p[0])
        gid = self.new_id(f"{o.id}_{el}")
        return wrapper, f'<{tprefix}:{el} gml:id="{gid}">{"".join(p[1] for p in tprops)}</{tprefix}:{el}>'

    def thematic_module(self, o: CityObject, typ: str, prefix: str) -> tuple[str | None, str]:
        """(module prefix of the thematic surface, property of the parent holding it), or (None, "")
        when the parent cannot hold it: in 3.0 any space's ``boundary`` takes any thematic surface;
        in 2.0 only transportation objects hold traffic areas, water bodies water surfaces and
        buildings / bridges / tunnels the building-like boundary surfaces."""
        if typ in ("TrafficArea", "AuxiliaryTrafficArea", "TransportationMarking", "TransportationHole"):
            if self.v == "3.0":
                return "tran", "boundary"
            return ("tran", "trafficArea" if typ == "TrafficArea" else "auxiliaryTrafficArea") \
                if typ in ("TrafficArea", "AuxiliaryTrafficArea") and prefix == "tran" else (None, "")
        if typ.startswith("Water"):
            if self.v == "3.0":
                return "wtr", "boundary"
            return ("wtr", "boundedBy") if prefix == "wtr" else (None, "")
        if typ == "GenericThematicSurface":
            return ("gen", "boundary") if self.v == "3.0" else (None, "")
        if self.v == "3.0":
            return "con", "boundary"
        if prefix in ("bldg", "brid", "tun"):
            return prefix, "boundedBy"
        return None, ""

    # appearance
    def collect_appearance(self, g: Geometry, pid: list[str], app: dict) -> None:
        for theme, mm in g.materials.items():
            t = app.setdefault(theme, {"mat": {}, "tex": {}})
            for j, v in enumerate(mm.values.tolist()):
                if v >= 0:
                    t["mat"].setdefault(v, []).append(pid[j])
        uvs = self.m.appearance.texture_vertices
        for theme, tm in g.textures.items():
            t = app.setdefault(theme, {"mat": {}, "tex": {}})
            for j in range(g.n_surfaces):
                r0, r1 = g.surface_offsets[j], g.surface_offsets[j + 1]
                tex = tm.ring_texture[r0]
                if tex < 0:
                    continue
                rings = []
                for k in range(r0, r1):
                    a, b = g.ring_offsets[k], g.ring_offsets[k + 1]
                    uv = tm.uv[a:b]
                    if (uv < 0).any():
                        break
                    c = uvs[uv]
                    c = np.vstack([c, c[:1]])
                    rings.append((f"{pid[j]}_{k - r0}", " ".join(f"{x:.6g}" for x in c.ravel().tolist())))
                else:
                    t["tex"].setdefault(int(tex), []).append((pid[j], rings))

    def appearance(self, app: dict, order: dict, props: list) -> None:
        slot = order.get("appearance", self.generic_slot(order))
        mats, texs = self.m.appearance.materials, self.m.appearance.textures
        sdm = "app:surfaceData" if self.v == "3.0" else "app:surfaceDataMember"
        for theme, t in app.items():
            items = []
            for mi, targets in sorted(t["mat"].items()):
                mat = mats[mi]
                parts = []
                for k in ("ambientIntensity", "diffuseColor", "emissiveColor", "specularColor", "shininess",
                          "transparency"):
                    if k in mat:
                        val = mat[k]
                        s = " ".join(repr(float(x)) for x in val) if isinstance(val, list) else repr(float(val))
                        parts.append(f"<app:{k}>{s}</app:{k}>")
                if "isSmooth" in mat:
                    parts.append(f"<app:isSmooth>{'true' if mat['isSmooth'] else 'false'}</app:isSmooth>")
                parts.extend(f"<app:target>#{p}</app:target>" for p in targets)
                items.append(f"<{sdm}><app:X3DMaterial>{''.join(parts)}</app:X3DMaterial></{sdm}>")
            for ti, targets in sorted(t["tex"].items()):
                tex = texs[ti]
                img = tex.get("image", "")
                parts = [f"<app:imageURI>{escape(img)}</app:imageURI>"]
                mime = "image/png" if img.lower().endswith(".png") else "image/jpeg"
                parts.append(f"<app:mimeType>{mime}</app:mimeType>")
                if tex.get("textureType") in ("specific", "typical", "unknown"):
                    parts.append(f"<app:textureType>{tex['textureType']}</app:textureType>")
                if tex.get("wrapMode") in ("none", "wrap", "mirror", "clamp", "border"):
                    parts.append(f"<app:wrapMode>{tex['wrapMode']}</app:wrapMode>")
                bc = tex.get("borderColor")
                if isinstance(bc, list) and len(bc) == 4:
                    parts.append(f"<app:borderColor>{' '.join(repr(float(x)) for x in bc)}</app:borderColor>")
                for poly, rings in targets:
                    if self.v == "3.0":
                        coords = "".join(f"<app:textureCoordinates>{c}</app:textureCoordinates>" for _, c in rings) \
                            + "".join(f"<app:ring>#{rid}</app:ring>" for rid, _ in rings)
                        parts.append(f"<app:textureParameterization><app:TextureAssociation><app:target>#{poly}"
                                     f"</app:target><app:textureParameterization><app:TexCoordList>{coords}"
                                     "</app:TexCoordList></app:textureParameterization></app:TextureAssociation>"
                                     "</app:textureParameterization>")
                    else:
                        coords = "".join(f'<app:textureCoordinates ring="#{rid}">{c}</app:textureCoordinates>'
                                         for rid, c in rings)
                        parts.append(f'<app:target uri="#{poly}"><app:TexCoordList>{coords}</app:TexCoordList>'
                                     "</app:target>")
                items.append(f"<{sdm}><app:ParameterizedTexture>{''.join(parts)}</app:ParameterizedTexture></{sdm}>")
            if items:
                wrap = "core:appearance" if self.v == "3.0" else "app:appearance"
                props.append((slot, f"<{wrap}><app:Appearance><app:theme>{escape(theme)}</app:theme>"
                              f"{''.join(items)}</app:Appearance></{wrap}>"))

    # children and addresses
    def children(self, o: CityObject, prefix: str, order: dict, props: list) -> None:
        pfx = self.pfx
        for cid in o.children:
            c = self.m.objects.get(cid)
            if c is None or (cid in self.done and o.type != "CityObjectGroup"):
                continue
            if o.type == "CityObjectGroup":
                ref = self.renamed.get(cid) or (cid if _NCNAME.match(cid) else self.object_id(cid))
                if self.v == "2.0":
                    props.append((order["groupMember"], f'<grp:groupMember xlink:href="#{ref}"/>'))
                else:
                    props.append((order["groupMember"], f'<grp:groupMember><grp:Role><grp:groupMember '
                                  f'xlink:href="#{ref}"/></grp:Role></grp:groupMember>'))
                continue
            pname = self.child_props.get(c.type)
            if pname is None or pname not in order:
                self.orphans.append(cid)
                self.problems.report(cid, f"{c.type} cannot be a child of {o.type} in CityGML {self.v}: written "
                                     "as a top-level object")
                continue
            self.done.add(cid)
            pp = pfx[pname]
            props.append((order[pname], f"<{pp}:{pname}>{self.encode(c)}</{pp}:{pname}>"))

    def address(self, o: CityObject, pfx: dict, order: dict, props: list) -> None:
        if "address" not in order:
            return
        p = pfx["address"]
        for a in o.address or []:
            x = _xal3(a) if self.v == "3.0" else _xal2(a)
            xml = f"<core:Address><core:xalAddress>{x}</core:xalAddress></core:Address>"
            props.append((order["address"], f"<{p}:address>{xml}</{p}:address>"))

    # relief
    def relief(self, o: CityObject) -> str | None:
        geoms = [g for g in o.geometry if g.has_surfaces]
        if not geoms:
            return None
        g = geoms[0]
        lod = (g.lod or "0").split(".")[0]
        tris = []
        ring_len = np.diff(g.ring_offsets)
        if len(ring_len) != g.n_surfaces or np.any(ring_len != 3):
            self.problems.report(o.id, "TINRelief surfaces are not all triangles without holes: not written",
                                 "error")
            return None
        for j in range(g.n_surfaces):
            tris.append(f"<gml:Triangle>{self.ring(g, j, True, None)}</gml:Triangle>")
        patches = "patches" if self.v == "3.0" else "trianglePatches"
        tin = f"<gml:TriangulatedSurface><gml:{patches}>{''.join(tris)}</gml:{patches}></gml:TriangulatedSurface>"
        tid = self.object_id(o.id)
        order, types, pfx = self.seq_maps(self.ns["dem"], "TINRelief")
        props: list[tuple[int, str]] = [(order["lod"], f"<dem:lod>{lod}</dem:lod>"),
                                        (order["tin"], f"<dem:tin>{tin}</dem:tin>")]
        attrs = {k: v for k, v in o.attributes.items() if k not in ("reliefFeature", "reliefFeatureName")}
        if tid != o.id:
            attrs[ID_ATTRIBUTE] = o.id
        self.attributes(attrs, order, types, pfx, props, o.id)
        props.sort(key=lambda p: p[0])
        comp = f'<dem:TINRelief gml:id="{tid}">{"".join(p[1] for p in props)}</dem:TINRelief>'
        rf = o.attributes.get("reliefFeature")
        rid = rf if isinstance(rf, str) and _NCNAME.match(rf) and rf not in self.ids else self.new_id(f"{o.id}_relief")
        self.ids.add(rid)
        name = o.attributes.get("reliefFeatureName")
        nm = f"<gml:name>{escape(str(name))}</gml:name>" if name else ""
        return (f'<dem:ReliefFeature gml:id="{rid}">{nm}<dem:lod>{lod}</dem:lod>'
                f"<dem:reliefComponent>{comp}</dem:reliefComponent></dem:ReliefFeature>")


def _closed_shell(vertices: np.ndarray, g: Geometry) -> bool:
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


#: complex properties written as their own type, per version: property -> (element, children in
#: schema order). con:height (HeightPropertyType) is the one real files carry.
_COMPLEX = {"3.0": {"height": ("Height", ("highReference", "lowReference", "status", "value"))}}


def _complex(prefix: str, k: str, v: Any, spec: tuple[str, tuple[str, ...]]) -> str | None:
    """``<prefix:k><prefix:Element>children</prefix:Element></prefix:k>`` for a value read as
    ``{Element: {child: text | {"value", "uom"}}}``, or None when it has another shape."""
    elem, children = spec
    if not (isinstance(v, dict) and list(v) == [elem] and isinstance(v[elem], dict)):
        return None
    body = v[elem]
    if not set(body) <= set(children):
        return None
    parts = []
    for c in children:
        if c not in body:
            continue
        x = body[c]
        if isinstance(x, dict) and set(x) == {"value", "uom"} and isinstance(x["value"], (int, float)):
            parts.append(f"<{prefix}:{c} uom={quoteattr(str(x['uom']))}>{float(x['value'])!r}</{prefix}:{c}>")
        elif isinstance(x, (str, int, float)) and not isinstance(x, bool):
            parts.append(f"<{prefix}:{c}>{escape(str(x))}</{prefix}:{c}>")
        else:
            return None
    return f"<{prefix}:{k}><{prefix}:{elem}>{''.join(parts)}</{prefix}:{elem}></{prefix}:{k}>"


def _value_type_note(v: Any) -> str | None:
    """``"boolean"`` / ``"json"`` for a generic attribute value that would read back as a string."""
    if isinstance(v, bool):
        return "boolean"
    if isinstance(v, list):
        if v and all(isinstance(x, (str, int, float)) and not isinstance(x, bool) for x in v):
            return "list" if len(v) == 1 else None   # repeated attributes, read back as a list (of 2+)
        return "json"
    if isinstance(v, dict) and "value" in v and "uom" in v:
        return None
    if isinstance(v, dict):  # a generic attribute set: only if every member reads back as it is
        return None if all(_set_member_ok(x) for x in v.values()) else "json"
    if isinstance(v, (str, int, float)):
        return None
    return "json"


def _set_member_ok(v: Any) -> bool:
    """True when ``v``, inside a generic attribute set, reads back as it is (the value-type note
    covers top-level attributes only): a string, number, measure, list of 2+ of those, or a set
    of such. A bool, a null, a one-element list, a list of sets (an ADE's repeated
    elements) would come back as strings or scalars."""
    if isinstance(v, bool) or v is None:
        return False
    if isinstance(v, (str, int, float)):
        return True
    if isinstance(v, dict):
        return ("value" in v and "uom" in v) or all(_set_member_ok(x) for x in v.values())
    if isinstance(v, list):
        return len(v) >= 2 and all(isinstance(x, (str, int, float)) and not isinstance(x, bool) for x in v)
    return False


def _generic_kind(v: Any) -> tuple[str, str, str]:
    if isinstance(v, dict) and "value" in v and "uom" in v:
        return "Measure", repr(float(v["value"])), str(v["uom"])
    if isinstance(v, bool):
        return "String", "true" if v else "false", ""
    if isinstance(v, int):
        return "Int", str(v), ""
    if isinstance(v, float):
        return "Double", repr(v), ""
    if isinstance(v, str):
        return "String", v, ""
    return "String", json.dumps(v, ensure_ascii=False), ""


def _xal2(a: dict) -> str:
    def el(tag: str, key: str, attr: str = "") -> str:
        return f"<xAL:{tag}{attr}>{escape(str(a[key]))}</xAL:{tag}>" if key in a else ""

    thor = ""
    if "ThoroughfareNumber" in a or "ThoroughfareName" in a:
        thor = f'<xAL:Thoroughfare Type="Street">{el("ThoroughfareNumber", "ThoroughfareNumber")}' \
               f'{el("ThoroughfareName", "ThoroughfareName")}</xAL:Thoroughfare>'
    post = f"<xAL:PostalCode>{el('PostalCodeNumber', 'PostalCodeNumber')}</xAL:PostalCode>" \
        if "PostalCodeNumber" in a else ""
    loc = f'<xAL:Locality Type="Town">{el("LocalityName", "LocalityName")}{thor}{post}</xAL:Locality>' \
        if (thor or post or "LocalityName" in a) else ""
    country = f"<xAL:Country>{el('CountryName', 'CountryName')}{loc}</xAL:Country>"
    return f"<xAL:AddressDetails>{country}</xAL:AddressDetails>"


def _xal3(a: dict) -> str:
    def ne(key: str, tag: str = "NameElement") -> str:
        return f"<xAL:{tag}>{escape(str(a[key]))}</xAL:{tag}>" if key in a else ""

    parts = []
    if "CountryName" in a:
        parts.append(f"<xAL:Country>{ne('CountryName')}</xAL:Country>")
    if "LocalityName" in a:
        parts.append(f"<xAL:Locality>{ne('LocalityName')}</xAL:Locality>")
    if "ThoroughfareName" in a or "ThoroughfareNumber" in a:
        parts.append(f"<xAL:Thoroughfare>{ne('ThoroughfareName')}{ne('ThoroughfareNumber', 'Number')}</xAL:Thoroughfare>")
    if "PostalCodeNumber" in a:
        parts.append(f"<xAL:PostCode>{ne('PostalCodeNumber', 'Identifier')}</xAL:PostCode>")
    return f"<xAL:Address>{''.join(parts)}</xAL:Address>"


def write_citygml(model: CityModel, path: str | Path, citygml_version: str = "2.0",
                  precision: float | None = None) -> None:
    """Write ``model`` as CityGML 2.0 or 3.0 (``.gml``, ``.xml``; ``.gz`` compressed).

    Parameters
    ----------
    citygml_version : "2.0" or "3.0"
    precision : metres per coordinate step (default 0.001: 1 mm; converted for degree axes)
    """
    version = str(citygml_version)
    if version in ("2", "3"):
        version += ".0"
    if version not in ("2.0", "3.0"):
        raise OutputError(f"CityGML version {citygml_version!r} cannot be written (choose 2.0 or 3.0)")
    precision = DEFAULT_PRECISION if precision is None else float(precision)
    if not precision > 0:
        raise OutputError(f"precision must be positive, not {precision}")
    path = Path(path)
    enc = _Encoder(model, version, precision, model.problems)
    ns = enc.ns
    decl = " ".join(f'xmlns:{p}="{u}"' for p, u in ns.items())
    if version == "3.0":
        decl += f' xmlns="{ns["core"]}"'
    head = [f'<?xml version="1.0" encoding="UTF-8"?>\n<core:CityModel {decl}>\n']
    title = model.metadata.get("title")
    if title:
        head.append(f"<gml:name>{escape(str(title))}</gml:name>\n")
    bbox = model.bbox()
    if np.all(np.isfinite(bbox)):
        lo, hi = bbox[:3], bbox[3:]
        if enc.swap:
            lo, hi = lo[[1, 0, 2]], hi[[1, 0, 2]]
        srs = f' srsName={quoteattr(model.crs.to_urn())}' if model.crs is not None and model.crs.to_urn() else ""
        ds = enc.axis_decimals
        head.append(f'<gml:boundedBy><gml:Envelope{srs} srsDimension="3"><gml:lowerCorner>'
                    f"{' '.join(f'{x:.{d}f}' for x, d in zip(lo, ds))}</gml:lowerCorner><gml:upperCorner>"
                    f"{' '.join(f'{x:.{d}f}' for x, d in zip(hi, ds))}</gml:upperCorner></gml:Envelope></gml:boundedBy>\n")
    member = "core:cityObjectMember"
    opener = gzip.open if path.name.lower().endswith(".gz") else None
    with atomic_open(path, "wb") as raw:
        f = gzip.GzipFile(fileobj=raw, mode="wb") if opener else raw
        try:
            f.write("".join(head).encode("utf-8"))
            roots = [o for o in model.objects.values()
                     if not [p for p in o.parents if p in model.objects and model.objects[p].type != "CityObjectGroup"]]
            queue = list(roots)
            while queue:
                o = queue.pop(0)
                if o.id in enc.done:
                    continue
                enc.done.add(o.id)
                xml = enc.relief(o) if o.type == "TINRelief" else enc.encode(o)
                if xml is not None:
                    f.write(f"<{member}>{xml}</{member}>\n".encode("utf-8"))
                if enc.orphans:
                    queue.extend(model.objects[c] for c in enc.orphans)
                    enc.orphans = []
            f.write(b"</core:CityModel>\n")
        finally:
            if opener:
                f.close()
