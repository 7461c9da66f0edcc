"""Streaming CityGML 2.0 / 3.0 writer, valid against the official XSDs.

Each top-level object (with its children nested as the schema wants: BuildingParts in
``consistsOfBuildingPart`` / ``buildingPart``, installations, rooms, ...) is encoded to a string
and written out at once, so memory stays at one object's text. Properties are emitted in the
order the XSD of each class demands (:func:`citytwin.io.citygml.schema.property_sequence`), so
every class is handled by the same code. Split along the reader's seams: geometry
(:mod:`~citytwin.io.citygml.write_geometry`), attributes (:mod:`~citytwin.io.citygml.write_attributes`),
appearance (:mod:`~citytwin.io.citygml.write_appearance`) and thematic surfaces
(:mod:`~citytwin.io.citygml.write_thematic`); this module encodes objects and writes the file.

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
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

import numpy as np

from citytwin.errors import OutputError, ProblemLog
from citytwin.io.atomic import atomic_open
from citytwin.io.citygml.vocab import GML31, GML32, WRITE_CLASSES_2, WRITE_CLASSES_3, XAL2, XAL3, XLINK
from citytwin.io.citygml.write_appearance import appearance_properties, collect_appearance
from citytwin.io.citygml.write_attributes import AttributeWriter, PropertyOrder
from citytwin.io.citygml.write_geometry import NCNAME, GeometryWriter, GmlIds, closed_shell, geometry_property
from citytwin.io.citygml.write_thematic import ThematicWriter
from citytwin.semantics.geometry import Geometry
from citytwin.semantics.model import CityModel, CityObject

DEFAULT_PRECISION = 0.001
_MODULES = {"bldg": "building", "brid": "bridge", "tun": "tunnel", "con": "construction", "tran": "transportation",
            "wtr": "waterbody", "veg": "vegetation", "luse": "landuse", "frn": "cityfurniture",
            "gen": "generics", "grp": "cityobjectgroup", "dem": "relief", "app": "appearance"}
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
#: attribute the writer stores the CityJSON type in when CityGML has no such class (read back by the reader)
TYPE_ATTRIBUTE = "cityjsonType"
#: attribute holding an object id that is not a valid XML id (read back by the reader)
ID_ATTRIBUTE = "cityjsonId"


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


class ObjectEncoder:
    """Encodes city objects as CityGML elements, properties in schema order; geometry, attributes,
    thematic surfaces and appearances are written by the helpers it holds."""

    def __init__(self, model: CityModel, version: str, precision: float, problems: ProblemLog) -> None:
        self.m = model
        self.v = version
        self.ns = namespaces(version)
        self.classes = WRITE_CLASSES_3 if version == "3.0" else WRITE_CLASSES_2
        self.child_props = _CHILD_PROPS_3 if version == "3.0" else _CHILD_PROPS_2
        self.problems = problems
        self.ids = GmlIds()
        self.order = PropertyOrder(version, self.ns)
        self.geom = GeometryWriter(model, version, precision, self.ids)
        self.attrs = AttributeWriter(version, problems)
        self.thematic = ThematicWriter(version, self.ns, self.order, self.geom, self.attrs, self.ids, problems)
        self.pfx: dict[str, str] = {}      # namespace prefix per property of the object being encoded
        self.done: set[str] = set()        # objects written (nested or top-level)
        self.orphans: list[str] = []       # children their parent cannot hold: written top-level next

    def cls(self, o: CityObject) -> tuple[str, str, bool]:
        """(prefix, element, type_is_kept) for an object."""
        c = self.classes.get(o.type)
        if c is not None:
            return c[0], c[1], True
        return "gen", ("GenericOccupiedSpace" if self.v == "3.0" else "GenericCityObject"), False

    def encode(self, o: CityObject) -> str:
        """The whole ``<bldg:Building>...`` element of ``o`` (children nested)."""
        prefix, el, kept = self.cls(o)
        order, types, pfx = self.order(self.ns[prefix], el)
        self.pfx = pfx
        props: list[tuple[int, str]] = []
        gid = self.ids.object_id(o.id)
        attrs = dict(o.attributes)
        if not kept:
            attrs[TYPE_ATTRIBUTE] = o.type
        if gid != o.id:
            attrs[ID_ATTRIBUTE] = o.id
        self.attrs.attributes(attrs, order, types, pfx, props, o.id)
        self.geometries(o, prefix, el, order, props)
        self.pfx = pfx
        self.children(o, prefix, order, props)
        if o.address:
            self.attrs.address(o, pfx, order, props)
        props.sort(key=lambda p: p[0])
        body = "".join(p[1] for p in props)
        return f'<{prefix}:{el} gml:id="{gid}">{body}</{prefix}:{el}>'

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
                props.append((order[name], f"<{self.pfx[name]}:{name}>{self.geom.implicit(g)}</{self.pfx[name]}:{name}>"))
                continue
            if o.type == "TINRelief":
                continue  # written by the relief wrapper
            name = geometry_property(g, lod, order, used)
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
            pid = [self.ids.new_id(f"{o.id}_{gi}") for _ in range(g.n_surfaces)] if g.has_surfaces else []
            ring_ids = bool(g.textures)
            self.geom.inline_polys = {}
            referenced: dict[int, str] = {}
            if g.has_surfaces:
                self.thematic.write(o, g, gi, lod, prefix, order, self.pfx, props, pid, referenced, ring_ids,
                                   quiet=fallback == "boundary")
                if fallback == "boundary":
                    loose = [j for j in range(g.n_surfaces) if j not in referenced]
                    self.thematic.generic_boundary(o, g, loose, lod, order, self.pfx, props, pid, ring_ids, loose_cls)
                for j in range(g.n_surfaces):
                    if j not in referenced:
                        self.geom.inline_polys[j] = self.geom.polygon(g, j, pid[j], ring_ids)
            if name is not None:
                if fallback is not None:  # a closed MultiSurface as a Solid
                    body = self.geom.surface_members(g, range(g.n_surfaces), referenced)
                    shell = f"<gml:Shell>{body}</gml:Shell>" if self.v == "3.0" else \
                        f"<gml:CompositeSurface>{body}</gml:CompositeSurface>"
                    gml = f"<gml:Solid><gml:exterior>{shell}</gml:exterior></gml:Solid>"
                else:
                    gml = self.geom.geometry(g, referenced)
                pp = self.pfx[name]
                props.append((order[name], f"<{pp}:{name}>{gml}</{pp}:{name}>"))
            if g.materials or g.textures:
                collect_appearance(self.m, g, pid, app)
        if app:
            slot = order.get("appearance", self.attrs.generic_slot(order))
            appearance_properties(self.m, self.v, app, slot, props)

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
                and closed_shell(self.m.vertices, g):
            return solid
        if "boundary" in order:
            try:
                torder = self.order(self.ns["gen"], "GenericThematicSurface")[0]
            except (OutputError, KeyError):
                return None
            if f"lod{lod}MultiSurface" in torder:
                return "boundary"
        return None

    def children(self, o: CityObject, prefix: str, order: dict, props: list) -> None:
        pfx = self.pfx
        for cid in o.children:
            c = self.m.objects.get(cid)
            if c is None or (cid in self.done and o.type != "CityObjectGroup"):
                continue
            if o.type == "CityObjectGroup":
                ref = self.ids.renamed.get(cid) or (cid if NCNAME.match(cid) else self.ids.object_id(cid))
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
            tris.append(f"<gml:Triangle>{self.geom.ring(g, j, True, None)}</gml:Triangle>")
        patches = "patches" if self.v == "3.0" else "trianglePatches"
        tin = f"<gml:TriangulatedSurface><gml:{patches}>{''.join(tris)}</gml:{patches}></gml:TriangulatedSurface>"
        tid = self.ids.object_id(o.id)
        order, types, pfx = self.order(self.ns["dem"], "TINRelief")
        props: list[tuple[int, str]] = [(order["lod"], f"<dem:lod>{lod}</dem:lod>"),
                                        (order["tin"], f"<dem:tin>{tin}</dem:tin>")]
        attrs = {k: v for k, v in o.attributes.items() if k not in ("reliefFeature", "reliefFeatureName")}
        if tid != o.id:
            attrs[ID_ATTRIBUTE] = o.id
        self.attrs.attributes(attrs, order, types, pfx, props, o.id)
        props.sort(key=lambda p: p[0])
        comp = f'<dem:TINRelief gml:id="{tid}">{"".join(p[1] for p in props)}</dem:TINRelief>'
        rf = o.attributes.get("reliefFeature")
        rid = rf if isinstance(rf, str) and NCNAME.match(rf) and rf not in self.ids.used else self.ids.new_id(f"{o.id}_relief")
        self.ids.used.add(rid)
        name = o.attributes.get("reliefFeatureName")
        nm = f"<gml:name>{escape(str(name))}</gml:name>" if name else ""
        return (f'<dem:ReliefFeature gml:id="{rid}">{nm}<dem:lod>{lod}</dem:lod>'
                f"<dem:reliefComponent>{comp}</dem:reliefComponent></dem:ReliefFeature>")


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
    enc = ObjectEncoder(model, version, precision, model.problems)
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
        if enc.geom.swap:
            lo, hi = lo[[1, 0, 2]], hi[[1, 0, 2]]
        srs = f' srsName={quoteattr(model.crs.to_urn())}' if model.crs is not None and model.crs.to_urn() else ""
        ds = enc.geom.axis_decimals
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
