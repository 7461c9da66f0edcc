"""CityJSON 1.0, 1.1, 2.0 and CityJSONSeq reader.

Older versions are upgraded to 2.0 semantics on the way in (:mod:`citytwin.io.cityjson.upgrade`,
following cjio's rules). Boundaries of all geometries are flattened into numpy arrays in bulk
(one pass over all rings of the file), so the cost is close to that of parsing the JSON.

A file that cannot be read raises :class:`~citytwin.errors.InputError` naming the file and the
place; a broken object, geometry, material or texture is reported in ``model.problems`` and the
rest loads.
"""

from __future__ import annotations

from itertools import chain
from pathlib import Path
from typing import Any, Iterable

import numpy as np

from citytwin.errors import InputError, ProblemLog
from citytwin.io.cityjson.surface_data import SurfaceData, parse_appearance
from citytwin.io.cityjson.upgrade import SUPPORTED_VERSIONS, upgrade_document
from citytwin.semantics.crs import CRS
from citytwin.semantics.geometry import GEOMETRY_TYPES, SOLID_TYPES, SURFACE_TYPES, Geometry
from citytwin.semantics.model import CityModel, CityObject
from citytwin.semantics.surfaces import CITYJSON_OBJECT_TYPES

_OBJECT_KEYS = {"type", "attributes", "geometry", "parents", "children", "geographicalExtent", "address"}
_GEOM_KEYS = {"type", "lod", "boundaries", "semantics", "material", "texture", "template",
              "transformationMatrix"}
_ROOT_KEYS = {"type", "version", "CityObjects", "vertices", "transform", "metadata", "appearance",
              "geometry-templates", "extensions"}


def loads_json(data: bytes, path: str | Path) -> Any:
    """Parse JSON bytes with orjson; a syntax error becomes an InputError with line and column."""
    import orjson

    try:
        return orjson.loads(data)
    except orjson.JSONDecodeError as exc:
        msg = str(exc).split(":")[0]
        raise InputError(path, f"malformed JSON ({msg})", f"line {exc.lineno}, column {exc.colno}") from None


def read_cityjson(path: str | Path, data: bytes | None = None) -> CityModel:
    """Read a CityJSON file (1.0, 1.1 or 2.0) into a CityModel.

    Parameters
    ----------
    path : the file (its folder is the base for texture image paths)
    data : the file's bytes, when already in memory
    """
    path = Path(path)
    if data is None:
        data = _read_bytes(path)
    if not data.strip():
        raise InputError(path, "the file is empty")
    if len(data) >= chunked_threshold():
        model = _read_chunked(data, path)
        if model is not None:
            return model
    doc = loads_json(data, path)
    return model_from_document(doc, path)


def chunked_threshold() -> int:
    """Files at least this big (bytes) are parsed member by member (``CITYTWIN_CHUNKED_MB``, default 32)."""
    import os

    return int(float(os.environ.get("CITYTWIN_CHUNKED_MB", "32")) * 1e6)


def _read_chunked(data: bytes, path: Path) -> CityModel | None:
    """Read a CityJSON 2.0 document a few thousand CityObjects at a time (bounded memory).

    Only one chunk of parsed Python objects is alive at once; vertices are parsed in ~4 MB blocks
    straight into one numpy array. Returns None (the caller parses the whole file, which reports
    precisely what is wrong) when the layout is unexpected or a chunk does not parse.
    """
    import orjson

    from citytwin.io.cityjson import json_split as js

    found = js.root_members(data)
    if found is None:
        return None
    members, pos, depth = found
    co, vs = members.get(b'"CityObjects"'), members.get(b'"vertices"')
    if co is None or vs is None:
        return None
    rest = b"{" + b",".join(k + b":" + data[a:b] for k, (a, b) in members.items()
                            if k not in (b'"CityObjects"', b'"vertices"')) + b',"CityObjects":{},"vertices":[]}'
    obj_ranges = js.object_chunks(data, co[0], co[1], known=(pos, depth))
    vert_ranges = js.array_chunks(data, vs[0], vs[1])
    if obj_ranges is None or vert_ranges is None:
        return None
    try:
        doc = orjson.loads(rest)
        if not isinstance(doc, dict) or str(doc.get("version", ""))[:3] != "2.0":
            return None  # older versions are upgraded on the whole document
        blocks = [np.asarray(orjson.loads(js.wrap(data, r, b"[", b"]")), dtype=np.float64) for r in vert_ranges]
    except (orjson.JSONDecodeError, ValueError, TypeError):
        return None
    if any(b.ndim != 2 or b.shape[1] != 3 for b in blocks if b.size):
        return None
    raw = np.concatenate([b for b in blocks if b.size]) if any(b.size for b in blocks) else np.zeros((0, 3))

    def chunks():
        for r in obj_ranges:
            chunk = orjson.loads(js.wrap(data, r, b"{", b"}"))
            if not isinstance(chunk, dict):
                raise ValueError("not an object")
            yield chunk

    try:
        return model_from_document(doc, path, raw_vertices=raw, object_chunks=chunks())
    except (orjson.JSONDecodeError, ValueError):
        return None


