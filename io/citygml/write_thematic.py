"""CityGML writer, thematic surfaces: semantic surfaces written as CityGML boundary features.

Each semantic surface becomes a thematic surface (``bldg:WallSurface`` in ``boundedBy`` for 2.0,
``con:WallSurface`` in ``boundary`` for 3.0, openings nested in ``opening`` / ``fillingSurface``)
holding its polygons with their attributes; the object's geometry property then points at them
with ``xlink:href`` (``referenced``), keeping the surface order. The writer's counterpart of the
reader's thematic surfaces (:meth:`citytwin.io.citygml.features.FeatureReader._thematic`).
"""

from __future__ import annotations

from citytwin.errors import OutputError, ProblemLog
from citytwin.io.citygml.vocab import WRITE_SEMANTICS_2, WRITE_SEMANTICS_3
from citytwin.io.citygml.write_attributes import AttributeWriter, PropertyOrder
from citytwin.io.citygml.write_geometry import GeometryWriter, GmlIds
from citytwin.semantics.geometry import Geometry


class ThematicWriter:
    """Writes the semantic surfaces of a geometry as thematic surfaces (:meth:`write`)."""

    def __init__(self, version: str, ns: dict[str, str], order: PropertyOrder, geom: GeometryWriter,
                 attrs: AttributeWriter, ids: GmlIds, problems: ProblemLog) -> None:
        self.v = version
        self.ns = ns
        self.order = order
        self.geom = geom
        self.attrs = attrs
        self.ids = ids
        self.problems = problems

    def write(self, o, g: Geometry, gi: int, lod: str, prefix: str, order: dict, pfx: dict, props: list,
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
            xml = self.element(o, g, si, js, by_sem, lod, prefix, pid, referenced, ring_ids, order)
            if xml is None:
                skipped += len(js)
                continue
            wrapper, body = xml
            if wrapper not in order or pfx.get(wrapper) == "gml":  # gml:boundedBy is the envelope
                for j in js:
                    referenced.pop(j, None)
                skipped += len(js)
                continue
            written[si] = body
            wp = pfx[wrapper]
            props.append((order[wrapper], f"<{wp}:{wrapper}>{body}</{wp}:{wrapper}>"))
        if skipped and not quiet:
            self.problems.report(o.id, f"{skipped} semantic surface(s) of a LoD {g.lod} {g.type} cannot be "
                                 f"thematic surfaces of {o.type} in CityGML {self.v}: written without semantics",
                                 geometry=gi)

    def element(self, o, g, si, js, by_sem, lod, prefix, pid, referenced, ring_ids, order):
        """(parent property, ``<con:WallSurface>`` text) for semantic surface ``si`` of ``g`` (surfaces
        ``js``, openings nested), its polygons inline; None when the class cannot hold it."""
        s = g.semantics.surfaces[si]
        typ = s.get("type", "")
        wmap = WRITE_SEMANTICS_3 if self.v == "3.0" else WRITE_SEMANTICS_2
        el = wmap.get(typ, typ)
        if not el or el.startswith("+"):
            return None
        tprefix, wrapper = thematic_module(self.v, typ, prefix)
        if tprefix is None:
            return None
        try:
            torder, ttypes, tpfx = self.order(self.ns[tprefix], el)
        except OutputError:
            return None
        lodprop = f"lod{lod}MultiSurface" if f"lod{lod}MultiSurface" in torder else (
            f"lod{lod}Surface" if f"lod{lod}Surface" in torder else None)
        if lodprop is None:
            return None
        tprops: list[tuple[int, str]] = []
        members = []
        for j in js:
            members.append(f"<gml:surfaceMember>{self.geom.polygon(g, j, pid[j], ring_ids)}</gml:surfaceMember>")
            referenced[j] = pid[j]
        if lodprop.endswith("MultiSurface"):
            geom = f"<gml:MultiSurface>{''.join(members)}</gml:MultiSurface>"
        else:
            geom = f"<gml:CompositeSurface>{''.join(members)}</gml:CompositeSurface>"
        lp = tpfx[lodprop]
        tprops.append((torder[lodprop], f"<{lp}:{lodprop}>{geom}</{lp}:{lodprop}>"))
        attrs = {k: v for k, v in s.items() if k not in ("type", "parent", "children", "id")}
        self.attrs.attributes(attrs, torder, ttypes, tpfx, tprops, None)
        for ci in s.get("children") or []:
            cjs = by_sem.get(ci)
            if not cjs:
                continue
            child = self.element(o, g, ci, cjs, by_sem, lod, prefix, pid, referenced, ring_ids, order)
            oprop = "fillingSurface" if self.v == "3.0" else "opening"
            if child is None or oprop not in torder:
                for j in cjs:
                    referenced.pop(j, None)
                continue
            op = tpfx[oprop]
            tprops.append((torder[oprop], f"<{op}:{oprop}>{child[1]}</{op}:{oprop}>"))
        tprops.sort(key=lambda p: p[0])
        gid = self.ids.new_id(f"{o.id}_{el}")
        return wrapper, f'<{tprefix}:{el} gml:id="{gid}">{"".join(p[1] for p in tprops)}</{tprefix}:{el}>'

    def generic_boundary(self, o, g: Geometry, js: list[int], lod: str, order: dict, pfx: dict, props: list,
                         pid: list[str], ring_ids: bool,
                         cls: tuple[str, str] = ("gen", "GenericThematicSurface")) -> None:
        """Surfaces ``js`` of ``g`` as one thematic ``boundary`` (3.0) of class ``cls`` (module prefix,
        element), polygons inline in its ``lod{lod}MultiSurface``."""
        if not js:
            return
        torder, _ttypes, tpfx = self.order(self.ns[cls[0]], cls[1])
        lodprop = f"lod{lod}MultiSurface"
        if lodprop not in torder:
            cls = ("gen", "GenericThematicSurface")
            tpfx = self.order(self.ns["gen"], "GenericThematicSurface")[2]
        members = "".join(f"<gml:surfaceMember>{self.geom.polygon(g, j, pid[j], ring_ids)}</gml:surfaceMember>"
                          for j in js)
        lp = tpfx[lodprop]
        tag = f"{cls[0]}:{cls[1]}"
        gid = self.ids.new_id(f"{o.id}_{cls[1]}")
        body = (f'<{tag} gml:id="{gid}"><{lp}:{lodprop}><gml:MultiSurface>{members}'
                f"</gml:MultiSurface></{lp}:{lodprop}></{tag}>")
        bp = pfx["boundary"]
        props.append((order["boundary"], f"<{bp}:boundary>{body}</{bp}:boundary>"))


def thematic_module(version: str, typ: str, prefix: str) -> tuple[str | None, str]:
    """(module prefix of the thematic surface, property of the parent holding it), or (None, "")
    when the parent cannot hold it: in 3.0 any space's ``boundary`` takes any thematic surface;
    in 2.0 only transportation objects hold traffic areas, water bodies water surfaces and
    buildings / bridges / tunnels the building-like boundary surfaces."""
    if typ in ("TrafficArea", "AuxiliaryTrafficArea", "TransportationMarking", "TransportationHole"):
        if version == "3.0":
            return "tran", "boundary"
        return ("tran", "trafficArea" if typ == "TrafficArea" else "auxiliaryTrafficArea") \
            if typ in ("TrafficArea", "AuxiliaryTrafficArea") and prefix == "tran" else (None, "")
    if typ.startswith("Water"):
        if version == "3.0":
            return "wtr", "boundary"
        return ("wtr", "boundedBy") if prefix == "wtr" else (None, "")
    if typ == "GenericThematicSurface":
        return ("gen", "boundary") if version == "3.0" else (None, "")
    if version == "3.0":
        return "con", "boundary"
    if prefix in ("bldg", "brid", "tun"):
        return prefix, "boundedBy"
    return None, ""
