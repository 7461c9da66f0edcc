"""Solar and shadow studies from the GUI: worker, progress, Cancel, results on the model."""

from __future__ import annotations

import numpy as np
import pytest

from tests.gui.conftest import SAMPLE, open_and_wait

pytestmark = pytest.mark.gui


def test_solar_study_colours_model_and_fills_attributes(qtbot, window, tmp_path) -> None:
    from citytwin.app.commands.solar import SolarOptions
    from citytwin.app.qt.analysis import SOLAR_NAME, start_solar

    layer = open_and_wait(qtbot, window, SAMPLE)
    progress = []
    window.progress_bar.valueChanged.connect(progress.append)  # connected before the job starts
    with qtbot.waitSignal(window.job_finished, timeout=120000) as blocker:
        start_solar(window, layer.key, SolarOptions(resolution=2.0, surfaces=("roof",)))
    assert blocker.args[1] == "ok", window.log_panel.toPlainText()
    assert progress and max(progress) == 1000
    # scalar bar in kWh/m2/year, roofs coloured, walls without values
    assert SOLAR_NAME in window.viewport.scalar_bar_titles
    ov = layer.analyses[SOLAR_NAME]
    roofs = layer.tri.semantic_type == 1
    assert np.isfinite(ov.triangle_values[roofs]).all() and np.isnan(ov.triangle_values[~roofs]).all()
    assert 400 < np.nanmean(ov.triangle_values) < 1300  # clear-sky Delft roofs, kWh/m2/year
    # results on the model (attributes), shown in the panel with the monthly chart
    b = "NL.IMBAG.Pand.0503100000031927"
    assert layer.model.objects[b].attributes["solar_annual_kwh"] > 0
    window.select_object(layer.key, b)
    ap = window.attributes_panel
    assert float(ap.value_of("Analysis", f"{SOLAR_NAME} (object mean)")) == pytest.approx(ov.object_values[b])
    sections = [ap.tree.topLevelItem(i).text(0) for i in range(ap.tree.topLevelItemCount())]
    assert sections[:2] == ["Object", "Analysis"]  # the results first, not below 40 attributes
    assert ap.value_of("Attributes", "solar_pv_kwh") is not None
    assert ap.chart is not None and ap.chart.isVisible() and ap.chart.values.shape == (12,)
    assert ap.chart.values[5] > ap.chart.values[11]  # June > December
    out = window.export_analysis(tmp_path / "solar.csv")
    assert out.read_text().count("\n") == len(ov.result.surfaces) + 1
    window.save_screenshot(tmp_path / "solar.png")


def test_cancel_solar_keeps_model_and_window_responsive(qtbot, window) -> None:
    from PySide6.QtCore import QTimer

    from citytwin.app.commands.solar import SolarOptions
    from citytwin.app.qt.analysis import start_solar

    layer = open_and_wait(qtbot, window, SAMPLE)
    before = {oid: dict(o.attributes) for oid, o in layer.model.objects.items()}
    n_problems = len(layer.model.problems)
    with qtbot.waitSignal(window.job_finished, timeout=60000) as blocker:
        # a fine resolution on every surface: a long study
        job = start_solar(window, layer.key, SolarOptions(resolution=0.2, surfaces=("all",), sky_mf=6))
        qtbot.waitUntil(lambda: job.progress.fraction > 0.0, timeout=30000)
        window.cancel_button.click()
        ticks = []
        QTimer.singleShot(20, lambda: ticks.append(1))
        qtbot.waitUntil(lambda: bool(ticks), timeout=1000)  # the event loop kept running
    assert blocker.args[1] == "cancelled"
    qtbot.waitUntil(lambda: not job.isRunning(), timeout=10000)
    assert {oid: dict(o.attributes) for oid, o in layer.model.objects.items()} == before
    assert len(layer.model.problems) == n_problems and not layer.analyses
    assert window.viewport.scalar_bar_titles == []


def test_shadow_study_time_slider(qtbot, window) -> None:
    from citytwin.app.commands.shadow import ShadowOptions
    from citytwin.app.qt.analysis import SHADOW_NAME, start_shadow

    layer = open_and_wait(qtbot, window, SAMPLE)
    opts = ShadowOptions(date="2025-06-21", start="08:00", end="18:00", step_minutes=120, resolution=2.0,
                         grid_cell=0.0)
    with qtbot.waitSignal(window.job_finished, timeout=120000) as blocker:
        start_shadow(window, layer.key, opts)
    assert blocker.args[1] == "ok", window.log_panel.toPlainText()
    assert SHADOW_NAME in layer.analyses
    slider = window.shadow_slider
    assert slider.slider.maximum() == len(slider.result.times) - 1 == 5
    # before the slider moves, the label says what is shown (the day's sun hours) and the span
    assert slider.label.text().startswith("sun hours 08:00-18:00")
    slider.slider.setValue(0)
    morning = slider.step_values(0)
    slider.slider.setValue(3)
    afternoon = slider.step_values(3)
    assert "lit (1) / shadow (0)" in window.viewport.scalar_bar_titles
    ok = np.isfinite(morning)
    assert ok.any() and not np.array_equal(morning[ok], afternoon[ok])  # the shadows move
    assert "2025-06-21 14:00" in slider.label.text()


def test_close_during_solar_study_is_clean(qtbot, tmp_path) -> None:
    from PySide6.QtCore import QSettings

    from citytwin.app.commands.solar import SolarOptions
    from citytwin.app.qt.analysis import start_solar
    from citytwin.app.qt.main_window import MainWindow

    win = MainWindow(settings=QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat))
    win.show()
    qtbot.waitExposed(win)
    layer = open_and_wait(qtbot, win, SAMPLE)
    job = start_solar(win, layer.key, SolarOptions(resolution=0.2, surfaces=("all",), sky_mf=6))
    qtbot.waitUntil(lambda: job.progress.fraction > 0.0, timeout=30000)
    win.close()  # cancels and joins the worker before the viewport goes
    assert not job.isRunning() and job.was_cancelled
    assert win.viewport._closed and not layer.analyses
