"""CityGML features read into city objects: properties, attributes, thematic surfaces, children.

One top-level member at a time (:meth:`FeatureReader.member`): each city object gets its
attributes (CityGML properties, generic attributes, ADE properties as ``prefix:name``), xAL
addresses, child objects (BuildingParts, installations, rooms, ...) and geometry *records*;
thematic surfaces become semantic surface records of the polygons they hold or point at.
Geometry is built later, a batch of members at a time (:mod:`citytwin.io.citygml.assembly`).
"""

from __future__ import annotations

import re
from typing import Any

import numpy as np

from citytwin.io.citygml.appearance import AppearanceRec, parse_appearance
from citytwin.io.citygml.attributes import (GENERIC_2, VALUE_TYPES_ATTRIBUTE, add_value, apply_value_types,
                                            generic_attribute_2, generic_attribute_3, split_tag, typed_value,
                                            xal_address, xml_value)
from citytwin.io.citygml.geometry import GeometryParser, GeomRec, Poly, gml_id, href, local
from citytwin.io.citygml.vocab import (OBJECT_TYPES, RELIEF_FEATURE, SEMANTIC_TYPES, TRANSPARENT_SPACES, XLINK,
                                       module_of)
from citytwin.semantics.model import CityModel, CityObject

_HREF = f"{{{XLINK}}}href"
_LOD_PROP = re.compile(r"^lod([0-4])([A-Z]\w*)$")


class _ObjState:
    """Per city object while its member is being read."""

    __slots__ = ("obj", "geoms", "thematic", "implicit", "grouped")

    def __init__(self, obj: CityObject) -> None:
        self.obj = obj
        self.grouped = False   # a thematic surface has an aggregate with a gml:id (referable later)
        self.geoms: list[GeomRec] = []
        self.thematic: list[tuple[dict, str, list]] = []   # (semantic object, lod, entries)
        self.implicit: list[tuple] = []


