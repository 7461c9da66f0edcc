"""Make ``Duck.b3dm``: the real textured ``Duck.glb`` (Khronos sample, via trimesh) in a 3D Tiles 1.0
Batched 3D Model container.

Run from the repository root: ``python tests/data/mesh/make_textured_b3dm.py [OUT]`` (standard
library only; OUT defaults to ``Duck.b3dm`` beside this script). What it does, following the 3D Tiles 1.0 b3dm specification:

- the GLB gets a ``_BATCHID`` vertex attribute (FLOAT SCALAR accessor, all 0: the duck is one
  feature) on every primitive; its JSON and binary chunks are padded so the GLB ends on an
  8-byte boundary; nothing else of the GLB changes (same images, UVs, node transforms);
- feature table JSON ``{"BATCH_LENGTH": 1, "RTC_CENTER": [...]}`` (the duck is put on the
  ellipsoid at 52.0 N 4.37 E, ECEF metres), batch table JSON ``{"name": ["Duck"]}``, each padded
  with spaces to an 8-byte boundary, then the 28-byte header.

The functions are also used by tests to make variants (RTC_CENTER in the binary body, several
batches).
"""

from __future__ import annotations

import json
import struct
from pathlib import Path

HERE = Path(__file__).resolve().parent
#: ECEF (EPSG:4978) of 52.0 N, 4.37 E, 0 m on the WGS84 ellipsoid (Delft), metres (pyproj EPSG:4979 -> 4978)
RTC_DELFT = (3923520.693, 299832.033, 5002803.345)


def split_glb(data: bytes) -> tuple[dict, bytes]:
    """(JSON document, binary chunk) of a GLB 2.0 file with one BIN chunk."""
    magic, version, length = struct.unpack_from("<4sII", data, 0)
    assert magic == b"glTF" and version == 2
    n, kind = struct.unpack_from("<II", data, 12)
    assert kind == 0x4E4F534A
    doc = json.loads(data[20:20 + n])
    pos = 20 + n
    m, kind = struct.unpack_from("<II", data, pos)
    assert kind == 0x004E4942
    return doc, data[pos + 8:pos + 8 + m]


def join_glb(doc: dict, binary: bytes) -> bytes:
    """A GLB 2.0 blob whose chunks (and so the whole) end on 8-byte boundaries."""
    js = json.dumps(doc, separators=(",", ":")).encode()
    js += b" " * (-(20 + len(js)) % 8)
    binary += b"\0" * (-len(binary) % 8)
    body = struct.pack("<II", len(js), 0x4E4F534A) + js + struct.pack("<II", len(binary), 0x004E4942) + binary
    return struct.pack("<4sII", b"glTF", 2, 12 + len(body)) + body


def add_batch_ids(glb: bytes, batch_ids: list[list[float]] | None = None) -> bytes:
    """The GLB with a ``_BATCHID`` FLOAT accessor on every primitive (``batch_ids``: one list per
    primitive, in mesh/primitive order, one value per vertex; None: all 0)."""
    doc, binary = split_glb(glb)
    binary = bytearray(binary)
    k = 0
    for mesh in doc["meshes"]:
        for prim in mesh["primitives"]:
            n = doc["accessors"][prim["attributes"]["POSITION"]]["count"]
            ids = batch_ids[k] if batch_ids is not None else [0.0] * n
            assert len(ids) == n
            k += 1
            binary += b"\0" * (-len(binary) % 4)
            doc["bufferViews"].append({"buffer": 0, "byteOffset": len(binary), "byteLength": 4 * n,
                                       "target": 34962})
            binary += struct.pack(f"<{n}f", *ids)
            doc["accessors"].append({"bufferView": len(doc["bufferViews"]) - 1, "componentType": 5126,
                                     "count": n, "type": "SCALAR", "min": [min(ids)], "max": [max(ids)]})
            prim["attributes"]["_BATCHID"] = len(doc["accessors"]) - 1
    binary += b"\0" * (-len(binary) % 8)
    doc["buffers"][0]["byteLength"] = len(binary)
    return join_glb(doc, bytes(binary))


def _padded_json(obj: dict, start: int) -> bytes:
    """JSON padded with spaces so that the section after it starts on an 8-byte boundary."""
    js = json.dumps(obj, separators=(",", ":")).encode()
    return js + b" " * (-(start + len(js)) % 8)


def make_b3dm(glb: bytes, batch_length: int, batch_table: dict | None = None,
              rtc: tuple[float, float, float] | None = None, rtc_binary: bool = False,
              batch_binary: bytes = b"") -> bytes:
    """A b3dm tile (version 1) around ``glb``; ``rtc_binary`` stores RTC_CENTER as float32[3]
    in the feature table binary body instead of the JSON; ``batch_binary`` is the batch table's
    binary body (padded here to 8 bytes)."""
    ft: dict = {"BATCH_LENGTH": batch_length}
    ft_bin = b""
    if rtc is not None:
        if rtc_binary:
            ft["RTC_CENTER"] = {"byteOffset": 0}
            ft_bin = struct.pack("<3f", *rtc) + b"\0" * 4  # 12 bytes padded to 8
        else:
            ft["RTC_CENTER"] = list(rtc)
    ftj = _padded_json(ft, 28)
    btj = _padded_json(batch_table, 28 + len(ftj) + len(ft_bin)) if batch_table else b""
    batch_binary += b"\0" * (-len(batch_binary) % 8)
    assert len(glb) % 8 == 0
    length = 28 + len(ftj) + len(ft_bin) + len(btj) + len(batch_binary) + len(glb)
    head = struct.pack("<4sIIIIII", b"b3dm", 1, length, len(ftj), len(ft_bin), len(btj), len(batch_binary))
    return head + ftj + ft_bin + btj + batch_binary + glb


def main(out: Path = HERE / "Duck.b3dm") -> None:
    glb = add_batch_ids((HERE / "Duck.glb").read_bytes())
    out.write_bytes(make_b3dm(glb, 1, {"name": ["Duck"]}, RTC_DELFT))


if __name__ == "__main__":
    import sys

    main(*[Path(a) for a in sys.argv[1:2]])
