"""The attribute table dock (like QGIS's): the current layer's objects with their attributes and
analysis values; sortable by any column, filtered with the Objects tree's filter language, "only
selected", export to CSV; selecting a row selects the object in the view and the tree, and a
selection made there selects the row. Rows, filter and CSV are :mod:`citytwin.app.attribute_table`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt, Signal
from PySide6.QtWidgets import (QAbstractItemView, QCheckBox, QFileDialog, QHBoxLayout, QLabel, QLineEdit,
                               QPushButton, QTableView, QVBoxLayout, QWidget)

from citytwin.app.attribute_table import AttributeTable, build_table, matching_rows, sort_key, write_csv

if TYPE_CHECKING:  # pragma: no cover
    from citytwin.app.session import Layer


class TableModel(QAbstractTableModel):
    """The visible rows (``order``: indices into the table's rows) of an :class:`AttributeTable`."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.table = AttributeTable(["id", "type"])
        self.order: list[int] = []

    def set_rows(self, table: AttributeTable, order: list[int]) -> None:
        self.beginResetModel()
        self.table, self.order = table, order
        self.endResetModel()

    def rowCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: N802 - Qt name
        return 0 if parent.isValid() else len(self.order)

    def columnCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: N802 - Qt name
        return 0 if parent.isValid() else len(self.table.columns)

    def data(self, index: QModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        v = self.table.rows[self.order[index.row()]][index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            if v is None:
                return ""
            return f"{v:.6g}" if isinstance(v, float) else str(v)
        if role == Qt.ItemDataRole.TextAlignmentRole and isinstance(v, (int, float)) and not isinstance(v, bool):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def headerData(self, section: int, orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:  # noqa: N802
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return self.table.columns[section]
        return None

    def sort(self, column: int, order=Qt.SortOrder.AscendingOrder) -> None:
        self.layoutAboutToBeChanged.emit()
        rows = self.table.rows
        keyed = [(sort_key(rows[i][column]), i) for i in self.order]
        filled = sorted((k, i) for k, i in keyed if k[0] < 2)
        if order == Qt.SortOrder.DescendingOrder:
            filled.reverse()
        self.order[:] = [i for _, i in filled] + [i for k, i in keyed if k[0] == 2]  # empty cells last
        self.layoutChanged.emit()

    def oid(self, row: int) -> str:
        return self.table.ids[self.order[row]]

    def row_of(self, oid: str) -> int | None:
        i = self.table.row_of(oid)
        return self.order.index(i) if i is not None and i in self.order else None


class AttributeTablePanel(QWidget):
    """Filter line, "only selected", CSV export and the table; signals ``object_selected(key, oid)``."""

    object_selected = Signal(object, str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.layer: "Layer | None" = None
        self.selected_oid: str | None = None
        self.filter = QLineEdit()
        self.filter.setObjectName("tableFilter")
        self.filter.setPlaceholderText("Filter: id text, attr=value, attr>number")
        self.filter.setClearButtonEnabled(True)
        self.only_selected = QCheckBox("Only selected")
        self.export_button = QPushButton("Export CSV...")
        self.count = QLabel("")
        self.model = TableModel(self)
        self.view = QTableView()
        self.view.setObjectName("attributeTable")
        self.view.setModel(self.model)
        self.view.setSortingEnabled(True)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setWordWrap(False)  # one line per object, as in QGIS
        self.view.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 6)
        top = QHBoxLayout()
        top.addWidget(self.filter, 1)
        top.addWidget(self.only_selected)
        top.addWidget(self.export_button)
        top.addWidget(self.count)
        lay = QVBoxLayout(self)
        lay.addLayout(top)
        lay.addWidget(self.view)
        self._syncing = False
        self.filter.returnPressed.connect(self.refresh)
        self.filter.textChanged.connect(lambda t: self.refresh() if not t else None)
        self.only_selected.toggled.connect(lambda _on: self.refresh())
        self.export_button.clicked.connect(self._export_dialog)
        self.view.selectionModel().currentRowChanged.connect(self._current)

    def show_layer(self, layer: "Layer | None") -> None:
        """Fill the table with a layer's objects (None: empty)."""
        self.layer = layer
        self.refresh()

    def refresh(self) -> None:
        """Rebuild the rows: attributes and analysis values of the layer, filtered."""
        layer = self.layer
        if layer is None:
            self.model.set_rows(AttributeTable(["id", "type"]), [])
            self.count.setText("")
            return
        table = build_table(layer.model, {name: a.object_values for name, a in layer.analyses.items()})
        rows = matching_rows(layer.model, table, self.filter.text())
        if self.only_selected.isChecked():
            rows = [i for i in rows if table.ids[i] == self.selected_oid]
        header = self.view.horizontalHeader()
        self.model.set_rows(table, rows)
        if header.sortIndicatorSection() < len(table.columns) and header.isSortIndicatorShown():
            self.model.sort(header.sortIndicatorSection(), header.sortIndicatorOrder())
        self.count.setText(f"{len(rows)} of {len(table)} objects")
        if self.selected_oid:
            self.select(self.selected_oid)

    def visible_ids(self) -> list[str]:
        return [self.model.oid(r) for r in range(self.model.rowCount())]

    def _current(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if self._syncing or not current.isValid() or self.layer is None:
            return
        oid = self.model.oid(current.row())
        self.selected_oid = oid
        self.object_selected.emit(self.layer.key, oid)

    def select(self, oid: str | None) -> None:
        """Select an object's row without emitting ``object_selected`` (None: clear)."""
        self.selected_oid = oid
        self._syncing = True
        try:
            row = self.model.row_of(oid) if oid else None
            if row is None:
                self.view.clearSelection()
            else:
                self.view.selectRow(row)
                self.view.scrollTo(self.model.index(row, 0))
        finally:
            self._syncing = False

    def export_csv(self, path) -> None:
        """Write the visible rows, in their order, as CSV."""
        write_csv(self.model.table, path, list(self.model.order))

    def _export_dialog(self) -> None:
        from citytwin.app.qt.safety import report

        try:
            path, _ = QFileDialog.getSaveFileName(self, "Export attribute table", "", "CSV (*.csv)")
            if path:
                if not path.lower().endswith(".csv"):
                    path += ".csv"
                self.export_csv(path)
        except Exception as exc:  # noqa: BLE001 - a slot
            report(exc, self)
