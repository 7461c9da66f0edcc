"""The 3D viewport: pyvistaqt's ``QtInteractor`` showing the layers' merged meshes.

The render timer is off (``auto_update=False``): we render when something changed, once per user
action. Every render happens in the widget's paint event: :meth:`Viewport.render` and the VTK
interactor's own render requests (a mouse release, a rotation step) only ask Qt for a repaint,
which Qt merges into one paint event when control returns to the event loop; pyvista calls are
made with ``render=False`` and pyvista's own renders are suppressed. (A render outside a paint event also makes the X server send an
Expose, i.e. a second full render: the old code drew each click 5 times, a colour change 8.)
A left click
that does not drag picks (object + surface) and emits :attr:`Viewport.picked`; the selected
object is drawn again as a yellow overlay with edges. Each layer's float32 points are relative to
its own local origin (exact to the millimetre); its actors are placed at that origin's offset from
the viewport's origin (the first layer's) in double precision, so a layer far from the first one
(another town reprojected into the project CRS) keeps its detail.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from PySide6.QtCore import Signal
from PySide6.QtWidgets import QVBoxLayout, QWidget

from citytwin.app.render.coloring import Coloring
from citytwin.app.render.palette import HIGHLIGHT_COLOR
from citytwin.app.render.picking import Pick, Picker, PickScene, build_pick_scene
from citytwin.app.render.scene import (LayerScene, add_legend, add_scene, object_highlight_mesh, recolor_in_place,
                                       remove_legend)
from citytwin.app.render.snapshot import save_png, set_view, style_plotter

log = logging.getLogger("citytwin.gui")


#: a paint event this soon (seconds) after a render is the X server's echo of that render (the
#: window shows it already): not rendered again
EXPOSE_ECHO_S = 0.25

#: near / far clipping plane ratio floor (VTK: 0.001 with a 24-bit depth buffer)
NEAR_PLANE_TOLERANCE = 1e-5


@dataclass
class LayerView:
    """What the viewport shows of one layer."""

    key: object
    scene: LayerScene
    coloring: Coloring
    actors: dict[str, object] = field(default_factory=dict)
    visible: bool = True
    opacity: float = 1.0
    bar_title: str | None = None
    offset: np.ndarray = field(default_factory=lambda: np.zeros(3))  # scene origin - viewport origin


_INTERACTOR_CLASS = None


def _interactor_class():
    """pyvistaqt's ``QtInteractor`` rendering only in its paint event (through ``on_paint``), and
    not repainting on a focus change (QWidget's default schedules a full scene render on each
    focus in/out, e.g. at the first click; nothing drawn depends on the focus)."""
    global _INTERACTOR_CLASS
    if _INTERACTOR_CLASS is None:
        from pyvistaqt import QtInteractor

        class Interactor(QtInteractor):
            on_paint = None
            on_resize = None

            def focusInEvent(self, ev) -> None:  # noqa: N802 - Qt name
                ev.accept()

            def focusOutEvent(self, ev) -> None:  # noqa: N802 - Qt name
                ev.accept()

            def paintEvent(self, ev) -> None:  # noqa: N802 - Qt name
                if self.on_paint is not None:
                    self.on_paint()

            def resizeEvent(self, ev) -> None:  # noqa: N802 - Qt name
                super().resizeEvent(ev)
                if self.on_resize is not None:
                    self.on_resize()

        _INTERACTOR_CLASS = Interactor
    return _INTERACTOR_CLASS


class Viewport(QWidget):
    """Central 3D view; signals ``picked(key, triangle, point_world)`` and ``picked_nothing()``."""

    picked = Signal(object, int, object)
    picked_nothing = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        #: renders done so far (every Render of the window, whoever asked): tests and benchmarks
        self.render_count = 0
        self._closed = False
        self.plotter = _interactor_class()(self, auto_update=False)
        self._dirty = True  # the scene changed since the last render
        self.plotter.on_paint = self._on_paint
        # pyvista renders inside some calls whatever their ``render=`` (a scalar bar's add_actor):
        # only render_now lets it render
        self.plotter.suppress_rendering = True
        self.plotter.on_resize = self.render
        lay.addWidget(self.plotter.interactor)
        style_plotter(self.plotter)
        # VTK puts the near plane at no less than 0.001 x the far plane: with layers hundreds of km
        # apart (or the camera inside a large city) that clips the building in front of the camera.
        # 1e-5 keeps depth steps under ~1 cm up to 1 km from the camera with a 24-bit depth buffer
        self.plotter.renderer.SetNearClippingPlaneTolerance(NEAR_PLANE_TOLERANCE)
        self.plotter.add_axes()
        self.layers: dict[object, LayerView] = {}
        self.origin: np.ndarray | None = None
        self.picker = Picker()
        self._press: tuple[int, int] | None = None
        self._rendered_at = -1e9
        self.plotter.ren_win.AddObserver("StartEvent", self._on_render_start)
        self.plotter.ren_win.AddObserver("EndEvent", self._on_render_end)
        iren = self.plotter.iren
        # the interactor style's renders (end of a rotation at a mouse release, each step of a
        # drag) become repaint requests: VTK then fires RenderEvent instead of rendering
        iren.interactor.SetEnableRender(False)
        iren.interactor.AddObserver("RenderEvent", lambda _o, _e: self.render())
        iren.add_observer("LeftButtonPressEvent", self._on_press)
        iren.add_observer("LeftButtonReleaseEvent", self._on_release)

    # -- layers ---------------------------------------------------------------------------
    def add_layer(self, key: object, scene: LayerScene, coloring: Coloring, fit: bool = True,
                  pick_scene: PickScene | None = None) -> None:
        """Show a layer; without ``pick_scene`` (built in the loading worker) it is built at the first pick."""
        if self.origin is None:
            self.origin = scene.origin.copy()
        view = LayerView(key, scene, coloring, offset=np.asarray(scene.origin, dtype=np.float64) - self.origin)
        self.layers[key] = view
        self.picker.register(key, pick_scene if pick_scene is not None else
                             (lambda tri=scene.tri, origin=scene.origin: build_pick_scene(tri, origin)), view.offset)
        self._show(view)
        if fit:
            self.fit(render=False)
        self.render()

    def remove_layer(self, key: object) -> None:
        view = self.layers.pop(key, None)
        if view is None:
            return
        self.picker.unregister(key)
        for actor in view.actors.values():
            self.plotter.remove_actor(actor, render=False)
        if view.bar_title and view.bar_title not in {v.bar_title for v in self.layers.values()}:
            try:
                self.plotter.remove_scalar_bar(view.bar_title, render=False)
            except (KeyError, ValueError, AttributeError, IndexError):
                pass
        self.clear_highlight(render=False)
        if not self.layers:
            self.origin = None
        self._refresh_legend()
        self.render()

    def set_coloring(self, key: object, coloring: Coloring) -> None:
        """Colour a layer: in place (its meshes' arrays rewritten) when its actors can show the new
        colouring as they are (:func:`~citytwin.app.render.scene.recolor_in_place`), else added again."""
        view = self.layers[key]
        old, view.coloring = view.coloring, coloring
        if recolor_in_place(self.plotter, view.scene, view.actors, old, coloring):
            self._refresh_legend()
        else:
            self._show(view)
        self.render()

    def set_visible(self, key: object, visible: bool) -> None:
        view = self.layers[key]
        view.visible = visible
        for a in view.actors.values():
            a.SetVisibility(visible)
        self.render()

    def set_opacity(self, key: object, opacity: float) -> None:
        view = self.layers[key]
        view.opacity = float(opacity)
        for a in view.actors.values():
            a.GetProperty().SetOpacity(view.opacity)
        self.render()

    def _show(self, view: LayerView) -> None:
        others = {v.bar_title for v in self.layers.values() if v is not view and v.bar_title}
        if view.bar_title and view.bar_title not in others:
            try:
                self.plotter.remove_scalar_bar(view.bar_title, render=False)
            except (KeyError, ValueError, AttributeError, IndexError):
                pass
        show_bar = view.coloring.is_scalar and view.coloring.title not in others
        view.actors = add_scene(self.plotter, view.scene, view.coloring, prefix=f"layer{id(view.key)}",
                                opacity=view.opacity, scalar_bar=show_bar)
        view.bar_title = view.coloring.title if show_bar else None
        for actor in view.actors.values():
            actor.SetVisibility(view.visible)
            actor.SetPosition(*view.offset.tolist())
        self._refresh_legend()

    def _refresh_legend(self) -> None:
        remove_legend(self.plotter)
        for v in reversed(list(self.layers.values())):
            # a textured view's legend lists only the colours of surfaces without texture (none: no legend)
            if v.visible and not v.coloring.is_scalar and v.coloring.legend:
                add_legend(self.plotter, v.coloring)
                break

    @property
    def scalar_bar_titles(self) -> list[str]:
        return list(self.plotter.scalar_bars.keys())

    # -- camera ---------------------------------------------------------------------------
    def fit(self, render: bool = True) -> None:
        self.plotter.reset_camera(render=False)
        if render:
            self.render()

    def layer_bounds(self, key: object) -> np.ndarray | None:
        """(6,) xmin, xmax, ymin, ymax, zmin, zmax of a layer's actors (local frame), or None when empty."""
        view = self.layers.get(key)
        bs = [np.asarray(a.GetBounds(), dtype=float) for a in (view.actors.values() if view else [])]
        bs = [b for b in bs if b[0] <= b[1]]
        if not bs:
            return None
        arr = np.stack(bs)
        return np.array([arr[:, 0].min(), arr[:, 1].max(), arr[:, 2].min(), arr[:, 3].max(),
                         arr[:, 4].min(), arr[:, 5].max()])

    def fit_layer(self, key: object, render: bool = True) -> None:
        """Frame one layer."""
        b = self.layer_bounds(key)
        if b is not None:
            self.plotter.reset_camera(render=False, bounds=tuple(b.tolist()))
        if render:
            self.render()

    def fit_objects(self, key: object, object_index, render: bool = True) -> bool:
        """Frame the objects ``object_index`` (indices into the layer's TriangleMesh object ids) of
        a layer, keeping the view direction; False when they have no triangles."""
        view = self.layers.get(key)
        if view is None or self.origin is None:
            return False
        tri = view.scene.tri
        idx = np.nonzero(np.isin(tri.object_index, np.atleast_1d(np.asarray(object_index, dtype=np.int64))))[0]
        if len(idx) == 0:
            return False
        pts = tri.vertices[np.unique(tri.triangles[idx])] - self.origin
        lo, hi = pts.min(axis=0), pts.max(axis=0)
        pad = np.maximum((hi - lo) * 0.05, 0.5)  # a little room, and a size for a point-like object
        lo, hi = lo - pad, hi + pad
        self.plotter.reset_camera(render=False, bounds=(lo[0], hi[0], lo[1], hi[1], lo[2], hi[2]))
        if render:
            self.render()
        return True

    def in_view(self, key: object) -> bool:
        """True when a corner or the centre of a layer's bounding box projects inside the view
        (a box much larger than the view with every corner outside counts as in view via its centre)."""
        b = self.layer_bounds(key)
        if b is None:
            return True
        corners = np.array([[x, y, z] for x in b[0:2] for y in b[2:4] for z in b[4:6]] + [
            [(b[0] + b[1]) / 2, (b[2] + b[3]) / 2, (b[4] + b[5]) / 2]])
        r = self.plotter.renderer
        for p in corners:
            r.SetWorldPoint(*p.tolist(), 1.0)
            r.WorldToView()
            x, y, _z = r.GetViewPoint()  # depth ignored: the clipping range follows the camera
            if -1.0 <= x <= 1.0 and -1.0 <= y <= 1.0:
                return True
        return False

    def set_view(self, name: str, key: object | None = None) -> None:
        """A standard view direction (see :func:`~citytwin.app.render.snapshot.set_view`), framing
        all layers or only layer ``key``."""
        set_view(self.plotter, name)
        if key is not None:
            self.fit_layer(key, render=False)
        self.render()

    def render(self) -> None:
        """Ask for a render: Qt merges the requests of one action into one paint event, which renders."""
        if not self._closed:
            self._dirty = True
            QWidget.update(self.plotter)  # QWidget's (pyvista's BasePlotter has its own update())

    def _on_paint(self) -> None:
        """Paint event: render when the scene changed, or when the window was exposed (uncovered).

        Under X (Xvfb with Mesa) showing a rendered frame makes the X server send an Expose of
        the window right after (a spontaneous paint event); the window already shows that frame,
        so an Expose within :data:`EXPOSE_ECHO_S` of the end of a render is not rendered again
        (rendering it, or presenting the frame again with ``Frame()``, starts the echo anew).
        """
        if self._closed:
            return
        if self._dirty or time.monotonic() - self._rendered_at > EXPOSE_ECHO_S:
            self.render_now()

    def render_now(self) -> None:
        """Render at once (paint events, screenshots)."""
        if not self._closed:
            self.plotter.suppress_rendering = False
            try:
                self.plotter.render()
            finally:
                self.plotter.suppress_rendering = True

    def _on_render_start(self, _caller, _event) -> None:
        self.render_count += 1
        self._dirty = False

    def _on_render_end(self, _caller, _event) -> None:
        self._rendered_at = time.monotonic()

    # -- picking --------------------------------------------------------------------------
    def _on_press(self, _caller, _event) -> None:
        self._press = self.plotter.iren.interactor.GetEventPosition()

    def _on_release(self, _caller, _event) -> None:
        pos = self.plotter.iren.interactor.GetEventPosition()
        if self._press is None:
            return
        dx, dy = pos[0] - self._press[0], pos[1] - self._press[1]
        self._press = None
        if dx * dx + dy * dy <= 16:
            self.pick_display(pos[0], pos[1])

    def pick_display(self, x: float, y: float) -> Pick | None:
        """Pick at VTK display coordinates (pixels, origin bottom-left); emits the signals."""
        try:
            visible = {k for k, v in self.layers.items() if v.visible}
            p = self.picker.pick(self.plotter.renderer, x, y, visible)
        except Exception as exc:  # noqa: BLE001 - called from a VTK observer
            from citytwin.app.qt.safety import report

            report(exc, self)
            return None
        if p is None:
            self.picked_nothing.emit()
        else:
            world = p.point + (self.origin if self.origin is not None else 0.0)
            self.picked.emit(p.key, p.triangle, world)
        return p

    def world_to_display(self, point_world: np.ndarray) -> tuple[float, float]:
        """Display coordinates (VTK, origin bottom-left) of a model-CRS point."""
        r = self.plotter.renderer
        local = np.asarray(point_world, dtype=np.float64) - (self.origin if self.origin is not None else 0.0)
        r.SetWorldPoint(*local.tolist(), 1.0)
        r.WorldToDisplay()
        x, y, _ = r.GetDisplayPoint()
        return x, y

    # -- highlight ------------------------------------------------------------------------
    def highlight(self, key: object, object_index) -> None:
        """Overlay the objects ``object_index`` (an index or a list) of a layer in yellow.

        On a layer coloured by values (an analysis, a numeric attribute) the fill is faint, so the
        selected building's colours can still be read against the scalar bar; the outline shows it.
        """
        view = self.layers.get(key)
        self.clear_highlight(render=False)
        if view is None:
            return
        mesh = object_highlight_mesh(view.scene, object_index)
        if mesh is not None:
            color = [c / 255 for c in HIGHLIGHT_COLOR]
            fill = 0.1 if view.coloring.is_scalar else 0.45
            actor = self.plotter.add_mesh(mesh, color=color, name="highlight", opacity=fill, pickable=False,
                                          reset_camera=False, ambient=0.5, diffuse=0.5, render=False)
            # drawn just in front of the coincident layer surfaces (no z-fighting)
            m = actor.GetMapper()
            m.SetResolveCoincidentTopologyToPolygonOffset()
            m.SetRelativeCoincidentTopologyPolygonOffsetParameters(-2.0, -4.0)
            actor.SetPosition(*view.offset.tolist())
            edges = mesh.extract_feature_edges(boundary_edges=True, feature_edges=True, feature_angle=20,
                                               manifold_edges=False, non_manifold_edges=False)
            if edges.n_cells:
                ea = self.plotter.add_mesh(edges, color=color, line_width=4, name="highlight_edges",
                                           pickable=False, reset_camera=False, lighting=False, render=False)
                ea.SetPosition(*view.offset.tolist())
        self.render()

    def clear_highlight(self, render: bool = True) -> None:
        self.plotter.remove_actor("highlight", render=False)
        self.plotter.remove_actor("highlight_edges", render=False)
        if render:
            self.render()

    # -- sun ------------------------------------------------------------------------------
    def set_sun(self, vector) -> None:
        """A directional light from the sun ((3,) towards the sun, x east y north z up), or None."""
        import pyvista as pv

        old = getattr(self, "_sun_light", None)
        if old is not None:
            self.plotter.renderer.RemoveLight(old)
            self._sun_light = None
        if vector is not None:
            b = np.asarray(self.plotter.bounds, dtype=float).reshape(3, 2)
            centre = b.mean(axis=1)
            d = float(np.linalg.norm(b[:, 1] - b[:, 0])) or 1.0
            v = np.asarray(vector, dtype=float)
            light = pv.Light(position=tuple(centre + 10 * d * v), focal_point=tuple(centre),
                             light_type="scene light", intensity=0.8)
            light.positional = False
            self.plotter.add_light(light)
            self._sun_light = light
        self.render()

    # -- output ---------------------------------------------------------------------------
    def grab_image(self) -> np.ndarray:
        """(h, w, 3) uint8 of the current view."""
        self.render_now()
        return self.plotter.screenshot(None, return_img=True)

    def save_screenshot(self, path: str | Path) -> Path:
        return save_png(self.grab_image(), path)

    def shutdown(self) -> None:
        """Release VTK before Qt destroys the widget (pyvistaqt segfaults at exit otherwise)."""
        if self._closed:
            return
        self._closed = True
        self.plotter.on_paint = self.plotter.on_resize = None
        self.picker.clear()
        self.plotter.close()
