"""The Validation dock: the problems ``info`` finds in the current layer, per object.

Filterable by severity and by code (:func:`citytwin.app.validation_view.problem_code`); a
double-click on a row selects its object and zooms to it (View > Zoom to selection). The rows are
computed in a worker when the dock is shown, when another layer becomes current, and after a
layer opens while the dock is shown. The rows themselves are :mod:`citytwin.app.validation_view`.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (QAbstractItemView, QComboBox, QDockWidget, QHBoxLayout, QLabel, QTableWidget,
                               QTableWidgetItem, QVBoxLayout, QWidget)

from citytwin.app.qt.safety import guarded
from citytwin.app.validation_view import ProblemRow, code_counts, filter_rows

if TYPE_CHECKING:  # pragma: no cover
    from citytwin.app.qt.main_window import MainWindow

log = logging.getLogger("citytwin.gui")

_ALL = "all"
_COLUMNS = ("Object", "Severity", "Code", "Message")


class ValidationPanel(QWidget):
    """Severity and code filters over a table of problems."""

    #: (layer key, object id) of a double-clicked row
    object_activated = Signal(int, str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.key: int | None = None
        self.rows: list[ProblemRow] = []
        self.shown: list[ProblemRow] = []
        self.severity = QComboBox()
        self.severity.setObjectName("validationSeverity")
        self.severity.addItems([_ALL, "error", "warning"])
        self.code = QComboBox()
        self.code.setObjectName("validationCode")
        self.code.setMinimumContentsLength(24)
        self.summary = QLabel("no layer checked")
        self.summary.setObjectName("validationSummary")
        self.table = QTableWidget(0, len(_COLUMNS))
        self.table.setObjectName("validationTable")
        self.table.setHorizontalHeaderLabels(list(_COLUMNS))
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.verticalHeader().setVisible(False)
        self.table.setSortingEnabled(True)
        top = QHBoxLayout()
        top.addWidget(QLabel("Severity"))
        top.addWidget(self.severity)
        top.addWidget(QLabel("Code"))
        top.addWidget(self.code, 1)
        top.addWidget(self.summary)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(2, 2, 2, 2)
        lay.addLayout(top)
        lay.addWidget(self.table, 1)
        self.severity.currentTextChanged.connect(lambda _t: self._refill())
        self.code.currentIndexChanged.connect(lambda _i: self._refill())
        self.table.cellDoubleClicked.connect(self._activated)

    def set_rows(self, key: int | None, name: str, rows: list[ProblemRow]) -> None:
        """Show the problems ``rows`` of the layer ``key`` (named ``name``)."""
        self.key, self.rows, self.name = key, rows, name
        current = self.code.currentData()
        self.code.blockSignals(True)
        self.code.clear()
        self.code.addItem(f"{_ALL} ({len(rows)})", None)
        for c, n in code_counts(rows):
            self.code.addItem(f"{c} ({n})", c)
        i = self.code.findData(current) if current is not None else 0
        self.code.setCurrentIndex(max(i, 0))
        self.code.blockSignals(False)
        self._refill()

    def filters(self) -> tuple[str | None, str | None]:
        sev = self.severity.currentText()
        return (None if sev == _ALL else sev), self.code.currentData()

    def _refill(self) -> None:
        sev, code = self.filters()
        self.shown = filter_rows(self.rows, sev, code)
        self.table.setSortingEnabled(False)
        self.table.setRowCount(len(self.shown))
        for i, r in enumerate(self.shown):
            cells = (r.object_id or "(file)", r.severity, r.code, r.message)
            for j, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setData(Qt.ItemDataRole.UserRole, r.object_id)
                if j == 1 and r.severity == "error":
                    item.setForeground(QColor(176, 0, 32))
                self.table.setItem(i, j, item)
        self.table.setSortingEnabled(True)
        self.table.resizeColumnsToContents()
        n_err = sum(r.severity == "error" for r in self.rows)
        self.summary.setText(f"{getattr(self, 'name', '')}: {len(self.rows)} problems ({n_err} errors), "
                             f"{len(self.shown)} shown")

    def _activated(self, row: int, _col: int) -> None:
        oid = self.table.item(row, 0).data(Qt.ItemDataRole.UserRole)
        if oid is not None and self.key is not None:
            self.object_activated.emit(self.key, oid)


def install_validation_dock(window: "MainWindow") -> QDockWidget:
    """Add the Validation dock to ``window`` (hidden; View > Validation, F7, shows it)."""
    panel = ValidationPanel()
    dock = QDockWidget("Validation", window)
    dock.setObjectName("dockValidation")
    dock.setWidget(panel)
    window.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, dock)
    dock.hide()
    dock.toggleViewAction().setShortcut("F7")
    window.validation_panel = panel
    window.docks["Validation"] = dock

    @guarded
    def check() -> None:
        if not dock.isVisible():
            return
        layer = window.current_layer()
        if layer is None:
            panel.set_rows(None, "no layer", [])
            return
        model, key, name = layer.model, layer.key, layer.name

        def work(progress):
            from citytwin.app.validation_view import problem_rows

            progress.update(0.0, f"checking {name}")
            return problem_rows(model)

        def done(rows) -> None:
            if key in window.layers:
                panel.set_rows(key, name, rows)
                log.info("%s: %d problems listed in the Validation dock", name, len(rows))

        window.run_job(f"check {name}", work, done)

    @guarded
    def activated(key: int, oid: str) -> None:
        layer = window.layers.get(key)
        if layer is None or oid not in layer.model.objects:
            return
        window.select_object(key, oid)
        window.zoom_to_selection()

    dock.visibilityChanged.connect(lambda on: check() if on else None)
    window.layers_panel.current_changed.connect(lambda _k: check())
    window.layer_loaded.connect(lambda _layer: check())
    panel.object_activated.connect(activated)
    window.check_validation = check
    return dock
