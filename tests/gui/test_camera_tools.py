"""View menu camera tools on the real window (issue 14 item 12): back / left / bottom views,
perspective / orthographic, north arrow and scale bar, camera bookmarks that survive a restart.
One render per action."""

from __future__ import annotations

import numpy as np
import pytest

from tests.gui.conftest import SAMPLE, open_and_wait
from tests.gui.shots import shot_view

pytestmark = pytest.mark.gui


def _renders(qtbot, window, fn) -> int:
    qtbot.wait(400)  # let the X echo of the last render pass
    before = window.viewport.render_count
    fn()
    qtbot.wait(400)
    return window.viewport.render_count - before


def _camera_dir(window) -> np.ndarray:
    return np.asarray(window.viewport.plotter.renderer.GetActiveCamera().GetDirectionOfProjection())


def test_views_projection_overlays(qtbot, window, tmp_path) -> None:
    layer = open_and_wait(qtbot, window, SAMPLE)
    acts = window.actions
    for name, direction in [("view_back", (0, -1, 0)), ("view_left", (1, 0, 0)), ("view_bottom", (0, 0, 1))]:
        assert _renders(qtbot, window, acts[name].trigger) == 1, name
        assert np.allclose(_camera_dir(window), direction, atol=1e-6), name
    assert acts["view_back"].shortcut().toString() == "Ctrl+1"
    # orthographic: one render, the scale at the focal point unchanged
    window.view_top()
    qtbot.wait(300)
    from citytwin.app.render.camera import metres_per_pixel
    r = window.viewport.plotter.renderer
    before = metres_per_pixel(r)
    assert _renders(qtbot, window, acts["orthographic"].trigger) == 1
    assert r.GetActiveCamera().GetParallelProjection() and metres_per_pixel(r) == pytest.approx(before)
    # the scale bar: its length in pixels is its length in metres on screen (VTK's projection)
    ov = window.camera_tools.overlays
    assert ov.label.endswith(" m") and not ov.label.startswith("~")
    metres = float(ov.label.split()[0])
    f = np.asarray(r.GetActiveCamera().GetFocalPoint()) + window.viewport.origin
    a, b = window.viewport.world_to_display(f), window.viewport.world_to_display(f + [metres, 0, 0])
    bar = ov.bar_pts
    assert abs(bar.GetPoint(1)[0] - bar.GetPoint(0)[0]) == pytest.approx(abs(b[0] - a[0]), rel=1e-3)
    # north arrow in the top view points up; the pixels show it (dark) in the upper right corner
    assert ov.north[:2] == pytest.approx((0.0, 1.0), abs=1e-6)
    img = window.viewport.grab_image()
    h, w = img.shape[:2]
    corner = img[20:110, w - 90:w - 5].astype(int).sum(axis=2)
    assert (corner < 150).sum() > 100
    shot_view(window, tmp_path, "view_orientation.png")
    # switch both off: the corner is background again
    acts["map_overlays"].trigger()
    qtbot.wait(300)
    corner = window.viewport.grab_image()[20:110, w - 90:w - 5].astype(int).sum(axis=2)
    assert (corner < 150).sum() == 0
    assert _renders(qtbot, window, acts["orthographic"].trigger) == 1  # back to perspective
    assert not r.GetActiveCamera().GetParallelProjection()
    window.remove_layer(layer.key)


def test_bookmark_survives_restart(qtbot, window, tmp_path) -> None:
    from PySide6.QtCore import QSettings

    from citytwin.app.qt.main_window import MainWindow

    open_and_wait(qtbot, window, SAMPLE)
    window.view_iso()
    r = window.viewport.plotter.renderer
    r.GetActiveCamera().Azimuth(40)
    r.GetActiveCamera().Zoom(1.7)
    window.viewport.render()
    qtbot.wait(300)
    window.camera_tools.add_bookmark("corner")
    shot_view(window, tmp_path, "view_perspective.png")
    assert window.camera_tools.overlays.label.startswith("~")  # perspective: exact at the centre only
    pos = np.asarray(r.GetActiveCamera().GetPosition()) + window.viewport.origin
    img = window.viewport.grab_image().astype(int)
    window.view_top()
    qtbot.wait(200)
    assert _renders(qtbot, window, lambda: window.camera_tools.go_to("corner")) == 1
    assert np.allclose(np.asarray(r.GetActiveCamera().GetPosition()) + window.viewport.origin, pos)
    names = [a.text() for a in window.camera_tools.bookmark_menu.actions()]
    assert "corner" in names
    window.settings.sync()
    # a restart: a new window on the same settings, the layer opened again
    path = window.settings.fileName()
    window.close()
    win2 = MainWindow(settings=QSettings(path, QSettings.Format.IniFormat))
    win2.resize(window.size())
    qtbot.addWidget(win2)
    win2.show()
    qtbot.waitExposed(win2)
    try:
        assert "corner" in [a.text() for a in win2.camera_tools.bookmark_menu.actions()]
        open_and_wait(qtbot, win2, SAMPLE)
        win2.camera_tools.go_to("corner")
        qtbot.wait(300)
        r2 = win2.viewport.plotter.renderer
        assert np.allclose(np.asarray(r2.GetActiveCamera().GetPosition()) + win2.viewport.origin, pos)
        img2 = win2.viewport.grab_image().astype(int)
        assert img2.shape == img.shape
        assert np.abs(img2 - img).mean() < 3.0  # the same view, pixel for pixel (within antialiasing)
    finally:
        win2.close()
