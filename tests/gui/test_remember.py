"""Dialogs remember their settings (app/qt/remember.py) in the main window's QSettings file.

The Batch dialog: every field on every page, the run mode, the geometry and the splitter come back
when the dialog is opened again and in a new window on the same settings file (an app restart);
stored values that are no longer valid (a removed folder, an unknown entry, out of range, not
JSON) give the defaults without an error; Reset to defaults; a field added to a page later is
remembered without code. The solar, shadow, sky view factor and fusion dialogs remember what was
accepted with OK, not what was cancelled, and have Restore Defaults.
"""

from __future__ import annotations

import gc
import json
import os
from pathlib import Path

import pytest
from PySide6.QtCore import QDate, QSettings, QTime
from PySide6.QtWidgets import QDialogButtonBox, QMessageBox, QSplitter

from tests.gui.conftest import DATA, SAMPLE, open_and_wait

pytestmark = pytest.mark.gui

WEATHER = DATA / "weather" / "NLD_Amsterdam062400_IWEC.epw"
CITYJSON = DATA / "cityjson"


def _settings(path: Path) -> QSettings:
    return QSettings(str(path), QSettings.Format.IniFormat)


def _new_window(qtbot, path: Path):
    from citytwin.app.qt.main_window import MainWindow

    win = MainWindow(settings=_settings(path))
    win.resize(1100, 750)
    win.show()
    qtbot.waitExposed(win)
    return win


def _close_window(win) -> None:
    win.close()
    gc.collect()  # as the window fixture: the closed window's wrappers go on the GUI thread


def _open_batch(win):
    from citytwin.app.qt.batch_dialog import BatchDialog

    win.actions["batch"].trigger()  # Tools > Batch...
    dlg = win.findChild(BatchDialog, "batchDialog")
    assert dlg is not None and dlg.isVisible()
    return dlg


@pytest.fixture()
def no_message_box(monkeypatch):
    """Fail the test if any message box is shown (a restore must never raise an error dialog)."""
    shown = []

    def box(*args, **kwargs):
        shown.append(args)
        return QMessageBox.StandardButton.Ok

    for name in ("critical", "warning", "information"):
        monkeypatch.setattr(QMessageBox, name, box)
    return shown


def _fill_every_page(dlg, inputs: Path, out: Path) -> None:
    """Change a field of every kind on every page from its default (the values the test expects back)."""
    dlg.set_inputs([inputs, CITYJSON / "multi_lod_v2.0.city.json"])
    dlg.pattern.setText("**/*.city.json")
    dlg.outdir.setText(str(out))
    conv = dlg.pages["convert"]
    conv.format.setCurrentIndex(conv.format.findData("cityjsonseq"))
    conv.crs.setText("EPSG:4979")
    conv.types.setText("Building,BuildingPart")
    conv.precision.setValue(0.01)
    dlg.pages["info"].max_problems.setValue(17)
    solar = dlg.pages["solar"]
    solar.weather.setText(str(WEATHER))
    solar.albedo.setValue(0.35)
    solar.sky_mf.setValue(6)
    solar.sky_model.setCurrentText("allweather")
    solar.csv.setChecked(True)
    solar.surfaces["ground"].setChecked(True)
    solar.surfaces["wall"].setChecked(False)
    solar.latitude.setText("52.01")
    solar.longitude.setText("4.36")
    solar.resolution.setValue(2.5)
    solar.context_buffer.setValue(250.0)
    shadow = dlg.pages["shadow"]
    shadow.date.setDate(QDate(2025, 12, 21))
    shadow.when.setCurrentText("period")
    shadow.start.setTime(QTime(9, 30))
    shadow.end.setTime(QTime(15, 45))
    shadow.step.setValue(20.0)
    shadow.tz.setText("Europe/Amsterdam")
    shadow.grid_cell.setValue(2.0)
    shadow.png.setChecked(True)
    dlg.set_command("solar")
    dlg.set_mode("scheduler", workers=1, scheduler="tcp://10.0.0.7:8786")
    dlg.memory_limit.setText("2GiB")
    dlg.retries.setValue(3)
    dlg.force.setChecked(True)
    dlg.resize(1180, 760)
    dlg.findChild(QSplitter, "batchSplit").setSizes([430, 750])
    dlg.table.horizontalHeader().resizeSection(0, 333)  # the File column, wider


