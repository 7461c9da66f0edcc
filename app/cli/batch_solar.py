"""The ``batch solar`` and ``batch shadow`` sub-commands: the options of ``citytwin solar`` and
``citytwin shadow`` (same names; ``dest`` is the field of SolarOptions / ShadowOptions) plus
``--context-buffer`` (metres of neighbouring tiles loaded as occluders)."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any, Callable


def _tiles(p: argparse.ArgumentParser) -> None:
    p.add_argument("--assign-crs", help="CRS of the tiles' coordinates: used when one declares none, and "
                   "replacing (with a warning) a CRS it declares")
    p.add_argument("--context-buffer", type=float, default=100.0, metavar="M",
                   help="neighbouring tiles within M metres are loaded as occluders (default 100; 0: none)")


def add_solar_parsers(bsub, common: Callable[[argparse.ArgumentParser], None]) -> None:
    s = bsub.add_parser("solar", help="solar potential of every tile, neighbours as occluders",
                        description="citytwin solar on every tile; OUTDIR/<tile> (same name and format as "
                        "the tile: .city.json, .city.jsonl or .gml; other inputs become .city.json) gets the "
                        "results as attributes of the tile's own objects.")
    common(s)
    w = s.add_mutually_exclusive_group()
    w.add_argument("--weather", type=Path, help="EPW or TMY3 (.csv) weather file")
    w.add_argument("--clear-sky", action="store_true", help="a clear-sky year (the default when no --weather "
                   "is given: an upper bound, no clouds)")
    s.add_argument("--weather-anywhere", action="store_true", help="use --weather even when its station is over "
                   "500 km from a tile or its time zone does not fit the tile's longitude (otherwise every such "
                   "tile fails)")
    s.add_argument("--resolution", type=float, help="metres between sample points (1)")
    s.add_argument("--surfaces", help="roof,wall,ground or all (roof,wall)")
    s.add_argument("--albedo", type=float, help="ground reflectance 0..1 (0.2)")
    s.add_argument("--latitude", type=float, help="site latitude (default: from the tiles' CRS)")
    s.add_argument("--longitude", type=float, help="site longitude")
    s.add_argument("--lod", help="LoD to analyse (default: each object's highest)")
    s.add_argument("--mf", dest="sky_mf", type=int, help="Reinhart sky subdivision (>= 4)")
    s.add_argument("--sky", dest="sky_model", choices=("perez1990", "allweather"),
                   help="diffuse sky model, as citytwin solar --sky (default perez1990)")
    s.add_argument("--csv", action="store_true", help="also write OUTDIR/<tile>.solar.csv per tile: one row "
                   "per surface of the tile's own objects (as citytwin solar --csv)")
    s.add_argument("--geojson", action="store_true", help="also write OUTDIR/<tile>.solar.geojson per tile: "
                   "the tile's building footprints with their totals (as citytwin solar --geojson)")
    s.add_argument("--report", action="store_true", help="also write OUTDIR/<tile>.solar.html per tile: "
                   "the HTML report with charts of the tile's own objects (as citytwin solar --report)")
    _tiles(s)

    h = bsub.add_parser("shadow", help="shadow study of every tile, neighbours as occluders",
                        description="citytwin shadow on every tile; OUTDIR/<tile> (same name and format as "
                        "the tile, as batch solar) gets 'shadow_sun_hours' on the tile's own objects.")
    common(h)
    h.add_argument("--date", required=True, help="YYYY-MM-DD")
    h.add_argument("--time", help="HH:MM, one moment")
    h.add_argument("--from", dest="start", help="HH:MM, start of the period (00:00)")
    h.add_argument("--to", dest="end", help="HH:MM, end of the period (24:00)")
    h.add_argument("--step", dest="step_minutes", type=float, help="minutes between time steps (10)")
    h.add_argument("--tz", help="time zone (IANA name or +HH:MM); default: the site's")
    h.add_argument("--resolution", type=float, help="metres between sample points (1)")
    h.add_argument("--surfaces", help="roof,wall,ground or all (roof,wall)")
    h.add_argument("--grid", dest="grid_cell", type=float, default=None,
                   help="ground grid cell in metres (default: 1 with --png, as citytwin shadow; else 0: none)")
    h.add_argument("--margin", type=float, help="metres of ground around the buildings")
    h.add_argument("--latitude", type=float, help="site latitude in degrees (default: from the tiles' CRS)")
    h.add_argument("--longitude", type=float, help="site longitude in degrees (default: from the tiles' CRS)")
    h.add_argument("--lod", help="LoD to analyse")
    h.add_argument("--png", action="store_true", help="also write OUTDIR/<tile>.shadow.png, a top view of the ground grid (1 m cells unless --grid)")
    _tiles(h)


def solar_options(args) -> dict[str, Any]:
    """The options of a ``batch solar|shadow`` command line as JSON values (None: the default)."""
    from citytwin.app.commands.batch_options import SHADOW_FIELDS, SOLAR_FIELDS, analysis_options

    fields = SOLAR_FIELDS if args.batch_command == "solar" else SHADOW_FIELDS
    values = {n: getattr(args, n, None) for n in fields}
    if args.batch_command == "shadow":
        # as citytwin shadow: a 1 m ground grid unless --grid says otherwise; none without --png
        values["grid_cell"] = args.grid_cell if args.grid_cell is not None else (1.0 if args.png else 0.0)
    return analysis_options(args.batch_command, values,
                            assign_crs=args.assign_crs, png=getattr(args, "png", False),
                            csv=getattr(args, "csv", False), geojson=getattr(args, "geojson", False),
                            report=getattr(args, "report", False))
