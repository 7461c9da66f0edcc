"""CityJSON 2.0 and CityJSONSeq writer with quantisation at a chosen precision.

Only vertices that objects use are written; coordinates are quantised with a ``transform``
whose scale is the precision (default: the source's scale, else 1 mm) and whose translate is
the minimum of the written vertices. Files are written atomically.
"""

from __future__ import annotations

import math
import re
from pathlib import Path
from typing import Any

import numpy as np

from citytwin.errors import OutputError
from citytwin.io.atomic import atomic_open
from citytwin.io.cityjson.conform import Conformer
from citytwin.semantics.geometry import MULTI_SOLID_TYPES, SOLID_TYPES, Geometry
from citytwin.semantics.model import CityModel, CityObject

DEFAULT_PRECISION = 0.001

_SURF = frozenset({"MultiSurface", "CompositeSurface"})
_SURF_SOLID = _SURF | {"Solid", "CompositeSolid"}
_ANY = _SURF_SOLID | {"MultiPoint", "MultiLineString", "MultiSolid", "GeometryInstance"}
_LINES_SURF = _SURF | {"MultiLineString"}

#: geometry types the CityJSON 2.0 schema allows per city object type (a test checks this table
#: against ``resources/schemas/cityjson/2.0``); extension types (``+Name``) take any geometry
ALLOWED_GEOMETRY: dict[str, frozenset[str]] = {
    **{t: _SURF_SOLID for t in ("Bridge", "BridgePart", "BridgeRoom", "Building", "BuildingPart",
                                "BuildingRoom", "BuildingStorey", "BuildingUnit", "Tunnel",
                                "TunnelHollowSpace", "TunnelPart")},
    **{t: _ANY for t in ("BridgeConstructiveElement", "BridgeFurniture", "BridgeInstallation",
                         "BuildingConstructiveElement", "BuildingFurniture", "BuildingInstallation",
                         "CityFurniture", "GenericCityObject", "OtherConstruction",
                         "SolitaryVegetationObject", "TunnelConstructiveElement", "TunnelFurniture",
                         "TunnelInstallation")},
    "CityObjectGroup": _ANY - {"GeometryInstance"},
    "LandUse": _SURF,
    "PlantCover": _SURF_SOLID | {"MultiSolid"},
    **{t: _LINES_SURF for t in ("Road", "Railway", "TransportSquare", "Waterway")},
    "TINRelief": frozenset({"CompositeSurface"}),
    "WaterBody": _LINES_SURF | {"Solid", "CompositeSolid"},
}

#: the LoDs CityJSON 2.0 accepts: 0-3 with an optional single-digit refinement
_LOD_RE = re.compile(r"^[0-3](\.[0-3])?$")


def allowed_geometry(o: CityObject, g: Geometry) -> bool:
    """True when the CityJSON 2.0 schema accepts a ``g.type`` geometry on an ``o.type`` object."""
    allowed = ALLOWED_GEOMETRY.get(o.type)
    return allowed is None or g.type in allowed


def cityjson_lod(lod: str | None) -> str | None:
    """The LoD to write: CityJSON 2.0 stops at LoD 3, so LoD 4 (CityGML 1.0/2.0 interiors) is 3,
    and its refinements are .0-.3 (Biljecki's), so a "2.4" (valid in CityJSON 1.1) is LoD 2."""
    if lod is None or _LOD_RE.match(lod):
        return lod
    try:
        f = float(lod)
    except ValueError:
        return lod
    if f > 3:
        return "3"
    return str(int(f)) if f >= 0 else lod


def _precision(model: CityModel, precision: float | None) -> np.ndarray:
    """The ``transform.scale`` (3,) in CRS units: the source's own scale when it is still valid
    (same CRS: reprojection clears it), else ``precision`` metres (default 1 mm) converted per
    axis to the CRS units, so a geographic CRS gets ~1e-8 degrees horizontally and metres in z."""
    from citytwin.semantics.crs import steps_for

    if precision is not None:
        if not precision > 0:
            raise OutputError(f"precision must be positive, not {precision}")
        return steps_for(model.crs, float(precision))
    if model.transform and "scale" in model.transform:
        return np.asarray(model.transform["scale"], dtype=np.float64)
    return steps_for(model.crs, DEFAULT_PRECISION)


