"""Texture images embedded in glTF 2.0 / GLB files (and b3dm payloads), kept byte for byte.

trimesh decodes a glTF's images into PIL images and attaches them to the meshes' materials, but
the original bytes (a JPEG stays a JPEG) and the image index are lost. This module reads the
images straight from the file -- GLB binary chunk, ``data:`` URIs or files beside a ``.gltf`` --
matches each mesh's PIL image to one of them (same size and mode, then same pixels), and writes
the used ones into a folder that becomes the model's ``appearance.base_path``: from there the
images travel like the OBJ path's (:func:`citytwin.io.textures.copy_texture_images` copies them
beside an output file; viewers open them by path).

The folder is a temporary one per read, removed when the process exits.
"""

from __future__ import annotations

import atexit
import base64
import hashlib
import json
import shutil
import struct
import tempfile
from pathlib import Path
from typing import Any

from citytwin.errors import ProblemLog

_MIME_EXT = {"image/png": "png", "image/jpeg": "jpg", "image/webp": "webp", "image/ktx2": "ktx2"}
_TEMP_DIRS: list[str] = []


@atexit.register
def _cleanup() -> None:
    for d in _TEMP_DIRS:
        shutil.rmtree(d, ignore_errors=True)


def split_glb(data: bytes) -> tuple[dict[str, Any], bytes | None]:
    """(JSON document, binary chunk or None) of a GLB 2.0 blob; ValueError when it is not one."""
    if len(data) < 20 or data[:4] != b"glTF":
        raise ValueError("not a GLB blob")
    _, version, length = struct.unpack_from("<4sII", data, 0)
    if version != 2:
        raise ValueError(f"GLB version {version} (only 2 is read)")
    pos, doc, binary = 12, None, None
    end = min(length, len(data))
    while pos + 8 <= end:
        n, kind = struct.unpack_from("<II", data, pos)
        chunk = data[pos + 8:pos + 8 + n]
        if kind == 0x4E4F534A:  # JSON
            doc = json.loads(chunk.decode("utf-8"))
        elif kind == 0x004E4942 and binary is None:  # BIN
            binary = bytes(chunk)
        pos += 8 + n + (-n % 4)
    if doc is None:
        raise ValueError("GLB without a JSON chunk")
    return doc, binary


def _uri_bytes(uri: str, folder: Path | None) -> bytes | None:
    if uri.startswith("data:"):
        head, _, payload = uri.partition(",")
        return base64.b64decode(payload) if head.endswith(";base64") else None
    if folder is None or "://" in uri:
        return None
    from urllib.parse import unquote

    from citytwin.errors import InputError
    from citytwin.io.safe_io import read_input_bytes, resolve_reference

    real, _why = resolve_reference(folder, unquote(uri))  # inside the glTF's folder, regular files only
    if real is None:
        return None
    try:
        return read_input_bytes(real, 512 * 2**20)
    except InputError:
        return None


def _ext(blob: bytes, mime: str | None) -> str:
    if mime in _MIME_EXT:
        return _MIME_EXT[mime]
    if blob[:8] == b"\x89PNG\r\n\x1a\n":
        return "png"
    if blob[:3] == b"\xff\xd8\xff":
        return "jpg"
    return "bin"


def gltf_images(doc: dict[str, Any], binary: bytes | None, folder: Path | None) -> list[tuple[bytes, str] | None]:
    """Raw (bytes, extension) of every image of a glTF document, by image index (None: unreadable)."""
    buffers: list[bytes | None] = []
    for i, b in enumerate(doc.get("buffers", [])):
        if "uri" in b:
            buffers.append(_uri_bytes(b["uri"], folder))
        else:
            buffers.append(binary if i == 0 else None)  # the GLB-stored buffer
    out: list[tuple[bytes, str] | None] = []
    for im in doc.get("images", []):
        blob = None
        try:
            if "bufferView" in im:
                bv = doc["bufferViews"][im["bufferView"]]
                buf = buffers[bv["buffer"]]
                if buf is not None:
                    start = bv.get("byteOffset", 0)
                    blob = buf[start:start + bv["byteLength"]]
            elif "uri" in im:
                blob = _uri_bytes(im["uri"], folder)
        except (KeyError, IndexError, TypeError, ValueError, OSError):
            blob = None
        out.append((blob, _ext(blob, im.get("mimeType"))) if blob else None)
    return out


