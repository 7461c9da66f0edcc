"""Fusion from the GUI: IFC models and meshes brought into the current layer's model.

The dialog is built from :class:`~citytwin.app.commands.fuse.FuseParams` (IFC files, mesh files,
``ifc_mode``, an IFC georeference (overriding the files' own), the mesh CRS, up axis and offset). The
worker fuses into a copy of the layer's model (:func:`~citytwin.app.commands.fuse.fuse_into`),
triangulates it and builds its scene; the GUI thread shows it as a new layer (or in place of the
base layer) and shows the fusion report (matches with overlap ratios, flags, unassigned mesh parts)
in a dialog that saves it as JSON, and in the Log.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtWidgets import (QComboBox, QDialog, QFileDialog, QFormLayout, QGroupBox, QHBoxLayout, QLabel,
                               QLineEdit, QListWidget, QPushButton, QTreeWidget, QTreeWidgetItem, QVBoxLayout,
                               QWidget)

from citytwin.app.qt.forms import double_spin, finish_dialog, row
from citytwin.app.qt.remember import mark_path, remember_dialog

if TYPE_CHECKING:  # pragma: no cover
    from citytwin.app.qt.main_window import MainWindow

log = logging.getLogger("citytwin.gui")
MESH_FILTER = "Meshes (*.obj *.ply *.glb *.gltf *.stl *.b3dm tileset.json);;All files (*)"


def fusion_snapshot(model):
    """A copy the fusion may change: own objects, attribute dicts and relation lists.

    Geometries and the vertex pool are shared: the fusion adds objects, and ``add_vertices``
    concatenates into a new pool, so nothing of the shown model is written to.
    """
    snap = model.subset(list(model.objects), with_relatives=False)
    for o in snap.objects.values():
        o.attributes = dict(o.attributes)
    return snap


class _FileList(QWidget):
    """A list of files with Add... / Remove buttons."""

    def __init__(self, title: str, file_filter: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title, self.file_filter = title, file_filter
        self.list = QListWidget()
        self.list.setMaximumHeight(90)
        mark_path(self.list, "file")
        add, rem = QPushButton("Add..."), QPushButton("Remove")
        add.clicked.connect(self._add)
        rem.clicked.connect(self._remove)
        buttons = QVBoxLayout()
        buttons.addWidget(add)
        buttons.addWidget(rem)
        buttons.addStretch(1)
        lay = QHBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(self.list, 1)
        lay.addLayout(buttons)

    def _add(self) -> None:
        files, _ = QFileDialog.getOpenFileNames(self, self.title, "", self.file_filter)
        self.add_files(files)

    def _remove(self) -> None:
        for item in self.list.selectedItems():
            self.list.takeItem(self.list.row(item))

    def add_files(self, files) -> None:
        have = set(self.files())
        for f in files:
            if str(f) not in have:
                self.list.addItem(str(f))

    def files(self) -> list[str]:
        return [self.list.item(i).text() for i in range(self.list.count())]


class FusionDialog(QDialog):
    """Parameters of a fusion (the fields of FuseParams) into the current layer."""

    def __init__(self, base_name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Fuse IFC and meshes into {base_name}")
        self.ifc = _FileList("IFC files", "IFC (*.ifc);;All files (*)")
        self.mesh = _FileList("Mesh files", MESH_FILTER)
        self.ifc_mode = QComboBox()
        self.ifc_mode.addItems(["add", "replace"])
        self.ifc_mode.setToolTip("add: IFC elements become LoD 3 children of the matched building; "
                                 "replace: the IFC building takes the matched building's place")
        # IFC georeference, overriding the files' own (--ifc-georef, --ifc-crs)
        self.georef = QGroupBox("Place the IFC files here, overriding their own georeference (E, N, H, rotation)")
        self.georef.setCheckable(True)
        self.georef.setChecked(False)
        self.georef_e, self.georef_n = (double_spin(-1e8, 1e8, suffix=" m", decimals=3) for _ in range(2))
        self.georef_h = double_spin(-1e4, 1e5, suffix=" m", decimals=3)
        self.georef_rot = double_spin(-360.0, 360.0, suffix=" deg", decimals=3)
        self.ifc_crs = QLineEdit()
        self.ifc_crs.setPlaceholderText("CRS of E/N/H (default: the layer's)")
        gform = QFormLayout(self.georef)
        gform.addRow("Origin E, N, H", row(self.georef_e, self.georef_n, self.georef_h))
        gform.addRow("Rotation to grid north", self.georef_rot)
        gform.addRow("CRS", self.ifc_crs)
        # mesh placement (--mesh-crs, --mesh-up, --mesh-offset)
        mesh_box = QGroupBox("Mesh placement")
        self.mesh_crs = QLineEdit()
        self.mesh_crs.setPlaceholderText("CRS of the mesh (default: the layer's)")
        self.mesh_up = QComboBox()
        self.mesh_up.addItems(["auto", "y", "z"])
        self.off_e, self.off_n, self.off_h = (double_spin(-1e8, 1e8, suffix=" m", decimals=3) for _ in range(3))
        mform = QFormLayout(mesh_box)
        mform.addRow("CRS", self.mesh_crs)
        mform.addRow("Up axis (OBJ, PLY, STL)", self.mesh_up)
        mform.addRow("Offset E, N, H", row(self.off_e, self.off_n, self.off_h))
        self.result_mode = QComboBox()
        self.result_mode.addItems(["as a new layer", "in place of the base layer"])
        form = QFormLayout()
        form.addRow("IFC files", self.ifc)
        form.addRow("IFC mode", self.ifc_mode)
        form.addRow("Mesh files", self.mesh)
        form.addRow("Show the fused model", self.result_mode)
        finish_dialog(self, form, self.georef, mesh_box, ok_text="Fuse")

    def params(self, base: Path):
        """The FuseParams of the dialog (``base`` names the layer; nothing is written)."""
        from citytwin.app.commands.fuse import FuseParams

        georef = None
        if self.georef.isChecked():
            georef = (self.georef_e.value(), self.georef_n.value(), self.georef_h.value(), self.georef_rot.value())
        return FuseParams(base=base, output=base, ifc=tuple(Path(f) for f in self.ifc.files()),
                          mesh=tuple(Path(f) for f in self.mesh.files()), ifc_mode=self.ifc_mode.currentText(),
                          ifc_georef=georef, ifc_crs=self.ifc_crs.text().strip() or None,
                          mesh_crs=self.mesh_crs.text().strip() or None, mesh_up=self.mesh_up.currentText(),
                          mesh_offset=(self.off_e.value(), self.off_n.value(), self.off_h.value()))

    @property
    def replace_base(self) -> bool:
        return self.result_mode.currentIndex() == 1


class FusionReportDialog(QDialog):
    """The fusion report as a tree (matches, flags, mesh parts, unassigned), savable as JSON."""

    def __init__(self, report: dict[str, Any], title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("fusionReport")
        self.setWindowTitle(title)
        self.report = report
        self.tree = QTreeWidget()
        self.tree.setHeaderLabels(["Item", "Value"])
        self.tree.setColumnWidth(0, 340)
        self._fill()
        self.tree.expandToDepth(1)
        save = QPushButton("Save as JSON...")
        save.setObjectName("saveReport")
        save.clicked.connect(self._save_dialog)
        close = QPushButton("Close")
        close.clicked.connect(self.accept)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(save)
        buttons.addWidget(close)
        lay = QVBoxLayout(self)
        lay.addWidget(QLabel(f"Base: {report.get('base')}   CRS: {report.get('crs') or 'unknown'}"))
        lay.addWidget(self.tree, 1)
        lay.addLayout(buttons)
        self.resize(760, 460)

    def _item(self, parent, label: str, value: Any = "") -> QTreeWidgetItem:
        it = QTreeWidgetItem([label, "" if value is None else str(value)])
        if parent is None:
            self.tree.addTopLevelItem(it)
        else:
            parent.addChild(it)
        return it

    def _fill(self) -> None:
        for e in self.report.get("ifc", []):
            src = self._item(None, f"IFC {e['source']}", f"georeference: {e.get('georef') or 'none'}")
            ms = self._item(src, "matches", len(e["matches"]))
            for m in e["matches"]:
                self._item(ms, f"{m['ifc_building']} -> {m['base_building']}",
                           f"overlap {m['overlap_of_ifc']:.2f} of IFC, {m['overlap_of_base']:.2f} of base, "
                           f"centroid offset {m['centroid_offset_m']} m")
            if e.get("candidates"):
                cs = self._item(src, "also overlapping (not fused)", len(e["candidates"]))
                for m in e["candidates"]:
                    self._item(cs, f"{m['ifc_building']} ~ {m['base_building']}",
                               f"overlap {m['overlap_of_ifc']:.2f} of IFC, {m['overlap_of_base']:.2f} of base")
            fl = self._item(src, "flags", len(e["flags"]))
            for f in e["flags"]:
                self._item(fl, f.get("ifc_building", e["source"]), f["flag"])
            if e.get("problems"):
                pr = self._item(src, "problems", len(e["problems"]))
                for p in e["problems"][:50]:
                    self._item(pr, str(p.get("object_id") or ""), p.get("message", ""))
        for e in self.report.get("mesh", []):
            src = self._item(None, f"Mesh {e['source']}", f"{e['triangles']} triangles")
            if e.get("flags"):
                fl = self._item(src, "flags", len(e["flags"]))
                for f in e["flags"]:
                    self._item(fl, e["source"], f["flag"])
            bs = self._item(src, "buildings with mesh parts", len(e["buildings"]))
            for b, counts in e["buildings"].items():
                self._item(bs, b, ", ".join(f"{k} {v}" for k, v in counts.items()))
            un = self._item(src, "unassigned", "")
            for k, v in e.get("unassigned", {}).items():
                self._item(un, k, v)

    def _save_dialog(self) -> None:
        from citytwin.app.qt.safety import report as show_error

        try:
            path, _ = QFileDialog.getSaveFileName(self, "Save fusion report", "fusion-report.json",
                                                  "JSON (*.json)")
            if path:
                self.save(path)
        except Exception as exc:  # noqa: BLE001 - a slot
            show_error(exc, self)

    def save(self, path: str | Path) -> Path:
        from citytwin.app.commands.fuse import write_report

        write_report(self.report, path)
        log.info("wrote the fusion report %s", path)
        return Path(path)


def open_fusion_dialog(window: "MainWindow") -> None:
    layer = window.current_layer()
    if layer is None:
        from citytwin.app.qt.file_actions import raise_no_layer

        raise_no_layer()
    dlg = FusionDialog(layer.name, window)
    remember_dialog(dlg, window.settings, "dialogs/FusionDialog")  # saved on OK
    if dlg.exec() == QDialog.DialogCode.Accepted:
        start_fusion(window, layer.key, dlg.params(layer.path), replace_base=dlg.replace_base)


def fused_name(path: Path) -> Path:
    """``base.city.json`` -> ``base-fused.city.json`` (the new layer's name; not written)."""
    stem, dot, rest = path.name.partition(".")
    return path.with_name(f"{stem}-fused{dot}{rest}")


def start_fusion(window: "MainWindow", key: int, params, replace_base: bool = False):
    """Fuse ``params``' IFC and mesh files into a copy of layer ``key``'s model in a worker.

    Returns the Job. On success the fused model becomes a new layer (``replace_base``: in place of the
    base layer), the report goes to the Log and a report dialog opens; the base layer is unchanged.
    """
    from citytwin.app.commands.fuse import check_sources, fuse_into
    from citytwin.app.session.layers import build_layer

    check_sources(params)  # no files: say so now, on the GUI thread
    layer = window.layers[key]
    snap = fusion_snapshot(layer.model)
    origin = None if window.viewport.origin is None else window.viewport.origin.copy()
    base_name = layer.name

    def work(progress):
        report = fuse_into(snap, params, progress.sub(0.0, 0.8), base_name=base_name)
        progress.update(0.8, "triangulating the fused model")
        return build_layer(snap, progress.sub(0.8, 1.0), name=f"the fused {base_name}", origin=origin), report

    return window.run_job(f"fuse into {base_name}", work,
                          lambda res: apply_fusion(window, key, res, replace_base))


def apply_fusion(window: "MainWindow", key: int, res, replace_base: bool) -> FusionReportDialog:
    """GUI thread: show the fused model as a layer and the report."""
    from citytwin.app.commands.fuse import report_lines

    data, report = res
    model = data.model
    base = window.layers.get(key)
    path = fused_name(base.path if base is not None else Path(report.get("base", "model")))
    new = window.add_model_layer(path, data, recent=False)
    if replace_base and base is not None:
        window.remove_layer(key)
    window.last_fusion_report = report
    lines = report_lines(report)
    log.info("fused into %s: %d objects\n%s", new.name, len(model), "\n".join(lines))
    dlg = FusionReportDialog(report, f"Fusion report: {new.name}", window)
    dlg.setModal(False)
    dlg.show()
    window.fusion_report_dialog = dlg
    return dlg