class _Encoder:
    """Encodes the objects of a model against one vertex remapping."""

    def __init__(self, model: CityModel, objects: list[CityObject], conform: Conformer | None = None) -> None:
        self.model = model
        self.conform = conform if conform is not None else Conformer()
        mask = np.zeros(len(model.vertices), dtype=bool)
        for o in objects:
            for g in _all_geometries(o):
                if g.is_instance:
                    mask[g.reference_point] = True
                elif len(g.indices):
                    mask[g.indices] = True
        self.used = np.nonzero(mask)[0]
        self.remap = np.full(len(model.vertices), -1, dtype=np.int64)
        self.remap[self.used] = np.arange(len(self.used))

    def vertices(self) -> np.ndarray:
        return self.model.vertices[self.used]

    def geometry(self, g: Geometry, remap: np.ndarray | None = None) -> dict:
        remap = self.remap if remap is None else remap
        out: dict[str, Any] = {"type": g.type}
        if g.type == "GeometryInstance":
            out["template"] = int(g.template)
            out["boundaries"] = [int(remap[g.reference_point])]
            out["transformationMatrix"] = np.asarray(g.transformation, dtype=float).reshape(16).tolist()
            out.update(g.extra)
            return out
        if g.lod is not None:
            out["lod"] = cityjson_lod(g.lod)
        idx = remap[g.indices].tolist() if len(g.indices) else []
        if g.type == "MultiPoint":
            out["boundaries"] = idx
            if g.semantics is not None:
                surfaces, values = self.conform.semantics_map(g.semantics.surfaces, g.semantics.values.tolist())
                out["semantics"] = {"surfaces": surfaces, "values": _nulls(values)}
            out.update(g.extra)
            return out
        ro = g.ring_offsets.tolist()
        rings = [idx[ro[k]:ro[k + 1]] for k in range(len(ro) - 1)]
        out["boundaries"] = _nest(g, rings, ring_level=True)
        if g.semantics is not None:
            surfaces, values = self.conform.semantics_map(g.semantics.surfaces, g.semantics.values.tolist())
            out["semantics"] = {"surfaces": surfaces, "values": _nest(g, _nulls(values), ring_level=False)}
        if g.materials:
            mats = {}
            for theme, mm in g.materials.items():
                if mm.uniform and len(mm.values) and (mm.values == mm.values[0]).all():
                    v = int(mm.values[0])
                    mats[theme] = {"value": None if v < 0 else v}
                else:
                    mats[theme] = {"values": _nest(g, _nulls(mm.values), ring_level=False)}
            out["material"] = mats
        if "material" in g.extra:
            out["material"] = {**g.extra["material"], **out.get("material", {})}
        if g.textures:
            texs = {}
            for theme, tm in g.textures.items():
                uv = tm.uv.tolist()
                rt = tm.ring_texture.tolist()
                tr = []
                for k in range(len(ro) - 1):
                    if rt[k] < 0:
                        tr.append([None])
                    else:
                        tr.append([rt[k], *uv[ro[k]:ro[k + 1]]])
                texs[theme] = {"values": _nest(g, tr, ring_level=True)}
            out["texture"] = texs
        if "texture" in g.extra:
            out["texture"] = {**g.extra["texture"], **out.get("texture", {})}
        out.update({k: v for k, v in g.extra.items() if k not in ("material", "texture")})
        return out

    def city_object(self, o: CityObject) -> dict:
        out: dict[str, Any] = {"type": self.conform.object_type(o.type)}
        if o.attributes:
            out["attributes"] = o.attributes
        if o.geometry:
            keep = []
            for gi, g in enumerate(o.geometry):
                if not allowed_geometry(o, g):
                    self.model.problems.report(o.id, f"a {g.type} (LoD {g.lod}) is not allowed on a {o.type} "
                                               "in CityJSON 2.0: not written", geometry=gi)
                    continue
                if g.lod is not None and cityjson_lod(g.lod) != g.lod:
                    self.model.problems.report(o.id, f"LoD {g.lod} {g.type} written as LoD "
                                               f"{cityjson_lod(g.lod)}: CityJSON 2.0 has LoDs 0-3 (refinements .0-.3) only",
                                               geometry=gi)
                keep.append(self.geometry(g))
            if keep:
                out["geometry"] = keep
        if o.parents:
            out["parents"] = o.parents
        if o.children:
            out["children"] = o.children
        if o.geographical_extent is not None:
            out["geographicalExtent"] = o.geographical_extent
        if o.address is not None:
            out["address"] = [self._address(a) for a in o.address]
        for k, v in o.extra.items():
            if k == "geometry" and "geometry" in out:
                continue
            out[k] = v
        return out

    def _address(self, a: dict) -> dict:
        a = dict(a)
        loc = a.get("location")
        if isinstance(loc, Geometry):
            a["location"] = self.geometry(loc)
        return a


