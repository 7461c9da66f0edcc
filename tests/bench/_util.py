"""Shared helpers for the benchmarks: timing and peak memory of a child process, tiled inputs.

Every benchmark measures our code, the floor and the peer in the same run, each in a fresh child
process, so the peak resident memory (``ru_maxrss`` of that child) is its own and nothing stays
cached between cases.
"""

from __future__ import annotations

import json
import math
import os
import subprocess
import sys
import time
from pathlib import Path

import orjson

ROOT = Path(__file__).resolve().parents[2]
SHARED = Path(os.environ.get("CITYTWIN_SHARED_DATA", ROOT.parent / "shared" / "data"))
RESULTS = Path(__file__).resolve().parent / "results"
WORK = Path(os.environ.get("CITYTWIN_BENCH_DIR", "/tmp/citytwin-bench"))

_WRAPPER = r"""
import resource, subprocess, sys, time, json
t = time.perf_counter()
rc = subprocess.run(sys.argv[1:], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
dt = time.perf_counter() - t
peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024
inner = None
lines = rc.stdout.decode().strip().splitlines()
if lines and lines[-1].startswith("INNER "):
    inner = float(lines[-1].split()[1])
print(json.dumps({"seconds": dt, "inner": inner, "peak_rss": peak, "rc": rc.returncode,
                  "stderr": rc.stderr.decode()[-500:]}))
"""


def measure(cmd: list[str], repeat: int = 1) -> dict:
    """Run ``cmd`` in a child ``repeat`` times; the best run's wall time (s), peak RSS (bytes) and
    ``inner``: the seconds the child printed itself as a last line ``INNER <s>`` (or None)."""
    best = None
    for _ in range(repeat):
        out = subprocess.run([sys.executable, "-c", _WRAPPER, *cmd], capture_output=True, text=True)
        res = json.loads(out.stdout.strip().splitlines()[-1])
        if res["rc"] != 0:
            raise RuntimeError(f"{cmd[:3]} failed: {res['stderr']}")
        key = "inner" if res["inner"] is not None else "seconds"
        if best is None or res[key] < best[key]:
            best = res
    return best


def python_case(code: str, *args: str) -> list[str]:
    """A command running ``code`` in a fresh interpreter of this venv."""
    return [sys.executable, "-c", code, *args]


def tile_cityjson(src: Path, dst: Path, target_mb: float) -> Path:
    """Write a CityJSON made of translated copies of ``src`` until it is about ``target_mb`` MB.

    Copies are laid out on a grid with a 10 m gap; object ids get a ``-t<k>`` suffix, vertex
    indices are shifted. Keeps metadata and transform. Returns ``dst`` (reused when present).
    """
    if dst.exists():
        return dst
    doc = orjson.loads(src.read_bytes())
    verts = doc["vertices"]
    n = len(verts)
    scale = doc.get("transform", {}).get("scale", [1, 1, 1])
    xs = [v[0] for v in verts]
    ys = [v[1] for v in verts]
    span_x = (max(xs) - min(xs)) + 10 / scale[0]
    span_y = (max(ys) - min(ys)) + 10 / scale[1]
    copies = max(1, math.ceil(target_mb * 1e6 / src.stat().st_size))
    side = math.ceil(math.sqrt(copies))

    def shift(b, k):
        if isinstance(b, list):
            return [shift(x, k) for x in b]
        return b + k if isinstance(b, int) else b

    out_objs, out_verts = {}, []
    for c in range(copies):
        dx, dy = int((c % side) * span_x), int((c // side) * span_y)
        out_verts.extend([v[0] + dx, v[1] + dy, v[2]] for v in verts)
        off = c * n
        for oid, obj in doc["CityObjects"].items():
            o = dict(obj)
            if "geometry" in o:
                o["geometry"] = [dict(g, boundaries=shift(g["boundaries"], off)) for g in o["geometry"]]
            for key in ("children", "parents"):
                if key in o:
                    o[key] = [f"{x}-t{c}" for x in o[key]]
            out_objs[f"{oid}-t{c}"] = o
    doc["CityObjects"] = out_objs
    doc["vertices"] = out_verts
    doc.get("metadata", {}).pop("geographicalExtent", None)
    dst.parent.mkdir(parents=True, exist_ok=True)
    tmp = dst.with_suffix(".part")
    tmp.write_bytes(orjson.dumps(doc))
    tmp.replace(dst)
    return dst


def save_results(name: str, results: dict) -> None:
    """Print ``results`` and write them to ``tests/bench/results/<name>.json``."""
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / f"{name}.json").write_text(json.dumps(results, indent=2))
    print(json.dumps(results, indent=2))


def now() -> float:
    return time.perf_counter()
