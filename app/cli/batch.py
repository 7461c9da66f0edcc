"""``citytwin batch convert|info|solar|shadow INPUTS... -o OUTDIR [options]``.

Exit codes: 0 every file done or up to date, 3 some files failed (listed in
``OUTDIR/batch-report.json`` and on stderr), 1 no input found, 2 bad options.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


def _common(p: argparse.ArgumentParser) -> None:
    p.add_argument("inputs", nargs="+", metavar="INPUT", help="files, folders (searched recursively) or "
                   "glob patterns (quote them: 'tiles/*.city.json')")
    p.add_argument("-o", "--outdir", type=Path, required=True, help="output folder; outputs mirror the "
                   "input names, the run report is OUTDIR/batch-report.json")
    g = p.add_argument_group("batch")
    g.add_argument("--workers", type=int, default=None, help="worker processes of the local Dask cluster "
                   "(default: the number of cores; 0: no Dask, one file after the other in this process)")
    g.add_argument("--scheduler", metavar="tcp://HOST:PORT", help="run on an existing Dask cluster "
                   "(the files must be at the same paths on every worker)")
    g.add_argument("--memory-limit", default="auto", help="memory per local worker, e.g. 4GiB (default: "
                   "the machine's memory / workers); a worker over it is restarted and its file retried")
    g.add_argument("--file-timeout", default="3600", metavar="SECONDS", help="wall time one file may take "
                   "before it is stopped and reported failed (default 3600; 0: no limit)")
    g.add_argument("--file-memory", default="auto", metavar="SIZE", help="memory (RSS) one file may use "
                   "before it is stopped and reported failed, e.g. 2G (default: the worker's memory limit; "
                   "0: no limit)")
    g.add_argument("--force", action="store_true", help="redo files whose outputs are up to date")
    g.add_argument("--retries", type=int, default=1, help="extra attempts of a task that failed inside Dask")
    g.add_argument("--quiet", action="store_true", help="no progress bar")


def add_parser(sub) -> None:
    p = sub.add_parser("batch", help="run convert/info/solar/shadow over many files or tiles on Dask",
                       description="Run a command over many files or tiles, in parallel on a Dask "
                       "cluster (local by default). Files that fail are reported and the rest goes on; "
                       "re-running skips outputs that are up to date. Exit code 3 when some files failed.")
    bsub = p.add_subparsers(dest="batch_command", metavar="COMMAND", required=True)

    c = bsub.add_parser("convert", help="convert every file (same options as citytwin convert)")
    _common(c)
    c.add_argument("--format", help="output format (cityjson, cityjsonseq, ...); default: the input's "
                   "when writable, else cityjson")
    c.add_argument("--crs", help="reproject to this CRS")
    c.add_argument("--assign-crs", help="CRS of the inputs' coordinates: used when one declares none, and "
                   "replacing (with a warning) a CRS it declares")
    c.add_argument("--lod", help="keep only geometries of this LoD")
    c.add_argument("--types", help="keep only these object types (comma separated) and their children")
    c.add_argument("--bbox", help="xmin,ymin,xmax,ymax: keep objects whose centre is inside")
    c.add_argument("--precision", type=float, help="coordinate precision in metres")
    c.add_argument("--citygml-version", choices=["2.0", "3.0"], help="CityGML version of .gml outputs "
                   "(default 2.0), as citytwin convert")

    i = bsub.add_parser("info", help="describe every file: OUTDIR/<name>.info.json (as info --json)")
    _common(i)
    i.add_argument("--input-format", help="force the input format")
    i.add_argument("--max-problems", type=int, default=200, help="problems listed per file (default 200)")

    from citytwin.app.cli.batch_solar import add_solar_parsers

    add_solar_parsers(bsub, _common)


def _convert_options(args) -> dict:
    from citytwin.app.commands.batch_options import convert_options

    return convert_options(format=args.format, crs=args.crs, assign_crs=args.assign_crs, lod=args.lod,
                           types=args.types, bbox=args.bbox, precision=args.precision,
                           citygml_version=args.citygml_version)


def params_from_args(args):
    """The BatchParams of a ``citytwin batch ...`` command line (built as the GUI's Batch dialog does)."""
    from citytwin.app.commands.batch_options import batch_params, info_options

    cmd = args.batch_command
    if cmd == "convert":
        opts = _convert_options(args)
    elif cmd == "info":
        opts = info_options(args.input_format, args.max_problems)
    else:
        from citytwin.app.cli.batch_solar import solar_options

        opts = solar_options(args)
    return batch_params(cmd, args.inputs, args.outdir, opts, workers=args.workers, scheduler=args.scheduler,
                        memory_limit=args.memory_limit, force=args.force,
                        context_buffer=getattr(args, "context_buffer", 100.0), retries=args.retries,
                        file_timeout=args.file_timeout, file_memory=args.file_memory)


def run(args) -> int:
    from citytwin.app.cli.progressbar import cli_progress
    from citytwin.app.commands.batch import run_batch

    params = params_from_args(args)
    opts = dict(params.options)
    if params.command == "solar" and not opts.get("weather") and not opts.get("clear_sky"):
        from citytwin.app.commands.solar import CLEAR_SKY_WARNING

        print(f"warning: {CLEAR_SKY_WARNING}", file=sys.stderr)
    with cli_progress(f"batch {params.command}", not args.quiet) as prog:
        res = run_batch(params, prog)
    for line in res.report.summary_lines():
        print(line, file=sys.stderr)
    print(f"report: {res.report_path}", file=sys.stderr)
    return res.exit_code
