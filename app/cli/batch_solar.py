"""The ``batch solar`` and ``batch shadow`` sub-commands: the options of ``citytwin solar`` and
``citytwin shadow`` (same names; ``dest`` is the field of SolarOptions / ShadowOptions) plus
``--context-buffer`` (metres of neighbouring tiles loaded as occluders)."""

from __future__ import annotations

import argparse
from typing import Any, Callable


def _tiles(p: argparse.ArgumentParser) -> None:
    p.add_argument("--assign-crs", help="CRS of the tiles' coordinates: used when one declares none, and "
                   "replacing (with a warning) a CRS it declares")
    p.add_argument("--context-buffer", type=float, default=100.0, metavar="M",
                   help="neighbouring tiles within M metres are loaded as occluders (default 100; 0: none)")


def add_solar_parsers(bsub, common: Callable[[argparse.ArgumentParser], None]) -> None:
    from citytwin.app.cli.study_parsers import add_option_arguments
    from citytwin.app.commands.studies import study

    solar = study("solar")
    s = bsub.add_parser("solar", help="solar potential of every tile, neighbours as occluders",
                        description="citytwin solar on every tile; OUTDIR/<tile> (same name and format as "
                        "the tile: .city.json, .city.jsonl or .gml; other inputs become .city.json) gets the "
                        "results as attributes of the tile's own objects.")
    common(s)
    add_option_arguments(s, solar.options_class(), batch=True)
    _tile_exports(s, "solar")
    _tiles(s)

    h = bsub.add_parser("shadow", help="shadow study of every tile, neighbours as occluders",
                        description="citytwin shadow on every tile; OUTDIR/<tile> (same name and format as "
                        "the tile, as batch solar) gets 'shadow_sun_hours' on the tile's own objects.")
    common(h)
    add_option_arguments(h, study("shadow").options_class(), batch=True)
    h.set_defaults(grid_cell=None)  # as citytwin shadow: 1 m with --png, else no ground grid
    for a in h._actions:
        if a.dest == "grid_cell":
            a.help = "ground grid cell in metres (default: 1 with --png, as citytwin shadow; else 0: none)"
    _tile_exports(h, "shadow")
    _tiles(h)


def _tile_exports(p: argparse.ArgumentParser, name: str) -> None:
    """``--csv``, ``--png``, ...: the study's exporters a batch writes per tile (OUTDIR/<tile><suffix>)."""
    from citytwin.app.commands.studies import study

    for e in study(name).exporters:
        if e.suffix:
            p.add_argument(f"--{e.name}", action="store_true",
                           help=f"also write OUTDIR/<tile>{e.suffix} per tile: {e.help} of the tile's own "
                                f"objects (as citytwin {name} --{e.name})")


def solar_options(args) -> dict[str, Any]:
    """The options of a ``batch solar|shadow`` command line as JSON values (None: the default)."""
    from citytwin.app.commands.batch_options import analysis_options, batch_fields

    fields = batch_fields(args.batch_command)
    values = {n: getattr(args, n, None) for n in fields}
    if args.batch_command == "shadow":
        # as citytwin shadow: a 1 m ground grid unless --grid says otherwise; none without --png
        values["grid_cell"] = args.grid_cell if args.grid_cell is not None else (1.0 if args.png else 0.0)
    return analysis_options(args.batch_command, values,
                            assign_crs=args.assign_crs, png=getattr(args, "png", False),
                            csv=getattr(args, "csv", False), geojson=getattr(args, "geojson", False),
                            report=getattr(args, "report", False))