def _read_bytes(path: Path) -> bytes:
    """The (decompressed) bytes of a regular file, within the memory limits of :mod:`safe_io`."""
    from citytwin.io.safe_io import read_gzip_bytes, read_input_bytes

    if path.suffix == ".gz":
        return read_gzip_bytes(path)
    return read_input_bytes(path)


#: the errors a member of an unexpected JSON type causes deep in the reader (a list where an object
#: belongs, an int past int64, ...): turned into one InputError naming the file and the object
_SHAPE_ERRORS = (TypeError, ValueError, AttributeError, KeyError, IndexError, OverflowError)


def model_from_document(doc: Any, path: str | Path, features: list[dict] | None = None,
                        problems: ProblemLog | None = None, raw_vertices: np.ndarray | None = None,
                        object_chunks: Iterable[dict] | None = None) -> CityModel:
    """Build a CityModel from a parsed CityJSON document (and CityJSONFeatures, for sequences).

    ``raw_vertices`` (n, 3) float64 (before ``transform``) and ``object_chunks`` (dicts of
    CityObjects) replace the document's ``vertices`` and ``CityObjects`` when it was read in
    chunks (:func:`_read_chunked`); each chunk is flattened and dropped before the next.

    Members of the wrong JSON type that the checks below do not foresee end as one InputError
    naming the file and the CityObject being read (hostile or fuzzed files), never a traceback.
    """
    where: list[str] = []
    try:
        return _model_from_document(doc, path, features, problems, raw_vertices, object_chunks, where)
    except _SHAPE_ERRORS as exc:
        if object_chunks is not None and isinstance(exc, ValueError):
            raise  # the chunked reader falls back to the whole-document parse, which says more
        raise InputError(path, f"malformed CityJSON: a member has an unexpected type or value "
                         f"({type(exc).__name__}: {str(exc)[:200]})", where[-1] if where else None) from None


