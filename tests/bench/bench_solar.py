"""Benchmark of the solar engine (run as a script: ``python tests/bench/bench_solar.py``).

One run, one real scene (Delft, 160 LoD1 buildings with terrain, roads and vegetation from
../shared/data), about 100,000 sample points on roofs and walls, the Amsterdam EPW:

1. end-to-end rays/s of ``run_solar`` against the floor: the bare ``test_occlusions`` time on
   the very same rays (measured inside the run);
2. the annual study of ~100k points in seconds (target: under 3 minutes on this 2-core machine);
3. peak RSS with 1 and 3 years of hourly steps for the same points (must not grow);
4. side by side on a random subset of the same points: Radiance (gendaymtx + rcontrib, ad 8192
   as the reference, ad 1024 as the fast setting) and ladybug-radiance's ``RadiationStudy``
   (Tregenza sky, rcontrib intersection matrix): speed per point and accuracy vs the reference.

Figures are printed and written to ``tests/bench/results/solar.json``.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
sys.path.insert(0, str(ROOT / "tests" / "analysis"))
SHARED = next((p for p in [Path(os.environ.get("CITYTWIN_SHARED_DATA", "/nonexistent")),
                            *(q / "shared" / "data" for q in ROOT.parents)] if p.exists()),
              ROOT.parent / "shared" / "data")
SCENE = SHARED / "cityjson" / "delft_v2.0.city.json"
EPW = ROOT / "tests" / "data" / "weather" / "NLD_Amsterdam062400_IWEC.epw"
TARGET_POINTS = int(os.environ.get("BENCH_SOLAR_POINTS", "100000"))
SUBSET = int(os.environ.get("BENCH_SOLAR_SUBSET", "400"))


def rmse_rel(a: np.ndarray, ref: np.ndarray) -> float:
    m = ref > 1.0
    return float(np.sqrt(np.mean((a[m] - ref[m]) ** 2)) / ref[m].mean())


def bias_rel(a: np.ndarray, ref: np.ndarray) -> float:
    m = ref > 1.0
    return float((a[m] - ref[m]).mean() / ref[m].mean())


def pick_resolution(model) -> float:
    from citytwin.analysis.sampling import sample_triangles, select_triangles

    mesh = model.triangulate()
    mask = select_triangles(mesh, ("roof", "wall"))
    n1 = len(sample_triangles(mesh, mask, 1.0))
    res = float(np.sqrt(n1 / TARGET_POINTS))
    for _ in range(4):
        n = len(sample_triangles(mesh, mask, res))
        if abs(n - TARGET_POINTS) < 0.1 * TARGET_POINTS:
            break
        res *= float(np.sqrt(n / TARGET_POINTS))
    return res


def memory_probe(years: int, n_points: int) -> float:
    """Peak RSS (MB) of a child process tracing ``n_points`` over ``years`` of hourly steps."""
    import citytwin

    PKG_PARENT = str(Path(citytwin.__file__).parent.parent)  # noqa: N806 - the folder holding citytwin
    code = f"""
import resource, sys, numpy as np, pandas as pd
sys.path.insert(0, {PKG_PARENT!r})
from citytwin.io.registry import read
from citytwin.analysis.sampling import sample_triangles, select_triangles
from citytwin.analysis.raycast import scene_from_mesh
from citytwin.analysis.weather import read_weather, Weather
from citytwin.analysis.irradiance import compute_irradiation
m = read({str(SCENE)!r}); mesh = m.triangulate()
s = sample_triangles(mesh, select_triangles(mesh, ("roof", "wall")), 1.0)
idx = np.linspace(0, len(s) - 1, {n_points}).astype(int)
w = read_weather({str(EPW)!r})
k = {years}
cat = lambda a: np.concatenate([a] * k)
times = w.times
for i in range(1, k):
    times = times.append(w.times + pd.Timedelta(days=365 * i))
w = Weather(times, cat(w.ghi), cat(w.dni), cat(w.dhi), cat(w.zenith), cat(w.azimuth), w.latitude,
            w.longitude, w.tz_hours, w.source, cat(w.dni_extra))
