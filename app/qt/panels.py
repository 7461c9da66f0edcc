"""Dock panels: Layers, Objects (tree + filter), Attributes, Log."""

from __future__ import annotations

import json
import logging
from typing import Any

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import (QComboBox, QFormLayout, QHBoxLayout, QLabel, QLineEdit, QListWidget,
                               QListWidgetItem, QPlainTextEdit, QSlider, QTreeView, QTreeWidget,
                               QTreeWidgetItem, QVBoxLayout, QWidget)

from citytwin.app.qt.tree_model import KEY_ROLE, ObjectTreeModel

class LayersPanel(QWidget):
    """List of layers (check = visible) with opacity, colour mode and LoD of the current one."""

    visibility_changed = Signal(object, bool)
    opacity_changed = Signal(object, float)
    color_by_changed = Signal(object, str)
    lod_changed = Signal(object, object)
    current_changed = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.list = QListWidget()
        self.list.setObjectName("layersList")
        self.opacity = QSlider(Qt.Orientation.Horizontal)
        self.opacity.setRange(5, 100)
        self.opacity.setValue(100)
        self.color_by = QComboBox()
        self.color_by.setObjectName("colorBy")
        self.lod = QComboBox()
        form = QFormLayout()
        form.addRow("Opacity", self.opacity)
        form.addRow("Colour by", self.color_by)
        form.addRow("LoD", self.lod)
        lay = QVBoxLayout(self)
        lay.addWidget(self.list)
        lay.addLayout(form)
        self._keys: dict[int, object] = {}
        self._updating = False
        self.list.itemChanged.connect(self._item_changed)
        self.list.currentRowChanged.connect(self._row_changed)
        self.opacity.valueChanged.connect(self._opacity)
        self.color_by.currentTextChanged.connect(self._color_by)
        self.lod.currentTextChanged.connect(self._lod)

    def add_layer(self, key: object, name: str, color_modes: list[str], lods: list[str], current: str) -> None:
        item = QListWidgetItem(name)
        item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
        item.setCheckState(Qt.CheckState.Checked)
        item.setData(Qt.ItemDataRole.UserRole, key)
        item.setData(Qt.ItemDataRole.UserRole + 1, (color_modes, lods, current, None, 100))
        self.list.addItem(item)
        self.list.setCurrentItem(item)

    def remove_layer(self, key: object) -> None:
        for i in range(self.list.count()):
            if self.list.item(i).data(Qt.ItemDataRole.UserRole) == key:
                self.list.takeItem(i)
                return

    def current_key(self) -> object | None:
        item = self.list.currentItem()
        return item.data(Qt.ItemDataRole.UserRole) if item else None

    def set_color_modes(self, key: object, modes: list[str], current: str) -> None:
        item = self._item(key)
        if item is None:
            return
        _, lods, _, lod, op = item.data(Qt.ItemDataRole.UserRole + 1)
        item.setData(Qt.ItemDataRole.UserRole + 1, (modes, lods, current, lod, op))
        if item is self.list.currentItem():
            self._row_changed(self.list.currentRow())

    def set_current_color(self, key: object, current: str) -> None:
        item = self._item(key)
        if item is None:
            return
        modes, lods, _, lod, op = item.data(Qt.ItemDataRole.UserRole + 1)
        if current not in modes:
            modes = [*modes, current]
        self.set_color_modes(key, modes, current)

    def set_lod(self, key: object, lod: str | None) -> None:
        """Show ``lod`` (None: highest) as the layer's LoD without emitting ``lod_changed``."""
        item = self._item(key)
        if item is None:
            return
        data = list(item.data(Qt.ItemDataRole.UserRole + 1))
        data[3] = lod
        item.setData(Qt.ItemDataRole.UserRole + 1, tuple(data))
        if item is self.list.currentItem():
            self._row_changed(self.list.currentRow())

    def _item(self, key: object) -> QListWidgetItem | None:
        for i in range(self.list.count()):
            it = self.list.item(i)
            if it.data(Qt.ItemDataRole.UserRole) == key:
                return it
        return None

    def _item_changed(self, item: QListWidgetItem) -> None:
        self.visibility_changed.emit(item.data(Qt.ItemDataRole.UserRole),
                                     item.checkState() == Qt.CheckState.Checked)

    def _row_changed(self, row: int) -> None:
        item = self.list.item(row) if row >= 0 else None
        self._updating = True
        try:
            self.color_by.clear()
            self.lod.clear()
            if item is None:
                return
            modes, lods, current, lod, op = item.data(Qt.ItemDataRole.UserRole + 1)
            self.color_by.addItems(modes)
            self.color_by.setCurrentText(current)
            self.lod.addItems(["highest", *lods])
            self.lod.setCurrentText(lod or "highest")
            self.opacity.setValue(op)
        finally:
            self._updating = False
        if item is not None:
            self.current_changed.emit(item.data(Qt.ItemDataRole.UserRole))

    def _store(self, index: int, value: Any) -> None:
        item = self.list.currentItem()
        if item is None:
            return
        data = list(item.data(Qt.ItemDataRole.UserRole + 1))
        data[index] = value
        item.setData(Qt.ItemDataRole.UserRole + 1, tuple(data))

    def _opacity(self, value: int) -> None:
        if self._updating or self.current_key() is None:
            return
        self._store(4, value)
        self.opacity_changed.emit(self.current_key(), value / 100.0)

    def _color_by(self, text: str) -> None:
        if self._updating or not text or self.current_key() is None:
            return
        self._store(2, text)
        self.color_by_changed.emit(self.current_key(), text)

    def _lod(self, text: str) -> None:
        if self._updating or not text or self.current_key() is None:
            return
        self._store(3, None if text == "highest" else text)
        self.lod_changed.emit(self.current_key(), None if text == "highest" else text)


