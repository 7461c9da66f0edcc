"""One render per user action (issue 13 item 2), counted on the real window under Xvfb.

Every ``Render`` of the viewport's VTK window is counted (an observer on its StartEvent, whoever
asked: our code, pyvista, the interactor style at a mouse release or a Qt paint event).
Before, a click rendered 5 times, a colour change 8, a LoD switch 9: each costs a full frame
(about 1 s on a 54k-building district under llvmpipe).
"""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import Qt

from tests.gui.conftest import DATA, SAMPLE, open_and_wait
from tests.gui.test_main_window import _centroid, _click_world, _roof_triangle_of

pytestmark = pytest.mark.gui

SETTLE_MS = 300  # long enough for every deferred render and queued paint event to have run


def _renders(qtbot, win, action) -> int:
    """Renders caused by ``action()`` once the event loop has settled."""
    qtbot.wait(SETTLE_MS)
    before = win.viewport.render_count
    action()
    qtbot.wait(SETTLE_MS)
    return win.viewport.render_count - before


def test_one_render_per_user_action(qtbot, window) -> None:
    other = open_and_wait(qtbot, window, DATA / "cityjson" / "multi_lod_v2.0.city.json")
    opened = []
    # opening a second layer (framed alone: it is 76 km from the first): one render
    assert _renders(qtbot, window, lambda: opened.append(open_and_wait(qtbot, window, SAMPLE))) == 1
    layer = opened[0]
    vp = window.viewport
    part = "NL.IMBAG.Pand.0503100000031927-0"
    target = _centroid(layer, _roof_triangle_of(layer, part))
    img0 = vp.grab_image()

    # identify by a click (the first click also gives the viewport the keyboard focus)
    with qtbot.waitSignal(vp.picked, timeout=5000):
        n_click = _renders(qtbot, window, lambda: _click_world(qtbot, window, target))
    assert n_click == 1
    assert window.selected == (layer.key, part)
    # that one render drew the highlight: the pixels at the picked roof are no longer the roof's red
    x, y = vp.world_to_display(target)
    h = img0.shape[0]
    shown = vp.plotter.image  # the last rendered frame, without rendering again
    assert np.abs(shown[h - 1 - int(y), int(x)].astype(int) - img0[h - 1 - int(y), int(x)].astype(int)).sum() > 30

    assert _renders(qtbot, window, lambda: _click_world(qtbot, window, target)) == 1  # again: focus held
    # selection from the tree
    idx = window.objects_panel.model.index_of(layer.key, "NL.IMBAG.Pand.0503100000028341")
    assert _renders(qtbot, window, lambda: window.objects_panel.view.setCurrentIndex(idx)) == 1
    # colour changes: numeric attribute (scalar bar), categorical (legend), back to semantic
    for mode in ("oorspronkelijkbouwjaar", "b3_dak_type", "semantic"):
        assert _renders(qtbot, window, lambda m=mode: window.set_color_by(m, layer.key)) == 1, mode
    # visibility (the layer's check box) and opacity
    item = window.layers_panel.list.item(0)
    assert _renders(qtbot, window, lambda: item.setCheckState(Qt.CheckState.Unchecked)) == 1
    assert _renders(qtbot, window, lambda: item.setCheckState(Qt.CheckState.Checked)) == 1
    # click on nothing
    assert _renders(qtbot, window, lambda: window._on_picked_nothing()) == 1
    # standard view
    assert _renders(qtbot, window, window.view_top) == 1

    # LoD switch: one render when the new triangles are shown (none while the worker runs)
    def lod() -> None:
        with qtbot.waitSignal(window.job_finished, timeout=20000) as blocker:
            window._on_lod(other.key, "1.2")
        assert blocker.args[1] == "ok"

    assert _renders(qtbot, window, lod) == 1
    assert window.layers[other.key].lod == "1.2"
