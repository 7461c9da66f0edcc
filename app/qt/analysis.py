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
from PySide6.QtWidgets import (QCheckBox, QDateEdit, QDialog, QDialogButtonBox, QDoubleSpinBox,
                               QFileDialog, QFormLayout, QHBoxLayout, QLabel, QLineEdit, QPushButton,
                               QSlider, QSpinBox, QTimeEdit, QVBoxLayout, QWidget)

from citytwin.app.render.coloring import color_values, match_surfaces

if TYPE_CHECKING:  # pragma: no cover
    from citytwin.app.qt.main_window import Layer, MainWindow

log = logging.getLogger("citytwin.gui")
SOLAR_NAME = "solar: kWh/m2/year"
SHADOW_NAME = "shadow: sun hours"
MONTHS = ("J", "F", "M", "A", "M", "J", "J", "A", "S", "O", "N", "D")


def _snapshot(model):
    """A shallow copy for a worker: own object shells, cache and problem log; shared arrays."""
    return model.subset(list(model.objects), with_relatives=False)


def _surfaces_row(parent: QWidget, default: tuple[str, ...]) -> tuple[QWidget, dict[str, QCheckBox]]:
    w = QWidget(parent)
    lay = QHBoxLayout(w)
    lay.setContentsMargins(0, 0, 0, 0)
    boxes = {}
    for name in ("roof", "wall", "ground"):
        cb = QCheckBox(name)
        cb.setChecked(name in default)
        lay.addWidget(cb)
        boxes[name] = cb
    return w, boxes


class SolarDialog(QDialog):
    """Parameters of a solar study (fields of SolarOptions)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Solar potential")
        self.weather = QLineEdit()
        self.weather.setPlaceholderText("empty: clear-sky year (Ineichen)")
        browse = QPushButton("Browse...")
        browse.clicked.connect(self._browse)
        wrow = QWidget()
        wl = QHBoxLayout(wrow)
        wl.setContentsMargins(0, 0, 0, 0)
        wl.addWidget(self.weather)
        wl.addWidget(browse)
        self.resolution = QDoubleSpinBox()
        self.resolution.setRange(0.1, 50.0)
        self.resolution.setValue(1.0)
        self.resolution.setSuffix(" m")
        self.albedo = QDoubleSpinBox()
        self.albedo.setRange(0.0, 1.0)
        self.albedo.setSingleStep(0.05)
        self.albedo.setValue(0.2)
        self.sky_mf = QSpinBox()
        self.sky_mf.setRange(4, 12)
        self.sky_mf.setValue(4)
        srow, self.surfaces = _surfaces_row(self, ("roof", "wall"))
        form = QFormLayout()
        form.addRow("Weather file (EPW/TMY)", wrow)
        form.addRow("Resolution", self.resolution)
        form.addRow("Surfaces", srow)
        form.addRow("Ground albedo", self.albedo)
        form.addRow("Sky subdivision (Reinhart MF)", self.sky_mf)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        lay = QVBoxLayout(self)
        lay.addLayout(form)
        lay.addWidget(buttons)

    def _browse(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Weather file", "", "Weather (*.epw *.csv *.txt);;All (*)")
        if path:
            self.weather.setText(path)

    def options(self, lod: str | None = None):
        from citytwin.app.commands.solar import SolarOptions

        w = self.weather.text().strip()
        return SolarOptions(weather=Path(w) if w else None, resolution=self.resolution.value(),
                            surfaces=tuple(n for n, cb in self.surfaces.items() if cb.isChecked()),
                            albedo=self.albedo.value(), sky_mf=self.sky_mf.value(), lod=lod)


class ShadowDialog(QDialog):
    """Parameters of a shadow study (fields of ShadowOptions)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Shadow study")
        self.date = QDateEdit(QDate(dt.date.today().year, 6, 21))
        self.date.setCalendarPopup(True)
        self.start = QTimeEdit(QTime(6, 0))
        self.end = QTimeEdit(QTime(20, 0))
        self.step = QSpinBox()
        self.step.setRange(1, 240)
        self.step.setValue(30)
        self.step.setSuffix(" min")
        self.resolution = QDoubleSpinBox()
        self.resolution.setRange(0.1, 50.0)
        self.resolution.setValue(1.0)
        self.resolution.setSuffix(" m")
        srow, self.surfaces = _surfaces_row(self, ("roof", "wall"))
        form = QFormLayout()
        form.addRow("Date", self.date)
        form.addRow("From (local time)", self.start)
        form.addRow("To", self.end)
        form.addRow("Step", self.step)
        form.addRow("Resolution", self.resolution)
        form.addRow("Surfaces", srow)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        lay = QVBoxLayout(self)
        lay.addLayout(form)
        lay.addWidget(buttons)

    def options(self, lod: str | None = None):
        from citytwin.app.commands.shadow import ShadowOptions

        return ShadowOptions(date=self.date.date().toString("yyyy-MM-dd"),
                             start=self.start.time().toString("HH:mm"), end=self.end.time().toString("HH:mm"),
                             step_minutes=float(self.step.value()), resolution=self.resolution.value(),
                             surfaces=tuple(n for n, cb in self.surfaces.items() if cb.isChecked()),
                             grid_cell=0.0, lod=lod)


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
        self.values = np.asarray(values, dtype=float)
        self.ax.clear()
        self.ax.bar(range(12), self.values, color="#e8a33d")
        self.ax.set_xticks(range(12), MONTHS, fontsize=7)
        self.ax.tick_params(axis="y", labelsize=7)
        self.ax.set_ylabel(unit, fontsize=7)
        self.ax.set_title(title, fontsize=8)
        self.canvas.draw_idle()


