"""One bounce of light reflected by other buildings (inter-reflections), per month.

After the first pass every sampled surface knows its own monthly irradiation ``E`` (direct +
diffuse + ground-reflected). A Lambertian surface of reflectance ``rho`` then shines with radiance
``L = rho * E / pi``. For each sample point, rays in the directions of a Reinhart subdivision of
the whole sphere (sky patches and their mirror image below the horizon) find the first surface
they hit; the reflected irradiation is ``sum(cos * solid_angle * L_hit)`` over the directions.
Hits on terrain-like objects use the ground's own radiance (``albedo * GHI / pi``, as the ground
term); hits on roof or wall triangles that were not sampled (not in the analysed selection) use the mean
irradiation of the sampled triangles of the same kind, said in a note; downward faces (floors,
ground surfaces of buildings) are dark.

This is the first bounce only (light that bounced twice is left out: about ``rho`` times the
first bounce, i.e. a few percent of it), and it adds to the ground term, which already counts
light from the open ground.
"""

from __future__ import annotations

import numpy as np

from citytwin.progress import ProgressArg, report

#: Default reflectance per semantic class (broadband solar, diffuse): brick/plaster facades 0.3,
#: roofing (tiles, bitumen, gravel) 0.15, glass 0.1 (diffuse part), anything else 0.2.
DEFAULT_REFLECTANCE = {"WallSurface": 0.30, "RoofSurface": 0.15, "OuterCeilingSurface": 0.15,
                       "Window": 0.10, "Door": 0.30, "GroundSurface": 0.20, "": 0.20}


def reflectance_per_triangle(semantic_names: np.ndarray, kind: np.ndarray,
                             table: dict[str, float] | None = None) -> np.ndarray:
    """(T,) reflectance from each triangle's semantic type name (unsemantic: by kind)."""
    table = {**DEFAULT_REFLECTANCE, **(table or {})}
    fallback = np.array(["RoofSurface", "WallSurface", "GroundSurface", ""], dtype=object)[kind]
    names = np.where(semantic_names == "", fallback, semantic_names)
    uniq, inv = np.unique(names.astype(str), return_inverse=True)
    vals = np.array([table.get(u, table[""]) for u in uniq.tolist()])
    return vals[inv.reshape(-1)]


def one_bounce(origins: np.ndarray, normals: np.ndarray, scene, scene_triangles: np.ndarray,
               tri_radiance: np.ndarray, mf: int = 2, progress: ProgressArg | None = None) -> np.ndarray:
    """Monthly irradiation (N, 12) kWh/m2 reflected onto points by the surfaces they see.

    Parameters
    ----------
    origins : (N, 3) float32/64, local coordinates of the sample points
    normals : (N, 3) float64, unit normals
    scene : OcclusionScene of the reflecting surfaces (its ``first_hit``)
    scene_triangles : (S,) int64, the mesh triangle of each scene primitive
    tri_radiance : (T, 12) float64, monthly radiance of each mesh triangle, kWh/(m2 sr)
    mf : Reinhart subdivision of the directions (per hemisphere)
    """
    from citytwin.analysis.raycast import RAY_CHUNK
    from citytwin.analysis.sky import reinhart

    up = reinhart(mf)
    dirs = np.vstack([up.directions, up.flipped().directions])
    omega = np.concatenate([up.solid_angles, up.solid_angles])
    n = len(origins)
    out = np.zeros((n, 12))
    chunk = max(1, RAY_CHUNK // len(dirs))
    d32 = dirs.astype(np.float32)
    for start in range(0, n, chunk):
        stop = min(n, start + chunk)
        o = np.asarray(origins[start:stop], np.float32)
        cs = normals[start:stop] @ dirs.T  # (C, D)
        ci, di = np.nonzero(cs > 0)
        if len(ci):
            t, prim = scene.first_hit(o[ci], d32[di])
            hit = np.isfinite(t) & (prim >= 0)
            tri = scene_triangles[prim[hit]]
            w = cs[ci[hit], di[hit]] * omega[di[hit]]
            contrib = tri_radiance[tri] * w[:, None]  # (h, 12)
            for j in range(12):
                out[start:stop, j] += np.bincount(ci[hit], weights=contrib[:, j], minlength=stop - start)
        report(progress, stop / max(n, 1), f"reflections {stop:,} of {n:,} points")
    return out


def triangle_radiance(n_triangles: int, sample_triangle: np.ndarray, areas: np.ndarray, monthly: np.ndarray,
                      reflectance: np.ndarray, kind: np.ndarray, is_ground: np.ndarray,
                      ground_monthly: np.ndarray) -> tuple[np.ndarray, int]:
    """Monthly radiance (T, 12) kWh/(m2 sr) of every mesh triangle after the first pass.

    Parameters
    ----------
    sample_triangle : (N,) int64, triangle of each sample point
    areas : (N,) m2; monthly : (N, 12) kWh/m2 of the points
    reflectance : (T,) ; kind : (T,) 0 roof, 1 wall, 2 ground, 3 other ; is_ground : (T,) bool
    ground_monthly : (12,) kWh/m2, GHI per month (terrain hits: albedo * GHI / pi via reflectance)

    Returns
    -------
    (radiance, number of non-ground triangles without samples that took their kind's mean)
    """
    a = np.bincount(sample_triangle, weights=areas, minlength=n_triangles)
    e = np.stack([np.bincount(sample_triangle, weights=areas * monthly[:, j], minlength=n_triangles)
                  for j in range(12)], 1)
    have = a > 0
    e[have] /= a[have, None]
    missing = ~have & ~is_ground & (kind <= 1)  # downward faces and floors ("other") stay dark
    for k in (0, 1):
        sel = missing & (kind == k)
        src = have & (kind == k)
        if sel.any():
            e[sel] = (np.average(e[src], axis=0, weights=a[src]) if src.any() else 0.0)
    e[is_ground] = ground_monthly[None, :]
    return reflectance[:, None] * e / np.pi, int(missing.sum())
