"""A large single-line CityJSON built from a real one, for the resource-limit tests.

The city objects of the real Rotterdam block in ``tests/data/batch`` (CityJSON 1.0, 3D BAG
export, provenance in that folder) are repeated ``copies`` times with new ids and their vertex
indices offset; the copies are shifted 500 m apart so they do not overlap. The result is one line
of JSON (as portals serve it), about 1 MB per copy.
"""

from __future__ import annotations

import json
from pathlib import Path

REAL = Path(__file__).resolve().parent / "data" / "batch" / "rotterdam_subset_v1.0.city.json"


def _shift(boundaries, offset: int):
    if isinstance(boundaries, list):
        return [_shift(b, offset) for b in boundaries]
    return boundaries + offset


def write_big_cityjson(path: Path, target_bytes: int) -> int:
    """Write ``path``: copies of the real block until the file is at least ``target_bytes`` long.

    Returns the number of copies. The file is written piece by piece (no document of the
    target size is ever held in memory here).
    """
    doc = json.loads(REAL.read_text())
    verts = doc["vertices"]
    n = len(verts)
    scale = doc.get("transform", {}).get("scale", [1, 1, 1])
    step = int(round(500.0 / scale[0]))
    head = {k: v for k, v in doc.items() if k not in ("CityObjects", "vertices")}
    one = len(json.dumps([doc["CityObjects"], verts], separators=(",", ":")))  # one copy's bytes
    copies = max(1, -(-target_bytes // one))
    with open(path, "w") as f:
        f.write(json.dumps(head, separators=(",", ":"))[:-1] + ',"CityObjects":{')
        first = True
        for c in range(copies):
            for oid, obj in doc["CityObjects"].items():
                o = dict(obj)
                if "geometry" in o:
                    o["geometry"] = [{**g, "boundaries": _shift(g["boundaries"], c * n)} for g in o["geometry"]]
                for key in ("children", "parents"):
                    if key in o:
                        o[key] = [f"{x}-{c}" for x in o[key]]
                f.write(("" if first else ",") + json.dumps(f"{oid}-{c}") + ":" + json.dumps(o, separators=(",", ":")))
                first = False
        f.write('},"vertices":[')
        for c in range(copies):
            dx = c * step
            part = ",".join(f"[{x + dx},{y},{z}]" for x, y, z in verts)
            f.write(("," if c else "") + part)
        f.write("]}")
    return copies
