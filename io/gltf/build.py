"""Building glTF 2.0 documents from the triangulated view: buffers, accessors, materials, images.

Shared by the glTF/GLB writer (:mod:`citytwin.io.gltf.writer`) and the 3D Tiles writer
(:mod:`citytwin.io.tiles3d.writer`). Everything is arrays: triangles are grouped by a key (object,
material) with one sort, vertices are de-duplicated per group with one ``np.unique`` and each
group's min/max come from ``reduceat``; Python loops run once per group, never per vertex.

Conventions: glTF is Y-up, the model Z-up, so a local point (x, y, z) is written (x, z, -y).
glTF texture coordinates start at the top-left corner, CityJSON's at the bottom-left: v' = 1 - v.
No normals are written: glTF viewers must then compute flat normals, which is what planar city
surfaces need (shared vertices with per-face normals would otherwise need duplicating).
"""

from __future__ import annotations

import base64
import json
import struct
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from citytwin.errors import ProblemLog

#: Surface colour per semantic type name (linear-ish sRGB 0..255), the viewport's palette
#: (roofs red, walls light grey, ground dark grey, windows blue); others get ``OTHER``.
SEMANTIC_COLORS: dict[str, tuple[int, int, int]] = {
    "RoofSurface": (200, 40, 35), "WallSurface": (222, 222, 222), "GroundSurface": (80, 80, 80),
    "Window": (60, 120, 230), "Door": (150, 100, 60), "ClosureSurface": (190, 190, 150),
    "OuterCeilingSurface": (230, 160, 120), "OuterFloorSurface": (170, 130, 100),
    "InteriorWallSurface": (245, 245, 220), "CeilingSurface": (250, 235, 200),
    "FloorSurface": (190, 160, 120), "WaterSurface": (60, 150, 220),
    "WaterGroundSurface": (40, 90, 140), "WaterClosureSurface": (120, 180, 220),
    "TrafficArea": (110, 110, 120), "AuxiliaryTrafficArea": (140, 170, 110),
    "TransportationMarking": (250, 250, 250), "TransportationHole": (30, 30, 30),
    "GenericThematicSurface": (200, 170, 220),
}
OTHER = (205, 200, 185)

_FLOAT, _UINT, _USHORT = 5126, 5125, 5123
_ARRAY_BUFFER, _ELEMENT_ARRAY_BUFFER = 34962, 34963


def z_up_to_y_up(local: np.ndarray) -> np.ndarray:
    """(n, 3) Z-up points -> (n, 3) float32 glTF Y-up points (x, z, -y)."""
    out = np.empty((len(local), 3), np.float32)
    out[:, 0], out[:, 1], out[:, 2] = local[:, 0], local[:, 2], -local[:, 1]
    return out


def _srgb_to_linear(c: np.ndarray) -> np.ndarray:
    c = np.asarray(c, dtype=np.float64) / 255.0
    return np.where(c <= 0.04045, c / 12.92, ((c + 0.055) / 1.055) ** 2.4)


