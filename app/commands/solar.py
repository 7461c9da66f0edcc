"""``solar``: annual solar irradiation of roofs and walls with full 3D shading.

The compute step (:func:`run_solar`) reads nothing from the GUI and never changes the model; the
caller applies the result with :meth:`SolarResult.apply_to_model` (on the GUI thread).
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from citytwin.analysis.results import (KIND_TYPE, PVParams, pv_usable, root_objects, surface_keys,
                                       tilt_azimuth, type_names, weighted_mean)
from citytwin.app.commands.progress import Progress
from citytwin.errors import InputError, UsageError
from citytwin.semantics.model import CityModel


#: Said (CLI ``warning:``, summary, report, model metadata) when no weather file was given.
CLEAR_SKY_WARNING = ("no weather file given: the figures are for a clear-sky year (Ineichen), an upper bound "
                     "with no clouds (typically 1.5-2x a real year; PV cells at 20 degC air, 1 m/s wind); "
                     "give --weather FILE.epw for real figures")
#: Said when the clear-sky year was asked for explicitly.
CLEAR_SKY_NOTE = ("clear-sky year (Ineichen) asked for: the figures are an upper bound with no clouds; PV cells "
                  "modelled at 20 degC air, 1 m/s wind (a clear-sky year has no temperature)")


@dataclass(frozen=True)
class SolarOptions:
    """Options of a solar study.

    Attributes
    ----------
    weather : EPW or TMY3 file; None for a clear-sky year
    clear_sky : ask explicitly for the clear-sky year (an error together with ``weather``)
    weather_anywhere : use ``weather`` even when its station is far from the site or its time zone
        does not fit the site's longitude (otherwise an InputError)
    weather_time_offset : minutes added to the weather file's time stamps (a file found off the
        sun is said with the offset that corrects it)
    resolution : metres between sample points (about one point per resolution**2)
    surfaces : any of "roof", "wall", "ground", "all"
    albedo : ground reflectance 0..1
    latitude, longitude : site (degrees); default from the model's CRS, else the weather file
    sky_mf : Reinhart subdivision of the sky (>= 4)
    sky_model : "perez1990" (default: pvlib's Perez transposition as isotropic sky, horizon band
        and circumsolar source, all traced) or "allweather" (the Perez all-weather sky of
        Radiance's gendaymtx); see :mod:`citytwin.analysis.irradiance`
    ground_mf : Reinhart subdivision of the mirrored ground hemisphere
    offset : metres, sample points are lifted off their surface along the normal
    lod : LoD to analyse (default: each object's highest)
    reflections : add one bounce of light reflected by the buildings (and terrain) each point sees
    reflectance : (semantic type, reflectance) overrides of
        :data:`~citytwin.analysis.reflections.DEFAULT_REFLECTANCE`
    veg_transmissivity : (leaf-on, leaf-off) share of light through vegetation (trees, plant
        cover); 0.03 leaf-on is UMEP SEBE/SOLWEIG's default, 0.5 leaf-off a bare deciduous crown
    leaf_on_months : months (1-12, northern hemisphere; shifted six months in the south) with leaves
    pv : PV yield parameters
    year : year of the clear-sky series
    nthreads : Embree threads (0 = all cores)
    """

    weather: Path | None = None
    clear_sky: bool = False
    weather_anywhere: bool = False
    weather_time_offset: float = 0.0
    resolution: float = 1.0
    surfaces: tuple[str, ...] = ("roof", "wall")
    albedo: float = 0.2
    latitude: float | None = None
    longitude: float | None = None
    sky_mf: int = 4
    sky_model: str = "perez1990"
    ground_mf: int = 1
    offset: float = 0.05
    lod: str | None = None
    reflections: bool = False
    reflectance: tuple[tuple[str, float], ...] = ()
    veg_transmissivity: tuple[float, float] = (0.03, 0.5)
    leaf_on_months: tuple[int, ...] = (4, 5, 6, 7, 8, 9, 10)
    pv: PVParams = field(default_factory=PVParams)
    year: int = 2025
    nthreads: int = 0


@dataclass
class SolarResult:
    """Per point, per surface and per building results of a solar study.

    Attributes
    ----------
    points : (N, 3) float64, sample points (model CRS, offset along the normal)
    normals : (N, 3) float64
    areas : (N,) float64, m2 per point
    object_index : (N,) int32 into ``object_ids``
    surface_index : (N,) int64 into ``surfaces`` (the per-surface table)
    semantic_type : (N,) object, semantic type name per point
    annual_kwh_m2 : (N,) float64
    monthly_kwh_m2 : (N, 12) float64
    direct_kwh_m2, diffuse_kwh_m2, reflected_kwh_m2 : (N,) float64, annual parts
    sun_hours : (N,) float64, hours of direct sun per year
    svf : (N,) float64, sky view factor
    pv_usable : (N,) bool
    object_ids : list of str
    surfaces : list of dict, one per surface (object_id, geometry, surface, type, area_m2, ...)
    buildings : list of dict, one per top-level object
    info : weather source, location, rays, seconds, problems
    """

    points: np.ndarray
    normals: np.ndarray
    areas: np.ndarray
    object_index: np.ndarray
    surface_index: np.ndarray
    semantic_type: np.ndarray
    annual_kwh_m2: np.ndarray
    monthly_kwh_m2: np.ndarray
    direct_kwh_m2: np.ndarray
    diffuse_kwh_m2: np.ndarray
    reflected_kwh_m2: np.ndarray
    sun_hours: np.ndarray
    svf: np.ndarray
    pv_usable: np.ndarray
    object_ids: list[str]
    surfaces: list[dict]
    buildings: list[dict]
    info: dict[str, Any]
    surface_keys: np.ndarray = field(default_factory=lambda: np.zeros((0, 3), np.int64))

    def summary(self) -> dict[str, Any]:
        """The ``--json-summary`` object."""
        names = self.semantic_type
        mean = {}
        for t in sorted(set(names.tolist())):
            m = names == t
            a = self.areas[m].sum()
            mean[t] = round(float((self.annual_kwh_m2[m] * self.areas[m]).sum() / a), 2) if a > 0 else 0.0
        return {
            "points": int(len(self.points)),
            "surfaces": len(self.surfaces),
            "buildings": len(self.buildings),
            "area_m2": round(float(self.areas.sum()), 2),
            "annual_kwh_total": round(float((self.annual_kwh_m2 * self.areas).sum()), 1),
            "mean_kwh_m2": mean,
            "pv_kwh_total": round(float(sum(b["pv_kwh"] for b in self.buildings)), 1),
            "sun_hours_mean": round(float(np.average(self.sun_hours, weights=self.areas)), 1)
            if self.areas.sum() > 0 else 0.0,
            **self.info,
        }

    def apply_to_model(self, model: CityModel) -> None:
        """Store results as attributes: per semantic surface and per building (``solar_*``).

        Surface attributes go into the geometry's semantic surface objects (a semantic object
        shared by several analysed surfaces is split so each gets its own values); object
        attributes go into the top-level objects. Run on the thread that owns the model.
        """
        _apply_surfaces(model, self)
        for b in self.buildings:
            o = model.objects.get(b["building_id"])
            if o is None:
                continue
            o.attributes.update({
                "solar_annual_kwh": b["annual_kwh"], "solar_area_m2": b["area_m2"],
                "solar_roof_kwh_m2": b["roof_kwh_m2"], "solar_wall_kwh_m2": b["wall_kwh_m2"],
                "solar_pv_area_m2": b["pv_area_m2"], "solar_pv_kwh": b["pv_kwh"],
                "solar_sun_hours": b["sun_hours"], "solar_svf": b["svf"],
            })
        model.metadata.setdefault("citytwin", {})["solar"] = {
            k: v for k, v in self.info.items() if isinstance(v, (str, int, float))}


def _apply_surfaces(model: CityModel, res: SolarResult) -> None:
    by_geom: dict[tuple[int, int], list[int]] = {}
    for i, (oi, gi, _si) in enumerate(res.surface_keys.tolist()):
        by_geom.setdefault((oi, gi), []).append(i)
    for (oi, gi), rows in by_geom.items():
        obj = model.objects.get(res.object_ids[oi])
        if obj is None or gi >= len(obj.geometry):
            continue
        g = obj.geometry[gi]
        if g.is_instance or g.semantics is None:
            continue  # shared templates and unsemantic surfaces: object attributes only
        sem = g.semantics
        used = np.bincount(sem.values[sem.values >= 0], minlength=len(sem.surfaces))
        for r in rows:
            s = res.surfaces[r]
            j = int(s["surface"])
            if j >= len(sem.values) or sem.values[j] < 0:
                continue
            k = int(sem.values[j])
            if used[k] > 1:  # shared semantic object: give this surface its own copy
                new = {kk: vv for kk, vv in sem.surfaces[k].items() if kk != "children"}
                sem.surfaces.append(new)
                used[k] -= 1
                k = len(sem.surfaces) - 1
                sem.values[j] = k
                used = np.append(used, 1)
            sem.surfaces[k].update({
                "solar_annual_kwh_m2": s["annual_kwh_m2"], "solar_annual_kwh": s["annual_kwh"],
                "solar_monthly_kwh_m2": s["monthly_kwh_m2"], "solar_sun_hours": s["sun_hours"],
                "solar_svf": s["svf"], "solar_pv_kwh": s["pv_kwh"],
            })


# -- location and weather -------------------------------------------------------------------

def model_location(model: CityModel, options_lat: float | None = None,
                   options_lon: float | None = None) -> tuple[float, float, str] | None:
    """(latitude, longitude, source) of the model's centre, or None when it cannot be known."""
    if options_lat is not None or options_lon is not None:
        if options_lat is None or options_lon is None:
            raise UsageError("give both --latitude and --longitude")
        from citytwin.analysis.weather import validate_location

        validate_location(options_lat, options_lon)
        return float(options_lat), float(options_lon), "given"
    if model.crs is None or model.crs.is_local:
        return None
    from citytwin.semantics.crs import lonlat_of

    b = model.bbox()
    if not np.all(np.isfinite(b)):
        return None
    centre = np.array([[(b[0] + b[3]) / 2, (b[1] + b[4]) / 2, (b[2] + b[5]) / 2]])
    try:
        lon, lat = lonlat_of(centre, model.crs)[0]
    except UsageError:  # the file's coordinates do not fit its own CRS: a problem of the input
        raise InputError(model.source.get("path", "the model"), f"its centre ({centre[0, 0]:.6g}, {centre[0, 1]:.6g}) "
                         f"is outside the area of its CRS {model.crs}, so the site cannot be located; give "
                         "--latitude/--longitude, or --assign-crs with the CRS of its coordinates") from None
    return float(lat), float(lon), f"model CRS {model.crs}"


def load_weather(model: CityModel, options: SolarOptions, source_name: str = "model"):
    """The weather series for a study, checked against the model's site.

    Raises
    ------
    UsageError : both a weather file and clear sky asked for; no location at all
    InputError : malformed weather file, weather for another hemisphere
    """
    from citytwin.analysis.weather import check_site, clear_sky_year, read_weather

    if options.weather is not None and options.clear_sky:
        raise UsageError("give either --weather or --clear-sky, not both")
    loc = model_location(model, options.latitude, options.longitude)
    if options.weather is not None:
        w = read_weather(options.weather, time_offset_minutes=options.weather_time_offset,
                         default_location=None if loc is None else (loc[0], loc[1]))
        _say_weather_notes(model, w, Path(options.weather).name)
        if loc is None:
            return w, (w.latitude, w.longitude, "weather file")
        if not options.weather_anywhere:
            check_site(w, loc[0], loc[1], options.weather, site=f"{source_name} ({loc[2]})")
        if abs(w.latitude - loc[0]) < 1e-6 and abs(w.longitude - loc[1]) < 1e-6:
            return w, loc
        # the sun is computed for the model's site, with the file's irradiance and time zone
        from citytwin.analysis.weather import with_sun

        from dataclasses import replace as _replace

        s = with_sun(w.times, w.ghi, w.dni, w.dhi, loc[0], loc[1], w.tz_hours, w.source)
        return _replace(w, zenith=s.zenith, azimuth=s.azimuth, latitude=s.latitude, longitude=s.longitude,
                        dni_extra=s.dni_extra), loc
    if loc is None:
        raise UsageError(f"{source_name}: the model has no CRS and no location was given; give "
                         "--latitude/--longitude, a weather file, or assign a CRS")
    lat, lon, src = loc
    return clear_sky_year(lat, lon, year=options.year), loc


def _say_weather_notes(model: CityModel, w, name: str) -> None:
    """Report how the file was read and whether its irradiance is in time with the sun."""
    from citytwin.analysis.weather_timing import alignment_warning

    for note in w.notes:
        model.problems.report(name, note.split(": ", 1)[-1] if note.startswith(name) else note, "warning")
    if w.timing is not None:
        text = alignment_warning(w.timing, w.time_offset_minutes)
        if text:
            model.problems.report(name, text, "warning")


# -- the study ----------------------------------------------------------------------------

def check_options(options: SolarOptions) -> None:
    if not (0.0 <= options.albedo <= 1.0):
        raise UsageError(f"--albedo must be between 0 and 1 (got {options.albedo})")
    if options.resolution <= 0:
        raise UsageError(f"--resolution must be positive (got {options.resolution})")
    if options.sky_mf < 4:
        raise UsageError(f"the sky subdivision must be at least MF 4 (got {options.sky_mf})")
    if options.sky_model not in ("perez1990", "allweather"):
        raise UsageError(f"unknown sky model {options.sky_model!r} (perez1990 or allweather)")
    if not options.surfaces:
        raise UsageError("--surfaces is empty")
    if not all(0.0 <= t <= 1.0 for t in options.veg_transmissivity) or len(options.veg_transmissivity) != 2:
        raise UsageError(f"--veg-transmissivity needs two shares 0..1 (leaf-on, leaf-off), got "
                         f"{options.veg_transmissivity}")
    if not all(1 <= m <= 12 for m in options.leaf_on_months):
        raise UsageError(f"--leaf-on months must be 1..12 (got {options.leaf_on_months})")
    pv = options.pv
    if pv.model not in ("pvlib", "simple"):
        raise UsageError(f"unknown PV model {pv.model!r} (pvlib or simple)")
    if not (0 < pv.inverter_efficiency <= 1) or not (-0.02 <= pv.gamma_pdc <= 0) or \
            (pv.losses_percent is not None and not (0 <= pv.losses_percent < 100)):
        raise UsageError("--pv-inverter-efficiency must be in (0, 1], --pv-temp-coeff within -0.02..0 "
                         "per K and --pv-losses within 0..100 %")


def prepare_scene(model: CityModel, surfaces: tuple[str, ...], resolution: float, offset: float,
                  lod: str | None, nthreads: int, source_name: str = "model", split_vegetation: bool = False):
    """Triangulate, check, sample and build the Embree scenes.

    With ``lod`` None (each object's highest LoD) LoD 0 geometries (footprints, roof edges) are
    neither sampled nor traced: they are 2.5D outlines, not envelopes (3D BAG gives every Building
    an LoD 0 footprint and its BuildingParts the 3D shapes). An object left with nothing but LoD 0
    and no analysed part is reported as a warning. With ``lod="0"`` they are analysed, but an
    LoD 0 surface without semantics is never a roof (nor a wall).

    With ``split_vegetation`` the vegetation (:data:`~citytwin.analysis.sampling.VEGETATION_TYPES`)
    is left out of ``scene`` and built as ``scene.vegetation`` (an OcclusionScene, None without
    vegetation), for the solar study to trace as semi-transparent; otherwise trees are opaque.

    Returns
    -------
    (mesh, samples, scene, ground_scene)
    """
    from citytwin.analysis.raycast import scene_from_mesh
    from citytwin.analysis.sampling import VEGETATION_TYPES
    from citytwin.analysis.sampling import (classify_triangles, footprint_triangles, sample_triangles,
                                            select_triangles)

    if model.crs is not None and not model.crs.is_local and model.crs.is_geographic():
        raise InputError(source_name, f"the model is in a geographic CRS ({model.crs}, degrees); "
                         "reproject it to a projected CRS in metres first (citytwin convert --crs)")
    mesh = model.triangulate(lod=lod)
    if len(mesh) == 0:
        raise InputError(source_name, "the model has no surfaces to analyse")
    footprint = footprint_triangles(model, mesh)
    keep = ~footprint if lod is None else np.ones(len(mesh), bool)
    if lod is None and footprint.any():
        _report_lod0_only(model, mesh, footprint)
    mask = select_triangles(mesh, tuple(surfaces), footprint=footprint) & keep
    if not mask.any():
        hint = ""
        if lod is None and footprint.any():
            hint = ("; LoD 0 surfaces (footprints, roof edges) are not analysed unless asked for: "
                    "give --lod 0")
        elif footprint.any():
            hint = "; LoD 0 surfaces without semantics are footprints, never roofs or walls"
        try_all = "" if "all" in surfaces else "; try --surfaces all"
        raise InputError(source_name, f"no {'/'.join(surfaces)} surfaces found (the selection is "
                         f"empty{try_all}{hint})")
    samples = sample_triangles(mesh, mask, resolution, offset, footprint=footprint)
    veg = np.zeros(len(mesh), bool)
    if split_vegetation and mesh.object_types:
        veg = np.array([t in VEGETATION_TYPES for t in mesh.object_types], bool)[mesh.object_index] & keep
    opaque = keep & ~veg
    scene = scene_from_mesh(mesh, None if opaque.all() else opaque, nthreads=nthreads)
    scene.vegetation = scene_from_mesh(mesh, veg, nthreads=nthreads) if veg.any() else None
    kind = classify_triangles(mesh, footprint)
    from citytwin.analysis.sampling import GROUND_TYPES

    is_ground_obj = np.array([t in GROUND_TYPES for t in mesh.object_types], bool)[mesh.object_index] \
        if mesh.object_types else np.zeros(len(mesh), bool)
    ground_scene = scene
    if is_ground_obj.any():
        ground_scene = scene_from_mesh(mesh, ~is_ground_obj & keep, nthreads=nthreads)
        _check_below_terrain(model, mesh, samples, scene_from_mesh(mesh, is_ground_obj & (kind == 2) & keep,
                                                                   nthreads=nthreads))
    scene.warm_up()
    return mesh, samples, scene, ground_scene


def _report_lod0_only(model: CityModel, mesh, footprint: np.ndarray) -> None:
    """Warn about objects whose only surfaces are LoD 0 and that have no analysed descendant."""
    from citytwin.analysis.results import root_objects

    n_obj = len(mesh.object_ids)
    has_fp = np.bincount(mesh.object_index[footprint], minlength=n_obj) > 0
    has_3d = np.bincount(mesh.object_index[~footprint], minlength=n_obj) > 0
    parents = {o.id: o.parents for o in model.objects.values()}
    roots = root_objects(parents, list(mesh.object_ids))
    analysed_roots = {roots[i] for i in np.nonzero(has_3d)[0].tolist()}
    for i in np.nonzero(has_fp & ~has_3d)[0].tolist():
        if roots[i] not in analysed_roots:
            model.problems.report(mesh.object_ids[i], "only an LoD 0 footprint: not analysed for solar "
                                  "(give --lod 0 to analyse LoD 0 surfaces)", "warning")


def _check_below_terrain(model, mesh, samples, terrain_scene) -> None:
    """Report objects with sample points under the terrain surface (a ray up hits terrain)."""
    o = (samples.points - mesh.origin).astype(np.float32)
    up = np.array([[0, 0, 1]], np.float32)
    notground = samples.kind != 2
    hit = np.zeros(len(o), bool)
    idx = np.nonzero(notground)[0]
    if len(idx):
        hit[idx] = terrain_scene.occluded(o[idx], np.broadcast_to(up, (len(idx), 3)))
    if hit.any():
        counts = np.bincount(samples.object_index[hit], minlength=len(samples.object_ids))
        for oi in np.nonzero(counts)[0].tolist():
            model.problems.report(samples.object_ids[oi], f"{counts[oi]} solar sample points lie below "
                                  "the terrain surface (they receive no light)", "warning")


def run_solar(model: CityModel, options: SolarOptions = SolarOptions(),
              progress: Progress | None = None, source_name: str = "model") -> SolarResult:
    """Compute the solar study of ``model`` (the model is not changed).

    Raises
    ------
    UsageError, InputError : see :func:`check_options`, :func:`load_weather`, :func:`prepare_scene`
    Cancelled : when ``progress`` was cancelled
    """
    from citytwin.analysis.irradiance import compute_irradiation

    progress = progress or Progress()
    t0 = time.perf_counter()
    check_options(options)
    n_problems0 = len(model.problems)
    progress.update(0.0, "weather and sun positions")
    weather, (lat, lon, loc_src) = load_weather(model, options, source_name)
    progress.update(0.03, "sampling surfaces")
    mesh, samples, scene, ground_scene = prepare_scene(model, options.surfaces, options.resolution,
                                                       options.offset, options.lod, options.nthreads,
                                                       source_name, split_vegetation=True)
    veg_tau = vegetation_transmissivity(options, lat)
    progress.update(0.06, f"tracing {len(samples):,} points")
    t1 = time.perf_counter()
    irr = compute_irradiation(samples.points - mesh.origin, samples.normals, scene, weather,
                              albedo=options.albedo, sky_mf=options.sky_mf, ground_mf=options.ground_mf,
                              ground_scene=ground_scene,
                              progress=progress.sub(0.06, 0.8 if options.reflections else 0.97),
                              sky_model=options.sky_model, veg_scene=scene.vegetation,
                              veg_transmissivity=veg_tau)

    if options.reflections:
        irr = _add_reflections(model, mesh, samples, scene, weather, irr, options, progress.sub(0.8, 0.97))
    t_trace = time.perf_counter() - t1
    progress.update(0.97, "aggregating")
    annual = irr.annual
    names = type_names(samples.semantic_type, samples.kind)
    usable = pv_usable(annual, samples.normals, samples.kind, options.pv)
    keys, inv = surface_keys(samples.object_index, samples.geometry_index, samples.surface_index)
    pr = _pv_ratio(model, weather, options, source_name)
    surfaces, usable, pv_monthly = _surface_table(keys, inv, samples, names, irr, usable, options.pv, pr)
    buildings = _building_table(model, samples, surfaces, irr, usable, names, pv_monthly)
    info = {
        "weather": weather.source, "latitude": round(lat, 5), "longitude": round(lon, 5),
        "location_source": loc_src, "tz_hours": weather.tz_hours, "ghi_kwh_m2": round(float(weather.ghi.sum()) / 1000, 2),
        "resolution_m": options.resolution, "albedo": options.albedo, "sky_patches": 1 + 144 * options.sky_mf ** 2,
        "sky_model": options.sky_model, "pv_model": _pv_model_text(options.pv),
        "vegetation": _vegetation_text(options, veg_tau) if scene.vegetation is not None else "none",
        "rays": irr.rays, "trace_seconds": round(t_trace, 3), "embree_seconds": round(irr.embree_seconds, 3),
        "rays_per_second": round(irr.rays / t_trace) if t_trace > 0 else 0,
        "seconds": round(time.perf_counter() - t0, 3),
        "problems": len(model.problems) - n_problems0,
    }
    if getattr(weather, "timing", None) is not None and np.isfinite(weather.timing.lag_minutes):
        info["weather_time_lag_min"] = round(float(weather.timing.lag_minutes), 1)
        if weather.time_offset_minutes:
            info["weather_time_offset_min"] = weather.time_offset_minutes
    if options.weather is None:
        info["weather_warning"] = CLEAR_SKY_WARNING if not options.clear_sky else CLEAR_SKY_NOTE
    progress.update(1.0)
    return SolarResult(points=samples.points, normals=samples.normals, areas=samples.areas,
                       object_index=samples.object_index, surface_index=inv, semantic_type=names,
                       annual_kwh_m2=annual, monthly_kwh_m2=irr.monthly, direct_kwh_m2=irr.direct,
                       diffuse_kwh_m2=irr.diffuse, reflected_kwh_m2=irr.reflected,
                       sun_hours=irr.sun_hours, svf=irr.svf, pv_usable=usable,
                       object_ids=samples.object_ids, surfaces=surfaces, buildings=buildings, info=info,
                       surface_keys=keys)


def _add_reflections(model, mesh, samples, scene, weather, irr, options: SolarOptions, progress):
    """The first pass plus one bounce from the surfaces each point sees (see analysis.reflections)."""
    from dataclasses import replace

    from citytwin.analysis.reflections import one_bounce, reflectance_per_triangle, triangle_radiance
    from citytwin.analysis.sampling import GROUND_TYPES, classify_triangles, footprint_triangles
    from citytwin.semantics.surfaces import semantic_name

    kind = classify_triangles(mesh, footprint_triangles(model, mesh))
    codes, cinv = np.unique(mesh.semantic_type, return_inverse=True)
    names = np.array([semantic_name(int(c)) for c in codes], dtype=object)[cinv.reshape(-1)]
    rho = reflectance_per_triangle(names, kind, dict(options.reflectance))
    is_ground = np.array([t in GROUND_TYPES for t in mesh.object_types], bool)[mesh.object_index] \
        if mesh.object_types else np.zeros(len(mesh), bool)
    rho[is_ground] = options.albedo
    ghi_month = np.bincount(weather.months - 1, weights=weather.ghi, minlength=12) / 1000.0
    rad, filled = triangle_radiance(len(mesh), samples.triangle, samples.areas, irr.monthly, rho, kind,
                                    is_ground, ghi_month)
    if filled:
        model.problems.report(None, f"reflections: {filled} triangles outside the analysed selection reflect "
                              "the mean irradiation of the analysed roofs/walls", "warning")
    extra = one_bounce(samples.points - mesh.origin, samples.normals, scene, scene.triangle_ids, rad,
                       progress=progress)
    return replace(irr, monthly=irr.monthly + extra, reflected=irr.reflected + extra.sum(axis=1))


def vegetation_transmissivity(options: SolarOptions, latitude: float) -> np.ndarray:
    """(12,) share of light a tree crown lets through, per month (leaf-on / leaf-off).

    ``options.leaf_on_months`` are northern-hemisphere months; south of the equator they are
    shifted by six months.
    """
    on = np.zeros(12, bool)
    for m in options.leaf_on_months:
        on[(m - 1 + (6 if latitude < 0 else 0)) % 12] = True
    return np.where(on, options.veg_transmissivity[0], options.veg_transmissivity[1]).astype(float)


def _vegetation_text(options: SolarOptions, tau: np.ndarray) -> str:
    months = "JFMAMJJASOND"
    on = "".join(months[i] if tau[i] == options.veg_transmissivity[0] else "-" for i in range(12))
    return (f"semi-transparent: transmissivity {options.veg_transmissivity[0]:g} leaf-on, "
            f"{options.veg_transmissivity[1]:g} leaf-off (leaf-on months {on})")


def _pv_model_text(pv: PVParams) -> str:
    rules = (f"usable: roof points >= {pv.min_kwh_m2:g} kWh/m2/yr, slope <= {pv.max_slope_deg:g} deg, "
             f">= {pv.min_area_m2:g} m2 per surface")
    if pv.model == "simple":
        return f"efficiency {pv.efficiency:g} x performance ratio {pv.performance_ratio:g}; {rules}"
    from citytwin.analysis.pv import PVSystem, system_losses_percent

    loss = system_losses_percent(PVSystem(losses_percent=pv.losses_percent))
    return (f"pvlib monthly performance ratio per orientation (Perez POA, physical IAM, Faiman cell "
            f"temperature, PVWatts DC gamma {pv.gamma_pdc:g}/K, losses {loss:.1f} %, PVWatts inverter "
            f"{pv.inverter_efficiency:g}) x efficiency {pv.efficiency:g}; {rules}")


def _pv_ratio(model: CityModel, weather, options: SolarOptions, source_name: str):
    """A function (tilt (S,), azimuth (S,)) -> (S, 12) monthly performance ratio for the PV model."""
    pv = options.pv
    if pv.model == "simple":
        return lambda tilt, az: np.full((len(tilt), 12), pv.performance_ratio)
    from citytwin.analysis.pv import PVSystem, monthly_performance_ratio

    system = PVSystem(gamma_pdc=pv.gamma_pdc, losses_percent=pv.losses_percent,
                      inverter_efficiency=pv.inverter_efficiency)

    def ratio(tilt, az):
        out, notes = monthly_performance_ratio(weather, tilt, az, options.albedo, system)
        if options.weather is None:  # a clear-sky year has no temperature: said in its note/warning
            notes = [n for n in notes if "no air temperature" not in n]
        for n in notes:
            model.problems.report(Path(str(options.weather)).name if options.weather else "PV yield", n,
                                  "warning")
        return out
    return ratio


def _surface_table(keys, inv, samples, names, irr, usable, pv: PVParams, pv_ratio):
    """Rows per surface, PV-usable points (after the area rule) and (M, 12) PV kWh per month."""
    m = len(keys)
    a = samples.areas
    area = np.bincount(inv, weights=a, minlength=m)
    annual = weighted_mean(inv, a, irr.annual, m)
    monthly = weighted_mean(inv, a, irr.monthly, m)
    sun = weighted_mean(inv, a, irr.sun_hours, m)
    svf = weighted_mean(inv, a, irr.svf, m)
    nsum = np.stack([np.bincount(inv, weights=a * samples.normals[:, j], minlength=m) for j in range(3)], 1)
    tilt, az = tilt_azimuth(nsum)
    pv_area = np.bincount(inv, weights=a * usable, minlength=m)
    ok = pv_area >= pv.min_area_m2
    pv_area = np.where(ok, pv_area, 0.0)
    usable = usable & ok[inv]
    pv_monthly = np.zeros((m, 12))
    if ok.any():
        got = np.nonzero(ok)[0]
        raw = np.stack([np.bincount(inv, weights=a * usable * irr.monthly[:, j], minlength=m)[got]
                        for j in range(12)], 1)  # kWh of usable irradiation per month
        pv_monthly[got] = raw * pv.efficiency * pv_ratio(tilt[got], az[got])
    pv_kwh = pv_monthly.sum(axis=1)
    first = np.zeros(m, np.int64)
    first[inv[::-1]] = np.arange(len(inv))[::-1]
    rows = []
    ids = samples.object_ids
    for i in range(m):
        oi, gi, si = keys[i].tolist()
        rows.append({
            "object_id": ids[oi], "geometry": gi, "surface": si, "type": str(names[first[i]]),
            "area_m2": round(float(area[i]), 3), "tilt_deg": round(float(tilt[i]), 2),
            "azimuth_deg": round(float(az[i]), 2), "annual_kwh_m2": round(float(annual[i]), 2),
            "annual_kwh": round(float(annual[i] * area[i]), 2),
            "monthly_kwh_m2": [round(float(x), 3) for x in monthly[i]],
            "sun_hours": round(float(sun[i]), 1), "svf": round(float(svf[i]), 4),
            "pv_area_m2": round(float(pv_area[i]), 2), "pv_kwh": round(float(pv_kwh[i]), 1),
            "pv_monthly_kwh": [round(float(x), 2) for x in pv_monthly[i]],
        })
    return rows, usable, pv_monthly


def _building_table(model, samples, surfaces, irr, usable, names, pv_monthly) -> list[dict]:
    """One row per top-level object, summed from the points (not from the rounded surface rows).

    ``usable`` : (N,) bool, PV-usable points after the per-surface area rule;
    ``pv_monthly`` : (M, 12) PV kWh per surface (rows of ``surfaces``) and month.
    """
    parents = {o.id: o.parents for o in model.objects.values()}
    roots = root_objects(parents, samples.object_ids)
    root_names = sorted(set(roots[i] for i in np.unique(samples.object_index).tolist()))
    col = {r: j for j, r in enumerate(root_names)}
    bidx = np.array([col.get(r, -1) for r in roots], np.int64)[samples.object_index]
    nb = len(root_names)
    a = samples.areas
    e = irr.annual

    def tot(w: np.ndarray) -> np.ndarray:
        return np.bincount(bidx, weights=w, minlength=nb)

    roof = np.isin(names, ["RoofSurface", "OuterCeilingSurface"])
    wall = np.isin(names, ["WallSurface", "Window", "Door"])
    area, kwh = tot(a), tot(a * e)
    roof_a, roof_kwh = tot(a * roof), tot(a * e * roof)
    wall_a, wall_kwh = tot(a * wall), tot(a * e * wall)
    pv_a = tot(a * usable)
    sun, svf = tot(a * irr.sun_hours), tot(a * irr.svf)
    monthly = np.stack([tot(a * irr.monthly[:, j]) for j in range(12)], 1)
    root_of = dict(zip(samples.object_ids, roots))
    s_b = np.array([col[root_of[x["object_id"]]] for x in surfaces], np.int64)
    n_surf = np.bincount(s_b, minlength=nb)
    pv_m = np.stack([np.bincount(s_b, weights=pv_monthly[:, j], minlength=nb) for j in range(12)], 1) \
        if len(surfaces) else np.zeros((nb, 12))
    pv_kwh = pv_m.sum(axis=1)

    def ratio(x: float, y: float) -> float:
        return float(x / y) if y > 0 else 0.0

    return [{
        "building_id": r, "surfaces": int(n_surf[j]), "area_m2": round(float(area[j]), 2),
        "annual_kwh": round(float(kwh[j]), 1),
        "roof_area_m2": round(float(roof_a[j]), 2), "roof_kwh_m2": round(ratio(roof_kwh[j], roof_a[j]), 2),
        "wall_area_m2": round(float(wall_a[j]), 2), "wall_kwh_m2": round(ratio(wall_kwh[j], wall_a[j]), 2),
        "pv_area_m2": round(float(pv_a[j]), 2), "pv_kwh": round(float(pv_kwh[j]), 1),
        "sun_hours": round(ratio(sun[j], area[j]), 1), "svf": round(ratio(svf[j], area[j]), 4),
        "monthly_kwh": [round(float(x), 1) for x in monthly[j]],
        "pv_monthly_kwh": [round(float(x), 1) for x in pv_m[j]],
    } for j, r in enumerate(root_names)]


__all__ = ["SolarOptions", "SolarResult", "run_solar", "KIND_TYPE"]
