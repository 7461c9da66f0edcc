"""``citytwin shadow IN --date YYYY-MM-DD [--time HH:MM | --from HH:MM --to HH:MM --step MIN] -o OUT [--png F]
[--csv F] [--geojson F]``."""

from __future__ import annotations

from pathlib import Path

from citytwin.app.cli.solar import parse_surfaces
from citytwin.errors import UsageError


def add_parser(sub) -> None:
    p = sub.add_parser("shadow", help="shadows and sun hours for a moment, a day or a period",
                       description="Lit/shadowed state of roofs, walls and a ground grid for a moment "
                       "(--time) or a period (--from/--to/--step, default the whole day), in the site's "
                       "local time (daylight saving included) unless --tz is given.")
    p.add_argument("input", type=Path)
    p.add_argument("--date", required=True, help="YYYY-MM-DD")
    p.add_argument("--time", help="HH:MM, one moment")
    p.add_argument("--from", dest="start", help="HH:MM, start of the period (00:00)")
    p.add_argument("--to", dest="end", help="HH:MM, end of the period (24:00)")
    p.add_argument("--step", type=float, default=10.0, help="minutes between time steps (10)")
    p.add_argument("--tz", help="time zone (IANA name or +HH:MM); default: the site's")
    p.add_argument("-o", "--output", type=Path, help="write the model with 'shadow_sun_hours' attributes")
    p.add_argument("--png", type=Path, help="top view of the ground grid (sun hours, or shadows at --time)")
    p.add_argument("--csv", type=Path, help="per-surface table: sun hours and lit fraction per time step")
    p.add_argument("--geojson", type=Path, help="building footprints with their mean sun hours")
    p.add_argument("--resolution", type=float, default=1.0, help="metres between sample points (1)")
    p.add_argument("--surfaces", default="roof,wall", help="roof,wall,ground or all")
    p.add_argument("--grid", type=float, default=1.0, help="ground grid cell in metres (0: none)")
    p.add_argument("--margin", type=float, help="metres of ground around the buildings")
    p.add_argument("--latitude", type=float, help="site latitude in degrees (default: from the model's CRS)")
    p.add_argument("--longitude", type=float, help="site longitude in degrees (default: from the model's CRS)")
    p.add_argument("--lod", help="LoD to analyse (default: each object's highest)")
    p.add_argument("--assign-crs", help="CRS of the input's coordinates: used when it declares none, and "
                   "replacing (with a warning) a CRS it declares")
    p.add_argument("--json-summary", action="store_true", help="print one JSON object on stdout")
    p.add_argument("--quiet", action="store_true", help="no progress bar")


def run(args) -> int:
    from citytwin.app.cli.analysis_output import print_summary_and_problems, save_model_with_results
    from citytwin.app.cli.progressbar import cli_progress
    from citytwin.app.commands.load import LoadParams, load_model
    from citytwin.app.commands.shadow import ShadowOptions, run_shadow

    if not any([args.output, args.png, args.csv, args.geojson, args.json_summary]):
        raise UsageError("nothing to write: give -o OUT and/or --png, --csv, --geojson, --json-summary")
    if args.time and (args.start or args.end):
        raise UsageError("give either --time or --from/--to, not both")
    if args.png and args.grid <= 0:
        raise UsageError("--png needs a ground grid (--grid > 0)")
    opts = ShadowOptions(date=args.date, time=args.time, start=args.start, end=args.end,
                         step_minutes=args.step, tz=args.tz, resolution=args.resolution,
                         surfaces=parse_surfaces(args.surfaces), grid_cell=args.grid, margin=args.margin,
                         latitude=args.latitude, longitude=args.longitude, lod=args.lod)
    with cli_progress("shadow", not args.quiet) as prog:
        model = load_model(LoadParams(args.input, None, args.assign_crs), prog.sub(0, 0.1))
        res = run_shadow(model, opts, prog.sub(0.1, 0.95), str(args.input))
        from citytwin.app.commands import study_export as ex

        if args.png:
            ex.write_shadow_png(res, args.png)
        if args.csv:
            ex.write_shadow_csv(res, args.csv, model)
        if args.geojson:
            ex.write_shadow_geojson(res, model, args.geojson)
        save_model_with_results(res, model, args.output)
    print_summary_and_problems(res, model, args.json_summary)
    return 0
