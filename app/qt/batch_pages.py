"""The option pages of the Batch dialog: one per batch command, the same options as the CLI.

Each page turns its widgets into the options dict of
:mod:`~citytwin.app.commands.batch_options` (``convert_options``, ``info_options``,
``analysis_options``), the functions the CLI uses too: an empty field or a value equal to the
command's default means "not given", as an absent flag does on the command line.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtCore import QDate, QTime
from PySide6.QtGui import QDoubleValidator
from PySide6.QtWidgets import (QCheckBox, QComboBox, QDateEdit, QDoubleSpinBox, QFileDialog, QFormLayout,
                               QLineEdit, QPushButton, QSpinBox, QTimeEdit, QWidget)

from citytwin.app.qt.forms import add_option_rows, double_spin, option_values, row, weather_anywhere_box
from citytwin.app.qt.remember import NOT_REMEMBERED, mark_path
from citytwin.errors import UsageError


def _line(placeholder: str, name: str) -> QLineEdit:
    w = QLineEdit()
    w.setPlaceholderText(placeholder)
    w.setObjectName(name)
    return w


def _number_line(placeholder: str, name: str) -> QLineEdit:
    w = _line(placeholder, name)
    w.setValidator(QDoubleValidator())
    return w


def _float_or_none(w: QLineEdit, label: str) -> float | None:
    t = w.text().strip().replace(",", ".")
    if not t:
        return None
    try:
        return float(t)
    except ValueError:
        raise UsageError(f"{label}: {t!r} is not a number") from None


def _dspin(lo: float, hi: float, value: float, step: float, suffix: str = "", decimals: int = 2,
           name: str = "") -> QDoubleSpinBox:
    """:func:`~citytwin.app.qt.forms.double_spin` with an object name (tests find fields by name)."""
    w = double_spin(lo, hi, value, suffix, decimals, step)
    w.setObjectName(name)
    return w


class OptionsPage(QWidget):
    """A page of command options; :meth:`options` returns them as JSON values."""

    command = ""

    def options(self) -> dict[str, Any]:  # pragma: no cover - abstract
        raise NotImplementedError


class ConvertPage(OptionsPage):
    """``batch convert``: format, reprojection, filters, precision."""

    command = "convert"

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        from citytwin.io.registry import writable_formats

        self.format = QComboBox()
        self.format.setObjectName("convertFormat")
        self.format.addItem("same as the input (CityJSON if not writable)", None)
        for s in writable_formats():
            self.format.addItem(f"{s.label} ({s.name})", s.name)
        self.crs = _line("empty: keep; e.g. EPSG:28992", "convertCrs")
        self.assign_crs = _line("CRS of the inputs (replaces a declared one, with a warning)", "convertAssignCrs")
        self.lod = _line("all LoDs; e.g. 2.2", "convertLod")
        self.types = _line("all types; e.g. Building,BuildingPart", "convertTypes")
        self.bbox = _line("xmin,ymin,xmax,ymax in the input CRS", "convertBbox")
        self.precision = _dspin(0.0, 10.0, 0.0, 0.001, " m", 4, "convertPrecision")
        self.precision.setSpecialValueText("the input's")
        form = QFormLayout(self)
        form.addRow("Output format", self.format)
        form.addRow("Reproject to CRS", self.crs)
        form.addRow("Assign CRS", self.assign_crs)
        form.addRow("Keep LoD", self.lod)
        form.addRow("Keep object types", self.types)
        form.addRow("Keep objects in box", self.bbox)
        form.addRow("Coordinate precision", self.precision)

    def options(self) -> dict[str, Any]:
        from citytwin.app.commands.batch_options import convert_options

        prec = self.precision.value()
        return convert_options(format=self.format.currentData(), crs=self.crs.text(),
                               assign_crs=self.assign_crs.text(), lod=self.lod.text(), types=self.types.text(),
                               bbox=self.bbox.text(), precision=prec if prec > 0 else None)


class InfoPage(OptionsPage):
    """``batch info``: one ``<name>.info.json`` per file."""

    command = "info"

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        from citytwin.io.registry import readable_formats

        self.input_format = QComboBox()
        self.input_format.setObjectName("infoInputFormat")
        self.input_format.addItem("detect", None)
        for s in readable_formats():
            self.input_format.addItem(f"{s.label} ({s.name})", s.name)
        self.max_problems = QSpinBox()
        self.max_problems.setRange(0, 1_000_000)
        self.max_problems.setValue(200)
        form = QFormLayout(self)
        form.addRow("Input format", self.input_format)
        form.addRow("Problems listed per file", self.max_problems)

    def options(self) -> dict[str, Any]:
        from citytwin.app.commands.batch_options import info_options

        return info_options(self.input_format.currentData(), self.max_problems.value())


class AnalysisPage(OptionsPage):
    """Rows shared by ``batch solar`` and ``batch shadow``: sampling, site, LoD and tiles."""

    def options_class(self) -> type:
        from citytwin.app.commands.studies import study

        return study(self.command).options_class()

    def _common_rows(self, form: QFormLayout) -> None:
        cls = self.options_class()
        add_option_rows(form, self, cls, ("resolution", "surfaces"), object_prefix=self.command,
                        object_names={"surfaces": f"{self.command}Surface"})
        self.latitude = _number_line("from the tiles' CRS", f"{self.command}Latitude")
        self.longitude = _number_line("from the tiles' CRS", f"{self.command}Longitude")
        for e in (self.latitude, self.longitude):  # a remembered site would override the next tiles' CRS
            e.setProperty(NOT_REMEMBERED, True)
        self.assign_crs = _line("CRS of the tiles (replaces a declared one, with a warning)", f"{self.command}AssignCrs")
        self.context_buffer = _dspin(0.0, 10000.0, 100.0, 10.0, " m", 1, f"{self.command}ContextBuffer")
        self.context_buffer.setToolTip("neighbouring tiles within this distance are loaded as occluders (0: none)")
        form.addRow("Latitude, longitude", row(self.latitude, self.longitude))
        add_option_rows(form, self, cls, ("lod",), object_prefix=self.command,
                        placeholders={"lod": "each object's highest"})
        form.addRow("Assign CRS", self.assign_crs)
        form.addRow("Context buffer", self.context_buffer)

    def _common_values(self) -> dict[str, Any]:
        return {**option_values(self, self.options_class(), ("resolution", "surfaces", "lod")),
                "latitude": _float_or_none(self.latitude, "latitude"),
                "longitude": _float_or_none(self.longitude, "longitude")}

    def extra_options(self) -> dict[str, Any]:
        """Values of the page's own rows (SolarOptions / ShadowOptions fields)."""
        raise NotImplementedError  # pragma: no cover

    def options(self) -> dict[str, Any]:
        from citytwin.app.commands.batch_options import analysis_options

        return analysis_options(self.command, {**self._common_values(), **self.extra_options()},
                                assign_crs=self.assign_crs.text(), **self.outputs_wanted())

    def outputs_wanted(self) -> dict[str, bool]:
        """Extra per-tile outputs asked for (``analysis_options`` flags: png, csv, geojson)."""
        return {}