def test_batch_dialog_remembers_every_setting_on_reopen_and_after_restart(qtbot, tmp_path, no_message_box) -> None:
    ini = tmp_path / "settings.ini"
    tiles = tmp_path / "tiles"
    tiles.mkdir()
    out = tmp_path / "out"  # does not exist yet: the run creates it, its parent exists
    win = _new_window(qtbot, ini)
    try:
        dlg = _open_batch(win)
        defaults = dict(dlg.memory.values())
        assert "batchFailedOnly" not in defaults  # a filter of the results shown, not a setting
        _fill_every_page(dlg, tiles, out)
        set_values = dlg.memory.values()
        changed = {k for k in set_values if set_values[k] != defaults[k]}
        assert len(changed) >= 30 and {k[:5] for k in changed} >= {"batch", "conve", "pages", "solar", "shado"}
        params = dlg.params()
        split_sizes = dlg.findChild(QSplitter, "batchSplit").sizes()
        dlg.close()
        assert not dlg.isVisible()
        # stored in the window's settings file as JSON text, readable by anyone
        stored = _settings(ini)
        assert json.loads(stored.value("dialogs/batch/fields/solarSkyModel")) == "allweather"
        assert json.loads(stored.value("dialogs/batch/fields/batchInputs")) == [
            str(tiles), str(CITYJSON / "multi_lod_v2.0.city.json")]
        # opened again from the menu: the same values
        dlg = _open_batch(win)
        assert dlg.memory.values() == set_values
        size = (dlg.width(), dlg.height())
    finally:
        _close_window(win)

    # an app restart: a new window on the same settings file builds a new dialog
    win2 = _new_window(qtbot, ini)
    try:
        dlg2 = _open_batch(win2)
        assert dlg2 is not dlg
        assert dlg2.memory.values() == set_values
        # read straight from the widgets too, not only through the memory
        assert dlg2.command.currentText() == "solar" and dlg2.stack.currentWidget() is dlg2.pages["solar"]
        assert dlg2.input_paths() == [str(tiles), str(CITYJSON / "multi_lod_v2.0.city.json")]
        assert dlg2.outdir.text() == str(out) and dlg2.pattern.text() == "**/*.city.json"
        assert dlg2.mode.currentIndex() == 2 and dlg2.scheduler.isVisible() and not dlg2.workers.isVisible()
        assert dlg2.scheduler.text() == "tcp://10.0.0.7:8786" and dlg2.memory_limit.text() == "2GiB"
        assert dlg2.retries.value() == 3 and dlg2.force.isChecked()
        assert dlg2.pages["solar"].sky_model.currentText() == "allweather"
        assert dlg2.pages["solar"].albedo.value() == pytest.approx(0.35)
        assert dlg2.pages["shadow"].date.date() == QDate(2025, 12, 21)
        assert dlg2.pages["shadow"].start.time() == QTime(9, 30)
        assert dlg2.pages["shadow"].start.isVisibleTo(dlg2.pages["shadow"])  # "period" shows From/To
        assert dlg2.pages["convert"].format.currentData() == "cityjsonseq"
        assert dlg2.pages["info"].max_problems.value() == 17
        # the run it would start is the same run, but for the site typed for those tiles: a
        # remembered latitude/longitude would silently override the next tiles' own CRS
        import dataclasses

        assert dlg2.pages["solar"].latitude.text() == "" and dlg2.pages["solar"].longitude.text() == ""
        site_free = tuple(kv for kv in params.options if kv[0] not in ("latitude", "longitude"))
        assert len(site_free) == len(params.options) - 2
        assert dlg2.params() == dataclasses.replace(params, options=site_free)
        # geometry and splitter
        assert (dlg2.width(), dlg2.height()) == size
        assert dlg2.findChild(QSplitter, "batchSplit").sizes() == split_sizes
        assert dlg2.table.horizontalHeader().sectionSize(0) == 333
    finally:
        _close_window(win2)
    assert not no_message_box


def test_settings_are_saved_when_the_window_closes_with_the_dialog_open(qtbot, tmp_path) -> None:
    ini = tmp_path / "settings.ini"
    win = _new_window(qtbot, ini)
    try:
        dlg = _open_batch(win)
        dlg.set_command("info")
        dlg.pages["info"].max_problems.setValue(5)
    finally:
        _close_window(win)  # the dialog is still open: the window's close saves it
    s = _settings(ini)
    assert json.loads(s.value("dialogs/batch/fields/batchCommand")) == "info"
    assert json.loads(s.value("dialogs/batch/fields/pages.info.max_problems")) == 5


