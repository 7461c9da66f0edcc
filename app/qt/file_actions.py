"""The File and Help menus of the main window: open (dialog, drag and drop), export the model
(the :func:`~citytwin.app.commands.export.export_model` command, texture images included), export
an analysis, save a screenshot, model info, about."""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QMessageBox

from citytwin.app.qt.safety import guarded
from citytwin.app.qt.worker import Job

log = logging.getLogger("citytwin.gui")


def raise_no_layer() -> None:
    from citytwin.errors import UsageError

    raise UsageError("no layer is open: open a file first (File > Open)")


def raise_no_analysis() -> None:
    from citytwin.errors import UsageError

    raise UsageError("the current layer has no analysis results: run one first (Analysis menu)")


class FileActionsMixin:
    """File > Open / Export / Export analysis / Screenshot, Tools > Info, Help > About of a ``MainWindow``."""

    @guarded
    def open_dialog(self) -> None:
        from citytwin.io.registry import readable_formats

        pats = [f"{s.label} ({' '.join('*' + e for e in s.extensions)})" for s in readable_formats()]
        allp = " ".join(sorted({"*" + e for s in readable_formats() for e in s.extensions}))
        files, _ = QFileDialog.getOpenFileNames(self, "Open city models", self._last_folder("open"),
                                                ";;".join([f"All known formats ({allp})", *pats,
                                                           "All files (*)"]))
        if files:
            self._set_last_folder("open", files[0])
            from citytwin.app.qt.mesh_open import ask_mesh_options

            mesh_options = ask_mesh_options(self, files)  # up axis, CRS, offset of meshes; None: cancelled
            if mesh_options is not None:
                self.open_files(files, mesh_options)

    def dragEnterEvent(self, event) -> None:  # noqa: N802 - Qt name
        if event.mimeData().hasUrls():
            event.acceptProposedAction()

    def dropEvent(self, event) -> None:  # noqa: N802 - Qt name
        paths = [u.toLocalFile() for u in event.mimeData().urls() if u.isLocalFile()]
        if paths:
            event.acceptProposedAction()
            self.open_files(paths)

    @guarded
    def export_dialog(self) -> None:
        from citytwin.io.registry import writable_formats

        layer = self.current_layer()
        if layer is None:
            raise_no_layer()
        pats = [f"{s.label} ({' '.join('*' + e for e in s.extensions)})" for s in writable_formats()]
        path, _ = QFileDialog.getSaveFileName(self, "Export model", self._last_folder("export"), ";;".join(pats))
        if path:
            self._set_last_folder("export", path)
            self.export_model(path)

    def export_model(self, path: str | Path, key: int | None = None) -> Job:
        """Write a layer's model in the format chosen by the extension, its texture images with it
        (the :func:`~citytwin.app.commands.export.export_model` command, as ``convert``; in a worker)."""
        from citytwin.app.commands.export import export_model
        from citytwin.app.session import snapshot
        from citytwin.io.registry import format_for_output

        layer = self.layers[key] if key is not None else self.current_layer()
        if layer is None:
            raise_no_layer()
        format_for_output(path)  # a bad extension fails now, on the GUI thread
        snap = snapshot(layer.model)  # the writer's notes go to the snapshot's problems, not the layer's

        def done(res) -> None:
            for line in res.problems[:20]:
                log.warning("%s: %s", res.output.name, line)
            n = len(res.images)
            images = f" with {n} texture image{'s' if n != 1 else ''}" if n else ""
            log.info("wrote %s%s", res.output, images)

        return self.run_job(f"export {Path(path).name}", lambda progress: export_model(snap, path, progress=progress),
                            done)

    @guarded
    def screenshot_dialog(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, "Save screenshot", self._last_folder("screenshot"),
                                              "PNG image (*.png)")
        if path:
            if not path.lower().endswith(".png"):
                path += ".png"
            self._set_last_folder("screenshot", path)
            self.save_screenshot(path)

    def save_screenshot(self, path: str | Path) -> Path:
        out = self.viewport.save_screenshot(path)
        log.info("saved screenshot %s", out)
        return out

    @guarded
    def export_analysis_dialog(self) -> None:
        from citytwin.app.qt.analysis import export_filters

        layer = self.current_layer()
        if layer is None or not layer.analyses:
            raise_no_analysis()
        offered = export_filters(layer)
        path, chosen = QFileDialog.getSaveFileName(self, "Export analysis", self._last_folder("export"),
                                                   ";;".join(f for _, f in offered))
        if path:
            self._set_last_folder("export", path)
            analysis = next((name for name, f in offered if f == chosen), None)
            ext = chosen[chosen.rfind("*.") + 1:-1] if "*." in chosen else ""
            if ext and not path.lower().endswith(ext):
                path += ext
            self.export_analysis(path, analysis)

    def export_analysis(self, path: str | Path, analysis: str | None = None) -> Path:
        """Write a study of the current layer (solar, shadow, sky view factor) as CSV / GeoJSON /
        HTML report / PNG, chosen by the extension (the commands' writers)."""
        from citytwin.app.qt.analysis import export_analysis

        return export_analysis(self, path, analysis)

    @guarded
    def show_info(self) -> None:
        from citytwin.app.commands.info import summarize

        layer = self.current_layer()
        if layer is None:
            raise_no_layer()
        d = summarize(layer.model).to_dict()
        text = "\n".join(f"{k}: {d[k]}" for k in ("format", "version", "crs", "crs_name", "object_counts",
                                                   "lods", "semantic_counts", "vertices", "triangles",
                                                   "textures", "problem_count") if k in d)
        log.info("info %s:\n%s", layer.name, text)
        QMessageBox.information(self, f"Model info: {layer.name}", text)

    @guarded
    def show_about(self) -> None:
        from citytwin import __version__

        QMessageBox.about(self, "About citytwin", f"citytwin {__version__}\nWorkbench for 3D city models.")
