"""``citytwin solar IN [--weather F.epw|--clear-sky] [--resolution M] [--surfaces roof,wall] [--albedo A]
-o OUT [--csv F] [--geojson F] [--report F.html] [--json-summary]``."""

from __future__ import annotations

import sys
from pathlib import Path

from citytwin.errors import UsageError


def add_parser(sub) -> None:
    p = sub.add_parser("solar", help="annual solar irradiation of roofs and walls (3D shading)",
                       description="Annual and monthly solar irradiation per sample point, surface and "
                       "building, with full 3D shading (Embree), a Perez sky and ground reflection.")
    p.add_argument("input", type=Path)
    w = p.add_mutually_exclusive_group()
    w.add_argument("--weather", type=Path, help="weather file: EPW, TMY3 .csv, PVGIS TMY .csv/.json, or an "
                   "hourly .csv with named columns (time, ghi[, dni, dhi, temp_air, wind_speed])")
    w.add_argument("--clear-sky", action="store_true", help="a clear-sky year (Ineichen): an upper bound "
                   "with no clouds; the default (with a warning) when no weather file is given")
    p.add_argument("--weather-anywhere", action="store_true", help="use --weather even when its station is "
                   "over 500 km from the site or its time zone does not fit the site's longitude "
                   "(otherwise an error)")
    p.add_argument("--weather-time-offset", type=float, default=0.0, metavar="MINUTES",
                   help="minutes added to the weather file's time stamps, to correct a file found off the "
                        "sun (the warning names the offset)")
    p.add_argument("--resolution", type=float, default=1.0, help="metres between sample points (1)")
    p.add_argument("--surfaces", default="roof,wall", help="roof,wall,ground or all (roof,wall)")
    p.add_argument("--albedo", type=float, default=0.2, help="ground reflectance 0..1 (0.2)")
    p.add_argument("-o", "--output", type=Path, help="write the model with the results as attributes")
    p.add_argument("--csv", type=Path, help="per-surface table")
    p.add_argument("--geojson", type=Path, help="building footprints with totals")
    p.add_argument("--report", type=Path, help="HTML report with charts")
    p.add_argument("--json-summary", action="store_true", help="print one JSON object on stdout")
    p.add_argument("--latitude", type=float, help="site latitude (default: from the model's CRS)")
    p.add_argument("--longitude", type=float, help="site longitude")
    p.add_argument("--assign-crs", help="CRS of the input's coordinates: used when it declares none, and "
                   "replacing (with a warning) a CRS it declares")
    p.add_argument("--lod", help="LoD to analyse (default: each object's highest)")
    p.add_argument("--reflections", action="store_true",
                   help="add one bounce of light reflected by the buildings each point sees (slower)")
    p.add_argument("--reflectance", default="", metavar="TYPE=R,...",
                   help="reflectance per semantic type for --reflections (defaults: WallSurface=0.3, "
                        "RoofSurface=0.15, Window=0.1, other 0.2; terrain uses --albedo)")
    p.add_argument("--veg-transmissivity", default="0.03,0.5", metavar="ON,OFF",
                   help="share of light through trees and plant cover with leaves and without "
                        "(0.03,0.5; 0.03 is UMEP SEBE's)")
    p.add_argument("--leaf-on", default="4-10", metavar="MONTHS",
                   help="months with leaves, northern hemisphere (4-10; shifted 6 months in the south)")
    p.add_argument("--mf", type=int, default=4, help="Reinhart sky subdivision (>= 4)")
    p.add_argument("--sky", choices=("perez1990", "allweather"), default="perez1990",
                   help="diffuse sky: Perez 1990 as traced light sources, agreeing with pvlib's "
                        "transposition (default), or the Perez all-weather sky of Radiance's gendaymtx")
    p.add_argument("--pv-model", choices=("pvlib", "simple"), default="pvlib",
                   help="PV yield: pvlib's hourly chain per orientation (cell temperature from the weather, "
                        "IAM, PVWatts DC, losses, inverter; default) or efficiency x performance ratio")
    p.add_argument("--pv-efficiency", type=float, default=0.20, help="PV module efficiency at STC (0.20)")
    p.add_argument("--pv-performance-ratio", type=float, default=0.80,
                   help="PV system performance ratio of --pv-model simple (0.80)")
    p.add_argument("--pv-losses", type=float, default=None, metavar="PERCENT",
                   help="DC system losses in %% (default: pvlib's PVWatts defaults without shading, 11.4)")
    p.add_argument("--pv-temp-coeff", type=float, default=-0.0037, metavar="PER_K",
                   help="module power temperature coefficient, 1/K (-0.0037)")
    p.add_argument("--pv-inverter-efficiency", type=float, default=0.96, help="nominal inverter efficiency (0.96)")
    p.add_argument("--pv-min-kwh", type=float, default=800.0,
                   help="least annual irradiation (kWh/m2) of roof parts usable for PV (800)")
    p.add_argument("--pv-max-slope", type=float, default=60.0, help="steepest usable roof slope in degrees (60)")
    p.add_argument("--pv-min-area", type=float, default=5.0, help="least usable area per roof surface, m2 (5)")
    p.add_argument("--quiet", action="store_true", help="no progress bar")