def test_invalid_remembered_values_give_the_defaults_without_an_error(qtbot, tmp_path, no_message_box,
                                                                      caplog) -> None:
    ini = tmp_path / "settings.ini"
    kept = tmp_path / "kept"
    kept.mkdir()
    gone = tmp_path / "gone"  # a folder that was removed since
    s = _settings(ini)
    bad = {"batchInputs": json.dumps([str(gone), str(kept)]),  # the removed one is dropped
           "batchOutdir": json.dumps(str(gone / "sub" / "out")),  # neither it nor its parent exists
           "batchCommand": json.dumps("triangulate"),  # no such entry
           "batchMode": json.dumps(7),  # wrong type
           "batchWorkers": "{not json",
           "retries": json.dumps(99),  # out of range
           "batchForce": json.dumps("yes"),  # not a bool
           "solarWeather": json.dumps(str(gone / "weather.epw")),
           "solarLatitude": json.dumps("north"),  # refused by the number validator
           "solarAlbedo": json.dumps(1.5),
           "solarSkyModel": json.dumps("cie-overcast"),
           "shadowDate": json.dumps("2025-13-45"),
           "shadowFrom": json.dumps("25:99"),
           "pages.info.max_problems": json.dumps(-3),
           "batchPattern": json.dumps("*.gml"),  # valid: kept
           "solarSkyMf": json.dumps(8)}  # valid: kept
    for k, v in bad.items():
        s.setValue(f"dialogs/batch/fields/{k}", v)
    s.setValue("dialogs/batch/geometry", b"not a geometry")
    s.setValue("dialogs/batch/splitters/batchSplit", b"nor a splitter state")
    s.setValue("dialogs/batch/headers/batchTable", b"nor columns")
    s.sync()
    win = _new_window(qtbot, ini)
    try:
        dlg = _open_batch(win)
        assert dlg.input_paths() == [str(kept)]
        assert dlg.outdir.text() == ""
        assert dlg.command.currentText() == "convert" and dlg.mode.currentIndex() == 0
        assert dlg.workers.value() == (os.cpu_count() or 1) and dlg.retries.value() == 1
        assert not dlg.force.isChecked()
        solar = dlg.pages["solar"]
        assert solar.weather.text() == "" and solar.latitude.text() == ""
        assert solar.albedo.value() == pytest.approx(0.2) and solar.sky_model.currentText() == "perez1990"
        assert dlg.pages["shadow"].date.date() == QDate(QDate.currentDate().year(), 6, 21)
        assert dlg.pages["shadow"].start.time() == QTime(6, 0)
        assert dlg.pages["info"].max_problems.value() == 200
        assert dlg.pattern.text() == "*.gml" and solar.sky_mf.value() == 8
        assert dlg.isVisible() and dlg.width() > 0 and dlg.table.horizontalHeader().sectionSize(0) == 220
        dlg.close()  # and the refused values are overwritten by valid ones
        assert json.loads(_settings(ini).value("dialogs/batch/fields/batchCommand")) == "convert"
    finally:
        _close_window(win)
    assert not no_message_box
    said = caplog.text  # each refused value is named in the log, with the reason
    assert "the remembered batchCommand is not used ('triangulate' is not one of the entries)" in said
    assert f"the remembered batchOutdir is not used ({gone / 'sub' / 'out'} no longer exists)" in said
    assert "the remembered pattern" not in said and "the remembered solarSkyMf" not in said


def test_reset_to_defaults(qtbot, tmp_path) -> None:
    ini = tmp_path / "settings.ini"
    win = _new_window(qtbot, ini)
    try:
        dlg = _open_batch(win)
        _fill_every_page(dlg, tmp_path, tmp_path / "out")
        dlg.close()
        dlg = _open_batch(win)
        assert dlg.command.currentText() == "solar"
        dlg.reset_button.click()
        # the defaults the dialog is built with, read from the widgets
        assert dlg.command.currentText() == "convert" and dlg.stack.currentWidget() is dlg.pages["convert"]
        assert dlg.input_paths() == [] and dlg.outdir.text() == "" and dlg.pattern.text() == ""
        assert dlg.mode.currentIndex() == 0 and dlg.workers.isVisible()
        assert dlg.workers.value() == (os.cpu_count() or 1) and dlg.memory_limit.text() == "auto"
        assert dlg.retries.value() == 1 and not dlg.force.isChecked()
        solar = dlg.pages["solar"]
        assert solar.weather.text() == "" and solar.albedo.value() == pytest.approx(0.2)
        assert solar.sky_model.currentText() == "perez1990" and not solar.csv.isChecked()
        assert [n for n, cb in solar.surfaces.items() if cb.isChecked()] == ["roof", "wall"]
        assert dlg.pages["shadow"].when.currentText() == "whole day"
        assert dlg.pages["convert"].format.currentIndex() == 0
        assert dlg.pages["info"].max_problems.value() == 200
        assert _settings(ini).value("dialogs/batch/fields/batchCommand") is None  # forgotten
    finally:
        _close_window(win)
    win2 = _new_window(qtbot, ini)  # and the defaults stay after a restart
    try:
        assert _open_batch(win2).command.currentText() == "convert"
    finally:
        _close_window(win2)


