"""The flows a person does in the desktop app, under Xvfb with the real VTK viewport."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pytest
from PySide6.QtCore import QPoint, Qt

from tests.gui.conftest import DATA, SAMPLE, open_and_wait

pytestmark = pytest.mark.gui


def _roof_triangle_of(layer, oid: str) -> int:
    tri = layer.tri
    oi = tri.object_ids.index(oid)
    roofs = np.nonzero((tri.object_index == oi) & (tri.semantic_type == 1))[0]
    # the largest roof triangle: its centroid is well inside the roof
    return int(roofs[np.argmax(tri.areas[roofs])])


def _centroid(layer, t: int) -> np.ndarray:
    return layer.tri.vertices[layer.tri.triangles[t]].mean(axis=0)


def _click_world(qtbot, win, world: np.ndarray) -> None:
    x, y = win.viewport.world_to_display(world)
    w = win.viewport.plotter.interactor
    dpr = w.devicePixelRatioF()
    pos = QPoint(int(round(x / dpr)), int(round(w.height() - y / dpr)))
    qtbot.mouseClick(w, Qt.MouseButton.LeftButton, pos=pos)


def test_open_file_shows_objects_in_tree_and_viewport(qtbot, window) -> None:
    layer = open_and_wait(qtbot, window, SAMPLE)
    tree = window.objects_panel.model
    assert tree.rowCount() == 1  # one layer
    lay_idx = tree.index(0, 0)
    assert tree.data(lay_idx) == SAMPLE.name
    group = tree.index(0, 0, lay_idx)
    assert tree.data(group) == "Building" and tree.rowCount(group) == 2
    building = tree.index(0, 0, group)
    assert tree.rowCount(building) == 1  # its BuildingPart
    view = window.viewport.layers[layer.key]
    assert sum(a.GetMapper().GetInput().GetNumberOfCells() for a in view.actors.values()) == layer.tri.n_triangles
    assert set(view.actors) == {"roofs", "walls", "ground"}
    img = window.viewport.grab_image()
    bg = img[2, img.shape[1] // 2].astype(int)
    assert (np.abs(img.astype(int) - bg).sum(axis=2) > 60).mean() > 0.05  # the model covers the view
    assert "EPSG:7415" in window.crs_label.text() and "RD New" in window.crs_label.text()
    assert window.recent_files()[0] == str(SAMPLE.resolve())


def test_click_building_shows_attributes_and_syncs_tree(qtbot, window) -> None:
    layer = open_and_wait(qtbot, window, SAMPLE)
    part = "NL.IMBAG.Pand.0503100000031927-0"
    t = _roof_triangle_of(layer, part)
    with qtbot.waitSignal(window.viewport.picked, timeout=5000) as blocker:
        _click_world(qtbot, window, _centroid(layer, t))
    key, picked_tri, world = blocker.args
    assert layer.tri.object_ids[layer.tri.object_index[picked_tri]] == part
    ap = window.attributes_panel
    assert ap.value_of("Object", "id") == part
    assert ap.value_of("Picked surface", "semantic type") == "RoofSurface"
    assert ap.value_of(f"Attributes of parent {part[:-2]}", "oorspronkelijkbouwjaar") == "1936"
    # status bar: model CRS coordinates (RD New, metres)
    txt = window.coord_label.text()
    x = float(txt.split()[1])
    assert 84990 < x < 85030 and "EPSG:7415" in txt
    # tree follows the viewport ...
    assert window.objects_panel.current_object() == (layer.key, part)
    assert window.viewport.plotter.actors.get("highlight") is not None
    # ... and the viewport and attributes follow the tree
    other = "NL.IMBAG.Pand.0503100000028341"
    idx = window.objects_panel.model.index_of(layer.key, other)
    window.objects_panel.view.setCurrentIndex(idx)
    assert ap.value_of("Object", "id") == other
    assert ap.value_of("Attributes", "b3_dak_type") == "slanted"
    assert window.selected == (layer.key, other)
    # clicking the background clears the selection
    with qtbot.waitSignal(window.viewport.picked_nothing, timeout=5000):
        w = window.viewport.plotter.interactor
        qtbot.mouseClick(w, Qt.MouseButton.LeftButton, pos=QPoint(5, 5))
    assert window.viewport.plotter.actors.get("highlight") is None


def test_colour_by_semantics_roofs_red_and_by_attributes(qtbot, window, tmp_path) -> None:
    layer = open_and_wait(qtbot, window, SAMPLE)
    window.set_color_by("semantic")
    out = window.save_screenshot(tmp_path / "semantic.png")
    from PIL import Image

    img = np.asarray(Image.open(out).convert("RGB")).astype(int)
    h = img.shape[0]
    for part in ("NL.IMBAG.Pand.0503100000031927-0", "NL.IMBAG.Pand.0503100000028341-0"):
        x, y = window.viewport.world_to_display(_centroid(layer, _roof_triangle_of(layer, part)))
        r, g, b = img[h - 1 - int(round(y)), int(round(x))]
        assert r > 140 and g < 80 and b < 80, (part, (r, g, b))
    # walls light grey somewhere, no red where there is no roof (background corner)
    assert not (img[5, 5, 0] > 140 and img[5, 5, 1] < 80)
    # numeric attribute: a scalar bar titled with the attribute
    window.set_color_by("oorspronkelijkbouwjaar")
    assert "oorspronkelijkbouwjaar" in window.viewport.scalar_bar_titles
    # categorical attribute: legend, no scalar bar left over
    window.set_color_by("b3_dak_type")
    assert window.viewport.scalar_bar_titles == []
    assert window.viewport.layers[layer.key].coloring.legend[0][0] == "slanted"
    # an unknown attribute: error shown, colouring unchanged, app alive
    window._on_color_by(layer.key, "no_such_attribute")
    assert window.layers[layer.key].color_by == "b3_dak_type"
    qtbot.waitUntil(lambda: "no object has the attribute" in window.log_panel.toPlainText(), timeout=3000)


def test_broken_file_shows_error_and_keeps_layers(qtbot, window, tmp_path) -> None:
    layer = open_and_wait(qtbot, window, SAMPLE)
    bad = tmp_path / "broken.city.json"
    text = SAMPLE.read_text()
    bad.write_text(text[: len(text) // 2])  # truncated mid-file
    with qtbot.waitSignal(window.load_failed, timeout=20000) as blocker:
        window.open_files([bad])
    assert "broken.city.json" in blocker.args[1]
    from PySide6.QtWidgets import QMessageBox

    boxes = [b for b in window.findChildren(QMessageBox, "errorBox") if b.isVisible()]
    assert boxes and "broken.city.json" in boxes[0].text()
    assert list(window.layers) == [layer.key] and len(window.viewport.layers) == 1
    qtbot.waitUntil(lambda: "broken.city.json" in window.log_panel.toPlainText(), timeout=3000)
    # still alive: the next file opens
    again = open_and_wait(qtbot, window, DATA / "cityjson" / "multi_lod_v2.0.city.json")
    assert len(window.layers) == 2 and again.model is not layer.model


def test_filter_tree_by_id_and_attribute(qtbot, window) -> None:
    layer = open_and_wait(qtbot, window, SAMPLE)
    op = window.objects_panel
    op.filter.setText("oorspronkelijkbouwjaar>1940")
    assert op.apply_filter() == 1
    assert op.model.index_of(layer.key, "NL.IMBAG.Pand.0503100000028341").isValid()
    assert not op.model.index_of(layer.key, "NL.IMBAG.Pand.0503100000031927").isValid()
    op.filter.setText("31927-0")
    assert op.apply_filter() == 1
    assert op.model.index_of(layer.key, "NL.IMBAG.Pand.0503100000031927-0").isValid()
    op.filter.setText("")
    assert op.model.index_of(layer.key, "NL.IMBAG.Pand.0503100000028341").isValid()


def test_lod_switch_and_visibility(qtbot, window) -> None:
    layer = open_and_wait(qtbot, window, DATA / "cityjson" / "multi_lod_v2.0.city.json")
    n22 = layer.tri.n_triangles
    with qtbot.waitSignal(window.job_finished, timeout=20000) as blocker:
        window._on_lod(layer.key, "1.2")
    assert blocker.args[1] == "ok"
    assert 0 < window.layers[layer.key].tri.n_triangles < n22
    window.layers_panel.list.item(0).setCheckState(Qt.CheckState.Unchecked)
    assert not any(a.GetVisibility() for a in window.viewport.layers[layer.key].actors.values())


def test_export_model_and_screenshot(qtbot, window, tmp_path) -> None:
    from citytwin.io.registry import read

    layer = open_and_wait(qtbot, window, SAMPLE)
    out = tmp_path / "out.city.jsonl"
    with qtbot.waitSignal(window.job_finished, timeout=20000) as blocker:
        window.export_model(out)
    assert blocker.args[1] == "ok"
    assert len(read(out)) == len(layer.model)
    png = window.save_screenshot(tmp_path / "shot.png")
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_drop_and_texture_layer(qtbot, window, tmp_path) -> None:
    from PySide6.QtCore import QMimeData, QPointF, QUrl
    from PySide6.QtGui import QDropEvent

    src = DATA / "cityjson" / "rotterdam_textured"
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(src / "rotterdam_subset_v2.0.city.json"))])
    ev = QDropEvent(QPointF(50, 50), Qt.DropAction.CopyAction, mime, Qt.MouseButton.NoButton,
                    Qt.KeyboardModifier.NoModifier)
    with qtbot.waitSignal(window.layer_loaded, timeout=20000) as blocker:
        window.dropEvent(ev)
    layer = blocker.args[0]
    assert layer.color_by == "texture"
    tex_groups = [g for g in layer.scene.groups if g.texture_path]
    assert tex_groups and all(Path(g.texture_path).exists() for g in tex_groups)
    actor = window.viewport.layers[layer.key].actors[tex_groups[0].name]
    assert actor.GetTexture() is not None


def test_cancel_open_keeps_model_and_window_responsive(qtbot, window, tmp_path) -> None:
    from tests.tiling import SEQ_SAMPLE, tile_cityjsonseq

    big = tmp_path / "tiled.city.jsonl"
    tile_cityjsonseq(SEQ_SAMPLE, big, 300)  # 1,200 real 3D BAG objects
    layer = open_and_wait(qtbot, window, SAMPLE)
    version = layer.model.version
    with qtbot.waitSignal(window.job_finished, timeout=30000) as blocker:
        jobs = window.open_files([big])
        window.cancel_button.click()  # as the person does
        ticks = []
        from PySide6.QtCore import QTimer

        QTimer.singleShot(10, lambda: ticks.append(1))
        qtbot.waitUntil(lambda: bool(ticks), timeout=1000)  # the event loop keeps running
    assert blocker.args[1] == "cancelled"
    assert jobs[0].was_cancelled
    qtbot.waitUntil(lambda: not jobs[0].isRunning(), timeout=5000)
    assert list(window.layers) == [layer.key] and layer.model.version == version
    qtbot.waitUntil(lambda: "cancelled" in window.log_panel.toPlainText(), timeout=3000)


def test_close_while_loading_is_clean(qtbot, tmp_path) -> None:
    from PySide6.QtCore import QSettings

    from citytwin.app.qt.main_window import MainWindow

    win = MainWindow(settings=QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat))
    win.show()
    qtbot.waitExposed(win)
    jobs = win.open_files([SAMPLE, DATA / "cityjson" / "multi_lod_v2.0.city.json"])
    win.close()
    assert all(not j.isRunning() for j in jobs)
    assert win.viewport._closed and not win.runner.busy
    assert QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat).value("window/geometry") is not None


def test_slot_exceptions_are_caught_logged_and_shown(qtbot, window) -> None:
    from PySide6.QtWidgets import QMessageBox

    window.show_info()  # no layer open: a UsageError inside a slot
    with qtbot.waitSignal(window.job_finished, timeout=10000):
        window.run_job("apply fails", lambda progress: 41, lambda result: result / 0)
    qtbot.waitUntil(lambda: "ZeroDivisionError" in window.log_panel.toPlainText(), timeout=3000)
    texts = [b.text() for b in window.findChildren(QMessageBox, "errorBox")]
    assert any("no layer is open" in t for t in texts) and any("ZeroDivisionError" in t for t in texts)
    assert "Traceback" in window.log_panel.toPlainText()  # unexpected errors keep their traceback
    assert window.isVisible()
