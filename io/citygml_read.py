"""Streaming CityGML 1.0 / 2.0 / 3.0 reader (plain or ``.gml.gz``) building a CityModel.

The file is read with ``lxml.etree.iterparse`` restricted to the top-level member elements
(``cityObjectMember``, ``appearanceMember``, ``gml:featureMember``); each member is turned into
city objects as soon as it is complete and then cleared, so memory is bounded by the model,
not by the file. Coordinates of a whole member are parsed in one numpy call
(:mod:`citytwin.io.citygml_geometry`).

The model follows the CityJSON 2.0 conventions, as the CityJSON reader's does: thematic
surfaces (WallSurface, RoofSurface, Window, ...) become semantic surfaces of the geometries that
use their polygons (through ``xlink:href``) or, when no geometry does, of one MultiSurface per
LoD; BuildingParts, installations, rooms, storeys... become child objects; generic attributes,
building attributes and ADE properties (namespaced, ``prefix:name``) become attributes; xAL
addresses become CityJSON address objects; implicit geometries become templates.
XML is parsed safely (:mod:`citytwin.io.xml_safe`).
"""

from __future__ import annotations

import mmap
import re
from pathlib import Path
from typing import Any

import numpy as np

from citytwin.errors import InputError
from citytwin.io.citygml_attributes import (GENERIC_2, VALUE_TYPES_ATTRIBUTE, add_value, apply_value_types, generic_attribute_2, generic_attribute_3, split_tag,
                                            typed_value, xal_address, xml_value)
from citytwin.io.citygml_appearance import AppearanceApplier, AppearanceRec, parse_appearance
from citytwin.io.citygml_geometry import (GeometryParser, GeomRec, Poly, Ref, RingBatch, build_geometries,
                                          build_geometry,
                                          gml_id, href, local, resolve_entries)
from citytwin.io.citygml_vocab import (CITYGML_PREFIX, CORE_VERSIONS, GML31, GML32, XLINK,
                                       INDOORGML_PREFIX, OBJECT_TYPES, RELIEF_FEATURE,
                                       SEMANTIC_TYPES, TRANSPARENT_SPACES, module_of)
from citytwin.io.xml_safe import check_prolog, parser_options, read_head, safe_iterparse
from citytwin.semantics.crs import CRS
from citytwin.semantics.geometry import Geometry, MaterialMap, TextureMap
from citytwin.semantics.model import CityModel, CityObject

#: Rings collected before their coordinates are parsed and the features' geometries built: features
#: are resolved in batches (xlinks resolve within a batch, a feature is never split; a batch with
#: references to ids not seen yet grows, up to 8x, until they appear)
_FLUSH_RINGS = 20000
_HREF = f"{{{XLINK}}}href"
_LOD_PROP = re.compile(r"^lod([0-4])([A-Z]\w*)$")


def root_info(path: Path, head: bytes) -> tuple[str, str]:
    """(namespace, local name) of the root element, from the first bytes of the file."""
    from lxml import etree

    parser = etree.XMLPullParser(events=("start",), **parser_options())
    try:
        parser.feed(head)
        for _, el in parser.read_events():
            tag = el.tag
            ns = tag[1:].split("}")[0] if tag.startswith("{") else ""
            return ns, local(tag)
    except etree.XMLSyntaxError as exc:
        raise InputError(path, f"malformed XML: {exc.msg}",
                         f"line {exc.lineno}" if exc.lineno else None) from None
    if not head.strip():
        raise InputError(path, "the file is empty")
    if len(head) < 65536 and head.lstrip().startswith(b"<"):
        raise InputError(path, "the XML ends early (truncated file?) before its root element is complete")
    raise InputError(path, "not an XML document (no root element in the first 64 KiB)")


