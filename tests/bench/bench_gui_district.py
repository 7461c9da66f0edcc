"""Benchmark for issue 13: the desktop app on the 54,592-building district, in the real window.

Run as ``python tests/bench/bench_gui_district.py [--repeat 1]``; without a display it re-runs
itself under ``xvfb-run``. The model is ``make_district.py``'s ``district`` (a real 3D BAG file
tiled; cached). Each measurement runs in a fresh child process; the app's child and the floor's
child are interleaved (floor, app, floor, ...).

The app's child opens the district in the real ``MainWindow`` (an empty triangle cache) and, with
a 10 ms ``QTimer`` on the GUI thread (an event-loop stall is a gap between its ticks much longer
than 10 ms), measures:

* time to the first frame showing the model and the process's peak RSS (``VmHWM``);
* the longest stall and the 99th percentile of the gaps while opening, during a solar study of a
  small selection, a shadow-slider scrub and an export of the district (CityJSON, in the app's
  worker) and of the solar study (GeoJSON). The GUI has no "study of the selection" yet (issue
  13 item 6), so the selection is a second layer holding the district's objects in a 3x3-cell
  box (``convert --bbox``), opened beside the district: every render still draws the district;
* click-to-identify, colour change (numeric attribute, back to semantic) and LoD switch latency:
  from the action to the end of its last render, with the number of renders. The district has
  LoD 2.2 only, so the LoD switch is done on the real multi-LoD ``multi_lod_v2.0`` opened beside it;
* orbit: 24 frames of 15 degrees of azimuth, each rendered at once; median frame time;
* reopening with the triangle cache filled by the first open: time to the first frame.

The floor's child is plain pyvista rendering the same triangles (one uncoloured mesh, same window
size as the app's viewport): parse + triangulate (the same reader) to the first frame, then the
same orbit. Order: app, floor, app reopening with the triangle cache, floor.
Results: printed, and written to ``tests/bench/results/gui_district.json``.
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
sys.path.insert(0, str(HERE))
from _util import WORK, load_average, save_results  # noqa: E402
from make_district import CACHE, SHARED, build  # noqa: E402

SIZE = (1400, 900)
ORBIT_FRAMES = 24


def _hwm_mb() -> float:
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def _gaps(ticks, t0: float, t1: float) -> dict:
    import numpy as np

    t = np.asarray(ticks)
    t = t[(t >= t0) & (t <= t1)]
    g = np.diff(np.r_[t0, t, t1]) * 1000
    return {"max_ms": round(float(g.max()), 1), "p99_ms": round(float(np.percentile(g, 99)), 1),
            "over_100ms": int((g > 100).sum()), "ticks": int(len(t)), "seconds": round(t1 - t0, 2)}


# -- the app's child ---------------------------------------------------------------------------

def child_app(district: str, subset: str, multi_lod: str, reopen: bool) -> dict:
    import numpy as np
    from PySide6.QtCore import QSettings, QTimer
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication

    from citytwin.app.qt.main_window import MainWindow

    _app = QApplication.instance() or QApplication([])  # noqa: F841 (kept alive)
    tmp = Path(tempfile.mkdtemp(prefix="citytwin-bench-gui-"))
    win = MainWindow(settings=QSettings(str(tmp / "settings.ini"), QSettings.Format.IniFormat))
    win.resize(*SIZE)
    win.show()
    QTest.qWaitForWindowExposed(win)
    QTest.qWait(300)
    vp = win.viewport
    ends: list[float] = []
    vp.plotter.ren_win.AddObserver("EndEvent", lambda *_: ends.append(time.perf_counter()))
    ticks: list[float] = []
    timer = QTimer()
    timer.setInterval(10)
    timer.timeout.connect(lambda: ticks.append(time.perf_counter()))
    timer.start()
    finished: list[tuple[str, str, float]] = []
    loaded: list = []
    win.job_finished.connect(lambda name, status: finished.append((name, status, time.perf_counter())))
    win.layer_loaded.connect(lambda layer: loaded.append((layer, time.perf_counter())))

    def wait(cond, timeout: float = 1800.0) -> None:
        t = time.perf_counter()
        while not cond():
            if time.perf_counter() - t > timeout:
                raise TimeoutError("the app did not finish in time")
            QTest.qWait(5)

    def job_done(prefix: str, since: int) -> tuple[str, str, float] | None:
        return next((f for f in finished[since:] if f[0].startswith(prefix)), None)

    def open_layer(path: str):
        n_loaded, n_fin = len(loaded), len(finished)
        t0 = time.perf_counter()
        win.open_files([path])
        wait(lambda: len(loaded) > n_loaded and job_done("open ", n_fin))
        layer, t_loaded = loaded[n_loaded]
        wait(lambda: ends and ends[-1] > t_loaded)  # the frame showing it
        QTest.qWait(300)
        status = job_done("open ", n_fin)[1]
        if status != "ok":
            raise RuntimeError(f"opening {path}: {status}")
        first = next(e for e in ends if e > t_loaded)
        return layer, t0, first, job_done("open ", n_fin)[2]

    def action(fn, settle_ms: int = 400) -> dict:
        QTest.qWait(300)
        n0 = vp.render_count
        t0 = time.perf_counter()
        fn()
        QTest.qWait(settle_ms)
        wait(lambda: vp.render_count > n0, 120)
        QTest.qWait(settle_ms)
        last = max(e for e in ends if e > t0)
        return {"ms": round((last - t0) * 1000, 1), "renders": vp.render_count - n0}

    out: dict = {}
    layer, t0, first, done = open_layer(district)
    out["first_frame_s"] = round(first - t0, 2)
    out["open_job_s"] = round(done - t0, 2)
    out["peak_rss_mb_after_open"] = round(_hwm_mb(), 1)
    out["stalls_open"] = _gaps(ticks, t0, max(done, first) + 0.5)
    out["triangles"] = int(layer.tri.n_triangles)
    out["objects"] = len(layer.model)
    if reopen:
        win.close()
        return out

    # click to identify: the largest roof triangle of an object near the middle of the view
    tri = layer.tri
    roofs = np.nonzero(tri.semantic_type == 1)[0]
    cen = tri.vertices[tri.triangles[roofs]].mean(axis=1)
    mid = (cen.min(axis=0) + cen.max(axis=0)) / 2
    pick_t = roofs[np.argsort(np.linalg.norm(cen[:, :2] - mid[:2], axis=1))[:200]]
    target = tri.vertices[tri.triangles[pick_t[np.argmax(tri.areas[pick_t])]]].mean(axis=0)
    vp.fit_objects(layer.key, [int(tri.object_index[pick_t[0]])], render=True)  # zoom in: a roof is many pixels
    QTest.qWait(500)
    picks: list = []
    vp.picked.connect(lambda *a: picks.append(a))

    def click() -> None:
        from PySide6.QtCore import QPoint, Qt

        x, y = vp.world_to_display(target)
        w = vp.plotter.interactor
        dpr = w.devicePixelRatioF()
        QTest.mouseClick(w, Qt.MouseButton.LeftButton, pos=QPoint(int(round(x / dpr)), int(round(w.height() - y / dpr))))

    out["click_identify"] = [action(click) for _ in range(3)]
    out["click_identified"] = len(picks)
    out["color_change"] = {m: action(lambda m=m: win.set_color_by(m, layer.key))
                           for m in ("b3_h_dak_max", "semantic")}
    # orbit: frames rendered back to back
    cam = vp.plotter.camera
    vp.fit(render=True)
    QTest.qWait(300)
    frames = []
    for _ in range(ORBIT_FRAMES):
        cam.Azimuth(15)
        t = time.perf_counter()
        vp.render_now()
        frames.append(time.perf_counter() - t)
    out["orbit_frame_ms_median"] = round(float(np.median(frames)) * 1000, 1)
    out["orbit_frame_ms_max"] = round(float(max(frames)) * 1000, 1)
    out["viewport_size"] = list(vp.plotter.ren_win.GetSize())

    # the selection: a second layer (see the module docstring), then the studies on it
    sel, *_ = open_layer(subset)
    from citytwin.app.commands.shadow import ShadowOptions
    from citytwin.app.commands.solar import SolarOptions
    from citytwin.app.qt.analysis import start_shadow, start_solar

    n_fin = len(finished)
    t0 = time.perf_counter()
    start_solar(win, sel.key, SolarOptions())
    wait(lambda: job_done("solar", n_fin))
    t1 = time.perf_counter()
    QTest.qWait(300)
    out["solar_status"] = job_done("solar", n_fin)[1]
    out["stalls_solar"] = _gaps(ticks, t0, t1 + 0.3)
    out["solar_points"] = int(len(win.layers[sel.key].analyses[next(iter(win.layers[sel.key].analyses))].result.points)) \
        if win.layers[sel.key].analyses else 0

    t0 = time.perf_counter()
    exp = tmp / "solar.geojson"
    win.export_analysis(exp)
    t1 = time.perf_counter()
    QTest.qWait(300)
    out["stalls_export_solar_geojson"] = _gaps(ticks, t0, t1 + 0.3)

    n_fin = len(finished)
    start_shadow(win, sel.key, ShadowOptions(date="2024-06-21", start="06:00", end="20:00", step_minutes=30,
                                             resolution=2.0, surfaces=("roof",), grid_cell=2.0))
    wait(lambda: job_done("shadow", n_fin))
    out["shadow_status"] = job_done("shadow", n_fin)[1]
    QTest.qWait(300)
    slider = win.shadow_slider
    slider.slider.setValue(1)
    QTest.qWait(500)
    steps = []
    t0 = time.perf_counter()
    for i in range(2, slider.slider.maximum() + 1):
        steps.append(action(lambda i=i: slider.slider.setValue(i), settle_ms=50))
    t1 = time.perf_counter()
    out["stalls_shadow_scrub"] = _gaps(ticks, t0, t1)
    out["shadow_step_ms_median"] = float(np.median([s["ms"] for s in steps]))
    out["shadow_step_ms_max"] = float(max(s["ms"] for s in steps))
    out["shadow_step_renders"] = sorted({s["renders"] for s in steps})

    lod_layer, *_ = open_layer(multi_lod)
    n_fin = len(finished)
    out["lod_switch"] = action(lambda: win._on_lod(lod_layer.key, "1.2"))
    wait(lambda: job_done("", n_fin))

    n_fin = len(finished)
    t0 = time.perf_counter()
    win.export_model(tmp / "district.city.json", layer.key)
    wait(lambda: job_done("export", n_fin))
    t1 = time.perf_counter()
    out["export_status"] = job_done("export", n_fin)[1]
    out["stalls_export_model"] = _gaps(ticks, t0, t1 + 0.3)
    out["peak_rss_mb"] = round(_hwm_mb(), 1)
    timer.stop()
    win.close()
    shutil.rmtree(tmp, ignore_errors=True)
    return out


# -- the floor's child: plain pyvista -----------------------------------------------------------

def child_floor(district: str, width: int = SIZE[0], height: int = SIZE[1]) -> dict:
    import numpy as np
    import pyvista as pv

    from citytwin.io.registry import read

    t0 = time.perf_counter()
    tri = read(district).triangulate()
    t_parse = time.perf_counter() - t0
    mesh = pv.PolyData.from_regular_faces((tri.vertices - tri.origin).astype(np.float32), tri.triangles)
    p = pv.Plotter(window_size=[int(width), int(height)])  # the app's viewport size: same pixels
    p.add_mesh(mesh, color="lightgrey")
    p.view_isometric()
    p.show(auto_close=False, interactive=False)
    p.render()
    first = time.perf_counter() - t0
    frames = []
    for _ in range(ORBIT_FRAMES):
        p.camera.Azimuth(15)
        t = time.perf_counter()
        p.render()
        frames.append(time.perf_counter() - t)
    out = {"first_frame_s": round(first, 2), "parse_triangulate_s": round(t_parse, 2),
           "triangles": int(len(tri.triangles)), "peak_rss_mb": round(_hwm_mb(), 1),
           "orbit_frame_ms_median": round(float(np.median(frames)) * 1000, 1),
           "orbit_frame_ms_max": round(float(max(frames)) * 1000, 1), "window_size": [int(width), int(height)]}
    p.close()
    return out


def run_child(*args: str, cache_dir: str) -> dict:
    env = dict(os.environ, CITYTWIN_CACHE_DIR=cache_dir)
    res = subprocess.run([sys.executable, __file__, "--child", *args], capture_output=True, text=True,
                         env=env, timeout=7200)
    if res.returncode != 0:
        return {"error": res.stderr[-2000:]}
    return json.loads(res.stdout.strip().splitlines()[-1])


def subset_of(district: Path) -> Path:
    """The district's objects in a box of 3x3 grid cells at its middle (``citytwin convert --bbox``)."""
    import re

    out = CACHE / (district.name.split(".")[0] + "-selection.city.json")
    if out.exists():
        return out
    with open(district, "rb") as f:  # make_district writes the metadata first
        ext = [float(x) for x in re.search(rb'"geographicalExtent":\[([^\]]*)\]', f.read(65536)).group(1).split(b",")]
    cx, cy = (ext[0] + ext[3]) / 2, (ext[1] + ext[4]) / 2
    half = 60.0  # the grid step is ~40 m
    subprocess.run([sys.executable, "-m", "citytwin", "convert", str(district), str(out), "--quiet",
                    "--bbox", f"{cx - half},{cy - half},{cx + half},{cy + half}"], check=True)
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=1)
    ap.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    ap.add_argument("--district", default=os.environ.get("CITYTWIN_BENCH_DISTRICT", "district"),
                    help="make_district preset (district8: a quick run; env CITYTWIN_BENCH_DISTRICT)")
    args = ap.parse_args()
    if args.child:
        mode, *rest = args.child
        res = child_floor(*rest) if mode == "floor" else child_app(*rest[:3], reopen=mode == "reopen")
        print(json.dumps(res))
        return
    if not os.environ.get("DISPLAY") and shutil.which("xvfb-run"):
        raise SystemExit(subprocess.run(["xvfb-run", "-a", "-s", "-screen 0 1600x1000x24", sys.executable,
                                         __file__, *sys.argv[1:]]).returncode)
    district = build(args.district)
    subset = subset_of(district)
    multi = SHARED / "cityjson" / "multi_lod_v2.0.city.json"
    print(f"district: {district.name} ({district.stat().st_size / 1e6:.0f} MB); selection: {subset.name}", flush=True)
    WORK.mkdir(parents=True, exist_ok=True)
    res: dict = {"load_average_start": load_average(), "floor": [], "app": [], "reopen": []}
    with tempfile.TemporaryDirectory(prefix="citytwin-bench-cache-") as cache:
        size = [str(x) for x in SIZE]
        for i in range(args.repeat):
            fresh = str(Path(cache) / f"run{i}")  # an empty triangle cache, then the one it filled
            res["app"].append(run_child("app", str(district), str(subset), str(multi), cache_dir=fresh))
            print("app:", res["app"][-1], "load", load_average(), flush=True)
            size = [str(x) for x in res["app"][-1].get("viewport_size", size)]
            res["floor"].append(run_child("floor", str(district), *size, cache_dir=cache))
            print("floor:", res["floor"][-1], "load", load_average(), flush=True)
            res["reopen"].append(run_child("reopen", str(district), str(subset), str(multi), cache_dir=fresh))
            print("reopen (triangle cache):", res["reopen"][-1], "load", load_average(), flush=True)
            res["floor"].append(run_child("floor", str(district), *size, cache_dir=cache))
            print("floor:", res["floor"][-1], "load", load_average(), flush=True)
    res["load_average_end"] = load_average()
    ok_f = [f for f in res["floor"] if "error" not in f]
    ok_a = [a for a in res["app"] if "error" not in a]
    if ok_f and ok_a:
        f = min(ok_f, key=lambda r: r["first_frame_s"])
        fo = min(r["orbit_frame_ms_median"] for r in ok_f)
        a = min(ok_a, key=lambda r: r["first_frame_s"])
        ao = min(r["orbit_frame_ms_median"] for r in ok_a)
        ro = [r for r in res["reopen"] if "error" not in r]
        res["ratios"] = {
            "first_frame_over_floor": round(a["first_frame_s"] / f["first_frame_s"], 2),
            "peak_rss_over_floor": round(a["peak_rss_mb"] / f["peak_rss_mb"], 2),
            "orbit_frame_over_floor": round(ao / fo, 2),
            "reopen_first_frame_over_floor": round(min(r["first_frame_s"] for r in ro) / f["first_frame_s"], 2) if ro else None,
        }
        res["targets"] = {"stall_max_ms <": 100, "stall_p99_ms <": 50, "click_ms <": 100, "color_ms <": 500,
                          "shadow_step_ms <": 100, "orbit_frame_over_floor <=": 1.2, "first_frame_s <": 3,
                          "peak_rss_mb <": 1024, "reopen_first_frame_s <": 2, "renders per action ==": 1}
        print("ratios:", res["ratios"])
    save_results("gui_district", res)


if __name__ == "__main__":
    main()