@dataclass
class GltfDoc:
    """A glTF document being built: JSON parts plus one binary buffer (4-byte aligned chunks)."""

    doc: dict[str, Any] = field(default_factory=lambda: {
        "asset": {"version": "2.0", "generator": "citytwin"}, "scene": 0, "scenes": [{"nodes": []}],
        "nodes": [], "meshes": [], "materials": [], "accessors": [], "bufferViews": [], "buffers": []})
    chunks: list[bytes] = field(default_factory=list)
    size: int = 0
    _materials: dict[Any, int] = field(default_factory=dict)

    # -- binary ----------------------------------------------------------------------------
    def view(self, data: bytes, target: int | None = None, stride: int | None = None, align: int = 4) -> int:
        """Append ``data`` as a bufferView aligned to ``align`` bytes; returns its index."""
        pad = (-self.size) % align
        if pad:
            self.chunks.append(b"\0" * pad)
            self.size += pad
        bv: dict[str, Any] = {"buffer": 0, "byteOffset": self.size, "byteLength": len(data)}
        if target is not None:
            bv["target"] = target
        if stride is not None:
            bv["byteStride"] = stride
        self.chunks.append(data)
        self.size += len(data)
        self.doc["bufferViews"].append(bv)
        return len(self.doc["bufferViews"]) - 1

    def accessor(self, view: int, offset: int, component: int, count: int, kind: str,
                 mn: list | None = None, mx: list | None = None) -> int:
        a: dict[str, Any] = {"bufferView": view, "componentType": component, "count": int(count), "type": kind}
        if offset:
            a["byteOffset"] = int(offset)
        if mn is not None:
            a["min"], a["max"] = mn, mx
        self.doc["accessors"].append(a)
        return len(self.doc["accessors"]) - 1

    # -- materials -------------------------------------------------------------------------
    def semantic_material(self, name: str) -> int:
        """A material coloured like the semantic type ``name`` ("" for surfaces without semantics)."""
        key = ("sem", name)
        if key not in self._materials:
            rgb = _srgb_to_linear(SEMANTIC_COLORS.get(name, OTHER))
            self._materials[key] = self._add_material({
                "name": name or "NoSemantics",
                "pbrMetallicRoughness": {"baseColorFactor": [*np.round(rgb, 6).tolist(), 1.0],
                                         "metallicFactor": 0.0, "roughnessFactor": 1.0},
                "doubleSided": True})
        return self._materials[key]

    def texture_material(self, key: Any, image: bytes, mime: str, name: str) -> int:
        """A material whose base colour is the image ``image`` (PNG or JPEG bytes)."""
        if ("tex", key) not in self._materials:
            d = self.doc
            d.setdefault("images", []).append({"bufferView": self.view(image), "mimeType": mime})
            if "samplers" not in d:
                d["samplers"] = [{"wrapS": 10497, "wrapT": 10497}]
            d.setdefault("textures", []).append({"source": len(d["images"]) - 1, "sampler": 0})
            self._materials[("tex", key)] = self._add_material({
                "name": name,
                "pbrMetallicRoughness": {"baseColorTexture": {"index": len(d["textures"]) - 1},
                                         "metallicFactor": 0.0, "roughnessFactor": 1.0},
                "doubleSided": True})
        return self._materials[("tex", key)]

    def _add_material(self, m: dict) -> int:
        self.doc["materials"].append(m)
        return len(self.doc["materials"]) - 1

    # -- output ----------------------------------------------------------------------------
    def _finish(self) -> dict[str, Any]:
        d = self.doc
        for k in ("nodes", "materials", "meshes", "accessors", "bufferViews"):
            if not d[k]:
                del d[k]  # glTF forbids empty arrays
        for scene in d["scenes"]:
            if not scene.get("nodes"):
                scene.pop("nodes", None)
        if self.size:
            d["buffers"] = [{"byteLength": self.size}]
        else:
            del d["buffers"]
        return d

    def glb(self) -> bytes:
        """The binary glTF (header, JSON chunk, BIN chunk)."""
        d = self._finish()
        js = json.dumps(d, separators=(",", ":"), ensure_ascii=False, allow_nan=False).encode("utf-8")
        js += b" " * ((-len(js)) % 4)
        binary = b"".join(self.chunks)
        binary += b"\0" * ((-len(binary)) % 4)
        parts = [struct.pack("<II", len(js), 0x4E4F534A), js]
        if binary:
            parts += [struct.pack("<II", len(binary), 0x004E4942), binary]
        body = b"".join(parts)
        return struct.pack("<4sII", b"glTF", 2, 12 + len(body)) + body

    def gltf_json(self) -> bytes:
        """A self-contained .gltf (the buffer as a base64 data URI)."""
        d = self._finish()
        if "buffers" in d:
            d["buffers"][0]["uri"] = ("data:application/octet-stream;base64,"
                                      + base64.b64encode(b"".join(self.chunks)).decode("ascii"))
        return json.dumps(d, indent=1, ensure_ascii=False, allow_nan=False).encode("utf-8")


@dataclass(frozen=True)
class Groups:
    """Triangles grouped by an integer key, vertices de-duplicated per group.

    Attributes
    ----------
    keys : (g, k) int64, the key columns of each group
    tri_start : (g + 1,) int64, triangle offsets of the groups in ``indices``
    vert_start : (g + 1,) int64, vertex offsets of the groups in ``vertex_id`` / ``uv``
    indices : (T, 3) uint32, per group, corners indexing that group's vertices (0-based per group)
    vertex_id : (V,) int64, index into the source vertex array of each output vertex
    uv : (V, 2) float32 or None, texture coordinates (glTF orientation) of each output vertex
    order : (T,) int64, source triangle of each output triangle
    """

    keys: np.ndarray
    tri_start: np.ndarray
    vert_start: np.ndarray
    indices: np.ndarray
    vertex_id: np.ndarray
    uv: np.ndarray | None
    order: np.ndarray


