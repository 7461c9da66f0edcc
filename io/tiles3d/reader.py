"""3D Tiles reader: Batched 3D Model (.b3dm, 3D Tiles 1.0) tiles and tileset.json (1.0 / 1.1).

A b3dm is a 28-byte header, a feature table (JSON + binary), a batch table and a glTF binary
payload. Positions go: glTF node transforms -> Y-up to Z-up (the 3D Tiles convention) ->
``+ RTC_CENTER`` -> tile ``transform`` (accumulated down the tileset tree) -> ECEF metres
(EPSG:4978), the CRS the model gets unless ``crs`` is given for other tilesets.
A tileset's content may be .b3dm, .glb (1.1) or an external tileset .json; leaf tiles are read,
and parents whose refinement is ``ADD`` (``REPLACE`` parents are coarser copies of the same
ground). Batched features become objects with their batch table rows
(:mod:`citytwin.io.tiles3d.b3dm_features`); glTF textures are kept as for a .glb. In 3D Tiles 1.1 GLB
contents, features come from ``EXT_mesh_features`` (``_FEATURE_ID_n``) and their properties from
the ``EXT_structural_metadata`` property table (:mod:`citytwin.io.tiles3d.metadata`): the ``ID``
property names the object, ``object_type`` its type. A tileset whose metadata names a CRS (as
citytwin's do) is brought back from ECEF into that CRS.
"""

from __future__ import annotations

import io
import json
import struct
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from citytwin.errors import InputError, ProblemLog
from citytwin.io.tiles3d.b3dm_features import batch_rows, split_features
from citytwin.io.safe_io import read_input_bytes, resolve_reference
from citytwin.semantics.crs import CRS
from citytwin.semantics.model import CityModel

ECEF = "EPSG:4978"


@dataclass
class B3dm:
    """The parts of a Batched 3D Model tile (3D Tiles 1.0).

    Attributes
    ----------
    feature_table : feature table JSON (``BATCH_LENGTH``, optional ``RTC_CENTER``)
    feature_binary : feature table binary body (values referenced by ``{"byteOffset": n}``)
    batch_table : batch table JSON (per-feature properties), {} when absent
    glb : the embedded binary glTF
    batch_binary : batch table binary body
    """

    feature_table: dict
    feature_binary: bytes
    batch_table: dict
    glb: bytes
    batch_binary: bytes = b""


def _json_section(blob: bytes, path: Path, where: str) -> dict:
    try:
        doc = json.loads(blob.decode("utf-8").strip() or "{}") if blob else {}
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InputError(path, f"malformed {where} JSON ({exc})", where) from None
    if not isinstance(doc, dict):
        raise InputError(path, f"the {where} JSON is not an object", where)
    return doc


def parse_b3dm(data: bytes, path: Path) -> B3dm:
    """Split a b3dm into its feature table, batch table and GLB payload (InputError when broken)."""
    if len(data) < 28 or data[:4] != b"b3dm":
        raise InputError(path, "not a b3dm tile (magic 'b3dm' missing or file shorter than the header)")
    _magic, version, length, ftj, ftb, btj, btb = struct.unpack_from("<4sIIIIII", data, 0)
    if version != 1:
        raise InputError(path, f"b3dm version {version} is not supported (1 expected)", "header")
    if length > len(data) or 28 + ftj + ftb + btj + btb > len(data):
        raise InputError(path, "truncated b3dm (header lengths exceed the file size)", "header")
    a = 28 + ftj
    ft = _json_section(data[28:a], path, "feature table")
    bt = _json_section(data[a + ftb:a + ftb + btj], path, "batch table")
    b = a + ftb + btj
    return B3dm(ft, data[a:a + ftb], bt, data[b + btb:length], data[b:b + btb])


def batch_length(tile: B3dm, path: Path) -> int:
    """``BATCH_LENGTH`` (number of features) of a tile: a number, [number] or a uint32 in the binary body."""
    v = tile.feature_table.get("BATCH_LENGTH", 0)
    try:
        if isinstance(v, dict):
            v = int(np.frombuffer(tile.feature_binary, dtype="<u4", count=1, offset=int(v["byteOffset"]))[0])
        elif isinstance(v, list):
            (v,) = v
        n = int(v)
    except (KeyError, TypeError, ValueError) as exc:
        raise InputError(path, f"BATCH_LENGTH is not a number ({exc})", "feature table") from None
    if n < 0:
        raise InputError(path, f"BATCH_LENGTH is negative ({n})", "feature table")
    if n > max(len(tile.glb), 1):  # every feature needs at least one vertex (>= 12 bytes) in the glTF
        raise InputError(path, f"BATCH_LENGTH {n} is more features than the tile's glTF ({len(tile.glb)} bytes) "
                         "can hold; refused before allocating", "feature table")
    return n


