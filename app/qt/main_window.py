"""The citytwin main window: viewport in the centre, docks for Layers, Objects, Attributes, Log.

The window shows a :class:`~citytwin.app.session.model.Session` (layers, project CRS, selection,
analysis overlays: no Qt) and forwards what the person does to it. Every file is a layer, made in a
:class:`~citytwin.app.qt.worker.Job` thread by :func:`~citytwin.app.session.layers.build_layer`
with the progress bar and Cancel in the status bar; the result is put into the session on the GUI
thread. Every slot is :func:`~citytwin.app.qt.safety.guarded`.

The menus live in modules named for them: :mod:`~citytwin.app.qt.file_actions` (File, Help),
:mod:`~citytwin.app.qt.layer_actions` (Layer, View, the Layers panel),
:mod:`~citytwin.app.qt.selection` (picking, the tree and the attribute table),
:mod:`~citytwin.app.qt.recent_files` (settings), :mod:`~citytwin.app.qt.window_layout` (docks).
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any, Callable

import numpy as np
from PySide6.QtCore import QSettings, QTimer, Signal
from PySide6.QtWidgets import QMainWindow, QWidget

from citytwin.app.commands.progress import Progress
from citytwin.app.qt.file_actions import FileActionsMixin
from citytwin.app.qt.layer_actions import LayerActionsMixin
from citytwin.app.qt.recent_files import RecentFilesMixin
from citytwin.app.qt.safety import guarded, report
from citytwin.app.qt.selection import SelectionMixin
from citytwin.app.qt.viewport import Viewport
from citytwin.app.qt.window_layout import build_docks, build_menus, build_status_bar, connect_panels
from citytwin.app.qt.worker import Job, JobRunner, MainThreadGC
from citytwin.app.render.scene import texture_paths
from citytwin.app.session import AnalysisOverlay, Layer, LayerData, Session, build_layer
from citytwin.semantics.crs import CRS

log = logging.getLogger("citytwin.gui")


class MainWindow(FileActionsMixin, LayerActionsMixin, SelectionMixin, RecentFilesMixin, QMainWindow):
    """The application window: a view of :attr:`session`."""

    layer_loaded = Signal(object)   # Layer
    load_failed = Signal(str, str)  # path, message
    job_finished = Signal(str, str)  # job name, "ok" | "cancelled" | "failed"

    def __init__(self, settings: QSettings | None = None, parent: QWidget | None = None,
                 session: Session | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("citytwin")
        self.setAcceptDrops(True)
        self.settings = settings or QSettings("citytwin", "citytwin")
        self.session = session or Session()
        #: build each layer's pick index while loading (False: at the first click; scripted snapshots)
        self.eager_pick_index = True
        self.runner = JobRunner(self)
        self.gc = MainThreadGC(self)  # cyclic GC on the GUI thread only, never in a worker
        self.gc.start()
        self._lod_jobs: dict[int, Job] = {}  # the running LoD switch of each layer
        self.runner.changed.connect(self._jobs_changed)
        self.viewport = Viewport(self)
        self.setCentralWidget(self.viewport)
        build_docks(self)
        from citytwin.app.qt.validation import install_validation_dock

        install_validation_dock(self)  # View > Validation (F7): the problems per object
        build_menus(self)
        from citytwin.app.qt.camera_tools import install_camera_tools

        install_camera_tools(self)  # View: back/left/bottom, orthographic, north arrow, scale bar, bookmarks
        build_status_bar(self)
        connect_panels(self)
        self._restore_settings()
        self._rebuild_recent_menu()

    # ------------------------------------------------------------------ the session
    @property
    def layers(self) -> dict[int, Layer]:
        """The session's layers by key."""
        return self.session.layers

    @property
    def project_crs(self) -> CRS | None:
        """The CRS every layer is shown in (the session's)."""
        return self.session.project_crs

    @property
    def selected(self) -> tuple[int, str] | None:
        """(layer key, object id) of the selected object (the session's)."""
        return self.session.selected

    # ------------------------------------------------------------------ opening
    @guarded
    def open_files(self, paths: list[str | Path], mesh_options=None) -> list[Job]:
        """Load each file in a worker; each becomes a layer when done (``mesh_options``: a
        :class:`~citytwin.app.mesh_open.MeshOpenOptions` for the mesh files)."""
        from citytwin.app.mesh_open import is_mesh_file

        jobs = []
        for p in paths:
            path = Path(p)
            opts = mesh_options.reader_options() if mesh_options is not None and is_mesh_file(path) else None
            # the layer keeps its own local origin (the viewport places it, app/qt/viewport.py)
            job = Job(f"open {path.name}", lambda progress, path=path, crs=self.project_crs, opts=opts:
                      build_layer(path, progress, project_crs=crs, pick_index=self.eager_pick_index,
                                  read_options=opts), self)
            job.succeeded.connect(lambda data, path=path: self._on_loaded(path, data))
            job.failed.connect(lambda exc, path=path: self._on_load_failed(path, exc))
            job.cancelled.connect(lambda path=path: log.info("opening %s cancelled", path.name))
            self._start(job)
            jobs.append(job)
        return jobs

    @guarded
    def _on_loaded(self, path: Path, data: LayerData) -> None:
        if self.session.needs_rebuild(data.model):
            # another file set the project CRS while this one loaded: reproject it in a worker
            target, eager = self.project_crs, self.eager_pick_index
            job = Job(f"open {path.name} (reprojecting)", lambda progress: build_layer(
                data.model, progress, name=path.name, project_crs=target, pick_index=eager), self)
            job.succeeded.connect(lambda res: self._on_loaded(path, res))
            job.failed.connect(lambda exc: self._on_load_failed(path, exc))  # as a failed open
            job.cancelled.connect(lambda: log.info("opening %s cancelled", path.name))
            self._start(job)
            return
        self.add_model_layer(path, data)

    def add_model_layer(self, path: Path, data: LayerData, recent: bool = True) -> Layer:
        """Show a model as a new layer (GUI thread); ``path`` names it (a fused model has no file yet)."""
        layer = self.session.add_layer(path, data)
        key, model = layer.key, layer.model
        first = len(self.layers) == 1
        self.viewport.add_layer(key, layer.scene, self.session.coloring(layer), fit=first, pick_scene=data.pick)
        if not first and not self.viewport.in_view(key):
            self._bring_into_view(key, path.name)
        self.objects_panel.model.add_layer(key, path.name, model)
        self.objects_panel.view.expandToDepth(0)
        self.layers_panel.add_layer(key, path.name, self.session.color_modes(layer), model.lods(), layer.color_by)
        if recent:
            self._add_recent(path)
        self._update_crs_label()
        n_prob = len(model.problems)
        log.info("opened %s: %d objects, %d triangles%s", path.name, len(model), layer.tri.n_triangles,
                 f", {n_prob} problems (see the log)" if n_prob else "")
        for p in list(model.problems)[:20]:
            log.warning("%s: %s", p.object_id or path.name, p.message)
        self._log_missing_textures(layer)
        self.layer_loaded.emit(layer)
        return layer

    @staticmethod
    def _log_missing_textures(layer: Layer) -> None:
        """Say how many texture images of a layer are missing (their surfaces are drawn in their
        semantic colours, and the legend lists those colours)."""
        import os

        paths = texture_paths(layer.model)
        missing = [i for i, p in enumerate(paths) if p is None or not os.path.exists(p)]
        if not missing:
            return
        ti = layer.tri.texture_index
        n_tri = int(np.isin(ti, missing).sum()) if ti is not None else 0
        first = layer.model.appearance.textures[missing[0]].get("image", "?")
        log.warning("%s: %d of %d texture images are missing (e.g. %s): %d triangles that use them are drawn "
                    "in their semantic colours (see the legend)", layer.name, len(missing), len(paths), first, n_tri)

    def _on_load_failed(self, path: Path, exc: BaseException) -> None:
        report(exc, self, "Cannot open file")
        self.load_failed.emit(str(path), str(exc))

    def remove_layer(self, key: int) -> None:
        """Close a layer: viewport, tree, layer list, selection."""
        had_selection = bool(self.selected and self.selected[0] == key)
        layer = self.session.remove_layer(key)
        self.viewport.remove_layer(key)
        self.objects_panel.model.remove_layer(key)
        self.layers_panel.remove_layer(key)
        if had_selection:
            self.attributes_panel.clear()
        if not self.layers:
            self._update_crs_label()
        if self.table_panel.layer is layer:
            self.table_panel.show_layer(None)
            self._fill_table()
        log.info("closed %s", layer.name)

    # ------------------------------------------------------------------ jobs
    def _start(self, job: Job) -> Job:
        job.progressed.connect(self._on_progress)
        job.succeeded.connect(lambda _r, n=job.name: self.statusBar().showMessage(f"finished: {n}", 5000))
        job.succeeded.connect(lambda _r, n=job.name: self.job_finished.emit(n, "ok"))
        job.failed.connect(lambda _e, n=job.name: self.job_finished.emit(n, "failed"))
        job.cancelled.connect(lambda n=job.name: self.job_finished.emit(n, "cancelled"))
        log.info("started: %s", job.name)
        return self.runner.start(job)

    def _on_progress(self, fraction: float, message: str) -> None:
        self.progress_bar.setValue(int(fraction * 1000))
        if message:
            self.statusBar().showMessage(message, 4000)

    def _jobs_changed(self) -> None:
        busy = bool(self.runner.jobs)
        self.progress_bar.setVisible(busy)
        self.cancel_button.setVisible(busy)
        if not busy:
            self.progress_bar.setValue(0)

    @guarded
    def cancel_jobs(self) -> None:
        for j in list(self.runner.jobs):
            j.cancel()
            log.info("cancelling: %s", j.name)

    def run_job(self, name: str, fn: Callable[[Progress], Any], on_done: Callable[[Any], None],
                on_not_done: Callable[[Job], None] | None = None) -> Job:
        """Run ``fn(progress)`` in a worker; ``on_done(result)`` runs on the GUI thread, and
        ``on_not_done(job)`` (if given) when it failed or was cancelled."""
        job = Job(name, fn, self)
        job.succeeded.connect(lambda res: self._apply_result(name, on_done, res))
        job.failed.connect(lambda exc: report(exc, self, name))
        job.cancelled.connect(lambda: log.info("cancelled: %s (nothing changed)", name))
        if on_not_done is not None:
            job.failed.connect(lambda _e: on_not_done(job))
            job.cancelled.connect(lambda: on_not_done(job))
        return self._start(job)

    @guarded
    def _apply_result(self, name: str, on_done: Callable[[Any], None], result: Any) -> None:
        on_done(result)
        log.info("finished: %s", name)

    # ------------------------------------------------------------------ analyses and tools
    @guarded
    def solar_dialog(self) -> None:
        from citytwin.app.qt.analysis import open_solar_dialog

        open_solar_dialog(self)

    @guarded
    def shadow_dialog(self) -> None:
        from citytwin.app.qt.analysis import open_shadow_dialog

        open_shadow_dialog(self)

    @guarded
    def svf_dialog(self) -> None:
        from citytwin.app.qt.analysis import open_svf_dialog

        open_svf_dialog(self)

    @guarded
    def fusion_dialog(self) -> None:
        from citytwin.app.qt.fusion import open_fusion_dialog

        open_fusion_dialog(self)

    @guarded
    def batch_dialog(self) -> None:
        """Tools > Batch: ``citytwin batch`` over a folder, with a live table of the files."""
        from citytwin.app.qt.batch_dialog import show_batch_dialog

        show_batch_dialog(self)

    def add_analysis(self, key: int, overlay: AnalysisOverlay, show: bool = True) -> None:
        """Show an overlay the session has on a layer (GUI thread) and colour the layer by it."""
        layer = self.session.add_overlay(key, overlay)
        self.layers_panel.set_color_modes(key, self.session.color_modes(layer), layer.color_by)
        if show:
            self.set_color_by(overlay.name, key)
        self.refresh_attributes()
        if self.table_panel.layer is layer:
            self.table_panel.refresh()  # the study's column

    # ------------------------------------------------------------------ closing
    def closeEvent(self, event) -> None:  # noqa: N802 - Qt name
        try:
            if self.runner.jobs:
                log.info("closing: cancelling %d running job(s)", len(self.runner.jobs))
            self.runner.cancel_all()
            self.gc.stop()
            self._save_settings()
            logging.getLogger("citytwin").removeHandler(self.log_panel.handler)
            self.viewport.shutdown()
        except Exception as exc:  # noqa: BLE001 - closing must not fail
            log.error("error while closing: %s", exc)
        event.accept()
        QTimer.singleShot(0, lambda: None)