def test_a_field_added_to_a_page_later_is_remembered_without_code(qtbot, tmp_path, monkeypatch) -> None:
    """As the "HTML report" box another change adds to the solar page: only the widget, no settings code."""
    from PySide6.QtWidgets import QCheckBox, QFormLayout

    from citytwin.app.qt import batch_pages

    built = batch_pages.SolarPage.__init__

    def with_new_fields(self, parent=None):
        built(self, parent)
        self.later_box = QCheckBox("later")  # named by its attribute: pages.solar.later_box
        named = QCheckBox("named")  # named by its objectName only, held by no attribute
        named.setObjectName("solarSomethingNew")
        form = self.findChild(QFormLayout)
        form.addRow("Later", self.later_box)
        form.addRow("New", named)

    monkeypatch.setattr(batch_pages.SolarPage, "__init__", with_new_fields)
    ini = tmp_path / "settings.ini"
    win = _new_window(qtbot, ini)
    try:
        dlg = _open_batch(win)
        assert {"pages.solar.later_box", "solarSomethingNew"} <= set(dlg.memory.fields)
        dlg.pages["solar"].later_box.setChecked(True)
        dlg.findChild(QCheckBox, "solarSomethingNew").setChecked(True)
    finally:
        _close_window(win)
    win2 = _new_window(qtbot, ini)
    try:
        dlg2 = _open_batch(win2)
        assert dlg2.pages["solar"].later_box.isChecked()
        assert dlg2.findChild(QCheckBox, "solarSomethingNew").isChecked()
    finally:
        _close_window(win2)


def _show_modal(qtbot, window, action: str, dialog_cls, fill, accept: bool):
    """Trigger ``action``; when its modal dialog shows, ``fill(dialog)`` then OK (``accept``) or Cancel."""
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    seen = []

    def act():
        dlg = QApplication.activeModalWidget()
        if not isinstance(dlg, dialog_cls):
            QTimer.singleShot(20, act)
            return
        seen.append(dlg)
        try:
            fill(dlg)
        finally:
            box = dlg.findChild(QDialogButtonBox)
            box.button(QDialogButtonBox.StandardButton.Ok if accept else
                       QDialogButtonBox.StandardButton.Cancel).click()

    QTimer.singleShot(0, act)
    window.actions[action].trigger()
    assert seen, f"the {dialog_cls.__name__} did not open"
    return seen[0]


def test_analysis_dialogs_remember_what_ok_ran_not_what_cancel_dropped(qtbot, window, tmp_path, monkeypatch) -> None:
    from citytwin.app.qt import analysis, fusion

    started = []
    for name in ("start_solar", "start_shadow", "start_svf"):
        monkeypatch.setattr(analysis, name, lambda w, key, options, name=name: started.append((name, options)))
    monkeypatch.setattr(fusion, "start_fusion", lambda w, key, params, replace_base=False:
                        started.append(("start_fusion", params)))
    open_and_wait(qtbot, window, SAMPLE)

    def solar_fill(d):
        d.weather.setText(str(WEATHER))
        d.resolution.setValue(3.0)
        d.sky_model.setCurrentText("allweather")
        d.surfaces["ground"].setChecked(True)

    def shadow_fill(d):
        d.date.setDate(QDate(2024, 3, 20))
        d.step.setValue(15)
        d.grid.setValue(0.0)

    def svf_fill(d):
        d.mf.setValue(8)
        d.surfaces["wall"].setChecked(False)

    ifc = DATA / "ifc" / "UT_GeoRef_1_IFC4X3.ifc"

    def fusion_fill(d):
        d.ifc.add_files([ifc])
        d.ifc_mode.setCurrentText("replace")
        d.georef.setChecked(True)
        d.georef_e.setValue(85000.5)
        d.mesh_up.setCurrentText("y")

    cases = [("solar", analysis.SolarDialog, solar_fill,
              lambda d: (d.weather.text(), d.resolution.value(), d.sky_model.currentText(),
                         d.surfaces["ground"].isChecked()), (str(WEATHER), 3.0, "allweather", True)),
             ("shadow", analysis.ShadowDialog, shadow_fill,
              lambda d: (d.date.date(), d.step.value(), d.grid.value()), (QDate(2024, 3, 20), 15, 0.0)),
             ("svf", analysis.SVFDialog, svf_fill,
              lambda d: (d.mf.value(), d.surfaces["wall"].isChecked()), (8, False)),
             ("fuse", fusion.FusionDialog, fusion_fill,
              lambda d: (d.ifc.files(), d.ifc_mode.currentText(), d.georef.isChecked(), d.georef_e.value(),
                         d.mesh_up.currentText()), ([str(ifc)], "replace", True, 85000.5, "y"))]
    for action, cls, fill, read, expected in cases:
        first = _show_modal(qtbot, window, action, cls, fill, accept=True)
        defaults = first.memory.defaults
        assert started[-1][0].endswith(action if action != "fuse" else "fusion")
        seen = {}

        def change_then_cancel(d, read=read):
            seen["restored"] = read(d)
            for w in d.memory.fields.values():  # change everything that can be switched
                if hasattr(w, "setChecked") and (not hasattr(w, "isCheckable") or w.isCheckable()):
                    w.setChecked(not w.isChecked())

        _show_modal(qtbot, window, action, cls, change_then_cancel, accept=False)
        assert seen["restored"] == expected, action

        def check_then_restore_defaults(d, read=read):
            seen["after cancel"] = read(d)
            d.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.RestoreDefaults).click()
            seen["defaults"] = d.memory.values()

        _show_modal(qtbot, window, action, cls, check_then_restore_defaults, accept=True)
        assert seen["after cancel"] == expected, action  # Cancel did not save its changes
        assert seen["defaults"] == defaults, action
        last = _show_modal(qtbot, window, action, cls, lambda d: None, accept=False)
        assert last.memory.values() == defaults, action