class FeatureReader:
    """Turns CityGML member elements into city objects and geometry records (:class:`_ObjState`).

    Objects go into ``model.objects`` at once (attributes, addresses, children); their geometry is
    only recorded (GML structure and coordinate text, :class:`~citytwin.io.citygml.geometry.GeometryParser`)
    until the batch is resolved by :class:`~citytwin.io.citygml.assembly.ModelAssembly`, which takes
    :attr:`members` and :attr:`local_apps`.
    """

    def __init__(self, model: CityModel, parser: GeometryParser) -> None:
        self.model = model
        self.parser = parser
        self.members: list[_ObjState] = []          # objects read since the last batch
        self.local_apps: list[AppearanceRec] = []   # their appearances
        self.global_apps: list[AppearanceRec] = []  # top-level appearanceMember elements
        self.counter = 0                            # objects given a generated id
        self.srs: str | None = None
        self.extra_features: list[dict] = []

    def member(self, member) -> None:
        """Read the features of one top-level member element (objects, appearances, other features)."""
        features = [c for c in member if isinstance(c.tag, str)]
        if not features and href(member) is not None:
            self.model.problems.report(None, f"a top-level member refers to {href(member)!r} by xlink "
                                       "(not supported, skipped)")
        for feat in features:
            ns, ln = split_tag(feat.tag)
            mod = module_of(ns)
            if ln == "Appearance" and mod in ("appearance", "core"):
                rec = parse_appearance(feat, None, self.model.problems)
                self.global_apps.append(rec)
                continue
            if ln == RELIEF_FEATURE:
                self._relief_feature(feat)
            elif ln in OBJECT_TYPES and mod not in (None, "gml"):
                self._object(feat, OBJECT_TYPES[ln], None)
            elif mod is None and gml_id(feat) is not None:   # ADE top-level feature
                self._object(feat, "+" + ln, None)
            else:
                self.extra_features.append({"type": ln, "content": xml_value(feat)})
                self.model.problems.report(gml_id(feat), f"top-level {feat.prefix or ''}:{ln} is not a city "
                                           "object; kept in the model's extra members")

    def srs_from(self, bounded_by) -> None:
        """Take the first ``srsName`` of a ``gml:boundedBy`` envelope (unless one is known)."""
        for env in bounded_by.iter():
            if isinstance(env.tag, str) and env.get("srsName") and self.srs is None:
                self.srs = env.get("srsName")

    # -- objects --------------------------------------------------------------------------------
    def _new_id(self, ctype: str) -> str:
        self.counter += 1
        return f"{ctype.lstrip('+')}_{self.counter}"

    def _object(self, el, ctype: str, parent: str | None, extra_attrs: dict | None = None) -> str:
        oid = gml_id(el) or self._new_id(ctype)
        obj = CityObject(id=oid, type=ctype)
        if parent is not None:
            obj.parents.append(parent)
        if oid in self.model.objects:
            self.model.problems.report(oid, "duplicate gml:id; the later object replaces the earlier", "error")
        self.model.objects[oid] = obj
        if extra_attrs:
            obj.attributes.update(extra_attrs)
        st = _ObjState(obj)
        self.members.append(st)
        self._properties(el, st)
        return oid

    def _relief_feature(self, el) -> None:
        rid = gml_id(el)
        info: dict[str, Any] = {"reliefFeature": rid} if rid else {}
        for p in el:
            if not isinstance(p.tag, str):
                continue
            ln = local(p.tag)
            if ln == "name":
                info["reliefFeatureName"] = (p.text or "").strip()
        n = 0
        for p in el:
            if isinstance(p.tag, str) and local(p.tag) == "reliefComponent":
                for c in p:
                    if isinstance(c.tag, str):
                        ns, ln = split_tag(c.tag)
                        self._object(c, OBJECT_TYPES.get(ln, "+" + ln), None, info)
                        n += 1
        if n == 0:
            self.model.problems.report(rid, "ReliefFeature without components (skipped)")

    def _properties(self, el, st: _ObjState, geometry_only: bool = False) -> None:
        """Read the properties of a city object (``geometry_only``: of a transparent 3.0 space)."""
        obj = st.obj
        attrs: dict[str, Any] = {} if geometry_only else obj.attributes
        relief_lod = None
        for p in el:
            tag = p.tag
            if not isinstance(tag, str):
                continue
            ns, ln, mod, m, plain = _tag_info(tag)
            if m:
                self._geometry_property(p, m[0], m[1], st)
                continue
            if plain and len(p) == 0 and p.get(_HREF) is None:   # the common simple attribute
                add_value(attrs, ln, typed_value(ln, p))
                continue
            if mod == "gml":
                if ln in ("name", "description"):
                    add_value(attrs, ln, (p.text or "").strip())
                elif ln == "identifier":
                    attrs["identifier"] = (p.text or "").strip()
                elif ln == "boundedBy":
                    if self.srs is None:
                        self.srs_from(p)
                elif ln != "location":
                    add_value(attrs, "gml:" + ln, xml_value(p))
                continue
            if mod is None and ns:   # ADE or other namespace: kept, namespaced
                add_value(attrs, f"{p.prefix or ns}:{ln}", xml_value(p))
                continue
            if ln in ("boundedBy", "boundary") and mod != "gml":
                for c in p:
                    ctag = c.tag
                    if ctag.__class__ is not str:
                        continue
                    cns, cln, cmod, _, _ = _tag_info(ctag)
                    if (cln in SEMANTIC_TYPES and cmod is not None) or (cmod is None and gml_id(c) is not None):
                        self._thematic(c, st, None)
                    else:
                        add_value(attrs, ln, xml_value(p))
                        break
                continue
            if mod == "relief" and ln == "lod":
                relief_lod = (p.text or "").strip()
                continue
            if mod == "relief" and ln in ("tin", "grid"):
                if ln == "grid":
                    attrs["rasterReference"] = xml_value(p)
                    continue
                rec = self.parser.parse_property(p, relief_lod)
                if rec is not None:
                    rec.type = "CompositeSurface"
                    st.geoms.append(rec)
                continue
            if mod == "generics" and ln in GENERIC_2:
                generic_attribute_2(p, attrs)
                continue
            if ln in ("genericAttributeSet",) and mod == "generics":
                generic_attribute_2(p, attrs)
                continue
            if ln == "genericAttribute":
                for c in p:
                    if isinstance(c.tag, str):
                        generic_attribute_3(c, attrs)
                continue
            if ln == "address":
                a = xal_address(p)
                if a:
                    obj.address = (obj.address or []) + [a]
                continue
            if ln == "appearance" and mod in ("appearance", "core"):
                for a in p:
                    if isinstance(a.tag, str):
                        self.local_apps.append(parse_appearance(a, obj.id, self.model.problems))
                continue
            if ln in ("dynamizer",):
                add_value(attrs, ln, xml_value(p))
                continue
            if ln == "groupMember" and mod == "cityobjectgroup":  # 2.0: xlink; 3.0: Role/groupMember xlink
                for x in p.iter():
                    h = href(x)
                    if h is not None:
                        obj.children.append(h)
                continue
            children = [c for c in p if isinstance(c.tag, str)]
            if not children:
                h = href(p)
                if h is not None:
                    if ln == "groupMember" or ln == "consistsOfBuildingPart" or ln.startswith(
                            ("buildingPart", "bridgePart", "tunnelPart")):
                        obj.children.append(h)
                    else:
                        add_value(attrs, ln, "#" + h)
                else:
                    add_value(attrs, ln, typed_value(ln, p))
                continue
            c0 = children[0]
            cns, cln = split_tag(c0.tag)
            cmod = module_of(cns)
            if (cln in SEMANTIC_TYPES and cmod not in (None, "gml")) or (
                    ln in ("boundedBy", "boundary") and cmod is None and gml_id(c0) is not None):
                for c in children:
                    self._thematic(c, st, None)
            elif cln in TRANSPARENT_SPACES and cmod not in (None, "gml"):
                for c in children:
                    self._properties(c, st, geometry_only=True)
            elif cln in OBJECT_TYPES and cmod not in (None, "gml"):
                for c in children:
                    _, cl = split_tag(c.tag)
                    cid = self._object(c, OBJECT_TYPES.get(cl, "+" + cl), obj.id)
                    obj.children.append(cid)
            else:
                add_value(attrs, ln, xml_value(p))

    def _geometry_property(self, p, lod: str, kind: str, st: _ObjState) -> None:
        if kind == "ImplicitRepresentation":
            parse_implicit(p, lod, st, self.parser, self.model.problems)
            return
        rec = self.parser.parse_property(p, lod)
        if rec is None:
            if href(p) is None:
                self.model.problems.report(st.obj.id, f"{local(p.tag)} holds no geometry this reader "
                                           "understands (skipped)", "error")
            return
        if "TerrainIntersection" in kind and rec.type == "MultiSurface" and rec.extra.get("_href"):
            return
        st.geoms.append(rec)

    def _thematic(self, el, st: _ObjState, parent: dict | None) -> None:
        ns, ln = split_tag(el.tag)
        sem: dict[str, Any] = {"type": SEMANTIC_TYPES.get(ln) if module_of(ns) else "+" + ln}
        if parent is not None:
            sem["_parent"] = parent
        for p in el:
            if not isinstance(p.tag, str):
                continue
            pns, pln, pmod, m, _ = _tag_info(p.tag)
            if m and m[1] in ("MultiSurface", "Geometry", "Solid", "CompositeSurface", "Surface"):
                n_groups = len(self.parser.groups)
                rec = self.parser.parse_property(p, m[0])
                if rec is None:
                    continue
                if len(self.parser.groups) != n_groups:
                    st.grouped = True
                entries = [e for so in rec.solids for sh in so for e in sh]
                for e in entries:
                    if e.__class__ is Poly:
                        e.sem = sem
                st.thematic.append((sem, m[0], entries))
            elif m and m[1] == "ImplicitRepresentation":
                self.model.problems.report(st.obj.id, f"an implicit geometry of a {sem['type']} is not "
                                           "supported (skipped)")
            elif pln in ("opening", "fillingSurface"):
                for c in p:
                    if isinstance(c.tag, str) and local(c.tag) in SEMANTIC_TYPES:
                        self._thematic(c, st, sem)
            elif pmod == "gml":
                if pln in ("name", "description"):
                    sem[pln] = (p.text or "").strip()
            elif pln == "appearance":
                for a in p:
                    if isinstance(a.tag, str):
                        self.local_apps.append(parse_appearance(a, st.obj.id, self.model.problems))
            elif pmod == "generics" or pln == "genericAttribute":
                if pln == "genericAttribute":
                    for c in p:
                        if isinstance(c.tag, str):
                            generic_attribute_3(c, sem)
                else:
                    generic_attribute_2(p, sem)
            elif pmod is None and pns:
                add_value(sem, f"{p.prefix or pns}:{pln}", xml_value(p))
            else:
                add_value(sem, pln, xml_value(p))
        if VALUE_TYPES_ATTRIBUTE in sem:
            apply_value_types(sem)


