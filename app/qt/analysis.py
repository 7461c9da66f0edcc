"""Analyses from the GUI: dialogs built from the command options, run in a worker, shown on the model.

Solar: :class:`~citytwin.app.commands.solar.SolarOptions` -> ``run_solar`` in a worker (the worker
gets a shallow snapshot of the model, so nothing it does reaches the shown model); on success the
GUI thread applies ``SolarResult.apply_to_model``, colours the layer in kWh/m2/year with a scalar bar
and fills the attribute panel and the monthly chart. Shadow: ``run_shadow`` -> a time slider that
recolours lit/shadowed surfaces per step and moves a directional light along the sun.
"""

from __future__ import annotations

import datetime as dt
import logging
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
from PySide6.QtCore import QDate, Qt, QTime
from PySide6.QtGui import QDoubleValidator
from PySide6.QtWidgets import (QDateEdit, QDialog, QFileDialog, QFormLayout, QGroupBox, QHBoxLayout, QLabel,
                               QLineEdit, QMessageBox, QPushButton, QSlider, QTimeEdit, QVBoxLayout, QWidget)

from citytwin.app.qt.forms import add_option_rows, finish_dialog, option_values, row, weather_anywhere_box
from citytwin.app.qt.remember import NOT_REMEMBERED, mark_path, remember_dialog
from citytwin.app.render.coloring import color_values
from citytwin.app.session import snapshot
from citytwin.app.session.overlays import SHADOW_NAME, SOLAR_NAME, SVF_NAME, ShadowSteps

if TYPE_CHECKING:  # pragma: no cover
    from citytwin.app.qt.main_window import MainWindow
    from citytwin.app.session import Layer

log = logging.getLogger("citytwin.gui")
MONTHS = ("J", "F", "M", "A", "M", "J", "J", "A", "S", "O", "N", "D")




class SiteGroup(QGroupBox):
    """Latitude / Longitude of the site (degrees, WGS 84): required when the layer has no CRS
    (the sun's path cannot be known otherwise), an optional override when it has one."""

    def __init__(self, has_crs: bool, parent: QWidget | None = None) -> None:
        super().__init__("Site location (optional: overrides the layer's CRS)" if has_crs else
                         "Site location (required: the layer has no CRS)", parent)
        self.setObjectName("siteGroup")
        self.has_crs = has_crs
        self.latitude = self._field(-90.0, 90.0, "e.g. 52.52 (degrees, north positive)", "latitude")
        self.longitude = self._field(-180.0, 180.0, "e.g. 13.40 (degrees, east positive)", "longitude")
        form = QFormLayout(self)
        form.addRow("Latitude", self.latitude)
        form.addRow("Longitude", self.longitude)
        if not has_crs:
            hint = QLabel("Or use Layer > Assign CRS... to declare the layer's coordinates.")
            hint.setWordWrap(True)
            form.addRow(hint)

    @staticmethod
    def _field(lo: float, hi: float, placeholder: str, name: str) -> QLineEdit:
        e = QLineEdit()
        e.setObjectName(name)
        e.setProperty(NOT_REMEMBERED, True)  # the site is the layer's: a remembered one would override the next
        v = QDoubleValidator(lo, hi, 6, e)
        v.setNotation(QDoubleValidator.Notation.StandardNotation)
        e.setValidator(v)
        e.setPlaceholderText(placeholder)
        return e

    def values(self) -> tuple[float | None, float | None]:
        """(latitude, longitude) in degrees, None where empty."""
        def num(e: QLineEdit) -> float | None:
            t = e.text().strip().replace(",", ".")
            return float(t) if t else None
        return num(self.latitude), num(self.longitude)

    def problem(self, other_location: str = "") -> str:
        """What is wrong with the fields (a sentence naming them), or "" when they are fine.

        ``other_location`` names another source of the site that makes the fields optional
        without a CRS (the solar dialog's weather file), or "".
        """
        lat, lon = self.values()
        bad = [n for n, e in (("Latitude", self.latitude), ("Longitude", self.longitude))
               if e.text().strip() and not e.hasAcceptableInput()]
        if bad:
            return f"{' and '.join(bad)}: enter degrees, latitude -90 to 90, longitude -180 to 180."
        if (lat is None) != (lon is None):
            return "Enter both Latitude and Longitude of the site, or neither."
        if lat is None and not self.has_crs and not other_location:
            return ("The layer has no CRS, so the sun's path is unknown: enter the site's Latitude and "
                    "Longitude, or use Layer > Assign CRS... first.")
        return ""


