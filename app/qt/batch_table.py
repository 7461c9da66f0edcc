"""The live table of a batch run: one row per input file, filled from the run's records.

Rows are created from the expanded inputs before the run starts (status ``queued``) and updated
by :meth:`BatchTableModel.set_record` as each file's
:class:`~citytwin.app.commands.batch_report.FileRecord` arrives. A model/view table, so a run
over thousands of tiles stays cheap to show.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor

from citytwin.app.commands.batch_report import FileRecord

COLUMNS = ("File", "Status", "Seconds", "Objects", "Counts", "Error")
QUEUED = "queued"
#: row backgrounds by status (light, so text stays readable)
STATUS_COLORS = {"ok": "#dcefd9", "skipped": "#e6e9ee", "failed": "#f6d3d3", "not-run": "#fbf0cf"}

_Index = QModelIndex | QPersistentModelIndex


def _counts_text(counts: dict[str, Any]) -> str:
    return ", ".join(f"{k} {v:,}" if isinstance(v, int) else f"{k} {v}" for k, v in counts.items()
                     if k != "objects")


class BatchTableModel(QAbstractTableModel):
    """Records of a run, in input order.

    Attributes
    ----------
    records : one FileRecord per row (status ``queued`` until the file's record arrives)
    base : folder the File column is shown relative to (the common folder of the inputs)
    """

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.records: list[FileRecord] = []
        self._row_of: dict[str, int] = {}
        self.base: Path | None = None

    # -- filling ----------------------------------------------------------------------------------
    def reset_inputs(self, inputs: list[str | Path]) -> None:
        """One ``queued`` row per input file (absolute paths, as the batch records them)."""
        self.beginResetModel()
        self.records = [FileRecord(input=str(p), status=QUEUED) for p in inputs]
        self._row_of = {r.input: i for i, r in enumerate(self.records)}
        try:
            self.base = Path(os.path.commonpath([str(Path(p).parent) for p in inputs])) if inputs else None
        except ValueError:
            self.base = None
        self.endResetModel()

    def set_record(self, rec: FileRecord) -> int:
        """Show a finished (or skipped) file's record; returns its row."""
        row = self._row_of.get(rec.input)
        if row is None:  # not in the planned inputs (should not happen): append
            row = len(self.records)
            self.beginInsertRows(QModelIndex(), row, row)
            self.records.append(rec)
            self._row_of[rec.input] = row
            self.endInsertRows()
            return row
        self.records[row] = rec
        self.dataChanged.emit(self.index(row, 0), self.index(row, len(COLUMNS) - 1))
        return row

    def mark_not_run(self) -> None:
        """After a cancel: rows still queued become ``not-run``."""
        for i, r in enumerate(self.records):
            if r.status == QUEUED:
                self.records[i] = FileRecord(input=r.input, status="not-run")
        if self.records:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self.records) - 1, len(COLUMNS) - 1))

    def status_counts(self) -> dict[str, int]:
        out: dict[str, int] = {}
        for r in self.records:
            out[r.status] = out.get(r.status, 0) + 1
        return out

    def rows_with(self, status: str) -> list[int]:
        return [i for i, r in enumerate(self.records) if r.status == status]

    def display_name(self, rec: FileRecord) -> str:
        p = Path(rec.input)
        if self.base is not None:
            try:
                return p.relative_to(self.base).as_posix()
            except ValueError:
                pass
        return p.name

    # -- Qt model ---------------------------------------------------------------------------------
    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: N802 - Qt name
        return 0 if parent.isValid() else len(self.records)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: N802 - Qt name
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802 - Qt name
                   role: int = Qt.ItemDataRole.DisplayRole):
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return COLUMNS[section]
        return None

    def cell_text(self, row: int, col: int) -> str:
        r = self.records[row]
        if col == 0:
            return self.display_name(r)
        if col == 1:
            return r.status
        if col == 2:
            return f"{r.duration_s:.2f}" if r.status == "ok" else ""
        if col == 3:
            o = r.counts.get("objects")
            return f"{o:,}" if isinstance(o, int) else ""
        if col == 4:
            return _counts_text(r.counts)
        err = r.error or (f"{r.counts.get('written_differently', len(r.warnings))} warning(s): "
                          f"{r.warnings[0]}" if r.warnings else "")
        for prefix in (r.input + ": ", Path(r.input).name + ": "):  # the File column names it already
            if err.startswith(prefix):
                return err[len(prefix):]
        return err

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        row, col = index.row(), index.column()
        r = self.records[row]
        if role == Qt.ItemDataRole.DisplayRole:
            return self.cell_text(row, col)
        if role == Qt.ItemDataRole.ToolTipRole:
            if col == 0:
                return "\n".join([r.input, *(f"-> {o}" for o in r.outputs)])
            if col == 5 and r.error:
                return r.error
            return None
        if role == Qt.ItemDataRole.BackgroundRole and r.status in STATUS_COLORS:
            return QBrush(QColor(STATUS_COLORS[r.status]))
        if role == Qt.ItemDataRole.TextAlignmentRole and col in (2, 3):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None
