"""``citytwin info FILE [--json]``."""

from __future__ import annotations

import json
import sys
from pathlib import Path


def add_parser(sub) -> None:
    p = sub.add_parser("info", help="describe a file: format, CRS, objects, LoDs, semantics, problems",
                       description="Describe a city model file.")
    p.add_argument("file", type=Path)
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.add_argument("--format", help="force the input format")
    p.add_argument("--max-problems", type=int, default=200, help="problems to list (default 200)")


def run(args) -> int:
    from citytwin.app.cli.progressbar import cli_progress
    from citytwin.app.commands.info import InfoParams, run_info

    with cli_progress("info", not args.json) as prog:
        res = run_info(InfoParams(args.file, args.format, args.max_problems), prog)
    d = res.to_dict()
    if args.json:
        sys.stdout.write(json.dumps(d, ensure_ascii=False) + "\n")
        return 0
    out = sys.stdout.write
    out(f"file:       {args.file}\n")
    out(f"format:     {d['format']} {d['version'] or ''}\n")
    out(f"CRS:        {d['crs'] or 'none declared'}{' (' + d['crs_name'] + ')' if d['crs_name'] else ''}\n")
    out(f"objects:    {d['objects']}\n")
    for t, n in d["object_counts"].items():
        out(f"  {t:<28} {n}\n")
    out(f"LoDs:       {', '.join(d['lods']) or '-'}\n")
    out("semantic surfaces:\n" if d["semantic_counts"] else "semantic surfaces: none\n")
    for t, n in d["semantic_counts"].items():
        out(f"  {t:<28} {n}\n")
    if d["bbox"]:
        b = d["bbox"]
        out(f"bbox:       {b[0]:.3f} {b[1]:.3f} {b[2]:.3f}  ->  {b[3]:.3f} {b[4]:.3f} {b[5]:.3f}\n")
    out(f"vertices:   {d['vertices']}\ntriangles:  {d['triangles']}\n")
    if d["textures"] or d["materials"]:
        out(f"appearance: {d['textures']} textures, {d['materials']} materials\n")
    attrs = d["attributes"]
    out(f"attributes: {', '.join(attrs[:30])}{' ...' if len(attrs) > 30 else ''}\n")
    for k, v in d.items():
        if k == "georef" and isinstance(v, dict):
            out(georef_text(v))
        elif k.startswith("georef") or k == "upgrade_notes":
            out(f"{k}: {_value_text(v)}\n")
    out(f"problems:   {d['problem_count']}\n")
    for p in d["problems"][:50]:
        out(f"  [{p['severity']}] {problem_text(p)}\n")
    if d["problem_count"] > 50:
        out(f"  ... {d['problem_count'] - 50} more (use --json)\n")
    return 0


def problem_text(p: dict) -> str:
    """``"b1: geometry 0, surface 39: polygon has zero area (skipped)"`` from a Problem's ``to_dict()``
    (the object, then the geometry and surface indices when known, then the message)."""
    where = [p.get("object_id") or "file"]
    place = ", ".join(f"{k} {p[k]}" for k in ("geometry", "surface") if p.get(k) is not None)
    return ": ".join(where + ([place] if place else []) + [p["message"]])


#: Labels of the georeference details (``io.ifc.georef``) in the order shown; others follow by name.
_GEOREF_LABELS = {
    "eastings": "eastings", "northings": "northings", "orthogonal_height": "height",
    "latitude": "latitude", "longitude": "longitude", "elevation_m": "elevation (m)",
    "rotation_deg": "rotation (deg)", "x_axis": "x axis", "true_north": "true north",
    "grid_convergence_deg": "grid convergence (deg)", "scale": "scale used", "scale_declared": "scale in file",
    "scale_factor": "scale factor",
    "map_unit_m": "map unit (m)", "site_origin_m": "site origin (m)",
}


def _value_text(v) -> str:
    """A value for people: floats without noise (up to 6 decimals), lists joined with commas."""
    if isinstance(v, float):
        return f"{v:.6f}".rstrip("0").rstrip(".") if abs(v) < 1e15 else f"{v:g}"
    if isinstance(v, (list, tuple)):
        return ", ".join(_value_text(x) for x in v) if v else "-"
    return str(v)


def georef_text(g: dict) -> str:
    """The IFC georeference of ``info`` as indented lines::

        georeferencing: IfcMapConversion, CRS EPSG:5834
          eastings              4468005
          ...
          problem: IfcProjectedCRS has no name; ...
    """
    method = g.get("method") or "none"
    head = f"georeferencing: {method}" + (f", CRS {g['crs']}" if g.get("crs") else
                                          (", no CRS" if method != "none" else ""))
    lines = [head]
    skip = {"method", "crs", "source", "problems"}
    keys = [k for k in _GEOREF_LABELS if k in g] + sorted(k for k in g if k not in _GEOREF_LABELS and k not in skip)
    for k in keys:
        lines.append(f"  {_GEOREF_LABELS.get(k, k):<22} {_value_text(g[k])}")
    if g.get("source") and g.get("source") != method:
        lines.append(f"  {'from':<22} {g['source']}")
    lines += [f"  problem: {p}" for p in g.get("problems") or []]
    return "\n".join(lines) + "\n"
