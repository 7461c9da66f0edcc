"""``citytwin svf IN -o OUT [--csv F] [--geojson F] [--resolution M] [--mf N]``: generated from the
study registry (:mod:`citytwin.app.commands.studies`)."""

from __future__ import annotations


def add_parser(sub) -> None:
    from citytwin.app.cli.study_parsers import add_study_parser

    add_study_parser(sub, "svf", "'svf' attributes")


def run(args) -> int:
    from citytwin.app.cli.study_parsers import run_study

    return run_study("svf", args)