def citygml_version(path: Path) -> str:
    """The CityGML version of a file (``"1.0"``, ``"2.0"``, ``"3.0"``), or InputError naming what it is."""
    head = read_head(path)
    check_prolog(path, head)
    ns, name = root_info(path, head)
    if ns.startswith(INDOORGML_PREFIX):
        raise InputError(path, "not a CityGML file (it is IndoorGML)", f"root element {name}")
    if name != "CityModel" or not ns.startswith(CITYGML_PREFIX):
        what = "plain GML" if ns in (GML31, GML32) else f"root element {name!r} in namespace {ns!r}"
        raise InputError(path, f"not a CityGML file ({what})")
    v = CORE_VERSIONS.get(ns)
    if v is None:
        raise InputError(path, f"unknown CityGML version (namespace {ns!r}; supported: 1.0, 2.0, 3.0)",
                         "root element")
    return v


def _has_top_level_appearances(path: Path) -> bool:
    """Cheap scan: does the file have appearanceMember elements (global appearances)?"""
    needle = b"appearanceMember"
    if path.name.lower().endswith(".gz"):
        from citytwin.io.safe_io import open_gzip

        with open_gzip(path) as f:  # bounded (decompression bomb) and errors name the file
            tail = b""
            while True:
                chunk = f.read(1 << 22)
                if not chunk:
                    return False
                if needle in tail + chunk:
                    return True
                tail = chunk[-len(needle):]
    with open(path, "rb") as f:
        try:
            with mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ) as mm:
                return mm.find(needle) >= 0
        except ValueError:  # empty file
            return False


class _ObjState:
    """Per city object while its member is being read."""

    __slots__ = ("obj", "geoms", "thematic", "implicit", "grouped")

    def __init__(self, obj: CityObject) -> None:
        self.obj = obj
        self.grouped = False   # a thematic surface has an aggregate with a gml:id (referable later)
        self.geoms: list[GeomRec] = []
        self.thematic: list[tuple[dict, str, list]] = []   # (semantic object, lod, entries)
        self.implicit: list[tuple] = []