class ShadowSlider(QWidget):
    """Time slider of a shadow study: each step recolours lit (yellow) and shadowed (blue) surfaces."""

    def __init__(self, window: "MainWindow", key: int, result, tri_rows: np.ndarray,
                 lit_by_surface: np.ndarray) -> None:
        super().__init__(window)
        self.window, self.key, self.result = window, key, result
        self.tri_rows, self.lit_by_surface = tri_rows, lit_by_surface
        self.slider = QSlider(Qt.Orientation.Horizontal)
        self.slider.setObjectName("shadowSlider")
        self.slider.setRange(0, len(result.times) - 1)
        self.label = QLabel("")
        lay = QHBoxLayout(self)
        lay.addWidget(QLabel("Time"))
        lay.addWidget(self.slider, 1)
        lay.addWidget(self.label)
        self.slider.valueChanged.connect(self.show_step)

    def step_values(self, i: int) -> np.ndarray:
        """(t,) lit fraction per triangle at step ``i`` (NaN where not sampled)."""
        v = np.full(len(self.tri_rows), np.nan)
        ok = self.tri_rows >= 0
        v[ok] = self.lit_by_surface[i, self.tri_rows[ok]]
        return v

    def show_step(self, i: int) -> None:
        from citytwin.app.qt.safety import report

        try:
            r = self.result
            t = r.times[i]
            self.label.setText(f"{t:%Y-%m-%d %H:%M %Z}  sun {r.altitude[i]:.1f} deg")
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
        from citytwin.app.qt.main_window import raise_no_layer

        raise_no_layer()
    dlg = dialog_cls(window)
    if dlg.exec() == QDialog.DialogCode.Accepted:
        start(window, layer.key, dlg.options(layer.lod))


def open_solar_dialog(window: "MainWindow") -> None:
    _ask_and_start(window, SolarDialog, start_solar)


def open_shadow_dialog(window: "MainWindow") -> None:
    _ask_and_start(window, ShadowDialog, start_shadow)


def _start_study(window: "MainWindow", key: int, what: str, run, apply):
    """Run ``run(snapshot, progress)`` in a worker on a snapshot of the layer's model; apply on success."""
    layer = window.layers[key]
    snap = _snapshot(layer.model)
    return window.run_job(f"{what} {layer.name}", lambda progress: run(snap, progress),
                          lambda res: apply(window, key, res))


def start_solar(window: "MainWindow", key: int, options):
    """Run a solar study on a layer in a worker; returns the Job."""
    from citytwin.app.commands.solar import run_solar

    name = window.layers[key].name
    return _start_study(window, key, "solar", lambda m, pr: run_solar(m, options, pr, source_name=name),
                        apply_solar)


def _remap_objects(layer: "Layer", ids: list[str], index: np.ndarray) -> np.ndarray:
    pos = {oid: i for i, oid in enumerate(layer.tri.object_ids)}
    lut = np.array([pos.get(oid, -1) for oid in ids], dtype=np.int64)
    return lut[np.asarray(index, dtype=np.int64)]