def _model_from_document(doc: Any, path: str | Path, features: list[dict] | None,
                         problems: ProblemLog | None, raw_vertices: np.ndarray | None,
                         object_chunks: Iterable[dict] | None, where: list[str]) -> CityModel:
    if not isinstance(doc, dict):
        raise InputError(path, "not a CityJSON file (the top level is not a JSON object)")
    typ = doc.get("type")
    if typ == "CityJSONExtension":
        raise InputError(path, "is a CityJSON Extension schema, not a city model")
    if typ != "CityJSON":
        if typ is None and "CityObjects" in doc:
            raise InputError(path, "not a valid CityJSON file: the top-level \"type\": \"CityJSON\" is missing")
        keys = ", ".join(str(k) for k in list(doc)[:8]) + (", ..." if len(doc) > 8 else "")
        found = f'"type": "{str(typ)[:60]}"' if typ is not None else 'no "type" member'
        raise InputError(path, f'not a CityJSON file: a JSON object with {found} (members: {keys or "none"}), '
                         'where a city model has "type": "CityJSON"')
    version = str(doc.get("version", ""))
    if version[:3] not in SUPPORTED_VERSIONS:
        raise InputError(path, f"unsupported CityJSON version {version!r} (supported: 1.0, 1.1, 2.0)")
    if "CityObjects" not in doc or not isinstance(doc["CityObjects"], dict):
        raise InputError(path, "not a valid CityJSON file: \"CityObjects\" is missing or not an object")
    if "vertices" not in doc or not isinstance(doc["vertices"], list):
        raise InputError(path, "not a valid CityJSON file: \"vertices\" is missing or not an array")
    if version[:3] != "1.0" and "transform" not in doc:
        raise InputError(path, f"CityJSON {version} requires a \"transform\" member, and it is missing")
    notes = upgrade_document(doc)

    model = CityModel()
    if problems is not None:
        model.problems = problems
    model.source = {"path": str(path), "format": "CityJSON", "version": version[:3]}
    if notes:
        model.source["upgrade_notes"] = notes
    transform = doc.get("transform")
    scale, translate = _transform_arrays(transform, path)
    model.transform = {"scale": scale.tolist(), "translate": translate.tolist()} if transform else None
    if transform and np.any(scale == 0):
        model.problems.report(None, "\"transform.scale\" has a zero: every vertex collapses onto "
                              "\"translate\" along that axis", "error")
        model.transform = None
    verts = [doc["vertices"]]
    feature_objects: list[tuple[dict, int]] = []
    if features:
        off = len(doc["vertices"])
        for feat in features:
            fv = feat.get("vertices", [])
            feature_objects.append((feat, off))
            verts.append(fv)
            off += len(fv)
    if raw_vertices is not None:
        if not np.all(np.isfinite(raw_vertices)) or (len(raw_vertices) and np.abs(raw_vertices).max() > 2.0 ** 63):
            raise InputError(path, "vertex coordinates are out of range (not finite or beyond 64-bit)")
        with np.errstate(over="ignore", invalid="ignore"):
            model.vertices = raw_vertices * scale + translate
    else:
        model.vertices = _vertices(verts, scale, translate, path)
    if not np.all(np.isfinite(model.vertices)):
        raise InputError(path, "vertex coordinates overflow once \"transform\" is applied (not finite)")

    meta = _object_member(doc, "metadata", path)
    rs = meta.pop("referenceSystem", None)
    if rs is not None:
        model.crs = CRS.parse(rs)
        model.source["referenceSystem"] = rs
    model.metadata = meta
    model.extensions = _object_member(doc, "extensions", path)
    model.extra = {k: v for k, v in doc.items() if k not in _ROOT_KEYS}
    model.appearance = parse_appearance(doc.get("appearance"), path, model.problems)
    base = Path(path).parent
    model.appearance.base_path = str(base)

    builder = _Builder(model, path, where)
    if "geometry-templates" in doc:
        gt = doc["geometry-templates"] or {}
        tv = gt.get("vertices-templates") or []
        try:
            model.template_vertices = np.asarray(tv, dtype=np.float64).reshape(-1, 3)
        except (ValueError, TypeError, OverflowError):
            raise InputError(path, "\"vertices-templates\" is not a list of [x, y, z]",
                             "geometry-templates") from None
        if len(model.template_vertices) and not (np.all(np.isfinite(model.template_vertices))
                                                 and np.abs(model.template_vertices).max() < 1e12):
            raise InputError(path, "\"vertices-templates\" coordinates are out of range (not finite or "
                             "beyond 1e12)", "geometry-templates")
        templates = gt.get("templates") or []
        if not isinstance(templates, list):
            raise InputError(path, "\"templates\" is not a list", "geometry-templates")
        for i, t in enumerate(templates):
            g = builder.geometry(t, f"template {i}", None, i, template=True)
            if g is not None:
                model.templates.append(g)
    builder.objects(doc["CityObjects"], 0)
    for chunk in object_chunks or ():
        builder.objects(chunk, 0)
        builder.finish()  # flatten this chunk's boundaries now, so its lists can be freed
    for feat, off in feature_objects:
        # a feature's indices refer to its own vertices only: [off, off + its count)
        builder.vrange = (off, off + len(feat.get("vertices") or []))
        builder.feature_appearance(feat.get("appearance"), feat.get("id"))
        builder.objects(feat.get("CityObjects") or {}, off, feature_id=feat.get("id"))
    builder.vrange = None
    builder.surface.bases = (0, 0, 0)
    builder.finish()
    return model


