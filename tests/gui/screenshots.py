"""Make the README screenshots of the desktop app (run under xvfb-run; not a test).

    xvfb-run -a -s "-screen 0 1600x1000x24" python tests/gui/screenshots.py resources/screenshots [solar|svf|fusion]...
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _grab(app, win, path: Path) -> None:
    """The window as shown, with the viewport's own render drawn in its place (grabbing the screen
    gives a black viewport under Xvfb: the GL surface is not part of the grabbed window)."""
    import numpy as np
    from PySide6.QtCore import QPoint, QRect
    from PySide6.QtGui import QImage, QPainter

    for _ in range(20):
        app.processEvents()
    shot = win.grab()
    img = np.ascontiguousarray(win.viewport.grab_image()[:, :, :3])
    h, w = img.shape[:2]
    view = QImage(img.data, w, h, 3 * w, QImage.Format.Format_RGB888)
    gl = win.viewport.plotter
    painter = QPainter(shot)
    painter.drawImage(QRect(gl.mapTo(win, QPoint(0, 0)), gl.size()), view)
    painter.end()
    shot.save(str(path))


def main(out: Path, which: tuple[str, ...] = ("solar", "svf", "fusion")) -> None:
    from PySide6.QtCore import QEventLoop, QSettings, QTimer

    from citytwin.app.qt.app import make_app
    from citytwin.app.qt.main_window import MainWindow

    app = make_app()
    out.mkdir(parents=True, exist_ok=True)

    def wait(signal, ms=180000):
        loop = QEventLoop()
        res = []
        signal.connect(lambda *a: (res.append(a), loop.quit()))
        QTimer.singleShot(ms, loop.quit)
        loop.exec()
        return res[0] if res else None

    def window():
        win = MainWindow(settings=QSettings(str(out / ".settings.ini"), QSettings.Format.IniFormat))
        win.resize(1500, 950)
        win.show()
        return win

    sample = ROOT / "resources" / "sample" / "3dbag_b2_v2.0.city.json"
    if "solar" in which:
        from citytwin.app.commands.solar import SolarOptions
        from citytwin.app.qt.analysis import start_solar

        win = window()
        win.open_files([sample])
        (layer,) = wait(win.layer_loaded)
        win.viewport.set_view("iso")
        start_solar(win, layer.key, SolarOptions(resolution=0.5, surfaces=("roof", "wall")))
        wait(win.job_finished)
        win.select_object(layer.key, "NL.IMBAG.Pand.0503100000031927")
        win.objects_panel.view.expandAll()
        _grab(app, win, out / "desktop_solar.png")
        win.set_color_by("semantic")
        win.save_screenshot(out / "viewport_semantic.png")
        win.close()
    if "svf" in which:
        from citytwin.app.commands.svf import SVFOptions
        from citytwin.app.qt.analysis import start_svf

        win = window()
        win.open_files([sample])
        (layer,) = wait(win.layer_loaded)
        win.viewport.set_view("iso")
        start_svf(win, layer.key, SVFOptions(resolution=0.5, surfaces=("roof", "wall"), mf=6))
        wait(win.job_finished)
        win.select_object(layer.key, "NL.IMBAG.Pand.0503100000028341-0")
        win.objects_panel.view.expandAll()
        _grab(app, win, out / "desktop_svf.png")
        win.close()
    if "fusion" in which:
        import tempfile

        import numpy as np

        from citytwin.app.commands.fuse import FuseParams
        from citytwin.app.qt.fusion import start_fusion
        sys.path.insert(0, str(ROOT))  # tests.fusion_scene (reads ../shared/data)
        from tests.fusion_scene import build_fusion_scene

        tmp = Path(tempfile.mkdtemp(prefix="fusion-shot-"))
        scene = build_fusion_scene(tmp, ground_step=2.0)
        win = window()
        win.open_files([scene["base"]])
        (base,) = wait(win.layer_loaded)
        o = scene["origin"]
        start_fusion(win, base.key, FuseParams(base=scene["base"], output=scene["base"], ifc=(scene["ifc"],),
                                               mesh=(scene["mesh"],), mesh_offset=(o[0], o[1], o[2])))
        wait(win.job_finished)
        fused = win.layers[max(win.layers)]
        win.layers_panel.list.item(0).setCheckState(win.layers_panel.list.item(0).checkState().Unchecked)
        win.select_object(fused.key, scene["target"])
        # frame the IFC house (the mesh-covered buildings are tens of metres apart)
        keep = np.isin(np.array(fused.tri.object_ids)[fused.tri.object_index],
                       [scene["target"], *fused.model.descendants(scene["target"])])
        c = fused.tri.vertices[np.unique(fused.tri.triangles[keep])].mean(axis=0) - win.viewport.origin
        cam = win.viewport.plotter.camera
        cam.focal_point = tuple(c)
        cam.position = tuple(c + np.array([-45.0, -60.0, 45.0]))
        cam.up = (0.0, 0.0, 1.0)
        win.viewport.plotter.reset_camera_clipping_range()
        win.fusion_report_dialog.resize(720, 330)  # over the Log, as a person would put it
        win.fusion_report_dialog.move(win.x() + win.width() - 740, win.y() + win.height() - 350)
        _grab(app, win, out / "desktop_fusion.png")
        win.fusion_report_dialog.grab().save(str(out / "fusion_report.png"))
        win.close()
    (out / ".settings.ini").unlink(missing_ok=True)


if __name__ == "__main__":
    args = sys.argv[1:]
    main(Path(args[0]) if args else ROOT / "resources" / "screenshots", tuple(args[1:]) or ("solar", "svf", "fusion"))