class ObjectsPanel(QWidget):
    """Objects tree with a filter line (``id`` text, ``attr=value``, ``attr>number``)."""

    object_selected = Signal(object, str)
    object_activated = Signal(object, str)  # double-click (or Enter) on an object: zoom to it

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.filter = QLineEdit()
        self.filter.setObjectName("objectFilter")
        self.filter.setPlaceholderText("Filter: id text, attr=value, attr>number")
        self.filter.setClearButtonEnabled(True)
        self.count = QLabel("")
        self.model = ObjectTreeModel(self)
        self.view = QTreeView()
        self.view.setObjectName("objectTree")
        self.view.setModel(self.model)
        self.view.setUniformRowHeights(True)
        self.view.setColumnWidth(0, 260)
        top = QHBoxLayout()
        top.addWidget(self.filter)
        top.addWidget(self.count)
        lay = QVBoxLayout(self)
        lay.addLayout(top)
        lay.addWidget(self.view)
        self.filter.returnPressed.connect(self.apply_filter)
        self.filter.textChanged.connect(self._maybe_clear)
        self.view.selectionModel().currentChanged.connect(self._current)
        self.view.setExpandsOnDoubleClick(False)  # a double-click zooms to the object
        self.view.doubleClicked.connect(self._activated)
        self._syncing = False

    def apply_filter(self) -> int:
        n = self.model.set_filter(self.filter.text())
        self.count.setText(f"{n} match" + ("" if n == 1 else "es") if self.filter.text().strip() else "")
        if self.filter.text().strip():
            self.view.expandToDepth(1)
        return n

    def _maybe_clear(self, text: str) -> None:
        if not text:
            self.apply_filter()

    def _current(self, current, _previous) -> None:
        if self._syncing or not current.isValid():
            return
        key, oid = self.model.data(current.siblingAtColumn(0), KEY_ROLE)
        if oid is not None:
            self.object_selected.emit(key, oid)

    def _activated(self, index) -> None:
        if not index.isValid():
            return
        key, oid = self.model.data(index.siblingAtColumn(0), KEY_ROLE)
        if oid is not None:
            self.object_activated.emit(key, oid)

    def select(self, key: object, oid: str) -> None:
        """Select and reveal an object without re-emitting ``object_selected``."""
        idx = self.model.index_of(key, oid)
        if not idx.isValid():
            return
        self._syncing = True
        try:
            self.view.setCurrentIndex(idx)
            self.view.scrollTo(idx)
        finally:
            self._syncing = False

    def current_object(self) -> tuple[object, str] | None:
        idx = self.view.currentIndex()
        if not idx.isValid():
            return None
        key, oid = self.model.data(idx.siblingAtColumn(0), KEY_ROLE)
        return None if oid is None else (key, oid)


