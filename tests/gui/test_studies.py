"""Sky view factor from the GUI, shadow/SVF exports, and the LoD switch in a worker."""

from __future__ import annotations

import csv
import json

import numpy as np
import pytest

from tests.gui.conftest import DATA, SAMPLE, open_and_wait, run_dialog

pytestmark = pytest.mark.gui


def test_svf_study_colours_0_to_1_and_fills_attributes(qtbot, window, tmp_path) -> None:
    from PIL import Image

    from citytwin.app.qt.analysis import SVF_NAME, SVFDialog

    layer = open_and_wait(qtbot, window, SAMPLE)

    def fill(dlg):  # Analysis > Sky view factor..., as a person fills it in
        dlg.resolution.setValue(1.0)
        dlg.mf.setValue(4)
        o = dlg.options(layer.lod)
        assert o.surfaces == ("roof", "wall", "ground") and o.mf == 4 and o.resolution == 1.0

    with qtbot.waitSignal(window.job_finished, timeout=120000) as blocker:
        run_dialog(window, "svf", SVFDialog, fill)
    assert blocker.args[1] == "ok", window.log_panel.toPlainText()
    # scalar bar 0..1 on the model
    assert SVF_NAME in window.viewport.scalar_bar_titles
    coloring = window.viewport.layers[layer.key].coloring
    assert coloring.clim == (0.0, 1.0)
    ov = layer.analyses[SVF_NAME]
    v = ov.triangle_values
    roofs, walls = layer.tri.semantic_type == 1, layer.tri.semantic_type == 3
    assert np.isfinite(v[roofs]).all() and np.isfinite(v[walls]).any()
    assert np.nanmin(v) >= 0.0 and np.nanmax(v) <= 1.0
    # sloped roofs see most of the sky ((1 + cos tilt) / 2 when open); a vertical wall at most half
    assert np.nanmean(v[roofs]) > 0.7 and np.nanmax(v[walls]) <= 0.55
    assert np.nanmean(v[roofs]) > np.nanmean(v[walls]) + 0.25
    # values on the model and in the attribute panel
    part = "NL.IMBAG.Pand.0503100000031927-0"
    assert 0.0 < layer.model.objects[part].attributes["svf"] <= 1.0
    window.select_object(layer.key, part)
    ap = window.attributes_panel
    assert float(ap.value_of("Analysis", f"{SVF_NAME} (object mean)")) == pytest.approx(ov.object_values[part])
    assert float(ap.value_of("Attributes", "svf")) == pytest.approx(layer.model.objects[part].attributes["svf"])
    # pixels: roofs bright (viridis top: yellow-green), walls darker
    window.viewport.clear_highlight()
    window.viewport.set_view("iso")
    out = window.save_screenshot(tmp_path / "svf.png")
    img = np.asarray(Image.open(out).convert("RGB")).astype(int)
    t = int(np.nonzero(roofs & (layer.tri.object_index == layer.tri.object_ids.index(part)))[0][0])
    x, y = window.viewport.world_to_display(layer.tri.vertices[layer.tri.triangles[t]].mean(axis=0))
    r, g, b = img[img.shape[0] - 1 - int(round(y)), int(round(x))]
    assert g > 150 and b < 120, (r, g, b)
    # exports: CSV per surface, GeoJSON footprints in WGS 84 with the mean svf
    csv_path = window.export_analysis(tmp_path / "svf.csv")
    rows = list(csv.DictReader(csv_path.open()))
    assert len(rows) == len(ov.result.surfaces) and all(0 <= float(r["svf"]) <= 1 for r in rows)
    gj = json.loads(window.export_analysis(tmp_path / "svf.geojson", SVF_NAME).read_text())
    feats = {f["id"]: f for f in gj["features"]}
    assert set(feats) == {"NL.IMBAG.Pand.0503100000031927", "NL.IMBAG.Pand.0503100000028341"}
    lon, lat = np.asarray(feats["NL.IMBAG.Pand.0503100000031927"]["geometry"]["coordinates"][0]).mean(axis=0)[:2]
    assert 4.3 < lon < 4.4 and 51.9 < lat < 52.1  # Delft
    assert all(0 < f["properties"]["svf"] <= 1 for f in gj["features"])


