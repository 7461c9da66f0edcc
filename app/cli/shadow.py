"""``citytwin shadow IN --date YYYY-MM-DD [--time HH:MM | --from HH:MM --to HH:MM --step MIN] -o OUT [--png F]
[--csv F] [--geojson F]``: generated from the study registry (:mod:`citytwin.app.commands.studies`)."""

from __future__ import annotations

from citytwin.errors import UsageError


def add_parser(sub) -> None:
    from citytwin.app.cli.study_parsers import add_study_parser

    p = add_study_parser(sub, "shadow", "'shadow_sun_hours' attributes")
    p.description = ("Lit/shadowed state of roofs, walls and a ground grid for a moment (--time) or a period "
                     "(--from/--to/--step, default the whole day), in the site's local time (daylight saving "
                     "included) unless --tz is given.")


def run(args) -> int:
    from citytwin.app.cli.study_parsers import run_study

    def check(opts) -> None:
        if args.png and opts.grid_cell <= 0:
            raise UsageError("--png needs a ground grid (--grid > 0)")

    return run_study("shadow", args, check)