def parse_implicit(p, lod: str, st: _ObjState, parser: GeometryParser, problems) -> None:
    """Record an implicit geometry (``lodNImplicitRepresentation`` ``p``) of the object of ``st``:
    its transformation, template (inline or by xlink) and reference point."""
    oid = st.obj.id
    ig = next((c for c in p if isinstance(c.tag, str)), None)
    if ig is None:
        problems.report(oid, "an implicit representation given by xlink is not supported", "error")
        return
    matrix = np.eye(4)
    tmpl: GeomRec | None = None
    tref = None
    ref_point = None
    for c in ig:
        if not isinstance(c.tag, str):
            continue
        ln = local(c.tag)
        if ln == "transformationMatrix":
            try:
                matrix = np.array((c.text or "").split(), dtype=np.float64).reshape(4, 4)
            except ValueError:
                problems.report(oid, "a transformationMatrix is not 16 numbers (identity used)",
                                           "error")
        elif ln in ("relativeGMLGeometry", "relativeGeometry"):
            tref = href(c)
            if tref is None:
                tmpl = parser.parse_property(c, lod)
        elif ln == "referencePoint":
            for pt in c:
                if isinstance(pt.tag, str):
                    r = parser.parse(pt, lod)
                    if r is not None and r.points:
                        ref_point = r.points[0]
    if ref_point is None:
        problems.report(oid, "an implicit geometry has no reference point (skipped)", "error")
        return
    st.implicit.append((lod, matrix, tmpl, tref, ref_point))


_TAG_INFO: dict[str, tuple] = {}
#: CityGML properties with their own handling in :meth:`FeatureReader._properties`
_SPECIAL_PROPS = frozenset({"boundedBy", "boundary", "lod", "tin", "grid", "genericAttributeSet", "genericAttribute",
                            "address", "appearance", "dynamizer", "groupMember"}) | frozenset(GENERIC_2)


def _tag_info(tag: str) -> tuple[str, str, str | None, tuple[str, str] | None, bool]:
    """(namespace, local name, CityGML module, (lod, geometry kind) for ``lodN...`` properties,
    plain: a CityGML property without special handling (a simple attribute when it is a leaf))."""
    r = _TAG_INFO.get(tag)
    if r is None:
        ns, ln = split_tag(tag)
        mod = module_of(ns)
        m = _LOD_PROP.match(ln) if mod not in ("gml", None) else None
        plain = mod not in ("gml", None) and m is None and ln not in _SPECIAL_PROPS
        r = _TAG_INFO[tag] = (ns, ln, mod, (m.group(1), m.group(2)) if m else None, plain)
    return r
