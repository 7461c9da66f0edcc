"""The ``batch solar`` and ``batch shadow`` sub-commands: the single commands' options plus
``--context-buffer`` (metres of neighbouring tiles loaded as occluders)."""

from __future__ import annotations

import argparse
from typing import Any, Callable


def add_solar_parsers(bsub, common: Callable[[argparse.ArgumentParser], None]) -> None:
    s = bsub.add_parser("solar", help="solar potential of every tile, neighbours as occluders")
    common(s)
    s.add_argument("--weather", help="EPW or TMY3 weather file (default: clear sky)")
    s.add_argument("--clear-sky", action="store_true", help="clear-sky irradiance (the default without --weather)")
    s.add_argument("--resolution", type=float, help="sample grid step in metres (default 1)")
    s.add_argument("--surfaces", help="surfaces to sample: roof,wall,ground or all (default roof,wall)")
    s.add_argument("--albedo", type=float, help="ground albedo (default 0.2)")
    s.add_argument("--latitude", type=float, help="site latitude (default: from the tiles' CRS)")
    s.add_argument("--longitude", type=float, help="site longitude (default: from the tiles' CRS)")
    s.add_argument("--assign-crs", help="CRS of tiles that declare none")
    s.add_argument("--context-buffer", type=float, default=100.0, metavar="M",
                   help="neighbouring tiles within M metres are loaded as occluders (default 100)")

    h = bsub.add_parser("shadow", help="shadow study of every tile, neighbours as occluders")
    common(h)
    h.add_argument("--date", required=True, help="YYYY-MM-DD")
    h.add_argument("--time", help="HH:MM (one instant)")
    h.add_argument("--from", dest="time_from", help="HH:MM start of a period")
    h.add_argument("--to", dest="time_to", help="HH:MM end of a period")
    h.add_argument("--step", type=float, help="minutes between time steps (default 10)")
    h.add_argument("--resolution", type=float, help="sample grid step in metres (default 1)")
    h.add_argument("--assign-crs", help="CRS of tiles that declare none")
    h.add_argument("--context-buffer", type=float, default=100.0, metavar="M",
                   help="neighbouring tiles within M metres are loaded as occluders (default 100)")


def solar_options(args) -> dict[str, Any]:
    """The options of a ``batch solar|shadow`` command line as JSON values (None: default)."""
    if args.batch_command == "solar":
        names = ("weather", "clear_sky", "resolution", "surfaces", "albedo", "latitude", "longitude",
                 "assign_crs")
    else:
        names = ("date", "time", "time_from", "time_to", "step", "resolution", "assign_crs")
    opts = {n: getattr(args, n, None) for n in names}
    if opts.get("clear_sky") is False:
        opts["clear_sky"] = None
    if opts.get("weather"):
        from pathlib import Path

        opts["weather"] = str(Path(opts["weather"]).resolve())
    return opts
