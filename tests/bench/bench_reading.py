"""Benchmark for issue 18: reading at the speed of the parsers.

Inputs (built by ``make_district.py`` from real files, cached): the 54,592-building ``district``
(CityJSON 2.0 tiled from a real 3D BAG file), the ~100 MB ``textured`` Rotterdam tiling, and the
CityGML 3.0 ``citygml12`` / ``citygml200`` tilings.

Every case runs in a fresh child process; the cases of one input are interleaved (``--repeat``
rounds, each running every case once) and the best run of each is kept, with the load average
at its start and end. Figures are ratios to a floor and a peer measured in the same run:

* ``citytwin info --json`` (whole process) against a process doing ``orjson.loads`` of the same
  file (the floor), and its peak memory against ``cjio FILE info`` (the peer);
* load + triangulate (``read(...).triangulate()`` timed inside the child) against a
  cityjson-lib parse (``cityjson_lib.CityModel.parse_document_bytes``, Rust, on PyPI as
  ``cityjson-lib``) and ``orjson.loads`` timed the same way;
* ``citytwin convert`` on the fast path (``--fast-copy``) and the model path (``--precision
  0.001``) against ``cjio FILE save OUT``, untextured and textured;
* the CityGML read in one process (``workers=1``) against a bare ``lxml.etree.iterparse`` pass
  over every element (each cleared), both timed inside the child.

cjio runs only in its own child processes: importing it patches Python's JSON float encoding.
Run: ``python tests/bench/bench_reading.py [--repeat 2] [--only district,textured,citygml]``.
Results: printed, and written to ``tests/bench/results/reading.json``.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _util import WORK, interleaved, load_average, python_case, ratio, save_results  # noqa: E402
from make_district import ROOT, build  # noqa: E402

TINY_JSON = ROOT / "resources" / "sample" / "3dbag_b2_v2.0.city.json"
TINY_GML = ROOT / "tests" / "data" / "citygml" / "sig3d_Building_LOD2_v3.gml"

ORJSON = """
import sys, time
t = time.perf_counter(); c = time.process_time()
import orjson
doc = orjson.loads(open(sys.argv[1], 'rb').read())
print('INNER', time.perf_counter() - t); print('INNERCPU', time.process_time() - c)
"""
CJLIB = """
import sys, time
data = open(sys.argv[1], 'rb').read()
import cityjson_lib
t = time.perf_counter(); c = time.process_time(); m = cityjson_lib.CityModel.parse_document_bytes(data)
print('INNER', time.perf_counter() - t); print('INNERCPU', time.process_time() - c)
"""
LOAD_TRI = """
import sys, time
from citytwin.io.registry import read
read(sys.argv[2]).triangulate()  # a tiny file first: imports are not reading time
t = time.perf_counter(); c = time.process_time(); m = read(sys.argv[1]); tri = m.triangulate()
print(len(m), tri.n_triangles, file=sys.stderr)
print('INNER', time.perf_counter() - t); print('INNERCPU', time.process_time() - c)
"""
GML_OURS = """
import sys, time
from citytwin.io.registry import read
read(sys.argv[2], workers=1)  # a tiny file first: imports are not reading time
t = time.perf_counter(); c = time.process_time(); m = read(sys.argv[1], workers=1)
print('INNER', time.perf_counter() - t); print('INNERCPU', time.process_time() - c)
"""
GML_FLOOR = """
import sys, time
from lxml import etree
t = time.perf_counter(); c = time.process_time(); n = 0
for _, el in etree.iterparse(sys.argv[1], events=("end",), resolve_entities=False, no_network=True,
                             load_dtd=False, huge_tree=True):
    el.clear(); n += 1