def _fmt(v: Any) -> str:
    if isinstance(v, float):
        return f"{v:.6g}"
    if isinstance(v, (dict, list)):
        return json.dumps(v, ensure_ascii=False)[:500]
    return "null" if v is None else str(v)


class AttributesPanel(QWidget):
    """The selected object's attributes, the picked surface's semantics and analysis values."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.tree = QTreeWidget()
        self.tree.setObjectName("attributeTree")
        self.tree.setHeaderLabels(["Name", "Value"])
        self.tree.setColumnWidth(0, 180)
        self._lay = QVBoxLayout(self)
        self._lay.addWidget(self.tree)
        self.chart = None  # MonthlyChart, created on first use (imports matplotlib)

    def clear(self) -> None:
        self.tree.clear()

    def show_chart(self, title: str, values, unit: str) -> None:
        if self.chart is None:
            from citytwin.app.qt.analysis import MonthlyChart

            self.chart = MonthlyChart(self)
            self._lay.addWidget(self.chart)
        self.chart.plot(title, values, unit)
        self.chart.setVisible(True)

    def hide_chart(self) -> None:
        if self.chart is not None:
            self.chart.setVisible(False)

    def show(self, sections: list[tuple[str, list[tuple[str, Any]]]]) -> None:  # type: ignore[override]
        """Fill with ``[(section title, [(name, value), ...]), ...]``."""
        self.tree.clear()
        for title, rows in sections:
            if not rows:
                continue
            top = QTreeWidgetItem([title, ""])
            f = top.font(0)
            f.setBold(True)
            top.setFont(0, f)
            for name, value in rows:
                item = QTreeWidgetItem(top, [str(name), _fmt(value)])
                item.setToolTip(0, str(name))  # long names and values are cut by the columns
                item.setToolTip(1, item.text(1))
            self.tree.addTopLevelItem(top)
            top.setExpanded(True)

    def value_of(self, section: str, name: str) -> str | None:
        """The shown value of ``name`` in ``section`` (None if absent); used by tests."""
        for i in range(self.tree.topLevelItemCount()):
            top = self.tree.topLevelItem(i)
            if top.text(0) != section:
                continue
            for j in range(top.childCount()):
                if top.child(j).text(0) == name:
                    return top.child(j).text(1)
        return None


class _LogBridge(QObject):
    line = Signal(str)


class QtLogHandler(logging.Handler):
    """A logging handler that appends to a text widget from any thread (through a queued signal)."""

    def __init__(self, widget: QPlainTextEdit) -> None:
        super().__init__(logging.INFO)
        self.bridge = _LogBridge()
        self.bridge.line.connect(widget.appendPlainText, Qt.ConnectionType.QueuedConnection)
        self.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(message)s", "%H:%M:%S"))

    def emit(self, record: logging.LogRecord) -> None:
        try:
            from citytwin.app.gui_messages import for_gui

            self.bridge.line.emit(for_gui(self.format(record)))  # fields and menus, not CLI flags
        except RuntimeError:  # widget already deleted at shutdown
            pass


class LogPanel(QPlainTextEdit):
    """Read-only log of what happened (loads, errors, analyses)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("logView")
        self.setReadOnly(True)
        self.setMaximumBlockCount(5000)
        self.handler = QtLogHandler(self)