def _all_geometries(o: CityObject):
    yield from (g for g in o.geometry if allowed_geometry(o, g))
    for a in o.address or []:
        loc = a.get("location") if isinstance(a, dict) else None
        if isinstance(loc, Geometry):
            yield loc


def _nulls(values: np.ndarray | list) -> list:
    return [None if v is None or v < 0 else v for v in (values.tolist() if isinstance(values, np.ndarray)
                                                        else values)]


def _nest(g: Geometry, items: list, ring_level: bool) -> list:
    """Nest per-ring (``ring_level``) or per-surface items back into the geometry's hierarchy."""
    if g.type == "MultiLineString":
        return items
    if ring_level:
        so = g.surface_offsets.tolist()
        items = [items[so[j]:so[j + 1]] for j in range(len(so) - 1)]
    if g.type in SOLID_TYPES or g.type in MULTI_SOLID_TYPES:
        sh = g.shell_offsets.tolist()
        items = [items[sh[i]:sh[i + 1]] for i in range(len(sh) - 1)]
        if g.type in MULTI_SOLID_TYPES:
            sd = g.solid_offsets.tolist()
            items = [items[sd[m]:sd[m + 1]] for m in range(len(sd) - 1)]
    return items


def _quantise(pts: np.ndarray, scale: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    if len(pts) == 0:
        return np.zeros((0, 3), dtype=np.int64), np.zeros(3)
    decimals = np.maximum(0, -np.floor(np.log10(scale))).astype(int)
    translate = np.floor(pts.min(axis=0) / scale) * scale
    translate = np.array([round(float(t), int(d)) for t, d in zip(translate, decimals)])
    q = np.rint((pts - translate) / scale).astype(np.int64)
    return q, translate


def _header(model: CityModel, scale: np.ndarray, translate: np.ndarray, bbox: np.ndarray | None) -> dict:
    doc: dict[str, Any] = {"type": "CityJSON", "version": "2.0",
                           "transform": {"scale": scale.tolist(), "translate": translate.tolist()}}
    meta = dict(model.metadata)
    if model.crs is not None:
        ref, note = model.crs.to_cityjson(), model.crs.cityjson_note()
        meta.pop("referenceSystem", None)
        if ref:
            meta["referenceSystem"] = ref
        if note:
            model.problems.report(None, note)
    if bbox is not None and np.all(np.isfinite(bbox)):
        meta["geographicalExtent"] = [float(x) for x in bbox]
    if meta:
        doc["metadata"] = meta
    ext = _extensions(model)
    if ext:
        doc["extensions"] = ext
    doc.update(model.extra)
    return doc


#: What CityJSON 2.0 requires of an ``extensions`` entry's ``version`` (cityjson.schema.json).
_EXT_VERSION = re.compile(r"^(0|[1-9]\d*)\.(0|[1-9]\d*)(?:\.(0|[1-9]\d*))?$")


def _extensions(model: CityModel) -> dict:
    """The ``extensions`` entries CityJSON 2.0 accepts (a ``url`` string and a ``version`` like
    "1.0"); any other entry is left out with a warning (its version cannot be made up)."""
    out = {}
    for name, e in (model.extensions or {}).items():
        url = e.get("url") if isinstance(e, dict) else None
        ver = e.get("version") if isinstance(e, dict) else None
        if isinstance(ver, (int, float)) and not isinstance(ver, bool):
            ver = str(ver)
        if isinstance(url, str) and isinstance(ver, str) and _EXT_VERSION.match(ver):
            out[name] = {**e, "version": ver}
            continue
        why = "no \"url\"" if not isinstance(url, str) else (
            "no \"version\"" if ver is None else f"version {ver!r} is not like \"1.0\"")
        model.problems.report(None, f"extension {name!r} left out of \"extensions\": {why}, which "
                              "CityJSON 2.0 requires (its objects and attributes are still written)")
    return out


def _appearance(model: CityModel, conform: Conformer) -> dict | None:
    a = model.appearance
    if a.is_empty() and not len(a.texture_vertices):
        return None
    out: dict[str, Any] = {}
    if a.materials:
        out["materials"] = conform.materials(a.materials)
    if a.textures:
        out["textures"] = conform.textures(a.textures)
    if len(a.texture_vertices):
        out["vertices-texture"] = np.round(a.texture_vertices, 7).tolist()
    if a.default_theme_material:
        out["default-theme-material"] = a.default_theme_material
    if a.default_theme_texture:
        out["default-theme-texture"] = a.default_theme_texture
    out.update(a.extra)
    return out


def _templates(model: CityModel, enc: _Encoder, scale: np.ndarray) -> dict | None:
    if not model.templates:
        return None
    ident = np.arange(len(model.template_vertices), dtype=np.int64)
    decimals = int(max(0, -math.floor(math.log10(float(scale.min())))) + 3)
    return {"templates": [enc.geometry(t, remap=ident) for t in model.templates],
            "vertices-templates": np.round(model.template_vertices, decimals).tolist()}


def _parts(model: CityModel, precision: float | None):
    """What both the document and the streamed writer need: the objects, their encoder, the
    quantised vertices (n, 3) int64, the header dict and the members that follow the vertices."""
    scale = _precision(model, precision)
    objs = list(model.objects.values())
    enc = _Encoder(model, objs)
    _, translate = _quantise(enc.vertices(), scale)
    objs, enc = _snapped(model, objs, enc, scale, translate)
    pts = enc.vertices()
    q = np.rint((pts - translate) / scale).astype(np.int64)
    bbox = np.concatenate([pts.min(axis=0), pts.max(axis=0)]) if len(pts) else None
    header = _header(model, scale, translate, bbox)
    tail: dict[str, Any] = {}
    app = _appearance(model, enc.conform)
    if app is not None:
        tail["appearance"] = app
    gt = _templates(model, enc, scale)
    if gt is not None:
        tail["geometry-templates"] = gt
    return objs, enc, q, header, tail


def document(model: CityModel, precision: float | None = None) -> dict:
    """The CityJSON 2.0 document (a dict ready for JSON) of the whole model."""
    objs, enc, q, doc, tail = _parts(model, precision)
    doc["CityObjects"] = {o.id: enc.city_object(o) for o in objs}
    doc["vertices"] = q.tolist()
    doc.update(tail)
    _report(model, enc.conform)
    return doc


def _snapped(model: CityModel, objs: list[CityObject], enc: _Encoder, scale: np.ndarray,
             translate: np.ndarray) -> tuple[list[CityObject], _Encoder]:
    """The objects as they will be on the output grid: repeated grid corners merged, polygons that
    collapse to zero area left out, polygons that would cross themselves untangled
    (:mod:`citytwin.semantics.snapping`), said in one warning."""
    from dataclasses import replace

    from citytwin.semantics.snapping import SnapStats, make_grid, snap_geometries, snap_geometry, untangle

    grid = make_grid(model.vertices, enc.used, scale, translate)
    if not grid.moved.any():  # already on this grid (e.g. CityJSON at its own scale): nothing changes
        return objs, enc
    owners = [(k, gi) for k, o in enumerate(objs) for gi, g in enumerate(o.geometry) if allowed_geometry(o, g)]
    geoms: list = [objs[k].geometry[gi] for k, gi in owners]
    stats = SnapStats()
    changed: set[int] = set()
    for pos in np.nonzero(snap_geometries(geoms, grid))[0].tolist():
        geoms[pos] = snap_geometry(geoms[pos], grid, stats)
        changed.add(pos)
    for pos, drop in untangle(geoms, grid, scale, stats).items():
        geoms[pos] = snap_geometry(geoms[pos], grid, stats, drop=drop)
        changed.add(pos)
    if not changed:
        return objs, enc
    out = list(objs)
    per_obj: dict[int, list] = {}
    for pos in sorted(changed):
        k, gi = owners[pos]
        per_obj.setdefault(k, list(objs[k].geometry))[gi] = geoms[pos]
    for k, gl in per_obj.items():
        out[k] = replace(objs[k], geometry=[g for g in gl if g is not None])
        stats.objects.append(objs[k].id)
    msg = stats.message("transform.scale " + ", ".join(f"{float(s):g}" for s in scale))
    if msg:
        model.problems.report(None, msg)
    return out, _Encoder(model, out, enc.conform)


def _report(model: CityModel, conform: Conformer) -> None:
    """What was changed to fit CityJSON 2.0, as file-level problems (``warning:`` lines)."""
    for msg in conform.messages():
        model.problems.report(None, msg)


def write_cityjson(model: CityModel, path: str | Path, precision: float | None = None) -> None:
    """Write the model as CityJSON 2.0 to ``path`` (atomically), streamed.

    The same document as :func:`document`, but written a few thousand CityObjects at a time and
    the vertices in numpy blocks, so the Python objects of the whole document never exist at once
    (the peak memory of a 100 MB file stays near the model's own size).

    Parameters
    ----------
    precision : metres per quantisation step (the ``transform.scale``, converted to degrees for
        angular axes); default: the source's scale, else 0.001 m
    """
    import orjson

    objs, enc, q, header, tail = _parts(model, precision)
    head = orjson.dumps(header)[1:-1]
    with atomic_open(path, "wb") as f:
        f.write(b"{" + head + (b"," if head else b"") + b'"CityObjects":{')
        for i in range(0, len(objs), _OBJECTS_PER_CHUNK):
            chunk = {o.id: enc.city_object(o) for o in objs[i:i + _OBJECTS_PER_CHUNK]}
            f.write((b"," if i else b"") + orjson.dumps(chunk)[1:-1])
        f.write(b'},"vertices":[')
        for i in range(0, len(q), _VERTICES_PER_CHUNK):
            f.write((b"," if i else b"") + orjson.dumps(q[i:i + _VERTICES_PER_CHUNK],
                                                       option=orjson.OPT_SERIALIZE_NUMPY)[1:-1])
        f.write(b"]")
        if tail:
            f.write(b"," + orjson.dumps(tail)[1:-1])
        f.write(b"}")
    _report(model, enc.conform)


_OBJECTS_PER_CHUNK = 2000
_VERTICES_PER_CHUNK = 200_000


def write_cityjsonseq(model: CityModel, path: str | Path, precision: float | None = None) -> None:
    """Write the model as CityJSONSeq: a header line, then one CityJSONFeature per top-level object.

    Appearance and templates go in the header (shared by all features); each feature carries its
    own vertices, quantised with the header's transform.
    """
    import orjson

    scale = _precision(model, precision)
    conform = Conformer()
    allenc = _Encoder(model, list(model.objects.values()), conform)
    _, translate = _quantise(allenc.vertices(), scale)
    snapped, allenc = _snapped(model, list(model.objects.values()), allenc, scale, translate)
    objects = {o.id: o for o in snapped}
    pts = allenc.vertices()
    bbox = np.concatenate([pts.min(axis=0), pts.max(axis=0)]) if len(pts) else None
    header = _header(model, scale, translate, bbox)
    header["CityObjects"] = {}
    header["vertices"] = []
    app = _appearance(model, conform)
    if app is not None:
        header["appearance"] = app
    gt = _templates(model, allenc, scale)
    if gt is not None:
        header["geometry-templates"] = gt
    written: set[str] = set()
    with atomic_open(path, "wb") as f:
        f.write(orjson.dumps(header))
        f.write(b"\n")
        for root in model.objects.values():
            if root.parents and any(p in model.objects for p in root.parents):
                continue
            ids = [root.id, *model.descendants(root.id)]
            ids = [i for i in ids if i not in written]
            written.update(ids)
            objs = [objects[i] for i in ids]
            enc = _Encoder(model, objs, conform)
            fv = enc.vertices()
            q = np.rint((fv - translate) / scale).astype(np.int64)
            feat = {"type": "CityJSONFeature", "id": root.id,
                    "CityObjects": {o.id: enc.city_object(o) for o in objs},
                    "vertices": q.tolist()}
            f.write(orjson.dumps(feat))
            f.write(b"\n")
        # objects only reachable through cycles or missing parents
        for o in model.objects.values():
            if o.id not in written:
                enc = _Encoder(model, [objects[o.id]], conform)
                q = np.rint((enc.vertices() - translate) / scale).astype(np.int64)
                feat = {"type": "CityJSONFeature", "id": o.id,
                        "CityObjects": {o.id: enc.city_object(objects[o.id])},
                        "vertices": q.tolist()}
                f.write(orjson.dumps(feat))
                f.write(b"\n")
                written.add(o.id)
    _report(model, conform)