sc = scene_from_mesh(mesh); sc.warm_up()
import tracemalloc
base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
tracemalloc.start()
r = compute_irradiation(s.points[idx] - mesh.origin, s.normals[idx], sc, w)
traced_peak = tracemalloc.get_traced_memory()[1]
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(base / 1024, peak / 1024, len(w), r.rays, traced_peak / 2**20)
"""
    env = dict(os.environ)
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True)
    base, peak, steps, rays, traced = out.stdout.split()
    return float(peak), float(base), int(steps), float(traced)


def ladybug_study(points: np.ndarray, normals: np.ndarray, vertices: np.ndarray, triangles: np.ndarray,
                  epw: Path, workdir: Path):
    """ladybug-radiance RadiationStudy on the same points; returns (kWh/m2 (N,), seconds) or an error."""
    import pyradiance

    rad = Path(pyradiance.__file__).parent
    os.environ["PATH"] = str(rad / "bin") + os.pathsep + os.environ.get("PATH", "")
    os.environ["RAYPATH"] = os.pathsep.join([".", str(rad / "lib")])
    from ladybug_radiance.config import folders

    folders.radiance_path = str(rad)
    import ladybug_radiance.intersection as lbi
    import ladybug_radiance.skymatrix as lbs
    from ladybug_geometry.geometry3d import Mesh3D, Point3D
    from ladybug_radiance.study.radiation import RadiationStudy

    b = rad / "bin"
    lbs.GENDAYMTX_EXE, lbi.OCONV_EXE, lbi.RCONTRIB_EXE = str(b / "gendaymtx"), str(b / "oconv"), str(b / "rcontrib")
    lbi.OBJ2MESH_EXE = str(b / "obj2mesh")
    t0 = time.perf_counter()
    # one tiny triangle per sample point, centred on it, facing its normal
    e = 0.01
    verts, faces = [], []
    for i, (p, n) in enumerate(zip(points, normals)):
        u = np.cross(n, [0, 0, 1.0]) if abs(n[2]) < 0.9 else np.cross(n, [1.0, 0, 0])
        u /= np.linalg.norm(u)
        v = np.cross(n, u)
        c = [p + e * u, p + e * (-0.5 * u + 0.866 * v), p + e * (-0.5 * u - 0.866 * v)]
        verts.extend(Point3D(*map(float, q)) for q in c)
        faces.append((3 * i, 3 * i + 1, 3 * i + 2))
    study = Mesh3D(verts, faces)
    context = Mesh3D([Point3D(*map(float, q)) for q in vertices], [tuple(map(int, t)) for t in triangles])
    sky = lbs.SkyMatrix.from_epw(str(epw), high_density=True, ground_reflectance=0.2)
    st = RadiationStudy(sky, study, [context], offset_distance=0.0, sim_folder=str(workdir))
    vals = np.array(st.radiation_values, float)  # kWh/m2
    return vals, time.perf_counter() - t0


def main() -> int:
    from citytwin.io.registry import read

    if not SCENE.exists():
        print(f"bench_solar: scene {SCENE} not present; nothing measured")
        return 0
    out: dict = {"scene": str(SCENE.name), "weather": EPW.name}
    model = read(SCENE)
    results = HERE / "results" / "solar.json"
    if "--memory-only" in sys.argv and results.exists():
        out = json.loads(results.read_text())
        memory_part(out)
        results.write_text(json.dumps(out, indent=1, default=float))
        return 0
    if "--peers-only" in sys.argv and results.exists():
        # re-use the main figures of the last full run; sample the same points again (deterministic)
        from citytwin.analysis.scene import prepare_scene

        out = json.loads(results.read_text())
        mesh, samples, _, _ = prepare_scene(model, ("roof", "wall"), out["resolution_m"], 0.05, None, 0)
        points, normals, n, wall = samples.points, samples.normals, len(samples), out["annual_study_seconds"]
    else:
        points, normals, n, wall = main_study(model, out)
        (HERE / "results").mkdir(exist_ok=True)
        results.write_text(json.dumps(out, indent=1, default=float))
        memory_part(out)
        results.write_text(json.dumps(out, indent=1, default=float))
    peers(model, points, normals, n, wall, out)
    results.write_text(json.dumps(out, indent=1, default=float))
    return 0


def main_study(model, out: dict):
    import resource

    from citytwin.app.commands.solar import SolarOptions, run_solar

    res_m = pick_resolution(model)
    t0, c0 = time.perf_counter(), time.process_time()
    res = run_solar(model, SolarOptions(weather=EPW, resolution=res_m))
    wall, cpu = time.perf_counter() - t0, time.process_time() - c0
    info = res.info
    n = len(res.points)
    rays = info["rays"]
    out.update({
        "points": n, "resolution_m": round(res_m, 4), "triangles": len(model.triangulate()),
        "annual_study_seconds": round(wall, 2), "under_3_minutes": wall < 180.0,
        "annual_study_cpu_seconds": round(cpu, 2), "sky_model": info["sky_model"],
        "rays_per_point": round(rays / max(n, 1)),
        "load_average_1min": round(os.getloadavg()[0], 2), "cpus": os.cpu_count(),
        "rays": rays, "end_to_end_rays_per_s": round(rays / wall), "tracing_stage_seconds": info["trace_seconds"],
        "embree_seconds": info["embree_seconds"], "bare_test_occlusions_rays_per_s": round(rays / info["embree_seconds"]),
        "ratio_end_to_end_vs_bare": round(info["embree_seconds"] / wall, 3),
        "ratio_tracing_stage_vs_bare": round(info["embree_seconds"] / info["trace_seconds"], 3),
        "peak_rss_mb_main": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "mean_kwh_m2": res.summary()["mean_kwh_m2"],
    })
    print(f"{n:,} points at {res_m:.2f} m, {rays / 1e6:.0f} M rays: annual study {wall:.1f} s "
          f"({'under' if wall < 180 else 'OVER'} 3 min, load average {os.getloadavg()[0]:.1f} on "
          f"{os.cpu_count()} cores; CPU time {cpu:.1f} s over all threads); "
          f"end-to-end {rays / wall / 1e6:.2f} Mrays/s vs bare "
          f"test_occlusions {rays / info['embree_seconds'] / 1e6:.2f} Mrays/s on the same rays = "
          f"{out['ratio_end_to_end_vs_bare']:.2f} (tracing stage alone {out['ratio_tracing_stage_vs_bare']:.2f})")
    return res.points, res.normals, n, wall


def memory_part(out: dict) -> None:
    # memory must not grow with the number of time steps
    try:
        p1, b1, s1, t1 = memory_probe(1, 5000)
        p3, b3, s3, t3 = memory_probe(3, 5000)
        out.update({"rss_peak_mb_1_year": round(p1, 1), "rss_peak_mb_3_years": round(p3, 1),
                    "rss_growth_mb_1_to_3_years": round((p3 - b3) - (p1 - b1), 1), "steps": [s1, s3],
                    "compute_alloc_peak_mb_1_year": round(t1, 1), "compute_alloc_peak_mb_3_years": round(t3, 1)})
        print(f"5,000 points: {s1} steps peak RSS {p1:.0f} MB (compute allocations peak {t1:.0f} MB), "
              f"{s3} steps {p3:.0f} MB ({t3:.0f} MB)")
    except subprocess.CalledProcessError as exc:
        out["memory_probe_error"] = exc.stderr[-500:]



def peers(model, points, normals, n: int, wall: float, out: dict) -> None:
    # peers on a subset of the same points
    import tempfile

    import radiance_ref
    from citytwin.analysis.irradiance import compute_irradiation
    from citytwin.analysis.raycast import scene_from_mesh
    from citytwin.analysis.weather import read_weather

    mesh = model.triangulate()
    rng = np.random.default_rng(7)
    sub = np.sort(rng.choice(n, size=min(SUBSET, n), replace=False))
    pts = points[sub] - mesh.origin
    nrm = normals[sub]
    v = mesh.vertices - mesh.origin
    w = read_weather(EPW)  # the weather file's site, as Radiance and ladybug use it
    # Terrain-like objects (roads, land use, water, plant cover) are left out of every scene of the
    # comparison: Radiance's and ladybug's ground is gendaymtx's ground glow, as our reflecting
    # ground is (with terrain in the scene they would see black terrain and no reflected light).
    from citytwin.analysis.sampling import GROUND_TYPES

    is_g = np.array([t in GROUND_TYPES for t in mesh.object_types], bool)[mesh.object_index]
    tris = mesh.triangles[~is_g]
    sc = scene_from_mesh(mesh, ~is_g)
    sc.warm_up()
    gsc = sc
    out["peer_scene_triangles"] = int(len(tris))
    t1 = time.perf_counter()
    ours = compute_irradiation(pts, nrm, sc, w, ground_scene=gsc).annual
    t_ours_sub = time.perf_counter() - t1
    # the other sky model (Radiance's own all-weather sky) on the same points, for the record
    ours_aw = compute_irradiation(pts, nrm, sc, w, ground_scene=gsc, sky_model="allweather").annual
    tmp = Path(tempfile.mkdtemp(prefix="bench-solar-"))
    t1 = time.perf_counter()
    ref, tm_ref = radiance_ref.annual_irradiation(v, tris, pts, nrm, EPW, ad=8192, workdir=tmp / "ref")
    t_ref = time.perf_counter() - t1
    (tmp / "fast").mkdir()
    t1 = time.perf_counter()
    fast, tm_fast = radiance_ref.annual_irradiation(v, tris, pts, nrm, EPW, ad=1024, workdir=tmp / "fast")
    t_fast = time.perf_counter() - t1
    per_pt_ours = wall / n
    out["subset_points"] = len(sub)
    out["ours_vs_radiance_ad8192"] = {"rmse_rel": round(rmse_rel(ours, ref), 4), "bias_rel": round(bias_rel(ours, ref), 4)}
    out["ours_allweather_sky_vs_radiance_ad8192"] = {"rmse_rel": round(rmse_rel(ours_aw, ref), 4),
                                                     "bias_rel": round(bias_rel(ours_aw, ref), 4)}
    out["radiance_ad1024_vs_ad8192"] = {"rmse_rel": round(rmse_rel(fast, ref), 4), "bias_rel": round(bias_rel(fast, ref), 4)}
    out["seconds_per_point"] = {"ours_full_run": per_pt_ours, "ours_subset": t_ours_sub / len(sub),
                                "radiance_ad8192": t_ref / len(sub), "radiance_ad1024": t_fast / len(sub)}
    out["speed_ratio_ours_vs_radiance_ad8192"] = round((t_ref / len(sub)) / per_pt_ours, 1)
    out["speed_ratio_ours_vs_radiance_ad1024"] = round((t_fast / len(sub)) / per_pt_ours, 1)
    print(f"Radiance rcontrib ad 8192 (reference): {t_ref / len(sub) * 1000:.1f} ms/point; ad 1024: "
          f"{t_fast / len(sub) * 1000:.1f} ms/point; ours {per_pt_ours * 1000:.2f} ms/point -> ours is "
          f"{out['speed_ratio_ours_vs_radiance_ad8192']}x / {out['speed_ratio_ours_vs_radiance_ad1024']}x faster")
    print(f"accuracy vs reference: ours RMSE {out['ours_vs_radiance_ad8192']['rmse_rel']:.2%} "
          f"(bias {out['ours_vs_radiance_ad8192']['bias_rel']:+.2%}; with the all-weather sky "
          f"{out['ours_allweather_sky_vs_radiance_ad8192']['rmse_rel']:.2%}); Radiance ad 1024 RMSE "
          f"{out['radiance_ad1024_vs_ad8192']['rmse_rel']:.2%}")
    try:
        (tmp / "lb").mkdir()
        lb, t_lb = ladybug_study(pts, nrm, v,
                                 tris, EPW, tmp / "lb")
        out["ladybug_radiance_vs_radiance_ad8192"] = {"rmse_rel": round(rmse_rel(lb, ref), 4),
                                                      "bias_rel": round(bias_rel(lb, ref), 4)}
        out["seconds_per_point"]["ladybug_radiance"] = t_lb / len(sub)
        out["speed_ratio_ours_vs_ladybug_radiance"] = round((t_lb / len(sub)) / per_pt_ours, 1)
        print(f"ladybug-radiance RadiationStudy: {t_lb / len(sub) * 1000:.1f} ms/point "
              f"(ours {out['speed_ratio_ours_vs_ladybug_radiance']}x faster), RMSE vs reference "
              f"{out['ladybug_radiance_vs_radiance_ad8192']['rmse_rel']:.2%} "
              f"(bias {out['ladybug_radiance_vs_radiance_ad8192']['bias_rel']:+.2%})")
    except Exception as exc:  # report, do not hide
        out["ladybug_radiance_error"] = f"{type(exc).__name__}: {exc}"[:500]
        print(f"ladybug-radiance: not run ({out['ladybug_radiance_error']})")


if __name__ == "__main__":
    raise SystemExit(main())
