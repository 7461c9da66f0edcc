"""Benchmark: IFC import vs a bare ``ifcopenshell.geom`` iterator pass (same settings, same threads).

Run as ``python tests/bench/bench_ifc.py [--files a.ifc b.ifc] [--repeat 3]``. Prints and writes
``tests/bench/results/ifc.json``:

* floor: in this process, ``ifcopenshell.open`` + the multithreaded iterator with
  ``use-world-coords`` over all products, reading every shape's vertex and face buffers into numpy
  (what any IfcOpenShell user must do at least) -- target: citytwin <= 1.3x of it;
* citytwin: ``citytwin.io.ifc.reader.read_ifc`` (crash- and hang-isolated worker process, property
  sets, georeferencing, model building), with and without the LoD 2.2 envelope;
* peer: IfcConvert; measured when an ``IfcConvert`` binary is on PATH (to .obj), else reported as
  not available.

Every measurement runs in a fresh Python process. "cold": from the start of the process,
imports included (citytwin also starts its worker process, which imports IfcOpenShell: the
cost of crash isolation a CLI user sees); "warm": a second run in the same process (a GUI or
batch session: the pooled worker is already up). Each figure is the best of ``--repeat`` runs.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
SHARED = Path(os.environ.get("CITYTWIN_SHARED_DATA", ROOT.parent / "shared" / "data"))
if not SHARED.exists():
    SHARED = Path("/work/shared/data")
DEFAULT = [SHARED / "ifc" / "ifcopenshell_files" / "TestModel_IFC4Add2.ifc",
           SHARED / "ifc" / "samples" / "Ifc4_SampleHouse.ifc"]


def bare_iterator(path: Path, threads: int) -> tuple[float, int]:
    import numpy as np
    import ifcopenshell
    import ifcopenshell.geom

    t = time.perf_counter()
    f = ifcopenshell.open(str(path))
    s = ifcopenshell.geom.settings()
    s.set("use-world-coords", True)
    it = ifcopenshell.geom.iterator(s, f, threads)
    n = 0
    if it.initialize():
        while True:
            g = it.get().geometry
            v = np.frombuffer(g.verts_buffer, dtype=np.float64).reshape(-1, 3).copy()
            fa = np.frombuffer(g.faces_buffer, dtype=np.int32).reshape(-1, 3).copy()
            n += len(fa) + 0 * len(v)
            if not it.next():
                break
    return time.perf_counter() - t, n


def ours(path: Path, threads: int, envelope: bool) -> tuple[float, int]:
    from citytwin.io.ifc.reader import read_ifc

    t = time.perf_counter()
    m = read_ifc(path, threads=threads, envelope=envelope)
    dt = time.perf_counter() - t
    return dt, len(m)


def ifcconvert(path: Path) -> float | None:
    exe = shutil.which("IfcConvert") or shutil.which("ifcconvert")
    if exe is None:
        return None
    with tempfile.TemporaryDirectory() as d:
        t = time.perf_counter()
        subprocess.run([exe, "-y", "--use-world-coords", str(path), str(Path(d) / "out.obj")],
                       check=True, capture_output=True)
        return time.perf_counter() - t


_CHILD = """
import sys, time
t0 = time.perf_counter()
sys.path.insert(0, {root!r})
from pathlib import Path
import bench_ifc
what, path, threads = sys.argv[1], Path(sys.argv[2]), int(sys.argv[3])
if what == "floor":
    import ifcopenshell, ifcopenshell.geom  # a bare user pays this import too
    cold, _ = bench_ifc.bare_iterator(path, threads)
    cold = time.perf_counter() - t0
    warm, _ = bench_ifc.bare_iterator(path, threads)
else:
    import citytwin.io.ifc.reader  # noqa: F401
    bench_ifc.ours(path, threads, what == "full")
    cold = time.perf_counter() - t0
    warm, _ = bench_ifc.ours(path, threads, what == "full")
print(cold, warm)
"""


def fresh(what: str, path: Path, threads: int) -> tuple[float, float]:
    """(cold, warm) seconds in a fresh Python process: cold includes the imports (and for citytwin
    starting its worker process), warm is a second run in the same process."""
    r = subprocess.run([sys.executable, "-c", _CHILD.format(root=str(HERE)), what, str(path), str(threads)],
                       capture_output=True, text=True, check=True)
    cold, warm = r.stdout.strip().splitlines()[-1].split()
    return float(cold), float(warm)


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--files", nargs="*", type=Path, default=DEFAULT)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    threads = os.cpu_count() or 1
    results = []
    for path in args.files:
        if not path.exists():
            print(f"skip {path} (not present)")
            continue
        fl = [fresh("floor", path, threads) for _ in range(args.repeat)]
        fu = [fresh("full", path, threads) for _ in range(args.repeat)]
        ne = [fresh("noenv", path, threads) for _ in range(args.repeat)]
        best = lambda runs, k: min(r[k] for r in runs)  # noqa: E731
        peer = ifcconvert(path)
        r = {"file": path.name, "mb": round(path.stat().st_size / 1e6, 2), "threads": threads,
             "floor_cold_s": round(best(fl, 0), 3), "floor_warm_s": round(best(fl, 1), 3),
             "citytwin_cold_s": round(best(fu, 0), 3), "citytwin_warm_s": round(best(fu, 1), 3),
             "citytwin_no_envelope_warm_s": round(best(ne, 1), 3),
             "ratio_vs_floor_cold": round(best(fu, 0) / best(fl, 0), 3),
             "ratio_vs_floor_warm": round(best(fu, 1) / best(fl, 1), 3),
             "ratio_vs_floor_warm_no_envelope": round(best(ne, 1) / best(fl, 1), 3),
             "target_ratio": 1.3, "load_average": os.getloadavg()[0],
             "peer_ifcconvert_s": None if peer is None else round(peer, 3),
             "ratio_vs_peer": None if peer is None else round(best(fu, 0) / peer, 3),
             "peer_note": "IfcConvert binary not available on this machine (not on PATH, no PyPI package)"
             if peer is None else "IfcConvert -> .obj, world coords"}
        results.append(r)
        print(f"{path.name}: cold (fresh process, imports included) floor {r['floor_cold_s']} s, citytwin "
              f"{r['citytwin_cold_s']} s = {r['ratio_vs_floor_cold']}x; warm floor {r['floor_warm_s']} s, "
              f"citytwin {r['citytwin_warm_s']} s = {r['ratio_vs_floor_warm']}x (no envelope "
              f"{r['ratio_vs_floor_warm_no_envelope']}x); IfcConvert: "
              + ("not available" if peer is None else f"{peer:.2f} s"))
    out = HERE / "results" / "ifc.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps({"benchmark": "ifc", "results": results}, indent=1))
    print(f"wrote {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