def test_every_field_type_round_trips_and_qt_parts_are_not_fields(qtbot, tmp_path) -> None:
    """The helper alone, on a dialog with the field types the app's dialogs do not use yet."""
    from PySide6.QtCore import QDateTime
    from PySide6.QtWidgets import (QComboBox, QDateEdit, QDateTimeEdit, QDialog, QGroupBox, QLineEdit,
                                   QPlainTextEdit, QRadioButton, QVBoxLayout)

    from citytwin.app.qt.remember import FormMemory, mark_path

    class Form(QDialog):
        def __init__(self):
            super().__init__()
            self.a, self.b = QRadioButton("a"), QRadioButton("b")
            self.a.setChecked(True)
            self.notes = QPlainTextEdit()
            self.when = QDateTimeEdit(QDateTime(2025, 1, 2, 3, 4, 5))
            self.day = QDateEdit(QDate(2025, 6, 21))
            self.day.setCalendarPopup(True)
            self.free = QComboBox()
            self.free.setEditable(True)
            self.free.addItems(["x", "y"])
            self.box = QGroupBox("optional")
            self.box.setCheckable(True)
            self.box.setChecked(False)
            self.plain_box = QGroupBox("frame only")  # not checkable: not a field
            self.folder = QLineEdit()
            mark_path(self.folder, "dir")
            lay = QVBoxLayout(self)
            for w in (self.a, self.b, self.notes, self.when, self.day, self.free, self.box, self.plain_box,
                      self.folder):
                lay.addWidget(w)

    ini = _settings(tmp_path / "s.ini")
    f = Form()
    qtbot.addWidget(f)
    mem = FormMemory(f, ini, "test/form", save_on="")
    assert set(mem.fields) == {"a", "b", "notes", "when", "day", "free", "box", "folder"}  # no spin-box parts
    f.b.setChecked(True)
    f.notes.setPlainText("two\nlines")
    f.when.setDateTime(QDateTime(2030, 12, 31, 23, 59, 0))
    f.day.setDate(QDate(2024, 2, 29))
    f.free.setEditText("typed in")
    f.box.setChecked(True)
    f.folder.setText(str(tmp_path))
    mem.save()
    values = mem.values()
    g = Form()
    qtbot.addWidget(g)
    mem2 = FormMemory(g, ini, "test/form", save_on="")
    assert mem2.restore() == [] and mem2.values() == values
    assert g.b.isChecked() and not g.a.isChecked() and g.free.currentText() == "typed in"
    assert g.when.dateTime() == QDateTime(2030, 12, 31, 23, 59, 0)
    mem2.reset()
    assert g.a.isChecked() and g.notes.toPlainText() == "" and g.folder.text() == "" and not g.box.isChecked()
    with pytest.raises(ValueError, match="path kind"):
        mark_path(g.folder, "somewhere")