def rtc_center(tile: B3dm, path: Path) -> np.ndarray:
    """``RTC_CENTER`` (3,) of a tile: a JSON array, or float32[3] in the feature table binary body."""
    v = tile.feature_table.get("RTC_CENTER")
    if v is None:
        return np.zeros(3)
    try:
        if isinstance(v, dict):  # BinaryBodyReference
            out = np.frombuffer(tile.feature_binary, dtype="<f4", count=3, offset=int(v["byteOffset"]))
        else:
            out = np.asarray(v, dtype=np.float64).reshape(3)
    except (KeyError, TypeError, ValueError) as exc:
        raise InputError(path, f"RTC_CENTER is not 3 numbers ({exc})", "feature table") from None
    if not np.all(np.isfinite(out)):
        raise InputError(path, "RTC_CENTER is not finite", "feature table")
    return out.astype(np.float64)


def _tile_meshes(glb: bytes, path: Path, problems: ProblemLog):
    import trimesh

    try:
        scene = trimesh.load(io.BytesIO(glb), file_type="glb", force="scene", process=False)
    except Exception as exc:
        raise InputError(path, f"the glTF payload cannot be read ({str(exc).strip() or type(exc).__name__})") from None
    out = []
    for m in scene.dump(concatenate=False):
        if not isinstance(m, trimesh.Trimesh) or not len(m.faces):
            continue
        faces = np.asarray(m.faces)
        if faces.min() < 0 or faces.max() >= len(m.vertices):  # trimesh (process=False) keeps these
            problems.report(None, f"{path.name}: a mesh whose triangles index vertices it does not have "
                                  f"({int(faces.max())} of {len(m.vertices)}) was skipped")
            continue
        out.append(m)
    return out


def _place(meshes, matrix: np.ndarray, rtc: np.ndarray, y_up: bool = True):
    """Apply Y-up -> Z-up, RTC_CENTER and a tile transform to trimesh meshes in place.

    The order is the 3D Tiles one: glTF node transforms (already applied by trimesh) -> Y-up to
    Z-up -> ``RTC_CENTER`` -> tile transform.
    """
    from citytwin.io.meshfiles.reader import Y_UP_TO_Z_UP

    for m in meshes:
        v = np.asarray(m.vertices, dtype=np.float64)
        v = (v @ Y_UP_TO_Z_UP.T if y_up else v) + rtc
        m.vertices = v @ matrix[:3, :3].T + matrix[:3, 3]
    return meshes


