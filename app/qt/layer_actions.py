"""The Layer and View menus and the Layers panel of the main window: visibility, opacity, colour,
LoD, Assign CRS, Reproject, close, zoom. The decisions are the session's
(:class:`~citytwin.app.session.model.Session`); the geometry is rebuilt in a worker by
:func:`~citytwin.app.session.layers.build_layer`; this glue shows the result."""

from __future__ import annotations

import logging

import numpy as np

from citytwin.app.qt.file_actions import raise_no_layer
from citytwin.app.qt.safety import guarded
from citytwin.app.qt.worker import Job
from citytwin.app.session.layers import Layer, LayerData, build_layer, snapshot
from citytwin.semantics.crs import CRS

log = logging.getLogger("citytwin.gui")


class LayerActionsMixin:
    """Layer slots of a ``MainWindow`` (``self.session``, ``self.viewport``, ``self.layers_panel``)."""

    #: a new layer whose extent is this many times smaller than all layers' together would be a
    #: speck under "Zoom to all" (layers hundreds of km apart): the view frames it alone instead
    FAR_LAYER_RATIO = 50.0

    # ------------------------------------------------------------------ layers panel
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
        coloring = self.session.set_color_by(layer, color_by)
        self.viewport.set_coloring(layer.key, coloring)
        self.layers_panel.set_current_color(layer.key, color_by)
        if self.selected and self.selected[0] == layer.key:
            self._update_chart(layer, self.selected[1])  # the chart follows the study shown
        log.info("%s coloured by %s", layer.name, color_by)

    @guarded
    def _on_current_layer(self, key: int) -> None:
        self._update_crs_label()
        self._fill_table()

    @guarded
    def close_current_layer(self) -> None:
        layer = self.current_layer()
        if layer is not None:
            self.remove_layer(layer.key)

    # ------------------------------------------------------------------ LoD
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
        snap = snapshot(layer.model)  # own triangle cache
        origin = layer.scene.origin.copy()
        version, name = layer.model.version, layer.name

        job = self.run_job(f"LoD {lod or 'highest'} of {name}",
                           lambda progress: build_layer(snap, progress, name=name, lod=lod, origin=origin),
                           lambda data: self._apply_lod(key, lod, job, version, data),
                           lambda j: self._lod_not_applied(key, j))
        self._lod_jobs[key] = job
        return job

    def _lod_not_applied(self, key: int, job: Job) -> None:
        if self._lod_jobs.get(key) is job:
            del self._lod_jobs[key]
            if key in self.layers:
                self.layers_panel.set_lod(key, self.layers[key].lod)

    def _apply_lod(self, key: int, lod: str | None, job: Job, version: int, data: LayerData) -> None:
        """GUI thread: swap the layer's triangles, scene and pick index; keep the selection."""
        layer = self.layers.get(key)
        if layer is None or self._lod_jobs.get(key) is not job:
            return  # closed meanwhile, or a newer LoD choice is on its way
        del self._lod_jobs[key]
        if layer.model.version != version:  # the model changed while triangulating: do it again
            self._on_lod(key, lod)
            return
        self.session.set_geometry(layer, data.tri, data.scene, lod)
        self._show_geometry(layer, data)
        self.layers_panel.set_lod(key, lod)
        if self.selected and self.selected[0] == key:
            oid = self.selected[1]
            if oid in layer.model.objects:
                self.select_object(key, oid)  # highlight the object's triangles of this LoD
            else:
                self._on_picked_nothing()
        log.info("%s shows LoD %s (%d triangles)", layer.name, lod or "highest", layer.tri.n_triangles)

    def _show_geometry(self, layer: Layer, data: LayerData) -> None:
        """Show a layer's new triangles (the session has them): keep visibility and opacity; the
        overlays went with the old triangles (and the shadow time slider with them)."""
        key = layer.key
        self._drop_shadow_slider(key)
        old = self.viewport.layers[key]
        vis, opacity = old.visible, old.opacity
        self.viewport.remove_layer(key)
        self.viewport.add_layer(key, layer.scene, self.session.coloring(layer), fit=False, pick_scene=data.pick)
        self.viewport.set_visible(key, vis)
        self.viewport.set_opacity(key, opacity)
        self.layers_panel.set_color_modes(key, self.session.color_modes(layer), layer.color_by)

    def _drop_shadow_slider(self, key: int) -> None:
        slider = getattr(self, "shadow_slider", None)
        if slider is not None and slider.key == key:
            dock = self.docks.pop("Shadow", None)
            if dock is not None:
                self.removeDockWidget(dock)
                dock.deleteLater()
            self.shadow_slider = None

    # ------------------------------------------------------------------ CRS
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
        rebuild = self.session.assign_crs(key, text)
        self._update_crs_label()
        return self._reproject_layer(self.layers[key], self.project_crs) if rebuild else None

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
        layers = self.session.reproject_all(text)
        self._update_crs_label()
        return [self._reproject_layer(layer, self.project_crs) for layer in layers]

    def _reproject_layer(self, layer: Layer, target: CRS | None) -> Job:
        """Reproject a layer to ``target`` in a worker (None: its UTM frame, for a geographic or
        geocentric layer) and show it; a project without CRS takes the layer's new CRS."""
        key, name = layer.key, layer.name
        snap = snapshot(layer.model)  # own triangle cache

        def apply(data: LayerData) -> None:
            if self.layers.get(key) is not layer:
                return
            had_selection = bool(self.selected and self.selected[0] == key)
            self.session.take_reprojected(layer, snap, data)
            self._update_crs_label()
            if had_selection:
                self._on_picked_nothing()
            self._show_geometry(layer, data)
            if len(self.layers) == 1 or not self.viewport.in_view(key):
                self.viewport.fit()

        return self.run_job(f"reproject {name}", lambda progress: build_layer(
            snap, progress, name=name, project_crs=target, lod=layer.lod, log_note=True), apply)

    def _update_crs_label(self) -> None:
        """Status bar: the project CRS (code and name)."""
        crs = self.project_crs
        if crs is None:
            self.crs_label.setText("CRS: unknown")
            return
        self.crs_label.setText(f"{crs}: {crs.name}")  # name falls back to the code when pyproj does not know it

    # ------------------------------------------------------------------ view
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
