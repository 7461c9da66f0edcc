"""Radiance reference for annual irradiation: gendaymtx (Perez sky matrix, MF 4) + rcontrib.

The classic daylight-coefficient method: ``rcontrib -I+ -ab 1`` collects, per sensor point, the
contribution of each Reinhart sky patch (and the ground hemisphere) through the scene (black,
non-reflecting surfaces, as our engine does); ``gendaymtx -A -O1`` gives the time-averaged solar
radiance of each patch with the sun spread into its nearest patches. Annual irradiation =
coefficients x average sky x hours. Programs come from the pyradiance wheel.
"""

from __future__ import annotations

import os
import subprocess
import tempfile
from pathlib import Path

import numpy as np


def radiance_bin() -> Path:
    import pyradiance

    binpath = Path(pyradiance.__file__).parent / "bin"
    os.environ["RAYPATH"] = os.pathsep.join([".", str(Path(pyradiance.__file__).parent / "lib")])
    return binpath


def _run(args: list[str], cwd: Path, stdin: bytes | None = None) -> bytes:
    res = subprocess.run(args, cwd=cwd, input=stdin, capture_output=True, check=False)
    if res.returncode != 0:
        raise RuntimeError(f"{Path(args[0]).name} failed ({res.returncode}): {res.stderr.decode()[:500]}")
    return res.stdout


def scene_rad(vertices: np.ndarray, triangles: np.ndarray, reflectance: np.ndarray | None = None) -> str:
    """Radiance scene text: plastic triangles (local coordinates), black or of the given
    per-triangle reflectance (grey, no specularity)."""
    rho = np.zeros(len(triangles)) if reflectance is None else np.asarray(reflectance, float)
    uniq = np.unique(np.round(rho, 4))
    lines = [f"void plastic m{i} 0 0 5 {r:g} {r:g} {r:g} 0 0" for i, r in enumerate(uniq)]
    mat = np.searchsorted(uniq, np.round(rho, 4))
    tv = vertices[triangles]
    for i, t in enumerate(tv):
        coords = " ".join(f"{c:.6f}" for c in t.ravel())
        lines.append(f"m{mat[i]} polygon t{i} 0 0 9 {coords}")
    return "\n".join(lines) + "\n"


SKY = ("void glow skyglow 0 0 4 1 1 1 0\n"
       "skyglow source skydome 0 0 4 0 0 1 180\n"
       "skyglow source grounddome 0 0 4 0 0 -1 180\n")


def annual_irradiation(vertices: np.ndarray, triangles: np.ndarray, points: np.ndarray,
                       normals: np.ndarray, epw: Path, albedo: float = 0.2, ad: int = 8192,
                       nproc: int = 2, workdir: Path | None = None, reflectance: np.ndarray | None = None,
                       ab: int = 1) -> tuple[np.ndarray, dict]:
    """Annual irradiation (kWh/m2) of points by Radiance; returns (values (N,), timings dict).

    ``reflectance`` (per triangle) and ``ab`` (ambient bounces: 1 = direct view of the sky only,
    2 = plus light reflected once by the buildings, ...) turn on inter-reflections.
    """
    import time

    b = radiance_bin()
    tmp = Path(workdir or tempfile.mkdtemp(prefix="citytwin-rad-"))
    tmp.mkdir(parents=True, exist_ok=True)
    timings = {}
    t0 = time.perf_counter()
    _run([str(b / "epw2wea"), str(epw), "w.wea"], tmp)
    nhours = sum(1 for line in (tmp / "w.wea").read_text().splitlines()[6:] if line.strip())
    sky = _run([str(b / "gendaymtx"), "-h", "-m", "4", "-O1", "-A", "-c", "1", "1", "1",
                "-g", str(albedo), str(albedo), str(albedo), "w.wea"], tmp)
    skyvec = np.array(sky.split(), float).reshape(-1, 3)[:, 0]
    timings["gendaymtx"] = time.perf_counter() - t0
    (tmp / "scene.rad").write_text(scene_rad(vertices, triangles, reflectance))
    (tmp / "sky.rad").write_text(SKY)
    oct_ = _run([str(b / "oconv"), "sky.rad", "scene.rad"], tmp)
    (tmp / "scene.oct").write_bytes(oct_)
    pts = "\n".join(f"{p[0]:.5f} {p[1]:.5f} {p[2]:.5f} {n[0]:.6f} {n[1]:.6f} {n[2]:.6f}"
                    for p, n in zip(points, normals)) + "\n"
    t1 = time.perf_counter()
    out = _run([str(b / "rcontrib"), "-h", "-I+", "-ab", str(ab), "-ad", str(ad),
                "-lw", "1e-6" if ab == 1 else "2e-4",
                "-n", str(nproc), "-fad", "-e", "MF:4", "-f", "reinhart.cal", "-b", "rbin",
                "-bn", "Nrbins", "-m", "skyglow", "scene.oct"], tmp, pts.encode())
    timings["rcontrib"] = time.perf_counter() - t1
    dc = np.frombuffer(out, dtype=np.float64).reshape(len(points), -1, 3)[:, :, 0]
    values = dc @ skyvec * nhours / 1000.0
    timings["rays"] = len(points) * ad
    return values, timings
