"""File > Open for meshes: the placement options (up axis, CRS, offset) the fusion dialog asks.

When the files chosen in File > Open include meshes (OBJ, PLY, STL, glTF/GLB), this dialog asks
how to place them; its values are remembered for the next mesh. A bad value (a CRS PROJ does
not know) is said in one sentence under the fields, naming the field and the file, and the
dialog stays open.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QComboBox, QDialog, QFormLayout, QLabel, QLineEdit, QWidget

from citytwin.app.mesh_open import UP_AXES, MeshOpenOptions
from citytwin.app.qt.forms import double_spin, finish_dialog, row
from citytwin.app.qt.remember import remember_dialog
from citytwin.errors import UsageError


class MeshOpenDialog(QDialog):
    """Up axis, CRS and offset for the mesh files being opened."""

    def __init__(self, files: list[str | Path], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("meshOpenDialog")
        self.files = [Path(f) for f in files]
        self.setWindowTitle("Open meshes")
        self.up = QComboBox()
        self.up.setObjectName("meshUp")
        self.up.addItems(list(UP_AXES))
        self.up.setToolTip("auto: glTF/GLB are Y-up (their specification), OBJ/PLY/STL Z-up; photogrammetry "
                           "exports differ: choose y for a scan that opens lying on its side, -z for one upside down, "
                           "-y for a camera frame (Y down)")
        self.crs = QLineEdit()
        self.crs.setObjectName("meshCrs")
        self.crs.setPlaceholderText("CRS of the coordinates after the offset (e.g. EPSG:28992); empty: none")
        self.off_e, self.off_n, self.off_h = (double_spin(-1e8, 1e8, suffix=" m", decimals=3) for _ in range(3))
        form = QFormLayout()
        form.addRow(QLabel(", ".join(f.name for f in self.files)))
        form.addRow("Up axis", self.up)
        form.addRow("CRS", self.crs)
        form.addRow("Offset E, N, H", row(self.off_e, self.off_n, self.off_h))
        self.error_label = QLabel()
        self.error_label.setObjectName("meshOpenError")
        self.error_label.setStyleSheet("color: #b00020")
        self.error_label.setWordWrap(True)
        self.error_label.hide()
        finish_dialog(self, form, self.error_label, ok_text="Open")
        self.error: str | None = None

    def options(self) -> MeshOpenOptions:
        return MeshOpenOptions(up=self.up.currentText(), crs=self.crs.text().strip(),
                               offset=(self.off_e.value(), self.off_n.value(), self.off_h.value()))

    def accept(self) -> None:  # noqa: D102 - checks the values first
        try:
            self.options().check(self.files)
        except UsageError as exc:
            self.error = str(exc)
            self.error_label.setText(self.error)
            self.error_label.show()
            return
        self.error = None
        super().accept()


def ask_mesh_options(window, files: list[str | Path]) -> MeshOpenOptions | None:
    """Ask the placement of the mesh files among ``files`` (None: cancelled).

    Files that are no meshes need no options: with none among them the default options are
    returned without asking.
    """
    from citytwin.app.mesh_open import is_mesh_file

    meshes = [f for f in files if is_mesh_file(f)]
    if not meshes:
        return MeshOpenOptions()
    dlg = MeshOpenDialog(meshes, window)
    remember_dialog(dlg, getattr(window, "settings", None), "dialogs/MeshOpenDialog")
    if dlg.exec() != QDialog.DialogCode.Accepted:
        return None
    return dlg.options()
