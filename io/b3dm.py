"""3D Tiles reader: Batched 3D Model (.b3dm, 3D Tiles 1.0) tiles and tileset.json (1.0 / 1.1).

A b3dm is a 28-byte header, a feature table (JSON + binary), a batch table and a glTF binary
payload. Positions go: glTF node transforms -> Y-up to Z-up (the 3D Tiles convention) ->
``+ RTC_CENTER`` -> tile ``transform`` (accumulated down the tileset tree) -> ECEF metres
(EPSG:4978), the CRS the model gets unless ``crs`` is given for other tilesets.
A tileset's content may be .b3dm or .glb (1.1); the *leaf* tiles are read (refinement
parents are coarser copies of the same ground).
"""

from __future__ import annotations

import io
import json
import struct
from pathlib import Path

import numpy as np

from citytwin.errors import InputError, ProblemLog
from citytwin.semantics.crs import CRS
from citytwin.semantics.model import CityModel

ECEF = "EPSG:4978"


def parse_b3dm(data: bytes, path: Path) -> tuple[dict, bytes]:
    """Split a b3dm into its feature table JSON and its GLB payload."""
    if len(data) < 28 or data[:4] != b"b3dm":
        raise InputError(path, "not a b3dm tile (magic 'b3dm' missing or file shorter than the header)")
    _magic, version, length, ftj, ftb, btj, btb = struct.unpack_from("<4sIIIIII", data, 0)
    if version != 1:
        raise InputError(path, f"b3dm version {version} is not supported (1 expected)", "header")
    if length > len(data) or 28 + ftj + ftb + btj + btb > len(data):
        raise InputError(path, "truncated b3dm (header lengths exceed the file size)", "header")
    try:
        ft = json.loads(data[28:28 + ftj].decode("utf-8").strip() or "{}") if ftj else {}
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InputError(path, f"malformed feature table JSON ({exc})", "feature table") from None
    glb = data[28 + ftj + ftb + btj + btb:length]
    return ft, glb


def _tile_meshes(glb: bytes, path: Path, problems: ProblemLog):
    import trimesh

    try:
        scene = trimesh.load(io.BytesIO(glb), file_type="glb", force="scene", process=False)
    except Exception as exc:
        raise InputError(path, f"the glTF payload cannot be read ({str(exc).strip() or type(exc).__name__})") from None
    return [m for m in scene.dump(concatenate=False) if isinstance(m, trimesh.Trimesh) and len(m.faces)]


def _place(meshes, matrix: np.ndarray, rtc: np.ndarray):
    """Apply Y-up -> Z-up, RTC_CENTER and a tile transform to trimesh meshes in place."""
    from citytwin.io.mesh_read import Y_UP_TO_Z_UP

    for m in meshes:
        v = np.asarray(m.vertices, dtype=np.float64) @ Y_UP_TO_Z_UP.T + rtc
        m.vertices = v @ matrix[:3, :3].T + matrix[:3, 3]
    return meshes


def _content_meshes(uri_path: Path, matrix: np.ndarray, problems: ProblemLog):
    try:
        data = uri_path.read_bytes()
    except OSError as exc:
        problems.report(None, f"tile content {uri_path.name} cannot be read ({exc.strerror or exc})")
        return []
    if data[:4] == b"b3dm":
        ft, glb = parse_b3dm(data, uri_path)
        rtc = np.asarray(ft.get("RTC_CENTER", [0.0, 0.0, 0.0]), dtype=np.float64)
    elif data[:4] == b"glTF":
        glb, rtc = data, np.zeros(3)
    else:
        problems.report(None, f"tile content {uri_path.name} is neither b3dm nor glb; skipped")
        return []
    return _place(_tile_meshes(glb, uri_path, problems), matrix, rtc)


def _walk(tile: dict, base: Path, parent: np.ndarray, out: list, problems: ProblemLog) -> None:
    m = parent
    if "transform" in tile:
        m = parent @ np.asarray(tile["transform"], dtype=np.float64).reshape(4, 4).T  # column-major
    children = tile.get("children") or []
    if children:
        for c in children:
            _walk(c, base, m, out, problems)
        return
    contents = tile.get("contents") or ([tile["content"]] if "content" in tile else [])
    for c in contents:
        uri = c.get("uri") or c.get("url")
        if uri:
            out.extend(_content_meshes(base / uri, m, problems))


def read_3dtiles(path: str | Path, crs: str | None = None, offset=(0.0, 0.0, 0.0)) -> CityModel:
    """Read a .b3dm tile or a tileset.json into a CityModel in ECEF (or ``crs``)."""
    from citytwin.io.mesh_read import models_from_meshes

    path = Path(path)
    problems = ProblemLog()
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(path, f"cannot be read ({exc.strerror or exc})") from None
    if data[:4] == b"b3dm":
        meshes = _content_meshes(path, np.eye(4), problems)
    else:
        try:
            ts = json.loads(data)
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise InputError(path, f"malformed tileset JSON ({exc})") from None
        if not isinstance(ts, dict) or "root" not in ts:
            raise InputError(path, "not a 3D Tiles tileset (no 'root' tile)")
        meshes = []
        _walk(ts["root"], path.parent, np.eye(4), meshes, problems)
    model = models_from_meshes(meshes, path, problems, y_up=False,
                               offset=np.asarray(offset, dtype=np.float64))
    model.crs = CRS.parse(crs or ECEF)
    model.source = {"path": str(path), "format": "3dtiles", "version": "b3dm" if data[:4] == b"b3dm" else "tileset"}
    return model
