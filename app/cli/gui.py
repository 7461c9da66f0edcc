"""``citytwin gui``: the desktop application (Qt is imported only when it runs)."""

from __future__ import annotations

from pathlib import Path


def add_parser(sub) -> None:
    p = sub.add_parser("gui", help="open the desktop application",
                       description="Open the desktop application on the given files. With --screenshot "
                       "and --quit it is a scripted snapshot: open, frame, save a PNG of the viewport, exit.")
    p.add_argument("files", nargs="*", type=Path, help="files to open (any readable format)")
    p.add_argument("--color-by", default=None, metavar="semantic|texture|ATTR",
                   help="colour mode: semantic surface types, textures, or an attribute name")
    p.add_argument("--screenshot", type=Path, default=None, metavar="OUT.png",
                   help="save a PNG of the viewport once the files are shown")
    p.add_argument("--view", default="iso", choices=["iso", "top", "front", "back", "left", "right"],
                   help="camera view for the snapshot (default: iso)")
    p.add_argument("--quit", action="store_true", help="exit after opening (and the screenshot)")


def run(args) -> int:
    from citytwin.errors import InputError, MissingDependencyError, UsageError

    if args.screenshot is not None and args.screenshot.suffix.lower() != ".png":
        raise UsageError(f"--screenshot {args.screenshot}: the screenshot must be a .png file")
    if args.quit:  # a scripted run fails fast, before any window; interactively the window says it
        for f in args.files:
            if not f.exists():
                raise InputError(f, "no such file")
    try:
        from citytwin.app.qt.app import run_gui
    except ImportError as exc:
        raise MissingDependencyError(f"the desktop application needs {exc.name!r} (PySide6, pyvistaqt)") from None
    return run_gui(args.files, color_by=args.color_by, screenshot=args.screenshot, quit=args.quit,
                   view=args.view)