def _transform_arrays(transform: Any, path) -> tuple[np.ndarray, np.ndarray]:
    if transform is None:
        return np.ones(3), np.zeros(3)
    try:
        scale = np.asarray(transform["scale"], dtype=np.float64)
        translate = np.asarray(transform["translate"], dtype=np.float64)
    except (KeyError, TypeError, ValueError):
        raise InputError(path, "\"transform\" must have \"scale\" and \"translate\" of 3 numbers") from None
    if scale.shape != (3,) or translate.shape != (3,) or not np.all(np.isfinite(scale)) \
            or not np.all(np.isfinite(translate)):
        raise InputError(path, "\"transform\" must have \"scale\" and \"translate\" of 3 finite numbers")
    return scale, translate


def _vertices(lists: list[list], scale: np.ndarray, translate: np.ndarray, path) -> np.ndarray:
    total = sum(len(v) for v in lists)
    if total == 0:
        return np.zeros((0, 3))
    try:
        flat = np.fromiter(chain.from_iterable(chain.from_iterable(lists)), dtype=np.float64,
                           count=total * 3)
    except (TypeError, ValueError):
        flat = None
    if flat is None or not all(len(p) == 3 for v in lists for p in v[:1000]):
        # slow path only to say exactly what is wrong
        for v in lists:
            for i, p in enumerate(v):
                if not isinstance(p, list) or len(p) != 3 or not all(
                        isinstance(c, (int, float)) and not isinstance(c, bool) for c in p):
                    raise InputError(path, "a vertex is not a list of 3 numbers", f"vertex {i}")
        raise InputError(path, "vertices are not all lists of 3 numbers")
    pts = flat.reshape(-1, 3)
    if not np.all(np.isfinite(pts)) or np.abs(pts).max() > 2.0 ** 63:
        raise InputError(path, "vertex coordinates are out of range (not finite or beyond 64-bit)")
    with np.errstate(over="ignore", invalid="ignore"):
        return pts * scale + translate


def _object_member(doc: dict, key: str, path) -> dict:
    """``doc[key]`` as a dict ({} when absent); InputError when it is another JSON type."""
    v = doc.get(key)
    if v is None:
        return {}
    if not isinstance(v, dict):
        raise InputError(path, f"\"{key}\" is not a JSON object (it is a {type(v).__name__})")
    return dict(v)


