"""Make a large real-looking model by tiling a real CityJSONSeq file on a grid.

Each copy of each feature gets new ids (``<id>~<i>``) and its vertices shifted by the grid step;
boundaries are untouched (CityJSONSeq features have their own vertex lists), so this is cheap
even for 100k objects. Used by the GUI cancel test and by ``tests/bench/bench_gui.py``.
"""

from __future__ import annotations

import math
from pathlib import Path

import orjson

ROOT = Path(__file__).resolve().parents[1]
SEQ_SAMPLE = ROOT / "tests" / "data" / "cityjson" / "3dbag_b2.city.jsonl"


def _rename(feature: dict, suffix: str) -> dict:
    objs = {}
    for oid, o in feature["CityObjects"].items():
        o = dict(o)
        for rel in ("parents", "children"):
            if rel in o:
                o[rel] = [f"{r}{suffix}" for r in o[rel]]
        objs[f"{oid}{suffix}"] = o
    return {**feature, "id": f"{feature['id']}{suffix}", "CityObjects": objs}


def tile_cityjsonseq(src: Path, out: Path, copies: int, step_m: float = 60.0) -> int:
    """Write ``copies`` grid copies of every feature of ``src`` to ``out``; returns the object count."""
    lines = src.read_bytes().splitlines()
    header = orjson.loads(lines[0])
    feats = [orjson.loads(ln) for ln in lines[1:] if ln.strip()]
    scale = header["transform"]["scale"]
    side = math.ceil(math.sqrt(copies))
    n_obj = 0
    with open(out, "wb") as f:
        f.write(orjson.dumps(header) + b"\n")
        for i in range(copies):
            dx = int(round((i % side) * step_m / scale[0]))
            dy = int(round((i // side) * step_m / scale[1]))
            for feat in feats:
                g = _rename(feat, f"~{i}")
                g["vertices"] = [[v[0] + dx, v[1] + dy, v[2]] for v in feat["vertices"]]
                n_obj += len(g["CityObjects"])
                f.write(orjson.dumps(g) + b"\n")
    return n_obj
