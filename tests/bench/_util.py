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
ru = resource.getrusage(resource.RUSAGE_CHILDREN)
inner = inner_cpu = None
for line in rc.stdout.decode().strip().splitlines()[-2:]:
    if line.startswith("INNER "):
        inner = float(line.split()[1])
    elif line.startswith("INNERCPU "):
        inner_cpu = float(line.split()[1])
print(json.dumps({"seconds": dt, "inner": inner, "cpu": ru.ru_utime + ru.ru_stime, "inner_cpu": inner_cpu,
                  "peak_rss": peak, "rc": rc.returncode, "stderr": rc.stderr.decode()[-500:]}))
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


def load_average() -> float:
    """The 1-minute load average (the machine is shared: every figure is printed with it)."""
    return round(os.getloadavg()[0], 2)


def interleaved(cases: dict[str, list[str]], repeat: int = 2, log=print) -> dict[str, dict]:
    """Run every case of ``cases`` (name -> command) ``repeat`` times, interleaved (round k runs
    each case once, in order), each in a fresh child; per case the best run (by ``inner`` when
    the child prints it, else wall time), with ``peak_rss_mb`` (lowest of the runs), the CPU
    time of the whole child (``cpu``) and of its timed part (``inner_cpu``, when it prints
    ``INNERCPU <s>``) and the load average seen at that run's start and end. On a machine
    shared with other jobs the CPU times are the steadier figures.

    Interleaving spreads the machine's load changes over all cases instead of charging one case
    with a busy minute.
    """
    best: dict[str, dict] = {}
    for k in range(repeat):
        for name, cmd in cases.items():
            la0 = load_average()
            try:
                m = measure(cmd, 1)
            except RuntimeError as exc:
                best.setdefault(name, {"error": str(exc)[-400:]})
                log(f"  round {k + 1} {name:26s} FAILED: {str(exc)[-200:]}")
                continue
            m = {"seconds": round(m["seconds"], 3), "inner": m["inner"] and round(m["inner"], 3),
                 "cpu": round(m.get("cpu") or 0, 3), "inner_cpu": m.get("inner_cpu") and round(m["inner_cpu"], 3),
                 "peak_rss_mb": round(m["peak_rss"] / 2**20, 1), "load": [la0, load_average()]}
            log(f"  round {k + 1} {name:26s} {m['seconds']:7.2f} s  inner {m['inner'] or 0:7.2f} s  "
                f"CPU {m['cpu']:7.2f} s  inner CPU {m['inner_cpu'] or 0:7.2f} s  "
                f"{m['peak_rss_mb']:8.1f} MB  load {m['load'][0]:.1f}->{m['load'][1]:.1f}")
            old = best.get(name)
            if old is None or "error" in old:
                best[name] = m
                continue
            key = "inner" if m["inner"] is not None else "seconds"
            rss = min(old["peak_rss_mb"], m["peak_rss_mb"])
            if m[key] < old[key]:
                best[name] = m
            best[name]["peak_rss_mb"] = rss
    return best


def ratio(a: dict, b: dict, key: str = "seconds") -> float | None:
    """``a[key] / b[key]`` rounded, or None when either failed."""
    if "error" in a or "error" in b or not a.get(key) or not b.get(key):
        return None
    return round(a[key] / b[key], 2)