class _Builder:
    """Turns CityObjects into model objects, flattening all boundaries of the file in bulk."""

    def __init__(self, model: CityModel, path, where: list[str] | None = None) -> None:
        self.model = model
        self.path = path
        self.where = where if where is not None else []  # the object being read, for error messages
        self.rings: list[list] = []          # every ring of every geometry, in order
        self.pending: list[tuple[Geometry, int, int, int, str, int, bool]] = []
        self.ranges: list[tuple[int, int] | None] = []  # per pending geometry: its feature's vertices
        self.vrange: tuple[int, int] | None = None  # the vertices of the CityJSONFeature being read
        self.points: list[list] = []
        #: semantics, materials and textures (with the appearance offsets of the feature being read)
        self.surface = SurfaceData(model)

    def feature_appearance(self, app: Any, feature_id: str | None) -> None:
        """Append a CityJSONFeature's own ``appearance`` to the model's; its indices get offsets.

        ``cityjsonfeature.schema.json`` lets each feature carry materials, textures and texture
        vertices; the feature's geometries index into those lists, so they are appended to the
        model's and the feature's indices shifted by the lengths before (:attr:`SurfaceData.bases`). A list
        the feature does not carry is the header's (offset 0), as older writers (and ours) put it.
        """
        a = self.model.appearance
        self.surface.bases = (0, 0, 0)  # a feature without its own lists indexes the header's
        if not app:
            return
        if not isinstance(app, dict):
            self.model.problems.report(feature_id, "the feature's \"appearance\" is not an object (ignored)",
                                       "error")
            return
        self.surface.bases = (len(a.materials) if "materials" in app else 0,
                      len(a.textures) if "textures" in app else 0,
                      len(a.texture_vertices) if "vertices-texture" in app else 0)
        own = parse_appearance(app, self.path, self.model.problems)
        a.materials.extend(own.materials)
        a.textures.extend(own.textures)
        if len(own.texture_vertices):
            a.texture_vertices = np.concatenate([a.texture_vertices.reshape(-1, 2), own.texture_vertices])
        a.default_theme_material = a.default_theme_material or own.default_theme_material
        a.default_theme_texture = a.default_theme_texture or own.default_theme_texture

    # -- objects ----------------------------------------------------------------------------
    def objects(self, cos: dict, voff: int, feature_id: str | None = None) -> None:
        model = self.model
        for oid, co in cos.items():
            self.where[:] = [f"CityObject {oid!r}"]
            if not isinstance(co, dict):
                model.problems.report(oid, "city object is not a JSON object (skipped)", "error")
                continue
            typ = co.get("type")
            if not isinstance(typ, str):
                model.problems.report(oid, "city object has no \"type\" (skipped)", "error")
                continue
            if typ not in CITYJSON_OBJECT_TYPES and not typ.startswith("+"):
                model.problems.report(oid, f"unknown city object type {typ!r} (kept as is)", "error")
            if oid in model.objects:
                model.problems.report(oid, "duplicate city object id; the later one replaces the earlier",
                                      "error")
            attributes = co.get("attributes") or {}
            if not isinstance(attributes, dict):
                model.problems.report(oid, f"\"attributes\" is a {type(attributes).__name__}, not an object "
                                      "(dropped)", "error")
                attributes = {}
            links = {}
            for key in ("parents", "children"):
                v = co.get(key) or []
                if not isinstance(v, list) or not all(isinstance(x, str) for x in v):
                    model.problems.report(oid, f"\"{key}\" is not a list of ids (dropped)", "error")
                    v = []
                links[key] = v
            obj = CityObject(
                id=oid, type=typ,
                attributes=dict(attributes),
                parents=list(links["parents"]),
                children=list(links["children"]),
                geographical_extent=co.get("geographicalExtent"),
                extra={k: v for k, v in co.items() if k not in _OBJECT_KEYS},
            )
            if "address" in co and co["address"] is not None:
                obj.address = self._address(co["address"], oid, voff)
            geoms = co.get("geometry") or []
            if not isinstance(geoms, list):
                model.problems.report(oid, "\"geometry\" is not a list (dropped)", "error")
                geoms = []
            for gi, g in enumerate(geoms):
                geom = self.geometry(g, oid, voff, gi)
                if geom is not None:
                    obj.geometry.append(geom)
            if "geometry" in co and not co.get("geometry"):
                obj.extra["geometry"] = co["geometry"]  # keep an explicit empty list
            model.objects[oid] = obj

    def _address(self, addr: Any, oid: str, voff: int) -> list[dict]:
        items = addr if isinstance(addr, list) else [addr]
        out = []
        for a in items:
            if not isinstance(a, dict):
                self.model.problems.report(oid, "address is not an object (dropped)")
                continue
            a = dict(a)
            if isinstance(a.get("location"), dict):
                g = self.geometry(a["location"], oid, voff, -1)
                if g is not None:
                    a["location"] = g
            out.append(a)
        return out

    # -- geometries -------------------------------------------------------------------------
    def geometry(self, g: Any, oid: str, voff: int | None, gi: int, template: bool = False) -> Geometry | None:
        problems = self.model.problems
        if not isinstance(g, dict) or not isinstance(g.get("type"), str) or g["type"] not in GEOMETRY_TYPES:
            problems.report(oid, f"geometry {gi} has an unknown type "
                            f"{g.get('type') if isinstance(g, dict) else g!r} (skipped)", "error", geometry=gi)
            return None
        typ = g["type"]
        lod = g.get("lod")
        geom = Geometry(type=typ, lod=None if lod is None else str(lod),
                        extra={k: v for k, v in g.items() if k not in _GEOM_KEYS})
        b = g.get("boundaries")
        if typ == "GeometryInstance":
            return self._instance(g, geom, oid, voff or 0, gi)
        if not isinstance(b, list):
            problems.report(oid, f"geometry {gi} ({typ}) has no list of boundaries (skipped)", "error", geometry=gi)
            return None
        try:
            if typ == "MultiPoint":
                pts = b if isinstance(b, list) else []
                geom.indices = np.fromiter(pts, dtype=np.int64, count=len(pts))
                if voff:
                    geom.indices += voff
                self._check_range(geom.indices, oid, gi, template)
                if "semantics" in g:
                    geom.semantics = self.surface.semantics(g["semantics"], len(pts), oid, gi, depth=1,
                                                     counts=None)
                return geom
            if typ == "MultiLineString":
                surfaces = None
                rings = b
                nsurf = len(b)
                shells = solids = None
            elif typ in SURFACE_TYPES:
                surfaces = b
                shells = solids = None
            elif typ in SOLID_TYPES:
                shells = b
                surfaces = [s for sh in b for s in sh]
                solids = None
            else:  # MultiSolid, CompositeSolid
                solids = b
                shells = [sh for so in b for sh in so]
                surfaces = [s for sh in shells for s in sh]
            if surfaces is not None:
                rings = [r for s in surfaces for r in s]
                nsurf = len(surfaces)
                srl = np.fromiter(map(len, surfaces), dtype=np.int64, count=nsurf)
                geom.surface_offsets = np.zeros(nsurf + 1, dtype=np.int64)
                np.cumsum(srl, out=geom.surface_offsets[1:])
            if shells is not None:
                sl = np.fromiter(map(len, shells), dtype=np.int64, count=len(shells))
                geom.shell_offsets = np.concatenate([[0], np.cumsum(sl)]).astype(np.int64)
            if solids is not None:
                dl = np.fromiter(map(len, solids), dtype=np.int64, count=len(solids))
                geom.solid_offsets = np.concatenate([[0], np.cumsum(dl)]).astype(np.int64)
        except TypeError:
            problems.report(oid, f"geometry {gi} ({typ}) has malformed boundaries (skipped)", "error",
                            geometry=gi)
            return None
        r0 = len(self.rings)
        self.rings.extend(rings)
        self.pending.append((geom, r0, len(self.rings), voff or 0, oid, gi, template))
        self.ranges.append(None if template else self.vrange)
        self.surface.attach(geom, g, nsurf, rings, surfaces, oid, gi, typ)
        return geom

    def _instance(self, g: dict, geom: Geometry, oid: str, voff: int, gi: int) -> Geometry | None:
        problems = self.model.problems
        b = g.get("boundaries")
        t = g.get("template")
        m = g.get("transformationMatrix")
        ntempl = len(self.model.templates)
        if not (isinstance(b, list) and len(b) == 1 and isinstance(b[0], int)):
            problems.report(oid, "GeometryInstance needs one reference point (skipped)", "error", geometry=gi)
            return None
        if not isinstance(t, int) or not 0 <= t < ntempl:
            problems.report(oid, f"GeometryInstance refers to template {t!r}, which does not exist (skipped)",
                            "error", geometry=gi)
            return None
        try:
            mat = np.asarray(m, dtype=np.float64).reshape(4, 4)
            if not np.all(np.isfinite(mat)) or np.abs(mat).max() > 1e12:
                raise ValueError("out of range")
        except (ValueError, TypeError, OverflowError):
            problems.report(oid, "GeometryInstance transformationMatrix is not 16 finite numbers below 1e12 "
                            "(skipped)", "error", geometry=gi)
            return None
        ref = b[0] + voff
        lo, hi = self.vrange or (0, len(self.model.vertices))
        if not lo <= ref < hi:
            raise InputError(self.path, f"vertex index {b[0]} out of range", f"CityObject {oid!r}")
        geom.template, geom.reference_point, geom.transformation = t, ref, mat
        geom.lod = self.model.templates[t].lod
        return geom

    def _check_range(self, idx: np.ndarray, oid: str, gi: int, template: bool) -> None:
        n = len(self.model.template_vertices) if template else len(self.model.vertices)
        lo, hi = (0, n) if template or self.vrange is None else self.vrange
        if len(idx) and (idx.min() < lo or idx.max() >= hi):
            raise InputError(self.path, f"vertex index {int(idx.max())} out of range "
                             f"(the file has {n} {'template ' if template else ''}vertices)",
                             f"CityObject {oid!r}, geometry {gi}")

    # -- bulk boundary flattening ---------------------------------------------------------------
    def finish(self) -> None:
        rings = self.rings
        if not rings:
            return
        try:
            lens = np.fromiter(map(len, rings), dtype=np.int64, count=len(rings))
            # read as float64 first: int64 would silently truncate an index of 1.5 to 1
            flat_f = np.fromiter(chain.from_iterable(rings), dtype=np.float64, count=int(lens.sum()))
            if not np.all(np.isfinite(flat_f)) or np.any(flat_f != np.trunc(flat_f)) \
                    or (len(flat_f) and np.abs(flat_f).max() >= 2.0 ** 62):
                raise ValueError("a vertex index that is not an integer")
            flat = flat_f.astype(np.int64)
        except (TypeError, ValueError, OverflowError):
            self._locate_bad_ring()
            raise  # pragma: no cover (the call above raises)
        offsets = np.zeros(len(rings) + 1, dtype=np.int64)
        np.cumsum(lens, out=offsets[1:])
        nverts = len(self.model.vertices)
        ntv = len(self.model.template_vertices)
        for (geom, r0, r1, voff, oid, gi, template), vrange in zip(self.pending, self.ranges):
            c0, c1 = offsets[r0], offsets[r1]
            idx = flat[c0:c1]
            if voff:
                idx = idx + voff
            n = ntv if template else nverts
            if vrange is not None and c1 > c0 and (idx.min() < vrange[0] or idx.max() >= vrange[1]):
                bad = int(idx.max() - voff) if idx.max() >= vrange[1] else int(idx.min() - voff)
                raise InputError(self.path, f"vertex index {bad} out of range (its CityJSONFeature has "
                                 f"{vrange[1] - vrange[0]} vertices; indices never refer to another "
                                 "feature's)", f"CityObject {oid!r}, geometry {gi}")
            if c1 > c0 and (idx.min() < 0 or idx.max() >= n):
                bad = int(idx.max() - voff) if idx.max() >= n else int(idx.min() - voff)
                raise InputError(self.path, f"vertex index {bad} out of range (the file has "
                                 f"{n - voff if not template else n} {'template ' if template else ''}vertices)",
                                 f"CityObject {oid!r}, geometry {gi}" if not template else f"template {gi}")
            geom.indices = idx
            geom.ring_offsets = offsets[r0:r1 + 1] - c0
            if geom.type == "MultiLineString":
                pass
            short = lens[r0:r1] < (2 if geom.type == "MultiLineString" else 3)
            if short.any():
                self.model.problems.report(oid, f"{int(short.sum())} ring(s) with too few vertices",
                                           "error", geometry=gi)
        self.rings = []
        self.pending = []
        self.ranges = []

    def _locate_bad_ring(self) -> None:
        for geom, r0, r1, voff, oid, gi, template in self.pending:
            for r in self.rings[r0:r1]:
                if not isinstance(r, list) or not all(
                        (isinstance(i, int) and not isinstance(i, bool) and abs(i) < 2 ** 62)
                        or (isinstance(i, float) and i.is_integer() and abs(i) < 2 ** 62) for i in r):
                    raise InputError(self.path, "boundaries hold something other than vertex indices",
                                     f"CityObject {oid!r}, geometry {gi}")
        raise InputError(self.path, "boundaries are malformed (a vertex index that is not an integer)")
