"""Fusion from the GUI: the dialog, the worker, the fused layer and the report, on a real scene
(3D BAG base, a georeferenced real IFC house, a photogrammetry-like mesh; tests/fusion_scene.py)."""

from __future__ import annotations

import json

import numpy as np
import pytest

from tests.gui.conftest import open_and_wait, run_dialog

pytestmark = pytest.mark.gui


@pytest.fixture(scope="module")
def scene(tmp_path_factory):
    from tests.fusion_scene import build_fusion_scene

    return build_fusion_scene(tmp_path_factory.mktemp("fuse_gui"), ground_step=4.0)  # ~10k ground triangles


def _run_dialog(qtbot, window, fill) -> None:
    """Trigger Tools > Fuse..., let ``fill(dialog)`` set it up and press Fuse."""
    from citytwin.app.qt.fusion import FusionDialog

    run_dialog(window, "fuse", FusionDialog, fill)


def _is_fuse(name: str, _status: str) -> bool:
    return name.startswith("fuse ")


def test_fusion_dialog_makes_a_fused_layer_and_shows_the_report(qtbot, window, scene, tmp_path) -> None:
    from PySide6.QtWidgets import QTreeWidgetItemIterator

    from citytwin.app.qt.fusion import FusionReportDialog

    base_layer = open_and_wait(qtbot, window, scene["base"])
    n_base = len(base_layer.model)
    target_children = list(base_layer.model.objects[scene["target"]].children)
    o = scene["origin"]
    progress = []
    window.progress_bar.valueChanged.connect(progress.append)  # GUI thread only

    def fill(dlg):
        dlg.ifc.add_files([str(scene["ifc"])])
        dlg.mesh.add_files([str(scene["mesh"])])
        dlg.ifc_mode.setCurrentText("add")
        for spin, v in zip((dlg.off_e, dlg.off_n, dlg.off_h), o):
            spin.setValue(float(v))
        p = dlg.params(base_layer.path)
        assert p.ifc == (scene["ifc"],) and p.mesh == (scene["mesh"],)
        assert p.mesh_offset == tuple(float(v) for v in o) and p.ifc_georef is None

    with qtbot.waitSignal(window.job_finished, timeout=120000, check_params_cb=_is_fuse) as blocker:
        _run_dialog(qtbot, window, fill)
        assert window.progress_bar.isVisible() and window.cancel_button.isVisible()
    assert blocker.args[1] == "ok", window.log_panel.toPlainText()
    assert progress and max(progress) == 1000
    # a new layer with the fused model; the base layer is as it was
    assert len(window.layers) == 2
    fused = window.layers[max(window.layers)]
    assert fused.name == "base-fused.city.json"
    assert len(base_layer.model) == n_base
    assert base_layer.model.objects[scene["target"]].children == target_children
    assert "ifc_guid" not in base_layer.model.objects[scene["target"]].attributes
    tgt = fused.model.objects[scene["target"]]
    assert tgt.attributes.get("ifc_guid")
    assert any(fused.model.objects[c].attributes.get("ifc_class") == "IfcWindow" for c in tgt.children)
    for b in scene["others"]:
        assert f"{b}-photogrammetry" in fused.model.objects[b].children
    assert fused.tri.n_triangles > base_layer.tri.n_triangles
    assert window.objects_panel.model.index_of(fused.key, scene["target"]).isValid()
    assert str(fused.path) not in window.recent_files()  # not a file on disk
    # the report: in a dialog (matches, overlap ratios, unassigned) and in the Log
    dlg = window.fusion_report_dialog
    assert isinstance(dlg, FusionReportDialog) and dlg.isVisible()
    texts = []
    it = QTreeWidgetItemIterator(dlg.tree)
    while it.value():
        texts.append(f"{it.value().text(0)} | {it.value().text(1)}")
        it += 1
    best = max(dlg.report["ifc"][0]["matches"], key=lambda m: m["overlap_of_ifc"])
    assert best["base_building"] == scene["target"] and best["overlap_of_ifc"] > 0.5
    assert any(scene["target"] in t and "overlap" in t for t in texts)
    assert any(t.startswith("terrain_triangles") for t in texts)
    qtbot.waitUntil(lambda: "overlap 0." in window.log_panel.toPlainText(), timeout=3000)
    out = dlg.save(tmp_path / "report.json")
    assert json.loads(out.read_text()) == json.loads(json.dumps(dlg.report))
    # the fused layer is shown: its IFC parts render where the target building is
    window.layers_panel.list.item(0).setCheckState(window.layers_panel.list.item(0).checkState().Unchecked)
    window.viewport.set_view("iso")
    window.save_screenshot(tmp_path / "fused.png")
    dlg.grab().save(str(tmp_path / "report.png"))
    img = window.viewport.grab_image()
    bg = img[2, img.shape[1] // 2].astype(int)
    assert (np.abs(img.astype(int) - bg).sum(axis=2) > 60).mean() > 0.05


def test_fusion_replace_base_layer_and_cancel(qtbot, window, scene) -> None:
    from citytwin.app.commands.fuse import FuseParams
    from citytwin.app.qt.fusion import start_fusion

    layer = open_and_wait(qtbot, window, scene["base"])
    params = FuseParams(base=layer.path, output=layer.path, ifc=(scene["ifc"],), ifc_mode="replace")
    # Cancel: nothing changes
    with qtbot.waitSignal(window.job_finished, timeout=60000) as blocker:
        job = start_fusion(window, layer.key, params, replace_base=True)
        window.cancel_button.click()
    assert blocker.args[1] == "cancelled" and job.was_cancelled
    assert list(window.layers) == [layer.key]
    # replace: the fused model takes the base layer's place
    with qtbot.waitSignal(window.job_finished, timeout=60000) as blocker:
        start_fusion(window, layer.key, params, replace_base=True)
    assert blocker.args[1] == "ok", window.log_panel.toPlainText()
    (fused,) = window.layers.values()
    assert fused.key != layer.key and fused.name == "base-fused.city.json"
    assert window.layers_panel.list.count() == 1
    t = fused.model.objects[scene["target"]]
    assert "RoofSurface" in t.geometry[-1].surface_types()


def test_fusion_without_sources_says_so(qtbot, window, scene) -> None:
    from PySide6.QtWidgets import QMessageBox

    open_and_wait(qtbot, window, scene["base"])
    _run_dialog(qtbot, window, lambda dlg: None)  # Fuse pressed with no file
    texts = [b.text() for b in window.findChildren(QMessageBox, "errorBox")]
    assert any("at least one IFC or mesh file" in t for t in texts)
    assert len(window.layers) == 1 and not window.runner.jobs
