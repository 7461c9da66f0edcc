"""Messages of the desktop app name its fields, menus and the file, never CLI flags or "model:"
(issue 14 item 16): the dialogs driven with bad values on the real window. (The study options'
own errors name their labels since the study registry; the weather distance check still names
its flag, which the GUI turns into the dialog's check box.)"""

from __future__ import annotations

import pytest

from tests.conftest import DATA
from tests.gui.conftest import SAMPLE, open_and_wait, run_dialog

pytestmark = pytest.mark.gui

FAR_WEATHER = DATA / "weather" / "PVGIS_tmy_45.000_8.000_2005_2023.csv"  # Piedmont, ~900 km from Delft


def _error_after(qtbot, window, action, dialog_cls, fill, study: str) -> str:
    log = window.log_panel
    before = len(log.toPlainText())
    with qtbot.waitSignal(window.job_finished, timeout=180000,
                          check_params_cb=lambda name, status: name.startswith(study) and status == "failed"):
        run_dialog(window, action, dialog_cls, fill)
    qtbot.waitUntil(lambda: "ERROR" in log.toPlainText()[before:], timeout=5000)
    return next(line for line in log.toPlainText()[before:].splitlines() if "ERROR" in line)


def _gui_words(msg: str) -> None:
    assert "--" not in msg and "citytwin " not in msg and "model:" not in msg, msg


def test_bad_dialog_values_give_gui_words(qtbot, window, monkeypatch) -> None:
    from citytwin.app.qt import safety
    from citytwin.app.qt.analysis import ShadowDialog, SolarDialog

    monkeypatch.setattr(safety, "SHOW_DIALOGS", False)
    layer = open_and_wait(qtbot, window, SAMPLE)

    def far_weather(dlg):
        dlg.weather.setText(str(FAR_WEATHER))
        dlg.weather_anywhere.setChecked(False)

    msg = _error_after(qtbot, window, "solar", SolarDialog, far_weather, "solar")
    _gui_words(msg)
    assert "'Use the weather file even when it was recorded far from the site'" in msg
    assert FAR_WEATHER.name in msg and layer.name in msg

    def backwards(dlg):
        from PySide6.QtCore import QTime

        dlg.start.setTime(QTime(18, 0))
        dlg.end.setTime(QTime(16, 0))

    msg = _error_after(qtbot, window, "shadow", ShadowDialog, backwards, "shadow")
    _gui_words(msg)
    assert "To" in msg and "16:00 is not after" in msg and "From" in msg and "18:00" in msg

    def no_surfaces(dlg):
        dlg.weather.setText("")
        for cb in dlg.surfaces.values():
            cb.setChecked(False)

    msg = _error_after(qtbot, window, "solar", SolarDialog, no_surfaces, "solar")
    _gui_words(msg)
    assert "Surfaces" in msg
