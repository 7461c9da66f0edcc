"""Benchmark: IFC import vs a bare ``ifcopenshell.geom`` iterator pass (same settings, same threads).

Run as ``python tests/bench/bench_ifc.py [--files a.ifc b.ifc] [--repeat 2]``. Prints and writes
``tests/bench/results/ifc.json``:

* floor: in this process, ``ifcopenshell.open`` + the multithreaded iterator with
  ``use-world-coords`` over all products, reading every shape's vertex and face buffers into numpy
  (what any IfcOpenShell user must do at least) -- target: citytwin <= 1.3x of it;
* citytwin: ``citytwin.io.ifc_read.read_ifc`` (crash-isolated child process, property sets,
  georeferencing, model building), with and without the LoD 2.2 envelope;
* peer: IfcConvert; measured when an ``IfcConvert`` binary is on PATH (to .obj), else reported as
  not available.

Each figure is the best of ``--repeat`` runs (the first run of citytwin includes starting the
forkserver and importing IfcOpenShell in it).
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
    from citytwin.io.ifc_read import read_ifc

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


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--files", nargs="*", type=Path, default=DEFAULT)
    ap.add_argument("--repeat", type=int, default=2)
    args = ap.parse_args()
    sys.path.insert(0, str(ROOT.parent))
    threads = os.cpu_count() or 1
    ours(args.files[0], threads, True)  # warm the forkserver (started once per process)
    results = []
    for path in args.files:
        if not path.exists():
            print(f"skip {path} (not present)")
            continue
        floor = min(bare_iterator(path, threads)[0] for _ in range(args.repeat))
        full = min(ours(path, threads, True)[0] for _ in range(args.repeat))
        noenv = min(ours(path, threads, False)[0] for _ in range(args.repeat))
        peer = ifcconvert(path)
        r = {"file": path.name, "mb": round(path.stat().st_size / 1e6, 2), "threads": threads,
             "floor_bare_iterator_s": round(floor, 3), "citytwin_s": round(full, 3),
             "citytwin_no_envelope_s": round(noenv, 3),
             "ratio_vs_floor": round(full / floor, 3), "ratio_vs_floor_no_envelope": round(noenv / floor, 3),
             "target_ratio": 1.3,
             "peer_ifcconvert_s": None if peer is None else round(peer, 3),
             "ratio_vs_peer": None if peer is None else round(full / peer, 3),
             "peer_note": "IfcConvert binary not available on this machine (not on PATH, no PyPI package)"
             if peer is None else "IfcConvert -> .obj, world coords"}
        results.append(r)
        print(f"{path.name}: floor {floor:.2f} s, citytwin {full:.2f} s ({full / floor:.2f}x; without envelope "
              f"{noenv:.2f} s = {noenv / floor:.2f}x), IfcConvert: "
              + ("not available" if peer is None else f"{peer:.2f} s ({full / peer:.2f}x)"))
    out = HERE / "results" / "ifc.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps({"benchmark": "ifc", "results": results}, indent=1))
    print(f"wrote {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
