"""``citytwin convert IN OUT [--crs EPSG:N] [--lod L] [--types T,...] [--bbox ...]``."""

from __future__ import annotations

import sys
from pathlib import Path


def add_parser(sub) -> None:
    p = sub.add_parser("convert", help="convert between formats, reproject, filter",
                       description="Convert a city model; the output format comes from OUT's extension "
                       "(.city.json CityJSON 2.0, .city.jsonl CityJSONSeq, .gml CityGML 2.0 or 3.0 with "
                       "--citygml-version, .glb/.gltf glTF 2.0, OUT/tileset.json 3D Tiles 1.1, .obj OBJ+MTL, .gpkg "
                       "GeoPackage); input: CityJSON, CityJSONSeq, CityGML, IFC, meshes, 3D Tiles.")
    p.add_argument("input", type=Path)
    p.add_argument("output", type=Path)
    p.add_argument("--crs", help="reproject to this CRS (EPSG:28992, 7415, ...)")
    p.add_argument("--assign-crs", help="CRS of the input's coordinates: used when it declares none, and "
                   "replacing (with a warning) a CRS it declares")
    p.add_argument("--lod", help="keep only geometries of this LoD (2, 2.2, ...)")
    p.add_argument("--types", help="keep only these object types (comma separated) and their children")
    p.add_argument("--bbox", help="xmin,ymin,xmax,ymax in the input CRS: keep objects whose centre is inside")
    p.add_argument("--precision", type=float, help="coordinate precision in metres (default: the input's, "
                   "else 0.001)")
    p.add_argument("--format", help="force the output format (cityjson, cityjsonseq, citygml, gltf, 3dtiles, obj, gpkg)")
    p.add_argument("--citygml-version", choices=["2.0", "3.0"], help="CityGML version to write (default 2.0)")
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    p.add_argument("--fast-copy", action="store_true", help="CityJSON 2.0 -> 2.0 without filters: copy through "
                   "cityjson-lib (~3x faster on big files) WITHOUT the reader's checks: problems are not reported, "
                   "and a file without \"transform\" has its coordinates rounded")


def run(args) -> int:
    from citytwin.app.cli.progressbar import cli_progress
    from citytwin.app.commands.convert import ConvertParams, parse_bbox, run_convert

    params = ConvertParams(
        input=args.input, output=args.output, crs=args.crs, assign_crs=args.assign_crs, lod=args.lod,
        types=tuple(t.strip() for t in args.types.split(",") if t.strip()) if args.types else (),
        bbox=parse_bbox(args.bbox), precision=args.precision, format=args.format,
        fast_path=getattr(args, "fast_copy", False),
        options=tuple(sorted(_extra_options(args).items())),
    )
    with cli_progress("convert", not args.quiet) as prog:
        res = run_convert(params, prog)
    for note in res.notes:
        print(f"warning: {note}", file=sys.stderr)
    shown = res.write_problems[:SHOWN_WRITE_PROBLEMS]
    for line in shown:
        print(f"warning: {line}", file=sys.stderr)
    if len(res.write_problems) > len(shown):
        print(f"warning: ... and {len(res.write_problems) - len(shown)} more (the output format could not "
              "hold these as they were)", file=sys.stderr)
    read_problems = res.problems or 0  # counted as info counts them
    parts = []
    if res.write_problems:
        parts.append(f"{len(res.write_problems)} written differently or left out (warnings above)")
    if read_problems > 0:
        parts.append(f"{read_problems} problem{'s' if read_problems > 1 else ''} in the input "
                     "(see citytwin info)")
    print(f"wrote {res.output} ({res.objects} objects{''.join(', ' + p for p in parts)})", file=sys.stderr)
    return 0


#: how many of the writer's problems ``convert`` prints (then a count of the rest)
SHOWN_WRITE_PROBLEMS = 10


def _extra_options(args) -> dict:
    """Writer options added by format modules (e.g. --citygml-version); none by default."""
    return {k: v for k, v in vars(args).items() if k.startswith("citygml_") and v is not None}
