"""The Validation dock (issue 14 item 13) on the real window: the problems ``info`` reports,
filtered by severity and code, a double-click selects the object and zooms to it."""

from __future__ import annotations

import pytest

from tests.conftest import shared_path
from tests.gui.conftest import open_and_wait
from tests.gui.shots import shot_widget
from tests.gui.test_view_details import _projected_extent

pytestmark = pytest.mark.gui


def test_validation_dock_lists_filters_and_zooms(qtbot, window, tmp_path) -> None:
    from PySide6.QtCore import Qt

    from citytwin.app.commands.info import summarize
    from citytwin.io.registry import read

    path = shared_path("cityjson", "delft_v2.0.city.json")  # 570 buildings, 163 problems
    layer = open_and_wait(qtbot, window, path, timeout=180000)
    panel = window.validation_panel
    dock = window.docks["Validation"]
    assert not dock.isVisible()
    assert dock.toggleViewAction().shortcut().toString() == "F7"
    with qtbot.waitSignal(window.job_finished, timeout=120000,
                          check_params_cb=lambda name, _s: name.startswith("check ")):
        dock.toggleViewAction().trigger()
    qtbot.waitUntil(lambda: panel.key == layer.key, timeout=5000)
    oracle = summarize(read(path), max_problems=10000)
    assert len(panel.rows) == oracle.problem_count == panel.table.rowCount()
    # filter: errors of one code
    panel.severity.setCurrentText("error")
    codes = [panel.code.itemData(i) for i in range(panel.code.count())]
    assert "val3dity 302" in codes
    panel.code.setCurrentIndex(codes.index("val3dity 302"))
    n302 = sum(1 for p in oracle.problems if "val3dity 302" in p["message"] and p["severity"] == "error")
    assert panel.table.rowCount() == n302 > 0
    assert all(panel.table.item(i, 2).text() == "val3dity 302" for i in range(panel.table.rowCount()))
    panel.severity.setCurrentText("warning")
    assert panel.table.rowCount() == 0
    panel.severity.setCurrentText("all")
    window.resizeDocks([dock], [330], Qt.Orientation.Vertical)
    qtbot.wait(100)
    # double-click a row: the object is selected and framed
    row = next(i for i in range(panel.table.rowCount()) if panel.table.item(i, 0).data(Qt.ItemDataRole.UserRole))
    oid = panel.table.item(row, 0).data(Qt.ItemDataRole.UserRole)
    assert _projected_extent(window, layer.key, oid) < 0.1
    rect = panel.table.visualItemRect(panel.table.item(row, 0))
    qtbot.mouseClick(panel.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(panel.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert window.selected == (layer.key, oid)
    assert _projected_extent(window, layer.key, oid) > 0.5
    qtbot.wait(200)
    window.viewport.render()
    shot_widget(window, tmp_path, "validation_dock.png")
