"""The citytwin main window: viewport in the centre, docks for Layers, Objects, Attributes, Log.

Every file is a layer. Loading, exporting and analyses run in :class:`~citytwin.app.qt.worker.Job`
threads with the progress bar and Cancel in the status bar; the result is applied to the model on
the GUI thread. Every slot is :func:`~citytwin.app.qt.safety.guarded`.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

import numpy as np
from PySide6.QtCore import QSettings, Qt, QTimer, Signal
from PySide6.QtWidgets import (QDockWidget, QFileDialog, QLabel, QMainWindow, QMessageBox,
                               QProgressBar, QPushButton, QWidget)

from citytwin.app.commands.progress import Progress
from citytwin.app.qt.actions import build_actions
from citytwin.app.qt.layer_crs import needs_reprojection, reproject_logged, usable_crs
from citytwin.app.qt.panels import BASE_COLOR_MODES, AttributesPanel, LayersPanel, LogPanel, ObjectsPanel
from citytwin.app.qt.safety import guarded, report
from citytwin.app.qt.viewport import Viewport
from citytwin.app.qt.worker import Job, JobRunner, MainThreadGC
from citytwin.app.render.coloring import Coloring, color_values, coloring_for
from citytwin.app.render.picking import PickScene, build_pick_scene
from citytwin.app.render.scene import LayerScene, build_scene
from citytwin.app.render.snapshot import texture_paths
from citytwin.mesh.triangles import TriangleMesh
from citytwin.semantics.crs import CRS
from citytwin.semantics.model import CityModel
from citytwin.semantics.surfaces import semantic_name

log = logging.getLogger("citytwin.gui")
MAX_RECENT = 10


@dataclass
class AnalysisOverlay:
    """An analysis result shown on a layer.

    Attributes
    ----------
    name : colour-mode name ("solar: kWh/m2/year")
    triangle_values : (t,) float per triangle of the layer's current TriangleMesh (NaN: none)
    object_values : value per object id (e.g. mean annual kWh/m2), for the attribute panel
    unit : unit string
    monthly : per object id, (12,) monthly values (for the chart), optional
    cmap : colour map
    result : the command's result object (SolarResult, ShadowResult), for exports
    monthly_unit : unit of ``monthly`` (kWh per month for buildings)
    clim : fixed colour range (sky view factor: 0..1), or None for the values' range
    """

    name: str
    triangle_values: np.ndarray
    object_values: dict[str, float]
    unit: str = ""
    monthly: dict[str, np.ndarray] = field(default_factory=dict)
    cmap: str = "inferno"
    result: Any = None
    monthly_unit: str = ""
    clim: tuple[float, float] | None = None


@dataclass
class Layer:
    """One opened file."""

    key: int
    path: Path
    model: CityModel
    tri: TriangleMesh
    scene: LayerScene
    color_by: str = "semantic"
    lod: str | None = None
    analyses: dict[str, AnalysisOverlay] = field(default_factory=dict)

    @property
    def name(self) -> str:
        return self.path.name

    def object_index(self, oid: str) -> int | None:
        try:
            return self.tri.object_ids.index(oid)
        except ValueError:
            return None


def _load_layer_data(path: Path, origin: np.ndarray | None, progress: Progress, pick_index: bool = True,
                     project_crs: CRS | None = None, read_options: dict | None = None
                     ) -> tuple[CityModel, TriangleMesh, LayerScene, PickScene | None]:
    """Worker body: read, reproject to ``project_crs`` (when the file has another CRS), triangulate,
    build the merged meshes and the pick scene of one file. An unchanged file opened before with
    the same project CRS comes from the triangle cache (:mod:`citytwin.app.triangle_cache`)."""
    from citytwin.app import triangle_cache
    from citytwin.app.commands.load import LoadParams, load_model

    key = None
    if triangle_cache.cacheable(path):
        progress.update(0.0, f"looking for {path.name} in the triangle cache")
        key = triangle_cache.entry_key(path, project_crs=project_crs, lod=None)
        hit = triangle_cache.load(key)
        if hit is not None:
            model, tri, notes = hit
            for note in notes:
                log.info("%s", note)
            log.info("%s: opened from the triangle cache (file unchanged since it was last opened)", path.name)
            return _layer_data(model, path.name, origin, progress, pick_index, tri=tri)
    model = load_model(LoadParams(path, options=tuple((read_options or {}).items())), progress.sub(0.0, 0.5))
    notes = []
    note = show_in_metric_frame(model, path.name, project_crs)
    if note:
        notes.append(note)
    if needs_reprojection(model, project_crs):
        progress.update(0.5, f"reprojecting {path.name} to {project_crs}")
        source = model.crs
        reproject_logged(model, path.name, project_crs)
        notes.append(f"{path.name}: reprojected on the fly from {source} to the project CRS {project_crs}")
    out = _layer_data(model, path.name, origin, progress, pick_index)
    if key is not None:
        progress.update(1.0, f"saving {path.name}'s triangles in the cache")
        triangle_cache.store(key, (model, out[1], notes))
    return out


def show_in_metric_frame(model: CityModel, name: str, project_crs: CRS | None) -> str | None:
    """Worker step: a model in degrees or ECEF cannot be drawn as is; reproject it to the project
    CRS, or (no project CRS yet) to the UTM zone around it, and say so in the Log (the sentence is
    returned too, None when nothing was done)."""
    from citytwin.app.metric_frame import needs_metric_frame, to_metric_frame

    if needs_metric_frame(model.crs):
        target = project_crs if project_crs is not None and not needs_metric_frame(project_crs) else None
        change = to_metric_frame(model, name, target)
        if change is not None:
            log.info("%s", change.message)
            return change.message
    return None


def _layer_data(model: CityModel, name: str, origin: np.ndarray | None, progress: Progress,
                pick_index: bool = True, tri: TriangleMesh | None = None
                ) -> tuple[CityModel, TriangleMesh, LayerScene, PickScene | None]:
    """Worker body: triangulate a model (unless ``tri`` is given), build its merged meshes and
    (optionally) its pick scene."""
    path = Path(name)
    if tri is None:
        progress.update(0.6, f"triangulating {path.name}")
        tri = model.triangulate(on_progress=progress.sub(0.6, 0.8).update)
    progress.update(0.8, f"building the scene of {path.name}")
    scene = build_scene(tri, origin=origin, texture_paths=texture_paths(model))
    pick = None
    if pick_index:
        progress.update(0.9, f"building the pick index of {path.name}")
        pick = build_pick_scene(tri, scene.origin)
    progress.update(1.0, f"loaded {path.name}")
    return model, tri, scene, pick


class MainWindow(QMainWindow):
    """The application window."""

    layer_loaded = Signal(object)   # Layer
    load_failed = Signal(str, str)  # path, message
    job_finished = Signal(str, str)  # job name, "ok" | "cancelled" | "failed"

    def __init__(self, settings: QSettings | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("citytwin")
        self.setAcceptDrops(True)
        self.settings = settings or QSettings("citytwin", "citytwin")
        self.layers: dict[int, Layer] = {}
        self._next_key = 1
        self.selected: tuple[int, str] | None = None
        #: the CRS every layer is shown in: set by the first layer with a CRS (as in QGIS)
        self.project_crs: CRS | None = None
        #: build each layer's pick index while loading (False: at the first click; scripted snapshots)
        self.eager_pick_index = True
        self.runner = JobRunner(self)
        self.gc = MainThreadGC(self)  # cyclic GC on the GUI thread only, never in a worker
        self.gc.start()
        self._lod_jobs: dict[int, Job] = {}  # the running LoD switch of each layer
        self.runner.changed.connect(self._jobs_changed)

        self.viewport = Viewport(self)
        self.setCentralWidget(self.viewport)
        self.layers_panel = LayersPanel()
        self.objects_panel = ObjectsPanel()
        self.attributes_panel = AttributesPanel()
        self.log_panel = LogPanel()
        logging.getLogger("citytwin").addHandler(self.log_panel.handler)
        logging.getLogger("citytwin").setLevel(logging.INFO)
        self.docks = {}
        for title, widget, area in [("Layers", self.layers_panel, Qt.DockWidgetArea.LeftDockWidgetArea),
                                    ("Objects", self.objects_panel, Qt.DockWidgetArea.LeftDockWidgetArea),
                                    ("Attributes", self.attributes_panel, Qt.DockWidgetArea.RightDockWidgetArea),
                                    ("Log", self.log_panel, Qt.DockWidgetArea.BottomDockWidgetArea)]:
            dock = QDockWidget(title, self)
            dock.setObjectName(f"dock{title}")
            dock.setWidget(widget)
            self.addDockWidget(area, dock)
            self.docks[title] = dock
        from citytwin.app.qt.attribute_table import AttributeTablePanel

        self.table_panel = AttributeTablePanel()
        dock = QDockWidget("Attribute table", self)
        dock.setObjectName("dockTable")
        dock.setWidget(self.table_panel)
        self.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, dock)
        self.splitDockWidget(self.docks["Log"], dock, Qt.Orientation.Vertical)  # full width, above the log
        dock.hide()  # View > Attribute table (F6) shows it
        dock.visibilityChanged.connect(lambda on: self._fill_table() if on else None)
        self.docks["Attribute table"] = dock
        from citytwin.app.qt.validation import install_validation_dock
        install_validation_dock(self)  # View > Validation (F7): the problems per object
        self.actions = build_actions(self)
        from citytwin.app.qt.camera_tools import install_camera_tools
        install_camera_tools(self)  # View: back/left/bottom, orthographic, north arrow, scale bar, bookmarks
        # right click on a layer: the Layer menu's actions
        self.layers_panel.list.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
        self.layers_panel.list.addActions([self.actions[n] for n in ("zoom_layer", "assign_crs", "reproject", "close_layer")])
        for dock in self.docks.values():
            self.view_menu.addAction(dock.toggleViewAction())

        sb = self.statusBar()
        self.coord_label = QLabel("")
        self.coord_label.setObjectName("coordLabel")
        self.crs_label = QLabel("CRS: -")
        self.crs_label.setObjectName("crsLabel")
        self.progress_bar = QProgressBar()
        self.progress_bar.setRange(0, 1000)
        self.progress_bar.setMaximumWidth(220)
        self.progress_bar.setVisible(False)
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.setObjectName("cancelButton")
        self.cancel_button.setVisible(False)
        self.cancel_button.clicked.connect(self.cancel_jobs)
        sb.addPermanentWidget(self.coord_label)
        sb.addPermanentWidget(self.crs_label)
        sb.addPermanentWidget(self.progress_bar)
        sb.addPermanentWidget(self.cancel_button)

        self.layers_panel.visibility_changed.connect(self._on_visibility)
        self.layers_panel.opacity_changed.connect(self._on_opacity)
        self.layers_panel.color_by_changed.connect(self._on_color_by)
        self.layers_panel.lod_changed.connect(self._on_lod)
        self.layers_panel.current_changed.connect(self._on_current_layer)
        self.objects_panel.object_selected.connect(self._on_tree_selected)
        self.objects_panel.object_activated.connect(self._on_tree_activated)
        self.table_panel.object_selected.connect(self._on_table_selected)
        self.viewport.picked.connect(self._on_picked)
        self.viewport.picked_nothing.connect(self._on_picked_nothing)

        self._restore_settings()
        self._rebuild_recent_menu()

    # ------------------------------------------------------------------ settings / recent files
    def _restore_settings(self) -> None:
        geo = self.settings.value("window/geometry")
        state = self.settings.value("window/state")
        if geo is not None:
            self.restoreGeometry(geo)
        else:
            self.resize(1500, 950)
        if state is not None:
            self.restoreState(state)
        else:  # first start: room for attribute values (ids are long) next to their names
            self.resizeDocks([self.docks["Attributes"]], [400], Qt.Orientation.Horizontal)

    def _save_settings(self) -> None:
        self.settings.setValue("window/geometry", self.saveGeometry())
        self.settings.setValue("window/state", self.saveState())
        self.settings.sync()

    def recent_files(self) -> list[str]:
        val = self.settings.value("recentFiles", [])
        if isinstance(val, str):
            val = [val]
        return [str(v) for v in (val or [])]

    def _add_recent(self, path: Path) -> None:
        items = [str(path.resolve())] + [p for p in self.recent_files() if p != str(path.resolve())]
        self.settings.setValue("recentFiles", items[:MAX_RECENT])
        self._rebuild_recent_menu()

    def _rebuild_recent_menu(self) -> None:
        menu = self.recent_menu
        menu.clear()
        for p in self.recent_files():
            act = menu.addAction(p)
            act.triggered.connect(lambda _c=False, p=p: self.open_files([p]))
        menu.setEnabled(bool(self.recent_files()))

    def _last_folder(self, kind: str) -> str:
        return str(self.settings.value(f"folders/{kind}", str(Path.home())))

    def _set_last_folder(self, kind: str, path: str) -> None:
        self.settings.setValue(f"folders/{kind}", str(Path(path).parent))

    # ------------------------------------------------------------------ opening
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
                      _load_layer_data(path, None, progress, self.eager_pick_index, crs, opts), self)
            job.succeeded.connect(lambda res, path=path: self._on_loaded(path, res))
            job.failed.connect(lambda exc, path=path: self._on_load_failed(path, exc))
            job.cancelled.connect(lambda path=path: log.info("opening %s cancelled", path.name))
            self._start(job)
            jobs.append(job)
        return jobs

    @guarded
    def _on_loaded(self, path: Path, result: tuple[CityModel, TriangleMesh, LayerScene, PickScene]) -> None:
        model = result[0]
        if needs_reprojection(model, self.project_crs):
            # another file set the project CRS while this one loaded: reproject it in a worker
            target, eager = self.project_crs, self.eager_pick_index

            def work(progress: Progress):
                reproject_logged(model, path.name, target)
                return _layer_data(model, path.name, None, progress, eager)

            job = Job(f"open {path.name} (reprojecting)", work, self)
            job.succeeded.connect(lambda res: self._on_loaded(path, res))
            job.failed.connect(lambda exc: self._on_load_failed(path, exc))  # as a failed open
            job.cancelled.connect(lambda: log.info("opening %s cancelled", path.name))
            self._start(job)
            return
        self.add_model_layer(path, *result)

    def add_model_layer(self, path: Path, model: CityModel, tri: TriangleMesh, scene: LayerScene,
                        pick: PickScene | None = None, recent: bool = True) -> Layer:
        """Show a model as a new layer (GUI thread); ``path`` names it (a fused model has no file yet)."""
        key = self._next_key
        self._next_key += 1
        color_by = "texture" if tri.uv is not None else "semantic"
        layer = Layer(key, path, model, tri, scene, color_by=color_by)
        self.layers[key] = layer
        self._check_layer_crs(layer)
        first = len(self.layers) == 1
        self.viewport.add_layer(key, scene, self._coloring(layer), fit=first, pick_scene=pick)
        if not first and not self.viewport.in_view(key):
            self._bring_into_view(key, path.name)
        self.objects_panel.model.add_layer(key, path.name, model)
        self.objects_panel.view.expandToDepth(0)
        self.layers_panel.add_layer(key, path.name, self._color_modes(layer), model.lods(), color_by)
        if recent:
            self._add_recent(path)
        self._update_crs_label()
        n_prob = len(model.problems)
        log.info("opened %s: %d objects, %d triangles%s", path.name, len(model), tri.n_triangles,
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

    def _color_modes(self, layer: Layer) -> list[str]:
        from citytwin.app.render.orientation import ORIENTATION_MODE
        modes = list(BASE_COLOR_MODES) if layer.tri.uv is not None else ["semantic"]
        modes.append(ORIENTATION_MODE)  # roof-like / wall-like / ground-like from the normals (meshes)
        return modes + list(layer.analyses) + layer.model.attribute_names()

    def _coloring(self, layer: Layer) -> Coloring:
        if layer.color_by in layer.analyses:
            a = layer.analyses[layer.color_by]
            return color_values(a.triangle_values, a.name, cmap=a.cmap, clim=a.clim)
        from citytwin.app.render.orientation import ORIENTATION_MODE, color_orientation
        if layer.color_by == ORIENTATION_MODE:
            return color_orientation(layer.tri)
        return coloring_for(layer.model, layer.tri, layer.color_by)

    def _check_layer_crs(self, layer: Layer) -> None:
        """The first layer with a CRS sets the project CRS; warn about a layer without one."""
        own = usable_crs(layer.model.crs)
        if own is None:
            what = f"a local CRS ({layer.model.crs})" if layer.model.crs is not None else "no CRS"
            log.warning("%s has %s: shown as is, its coordinates taken as %s (Layer > Assign CRS... "
                        "to declare it)", layer.name, what,
                        f"project CRS {self.project_crs}" if self.project_crs else "they are")
        elif self.project_crs is None:
            self.project_crs = own
            log.info("project CRS set to %s (%s) by %s", own, own.name, layer.name)
        elif needs_reprojection(layer.model, self.project_crs):  # a model added without the worker
            log.warning("%s is in %s, not in the project CRS %s: shown as is", layer.name, own, self.project_crs)

    def _update_crs_label(self, _layer: Layer | None = None) -> None:
        """Status bar: the project CRS (code and name)."""
        crs = self.project_crs
        if crs is None:
            self.crs_label.setText("CRS: unknown")
            return
        self.crs_label.setText(f"{crs}: {crs.name}")  # name falls back to the code when pyproj does not know it

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

    # ------------------------------------------------------------------ layer panel slots
    def current_layer(self) -> Layer | None:
        key = self.layers_panel.current_key()
        if key is None and self.layers:
            key = next(iter(self.layers))
        return self.layers.get(key) if key is not None else None

    @guarded
    def _on_visibility(self, key: int, visible: bool) -> None:
        if key in self.layers:
            self.viewport.set_visible(key, visible)

    @guarded
    def _on_opacity(self, key: int, opacity: float) -> None:
        if key in self.layers:
            self.viewport.set_opacity(key, opacity)

    @guarded
    def _on_color_by(self, key: int, color_by: str) -> None:
        self.set_color_by(color_by, key)

    def set_color_by(self, color_by: str, key: int | None = None) -> None:
        """Colour a layer (default: the current one) by "semantic", "texture", an attribute or an analysis."""
        layer = self.layers[key] if key is not None else self.current_layer()
        if layer is None:
            return
        old = layer.color_by
        layer.color_by = color_by
        try:
            coloring = self._coloring(layer)
        except KeyError:
            layer.color_by = old
            raise
        self.viewport.set_coloring(layer.key, coloring)
        self.layers_panel.set_current_color(layer.key, color_by)
        if self.selected and self.selected[0] == layer.key:
            self._update_chart(layer, self.selected[1])  # the chart follows the study shown
        log.info("%s coloured by %s", layer.name, color_by)

    @guarded
    def _on_lod(self, key: int, lod: str | None) -> Job | None:
        """Show another LoD of a layer: triangulate, build the scene and pick index in a worker.

        The layer keeps its current triangles (and picking stays consistent with them) until the
        new ones are ready; a newer LoD choice supersedes a running one; on Cancel or failure the
        LoD box goes back to what is shown.
        """
        layer = self.layers.get(key)
        if layer is None:
            return None
        running = self._lod_jobs.get(key)
        if running is not None:
            running.cancel()
        snap = layer.model.subset(list(layer.model.objects), with_relatives=False)  # own triangle cache
        origin = layer.scene.origin.copy()
        textures = texture_paths(layer.model)
        version, name = layer.model.version, layer.name

        def work(progress: Progress) -> tuple[TriangleMesh, LayerScene, PickScene]:
            progress.update(0.0, f"triangulating {name} at LoD {lod or 'highest'}")
            tri = snap.triangulate(lod=lod, on_progress=progress.sub(0.0, 0.6).update)
            progress.update(0.6, f"building the scene of {name}")
            scene = build_scene(tri, origin=origin, texture_paths=textures)
            progress.update(0.85, f"building the pick index of {name}")
            pick = build_pick_scene(tri, scene.origin)
            progress.update(1.0)
            return tri, scene, pick

        job = self.run_job(f"LoD {lod or 'highest'} of {name}", work,
                           lambda res: self._apply_lod(key, lod, job, version, res),
                           lambda j: self._lod_not_applied(key, j))
        self._lod_jobs[key] = job
        return job

    def _lod_not_applied(self, key: int, job: Job) -> None:
        if self._lod_jobs.get(key) is job:
            del self._lod_jobs[key]
            if key in self.layers:
                self.layers_panel.set_lod(key, self.layers[key].lod)

    def _apply_lod(self, key: int, lod: str | None, job: Job, version: int,
                   result: tuple[TriangleMesh, LayerScene, PickScene]) -> None:
        """GUI thread: swap the layer's triangles, scene and pick index; keep the selection."""
        layer = self.layers.get(key)
        if layer is None or self._lod_jobs.get(key) is not job:
            return  # closed meanwhile, or a newer LoD choice is on its way
        del self._lod_jobs[key]
        if layer.model.version != version:  # the model changed while triangulating: do it again
            self._on_lod(key, lod)
            return
        layer.lod = lod
        self._swap_geometry(layer, *result)
        self.layers_panel.set_lod(key, lod)
        if self.selected and self.selected[0] == key:
            oid = self.selected[1]
            if oid in layer.model.objects:
                self.select_object(key, oid)  # highlight the object's triangles of this LoD
            else:
                self._on_picked_nothing()
        log.info("%s shows LoD %s (%d triangles)", layer.name, lod or "highest", layer.tri.n_triangles)

    def _swap_geometry(self, layer: Layer, tri: TriangleMesh, scene: LayerScene, pick: PickScene | None) -> None:
        """Show new triangles of a layer (another LoD, reprojected): keep visibility and opacity,
        drop the analyses (their values were per triangle of the old ones)."""
        key = layer.key
        layer.tri, layer.scene = tri, scene
        self._drop_analyses(layer)
        if layer.color_by not in ("semantic", "texture") and layer.color_by not in layer.model.attribute_names():
            layer.color_by = "semantic"
        old = self.viewport.layers[key]
        vis, opacity = old.visible, old.opacity
        self.viewport.remove_layer(key)
        self.viewport.add_layer(key, layer.scene, self._coloring(layer), fit=False, pick_scene=pick)
        self.viewport.set_visible(key, vis)
        self.viewport.set_opacity(key, opacity)
        self.layers_panel.set_color_modes(key, self._color_modes(layer), layer.color_by)

    # ------------------------------------------------------------------ layer CRS
    @guarded
    def assign_crs_dialog(self) -> None:
        """Layer > Assign CRS...: declare the CRS of the current layer's coordinates (EPSG code)."""
        from PySide6.QtWidgets import QInputDialog

        layer = self.current_layer()
        if layer is None:
            raise_no_layer()
        text, ok = QInputDialog.getText(self, f"Assign CRS: {layer.name}",
                                        "EPSG code of the layer's coordinates (e.g. 25832 or 25832+5783):",
                                        text=str(layer.model.crs or ""))
        if ok:
            self.assign_crs(layer.key, text)

    def assign_crs(self, key: int, text: str) -> Job | None:
        """Declare a layer's CRS (validated by pyproj; no change of its coordinates). A geographic or
        geocentric CRS is then shown in a metric frame (the project CRS, else the UTM zone), and a
        CRS other than the project's is reprojected to it, in a worker; returns that Job."""
        from citytwin.app.metric_frame import needs_metric_frame
        from citytwin.app.qt.layer_crs import parse_epsg

        layer = self.layers[key]
        crs = parse_epsg(text)
        layer.model.assign_crs(crs)
        log.info("%s: CRS assigned: %s (%s)", layer.name, crs, crs.name)
        if needs_metric_frame(crs):
            return self._reproject_layer(layer, self.project_crs)
        if self.project_crs is None:
            self.project_crs = crs
            log.info("project CRS set to %s (%s) by %s", crs, crs.name, layer.name)
            self._update_crs_label()
            return None
        if not needs_reprojection(layer.model, self.project_crs):
            return None
        return self._reproject_layer(layer, self.project_crs)

    @guarded
    def reproject_dialog(self) -> None:
        """Layer > Reproject...: the projected CRS every layer is shown in (and kept in, for export
        and analyses)."""
        from PySide6.QtWidgets import QInputDialog

        if not self.layers:
            raise_no_layer()
        text, ok = QInputDialog.getText(
            self, "Reproject layers",
            "EPSG code of a projected CRS (metres), e.g. 25832 or 32618.\nAll layers are shown in one CRS: "
            "every layer with a CRS is reprojected to it.", text=str(self.project_crs or ""))
        if ok:
            self.reproject_layers(text)

    def reproject_layers(self, text: str) -> list[Job]:
        """Make ``text`` (an EPSG code of a projected CRS) the project CRS and reproject every layer
        with a CRS to it, each in a worker; returns the Jobs."""
        from citytwin.app.metric_frame import crs_kind, needs_metric_frame
        from citytwin.app.qt.layer_crs import parse_epsg, same_crs
        from citytwin.errors import UsageError

        crs = parse_epsg(text)
        if needs_metric_frame(crs):
            raise UsageError(f"{crs} ({crs.name}) is {crs_kind(crs)}: the view needs metres; give a projected "
                             "CRS, e.g. the UTM zone of the data")
        self.project_crs = crs
        log.info("project CRS set to %s (%s): reprojecting the layers", crs, crs.name)
        self._update_crs_label()
        return [self._reproject_layer(layer, crs) for layer in list(self.layers.values())
                if usable_crs(layer.model.crs) is not None and not same_crs(layer.model.crs, crs)]

    def _reproject_layer(self, layer: Layer, target: CRS | None) -> Job:
        """Reproject a layer to ``target`` in a worker (None: its UTM frame, for a geographic or
        geocentric layer) and show it; a project without CRS takes the layer's new CRS."""
        from citytwin.app.metric_frame import needs_metric_frame

        key = layer.key
        snap = layer.model.subset(list(layer.model.objects), with_relatives=False)  # own triangle cache
        name = layer.name

        def work(progress: Progress):
            if needs_metric_frame(snap.crs):
                show_in_metric_frame(snap, name, target)
            if target is not None and needs_reprojection(snap, target):
                reproject_logged(snap, name, target, log_note=True)
            return _layer_data(snap, name, None, progress)[1:]

        def apply(result) -> None:
            if self.layers.get(key) is not layer:
                return
            layer.model.vertices, layer.model.crs = snap.vertices, snap.crs
            layer.model.touch()
            if self.project_crs is None and usable_crs(snap.crs) is not None:
                self.project_crs = snap.crs
                log.info("project CRS set to %s (%s) by %s", snap.crs, snap.crs.name, name)
                self._update_crs_label()
            if self.selected and self.selected[0] == key:
                self._on_picked_nothing()
            self._swap_geometry(layer, *result)
            if len(self.layers) == 1 or not self.viewport.in_view(key):
                self.viewport.fit()

        return self.run_job(f"reproject {name}", work, apply)

    def _drop_analyses(self, layer: Layer) -> None:
        """Forget a layer's analysis overlays (and its shadow time slider)."""
        layer.analyses.clear()
        slider = getattr(self, "shadow_slider", None)
        if slider is not None and slider.key == layer.key:
            dock = self.docks.pop("Shadow", None)
            if dock is not None:
                self.removeDockWidget(dock)
                dock.deleteLater()
            self.shadow_slider = None

    @guarded
    def _on_current_layer(self, key: int) -> None:
        self._update_crs_label(self.layers.get(key))
        self._fill_table()

    @guarded
    def close_current_layer(self) -> None:
        layer = self.current_layer()
        if layer is not None:
            self.remove_layer(layer.key)

    def remove_layer(self, key: int) -> None:
        """Close a layer: viewport, tree, layer list, selection."""
        layer = self.layers.pop(key)
        self.viewport.remove_layer(key)
        self.objects_panel.model.remove_layer(key)
        self.layers_panel.remove_layer(key)
        if self.selected and self.selected[0] == key:
            self.selected = None
            self.attributes_panel.clear()
        if not self.layers:
            self.project_crs = None  # the next layer sets it again
            self._update_crs_label()
        if self.table_panel.layer is layer:
            self.table_panel.show_layer(None)
            self._fill_table()
        log.info("closed %s", layer.name)

    # ------------------------------------------------------------------ selection
    @guarded
    def _on_picked(self, key: int, triangle: int, world: np.ndarray) -> None:
        layer = self.layers.get(key)
        if layer is None:
            return
        tri = layer.tri
        oid = tri.object_ids[int(tri.object_index[triangle])]
        crs = str(layer.model.crs) if layer.model.crs is not None else ""
        self.coord_label.setText(f"x {world[0]:.3f}  y {world[1]:.3f}  z {world[2]:.3f} {crs}".rstrip())
        self.select_object(key, oid, triangle=triangle)

    @guarded
    def _on_picked_nothing(self) -> None:
        self.selected = None
        self.table_panel.select(None)
        self.viewport.clear_highlight()
        self.attributes_panel.clear()
        self.attributes_panel.hide_chart()
        self.coord_label.setText("")

    @guarded
    def _on_tree_selected(self, key: int, oid: str) -> None:
        self.select_object(key, oid, from_tree=True)

    @guarded
    def show_attribute_table(self) -> None:
        """View > Attribute table: the current layer's objects, attributes and analysis values."""
        dock = self.docks["Attribute table"]
        dock.show()
        dock.raise_()
        self.resizeDocks([dock], [260], Qt.Orientation.Vertical)
        self._fill_table()

    def _fill_table(self) -> None:
        dock = self.docks.get("Attribute table")
        if dock is None or not dock.isVisible():
            return
        layer = self.current_layer()
        self.table_panel.selected_oid = self.selected[1] if self.selected and layer and self.selected[0] == layer.key else None
        self.table_panel.show_layer(layer)

    @guarded
    def _on_table_selected(self, key: int, oid: str) -> None:
        if key in self.layers:
            self.select_object(key, oid)

    @guarded
    def _on_tree_activated(self, key: int, oid: str) -> None:
        """Double-click in the Objects tree: select the object and zoom to it."""
        if self.selected != (key, oid):
            self.select_object(key, oid, from_tree=True)
        self.zoom_to_selection()

    def _family_indices(self, layer: Layer, oid: str) -> list[int]:
        """Triangle-mesh object indices of an object and its descendants (a Building's geometry is
        often in its BuildingParts)."""
        return [i for i in (layer.object_index(o) for o in [oid, *layer.model.descendants(oid)]) if i is not None]

    @guarded
    def zoom_to_selection(self) -> None:
        """View > Zoom to selection: frame the selected object (and its parts)."""
        from citytwin.errors import UsageError

        if not self.selected or self.selected[0] not in self.layers:
            raise UsageError("no object is selected: click one in the view or in the Objects tree first")
        key, oid = self.selected
        layer = self.layers[key]
        if not self.viewport.fit_objects(key, self._family_indices(layer, oid)):
            raise UsageError(f"{oid} has no geometry shown at this LoD: nothing to zoom to")

    def select_object(self, key: int, oid: str, triangle: int | None = None, from_tree: bool = False) -> None:
        """Select an object: highlight it, reveal it in the tree, show its attributes."""
        layer = self.layers[key]
        self.selected = (key, oid)
        # a Building's geometry is often in its BuildingParts: highlight the whole family
        idx = self._family_indices(layer, oid)
        if idx:
            self.viewport.highlight(key, idx)
        else:
            self.viewport.clear_highlight()
        if not from_tree:
            self.objects_panel.select(key, oid)
        if self.table_panel.layer is layer:
            self.table_panel.select(oid)
        self.attributes_panel.show(self._attribute_sections(layer, oid, triangle))
        self._update_chart(layer, oid)

    def _update_chart(self, layer: Layer, oid: str) -> None:
        """Monthly chart of the selected building (its own values, else its top-level parent's)."""
        chain = [oid]
        o = layer.model.objects.get(oid)
        while o is not None and o.parents and len(chain) < 16:
            chain.append(o.parents[0])
            o = layer.model.objects.get(o.parents[0])
        # the study the layer is coloured by; none when that study has no monthly values (shadow);
        # colouring by something else (semantics, an attribute): the latest study with monthly values
        if layer.color_by in layer.analyses:
            studies = [layer.analyses[layer.color_by]]
        else:
            studies = list(reversed(layer.analyses.values()))
        for a in studies:
            for cid in reversed(chain):  # the building first
                if cid in a.monthly:
                    unit = a.monthly_unit or a.unit
                    self.attributes_panel.show_chart(f"{a.name.split(':')[0].capitalize()} per month ({unit})\n{cid}",
                                                     a.monthly[cid], unit)
                    return
        self.attributes_panel.hide_chart()

    def _attribute_sections(self, layer: Layer, oid: str, triangle: int | None) -> list:
        o = layer.model.objects[oid]
        obj_rows: list[tuple[str, Any]] = [("id", o.id), ("type", o.type), ("layer", layer.name)]
        if o.parents:
            obj_rows.append(("parents", ", ".join(o.parents)))
        if o.children:
            obj_rows.append(("children", ", ".join(o.children)))
        lods = o.lods()
        if lods:
            obj_rows.append(("LoDs", ", ".join(lods)))
        sections = [("Object", obj_rows), ("Attributes", sorted(o.attributes.items()))]
        inherited = []
        for p in o.parents:
            po = layer.model.objects.get(p)
            if po is not None:
                inherited += [(k, v) for k, v in sorted(po.attributes.items()) if k not in o.attributes]
        if inherited:
            sections.append((f"Attributes of parent {o.parents[0]}", inherited))
        if triangle is not None:
            tri = layer.tri
            gi, si = int(tri.geometry_index[triangle]), int(tri.surface_index[triangle])
            g = o.geometry[gi] if gi < len(o.geometry) else None
            rows: list[tuple[str, Any]] = [("semantic type", semantic_name(tri.semantic_type[triangle])
                                            or "(none)"),
                                           ("geometry", f"{gi} ({g.type if g else '?'}, LoD {g.lod if g else '?'})"),
                                           ("surface", si)]
            if g is not None and g.semantics is not None and si < len(g.semantics.values):
                sv = int(g.semantics.values[si])
                if sv >= 0:
                    rows += [(k, v) for k, v in g.semantics.surfaces[sv].items() if k != "type"]
            normal = tri.normals[triangle]
            rows.append(("normal", f"{normal[0]:.3f}, {normal[1]:.3f}, {normal[2]:.3f}"))
            sections.append(("Picked surface", rows))
        analysis_rows: list[tuple[str, Any]] = []
        for a in layer.analyses.values():
            if oid in a.object_values:
                analysis_rows.append((f"{a.name} (object mean)", a.object_values[oid]))
            if triangle is not None and np.isfinite(a.triangle_values[triangle]):
                analysis_rows.append((f"{a.name} (picked surface)", float(a.triangle_values[triangle])))
            if oid in a.monthly:
                m = a.monthly[oid]
                analysis_rows.append((f"{a.name} monthly", ", ".join(f"{v:.1f}" for v in m)))
        if analysis_rows:  # right under the object: what the person ran the analysis for
            sections.insert(1, ("Analysis", analysis_rows))
        return sections

    def refresh_attributes(self) -> None:
        if self.selected and self.selected[0] in self.layers:
            key, oid = self.selected
            self.attributes_panel.show(self._attribute_sections(self.layers[key], oid, None))
            self._update_chart(self.layers[key], oid)

    # ------------------------------------------------------------------ view
    #: a new layer whose extent is this many times smaller than all layers' together would be a
    #: speck under "Zoom to all" (layers hundreds of km apart): the view frames it alone instead
    FAR_LAYER_RATIO = 50.0

    def far_from_others_km(self, key: int) -> float | None:
        """When the layers' joint extent is over :attr:`FAR_LAYER_RATIO` times layer ``key``'s, that
        extent's diagonal in km (how far the layers spread); else None (framing all is fine)."""
        boxes = [b for b in (self.viewport.layer_bounds(k) for k in self.layers) if b is not None]
        new = self.viewport.layer_bounds(key)
        if new is None or len(boxes) < 2:
            return None
        lo = np.min([b[0::2] for b in boxes], axis=0)
        hi = np.max([b[1::2] for b in boxes], axis=0)
        span_all = float(np.linalg.norm(hi - lo))
        span_new = max(float(np.linalg.norm(new[1::2] - new[0::2])), 1.0)
        return span_all / 1000.0 if span_all > self.FAR_LAYER_RATIO * span_new else None

    def _bring_into_view(self, key: int, name: str) -> None:
        """Frame a new layer that is out of sight: all layers, or the new one alone when the
        others are so far away that every layer would be a speck."""
        km = self.far_from_others_km(key)
        if km is not None:
            self.viewport.fit_layer(key)
            log.info("%s is about %.0f km from the other layers: zoomed to it (View > Zoom to all frames "
                     "every layer)", name, km)
        else:
            self.viewport.fit()
            log.info("%s is outside the view: zoomed to all layers", name)

    @guarded
    def fit_view(self) -> None:
        """View > Zoom to all: frame every layer."""
        self.viewport.fit()

    @guarded
    def zoom_to_layer(self, key: int | None = None) -> None:
        """Layer > Zoom to layer: frame one layer (default: the current one)."""
        layer = self.layers.get(key) if key is not None else self.current_layer()
        if layer is None:
            raise_no_layer()
        self.viewport.fit_layer(layer.key)

    @guarded
    def view_iso(self) -> None:
        self.viewport.set_view("iso")

    @guarded
    def view_top(self) -> None:
        self.viewport.set_view("top")

    @guarded
    def view_front(self) -> None:
        self.viewport.set_view("front")

    @guarded
    def view_right(self) -> None:
        self.viewport.set_view("right")

    # ------------------------------------------------------------------ export
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
        """Write a layer's model with the registry writer chosen by the extension (in a worker)."""
        from citytwin.io.registry import format_for_output, write

        layer = self.layers[key] if key is not None else self.current_layer()
        if layer is None:
            raise_no_layer()
        format_for_output(path)  # a bad extension fails now, on the GUI thread
        model = layer.model

        def work(progress: Progress) -> Path:
            progress.update(0.0, f"writing {Path(path).name}")
            write(model, path)
            progress.update(1.0)
            return Path(path)

        return self.run_job(f"export {Path(path).name}", work, lambda p: log.info("wrote %s", p))

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

    # ------------------------------------------------------------------ tools
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

    @guarded
    def solar_dialog(self) -> None:
        from citytwin.app.qt.analysis import open_solar_dialog

        open_solar_dialog(self)

    @guarded
    def shadow_dialog(self) -> None:
        from citytwin.app.qt.analysis import open_shadow_dialog

        open_shadow_dialog(self)

    # fusion and sky view factor dialogs (app/qt/fusion.py, app/qt/analysis.py)
    @guarded
    def fusion_dialog(self) -> None:
        from citytwin.app.qt.fusion import open_fusion_dialog

        open_fusion_dialog(self)

    @guarded
    def svf_dialog(self) -> None:
        from citytwin.app.qt.analysis import open_svf_dialog

        open_svf_dialog(self)

    def add_analysis(self, key: int, overlay: AnalysisOverlay, show: bool = True) -> None:
        """Attach an analysis result to a layer (GUI thread) and colour the layer by it."""
        layer = self.layers[key]
        layer.analyses[overlay.name] = overlay
        self.layers_panel.set_color_modes(key, self._color_modes(layer), layer.color_by)
        if show:
            self.set_color_by(overlay.name, key)
        self.refresh_attributes()
        if self.table_panel.layer is layer:
            self.table_panel.refresh()  # the study's column

    # ------------------------------------------------------------------ batch (issue 7)
    @guarded
    def batch_dialog(self) -> None:
        """Tools > Batch: ``citytwin batch`` over a folder, with a live table of the files."""
        from citytwin.app.qt.batch_dialog import show_batch_dialog

        show_batch_dialog(self)

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


def raise_no_layer() -> None:
    from citytwin.errors import UsageError

    raise UsageError("no layer is open: open a file first (File > Open)")


def raise_no_analysis() -> None:
    from citytwin.errors import UsageError

    raise UsageError("the current layer has no analysis results: run one first (Analysis menu)")