print('INNER', time.perf_counter() - t); print('INNERCPU', time.process_time() - c)
"""


def _cases_cityjson(path: Path, out: Path, bindir: Path, cjio: str, info: bool) -> dict[str, list[str]]:
    citytwin = str(bindir / "citytwin")
    cases = {}
    if info:
        cases["info_json"] = [citytwin, "info", str(path), "--json"]
        cases["floor_orjson_loads"] = python_case(ORJSON, str(path))
        cases["peer_cjio_info"] = [cjio, str(path), "info"]
        cases["load_triangulate"] = python_case(LOAD_TRI, str(path), str(TINY_JSON))
        cases["floor_cityjson_lib_parse"] = python_case(CJLIB, str(path))
    cases["convert_fast"] = [citytwin, "convert", str(path), str(out), "--quiet", "--fast-copy"]
    cases["convert_model"] = [citytwin, "convert", str(path), str(out), "--quiet", "--precision", "0.001"]
    cases["peer_cjio_save"] = [cjio, str(path), "save", str(out)]
    return cases


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=2)
    ap.add_argument("--only", default="district,textured,citygml")
    ap.add_argument("--district", default=os.environ.get("CITYTWIN_BENCH_DISTRICT", "district"),
                    help="make_district preset (district8: a quick run; env CITYTWIN_BENCH_DISTRICT)")
    args = ap.parse_args()
    only = set(args.only.split(","))
    bindir = Path(sys.executable).parent
    cjio = shutil.which("cjio", path=str(bindir)) or "cjio"
    WORK.mkdir(parents=True, exist_ok=True)
    res: dict = {"load_average_start": load_average()}
    try:
        import cityjson_lib  # noqa: F401  (only to say whether the floor can run)

        res["cityjson_lib"] = "installed from PyPI as cityjson-lib"
    except ImportError:
        res["cityjson_lib"] = "not installed: the cityjson-lib floor is missing"

    if "district" in only:
        path = build(args.district)
        print(f"district: {path.name} ({path.stat().st_size / 1e6:.0f} MB)", flush=True)
        r = interleaved(_cases_cityjson(path, WORK / "out.city.json", bindir, cjio, True), args.repeat)
        r["input_mb"] = round(path.stat().st_size / 1e6, 1)
        r["ratios"] = {
            "info_json_over_orjson_loads": ratio(r["info_json"], r["floor_orjson_loads"]),
            "info_json_mem_over_cjio_info": ratio(r["info_json"], r["peer_cjio_info"], "peak_rss_mb"),
            "load_triangulate_over_cityjson_lib": ratio(r["load_triangulate"], r["floor_cityjson_lib_parse"], "inner"),
            "load_triangulate_over_orjson_loads": ratio(r["load_triangulate"], r["floor_orjson_loads"], "inner"),
            "cjio_save_over_convert_fast": ratio(r["peer_cjio_save"], r["convert_fast"]),
            "cjio_save_over_convert_model": ratio(r["peer_cjio_save"], r["convert_model"]),
            "cpu_info_json_over_orjson_loads": ratio(r["info_json"], r["floor_orjson_loads"], "cpu"),
            "cpu_load_triangulate_over_cityjson_lib": ratio(r["load_triangulate"], r["floor_cityjson_lib_parse"],
                                                            "inner_cpu"),
            "cpu_cjio_save_over_convert_fast": ratio(r["peer_cjio_save"], r["convert_fast"], "cpu"),
            "cpu_cjio_save_over_convert_model": ratio(r["peer_cjio_save"], r["convert_model"], "cpu"),
        }
        r["targets"] = {"info_json_over_orjson_loads <=": 2.0, "info_json_mem_over_cjio_info <=": 0.6,
                        "load_triangulate_over_cityjson_lib <=": 2.5}
        res["district"] = r
        print("district ratios:", r["ratios"], flush=True)
    if "textured" in only:
        path = build("textured")
        print(f"textured: {path.name} ({path.stat().st_size / 1e6:.0f} MB)", flush=True)
        r = interleaved(_cases_cityjson(path, WORK / "out_tex" / "out.city.json", bindir, cjio, False), args.repeat)
        r["input_mb"] = round(path.stat().st_size / 1e6, 1)
        r["ratios"] = {"cjio_save_over_convert_fast": ratio(r["peer_cjio_save"], r["convert_fast"]),
                       "cjio_save_over_convert_model": ratio(r["peer_cjio_save"], r["convert_model"]),
                       "cpu_cjio_save_over_convert_fast": ratio(r["peer_cjio_save"], r["convert_fast"], "cpu"),
                       "cpu_cjio_save_over_convert_model": ratio(r["peer_cjio_save"], r["convert_model"], "cpu")}
        r["targets"] = {"cjio_save_over_convert >=": 4.0}
        res["textured"] = r
        print("textured ratios:", r["ratios"], flush=True)
    if "citygml" in only:
        for preset in ("citygml12", "citygml200"):
            path = build(preset)
            print(f"{preset}: {path.name} ({path.stat().st_size / 1e6:.0f} MB)", flush=True)
            r = interleaved({"citytwin_read_1proc": python_case(GML_OURS, str(path), str(TINY_GML)),
                             "floor_iterparse": python_case(GML_FLOOR, str(path))}, args.repeat)
            r["input_mb"] = round(path.stat().st_size / 1e6, 1)
            r["ratios"] = {"read_1proc_over_iterparse": ratio(r["citytwin_read_1proc"], r["floor_iterparse"], "inner"),
                           "cpu_read_1proc_over_iterparse": ratio(r["citytwin_read_1proc"], r["floor_iterparse"],
                                                                  "inner_cpu")}
            r["targets"] = {"read_1proc_over_iterparse <=": 1.6}
            r["peer"] = "citygml-tools (Java) is not installed here; the floor is the comparison"
            res[preset] = r
            print(f"{preset} ratios:", r["ratios"], flush=True)
    res["load_average_end"] = load_average()
    save_results("reading", res)


if __name__ == "__main__":
    main()
