"""``citytwin svf IN -o OUT [--resolution M] [--surfaces roof,wall,ground] [--csv F] [--geojson F] [--json-summary]``."""

from __future__ import annotations

from pathlib import Path

from citytwin.app.cli.solar import parse_surfaces
from citytwin.errors import UsageError


def add_parser(sub) -> None:
    p = sub.add_parser("svf", help="sky view factor of roofs, walls and ground",
                       description="Sky view factor (visible cosine-weighted sky, 1 = open horizontal "
                       "ground) per sample point and surface; stored as 'svf' attributes.")
    p.add_argument("input", type=Path)
    p.add_argument("-o", "--output", type=Path, help="write the model with 'svf' attributes")
    p.add_argument("--resolution", type=float, default=1.0, help="metres between sample points (1)")
    p.add_argument("--surfaces", default="roof,wall,ground", help="roof,wall,ground or all")
    p.add_argument("--mf", type=int, default=6, help="Reinhart sky subdivision (>= 4, default 6)")
    p.add_argument("--csv", type=Path, help="per-surface table")
    p.add_argument("--geojson", type=Path, help="building footprints with their mean sky view factor")
    p.add_argument("--json-summary", action="store_true", help="print one JSON object on stdout")
    p.add_argument("--assign-crs", help="CRS of the input's coordinates: used when it declares none, and "
                   "replacing (with a warning) a CRS it declares")
    p.add_argument("--lod", help="LoD to analyse")
    p.add_argument("--quiet", action="store_true", help="no progress bar")


def run(args) -> int:
    from citytwin.app.cli.analysis_output import print_summary_and_problems, save_model_with_results
    from citytwin.app.cli.progressbar import cli_progress
    from citytwin.app.commands.load import LoadParams, load_model
    from citytwin.app.commands.svf import SVFOptions, run_svf

    if not any([args.output, args.csv, args.geojson, args.json_summary]):
        raise UsageError("nothing to write: give -o OUT and/or --csv, --geojson, --json-summary")
    if args.resolution <= 0:
        raise UsageError(f"--resolution must be positive (got {args.resolution})")
    with cli_progress("svf", not args.quiet) as prog:
        model = load_model(LoadParams(args.input, None, args.assign_crs), prog.sub(0, 0.1))
        res = run_svf(model, SVFOptions(resolution=args.resolution, surfaces=parse_surfaces(args.surfaces),
                                        mf=args.mf, lod=args.lod), prog.sub(0.1, 0.95), str(args.input))
        from citytwin.app.commands import study_export as ex

        if args.csv:
            ex.write_svf_csv(res, args.csv)
        if args.geojson:
            ex.write_svf_geojson(res, model, args.geojson)
        save_model_with_results(res, model, args.output)
    print_summary_and_problems(res, model, args.json_summary)
    return 0