class _Reader:
    """Meshes, texture images and problems of one 3D Tiles read (a b3dm or a whole tileset)."""

    def __init__(self, root: Path, y_up: bool = True) -> None:
        self.root, self.y_up = root.resolve(), y_up  # contents are resolved paths (safe_io)
        self.problems = ProblemLog()
        self.meshes: list = []
        self.images: list[str | None] = []
        self.attributes: list[dict] = []
        self.image_folder: str | None = None
        self.stems: set[str] = set()
        self.source = root          # the file read, for errors
        self.tiles = 0              # tiles walked so far (bounded)
        self.open_tilesets: set[Path] = set()  # resolved tileset paths being walked (cycle check)
        self.object_of: list[str | None] = []

    def _stem(self, uri_path: Path) -> str:
        """A file-name stem for this tile's images, unique within the read."""
        try:
            rel = uri_path.relative_to(self.root).with_suffix("")
            stem = "_".join(rel.parts) or uri_path.stem
        except ValueError:
            stem = uri_path.stem
        base, k = stem, 1
        while stem in self.stems:
            stem, k = f"{base}_{k}", k + 1
        self.stems.add(stem)
        return stem

    def content(self, uri_path: Path, matrix: np.ndarray, data: bytes | None = None) -> None:
        """Add the meshes of one tile content (.b3dm or .glb) placed by ``matrix``."""
        from citytwin.io.gltf.images import split_glb, texture_images_of

        if data is None:
            try:
                data = read_input_bytes(uri_path)
            except InputError as exc:
                self.problems.report(None, f"tile content {uri_path.name} cannot be read ({exc.message})")
                return
        rows: list[dict] = []
        id_attribute, names = "_BATCHID", None
        if data[:4] == b"b3dm":
            tile = parse_b3dm(data, uri_path)
            glb, rtc = tile.glb, rtc_center(tile, uri_path)
            n = batch_length(tile, uri_path)
            rows = batch_rows(tile.batch_table, tile.batch_binary, n, uri_path.name, self.problems) if n else []
        elif data[:4] == b"glTF":
            glb, rtc = data, np.zeros(3)
        else:
            self.problems.report(None, f"tile content {uri_path.name} is neither b3dm nor glb; skipped")
            return
        meshes = _tile_meshes(glb, uri_path, self.problems)
        try:
            doc, binary = split_glb(glb)
        except ValueError:
            doc, binary = {}, None
        if not rtc.any():  # glTF 1.0-era CESIUM_RTC (still written by some converters)
            c = (doc.get("extensions") or {}).get("CESIUM_RTC", {}).get("center")
            if c is not None and len(c) == 3:
                rtc = np.asarray(c, dtype=np.float64)
        if data[:4] == b"glTF" and binary is not None:  # 3D Tiles 1.1: EXT_mesh_features + metadata
            rows, id_attribute, names = _gltf_features(doc, binary, uri_path.name, self.problems)
        stem = self._stem(uri_path)
        folder, image_names = texture_images_of(doc, binary, uri_path.parent, meshes, stem,
                                                self.problems, self.image_folder)
        self.image_folder = folder
        meshes, images, attrs = split_features(_place(meshes, matrix, rtc, self.y_up),
                                               image_names or [None] * len(meshes), rows, stem, uri_path.name,
                                               self.problems, id_attribute, names)
        self.meshes.extend(meshes)
        self.images.extend(images)
        self.attributes.extend(attrs)
        # a feature split over several primitives (materials) is one object
        self.object_of.extend(str(m.metadata.get("name")) if names is not None and a else None
                              for m, a in zip(meshes, attrs))


def _gltf_features(doc: dict, binary: bytes, where: str,
                   problems: ProblemLog) -> tuple[list[dict], str, list[str] | None]:
    """(rows, feature id vertex attribute, feature names) of a 3D Tiles 1.1 glTF content with
    ``EXT_mesh_features`` and an ``EXT_structural_metadata`` property table; ([], "_BATCHID",
    None) without. Rows carry the id and type under the reader keys of
    :mod:`citytwin.io.tiles3d.metadata` (popped in :func:`read_3dtiles`)."""
    from citytwin.io.tiles3d.metadata import ID_KEY, KEYS_KEY, TYPE_KEY, feature_id_attribute, read_property_table

    found = feature_id_attribute(doc)
    if found is None:
        return [], "_BATCHID", None
    attribute, table = found
    rows = read_property_table(doc, binary, table, where, problems)
    if not rows:
        return [], "_BATCHID", None
    for r in rows:
        r[KEYS_KEY] = [k for k in r if k not in (ID_KEY, TYPE_KEY)]
    ids = [r.get(ID_KEY) for r in rows]
    if all(isinstance(i, str) and i for i in ids) and len(set(ids)) == len(ids):
        return rows, attribute, ids
    return rows, attribute, None


#: deepest tile nesting read (a hostile tileset nests thousands deep); tiles read in all
MAX_TILE_DEPTH = 200
MAX_TILES = 1_000_000


