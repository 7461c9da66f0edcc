"""``citytwin fuse BASE [--ifc F]... [--mesh F]... -o OUT [--report R.json] [--ifc-mode replace|add]``."""

from __future__ import annotations

import sys
from pathlib import Path

from citytwin.errors import UsageError


def add_parser(sub) -> None:
    p = sub.add_parser("fuse", help="fuse IFC models and meshes into a base city model",
                       description="Bring IFC files and photogrammetry meshes into BASE's CRS, match them to "
                       "BASE's buildings by footprint overlap and write one semantic model plus a report.")
    p.add_argument("base", type=Path)
    p.add_argument("--ifc", type=Path, action="append", default=[], help="IFC file (repeatable)")
    p.add_argument("--mesh", type=Path, action="append", default=[],
                   help="mesh file: OBJ, PLY, glTF/GLB, STL, b3dm, tileset.json (repeatable)")
    p.add_argument("-o", "--output", type=Path, required=True)
    p.add_argument("--report", type=Path, help="write the fusion report as JSON here")
    p.add_argument("--ifc-mode", choices=("replace", "add"), default="add",
                   help="replace matched base buildings, or add IFC elements as their LoD 3 children (default: add)")
    p.add_argument("--ifc-georef", help="E,N,H,ROTATION_DEG of the IFC world origin; overrides the file's own "
                   "georeferencing (IfcMapConversion, IfcSite lat/lon), with a warning")
    p.add_argument("--ifc-crs", help="CRS of --ifc-georef (default: the base CRS)")
    p.add_argument("--ifc-timeout", type=float, metavar="S",
                   help="seconds the IFC geometry kernel may go without progress before the element it is on "
                        "is skipped and reported (default: $CITYTWIN_IFC_HANG_TIMEOUT or 120)")
    p.add_argument("--mesh-crs", help="CRS of the mesh coordinates (default: the base CRS)")
    p.add_argument("--mesh-up", choices=("auto", "y", "z"), default="auto", help="up axis of OBJ/PLY/STL")
    p.add_argument("--mesh-offset", help="E,N,H added to mesh coordinates")
    p.add_argument("--quiet", action="store_true", help="no progress bar")


def _floats(text: str | None, n: int, opt: str):
    if text is None:
        return None
    try:
        vals = tuple(float(x) for x in text.split(","))
    except ValueError:
        raise UsageError(f"{opt} {text!r}: expected {n} comma-separated numbers") from None
    if len(vals) != n:
        raise UsageError(f"{opt} {text!r}: expected {n} comma-separated numbers")
    return vals


def run(args) -> int:
    from citytwin.app.cli.progressbar import cli_progress
    from citytwin.app.commands.fuse import FuseParams, report_lines, run_fuse

    params = FuseParams(base=args.base, output=args.output, ifc=tuple(args.ifc), mesh=tuple(args.mesh),
                        report=args.report, ifc_mode=args.ifc_mode,
                        ifc_georef=_floats(args.ifc_georef, 4, "--ifc-georef"), ifc_crs=args.ifc_crs,
                        ifc_timeout=args.ifc_timeout,
                        mesh_crs=args.mesh_crs, mesh_up=args.mesh_up,
                        mesh_offset=_floats(args.mesh_offset, 3, "--mesh-offset") or (0.0, 0.0, 0.0))
    with cli_progress("fuse", not args.quiet) as prog:
        res = run_fuse(params, prog)
    for line in report_lines(res.report):
        print(line, file=sys.stderr)
    print(f"wrote {res.output} ({res.objects} objects)", file=sys.stderr)
    return 0
