"""``citytwin demo``: the headless demo on the bundled sample (what ``make run`` does without a display)."""

from __future__ import annotations

import sys
from importlib import resources
from pathlib import Path


def sample_path() -> Path:
    """Path of the bundled sample CityJSON."""
    return Path(str(resources.files("citytwin.resources") / "sample" / "3dbag_b2_v2.0.city.json"))


def add_parser(sub) -> None:
    p = sub.add_parser("demo", help="run the headless demo on the bundled sample",
                       description="Describe, convert and (when the render layer is installed) draw the "
                       "bundled sample.")
    p.add_argument("--out", type=Path, default=Path("demo-output"), help="output folder")


def run(args) -> int:
    from citytwin.app.commands.convert import ConvertParams, run_convert
    from citytwin.app.commands.info import InfoParams, run_info

    src = sample_path()
    out: Path = args.out
    out.mkdir(parents=True, exist_ok=True)
    info = run_info(InfoParams(src)).to_dict()
    print(f"sample: {src.name}: {info['format']} {info['version']}, {info['crs']}, "
          f"{info['objects']} objects, LoDs {', '.join(info['lods'])}, "
          f"semantics {info['semantic_counts']}, {info['triangles']} triangles")
    for name, kw in [("sample.city.json", {"precision": 0.001}), ("sample.city.jsonl", {}),
                     ("sample_rd.city.json", {"crs": "EPSG:28992"})]:
        res = run_convert(ConvertParams(src, out / name, **kw))
        print(f"wrote {res.output} ({res.objects} objects)")
    for step in _extra_steps():
        step(src, out)
    return 0


def _extra_steps():
    """Later demo steps (render, solar) are added here as they land."""
    return [_render_step]


def _render_step(src: Path, out: Path) -> None:
    """Draw the sample off-screen (VTK, no display needed) to ``out/sample.png``."""
    from citytwin.io.registry import read

    try:
        from citytwin.app.render.snapshot import render_model_png
    except ImportError as exc:  # the render layer needs pyvista/vtk
        print(f"render step skipped: {exc.name} is not installed")
        return
    png = render_model_png(read(src), out / "sample.png", color_by="semantic", size=(1200, 800))
    print(f"wrote {png} (roofs red, walls light grey, ground dark grey)")


if __name__ == "__main__":  # pragma: no cover
    sys.exit(run(type("A", (), {"out": Path("demo-output")})()))
