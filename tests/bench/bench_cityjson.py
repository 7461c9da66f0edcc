"""Benchmark for issue 2: CityJSON load / convert on a ~100 MB file tiled from a real one.

Cases, each in a fresh child process (wall time, peak RSS):

* ``citytwin convert`` CityJSON 2.0 -> 2.0 (default: the cityjson-lib fast copy) and the same
  through the semantic model (``--precision 0.001`` forces the model path: read, validate, write);
* the peer: ``cjio IN save OUT``;
* loading to a triangulated model (read + ``triangulate()``) against the floors ``orjson.loads``
  of the same bytes (garbage collector on, as any Python program runs it, and paused, as we run
  it) and ``cityjson_lib`` parsing (Rust) of the same bytes. These time the operation inside the
  child (``INNER``), without interpreter start-up.

Run: ``python tests/bench/bench_cityjson.py [--mb 100] [--repeat 2]``.
"""

from __future__ import annotations

import argparse
import shutil
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _util import SHARED, WORK, ROOT, measure, python_case, save_results, tile_cityjson  # noqa: E402

FLOOR_ORJSON = """
import sys, time, orjson, gc
data = open(sys.argv[1], 'rb').read()
if sys.argv[2] == 'off': gc.disable()
t = time.perf_counter(); doc = orjson.loads(data); print('INNER', time.perf_counter() - t)
"""
FLOOR_CJLIB = """
import sys, time, cityjson_lib
data = open(sys.argv[1], 'rb').read()
t = time.perf_counter(); m = cityjson_lib.CityModel.parse_document_bytes(data); print('INNER', time.perf_counter() - t)
"""
OURS_LOAD = """
import sys, time
from citytwin.io.registry import read
t = time.perf_counter(); m = read(sys.argv[1]); tri = m.triangulate()
print(len(tri.triangles) if hasattr(tri, 'triangles') else '', file=sys.stderr)
print('INNER', time.perf_counter() - t)
"""


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--mb", type=float, default=100)
    ap.add_argument("--repeat", type=int, default=2)
    args = ap.parse_args()
    src = SHARED / "cityjson" / "delft_v2.0.city.json"
    if not src.exists():
        src = ROOT / "resources" / "sample" / "3dbag_b2_v2.0.city.json"
    big = tile_cityjson(src, WORK / f"tiled_{int(args.mb)}mb.city.json", args.mb)
    out = WORK / "out.city.json"
    bindir = Path(sys.executable).parent
    citytwin = str(bindir / "citytwin")
    cjio = shutil.which("cjio", path=str(bindir)) or "cjio"
    r = args.repeat
    res: dict = {"input": str(big), "input_mb": round(big.stat().st_size / 1e6, 1), "source": src.name}
    cases = {
        "convert_fast": [citytwin, "convert", str(big), str(out), "--quiet", "--fast-copy"],
        "convert_model": [citytwin, "convert", str(big), str(out), "--quiet", "--precision", "0.001"],
        "cjio_save": [cjio, str(big), "save", str(out)],
        "load_triangulate": python_case(OURS_LOAD, str(big)),
        "orjson_gc_on": python_case(FLOOR_ORJSON, str(big), "on"),
        "orjson_gc_off": python_case(FLOOR_ORJSON, str(big), "off"),
        "cityjson_lib_parse": python_case(FLOOR_CJLIB, str(big)),
    }
    for name, cmd in cases.items():
        m = measure(cmd, r)
        res[name] = {"seconds": round(m["seconds"], 3), "inner": m["inner"] and round(m["inner"], 3),
                     "peak_rss_mb": round(m["peak_rss"] / 2**20, 1)}
        print(f"{name:20s} {m['seconds']:7.2f} s  inner {m['inner'] or 0:6.2f} s  "
              f"{m['peak_rss'] / 2**20:8.1f} MB", flush=True)
    cj = res["cjio_save"]
    ratios = {
        "cjio_time_over_convert_fast": cj["seconds"] / res["convert_fast"]["seconds"],
        "cjio_time_over_convert_model": cj["seconds"] / res["convert_model"]["seconds"],
        "convert_fast_mem_over_cjio": res["convert_fast"]["peak_rss_mb"] / cj["peak_rss_mb"],
        "convert_model_mem_over_cjio": res["convert_model"]["peak_rss_mb"] / cj["peak_rss_mb"],
        "load_triangulate_over_orjson_gc_on": res["load_triangulate"]["inner"] / res["orjson_gc_on"]["inner"],
        "load_triangulate_over_orjson_gc_off": res["load_triangulate"]["inner"] / res["orjson_gc_off"]["inner"],
        "load_triangulate_over_cityjson_lib": res["load_triangulate"]["inner"] / res["cityjson_lib_parse"]["inner"],
    }
    res["ratios"] = {k: round(v, 2) for k, v in ratios.items()}
    res["targets"] = {"cjio_time_over_convert >=": 3.0, "convert_mem_over_cjio <=": 0.5,
                      "load_triangulate_over_orjson <=": 2.0}
    save_results("cityjson", res)


if __name__ == "__main__":
    main()