def parse_surfaces(text: str) -> tuple[str, ...]:
    out = tuple(s.strip().lower() for s in text.split(",") if s.strip())
    if not out:
        raise UsageError("--surfaces is empty")
    return out


def run(args) -> int:
    from citytwin.app.cli.progressbar import cli_progress
    from citytwin.app.commands.load import LoadParams, load_model
    from citytwin.analysis.results import PVParams
    from citytwin.app.cli.analysis_output import print_summary_and_problems
    from citytwin.app.commands.solar import SolarOptions, run_solar

    if not any([args.output, args.csv, args.geojson, args.report, args.json_summary]):
        raise UsageError("nothing to write: give -o OUT and/or --csv, --geojson, --report, --json-summary")
    if args.output is not None and Path(args.output).resolve() == Path(args.input).resolve():
        raise UsageError("the output would overwrite the input")
    if args.weather_anywhere and args.weather is None:
        raise UsageError("--weather-anywhere needs --weather")
    if args.weather_time_offset and args.weather is None:
        raise UsageError("--weather-time-offset needs --weather")
    opts = SolarOptions(weather=args.weather, clear_sky=args.clear_sky, weather_anywhere=args.weather_anywhere,
                        weather_time_offset=args.weather_time_offset,
                        resolution=args.resolution,
                        surfaces=parse_surfaces(args.surfaces), albedo=args.albedo,
                        latitude=args.latitude, longitude=args.longitude, lod=args.lod, sky_mf=args.mf,
                        sky_model=args.sky, **vegetation_args(args),
                        pv=pv_params(args, PVParams))
    if args.weather is None and not args.clear_sky:
        from citytwin.app.commands.solar import CLEAR_SKY_WARNING

        print(f"warning: {CLEAR_SKY_WARNING}", file=sys.stderr)
    with cli_progress("solar", not args.quiet) as prog:
        model = load_model(LoadParams(args.input, None, args.assign_crs), prog.sub(0, 0.1))
        res = run_solar(model, opts, prog.sub(0.1, 0.9), source_name=str(args.input))
        write_outputs(res, model, args)
        prog.update(1.0)
    print_summary_and_problems(res, model, args.json_summary)
    return 0


def vegetation_args(args) -> dict:
    """``veg_transmissivity`` and ``leaf_on_months`` for SolarOptions from ``--veg-transmissivity``
    and ``--leaf-on`` (``"4-10"`` or ``"4,5,6"``)."""
    try:
        tau = tuple(float(x) for x in args.veg_transmissivity.split(","))
    except ValueError:
        raise UsageError(f"--veg-transmissivity {args.veg_transmissivity}: give two numbers ON,OFF") from None
    months: list[int] = []
    try:
        for part in args.leaf_on.split(","):
            a, _, b = part.strip().partition("-")
            months += list(range(int(a), int(b or a) + 1)) if int(b or a) >= int(a) else \
                list(range(int(a), 13)) + list(range(1, int(b) + 1))
    except ValueError:
        raise UsageError(f"--leaf-on {args.leaf_on}: give months such as 4-10 or 4,5,6") from None
    refl = []
    for part in filter(None, (x.strip() for x in args.reflectance.split(","))):
        name, _, val = part.partition("=")
        try:
            r = float(val)
        except ValueError:
            raise UsageError(f"--reflectance {part}: give TYPE=VALUE such as WallSurface=0.3") from None
        if not 0 <= r <= 1:
            raise UsageError(f"--reflectance {part}: a reflectance is between 0 and 1")
        refl.append((name.strip(), r))
    return {"veg_transmissivity": tau, "leaf_on_months": tuple(months), "reflections": args.reflections,
            "reflectance": tuple(refl)}


def pv_params(args, cls):
    if not (0 < args.pv_efficiency <= 1 and 0 < args.pv_performance_ratio <= 1):
        raise UsageError("--pv-efficiency and --pv-performance-ratio must be in (0, 1]")
    if args.pv_min_area < 0 or not (0 <= args.pv_max_slope <= 90):
        raise UsageError("--pv-min-area must be >= 0 and --pv-max-slope within 0..90")
    extra = {k: getattr(args, a) for k, a in (("model", "pv_model"), ("losses_percent", "pv_losses"),
                                              ("gamma_pdc", "pv_temp_coeff"),
                                              ("inverter_efficiency", "pv_inverter_efficiency"))
             if getattr(args, a, None) is not None}
    return cls(efficiency=args.pv_efficiency, performance_ratio=args.pv_performance_ratio,
               min_kwh_m2=args.pv_min_kwh, max_slope_deg=args.pv_max_slope, min_area_m2=args.pv_min_area,
               **extra)


def write_outputs(res, model, args) -> None:
    from citytwin.app.cli.analysis_output import save_model_with_results
    from citytwin.app.commands import solar_export as ex

    if args.csv:
        ex.write_csv(res, args.csv, model)
    if args.geojson:
        ex.write_geojson(res, model, args.geojson)
    if args.report:
        ex.write_report(res, args.report, title=f"Solar study of {Path(args.input).name}")
    save_model_with_results(res, model, args.output)