def apply_solar(window: "MainWindow", key: int, res) -> None:
    """GUI thread: store the study on the model and show it."""
    from citytwin.app.qt.main_window import AnalysisOverlay

    layer = window.layers[key]
    res.apply_to_model(layer.model)
    keys = np.asarray(res.surface_keys, dtype=np.int64).reshape(-1, 3)
    rows = match_surfaces(layer.tri, _remap_objects(layer, res.object_ids, keys[:, 0]), keys[:, 2], keys[:, 1])
    annual = np.array([s["annual_kwh_m2"] for s in res.surfaces], dtype=np.float64)
    tri_values = np.where(rows >= 0, annual[np.maximum(rows, 0)], np.nan)
    # per analysed object (area-weighted mean over its points) and per building
    n = len(res.object_ids)
    a = res.areas
    area = np.bincount(res.object_index, weights=a, minlength=n)
    mean = np.bincount(res.object_index, weights=a * res.annual_kwh_m2, minlength=n) / np.maximum(area, 1e-12)
    monthly_obj = np.stack([np.bincount(res.object_index, weights=a * res.monthly_kwh_m2[:, m], minlength=n)
                            for m in range(12)], axis=1)
    obj_values: dict[str, float] = {}
    monthly: dict[str, np.ndarray] = {}
    for i in np.nonzero(area > 0)[0].tolist():
        obj_values[res.object_ids[i]] = round(float(mean[i]), 2)
        monthly[res.object_ids[i]] = monthly_obj[i]
    for b in res.buildings:
        if b["area_m2"] > 0:
            obj_values[b["building_id"]] = round(b["annual_kwh"] / b["area_m2"], 2)
        monthly[b["building_id"]] = np.asarray(b["monthly_kwh"], dtype=float)
    overlay = AnalysisOverlay(SOLAR_NAME, tri_values, obj_values, unit="kWh/m2/year", monthly=monthly,
                              cmap="inferno", result=res, monthly_unit="kWh")
    window.add_analysis(key, overlay)
    s = res.summary()
    log.info("solar %s: %d points, %d surfaces, mean roof %s kWh/m2/year, %.1f s", layer.name, s["points"],
             s["surfaces"], s["mean_kwh_m2"].get("RoofSurface", "-"), s["seconds"])


def start_shadow(window: "MainWindow", key: int, options):
    """Run a shadow study on a layer in a worker; returns the Job."""
    from citytwin.app.commands.shadow import run_shadow

    return _start_study(window, key, "shadow", lambda m, pr: run_shadow(m, options, pr), apply_shadow)


def apply_shadow(window: "MainWindow", key: int, res) -> ShadowSlider:
    """GUI thread: sun hours on the model and the layer, plus the time slider dock."""
    from PySide6.QtWidgets import QDockWidget

    from citytwin.app.qt.main_window import AnalysisOverlay

    layer = window.layers[key]
    res.apply_to_model(layer.model)
    oi = _remap_objects(layer, res.object_ids, res.object_index)
    si = np.asarray(res.surface_index, dtype=np.int64)
    ukeys, inv = np.unique(np.stack([oi, si], axis=1), axis=0, return_inverse=True)
    inv = inv.ravel()
    m = len(ukeys)
    cnt = np.maximum(np.bincount(inv, minlength=m), 1)
    lit = np.asarray(res.lit, dtype=np.float64)
    lit_by_surface = np.stack([np.bincount(inv, weights=lit[t], minlength=m) / cnt for t in range(len(lit))])
    sun_by_surface = np.bincount(inv, weights=res.sun_hours, minlength=m) / cnt
    rows = match_surfaces(layer.tri, ukeys[:, 0], ukeys[:, 1])
    tri_sun = np.where(rows >= 0, sun_by_surface[np.maximum(rows, 0)], np.nan)
    n = len(res.object_ids)
    c = np.maximum(np.bincount(res.object_index, minlength=n), 1)
    obj_mean = np.bincount(res.object_index, weights=res.sun_hours, minlength=n) / c
    present = np.bincount(res.object_index, minlength=n) > 0
    obj_values = {res.object_ids[i]: round(float(obj_mean[i]), 2) for i in np.nonzero(present)[0].tolist()}
    overlay = AnalysisOverlay(SHADOW_NAME, tri_sun, obj_values, unit="h", cmap="cividis", result=res)
    window.add_analysis(key, overlay)
    slider = ShadowSlider(window, key, res, rows, lit_by_surface)
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


def export_analysis(window: "MainWindow", path: str | Path) -> Path:
    """Write the current layer's solar study as CSV, GeoJSON or an HTML report (by extension)."""
    from citytwin.app.commands import solar_export
    from citytwin.errors import UsageError

    layer = window.current_layer()
    ov = layer.analyses.get(SOLAR_NAME) if layer is not None else None
    if ov is None or ov.result is None:
        raise UsageError("the current layer has no solar study: run Analysis > Solar potential first")
    p = Path(path)
    suffix = p.suffix.lower()
    if suffix == ".csv":
        solar_export.write_csv(ov.result, p, layer.model)
    elif suffix in (".geojson", ".json"):
        solar_export.write_geojson(ov.result, layer.model, p)
    elif suffix in (".html", ".htm"):
        solar_export.write_report(ov.result, p, title=f"Solar study: {layer.name}")
    else:
        raise UsageError(f"{p.name}: choose .csv, .geojson or .html for the analysis export")
    log.info("wrote %s", p)
    return p