class _SiteDialog(QDialog):
    """A study dialog with a :class:`SiteGroup`: OK checks the site before closing."""

    site: SiteGroup

    def other_location(self) -> str:
        return ""

    def accept(self) -> None:
        msg = self.site.problem(self.other_location())
        if msg:
            QMessageBox.warning(self, self.windowTitle(), msg)
            return
        super().accept()


class SolarDialog(_SiteDialog):
    """Parameters of a solar study: rows generated from SolarOptions (:func:`add_option_rows`)."""

    ROWS = ("resolution", "surfaces", "albedo", "sky_mf", "sky_model")

    def __init__(self, parent: QWidget | None = None, has_crs: bool = True) -> None:
        from citytwin.analysis.options import option_spec
        from citytwin.analysis.solar import SolarOptions

        super().__init__(parent)
        self.setWindowTitle("Solar potential")
        self.weather = QLineEdit()
        self.weather.setPlaceholderText("empty: clear-sky year (Ineichen)")
        self.weather.setToolTip(option_spec(SolarOptions, "weather").info.help)
        mark_path(self.weather, "file")
        browse = QPushButton("Browse...")
        browse.clicked.connect(self._browse)
        form = QFormLayout()
        form.addRow(option_spec(SolarOptions, "weather").label, row(self.weather, browse))
        self.weather_anywhere = weather_anywhere_box()
        form.addRow("", self.weather_anywhere)
        add_option_rows(form, self, SolarOptions, self.ROWS)
        self.site = SiteGroup(has_crs)
        if not has_crs:
            self.site.setTitle("Site location (required without a weather file: the layer has no CRS)")
        finish_dialog(self, form, self.site)

    def other_location(self) -> str:
        return "weather file" if self.weather.text().strip() else ""

    def _browse(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Weather file", "", "Weather (*.epw *.csv *.txt);;All (*)")
        if path:
            self.weather.setText(path)

    def options(self, lod: str | None = None):
        from citytwin.analysis.solar import SolarOptions

        w = self.weather.text().strip()
        lat, lon = self.site.values()
        return SolarOptions(weather=Path(w) if w else None, lod=lod, latitude=lat, longitude=lon,
                            weather_anywhere=bool(w) and self.weather_anywhere.isChecked(),
                            **option_values(self, SolarOptions, self.ROWS))


class ShadowDialog(_SiteDialog):
    """Parameters of a shadow study: date and times, then rows generated from ShadowOptions."""

    ROWS = ("step_minutes", "resolution", "surfaces", "grid_cell")
    ATTRS = {"step_minutes": "step", "grid_cell": "grid"}

    def __init__(self, parent: QWidget | None = None, has_crs: bool = True) -> None:
        from citytwin.analysis.shadow_study import ShadowOptions

        super().__init__(parent)
        self.setWindowTitle("Shadow study")
        self.date = QDateEdit(QDate(dt.date.today().year, 6, 21))
        self.date.setCalendarPopup(True)
        self.start = QTimeEdit(QTime(6, 0))
        self.end = QTimeEdit(QTime(20, 0))
        form = QFormLayout()
        form.addRow("Date", self.date)
        form.addRow("From (local time)", self.start)
        form.addRow("To", self.end)
        # a coarser step and grid than the CLI's: the GUI keeps every step for the slider
        add_option_rows(form, self, ShadowOptions, self.ROWS, attrs=self.ATTRS,
                        defaults={"step_minutes": 30.0, "grid_cell": 2.0})
        self.grid.setToolTip("cell of the ground grid exported as PNG (0: no ground grid)")
        self.site = SiteGroup(has_crs)
        finish_dialog(self, form, self.site)

    def options(self, lod: str | None = None):
        from citytwin.analysis.shadow_study import ShadowOptions

        lat, lon = self.site.values()
        return ShadowOptions(latitude=lat, longitude=lon, date=self.date.date().toString("yyyy-MM-dd"),
                             start=self.start.time().toString("HH:mm"), end=self.end.time().toString("HH:mm"),
                             lod=lod, **option_values(self, ShadowOptions, self.ROWS, self.ATTRS))


class SVFDialog(QDialog):
    """Parameters of a sky view factor study: rows generated from SVFOptions."""

    ROWS = ("resolution", "surfaces", "mf")

    def __init__(self, parent: QWidget | None = None) -> None:
        from citytwin.analysis.svf import SVFOptions

        super().__init__(parent)
        self.setWindowTitle("Sky view factor")
        form = QFormLayout()
        add_option_rows(form, self, SVFOptions, self.ROWS)
        finish_dialog(self, form)

    def options(self, lod: str | None = None):
        from citytwin.analysis.svf import SVFOptions

        return SVFOptions(lod=lod, **option_values(self, SVFOptions, self.ROWS))


class MonthlyChart(QWidget):
    """Bar chart of the selected building's monthly irradiation (matplotlib, Qt canvas)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        from matplotlib.backends.backend_qtagg import FigureCanvasQTAgg
        from matplotlib.figure import Figure

        self.figure = Figure(figsize=(3.2, 1.8), dpi=90, tight_layout=True)
        self.canvas = FigureCanvasQTAgg(self.figure)
        self.ax = self.figure.add_subplot(111)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(self.canvas)
        self.values: np.ndarray | None = None
        self.setMinimumHeight(170)

    def plot(self, title: str, values: np.ndarray, unit: str) -> None:
        """Bars of the 12 monthly ``values``; ``title`` lines longer than the chart are shortened
        in the middle (a long object id keeps its start and end)."""
        self.values = np.asarray(values, dtype=float)
        title = "\n".join(t if len(t) <= 40 else f"{t[:18]}...{t[-19:]}" for t in title.split("\n"))
        self.ax.clear()
        self.ax.bar(range(12), self.values, color="#e8a33d")
        self.ax.set_xticks(range(12), MONTHS, fontsize=7)
        self.ax.tick_params(axis="y", labelsize=7)
        self.ax.set_ylabel(unit, fontsize=7)
        self.ax.set_title("\n".join(_elide(line) for line in title.split("\n")), fontsize=8)
        self.canvas.draw_idle()


def _elide(text: str, limit: int = 44) -> str:
    """``text`` cut in the middle with an ellipsis when longer than ``limit`` characters (long ids
    keep their distinctive end)."""
    if len(text) <= limit:
        return text
    head = limit // 3
    return f"{text[:head]}\u2026{text[-(limit - head - 1):]}"


class ShadowSlider(QWidget):
    """Time slider of a shadow study: each step recolours lit (yellow) and shadowed (blue) surfaces."""

    def __init__(self, window: "MainWindow", key: int, result, steps: ShadowSteps) -> None:
        super().__init__(window)
        self.window, self.key, self.result, self.steps = window, key, result, steps
        self.slider = QSlider(Qt.Orientation.Horizontal)
        self.slider.setObjectName("shadowSlider")
        self.slider.setRange(0, len(result.times) - 1)
        times = result.times
        # until the slider moves the layer shows the day's sun hours: say so, and what it spans
        self.label = QLabel(f"sun hours {times[0]:%H:%M}-{times[-1]:%H:%M} {times[0]:%Z}; "
                            "move the slider to see each step's shadows" if len(times) else "")
        self.label.setObjectName("shadowLabel")
        lay = QHBoxLayout(self)
        lay.addWidget(QLabel("Time"))
        lay.addWidget(self.slider, 1)
        lay.addWidget(self.label)
        self.slider.valueChanged.connect(self.show_step)

    def time_text(self, i: int) -> str:
        """Local time and sun altitude of step ``i``."""
        r = self.result
        return f"{r.times[i]:%Y-%m-%d %H:%M %Z}  sun {r.altitude[i]:.1f} deg"

    def step_values(self, i: int) -> np.ndarray:
        """(t,) lit fraction per triangle at step ``i`` (NaN where not sampled)."""
        return self.steps.values(i)

    def show_step(self, i: int) -> None:
        from citytwin.app.qt.safety import report

        try:
            r = self.result
            self.label.setText(self.time_text(i))
            layer = self.window.layers.get(self.key)
            if layer is None:
                return
            coloring = color_values(self.step_values(i), "lit (1) / shadow (0)", cmap="cividis", clim=(0.0, 1.0))
            self.window.viewport.set_coloring(self.key, coloring)
            self.window.viewport.set_sun(r.sun_vectors[i] if r.altitude[i] > 0 else None)
        except Exception as exc:  # noqa: BLE001 - a slot
            report(exc, self.window)


# -- starting the studies ------------------------------------------------------------------

def _ask_and_start(window: "MainWindow", dialog_cls, start) -> None:
    """Show a study dialog for the current layer; on OK start the study with its options."""
    layer = window.current_layer()
    if layer is None:
        from citytwin.app.qt.file_actions import raise_no_layer

        raise_no_layer()
    if issubclass(dialog_cls, _SiteDialog):  # latitude/longitude required when the layer has no CRS
        from citytwin.app.session.crs import usable_crs

        dlg = dialog_cls(window, has_crs=usable_crs(layer.model.crs) is not None)
    else:
        dlg = dialog_cls(window)
    remember_dialog(dlg, window.settings, f"dialogs/{dialog_cls.__name__}")  # saved on OK
    if dlg.exec() == QDialog.DialogCode.Accepted:
        start(window, layer.key, dlg.options(layer.lod))


def open_solar_dialog(window: "MainWindow") -> None:
    _ask_and_start(window, SolarDialog, start_solar)


def open_shadow_dialog(window: "MainWindow") -> None:
    _ask_and_start(window, ShadowDialog, start_shadow)


def open_svf_dialog(window: "MainWindow") -> None:
    _ask_and_start(window, SVFDialog, start_svf)


#: run studies in a worker process (False: in the worker thread, where Open3D's ray casting holds
#: the interpreter lock the GUI thread needs, for up to seconds per call)
STUDIES_IN_PROCESS = True


def _start_study(window: "MainWindow", key: int, what: str, fn, options, apply, **kwargs):
    """Run ``fn(snapshot, options, progress=..., **kwargs)`` on a snapshot of the layer's model in a
    worker process (the worker thread only waits for it and relays its progress); ``apply`` the
    result on the GUI thread."""
    from citytwin.app.process_worker import run_in_process

    layer = window.layers[key]
    snap = snapshot(layer.model)
    if STUDIES_IN_PROCESS:
        def work(progress):
            return run_in_process(fn, (snap, options), kwargs, progress)
    else:
        def work(progress):
            return fn(snap, options, progress=progress, **kwargs)
    return window.run_job(f"{what} {layer.name}", work, lambda res: apply(window, key, res))


def start_solar(window: "MainWindow", key: int, options):
    """Run a solar study on a layer in a worker process; returns the Job."""
    from citytwin.app.commands.solar import run_solar

    return _start_study(window, key, "solar", run_solar, options, apply_solar, source_name=window.layers[key].name)


def apply_solar(window: "MainWindow", key: int, res) -> None:
    """GUI thread: store the study on the model (the session) and show it."""
    overlay = window.session.apply_solar(key, res)
    window.add_analysis(key, overlay)
    s = res.summary()
    log.info("solar %s: %d points, %d surfaces, mean roof %s kWh/m2/year, %.1f s", window.layers[key].name,
             s["points"], s["surfaces"], s["mean_kwh_m2"].get("RoofSurface", "-"), s["seconds"])


def start_shadow(window: "MainWindow", key: int, options):
    """Run a shadow study on a layer in a worker process; returns the Job."""
    from citytwin.app.commands.shadow import run_shadow

    return _start_study(window, key, "shadow", run_shadow, options, apply_shadow)


def apply_shadow(window: "MainWindow", key: int, res) -> ShadowSlider:
    """GUI thread: sun hours on the model and the layer (the session), plus the time slider dock."""
    from PySide6.QtWidgets import QDockWidget

    layer = window.layers[key]
    overlay = window.session.apply_shadow(key, res)
    window.add_analysis(key, overlay)
    slider = ShadowSlider(window, key, res, overlay.steps)
    old = window.docks.get("Shadow")
    if old is not None:
        window.removeDockWidget(old)
        old.deleteLater()
    dock = QDockWidget("Shadow time", window)
    dock.setObjectName("dockShadow")
    dock.setWidget(slider)
    window.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, dock)
    window.splitDockWidget(window.docks["Log"], dock, Qt.Orientation.Vertical)  # full width, above the log
    window.docks["Shadow"] = dock
    window.shadow_slider = slider
    log.info("shadow %s: %d steps x %d points, mean %.2f sun hours", layer.name, len(res.times),
             len(res.points), float(res.sun_hours.mean()) if len(res.sun_hours) else 0.0)
    return slider


def start_svf(window: "MainWindow", key: int, options):
    """Run a sky view factor study on a layer in a worker process; returns the Job."""
    from citytwin.app.commands.svf import run_svf

    return _start_study(window, key, "sky view factor", run_svf, options, apply_svf,
                        source_name=window.layers[key].name)


def apply_svf(window: "MainWindow", key: int, res) -> None:
    """GUI thread: ``svf`` attributes on the model; the layer coloured 0..1 with a scalar bar (the session's overlay)."""
    layer = window.layers[key]
    window.add_analysis(key, window.session.apply_svf(key, res))
    s = res.summary()
    log.info("sky view factor %s: %d points, %d surfaces, mean %.3f, %.1f s", layer.name, s["points"],
             s["surfaces"], s["svf_mean"], s.get("seconds", 0.0))


#: The overlay of each study on a layer.
OVERLAYS = {"solar": SOLAR_NAME, "shadow": SHADOW_NAME, "svf": SVF_NAME}


def _export_table() -> list[tuple[str, str, str, str, str]]:
    from citytwin.app.commands.studies import study

    return [(OVERLAYS[n], f"{study(n).short}: {e.file_label} (*{e.ext})", e.ext, n, e.name)
            for n in OVERLAYS for e in study(n).exporters]


#: What File > Export analysis offers: (analysis, file filter, extension), in dialog order; from
#: the study registry's exporters.
EXPORTS: list[tuple[str, str, str]] = [row[:3] for row in _export_table()]


def export_filters(layer: "Layer") -> list[tuple[str, str]]:
    """(analysis name, file filter) of the exports the layer's studies offer."""
    return [(name, filt) for name, filt, _ in EXPORTS if name in layer.analyses]


def export_analysis(window: "MainWindow", path: str | Path, analysis: str | None = None) -> Path:
    """Write a study of the current layer by extension: the solar study as CSV, GeoJSON or an HTML
    report; the shadow study as CSV, GeoJSON or a PNG of the ground; the sky view factor as CSV or
    GeoJSON. ``analysis`` picks the study (default: the one the layer is coloured by, else the last)."""
    from citytwin.errors import UsageError

    layer = window.current_layer()
    if layer is None or not layer.analyses:
        raise UsageError("the current layer has no analysis results: run one first (Analysis menu)")
    if analysis is None:
        analysis = layer.color_by if layer.color_by in layer.analyses else list(layer.analyses)[-1]
    ov = layer.analyses.get(analysis)
    if ov is None or ov.result is None:
        raise UsageError(f"the current layer has no {analysis.split(':')[0]} study: run it first (Analysis menu)")
    p = Path(path)
    suffix = ".geojson" if p.suffix.lower() == ".json" else (".html" if p.suffix.lower() == ".htm"
                                                              else p.suffix.lower())
    offered = [ext for name, _, ext in EXPORTS if name == analysis]
    if suffix not in offered:
        raise UsageError(f"{p.name}: a {analysis.split(':')[0]} study exports as {', '.join(offered)}")
    from citytwin.app.commands.studies import export, study

    name, exporter = next((n, e) for a, _, ext, n, e in _export_table() if a == analysis and ext == suffix)
    export(name, exporter, ov.result, p, layer.model, title=f"{study(name).title}: {layer.name}")
    log.info("wrote %s", p)
    return p
