"""The solar study: annual irradiation of roofs and walls with full 3D shading, PV yield, tables.

:func:`solar_study` reads nothing from a front end and never changes the model; the caller applies
the result with :meth:`SolarResult.apply_to_model` (on the thread that owns the model). The
command :func:`citytwin.app.commands.solar.run_solar` is its progress glue.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from citytwin.analysis.options import (latitude_option, lod_option, longitude_option, nthreads_option,
                                       offset_option, option, option_error, resolution_option,
                                       surfaces_option)
from citytwin.analysis.results import KIND_TYPE, PVParams, pv_usable, surface_keys, type_names
from citytwin.analysis.scene import prepare_scene, require_site, site_location
from citytwin.analysis.solar_tables import SolarResult, building_table, surface_table
from citytwin.errors import OptionError
from citytwin.progress import Progress, ProgressArg, as_progress
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

    weather: Path | None = option(
        None, label="Weather file (EPW/TMY)", kind="path", batch=True, group="weather",
        help="weather file: EPW, TMY3 .csv, PVGIS TMY .csv/.json, or an hourly .csv with named columns "
             "(time, ghi[, dni, dhi, temp_air, wind_speed])")
    clear_sky: bool = option(
        False, label="Clear-sky year", batch=True, group="weather",
        help="a clear-sky year (Ineichen): an upper bound with no clouds; the default (with a warning) when no "
             "weather file is given")
    weather_anywhere: bool = option(
        False, label="Use the weather file even when it was recorded far from the site", batch=True,
        help="use the weather file even when its station is over 500 km from the site or its time zone does "
             "not fit the site's longitude (otherwise an error)")
    weather_time_offset: float = option(
        0.0, label="Weather time offset", unit="min", metavar="MINUTES",
        help="minutes added to the weather file's time stamps, to correct a file found off the sun (the "
             "warning names the offset)")
    resolution: float = resolution_option()
    surfaces: tuple[str, ...] = surfaces_option(("roof", "wall"))
    albedo: float = option(0.2, label="Ground albedo", range=(0.0, 1.0), batch=True, form=(0.0, 1.0, 0.05, 2),
                           help="ground reflectance 0..1")
    latitude: float | None = latitude_option()
    longitude: float | None = longitude_option()
    sky_mf: int = option(4, label="Sky subdivision (Reinhart MF)", flag="--mf", batch=True, form=(4, 12, 1, 0),
                         help="Reinhart sky subdivision (>= 4)")
    sky_model: str = option(
        "perez1990", label="Diffuse sky model", flag="--sky", choices=("perez1990", "allweather"), batch=True,
        help="diffuse sky: Perez 1990 as traced light sources, agreeing with pvlib's transposition (default), "
             "or the Perez all-weather sky of Radiance's gendaymtx")
    ground_mf: int = option(1, label="Ground subdivision (Reinhart MF)", cli=False, range=(1, None),
                            help="Reinhart subdivision of the mirrored ground hemisphere")
    offset: float = offset_option()
    lod: str | None = lod_option()
    reflections: bool = option(
        False, label="Reflections", help="add one bounce of light reflected by the buildings each point sees "
        "(slower)")
    reflectance: tuple[tuple[str, float], ...] = option(
        (), label="Reflectance per type", kind="pairs", metavar="TYPE=R,...",
        help="reflectance per semantic type for --reflections (defaults: WallSurface=0.3, RoofSurface=0.15, "
             "Window=0.1, other 0.2; terrain uses --albedo)")
    veg_transmissivity: tuple[float, float] = option(
        (0.03, 0.5), label="Vegetation transmissivity", metavar="ON,OFF",
        help="share of light through trees and plant cover with leaves and without (0.03 is UMEP SEBE's)")
    leaf_on_months: tuple[int, ...] = option(
        (4, 5, 6, 7, 8, 9, 10), label="Leaf-on months", flag="--leaf-on", metavar="MONTHS",
        help="months with leaves, northern hemisphere (4-10; shifted 6 months in the south)")
    pv: PVParams = field(default_factory=PVParams)
    year: int = option(2025, label="Clear-sky year number", cli=False, help="year of the clear-sky series")
    nthreads: int = nthreads_option()


# -- location and weather -------------------------------------------------------------------

def load_weather(model: CityModel, options: SolarOptions, source_name: str = "model"):
    """The weather series for a study, checked against the model's site.

    Raises
    ------
    UsageError : both a weather file and clear sky asked for; no location at all
    InputError : malformed weather file, weather for another hemisphere
    """
    from citytwin.analysis.weather import check_site, clear_sky_year, read_weather

    if options.weather is not None and options.clear_sky:
        raise option_error(SolarOptions, "give either {weather} or {clear_sky}, not both")
    loc = site_location(model, options.latitude, options.longitude)
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
        loc = require_site(model, None, None, source_name, other="a weather file")
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
    """Raise OptionError (naming options by label) for values a solar study cannot use."""
    def bad(template: str, **values) -> OptionError:
        return option_error(SolarOptions, template, **values)

    if options.weather is not None and options.clear_sky:
        raise bad("give either {weather} or {clear_sky}, not both")
    if options.weather is None and options.weather_anywhere:
        raise bad("{weather_anywhere} needs {weather}")
    if options.weather is None and options.weather_time_offset:
        raise bad("{weather_time_offset} needs {weather}")
    if not (0.0 <= options.albedo <= 1.0):
        raise bad("{albedo} must be between 0 and 1 (got {v})", v=options.albedo)
    if options.resolution <= 0:
        raise bad("{resolution} must be positive (got {v})", v=options.resolution)
    if options.sky_mf < 4:
        raise bad("the sky subdivision must be at least MF 4 (got {v})", v=options.sky_mf)
    if options.sky_model not in ("perez1990", "allweather"):
        raise bad("unknown sky model {v} (perez1990 or allweather)", v=repr(options.sky_model))
    if not options.surfaces:
        raise bad("{surfaces} is empty")
    if not all(0.0 <= t <= 1.0 for t in options.veg_transmissivity) or len(options.veg_transmissivity) != 2:
        raise bad("{veg_transmissivity} needs two shares 0..1 (leaf-on, leaf-off), got {v}",
                  v=options.veg_transmissivity)
    if not all(1 <= m <= 12 for m in options.leaf_on_months):
        raise bad("{leaf_on_months} must be 1..12 (got {v})", v=options.leaf_on_months)
    pv = options.pv
    if pv.model not in ("pvlib", "simple"):
        raise bad("unknown PV model {v} (pvlib or simple)", v=repr(pv.model))
    if not (0 < pv.efficiency <= 1 and 0 < pv.performance_ratio <= 1):
        raise bad("{pv_efficiency} and {pv_performance_ratio} must be in (0, 1]")
    if pv.min_area_m2 < 0 or not (0 <= pv.max_slope_deg <= 90):
        raise bad("{pv_min_area_m2} must be >= 0 and {pv_max_slope_deg} within 0..90")
    if not (0 < pv.inverter_efficiency <= 1) or not (-0.02 <= pv.gamma_pdc <= 0) or \
            (pv.losses_percent is not None and not (0 <= pv.losses_percent < 100)):
        raise bad("{pv_inverter_efficiency} must be in (0, 1], {pv_gamma_pdc} within -0.02..0 per K and "
                  "{pv_losses_percent} within 0..100 %")


def solar_study(model: CityModel, options: SolarOptions = SolarOptions(),
                progress: ProgressArg | None = None, source_name: str = "model") -> SolarResult:
    """Compute the solar study of ``model`` (the model is not changed).

    Raises
    ------
    UsageError, InputError : see :func:`check_options`, :func:`load_weather`, :func:`prepare_scene`
    Cancelled : when ``progress`` was cancelled
    """
    from citytwin.analysis.irradiance import compute_irradiation

    progress = as_progress(progress) or Progress()
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
    surfaces, usable, pv_monthly = surface_table(keys, inv, samples, names, irr, usable, options.pv, pr)
    buildings = building_table(model, samples, surfaces, irr, usable, names, pv_monthly)
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
                       object_ids=samples.object_ids, object_index=samples.object_index,
                       geometry_index=samples.geometry_index, surface_index=samples.surface_index,
                       surface_row=inv, semantic_type=names,
                       annual_kwh_m2=annual, monthly_kwh_m2=irr.monthly, direct_kwh_m2=irr.direct,
                       diffuse_kwh_m2=irr.diffuse, reflected_kwh_m2=irr.reflected,
                       sun_hours=irr.sun_hours, svf=irr.svf, pv_usable=usable,
                       surfaces=surfaces, buildings=buildings, info=info)


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


__all__ = ["SolarOptions", "SolarResult", "solar_study", "load_weather", "check_options", "KIND_TYPE",
           "CLEAR_SKY_WARNING", "CLEAR_SKY_NOTE"]