def _walk(tile: dict, base: Path, parent: np.ndarray, reader: _Reader, refine: str = "REPLACE",
          depth: int = 0, level: int = 0) -> None:
    """Read a tile tree: leaf contents, and parent contents where refinement is ``ADD`` (children
    add to the parent; ``REPLACE`` parents are coarser copies of their children). A content that
    is itself a tileset (external tileset) is walked in turn. A content that cannot be read is
    reported and the rest goes on."""
    if not isinstance(tile, dict):
        reader.problems.report(None, f"a tile of {base.name or base} is not a JSON object; skipped")
        return
    if level > MAX_TILE_DEPTH:
        raise InputError(reader.source, f"tiles nested more than {MAX_TILE_DEPTH} deep")
    reader.tiles += 1
    if reader.tiles > MAX_TILES:
        raise InputError(reader.source, f"more than {MAX_TILES} tiles")
    m = parent
    if "transform" in tile:
        try:
            t = np.asarray(tile["transform"], dtype=np.float64).reshape(4, 4).T  # column-major
            if not np.all(np.isfinite(t)):
                raise ValueError("not finite")
        except (TypeError, ValueError, OverflowError):
            reader.problems.report(None, f"a tile of {base.name or base} has a \"transform\" that is not 16 "
                                         "finite numbers; that tile and its children skipped")
            return
        m = parent @ t
    refine = str(tile.get("refine", refine)).upper()
    children = tile.get("children") or []
    if not isinstance(children, list):
        children = []
    if not children or refine == "ADD":
        contents = tile.get("contents") or ([tile["content"]] if "content" in tile else [])
        for c in contents if isinstance(contents, list) else []:
            uri = c.get("uri") or c.get("url") if isinstance(c, dict) else None
            if uri and isinstance(uri, str):
                real, why = resolve_reference(base, uri)
                if real is None:  # outside the tileset's folder, missing, a FIFO or a device
                    reader.problems.report(None, f"tile content cannot be read: {why}")
                    continue
                _content(real, m, reader, refine, depth)
    for c in children:
        _walk(c, base, m, reader, refine, depth, level + 1)


def _content(path: Path, m: np.ndarray, reader: _Reader, refine: str, depth: int) -> None:
    try:
        if path.suffix.lower() == ".json":  # an external tileset
            if depth >= 32:
                raise InputError(path, "external tilesets nested more than 32 deep")
            if path in reader.open_tilesets:  # a tileset that refers back to itself (walked exponentially)
                raise InputError(path, "refers back to a tileset that contains it (a cycle); not read again")
            try:
                ts = json.loads(read_input_bytes(path))
            except (UnicodeDecodeError, json.JSONDecodeError, RecursionError) as exc:
                raise InputError(path, f"cannot be read as a tileset ({exc})") from None
            if not isinstance(ts, dict) or "root" not in ts:
                raise InputError(path, "not a 3D Tiles tileset (no 'root' tile)")
            reader.open_tilesets.add(path)
            try:
                _walk(ts["root"], path.parent, m, reader, refine, depth + 1)
            finally:
                reader.open_tilesets.discard(path)
        else:
            reader.content(path, m)
    except InputError as exc:
        reader.problems.report(None, f"tile content skipped: {exc}")


def read_3dtiles(path: str | Path, crs: str | None = None, offset=(0.0, 0.0, 0.0),
                 upright: bool = True) -> CityModel:
    """Read a .b3dm tile or a tileset.json into a CityModel in ECEF (or ``crs``).

    A tileset that names its CRS (citytwin's do) comes back in it. Otherwise, with ``upright``,
    a model lying on the Earth (ECEF) is brought into a local upright frame (see
    :func:`_to_upright`) so it stands on its ground instead of being tilted by its latitude.

    Textures of the glTF payloads are kept as for a .glb (:mod:`citytwin.io.gltf.images`): one
    temporary image folder per read, image files named after the tile.
    A tileset whose ``asset.gltfUpAxis`` is ``"Z"`` (a pre-1.0 CesiumJS convention still found in
    the wild) is not rotated; 3D Tiles 1.0 itself says glTF is Y-up.
    """
    from citytwin.io.meshfiles.reader import models_from_meshes

    from citytwin.io.safe_io import read_input_bytes

    path = Path(path)
    data = read_input_bytes(path)
    if data[:4] == b"b3dm":
        reader = _Reader(path.parent)
        reader.content(path, np.eye(4), data)
    else:
        try:
            ts = json.loads(data)
        except (UnicodeDecodeError, json.JSONDecodeError, RecursionError) as exc:
            raise InputError(path, f"malformed tileset JSON ({str(exc)[:200]})") from None
        if not isinstance(ts, dict) or "root" not in ts:
            raise InputError(path, "not a 3D Tiles tileset (no 'root' tile)")
        asset = ts.get("asset") if isinstance(ts.get("asset"), dict) else {}
        up = str(asset.get("gltfUpAxis", "Y")).upper()
        reader = _Reader(path.parent, y_up=up != "Z")
        reader.source = path
        reader.open_tilesets.add(path.resolve())
        _walk(ts["root"], path.parent, np.eye(4), reader)
    if not reader.meshes and reader.problems.items:  # say why, not only "no valid triangle"
        first = reader.problems.items[0].message
        more = len(reader.problems) - 1
        raise InputError(path, f"no tile content could be read ({first}{f'; and {more} more' if more else ''})")
    textured = any(i is not None for i in reader.images)
    model = models_from_meshes(reader.meshes, path, reader.problems, y_up=False,
                               offset=np.asarray(offset, dtype=np.float64),
                               mesh_images=reader.images if textured else None,
                               image_base=reader.image_folder if textured else None,
                               object_of=reader.object_of if any(reader.object_of) else None,
                               mesh_attributes=reader.attributes)
    model.crs = CRS.parse(crs or ECEF)
    _metadata_objects(model)
    named = crs is None and data[:4] != b"b3dm" and _to_named_crs(model, ts)
    if crs is None and not named and upright:
        _to_upright(model)
    model.source = {"path": str(path), "format": "3dtiles", "version": "b3dm" if data[:4] == b"b3dm" else "tileset"}
    return model