class SolarPage(AnalysisPage):
    """``batch solar``: weather or clear sky, sampling, sky subdivision, albedo."""

    command = "solar"
    ROWS = ("albedo", "sky_mf", "sky_model")

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.weather = _line("empty: a clear-sky year (Ineichen)", "solarWeather")
        mark_path(self.weather, "file")
        browse = QPushButton("Browse...")
        browse.clicked.connect(self._browse)
        form = QFormLayout(self)
        form.addRow("Weather file (EPW/TMY)", row(self.weather, browse))
        self.weather_anywhere = weather_anywhere_box()
        form.addRow("", self.weather_anywhere)
        add_option_rows(form, self, self.options_class(), self.ROWS, object_prefix="solar")
        self.csv = QCheckBox("<tile>.solar.csv")
        self.csv.setObjectName("solarCsv")
        self.geojson = QCheckBox("<tile>.solar.geojson")
        self.geojson.setObjectName("solarGeojson")
        self.csv.setToolTip("one row per surface of the tile's own objects (as citytwin solar --csv)")
        self.geojson.setToolTip("the tile's footprints with their totals, WGS 84 (as citytwin solar --geojson)")
        form.addRow("Also write per tile", row(self.csv, self.geojson))
        # per-tile HTML report (as citytwin solar --report)
        self.report = QCheckBox("<tile>.solar.html (report with charts)")
        self.report.setObjectName("solarReport")
        self.report.setToolTip("the HTML report of the tile's own objects (as citytwin solar --report)")
        form.addRow("", self.report)
        self._common_rows(form)

    def _browse(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Weather file", "", "Weather (*.epw *.csv *.txt);;All (*)")
        if path:
            self.weather.setText(path)

    def extra_options(self) -> dict[str, Any]:
        return {"weather": self.weather.text() or None,
                "weather_anywhere": bool(self.weather.text()) and self.weather_anywhere.isChecked(),
                **option_values(self, self.options_class(), self.ROWS)}

    def outputs_wanted(self) -> dict[str, bool]:
        return {"csv": self.csv.isChecked(), "geojson": self.geojson.isChecked(),
                "report": self.report.isChecked()}


class ShadowPage(AnalysisPage):
    """``batch shadow``: a day (whole, a period or one moment), time step, ground grid, PNG."""

    command = "shadow"
    WHEN = ("whole day", "period", "one moment")

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.date = QDateEdit(QDate(dt.date.today().year, 6, 21))
        self.date.setObjectName("shadowDate")
        self.date.setDisplayFormat("yyyy-MM-dd")
        self.date.setCalendarPopup(True)
        self.when = QComboBox()
        self.when.setObjectName("shadowWhen")
        self.when.addItems(self.WHEN)
        self.start = QTimeEdit(QTime(6, 0))
        self.end = QTimeEdit(QTime(20, 0))
        self.moment = QTimeEdit(QTime(12, 0))
        for w, n in ((self.start, "shadowFrom"), (self.end, "shadowTo"), (self.moment, "shadowTime")):
            w.setDisplayFormat("HH:mm")
            w.setObjectName(n)
        self.png = QCheckBox("also write <tile>.shadow.png (needs a ground grid)")
        self.png.setObjectName("shadowPng")
        form = QFormLayout(self)
        form.addRow("Date", self.date)
        form.addRow("When", row(self.when, self.start, self.end, self.moment))
        # as citytwin batch shadow: no ground grid unless asked for
        add_option_rows(form, self, self.options_class(), ("step_minutes", "tz", "grid_cell", "margin"),
                        attrs={"step_minutes": "step"}, object_prefix="shadow",
                        object_names={"grid_cell": "shadowGrid"}, defaults={"grid_cell": 0.0},
                        placeholders={"tz": "the site's time zone; e.g. Europe/Amsterdam or +01:00",
                                      "margin": "from the lowest sun (at most 200 m)"})
        self.grid_cell.setSpecialValueText("no ground grid")
        form.addRow("", self.png)
        self._common_rows(form)
        self.when.currentIndexChanged.connect(self._when_changed)
        self._when_changed()

    def _when_changed(self) -> None:
        w = self.when.currentText()
        self.start.setVisible(w == "period")
        self.end.setVisible(w == "period")
        self.moment.setVisible(w == "one moment")
        self.step.setEnabled(w != "one moment")

    def outputs_wanted(self) -> dict[str, bool]:
        return {"png": self.png.isChecked()}

    def extra_options(self) -> dict[str, Any]:
        w = self.when.currentText()
        period = w == "period"
        return {"date": self.date.date().toString("yyyy-MM-dd"),
                "time": self.moment.time().toString("HH:mm") if w == "one moment" else None,
                "start": self.start.time().toString("HH:mm") if period else None,
                "end": self.end.time().toString("HH:mm") if period else None,
                **option_values(self, self.options_class(), ("tz", "grid_cell", "margin")),
                "step_minutes": self.step.value() if w != "one moment" else None}


PAGES: dict[str, type[OptionsPage]] = {"convert": ConvertPage, "info": InfoPage, "solar": SolarPage,
                                       "shadow": ShadowPage}