class CityGMLReader:
    """Reads one CityGML file; see :func:`read_citygml`."""

    def __init__(self, path: Path, stream=None, global_mode: bool | None = None) -> None:
        self.path = path
        self.stream = stream          # a part of the file (citygml_split), else None: the whole file
        self.version = citygml_version(path)
        self.model = CityModel()
        self.model.source = {"path": str(path), "format": "CityGML", "version": self.version}
        self.batch = RingBatch()
        self.parser = GeometryParser(self.batch)
        self.chunks: list[np.ndarray] = []
        self.nverts = 0
        self.members: list[_ObjState] = []
        self.local_apps: list[AppearanceRec] = []
        self.global_apps: list[AppearanceRec] = []
        self._global_mode = global_mode  # None: scanned for when first needed (see global_mode)
        # where each polygon was built, by gml:id (or by the Poly itself when it has none)
        self.locate: dict[str | Poly, tuple[Geometry, int, Poly]] = {}
        self.applier = AppearanceApplier(self.model.appearance, path.parent, self.model.problems)
        self.model.appearance.base_path = str(path.parent)
        self.counter = 0
        self.srs: str | None = None
        self.templates_by_id: dict[str, int] = {}
        self.template_fix: list[tuple[Geometry, int]] = []
        self.missing_refs = 0
        self.extra_features: list[dict] = []
        # every batch's rings (global vertex start, vertex count), for references back into them
        self.ring_start: list[np.ndarray] = []
        self.ring_length: list[np.ndarray] = []
        self.bad_rings: dict[int, str] = {}
        self.earlier_polys: dict[str, Poly] = {}
        self.earlier_groups: dict[str, list] = {}
        # appearance of retracted thematic polygons, waiting for the geometry that now holds them
        self.moving: dict[int, tuple] = {}
        self.parser.earlier = (self.earlier_polys, self.earlier_groups)

    @property
    def global_mode(self) -> bool:
        """Does the file have top-level appearances (polygons then stay locatable to the end)?

        Scanned for when the first batch is flushed, not before parsing: a file that is
        malformed, truncated or a decompression bomb near its start stops at once with its
        error, instead of after a full extra pass over the (decompressed) stream."""
        if self._global_mode is None:
            self._global_mode = _has_top_level_appearances(self.path)
        return self._global_mode

    # -- driver -----------------------------------------------------------------------------
    def read(self) -> CityModel:
        self.parse()
        return self._finish()

    def parse(self) -> None:
        """Read every member (of the file or of the part given as ``stream``) and flush the last batch."""
        v = self.version
        core = next(ns for ns, ver in CORE_VERSIONS.items() if ver == v)
        gml = GML32 if v == "3.0" else GML31
        app = f"{CITYGML_PREFIX}appearance/{v}"
        tags = [f"{{{core}}}cityObjectMember", f"{{{core}}}appearanceMember", f"{{{app}}}appearanceMember",
                f"{{{gml}}}featureMember", f"{{{gml}}}featureMembers", f"{{{gml}}}boundedBy",
                f"{{{gml}}}name", f"{{{core}}}versionMember", f"{{{core}}}versionTransitionMember",
                f"{{{core}}}featureMember"]
        root = None
        for _, el in safe_iterparse(self.path, ("end",), tags, stream=self.stream):
            if root is None:
                root = el.getroottree().getroot()
            if el.getparent() is not root:
                continue
            ln = local(el.tag)
            if ln == "boundedBy":
                self._srs_from(el)
                continue
            if ln == "name":
                self.model.metadata.setdefault("title", (el.text or "").strip())
                continue
            self._member(el)
            n = self.batch.pending_rings()
            # a batch whose references point further on waits for them (up to 8 batches' worth)
            if n >= _FLUSH_RINGS and (n >= 8 * _FLUSH_RINGS or not self.parser.has_forward_refs()):
                self._flush()
            # free what has been read: the member and everything before it
            el.clear()
            while el.getprevious() is not None:
                del root[0]
        self._flush()

    def _srs_from(self, bounded_by) -> None:
        for env in bounded_by.iter():
            if isinstance(env.tag, str) and env.get("srsName") and self.srs is None:
                self.srs = env.get("srsName")

    def _member(self, member) -> None:
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
                        self._srs_from(p)
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
            self._implicit(p, lod, st)
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

    def _implicit(self, p, lod: str, st: _ObjState) -> None:
        oid = st.obj.id
        ig = next((c for c in p if isinstance(c.tag, str)), None)
        if ig is None:
            self.model.problems.report(oid, "an implicit representation given by xlink is not supported", "error")
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
                    self.model.problems.report(oid, "a transformationMatrix is not 16 numbers (identity used)",
                                               "error")
            elif ln in ("relativeGMLGeometry", "relativeGeometry"):
                tref = href(c)
                if tref is None:
                    tmpl = self.parser.parse_property(c, lod)
            elif ln == "referencePoint":
                for pt in c:
                    if isinstance(pt.tag, str):
                        r = self.parser.parse(pt, lod)
                        if r is not None and r.points:
                            ref_point = r.points[0]
        if ref_point is None:
            self.model.problems.report(oid, "an implicit geometry has no reference point (skipped)", "error")
            return
        st.implicit.append((lod, matrix, tmpl, tref, ref_point))

    # -- per-member resolution ------------------------------------------------------------------
    def _flush(self) -> None:
        if not self.members:
            self.local_apps = []
            return
        base = self.batch.base
        coords, start, length = self.batch.flush(self.nverts)
        if len(coords):
            self.chunks.append(coords)
            self.nverts += len(coords)
        self.ring_start.append(start)
        self.ring_length.append(length)
        self.bad_rings.update(self.batch.bad)
        polys, groups = self.parser.polys, self.parser.groups
        earlier = (self.earlier_polys, self.earlier_groups)
        problems = self.model.problems
        bad = self.batch.bad
        # thematic surfaces that point at polygons of a geometry lend them their semantics
        for st in self.members:
            for sem, lod, entries in st.thematic:
                for e in entries:
                    if isinstance(e, Ref):
                        missing: list[str] = []
                        # (only lends semantics: the polygon stays where it is, in a geometry or
                        # in its own thematic surface's MultiSurface, so mark=False)
                        for q in resolve_entries([e], polys, groups, missing, 0, earlier, mark=False):
                            if q.sem is None:
                                q.sem = sem
                        for mid in missing:
                            problems.report(st.obj.id, f"unresolvable xlink:href '#{mid}' in a {sem['type']} "
                                            "(skipped)", "error")
        # polygon ids are located only when an appearance may target them
        locate = self.locate if self.global_mode else ({} if self.local_apps else None)
        jobs: list[tuple[CityObject, GeomRec, list[str]]] = []
        fresh: list[Poly] = []    # polygons of earlier batches first used by a geometry of this one
        for st in self.members:
            obj = st.obj
            for rec in st.geoms:
                missing = []
                if rec.type != "MultiPoint" and rec.type != "MultiLineString":
                    rec.solids = [[resolve_entries(sh, polys, groups, missing, 0, earlier, True, fresh)
                                   for sh in so] for so in rec.solids]
                    self.missing_refs += len(missing)
                    if not any(sh for so in rec.solids for sh in so):
                        jobs.append((obj, None, missing))    # nothing left to build
                        continue
                jobs.append((obj, rec, missing))
        if fresh:
            self._retract(fresh)
        n_geometry_jobs = len(jobs)
        referable: list[bool] = []   # per thematic leftover job
        # thematic polygons no geometry uses: one MultiSurface per LoD with the semantics
        for st in self.members:
            if not st.thematic:
                continue
            by_lod: dict[str, list[Poly]] = {}
            for sem, lod, entries in st.thematic:
                for e in entries:
                    if e.__class__ is Poly and not e.used:
                        by_lod.setdefault(lod, []).append(e)
            for lod, ps in by_lod.items():
                jobs.append((st.obj, GeomRec("MultiSurface", lod, [[ps]]), []))
                # can a later batch reference these polygons (by their id or an aggregate's)?
                referable.append(st.grouped or any(p.id is not None for p in ps))
        built = iter(build_geometries([j[1] for j in jobs if j[1] is not None], start, length, base, bad,
                                      self._all_rings))
        for k, (obj, rec, missing) in enumerate(jobs):
            for mid in missing:
                problems.report(obj.id, f"unresolvable xlink:href '#{mid}' (that surface is skipped, "
                                "the rest is kept)", "error", geometry=len(obj.geometry))
            if rec is not None:
                g = self._add_built(obj, rec, next(built), locate)
                if k >= n_geometry_jobs and g is not None and referable[k - n_geometry_jobs]:
                    # a later batch may still take them back (see _retract)
                    ps = rec.solids[0][0]
                    home = [obj, g, ps]
                    for p in ps:
                        p.home = home
        for st in self.members:
            for lod, matrix, tmpl, tref, rp in st.implicit:
                self._add_instance(st.obj, lod, matrix, tmpl, tref, rp, start, length, base, bad, locate)
        for rec in self.local_apps:
            self.missing_refs += self.applier.apply(rec, locate, self.batch.ring_ids, self._group_polys)
        self.local_apps = []
        self.members = []
        self.moving = {}
        # polygons and aggregates stay findable by id for references back from later batches
        self.earlier_polys.update(polys)
        self.earlier_groups.update(groups)
        self.parser.reset()
        if not self.global_mode:
            self.batch.ring_ids = {}
        self.batch.bad = {}

    def _retract(self, fresh: list[Poly]) -> None:
        """Take thematic polygons that an earlier batch wrote to their owner's MultiSurface (no geometry
        used them then) back out of it, now that a geometry of this batch uses them: each polygon
        is then in the model once, in the referencing geometry, as when both are in one batch.
        A MultiSurface left with no polygon is removed from its object."""
        from citytwin.io.citygml_geometry import semantics_of

        homes = {id(h): h for h in (getattr(p, "home", None) for p in fresh) if h is not None}
        for h in homes.values():
            obj, g, ps = h
            keep = np.fromiter((not p.used for p in ps), dtype=bool, count=len(ps))
            kept = [p for p, k in zip(ps, keep.tolist()) if k]
            h[2] = kept
            self._keep_appearance(g, ps, keep)
            locate = self.locate
            if locate:   # the geometry now holding a removed polygon replaces its entry when built
                for p, k in zip(ps, keep.tolist()):
                    loc = None if k else locate.get(p if p.id is None else p.id)
                    if loc is not None and loc[0] is g:
                        del locate[p if p.id is None else p.id]
            if not kept:
                obj.geometry = [x for x in obj.geometry if x is not g]
                self.applier.moved(g, {})
                continue
            surf_rings = np.diff(g.surface_offsets)
            ring_keep = np.repeat(keep, surf_rings)
            ring_len = np.diff(g.ring_offsets)
            vkeep = np.repeat(ring_keep, ring_len)
            g.indices = g.indices[vkeep]
            g.ring_offsets = np.concatenate([[0], np.cumsum(ring_len[ring_keep])]).astype(np.int64)
            g.surface_offsets = np.concatenate([[0], np.cumsum(surf_rings[keep])]).astype(np.int64)
            g.semantics = semantics_of(kept)
            for mm in g.materials.values():
                mm.values = mm.values[keep]
            for tm in g.textures.values():
                tm.ring_texture, tm.uv = tm.ring_texture[ring_keep], tm.uv[vkeep]
            new_j = {id(p): j for j, p in enumerate(kept)}
            self.applier.moved(g, new_j)
            if locate:   # surface indices of the kept polygons shifted
                for j, p in enumerate(kept):
                    key = p if p.id is None else p.id
                    loc = locate.get(key)
                    if loc is not None and loc[0] is g:
                        locate[key] = (g, j, p)

    def _keep_appearance(self, g: Geometry, ps: list[Poly], keep: np.ndarray) -> None:
        """Remember the materials, textures and queued georeferenced textures of the surfaces of ``g``
        about to be retracted (``keep`` False), to give them to the geometry that now holds each
        polygon (:meth:`_add_built`), as when the appearance is applied after both are built."""
        geo = {id(q[2]): q for q in self.applier.georeferenced if q[0] is g}
        for j in np.flatnonzero(~keep).tolist():
            p = ps[j]
            mats = {t: int(mm.values[j]) for t, mm in g.materials.items() if mm.values[j] >= 0}
            k0, k1 = int(g.surface_offsets[j]), int(g.surface_offsets[j + 1])
            a, b = int(g.ring_offsets[k0]), int(g.ring_offsets[k1])
            texs = {t: (tm.ring_texture[k0:k1].copy(), tm.uv[a:b].copy()) for t, tm in g.textures.items()
                    if (tm.ring_texture[k0:k1] >= 0).any()}
            q = geo.get(id(p))
            if mats or texs or q is not None:
                self.moving[id(p)] = (p, mats, texs, q)

    def _give_appearance(self, g: Geometry, polys: list[Poly]) -> None:
        """Materials / textures of retracted polygons (see :meth:`_keep_appearance`) that ``g`` now holds."""
        moving = self.moving
        for j, p in enumerate(polys):
            m = moving.pop(id(p), None)
            if m is None:
                continue
            _, mats, texs, q = m
            for t, mi in mats.items():
                mm = g.materials.get(t)
                if mm is None:
                    mm = g.materials[t] = MaterialMap(np.full(g.n_surfaces, -1, dtype=np.int32))
                mm.values[j] = mi
            k0, k1 = int(g.surface_offsets[j]), int(g.surface_offsets[j + 1])
            a, b = int(g.ring_offsets[k0]), int(g.ring_offsets[k1])
            for t, (rt, uv) in texs.items():
                tm = g.textures.get(t)
                if tm is None:
                    tm = g.textures[t] = TextureMap(np.full(g.n_rings, -1, dtype=np.int32),
                                                    np.full(len(g.indices), -1, dtype=np.int32))
                if len(rt) == k1 - k0 and len(uv) == b - a:
                    tm.ring_texture[k0:k1] = rt
                    tm.uv[a:b] = uv
            if q is not None:
                self.applier.georeferenced.append((g, j, p) + q[3:])

    def _group_polys(self, gid: str) -> list[Poly] | None:
        """The polygons of the aggregate (MultiSurface, CompositeSurface, Shell, Solid...) with gml:id
        ``gid``, of this batch or an earlier one, or None when no aggregate has that id."""
        entries = self.parser.groups.get(gid)
        if entries is None:
            entries = self.earlier_groups.get(gid)
        if entries is None:
            return None
        return resolve_entries(entries, self.parser.polys, self.parser.groups, [], 0,
                               (self.earlier_polys, self.earlier_groups), mark=False)

    def _all_rings(self) -> tuple[np.ndarray, np.ndarray, dict[int, str]]:
        """(start, length, bad) of the rings of every batch so far, indexed by ring serial."""
        if len(self.ring_start) > 1:
            self.ring_start = [np.concatenate(self.ring_start)]
            self.ring_length = [np.concatenate(self.ring_length)]
        return self.ring_start[0], self.ring_length[0], self.bad_rings

    def _add_built(self, obj: CityObject, rec: GeomRec, built: tuple, locate: dict | None) -> Geometry | None:
        g, polys, problem = built
        gi = len(obj.geometry)
        if g is None:
            self.model.problems.report(obj.id, f"a {rec.type} of LoD {rec.lod} was skipped: {problem}", "error",
                                       geometry=gi)
            return None
        if problem:
            self.model.problems.report(obj.id, problem, "error", geometry=gi)
        obj.geometry.append(g)
        if self.moving:
            self._give_appearance(g, polys)
        if locate is not None:   # by gml:id, or by the polygon itself (reached through an aggregate's id)
            for j, p in enumerate(polys):
                locate[p if p.id is None else p.id] = (g, j, p)
        return g

    def _add_instance(self, obj, lod, matrix, tmpl, tref, rp, start, length, base, bad, locate) -> None:
        model = self.model
        if tmpl is not None:
            if tmpl.type not in ("MultiPoint", "MultiLineString"):
                missing: list[str] = []
                tmpl.solids = [[resolve_entries(sh, self.parser.polys, self.parser.groups, missing)
                                for sh in so] for so in tmpl.solids]
            g, _, problem = build_geometry(tmpl, start, length, base, bad)
            if g is None:
                model.problems.report(obj.id, f"an implicit geometry's template was skipped: {problem}", "error")
                return
            # move the template's coordinates into the template vertex pool
            chunk = self.chunks[-1]
            pts = chunk[g.indices - (self.nverts - len(chunk))]
            tb = len(model.template_vertices)
            model.template_vertices = np.concatenate([model.template_vertices, pts]) if tb else pts.copy()
            g.indices = np.arange(tb, tb + len(pts), dtype=np.int64)
            ti = len(model.templates)
            model.templates.append(g)
            if tmpl.id:
                self.templates_by_id[tmpl.id] = ti
        else:
            ti = self.templates_by_id.get(tref)
            if ti is None:
                model.problems.report(obj.id, f"implicit geometry refers to an unknown template '#{tref}' (skipped)",
                                      "error")
                self.missing_refs += 1
                return
        gi = Geometry("GeometryInstance", lod, template=ti, reference_point=int(start[rp - base]),
                      transformation=matrix)
        obj.geometry.append(gi)

    # -- end --------------------------------------------------------------------------------------
    def _restore_ids(self) -> None:
        """Object ids that are not XML names were written by citytwin with a ``cityjsonId`` attribute."""
        objs = self.model.objects
        ren = {o.id: o.attributes.pop("cityjsonId") for o in objs.values()
               if isinstance(o.attributes.get("cityjsonId"), str) and o.attributes["cityjsonId"] not in objs}
        if not ren:
            return
        new: dict[str, CityObject] = {}
        for oid, o in objs.items():
            o.id = ren.get(oid, oid)
            o.parents = [ren.get(p, p) for p in o.parents]
            o.children = [ren.get(c, c) for c in o.children]
            new[o.id] = o
        self.model.objects = new

    def _finish(self) -> CityModel:
        model = self.model
        model.vertices = np.concatenate(self.chunks) if self.chunks else np.zeros((0, 3))
        self.chunks = []
        for rec in self.global_apps:
            self.missing_refs += self.applier.apply(rec, self.locate, self.batch.ring_ids, self._group_polys)
        self.applier.finish(model.vertices)
        self.locate = {}
        srs = self.srs or (self.parser.srs_names[0] if self.parser.srs_names else None)
        if srs:
            model.crs = CRS.parse(srs)
            model.source["srsName"] = srs
            others = {s for s in self.parser.srs_names if s != srs}
            if others:
                model.problems.report(None, f"geometries use other srsName values too ({', '.join(sorted(others))}); "
                                      f"all coordinates are taken as {srs}")
            # official (latitude-first) axis order applies to URN / URL spellings; the short
            # "EPSG:4979" form is conventionally written longitude first (as this corpus' files are)
            official = srs.lower().startswith(("urn:", "http://", "https://"))
            if official and model.crs is not None and model.crs.is_latitude_first() and len(model.vertices):
                model.vertices[:, [0, 1]] = model.vertices[:, [1, 0]]
                model.source["axis_swapped"] = True
        objs = model.objects
        for o in list(objs.values()):
            for c in o.children:
                co = objs.get(c)
                if co is None:
                    model.problems.report(o.id, f"refers to a missing child '#{c}'", "error")
                elif o.type != "CityObjectGroup" and o.id not in co.parents:
                    co.parents.append(o.id)
            o.children = list(dict.fromkeys(o.children))
        for o in objs.values():  # types CityGML has no class for, written by citytwin as generic objects
            if VALUE_TYPES_ATTRIBUTE in o.attributes:
                apply_value_types(o.attributes)
            t = o.attributes.get("cityjsonType")
            if isinstance(t, str) and o.type == "GenericCityObject":
                o.type = t
                del o.attributes["cityjsonType"]
        self._restore_ids()
        if self.extra_features:
            model.extra["+citygmlFeatures"] = self.extra_features
        if self.missing_refs:
            model.source["unresolved_references"] = self.missing_refs
        model.touch()
        return model