def _signature(img) -> tuple:
    return (img.size, img.mode)


def _pixels(img) -> str:
    return hashlib.sha1(img.tobytes()).hexdigest()


def mesh_texture_images(meshes: list[Any], raw: list[tuple[bytes, str] | None], stem: str,
                        problems: ProblemLog, folder: str | None = None) -> tuple[str | None, list[str | None]]:
    """Write the base-colour images the meshes use; returns (folder, image file name per mesh).

    ``folder``: where to write them (several files of one read share one folder; ``stem`` keeps
    their names apart); None: a new temporary folder, made only when an image is written.
    A mesh whose image cannot be matched to the file's images (or has no UVs) gets None and is
    reported once; an image format other than PNG/JPEG is kept as it is, with a warning that
    CityJSON/CityGML readers may not show it.
    """
    import io

    import PIL.Image

    decoded: dict[int, Any] = {}

    def decode(j: int):
        if j not in decoded:
            try:
                decoded[j] = PIL.Image.open(io.BytesIO(raw[j][0]))
            except Exception:
                decoded[j] = None
        return decoded[j]

    names: list[str | None] = []
    written: dict[int, str] = {}
    by_id: dict[int, int | None] = {}
    unmatched = 0
    for m in meshes:
        mat = getattr(getattr(m, "visual", None), "material", None)
        img = getattr(mat, "baseColorTexture", None) or getattr(mat, "image", None)
        if img is None or getattr(m.visual, "uv", None) is None:
            names.append(None)
            continue
        if id(img) not in by_id:
            cands = [j for j, r in enumerate(raw) if r is not None and decode(j) is not None
                     and _signature(decode(j)) == _signature(img)]
            if len(cands) > 1:
                want = _pixels(img)
                cands = [j for j in cands if _pixels(decode(j)) == want]
            by_id[id(img)] = cands[0] if cands else None
        j = by_id[id(img)]
        if j is None:
            unmatched += 1
            names.append(None)
            continue
        if j not in written:
            if folder is None:
                folder = tempfile.mkdtemp(prefix="citytwin-gltf-")
                _TEMP_DIRS.append(folder)
            blob, ext = raw[j]
            name = f"{stem}_image{j}.{ext}"
            Path(folder, name).write_bytes(blob)
            written[j] = name
            if ext not in ("png", "jpg"):
                problems.report(None, f"embedded texture image {j} is {ext}: kept, but CityJSON/CityGML "
                                      "viewers may not show it")
        names.append(written[j])
    if unmatched:
        problems.report(None, f"{unmatched} meshes' embedded textures could not be matched to the file's "
                              "images; those meshes are loaded untextured")
    return folder, names


def texture_images_of(doc: dict[str, Any], binary: bytes | None, source_folder: Path | None, meshes: list[Any],
                      stem: str, problems: ProblemLog, folder: str | None = None) -> tuple[str | None, list[str | None] | None]:
    """(folder, image file name per mesh) of trimesh ``meshes`` loaded from the glTF ``doc``.

    ``binary`` is its GLB binary chunk, ``source_folder`` the folder that relative image URIs
    are resolved against (None: only embedded and ``data:`` images). (None, None) when the
    document has no image or none of the meshes uses one.
    """
    if not doc.get("images"):
        return folder, None
    raw = gltf_images(doc, binary, source_folder)
    out, names = mesh_texture_images(meshes, raw, stem, problems, folder)
    return out, (names if any(n is not None for n in names) else None)
