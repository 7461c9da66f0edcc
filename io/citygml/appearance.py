"""CityGML appearances (X3DMaterial, ParameterizedTexture) mapped onto model geometries.

An ``app:Appearance`` is parsed into a light record; once the geometries it targets are built
(the targets are polygon ids, texture coordinates are given per ring id) it is applied: the
material or texture index goes into the geometry's per-theme :class:`MaterialMap` /
:class:`TextureMap`, texture coordinates into ``appearance.texture_vertices``. Image paths are
resolved against the CityGML file's folder and refused when they climb out of it (or are URLs
or absolute paths). A GeoreferencedTexture becomes an ordinary texture whose coordinates are
computed from each vertex's planimetric position (referencePoint + orientation, else the image's
world file or its GeoTIFF tags, in the order ``preferWorldFile`` says), since CityJSON has no
georeferenced textures. A target may name a polygon or an aggregate (MultiSurface, CompositeSurface,
Shell, Solid...): an aggregate reaches every polygon it holds.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import numpy as np

from citytwin.errors import ProblemLog
from citytwin.io.citygml.geometry import Poly, href, local
from citytwin.semantics.geometry import Geometry, MaterialMap, TextureMap
from citytwin.semantics.model import Appearance

_COLOURS = ("diffuseColor", "emissiveColor", "specularColor")
_FLOATS = ("ambientIntensity", "shininess", "transparency")


@dataclass
class SurfaceData:
    kind: str                      # "material" or "texture"
    props: dict
    targets: list = field(default_factory=list)   # material: [poly id]; texture: [(poly id, [(ring id, uv text)])]


@dataclass
class AppearanceRec:
    theme: str
    items: list[SurfaceData]
    owner: str | None = None


def parse_appearance(el, owner: str | None, problems: ProblemLog) -> AppearanceRec:
    """Parse an ``app:Appearance`` element."""
    theme = "unnamed"
    items: list[SurfaceData] = []
    for p in el:
        if not isinstance(p.tag, str):
            continue
        ln = local(p.tag)
        if ln == "theme":
            theme = (p.text or "").strip()
        elif ln == "surfaceData" or ln == "surfaceDataMember":
            if href(p) is not None:
                problems.report(owner, "a surfaceDataMember given by xlink is not supported (ignored)")
                continue
            for sd in p:
                if not isinstance(sd.tag, str):
                    continue
                kind = local(sd.tag)
                if kind == "X3DMaterial":
                    items.append(_material(sd))
                elif kind == "ParameterizedTexture":
                    items.append(_texture(sd))
                elif kind == "GeoreferencedTexture":
                    items.append(_georeferenced(sd))
    return AppearanceRec(theme, items, owner)


def _floats(text: str | None) -> list[float]:
    return [float(x) for x in (text or "").split()]


def _children(el):
    """(element, local name, text) of each child element."""
    for c in el:
        if isinstance(c.tag, str):
            yield c, local(c.tag), c.text


def _material(el) -> SurfaceData:
    props: dict = {}
    targets: list[str] = []
    for c, ln, t in _children(el):
        if ln in _COLOURS:
            props[ln] = _floats(t)[:3]
        elif ln in _FLOATS:
            props[ln] = float(t)
        elif ln == "isSmooth":
            props["isSmooth"] = (t or "").strip() in ("true", "1")
        elif ln == "name":
            props["name"] = (t or "").strip()
        elif ln == "target":
            tid = (t or "").strip().lstrip("#") or href(c)
            if tid:
                targets.append(tid)
    props.setdefault("name", "material")
    return SurfaceData("material", props, targets)


def _texture(el) -> SurfaceData:
    props: dict = {}
    targets: list = []
    for c in el:
        if not isinstance(c.tag, str):
            continue
        ln = local(c.tag)
        t = (c.text or "").strip()
        if ln == "imageURI":
            props["image"] = t
        elif ln == "mimeType":
            props["mimeType"] = t
        elif ln == "textureType":
            props["textureType"] = t
        elif ln == "wrapMode":
            props["wrapMode"] = t
        elif ln == "borderColor":
            props["borderColor"] = _floats(t)
        elif ln == "textureParameterization":  # CityGML 3.0: TextureAssociation(target, TexCoordList)
            for ta in c:
                if not isinstance(ta.tag, str):
                    continue
                uri = ""
                texts: list[str] = []
                ring_ids: list[str] = []
                for x in ta.iter():
                    if not isinstance(x.tag, str):
                        continue
                    xl = local(x.tag)
                    if xl == "target":
                        uri = (x.text or "").strip().lstrip("#") or (href(x) or "")
                    elif xl == "textureCoordinates":
                        texts.append(x.text or "")
                    elif xl == "ring":
                        ring_ids.append((x.text or "").strip().lstrip("#"))
                ring_ids += [""] * (len(texts) - len(ring_ids))
                rings = list(zip(ring_ids, texts))
                if uri:
                    targets.append((uri, rings))
        elif ln == "target":
            uri = (c.get("uri") or "").lstrip("#")
            rings = []
            for tc in c.iter():
                if isinstance(tc.tag, str) and local(tc.tag) == "textureCoordinates":
                    rings.append(((tc.get("ring") or "").lstrip("#"), tc.text or ""))
            if uri:
                targets.append((uri, rings))
    return SurfaceData("texture", props, targets)


def _georeferenced(el) -> SurfaceData:
    """A GeoreferencedTexture: image, optional referencePoint + orientation, target surface ids."""
    props: dict = {}
    targets: list[str] = []
    for c, ln, t in _children(el):
        t = (t or "").strip()
        if ln in ("imageURI", "mimeType", "textureType", "wrapMode"):
            props["image" if ln == "imageURI" else ln] = t
        elif ln == "borderColor":
            props["borderColor"] = _floats(t)
        elif ln == "preferWorldFile":
            props["_prefer_world_file"] = t not in ("false", "0")
        elif ln == "referencePoint":
            pos = [x for x in c.iter() if isinstance(x.tag, str) and local(x.tag) in ("pos", "coordinates")]
            if pos:
                try:
                    props["_reference_point"] = [float(v) for v in (pos[0].text or "").replace(",", " ").split()][:2]
                except ValueError:
                    pass
        elif ln == "orientation":
            try:
                vals = [float(v) for v in t.split()]
            except ValueError:
                vals = []
            if len(vals) == 4:
                props["_orientation"] = vals
        elif ln == "target":
            tid = t.lstrip("#") or (c.get("uri") or "").lstrip("#") or (href(c) or "")
            if tid:
                targets.append(tid)
    return SurfaceData("georeferenced", props, targets)


_WORLD_EXT = {".png": (".pgw", ".pngw"), ".jpg": (".jgw", ".jpgw"), ".jpeg": (".jgw", ".jpegw"),
              ".tif": (".tfw", ".tifw"), ".tiff": (".tfw", ".tiffw"), ".gif": (".gfw", ".gifw")}


def read_world_file(image: Path) -> tuple[np.ndarray, np.ndarray] | None:
    """The ESRI world file next to ``image`` (``.pgw``, ``.jgw``, ``.tfw``, ``.wld``...) as
    ((2, 2) matrix [[A, B], [D, E]], (2,) world position of the upper-left pixel centre), or None."""
    exts = _WORLD_EXT.get(image.suffix.lower(), ()) + (".wld",)
    for ext in exts:
        for cand in (image.with_suffix(ext), image.with_suffix(ext.upper())):
            if cand.is_file():
                try:
                    v = [float(x) for x in cand.read_text(errors="replace").split()[:6]]
                except (OSError, ValueError):
                    return None
                if len(v) == 6:
                    a, d, b, e, c, f = v
                    return np.array([[a, b], [d, e]]), np.array([c, f])
                return None
    return None


#: GeoTIFF tags (GeoTIFF 1.1, OGC 19-008r4): ModelPixelScale, ModelTiepoint, ModelTransformation, GeoKeyDirectory
_PIXEL_SCALE, _TIEPOINT, _TRANSFORMATION, _GEOKEYS = 33550, 33922, 34264, 34735
_RASTER_TYPE_KEY, _PIXEL_IS_POINT = 1025, 2


def read_geotiff_georeference(im) -> tuple[np.ndarray, np.ndarray] | None:
    """The georeference a GeoTIFF carries in its tags, in the world file's form: ((2, 2) matrix
    [[A, B], [D, E]] from pixel (column, row) steps to map x, y; (2,) map position of the upper-left
    pixel's centre), or None when ``im`` (an open Pillow image) has no usable GeoTIFF tags.

    ModelTransformationTag (16 values, row-major 4 x 4, raster (i, j) -> model) is used when present,
    else ModelPixelScaleTag + the first ModelTiepointTag (raster (I, J) at model (X, Y); y grows
    downwards in the raster). The raster space is PixelIsArea (pixel (0, 0) spans raster [0, 1)^2,
    its centre at (0.5, 0.5)) unless GTRasterTypeGeoKey says PixelIsPoint (centre at (0, 0)).
    Read from Pillow's ``tag_v2`` -- no GDAL needed.
    """
    tags = getattr(im, "tag_v2", None)
    if tags is None:
        return None
    centre = 0.5
    keys = tags.get(_GEOKEYS)
    if keys is not None and len(keys) >= 4:
        for k in range(4, 4 + 4 * int(keys[3]), 4):
            if tuple(keys[k:k + 2]) == (_RASTER_TYPE_KEY, 0) and len(keys) > k + 3 and keys[k + 3] == _PIXEL_IS_POINT:
                centre = 0.0
    try:
        t = tags.get(_TRANSFORMATION)
        if t is not None and len(t) == 16:
            m = np.array(t, dtype=np.float64).reshape(4, 4)
            matrix = m[:2, :2]
            return matrix, m[:2, 3] + matrix @ np.array([centre, centre])
        scale, tie = tags.get(_PIXEL_SCALE), tags.get(_TIEPOINT)
        if scale is None or tie is None or len(scale) < 2 or len(tie) < 6:
            return None
        sx, sy = float(scale[0]), float(scale[1])
        i, j, x, y = float(tie[0]), float(tie[1]), float(tie[3]), float(tie[4])
    except (TypeError, ValueError):
        return None
    return np.array([[sx, 0.0], [0.0, -sy]]), np.array([x + (centre - i) * sx, y - (centre - j) * sy])


def safe_image_path(image: str, base: Path) -> str | None:
    """The image path relative to ``base`` when it stays inside it, else None (refused)."""
    if not image or "://" in image or image.startswith(("/", "\\")) or (len(image) > 1 and image[1] == ":"):
        return None
    base_r = os.path.realpath(base)
    full = os.path.realpath(os.path.join(base_r, image))
    if os.path.commonpath([base_r, full]) != base_r:
        return None
    return os.path.relpath(full, base_r).replace(os.sep, "/")


def find_targets(tid: str, locate: dict | None, groups: Callable[[str], list[Poly] | None] | None
                 ) -> list[tuple[Geometry, int, Poly]]:
    """Where an appearance target was built: ``[(geometry, surface index, polygon)]`` -- one entry
    for a polygon id, one per polygon found for the id of an aggregate (``groups``); [] when none."""
    if locate is None:
        return []
    loc = locate.get(tid)
    if loc is not None:
        return [loc]
    polys = groups(tid) if groups is not None else None
    if not polys:
        return []
    out = []
    for p in polys:
        loc = locate.get(p)
        if loc is None and p.id is not None:
            loc = locate.get(p.id)
        if loc is not None:
            out.append(loc)
    return out


def _own_rings(poly: Poly, rings: list[tuple[str, str]], ring_ids: dict[str, int]) -> list[tuple[str, str]]:
    """The (ring id, texture coordinates) of ``rings`` that belong to ``poly`` (matched by ring id)."""
    serials = {~r if r < 0 else r for r in poly.rings}
    return [(rid, text) for rid, text in rings if ring_ids.get(rid) in serials]


class AppearanceApplier:
    """Adds materials / textures to a model and applies appearance records to geometries."""

    def __init__(self, app: Appearance, base: Path, problems: ProblemLog) -> None:
        self.app = app
        self.base = base
        self.problems = problems
        self.mat_index: dict[str, int] = {}
        self.tex_index: dict[str, int] = {}
        self.uv_chunks: list[np.ndarray] = [app.texture_vertices]
        self.n_uv = len(app.texture_vertices)
        # georeferenced textures wait for the vertices: (geometry, surface, polygon, texture, theme,
        # matrix (2, 2), upper-left pixel centre (2,), image size (w, h))
        self.georeferenced: list[tuple] = []

    def _mat(self, props: dict) -> int:
        key = json.dumps(props, sort_keys=True)
        i = self.mat_index.get(key)
        if i is None:
            i = self.mat_index[key] = len(self.app.materials)
            self.app.materials.append(dict(props))
        return i

    def _tex(self, props: dict, owner: str | None) -> int | None:
        img = props.get("image", "")
        rel = safe_image_path(img, self.base)
        if rel is None:
            self.problems.report(owner, f"texture image {img!r} is outside the file's folder, a URL or an "
                                 "absolute path: refused", "error")
            return None
        t: dict = {"type": "PNG" if rel.lower().endswith(".png") else "JPG", "image": rel}
        for k in ("wrapMode", "textureType", "borderColor"):
            if k in props:
                t[k] = props[k]
        key = json.dumps(t, sort_keys=True)
        i = self.tex_index.get(key)
        if i is None:
            i = self.tex_index[key] = len(self.app.textures)
            self.app.textures.append(t)
        return i

    def apply(self, rec: AppearanceRec, locate: dict | None, ring_ids: dict[str, int],
              groups: Callable[[str], list[Poly] | None] | None = None) -> int:
        """Apply one record; returns the number of targets that could not be found.

        ``locate`` maps a polygon's gml:id (or, for a polygon without id, the :class:`Poly` itself)
        to where it was built, ``(geometry, surface index, polygon)``; ``groups`` gives the polygons
        of an aggregate id (MultiSurface, CompositeSurface, Shell, Solid...), so that a target naming
        a whole surface or solid reaches every polygon it holds.
        """
        missing = 0
        theme = rec.theme
        for item in rec.items:
            if item.kind == "material":
                mi = self._mat(item.props)
                for tid in item.targets:
                    found = find_targets(tid, locate, groups)
                    if not found:
                        missing += 1
                        continue
                    for g, j, _ in found:
                        mm = g.materials.get(theme)
                        if mm is None:
                            mm = g.materials[theme] = MaterialMap(np.full(g.n_surfaces, -1, dtype=np.int32))
                        mm.values[j] = mi
            elif item.kind == "georeferenced":
                missing += self._georeferenced(item, rec, locate, groups)
            else:
                ti = self._tex(item.props, rec.owner)
                if ti is None:
                    continue
                for tid, rings in item.targets:
                    found = find_targets(tid, locate, groups)
                    if not found:
                        missing += 1
                        continue
                    if len(found) == 1:
                        self._texture_target(g_j_p=found[0], rings=rings, ti=ti, theme=theme, ring_ids=ring_ids,
                                             owner=rec.owner)
                        continue
                    # an aggregate: each polygon takes the rings (by ring id) that are its own
                    for loc in found:
                        own = _own_rings(loc[2], rings, ring_ids)
                        if own:
                            self._texture_target(g_j_p=loc, rings=own, ti=ti, theme=theme, ring_ids=ring_ids,
                                                 owner=rec.owner)
        return missing

    def _texture_target(self, g_j_p, rings, ti: int, theme: str, ring_ids: dict[str, int], owner) -> None:
        g, j, poly = g_j_p
        tm = g.textures.get(theme)
        if tm is None:
            tm = g.textures[theme] = TextureMap(np.full(g.n_rings, -1, dtype=np.int32),
                                                np.full(len(g.indices), -1, dtype=np.int32))
        k0 = int(g.surface_offsets[j])
        serials = [~r if r < 0 else r for r in poly.rings]
        for rid, text in rings:
            s = ring_ids.get(rid)
            if s is None or s not in serials:
                pos = rings.index((rid, text))  # rings without ids: match by order
            else:
                pos = serials.index(s)
            if pos >= len(serials):
                continue
            k = k0 + pos
            a, b = int(g.ring_offsets[k]), int(g.ring_offsets[k + 1])
            try:
                uv = np.array(text.split(), dtype=np.float64).reshape(-1, 2)
            except ValueError:
                self.problems.report(owner, f"texture coordinates of ring {rid!r} are malformed (ignored)")
                continue
            n = b - a
            if len(uv) == n + 1:
                uv = uv[:n]
            if len(uv) != n:
                self.problems.report(owner, f"ring {rid!r} has {len(uv)} texture coordinates for {n} "
                                     "vertices (ignored)")
                continue
            if poly.rings[pos] < 0:
                uv = uv[::-1]
            tm.ring_texture[k] = ti
            tm.uv[a:b] = np.arange(self.n_uv, self.n_uv + n, dtype=np.int32)
            self.uv_chunks.append(uv)
            self.n_uv += n

    def _georeferenced(self, item: SurfaceData, rec: AppearanceRec, locate, groups=None) -> int:
        """Queue a GeoreferencedTexture's targets; texture coordinates are computed in :meth:`finish`.

        The georeference is ``referencePoint`` + ``orientation`` when given (they take precedence, as
        the standard says), else the world file next to the image or the image's GeoTIFF tags
        (:func:`read_geotiff_georeference`): the world file first unless ``preferWorldFile`` is false.
        The image's size in pixels comes from its header (Pillow). Without any georeference, the
        texture is reported and not applied.
        """
        props = item.props
        ti = self._tex(props, rec.owner)
        if ti is None:
            return 0
        img = self.base / self.app.textures[ti]["image"]
        try:
            from PIL import Image

            with Image.open(img) as im:
                size = im.size
                geotiff = read_geotiff_georeference(im)
        except Exception as exc:  # noqa: BLE001 -- missing / unreadable image: reported, the rest goes on
            self.problems.report(rec.owner, f"the image of a GeoreferencedTexture ({img.name}) cannot be read "
                                 f"({type(exc).__name__}): not applied", "error")
            return 0
        ref, orient = props.get("_reference_point"), props.get("_orientation")
        if ref is not None and len(ref) == 2 and orient is not None:
            georef = np.array(orient, dtype=np.float64).reshape(2, 2), np.array(ref, dtype=np.float64)
        elif props.get("_prefer_world_file", True):
            georef = read_world_file(img) or geotiff
        else:
            georef = geotiff or read_world_file(img)
        if georef is None:
            self.problems.report(rec.owner, f"a GeoreferencedTexture ({img.name}) has neither referencePoint + "
                                 "orientation, nor a world file, nor GeoTIFF georeferencing: not applied", "error")
            return 0
        matrix, origin = georef
        if abs(np.linalg.det(matrix)) < 1e-300:
            self.problems.report(rec.owner, f"a GeoreferencedTexture ({img.name}) has a singular orientation: "
                                 "not applied", "error")
            return 0
        missing = 0
        for tid in item.targets:
            found = find_targets(tid, locate, groups)
            if not found:
                missing += 1
            for g, j, poly in found:   # a polygon, or every polygon of a surface / solid
                self.georeferenced.append((g, j, poly, ti, rec.theme, matrix, origin, size))
        return missing

    def moved(self, g: Geometry, new_j: dict[int, int]) -> None:
        """Surfaces of ``g`` were renumbered (``new_j``: id(polygon) -> new surface index; a polygon
        not in it was removed): update the georeferenced textures queued for it."""
        self.georeferenced = [(q[0], new_j[id(q[2])]) + q[2:] if q[0] is g else q
                              for q in self.georeferenced if q[0] is not g or id(q[2]) in new_j]

    def _apply_georeferenced(self, vertices: np.ndarray) -> None:
        """Texture coordinates of georeferenced textures from the vertices' planimetric position:
        pixel (col, row) = M^-1 (xy - origin); u = (col + 0.5) / width, v = 1 - (row + 0.5) / height."""
        for g, j, poly, ti, theme, matrix, origin, (w, h) in self.georeferenced:
            tm = g.textures.get(theme)
            if tm is None:
                tm = g.textures[theme] = TextureMap(np.full(g.n_rings, -1, dtype=np.int32),
                                                    np.full(len(g.indices), -1, dtype=np.int32))
            inv = np.linalg.inv(matrix)
            for k in range(int(g.surface_offsets[j]), int(g.surface_offsets[j + 1])):
                a, b = int(g.ring_offsets[k]), int(g.ring_offsets[k + 1])
                xy = vertices[g.indices[a:b], :2] - origin
                cr = xy @ inv.T
                uv = np.column_stack([(cr[:, 0] + 0.5) / w, 1.0 - (cr[:, 1] + 0.5) / h])
                tm.ring_texture[k] = ti
                tm.uv[a:b] = np.arange(self.n_uv, self.n_uv + (b - a), dtype=np.int32)
                self.uv_chunks.append(uv)
                self.n_uv += b - a
        self.georeferenced = []

    def finish(self, vertices: np.ndarray | None = None) -> None:
        """Compute queued georeferenced texture coordinates (``vertices``: the model's, in file
        coordinates) and gather all texture coordinates."""
        if self.georeferenced and vertices is not None:
            self._apply_georeferenced(vertices)
        if len(self.uv_chunks) > 1:
            self.app.texture_vertices = np.concatenate(self.uv_chunks)
            self.uv_chunks = [self.app.texture_vertices]
