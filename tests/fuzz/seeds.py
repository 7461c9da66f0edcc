"""The real files the fuzzer mutates, by format (all small copies in tests/data, with provenance).

Each seed is a file name, its bytes, and the side files it needs in its folder (an OBJ's MTL and
texture, a tileset's tile). Three seeds are built from real files at run time, because the
corpus has no small file of that kind: a ``.gml.gz`` (gzip of a real CityGML file), a
``tileset.json`` whose root tile is the real ``dragon_low.b3dm``, a glTF (``.gltf`` with its
buffer as a data URI) and a binary STL, both made from the real ``Duck.glb`` / ``box.obj``.
"""

from __future__ import annotations

import base64
import gzip
import json
import struct
from dataclasses import dataclass, field
from pathlib import Path

DATA = Path(__file__).resolve().parents[1] / "data"


@dataclass(frozen=True)
class Seed:
    """One real file to mutate; ``side`` maps side-file names to their bytes."""

    name: str
    data: bytes
    side: dict = field(default_factory=dict)
    derived_from: str = ""


def _read(rel: str) -> bytes:
    return (DATA / rel).read_bytes()


def _stl_from_obj(obj: bytes) -> bytes:
    """A binary STL of the triangles (fan-triangulated faces) of an OBJ."""
    verts, tris = [], []
    for line in obj.decode().splitlines():
        parts = line.split()
        if parts[:1] == ["v"]:
            verts.append(tuple(float(x) for x in parts[1:4]))
        elif parts[:1] == ["f"]:
            idx = [int(p.split("/")[0]) - 1 for p in parts[1:]]
            tris += [(idx[0], idx[i], idx[i + 1]) for i in range(1, len(idx) - 1)]
    out = bytearray(b"citytwin fuzz seed from box.obj".ljust(80, b" "))
    out += struct.pack("<I", len(tris))
    for t in tris:
        out += struct.pack("<3f", 0, 0, 0)
        for i in t:
            out += struct.pack("<3f", *verts[i])
        out += b"\0\0"
    return bytes(out)


def _gltf_from_glb(glb: bytes) -> bytes:
    """A .gltf (JSON, buffer 0 as a base64 data URI) with the content of a GLB."""
    n = struct.unpack_from("<I", glb, 12)[0]
    doc = json.loads(glb[20:20 + n])
    off = 20 + n
    blen = struct.unpack_from("<I", glb, off)[0]
    binary = glb[off + 8:off + 8 + blen]
    doc["buffers"][0]["uri"] = "data:application/octet-stream;base64," + base64.b64encode(binary).decode()
    return json.dumps(doc).encode()


TILESET = {"asset": {"version": "1.0"}, "geometricError": 100,
           "root": {"boundingVolume": {"region": [-1.3197, 0.6988, -1.3196, 0.6989, 0, 20]},
                    "geometricError": 10, "refine": "ADD",
                    "transform": [1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 1215000, -4736000, 4081000, 1],
                    "content": {"uri": "dragon_low.b3dm"},
                    "children": [{"boundingVolume": {"sphere": [0, 0, 0, 10]}, "geometricError": 0,
                                  "content": {"uri": "dragon_low.b3dm"}}]}}


def seeds() -> dict[str, list[Seed]]:
    """Format family -> seeds."""
    fuze_side = {"fuze.obj.mtl": _read("mesh/fuze.obj.mtl"), "fuze uv.jpg": _read("mesh/fuze uv.jpg")}
    gml = _read("citygml/DenHaag_1BwBP.gml")
    return {
        "cityjson": [Seed(n, _read(f"cityjson/{n}")) for n in (
            "3dbag_b2_v2.0.city.json", "geomtemplate_1_v1.0.city.json", "cityjson_fake_complete.city.json",
            "denhaag_DH_01_subs_v1.1.city.json")]
        + [Seed("rotterdam_subset_v2.0.city.json",
                _read("cityjson/rotterdam_textured/rotterdam_subset_v2.0.city.json"))],
        "cityjsonseq": [Seed("3dbag_b2.city.jsonl", _read("cityjson/3dbag_b2.city.jsonl"))],
        "citygml": [Seed(n, _read(f"citygml/{n}")) for n in (
            "DenHaag_1BwBP.gml", "sig3d_Building_LOD2_v2.gml", "sig3d_Building_LOD2_v3.gml",
            "BuildingUnits_Storeys_xlink.gml")],
        "citygml_gz": [Seed("DenHaag_1BwBP.gml.gz", gml, derived_from="citygml/DenHaag_1BwBP.gml")],
        "obj": [Seed("box.obj", _read("mesh/box.obj"), {"box.mtl": _read("mesh/box.mtl")}),
                Seed("fuze.obj", _read("mesh/fuze.obj"), fuze_side),
                Seed("two_objects.obj", _read("mesh/two_objects.obj"))],
        "ply": [Seed("fuze.ply", _read("mesh/fuze.ply"))],
        "glb": [Seed("Duck.glb", _read("mesh/Duck.glb")), Seed("BoxTextured.glb", _read("mesh/BoxTextured.glb"))],
        "gltf": [Seed("BoxTextured.gltf", _gltf_from_glb(_read("mesh/BoxTextured.glb")),
                      derived_from="mesh/BoxTextured.glb")],
        "stl": [Seed("box.stl", _stl_from_obj(_read("mesh/box.obj")), derived_from="mesh/box.obj")],
        "b3dm": [Seed("dragon_low.b3dm", _read("mesh/dragon_low.b3dm")), Seed("Duck.b3dm", _read("mesh/Duck.b3dm"))],
        "tileset": [Seed("tileset.json", json.dumps(TILESET).encode(),
                         {"dragon_low.b3dm": _read("mesh/dragon_low.b3dm")}, derived_from="mesh/dragon_low.b3dm")],
        "ifc": [Seed(n, _read(f"ifc/{n}")) for n in ("geolocation-mapconversion-angle.ifc", "UT_GeoRef_1_IFC4X3.ifc")]
        + [Seed("basic.ifczip", _read("ifc/basic.ifczip"))],
        "epw": [Seed("NLD_Amsterdam062400_IWEC.epw", _read("weather/NLD_Amsterdam062400_IWEC.epw"))],
    }


def gzip_bytes(data: bytes) -> bytes:
    return gzip.compress(data, mtime=0)