def read_citygml(path: str | Path, workers: int | None = None, split_min_bytes: int = 48_000_000,
                 **options: Any) -> CityModel:
    """Read a CityGML 1.0, 2.0 or 3.0 file (``.gml``, ``.xml``, ``.gml.gz``) into a CityModel.

    A plain file of at least ``split_min_bytes`` is read in parts by ``workers`` processes (default:
    2 when the machine has 2 cores or more; 1 = always in this process), split between top-level
    ``cityObjectMember`` elements; when a part has anything that could depend on another part
    (unresolved xlinks, appearances, implicit geometry templates, generated ids) the file is read
    again in one pass, so the result is always that of the one-pass reader
    (:mod:`citytwin.io.citygml_split`).

    Raises InputError for files that are not CityGML, malformed or truncated XML, unsafe XML
    (entities) and unknown versions; per-object problems (bad rings, unresolvable xlinks,
    refused texture paths) are in ``model.problems``.
    """
    from citytwin.mesh.gcpause import gc_paused

    path = Path(path)
    if not path.exists():
        raise InputError(path, "no such file")
    with gc_paused():
        if workers != 1:
            from citytwin.io.citygml_split import read_in_parts

            model = read_in_parts(path, workers, split_min_bytes)
            if model is not None:
                return model
        return CityGMLReader(path).read()


_TAG_INFO: dict[str, tuple] = {}
#: CityGML properties with their own handling in :meth:`CityGMLReader._properties`
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
