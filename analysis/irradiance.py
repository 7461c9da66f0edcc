"""Annual and monthly irradiation of sample points: direct sun, Perez sky, ground reflection.

Method (see GUIDE section 7):

- direct: for every hour with the sun up and DNI > 0, one ray per point towards the *real* sun
  position at mid-hour; ``E = DNI * cos(incidence)`` where the ray escapes;
- diffuse: one ray per point and Reinhart sky patch (MF >= 4); the visible, cosine-weighted
  solid angles are multiplied with the monthly sums of the sky radiance of each patch (a
  cumulative sky: the hourly sky never has to be traced hour by hour). Two sky models
  (:data:`~citytwin.analysis.sky.SKY_MODELS`):

  * ``"perez1990"`` (default): the Perez et al. (1990) diffuse model, pvlib's transposition,
    laid out as light sources (:func:`~citytwin.analysis.sky.perez1990_sky`): an isotropic
    sky and a horizon band on the patches, and the circumsolar part as a point source at the
    sun, traced with the sun ray. An unshaded plane of any tilt gets pvlib's ``poa_sky_diffuse``
    (within 0.1% a year); against Radiance (gendaymtx + rcontrib) the shaded Delft points agree
    within ~1% RMSE.
  * ``"allweather"``: the Perez all-weather sky distribution (as Radiance's gendaymtx) at the
    patch centres. Same horizontal DHI, but its broad circumsolar region gives a vertical south
    wall ~6% more and a north wall ~4% less diffuse light than Perez 1990 (Amsterdam IWEC),
    i.e. +2.7% / -3.0% of the wall's total; finer patches (MF 12) do not change that, it is
    the model, not the discretisation.
- vegetation (trees, plant cover), when given a separate scene: rays the buildings let through
  are traced against it, and those it stops carry the month's transmissivity (leaf-on/leaf-off,
  as UMEP SEBE) of the direct sun and of the sky patch;
- ground reflection: the ground is a Lambertian plane of reflectance ``albedo`` lit by GHI,
  seen through the lower hemisphere (mirrored patches) where the view is not blocked by
  buildings (rays are traced against the scene without terrain, which is the reflecting ground).

Rays are built in bounded chunks (at most :data:`RAY_CHUNK` per Embree call, and the points per
chunk shrink when there are many hours, so memory does not grow with the number of time steps).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from citytwin.analysis.raycast import RAY_CHUNK, OcclusionScene
from citytwin.analysis.sky import SKY_MODELS, SkyPatches, cumulative_sky, perez1990_sky, reinhart
from citytwin.analysis.weather import Weather
from citytwin.progress import ProgressArg, report

#: WMO threshold of direct normal irradiance for "sunshine", W/m2.
SUNSHINE_DNI = 120.0


@dataclass(frozen=True)
class Irradiation:
    """Irradiation per sample point.

    Attributes
    ----------
    monthly : (N, 12) float64, kWh/m2 per month (direct + diffuse + reflected)
    direct, diffuse, reflected : (N,) float64, annual parts, kWh/m2
    sun_hours : (N,) float64, hours of direct sun (sun visible, facing, DNI >= 120 W/m2)
    svf : (N,) float64, sky view factor (visible cosine-weighted sky over pi; 1 for an open roof,
        0.5 for an open wall)
    rays : number of rays traced
    embree_seconds : time spent inside Embree (``test_occlusions``) for these rays
    """

    monthly: np.ndarray
    direct: np.ndarray
    diffuse: np.ndarray
    reflected: np.ndarray
    sun_hours: np.ndarray
    svf: np.ndarray
    rays: int
    embree_seconds: float = 0.0

    @property
    def annual(self) -> np.ndarray:
        """(N,) float64, kWh/m2 per year."""
        return self.monthly.sum(axis=1)


def visible_rays(scene: OcclusionScene, origins: np.ndarray, directions: np.ndarray,
                 mask: np.ndarray) -> np.ndarray:
    """Visibility of every (direction, point) pair where ``mask`` is True.

    Rays are laid out direction by direction (parallel rays from spatially sorted points are
    coherent, which Embree traces fastest), in blocks of at most :data:`RAY_CHUNK` rays. Only the
    masked pairs are built: origins and directions are copied as whole 12-byte items (a boolean
    gather of the broadcast origins and a ``repeat`` of the directions), into one reused buffer.

    Parameters
    ----------
    origins : (C, 3) float32, local coordinates
    directions : (K, 3) float32 unit vectors
    mask : (K, C) bool, pairs to trace (others come back False)

    Returns
    -------
    (K, C) bool, True where the ray escapes the scene.
    """
    k, c = mask.shape
    vis = np.zeros((k, c), bool)
    if c == 0 or k == 0:
        return vis
    mask = np.ascontiguousarray(mask, dtype=bool)
    ov = np.ascontiguousarray(origins, dtype=np.float32).view("V12").reshape(c)
    dv = np.ascontiguousarray(directions, dtype=np.float32).view("V12").reshape(k)
    kb = max(1, RAY_CHUNK // c)
    counts_all = mask.sum(axis=1)
    most = max(int(counts_all[k0:k0 + kb].sum()) for k0 in range(0, k, kb))
    buf = np.empty((most, 6), np.float32)
    for k0 in range(0, k, kb):
        k1 = min(k, k0 + kb)
        counts = counts_all[k0:k1]
        nr = int(counts.sum())
        if nr == 0:
            continue
        m = mask[k0:k1]
        rays = buf[:nr]
        rv = rays.view("V12")  # (nr, 2): origin, direction
        rv[:, 0] = np.broadcast_to(ov, m.shape)[m]
        rv[:, 1] = np.repeat(dv[k0:k1], counts)
        hit = scene.occluded_rays(rays)
        vis[k0:k1][m] = ~hit
    return vis


def compute_irradiation(origins: np.ndarray, normals: np.ndarray, scene: OcclusionScene,
                        weather: Weather, albedo: float = 0.2, sky_mf: int = 4, ground_mf: int = 1,
                        ground_scene: OcclusionScene | None = None, progress: ProgressArg | None = None,
                        sky_model: str = "perez1990", veg_scene: OcclusionScene | None = None,
                        veg_transmissivity: np.ndarray | None = None) -> Irradiation:
    """Irradiation of points over the weather's year.

    Parameters
    ----------
    origins : (N, 3) float, local coordinates of the (offset) sample points
    normals : (N, 3) float, unit outward normals
    scene : occluders (whole model)
    weather : hourly weather with sun positions
    albedo : ground reflectance (0..1)
    sky_mf, ground_mf : Reinhart subdivisions of the sky and of the mirrored ground hemisphere
    ground_scene : occluders for ground-reflected light (default: ``scene``)
    progress : :class:`~citytwin.progress.ProgressReporter` (or ``fn(fraction)``); may raise Cancelled
    sky_model : ``"perez1990"`` (pvlib's transposition as light sources) or ``"allweather"``
        (Radiance's gendaymtx sky); see the module docstring
    veg_scene : semi-transparent occluders (vegetation), traced for the rays ``scene`` lets through
    veg_transmissivity : (12,) float, share of the light through ``veg_scene`` per month
        (direct sun and sky; the sky view factor and sun hours count vegetation as blocking)
    """
    if sky_model not in SKY_MODELS:
        raise ValueError(f"unknown sky model {sky_model!r} (expected one of {', '.join(SKY_MODELS)})")
    n = len(origins)
    origins = np.ascontiguousarray(origins, dtype=np.float32)
    normals = np.asarray(normals, dtype=np.float64)
    ground_scene = ground_scene or scene
    scenes_used = [scene] + ([ground_scene] if ground_scene is not scene else []) + \
        ([veg_scene] if veg_scene is not None else [])
    rays0 = sum(x.rays_traced for x in scenes_used)
    secs0 = sum(x.trace_seconds for x in scenes_used)
    tau = np.ones(12) if veg_transmissivity is None else np.asarray(veg_transmissivity, float)

    months = weather.months - 1
    sunv = weather.sun_vectors()
    # direct: hours with the sun up and beam light
    beam = weather.sun_up & (weather.dni > 0)
    dh = np.nonzero(beam)[0]
    sun_dirs = sunv[dh].astype(np.float32)
    dni = weather.dni[dh]
    onehot = np.zeros((len(dh), 12))
    onehot[np.arange(len(dh)), months[dh]] = 1.0
    sunny = (dni >= SUNSHINE_DNI).astype(np.float64)

    sky = reinhart(sky_mf)
    if sky_model == "perez1990":
        sky_rad, cs_all = perez1990_sky(sky, sunv, weather.zenith, weather.dni, weather.dhi,
                                        weather.dni_extra, beam, months, 12)  # (12, P) Wh/(m2 sr)
        circumsolar = cs_all[dh]  # W/m2 normal to the sun, traced with the sun ray
    else:
        sky_rad = cumulative_sky(sky, sunv, weather.zenith, weather.dni, weather.dhi, weather.dni_extra,
                                 months, 12)  # (12, P) Wh/(m2 sr)
        circumsolar = np.zeros(len(dh))
    sun_weights = np.hstack([onehot * dni[:, None], onehot * circumsolar[:, None]])  # (Hs, 24) W/m2
    ground = reinhart(ground_mf).flipped()
    ghi_month = np.bincount(months, weights=weather.ghi, minlength=12)
    ground_rad = albedo * ghi_month / np.pi  # (12,) Wh/(m2 sr)

    monthly = np.zeros((n, 12))
    direct = np.zeros(n)
    diffuse = np.zeros(n)
    reflected = np.zeros(n)
    sun_hours = np.zeros(n)
    svf = np.zeros(n)

    # everything below is in direction-major (K, C) float32 layout, as the rays are traced
    sky_d32 = sky.directions.astype(np.float32)
    sky_w = sky.solid_angles.astype(np.float32)[:, None]
    sky_rad32 = sky_rad.astype(np.float32)
    g_d32 = ground.directions.astype(np.float32)
    g_w = ground.solid_angles.astype(np.float32)[:, None]
    sun_w32 = np.ascontiguousarray(sun_weights.T, dtype=np.float32)  # (24, Hs)
    sun_w_tau32 = np.ascontiguousarray((sun_weights * tau[months[dh]][:, None]).T, dtype=np.float32)
    tau32 = tau.astype(np.float32)
    sunny32 = sunny.astype(np.float32)
    widest = max(len(sky), len(dh), len(ground), 1)
    chunk = int(max(64, min(n, RAY_CHUNK // widest)))
    for start in range(0, n, chunk):
        stop = min(n, start + chunk)
        o = origins[start:stop]
        nr = normals[start:stop]
        nr32t = np.ascontiguousarray(nr.T, dtype=np.float32)  # (3, C)
        # diffuse sky: visible cosine-weighted solid angle of each patch, times its radiance
        cs = sky_d32 @ nr32t  # (P, C) cosines
        vis = visible_rays(scene, o, sky_d32, cs > 0)
        if veg_scene is not None:  # through the trees: the monthly transmissivity of the rest
            vv = visible_rays(veg_scene, o, sky_d32, vis)
            wv = cs * (vis & ~vv)
            wv *= sky_w
            vis &= vv
        w = cs * vis
        w *= sky_w
        dm = (sky_rad32 @ w).T.astype(np.float64)  # (C, 12) Wh/m2
        if veg_scene is not None:
            dm += ((sky_rad32 @ wv) * tau32[:, None]).T.astype(np.float64)
        svf[start:stop] = w.sum(axis=0, dtype=np.float64) / np.pi
        # ground reflection
        cg = g_d32 @ nr32t
        visg = visible_rays(ground_scene, o, g_d32, cg > 0)
        # the unobstructed ground view (1 - cos tilt) / 2 is exact; the patches only measure
        # which fraction of it is blocked (so a coarse ground subdivision costs no accuracy)
        cgp = np.maximum(cg, 0.0) * g_w
        seen = (cgp * visg).sum(axis=0, dtype=np.float64)
        full = cgp.sum(axis=0, dtype=np.float64)
        with np.errstate(invalid="ignore", divide="ignore"):
            frac = np.where(full > 0, seen / full, 0.0)
        view = np.pi * (1.0 - np.clip(nr[:, 2], -1.0, 1.0)) / 2.0  # integral of cos over the ground seen
        rm = (frac * view)[:, None] * ground_rad[None, :]
        # direct sun (and the circumsolar source, which shares the sun ray)
        if len(dh):
            cd = sun_dirs @ nr32t  # (Hs, C)
            visd = visible_rays(scene, o, sun_dirs, cd > 0)
            if veg_scene is not None:
                vvd = visible_rays(veg_scene, o, sun_dirs, visd)
                through = (sun_w_tau32 @ (cd * (visd & ~vvd))).T.astype(np.float64)
                visd &= vvd
            both = (sun_w32 @ (cd * visd)).T.astype(np.float64)  # (C, 24): beam, circumsolar per month
            if veg_scene is not None:
                both += through
            bm = both[:, :12]
            dm += both[:, 12:]
            sun_hours[start:stop] = sunny32 @ visd
        else:
            bm = np.zeros((stop - start, 12))
        monthly[start:stop] = (bm + dm + rm) / 1000.0
        direct[start:stop] = bm.sum(axis=1) / 1000.0
        diffuse[start:stop] = dm.sum(axis=1) / 1000.0
        reflected[start:stop] = rm.sum(axis=1) / 1000.0
        report(progress, stop / max(n, 1), f"{stop:,} of {n:,} points")
    rays = sum(x.rays_traced for x in scenes_used) - rays0
    secs = sum(x.trace_seconds for x in scenes_used) - secs0
    return Irradiation(monthly, direct, diffuse, reflected, sun_hours, svf, int(rays), float(secs))


def sky_view_factor(origins: np.ndarray, normals: np.ndarray, scene: OcclusionScene, mf: int = 6,
                    progress: ProgressArg | None = None) -> np.ndarray:
    """Sky view factor per point: the visible cosine-weighted sky over pi; (N,) float64.

    A point on open flat ground gets 1, an unobstructed vertical wall 0.5.
    """
    n = len(origins)
    origins = np.ascontiguousarray(origins, dtype=np.float32)
    sky: SkyPatches = reinhart(mf)
    out = np.zeros(n)
    chunk = int(max(64, RAY_CHUNK // len(sky)))
    d32 = sky.directions.astype(np.float32)
    om = sky.solid_angles.astype(np.float32)
    for start in range(0, n, chunk):
        stop = min(n, start + chunk)
        cs = d32 @ np.ascontiguousarray(np.asarray(normals[start:stop]).T, dtype=np.float32)  # (P, C)
        vis = visible_rays(scene, origins[start:stop], d32, cs > 0)
        out[start:stop] = (om @ (cs * vis)).astype(np.float64) / np.pi
        report(progress, stop / max(n, 1), f"{stop:,} of {n:,} points")
    return out