def _metadata_objects(model: CityModel) -> None:
    """Objects made from 3D Tiles 1.1 metadata features get their type and exactly the
    attributes of their property table row (the reader's own ``source`` / ``batch_id`` go)."""
    from citytwin.io.tiles3d.metadata import ID_KEY, KEYS_KEY, TYPE_KEY

    for o in model.objects.values():
        a = o.attributes
        if ID_KEY not in a:
            continue
        o.type = str(a.get(TYPE_KEY) or o.type)
        o.attributes = {k: a[k] for k in a.get(KEYS_KEY, ()) if k in a}


def _to_upright(model: CityModel) -> None:
    """An ECEF model on the Earth's surface -> a local CRS at its centre: orthographic
    projection (x east, y north, metres) + ellipsoidal height (z up), WGS 84. It is a real CRS
    (pyproj reprojects it anywhere), so sun positions and exports still know where the model is.
    Models whose vertices are not near the Earth's surface (a b3dm in local coordinates) stay."""
    import pyproj

    v = model.vertices
    if not len(v):
        return
    r = float(np.median(np.linalg.norm(v, axis=1)))
    if not 6.2e6 < r < 6.5e6:
        return
    c = (v.min(axis=0) + v.max(axis=0)) / 2
    lon, lat, _h = pyproj.Transformer.from_crs(4978, 4979, always_xy=True).transform(*c)
    local = pyproj.CRS.from_proj4(f"+proj=ortho +lat_0={lat:.9f} +lon_0={lon:.9f} +datum=WGS84 "
                                  "+units=m +type=crs").to_3d()
    from citytwin.json_floats import ensure_exact_json_floats

    ensure_exact_json_floats()  # from_json_dict goes through json.dumps
    d = local.to_json_dict()
    d["name"] = f"local upright frame at {lat:.6f}N {lon:.6f}E (orthographic + WGS 84 ellipsoidal height)"
    local = pyproj.CRS.from_json_dict(d)
    x, y, z = pyproj.Transformer.from_crs(4978, local, always_xy=True).transform(v[:, 0], v[:, 1], v[:, 2])
    out = np.stack([x, y, z], axis=1)
    if not np.all(np.isfinite(out)):
        return
    model.vertices = out
    model.crs = CRS.parse(local.to_wkt())
    model.touch()


def _to_named_crs(model: CityModel, tileset: dict) -> bool:
    """Bring an ECEF model back to the CRS a tileset names (``metadata.properties.crs`` of a
    citytwin tileset), with pyproj in 3D; True when done. Unknown or missing CRS: the model stays
    in ECEF."""
    from citytwin.semantics.crs import transformation

    props = (tileset.get("metadata") or {}).get("properties") or {}
    name = props.get("crs")
    if not isinstance(name, str) or not name.strip():
        return False
    try:
        target = CRS.parse(name)
        tr, note = transformation(CRS.parse(ECEF), target)
    except Exception as exc:  # noqa: BLE001 - pyproj raises several types for unknown CRSs
        model.problems.report(None, f"the tileset names the CRS {name!r}, which cannot be used ({exc}); "
                                    "the model stays in ECEF (EPSG:4978)")
        return False
    if note:
        model.problems.report(None, note)
    v = model.vertices
    x, y, z = tr.transform(v[:, 0], v[:, 1], v[:, 2])
    out = np.stack([x, y, z], axis=1)
    if not np.all(np.isfinite(out)):
        model.problems.report(None, f"the tileset's vertices cannot all be brought to {name}; "
                                    "the model stays in ECEF (EPSG:4978)")
        return False
    model.vertices = out
    model.crs = target
    model.touch()
    return True
