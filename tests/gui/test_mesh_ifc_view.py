"""IFC at the default LoD and meshes opened with placement options, on the real window
(issue 14 items 3 and 4), checked on triangle counts and pixels."""

from __future__ import annotations

import numpy as np
import pytest

from tests.conftest import DATA, ROOT
from tests.gui.conftest import open_and_wait
from tests.gui.shots import shot_view, shot_widget

pytestmark = pytest.mark.gui

ROOF_IFC = DATA / "ifc" / "Ifc4_SampleHouse_1_Roof.ifc"
FUZE = DATA / "mesh" / "fuze.obj"
SAMPLE = ROOT / "resources" / "sample" / "3dbag_b2_v2.0.city.json"


def _model_mask(img: np.ndarray) -> np.ndarray:
    img = img.astype(int)
    return np.abs(img - img[:, -3:-2, :]).sum(axis=2) > 40


def _extent(mask: np.ndarray) -> tuple[int, int]:
    h, w = mask.shape
    m = mask.copy()
    m[: h // 5, : 3 * w // 5] = False  # legend
    m[3 * h // 4:, : w // 5] = False  # axes
    m[:120, w - 100:] = False  # north arrow
    m[h - 45:, w - 220:] = False  # scale bar
    ys, xs = np.nonzero(m)
    return (int(xs.max() - xs.min()), int(ys.max() - ys.min())) if len(xs) else (0, 0)


def _red(img: np.ndarray) -> np.ndarray:
    return (img[..., 0] > 140) & (img[..., 1] < 90) & (img[..., 2] < 90)


def test_ifc_default_lod_shows_one_lod_per_object(qtbot, window, tmp_path) -> None:
    from citytwin.io.registry import read

    layer = open_and_wait(qtbot, window, ROOF_IFC)
    oracle = read(ROOF_IFC)
    lod3 = oracle.triangulate(lod="3").n_triangles
    env = oracle.triangulate(lod="2.2").n_triangles
    assert layer.lod is None and layer.tri.n_triangles == lod3  # was lod3 + env = 2,526
    assert env > 0
    window.set_color_by("semantic", layer.key)
    window.view_top()
    qtbot.wait(200)
    img = window.viewport.grab_image()
    shot_view(window, tmp_path, "ifc_default_lod.png")
    assert _red(img).sum() > 2000  # the IfcRoof drawn as a roof (red), not as "no semantics"


def _open_with_dialog(qtbot, window, monkeypatch, path, fill) -> list:
    """File > Open on ``path``; ``fill(dialog)`` sets the mesh dialog and returns True to press Open."""
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QFileDialog

    from citytwin.app.qt.mesh_open import MeshOpenDialog

    monkeypatch.setattr(QFileDialog, "getOpenFileNames", lambda *a, **k: ([str(path)], ""))
    seen = []

    def act():
        dlg = QApplication.activeModalWidget()
        if not isinstance(dlg, MeshOpenDialog):
            QTimer.singleShot(20, act)
            return
        seen.append(dlg)
        fill(dlg)

    QTimer.singleShot(0, act)
    window.actions["open"].trigger()
    assert seen, "the mesh open dialog did not show"
    return seen


def test_mesh_open_options_upright_and_messages(qtbot, window, monkeypatch, tmp_path) -> None:
    errors = []

    def bad_then_good(dlg):
        dlg.up.setCurrentText("auto")
        dlg.crs.setText("nonsense")
        dlg.accept()  # refused: the dialog stays open with one sentence
        assert dlg.isVisible()
        errors.append(dlg.error_label.text())
        shot_widget(dlg, tmp_path, "mesh_open_dialog.png")
        dlg.crs.setText("")
        dlg.accept()

    with qtbot.waitSignal(window.layer_loaded, timeout=60000) as blocker:
        _open_with_dialog(qtbot, window, monkeypatch, FUZE, bad_then_good)
    (msg,) = errors
    assert "CRS" in msg and "'nonsense'" in msg and "fuze.obj" in msg and "--" not in msg
    layer = blocker.args[0]
    window.view_front()
    qtbot.wait(200)
    w, h = _extent(_model_mask(window.viewport.grab_image()))
    shot_view(window, tmp_path, "mesh_upright.png")
    assert h > 2 * w > 0  # the bottle stands: taller than wide from the front
    window.remove_layer(layer.key)

    def lying(dlg):
        dlg.up.setCurrentText("y")
        dlg.accept()

    with qtbot.waitSignal(window.layer_loaded, timeout=60000) as blocker:
        _open_with_dialog(qtbot, window, monkeypatch, FUZE, lying)
    layer = blocker.args[0]
    assert layer.model.source["mesh_up_axis"] == "y"
    window.view_front()
    qtbot.wait(200)
    w, h = _extent(_model_mask(window.viewport.grab_image()))
    # the same scan read as Y-up lies on its side (seen end-on from the front): the option reached the reader
    assert 0 < h < 1.5 * w
    ext = np.ptp(layer.model.vertices, axis=0)
    assert ext[2] < ext[1] / 2


def test_untextured_mesh_coloured_by_normal_direction(qtbot, window, tmp_path) -> None:
    from citytwin.app.render.orientation import ORIENTATION_MODE
    from citytwin.io.registry import read, write

    obj = tmp_path / "bag_scan.obj"
    write(read(SAMPLE), obj)  # real buildings as an untextured mesh without semantics
    layer = open_and_wait(qtbot, window, obj)
    window.view_top()
    window.set_color_by("semantic", layer.key)
    qtbot.wait(200)
    assert _red(window.viewport.grab_image()).sum() == 0  # no semantics: no roofs
    combo = window.layers_panel.color_by
    assert ORIENTATION_MODE in [combo.itemText(i) for i in range(combo.count())]
    window.set_color_by(ORIENTATION_MODE, layer.key)
    qtbot.wait(200)
    img = window.viewport.grab_image()
    shot_view(window, tmp_path, "mesh_orientation.png")
    assert _red(img).sum() > 2000  # roofs seen from above are roof-like (red)
    legend = [label for label, _ in window.viewport.layers[layer.key].coloring.legend]
    assert any(x.startswith("roof-like") for x in legend) and any(x.startswith("wall-like") for x in legend)
