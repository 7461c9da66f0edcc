"""Make the README screenshots of the desktop app (run under xvfb-run; not a test).

    xvfb-run -a -s "-screen 0 1600x1000x24" python tests/gui/screenshots.py resources/screenshots
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def main(out: Path) -> None:
    from PySide6.QtCore import QEventLoop, QSettings, QTimer

    from citytwin.app.commands.solar import SolarOptions
    from citytwin.app.qt.analysis import start_solar
    from citytwin.app.qt.app import make_app
    from citytwin.app.qt.main_window import MainWindow

    app = make_app()
    out.mkdir(parents=True, exist_ok=True)
    win = MainWindow(settings=QSettings(str(out / ".settings.ini"), QSettings.Format.IniFormat))
    win.resize(1500, 950)
    win.show()

    def wait(signal, ms=120000):
        loop = QEventLoop()
        res = []
        signal.connect(lambda *a: (res.append(a), loop.quit()))
        QTimer.singleShot(ms, loop.quit)
        loop.exec()
        return res[0] if res else None

    win.open_files([ROOT / "resources" / "sample" / "3dbag_b2_v2.0.city.json"])
    (layer,) = wait(win.layer_loaded)
    win.viewport.set_view("iso")
    start_solar(win, layer.key, SolarOptions(resolution=0.5, surfaces=("roof", "wall")))
    wait(win.job_finished)
    win.select_object(layer.key, "NL.IMBAG.Pand.0503100000031927")
    win.objects_panel.view.expandAll()
    for _ in range(20):
        app.processEvents()
    win.viewport.render()
    shot = app.primaryScreen().grabWindow(0, win.x(), win.y(), win.frameGeometry().width(),
                                          win.frameGeometry().height())
    shot.save(str(out / "desktop_solar.png"))
    win.set_color_by("semantic")
    win.save_screenshot(out / "viewport_semantic.png")
    win.close()
    (out / ".settings.ini").unlink(missing_ok=True)


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "resources" / "screenshots")