def group_triangles(triangles: np.ndarray, keys: np.ndarray, uv: np.ndarray | None = None,
                    flip_v: bool = True) -> Groups:
    """Group triangles by ``keys`` and de-duplicate their corners per group.

    Parameters
    ----------
    triangles : (t, 3) int64, vertex indices
    keys : (t, k) int64, the grouping key of each triangle (e.g. object, material)
    uv : (t, 3, 2) float or None, per-corner texture coordinates (a corner with a different UV is
        a different output vertex)
    flip_v : write v as 1 - v (CityJSON/OBJ bottom-left origin -> glTF top-left)
    """
    keys = np.asarray(keys, dtype=np.int64)
    if keys.ndim == 1:
        keys = keys[:, None]
    t = len(triangles)
    order = np.lexsort(keys.T[::-1]) if t else np.zeros(0, np.int64)
    ks = keys[order]
    if t:
        new = np.r_[True, (ks[1:] != ks[:-1]).any(axis=1)]
        gstart = np.flatnonzero(new)
    else:
        gstart = np.zeros(0, np.int64)
    gid = np.cumsum(np.r_[True, (ks[1:] != ks[:-1]).any(axis=1)]) - 1 if t else np.zeros(0, np.int64)
    corners = triangles[order].reshape(-1).astype(np.int64)
    cg = np.repeat(gid, 3)
    # one int64 key per corner (1D unique sorts ~10x faster than rows): group, vertex, then UV
    nv = int(corners.max()) + 1 if t else 1
    key = cg * nv + corners
    cu = None
    if uv is not None:
        _, rank = np.unique(key, return_inverse=True)
        key = rank.reshape(-1).astype(np.int64)
        cu = np.asarray(uv, dtype=np.float32)[order].reshape(-1, 2)
        bits = (cu[:, 0].view(np.uint32).astype(np.uint64) << np.uint64(32)) | cu[:, 1].view(np.uint32).astype(np.uint64)
        _, uv_rank = np.unique(bits, return_inverse=True)
        n_uv = int(uv_rank.max()) + 1 if t else 1
        key = key * n_uv + uv_rank.reshape(-1)
    ukey, first, inverse = np.unique(key, return_index=True, return_inverse=True)
    inverse = inverse.reshape(-1)
    vgroup = cg[first]
    n_groups = len(gstart)
    vstart = np.searchsorted(vgroup, np.arange(n_groups + 1)) if len(ukey) else np.zeros(n_groups + 1, np.int64)
    local = inverse - vstart[cg]
    out_uv = None
    if cu is not None:
        out_uv = cu[first].copy()
        if flip_v:
            out_uv[:, 1] = 1.0 - out_uv[:, 1]
    return Groups(keys=ks[gstart] if t else np.zeros((0, keys.shape[1]), np.int64),
                  tri_start=np.r_[gstart, t].astype(np.int64), vert_start=vstart.astype(np.int64),
                  indices=local.reshape(-1, 3).astype(np.uint32), vertex_id=corners[first],
                  uv=out_uv, order=order)


@dataclass(frozen=True)
class Primitives:
    """Accessor indices of each group written by :func:`write_groups`: one glTF primitive each."""

    position: list[int]
    indices: list[int]
    texcoord: list[int | None]
    extra: dict[str, list[int]]


