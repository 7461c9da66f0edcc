"""``citytwin solar IN [--weather F.epw|--clear-sky] [--resolution M] [--surfaces roof,wall] [--albedo A]
-o OUT [--csv F] [--geojson F] [--report F.html] [--json-summary]``: generated from the study registry
(:mod:`citytwin.app.commands.studies`); the options are the fields of
:class:`~citytwin.analysis.solar.SolarOptions`."""

from __future__ import annotations

import sys


def add_parser(sub) -> None:
    from citytwin.app.cli.study_parsers import add_study_parser

    add_study_parser(sub, "solar", "the results as attributes")


def run(args) -> int:
    from citytwin.analysis.solar import check_options
    from citytwin.app.cli.study_parsers import run_study

    def check(opts) -> None:
        check_options(opts)  # before reading: a bad option fails fast
        if opts.weather is None and not opts.clear_sky:
            from citytwin.analysis.solar import CLEAR_SKY_WARNING

            print(f"warning: {CLEAR_SKY_WARNING}", file=sys.stderr)

    return run_study("solar", args, check)
