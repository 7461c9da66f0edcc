"""Solar and shadow studies of a layer without a CRS: Latitude/Longitude in the dialogs."""

from __future__ import annotations

import numpy as np
import pytest

from tests.conftest import shared_path
from tests.gui.conftest import SAMPLE, open_and_wait, run_dialog

pytestmark = pytest.mark.gui

NO_CRS = ("invalid", "citygml", "citygml4j_invalid_building_v3.gml")


def _berlin(dlg) -> None:
    """A coarse study at a site typed in the dialog's Latitude / Longitude."""
    dlg.resolution.setValue(2.0)
    dlg.site.latitude.setText("52.52")
    dlg.site.longitude.setText("13.40")


def test_site_fields_required_without_crs_and_optional_with_one(qtbot, window) -> None:
    from citytwin.app.qt.analysis import ShadowDialog, SolarDialog

    solar = SolarDialog(window, has_crs=False)
    qtbot.addWidget(solar)
    assert "required" in solar.site.title()
    msg = solar.site.problem(solar.other_location())
    assert "Latitude" in msg and "Longitude" in msg and "--" not in msg  # GUI field names, no CLI flags
    solar.weather.setText("/some/file.epw")  # the weather file's location will do
    assert solar.site.problem(solar.other_location()) == ""
    solar.weather.setText("")
    solar.site.latitude.setText("52.52")
    assert "both" in solar.site.problem()
    solar.site.longitude.setText("13.4")
    assert solar.site.problem() == ""
    assert (solar.options().latitude, solar.options().longitude) == (52.52, 13.4)
    solar.site.latitude.setText("95")  # out of range
    assert "Latitude" in solar.site.problem()
    shadow = ShadowDialog(window, has_crs=True)
    qtbot.addWidget(shadow)
    assert "optional" in shadow.site.title() and shadow.site.problem() == ""
    assert shadow.options().latitude is None


def test_solar_and_shadow_of_layer_without_crs_from_dialogs(qtbot, window) -> None:
    from citytwin.app.qt.analysis import SHADOW_NAME, SOLAR_NAME, ShadowDialog, SolarDialog

    layer = open_and_wait(qtbot, window, shared_path(*NO_CRS))
    assert layer.model.crs is None

    def fill_solar(dlg) -> None:
        assert "required" in dlg.site.title()
        _berlin(dlg)

    with qtbot.waitSignal(window.job_finished, timeout=120000) as blocker:
        run_dialog(window, "solar", SolarDialog, fill_solar)
    assert blocker.args[1] == "ok", window.log_panel.toPlainText()
    ov = layer.analyses[SOLAR_NAME]
    assert ov.result.info["latitude"] == pytest.approx(52.52) and ov.result.info["longitude"] == pytest.approx(13.4)
    assert np.isfinite(ov.triangle_values).any()

    def fill_shadow(dlg) -> None:
        dlg.step.setValue(120)
        dlg.grid.setValue(0.0)
        _berlin(dlg)

    with qtbot.waitSignal(window.job_finished, timeout=120000) as blocker:
        run_dialog(window, "shadow", ShadowDialog, fill_shadow)
    assert blocker.args[1] == "ok", window.log_panel.toPlainText()
    assert SHADOW_NAME in layer.analyses and window.shadow_slider is not None


def test_site_override_on_layer_with_crs(qtbot, window) -> None:
    from citytwin.app.qt.analysis import SolarDialog

    open_and_wait(qtbot, window, SAMPLE)

    def fill(dlg) -> None:
        assert "optional" in dlg.site.title()
        dlg.site.latitude.setText("-33.9")  # Cape Town instead of Delft
        dlg.site.longitude.setText("18.4")
        dlg.resolution.setValue(4.0)
        dlg.surfaces["wall"].setChecked(False)

    with qtbot.waitSignal(window.job_finished, timeout=120000) as blocker:
        run_dialog(window, "solar", SolarDialog, fill)
    assert blocker.args[1] == "ok", window.log_panel.toPlainText()
    res = window.current_layer().analyses["solar: kWh/m2/year"].result
    assert res.info["latitude"] == pytest.approx(-33.9)
    # the site belongs to that run: the dialog opened again is empty (other settings are remembered)
    from citytwin.app.qt.remember import FormMemory

    again = SolarDialog(window, has_crs=True)
    qtbot.addWidget(again)
    FormMemory(again, window.settings, "dialogs/SolarDialog").restore()
    assert again.site.latitude.text() == "" and again.site.longitude.text() == ""
    assert again.resolution.value() == pytest.approx(4.0) and not again.surfaces["wall"].isChecked()


def test_weather_from_elsewhere_is_a_choice_per_run(qtbot, window, tmp_path) -> None:
    """The distance check on the weather file can be waived in the Solar dialog and the Batch
    dialog's solar page (as ``--weather-anywhere``); the choice is never remembered."""
    from citytwin.app.qt.analysis import SolarDialog
    from citytwin.app.qt.batch_pages import SolarPage
    from citytwin.app.qt.remember import FormMemory

    dlg = SolarDialog(window, has_crs=True)
    qtbot.addWidget(dlg)
    assert dlg.options().weather_anywhere is False
    dlg.weather_anywhere.setChecked(True)
    assert dlg.options().weather_anywhere is False  # nothing to waive without a weather file
    dlg.weather.setText(str(tmp_path / "far.epw"))
    assert dlg.options().weather_anywhere is True
    memory = FormMemory(dlg, window.settings, "dialogs/SolarDialogTest")
    assert "weatherAnywhere" not in memory.fields
    page = SolarPage()
    qtbot.addWidget(page)
    page.weather.setText(str(tmp_path / "far.epw"))
    assert page.extra_options()["weather_anywhere"] is False
    page.weather_anywhere.setChecked(True)
    assert page.extra_options()["weather_anywhere"] is True