def write_groups(gd: GltfDoc, groups: Groups, positions: np.ndarray, textured: np.ndarray | None = None,
                 vertex_attributes: dict[str, np.ndarray] | None = None) -> Primitives:
    """Write the vertex and index data of every group into ``gd`` (one bufferView per kind).

    Parameters
    ----------
    positions : (V, 3) float32, glTF positions of the output vertices (aligned with ``vertex_id``)
    textured : (g,) bool, which groups get TEXCOORD_0 (default: all when ``groups.uv`` is set)
    vertex_attributes : name -> (V,) float32 extra scalar attributes (e.g. ``_FEATURE_ID_0``)
    """
    g = len(groups.keys)
    if g == 0:  # no triangles: no buffer views (glTF forbids empty ones)
        return Primitives([], [], [], {k: [] for k in (vertex_attributes or {})})
    vs, ts = groups.vert_start, groups.tri_start
    positions = np.ascontiguousarray(positions, dtype="<f4")  # min/max must be those of the stored floats
    pos_view = gd.view(positions.tobytes(), _ARRAY_BUFFER, 12)
    idx_view = gd.view(np.ascontiguousarray(groups.indices, dtype="<u4").tobytes(), _ELEMENT_ARRAY_BUFFER)
    if g and len(positions):
        starts = vs[:-1]
        mn = np.minimum.reduceat(positions, starts, axis=0)
        mx = np.maximum.reduceat(positions, starts, axis=0)
    pos_acc, idx_acc, tc_acc = [], [], []
    uv_view = None
    if groups.uv is not None:
        uv_view = gd.view(np.ascontiguousarray(groups.uv, dtype="<f4").tobytes(), _ARRAY_BUFFER, 8)
    extra_views = {k: gd.view(np.ascontiguousarray(v, dtype="<f4").tobytes(), _ARRAY_BUFFER, 4)
                   for k, v in (vertex_attributes or {}).items()}
    extra: dict[str, list[int]] = {k: [] for k in extra_views}
    for i in range(g):
        nv = int(vs[i + 1] - vs[i])
        pos_acc.append(gd.accessor(pos_view, int(vs[i]) * 12, _FLOAT, nv, "VEC3",
                                   [float(x) for x in mn[i]], [float(x) for x in mx[i]]))
        idx_acc.append(gd.accessor(idx_view, int(ts[i]) * 12, _UINT, 3 * int(ts[i + 1] - ts[i]), "SCALAR"))
        if uv_view is not None and (textured is None or textured[i]):
            tc_acc.append(gd.accessor(uv_view, int(vs[i]) * 8, _FLOAT, nv, "VEC2"))
        else:
            tc_acc.append(None)
        for k, view in extra_views.items():
            extra[k].append(gd.accessor(view, int(vs[i]) * 4, _FLOAT, nv, "SCALAR"))
    return Primitives(pos_acc, idx_acc, tc_acc, extra)


def texture_images(model, used: np.ndarray, problems: ProblemLog) -> dict[int, tuple[bytes, str]]:
    """PNG/JPEG bytes and MIME type of each used texture of ``model`` (others converted to PNG).

    A texture whose image cannot be read is reported once and left out (its surfaces get their
    semantic colour instead).
    """
    import io as _io

    out: dict[int, tuple[bytes, str]] = {}
    app = model.appearance
    for i in sorted(int(x) for x in used if 0 <= x < len(app.textures)):
        src = app.image_path(i)
        try:
            if src is None or "://" in src:
                raise OSError("no local image file")
            data = Path(src).read_bytes()
        except OSError as exc:
            problems.report(None, f"texture image {src} cannot be read ({getattr(exc, 'strerror', None) or exc}); "
                                  "its surfaces get their semantic colour")
            continue
        if data[:8] == b"\x89PNG\r\n\x1a\n":
            out[i] = (data, "image/png")
        elif data[:3] == b"\xff\xd8\xff":
            out[i] = (data, "image/jpeg")
        else:
            try:
                from PIL import Image

                buf = _io.BytesIO()
                with Image.open(_io.BytesIO(data)) as im:
                    im.save(buf, format="PNG")
                out[i] = (buf.getvalue(), "image/png")
                problems.report(None, f"texture image {Path(src).name} written as PNG (glTF images are PNG or JPEG)")
            except Exception as exc:  # noqa: BLE001 - Pillow raises many types for bad images
                problems.report(None, f"texture image {src} cannot be converted to PNG ({exc}); "
                                      "its surfaces get their semantic colour")
    return out


def material_keys(tri, images: dict[int, tuple[bytes, str]]) -> np.ndarray:
    """(t,) int64 material key per triangle: texture index where textured (and its image is
    available), else ``-1 - semantic code``."""
    key = -1 - tri.semantic_type.astype(np.int64)
    if tri.texture_index is not None and images:
        ti = tri.texture_index.astype(np.int64)
        ok = np.isin(ti, np.fromiter(images.keys(), dtype=np.int64))
        key = np.where(ok, ti, key)
    return key


def material_for_key(gd: GltfDoc, key: int, model, images: dict[int, tuple[bytes, str]]) -> int:
    """The material index in ``gd`` of a key from :func:`material_keys`."""
    from citytwin.semantics.surfaces import semantic_name

    if key >= 0:
        data, mime = images[key]
        name = Path(str(model.appearance.textures[key].get("image", f"texture-{key}"))).name
        return gd.texture_material(key, data, mime, name)
    return gd.semantic_material(semantic_name(-1 - key))
