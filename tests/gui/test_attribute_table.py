"""The attribute table (issue 14 item 8) in the real window: rows and columns, sorting, the filter
language, selection synced both ways, only selected, analysis columns, CSV export."""

from __future__ import annotations

import csv

import numpy as np
import pytest

from tests.conftest import shared_path
from tests.gui.conftest import SAMPLE, open_and_wait
from tests.gui.test_main_window import _centroid, _click_world

pytestmark = pytest.mark.gui


def test_attribute_table_sorts_filters_syncs_and_exports(qtbot, window, tmp_path) -> None:
    from PySide6.QtCore import Qt

    from citytwin.io.registry import read

    path = shared_path("cityjson", "delft_v2.0.city.json")
    layer = open_and_wait(qtbot, window, path, timeout=120000)
    window.actions["attribute_table"].trigger()
    panel = window.table_panel
    assert window.docks["Attribute table"].isVisible() and panel.layer is layer
    raw = read(path)
    assert panel.model.rowCount() == len(raw) and panel.model.table.columns[:2] == ["id", "type"]
    assert set(raw.attribute_names()) <= set(panel.model.table.columns)
    # sort by an attribute: the oracle is the file's own values (text; empty cells last)
    col = "creationdate"
    c = panel.model.table.columns.index(col)
    panel.view.sortByColumn(c, Qt.SortOrder.DescendingOrder)
    shown = [panel.model.table.rows[i][c] for i in panel.model.order]
    assert shown == sorted((o.attributes[col] for o in raw.objects.values()), key=str.lower, reverse=True)
    # the Objects tree's filter language
    panel.filter.setText("bgt_type=muur")
    panel.refresh()
    expect = {oid for oid, o in raw.objects.items() if str(o.attributes.get("bgt_type")).lower() == "muur"}
    assert expect and set(panel.visible_ids()) == expect and panel.count.text().startswith(f"{len(expect)} of")
    panel.filter.setText("")
    assert panel.model.rowCount() == len(raw)
    # table -> view and tree
    oid = panel.visible_ids()[3]
    panel.view.selectRow(3)
    assert window.selected == (layer.key, oid)
    assert window.objects_panel.current_object() == (layer.key, oid)
    assert window.viewport.plotter.actors.get("highlight") is not None
    # view -> table: a click on another building selects its row
    other = layer.tri.object_ids[0]
    window.select_object(layer.key, other)
    window.zoom_to_selection()
    window._on_picked_nothing()
    assert panel.view.selectionModel().selectedRows() == []
    t = int(np.nonzero(layer.tri.object_index == 0)[0][np.argmax(layer.tri.areas[layer.tri.object_index == 0])])
    with qtbot.waitSignal(window.viewport.picked, timeout=5000):
        _click_world(qtbot, window, _centroid(layer, t))
    picked = window.selected[1]
    rows = panel.view.selectionModel().selectedRows()
    assert len(rows) == 1 and panel.model.oid(rows[0].row()) == picked
    # only selected
    panel.only_selected.setChecked(True)
    assert panel.visible_ids() == [picked]
    panel.only_selected.setChecked(False)
    # CSV export of the visible rows in their order
    out = tmp_path / "table.csv"
    panel.export_csv(out)
    with open(out, newline="", encoding="utf-8") as f:
        got = list(csv.reader(f))
    assert got[0] == panel.model.table.columns and len(got) == 1 + len(raw)
    assert [r[0] for r in got[1:]] == panel.visible_ids()


def test_attribute_table_shows_analysis_values(qtbot, window) -> None:
    from citytwin.app.commands.svf import SVFOptions
    from citytwin.app.qt.analysis import SVF_NAME, start_svf

    layer = open_and_wait(qtbot, window, SAMPLE)
    window.show_attribute_table()
    with qtbot.waitSignal(window.job_finished, timeout=300000) as blocker:
        start_svf(window, layer.key, SVFOptions(resolution=2.0, mf=4, surfaces=("roof",)))
    assert blocker.args[1] == "ok"
    panel = window.table_panel
    c = panel.model.table.columns.index(SVF_NAME)
    values = {panel.model.table.ids[i]: panel.model.table.rows[i][c] for i in range(len(panel.model.table))}
    expect = layer.analyses[SVF_NAME].object_values
    assert expect and all(values[k] == v for k, v in expect.items())