def test_shadow_study_exports_csv_geojson_png(qtbot, window, tmp_path, monkeypatch) -> None:
    from PIL import Image

    from citytwin.app.commands.shadow import ShadowOptions
    from citytwin.app.qt.analysis import SHADOW_NAME, export_filters, start_shadow
    from citytwin.errors import UsageError

    layer = open_and_wait(qtbot, window, SAMPLE)
    opts = ShadowOptions(date="2025-06-21", start="08:00", end="18:00", step_minutes=120, resolution=2.0,
                         grid_cell=3.0)
    with qtbot.waitSignal(window.job_finished, timeout=120000) as blocker:
        start_shadow(window, layer.key, opts)
    assert blocker.args[1] == "ok", window.log_panel.toPlainText()
    assert [f.split(":")[0] for _, f in export_filters(layer)] == ["Shadow"] * 3
    res = layer.analyses[SHADOW_NAME].result
    # CSV: one row per surface, mean sun hours and the lit fraction per time step
    rows = list(csv.DictReader(window.export_analysis(tmp_path / "shadow.csv").open()))
    assert list(rows[0])[-6:] == [f"lit_{h:02d}:00" for h in range(8, 19, 2)]
    assert sum(int(r["points"]) for r in rows) == len(res.points)
    hours = np.array([float(r["sun_hours"]) for r in rows])
    assert (hours >= 0).all() and (hours <= 10.0 + 1e-9).all() and hours.max() > 5  # 08:00-18:00
    roof = [r for r in rows if r["object_id"].endswith("-0")]
    assert roof and roof[0]["building_id"] == roof[0]["object_id"][:-2]
    # GeoJSON: footprints with the buildings' mean sun hours
    gj = json.loads(window.export_analysis(tmp_path / "shadow.geojson").read_text())
    assert len(gj["features"]) == 2 and all(0 < f["properties"]["sun_hours"] <= 10 for f in gj["features"])
    # PNG: the ground grid's sun hours, as `citytwin shadow --png` writes it
    png = window.export_analysis(tmp_path / "shadow.png")
    im = Image.open(png)
    assert im.format == "PNG" and im.size[0] > 100
    with pytest.raises(UsageError, match="exports as .csv, .geojson, .png"):
        window.export_analysis(tmp_path / "shadow.html")
    # File > Export analysis: the chosen filter picks the study and adds the extension
    from PySide6.QtWidgets import QFileDialog

    offered = []

    def ask(parent, title, folder, filters):
        offered.extend(filters.split(";;"))
        return str(tmp_path / "ground"), offered[-1]

    monkeypatch.setattr(QFileDialog, "getSaveFileName", ask)
    window.export_analysis_dialog()
    assert offered[-1].startswith("Shadow: PNG") and (tmp_path / "ground.png").read_bytes()[:4] == b"\x89PNG"


def _tiled_multi_lod(tmp_path, copies: int = 100):
    """1,000 real 3D BAG objects with LoD 1.2, 1.3 and 2.2 (the multi-LoD file tiled on a grid)."""
    from citytwin.io.registry import read, write
    from tests.tiling import tile_cityjsonseq

    seq = tmp_path / "multi_lod.city.jsonl"
    write(read(DATA / "cityjson" / "multi_lod_v2.0.city.json"), seq)
    big = tmp_path / "tiled.city.jsonl"
    tile_cityjsonseq(seq, big, copies, step_m=600.0)
    return big


def test_lod_switch_runs_in_a_worker_and_keeps_the_selection(qtbot, window, tmp_path) -> None:
    from PySide6.QtCore import QTimer

    layer = open_and_wait(qtbot, window, _tiled_multi_lod(tmp_path), timeout=60000)
    assert {"1.2", "2.2"} <= set(layer.model.lods())
    tri22 = layer.tri
    part = layer.tri.object_ids[int(layer.tri.object_index[0])]
    window.select_object(layer.key, part)
    ticks = []
    timer = QTimer()
    timer.timeout.connect(lambda: ticks.append(1))
    timer.start(5)
    with qtbot.waitSignal(window.job_finished, timeout=60000) as blocker:
        job = window._on_lod(layer.key, "1.2")
        assert job is not None and layer.tri is tri22  # nothing swapped before the worker is done
    timer.stop()
    assert blocker.args[1] == "ok" and blocker.args[0].startswith("LoD 1.2")
    assert ticks  # the GUI thread kept running
    assert layer.lod == "1.2" and 0 < layer.tri.n_triangles < tri22.n_triangles
    # the selection survives, highlighted on the new triangles
    assert window.selected == (layer.key, part)
    assert window.attributes_panel.value_of("Object", "id") == part
    hl = window.viewport.plotter.actors.get("highlight")
    assert hl is not None
    n_part = int((layer.tri.object_index == layer.tri.object_ids.index(part)).sum())
    assert hl.GetMapper().GetInput().GetNumberOfCells() == n_part
    # picking answers with the new triangles
    t = int(np.nonzero(layer.tri.object_index == layer.tri.object_ids.index(part))[0][0])
    c = layer.tri.vertices[layer.tri.triangles[t]].mean(axis=0)
    x, y = window.viewport.world_to_display(c)
    pick = window.viewport.pick_display(x, y)
    assert pick is not None and pick.key == layer.key and pick.triangle < layer.tri.n_triangles
    assert window.selected == (layer.key, layer.tri.object_ids[int(layer.tri.object_index[pick.triangle])])
    # Cancel (1,000 objects take a while): the layer and the LoD box stay as they are
    shown = layer.tri
    with qtbot.waitSignal(window.job_finished, timeout=60000) as blocker:
        job = window._on_lod(layer.key, None)
        job.cancel()
    assert blocker.args[1] == "cancelled"
    assert layer.lod == "1.2" and layer.tri is shown
    assert window.layers_panel.lod.currentText() == "1.2"


def test_lod_switch_supersede(qtbot, window) -> None:
    layer = open_and_wait(qtbot, window, DATA / "cityjson" / "multi_lod_v2.0.city.json")
    # two choices in a row: the last one wins
    first = window._on_lod(layer.key, "1.2")
    with qtbot.waitSignal(window.job_finished, timeout=20000, check_params_cb=lambda name, st: "2.2" in name):
        window._on_lod(layer.key, "2.2")
    qtbot.waitUntil(lambda: not first.isRunning(), timeout=5000)
    assert layer.lod == "2.2"
    # the mappers' inputs are updated by the render, which runs at the next paint event
    qtbot.waitUntil(lambda: sum(a.GetMapper().GetInput().GetNumberOfCells()
                                for a in window.viewport.layers[layer.key].actors.values()) == layer.tri.n_triangles,
                    timeout=5000)
