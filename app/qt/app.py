"""Start the desktop application (``citytwin gui``), optionally as a scripted snapshot.

Like QGIS's ``--snapshot``: ``run_gui(files, color_by=..., screenshot=OUT.png, quit=True)`` opens
the files, frames them, saves the viewport and exits with 0 (or 1 when a file could not be
opened or the colouring is unknown).
"""

from __future__ import annotations

import logging
import sys
from pathlib import Path

log = logging.getLogger("citytwin.gui")


def make_app():
    """The QApplication (created once), with organisation names for QSettings."""
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance()
    if app is None:
        app = QApplication([sys.argv[0] if sys.argv else "citytwin"])
        app.setOrganizationName("citytwin")
        app.setApplicationName("citytwin")
    return app


_warmed = False


def warm_up_imports() -> None:
    """Import open3d (Embree picking) in a background thread, once per process.

    Its first import takes 3 to 10 s (it pulls in dash and plotly); done when the first file is
    opened, it made opening even a four-building sample take that long. Started with the window,
    it runs while the person chooses a file; a loader that needs it meanwhile waits on Python's
    import lock for the rest of it. Failures are ignored here: the loader reports them.
    """
    global _warmed
    if _warmed:
        return
    _warmed = True
    import threading

    def work() -> None:
        try:
            import open3d  # noqa: F401
        except Exception:  # noqa: BLE001 - reported when picking needs it
            pass

    threading.Thread(target=work, name="citytwin-warm-up", daemon=True).start()


def run_gui(files: list[str | Path], color_by: str | None = None, screenshot: str | Path | None = None,
            quit: bool = False, view: str = "iso", size: tuple[int, int] | None = None) -> int:
    """Open the main window on ``files``; returns the process exit code."""
    from PySide6.QtCore import QTimer

    from citytwin.app.qt.main_window import MainWindow
    from citytwin.app.qt.safety import describe, install_excepthook

    app = make_app()
    win = MainWindow()
    win.eager_pick_index = not quit  # a snapshot never picks: skip the Embree index
    if not quit:
        warm_up_imports()
    if size:
        win.resize(*size)
    install_excepthook(lambda: win)
    win.show()
    pending = {str(Path(f)) for f in files}
    errors: list[str] = []

    def loaded(layer) -> None:
        pending.discard(str(layer.path))
        if color_by:
            try:
                win.set_color_by(color_by, layer.key)
            except KeyError as exc:
                errors.append(f"{layer.path}: {exc.args[0]}")
                log.error("%s: %s", layer.path, exc.args[0])
        maybe_finish()

    def failed(path: str, message: str) -> None:
        pending.discard(str(Path(path)))
        errors.append(message)
        maybe_finish()

    def maybe_finish() -> None:
        if pending:
            return
        if win.layers:  # the last layer alone when the layers lie so far apart that all would be specks
            last = max(win.layers)
            win.viewport.set_view(view, last if win.far_from_others_km(last) is not None else None)
        if screenshot is not None:
            try:
                win.save_screenshot(screenshot)
                print(f"wrote {screenshot}")
            except Exception as exc:  # noqa: BLE001
                errors.append(describe(exc))
        if quit:
            QTimer.singleShot(0, win.close)
            QTimer.singleShot(0, app.quit)

    win.layer_loaded.connect(loaded)
    win.load_failed.connect(failed)
    if files:
        win.open_files([Path(f) for f in files])
    elif quit:
        maybe_finish()
    app.exec()
    for e in errors:
        print(f"error: {e}", file=sys.stderr)
    return 1 if errors else 0
