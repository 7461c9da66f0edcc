"""View menu additions: back / left / bottom views, perspective or orthographic, north arrow and
scale bar, camera bookmarks.

Each action renders once (through the viewport's merged repaint). Bookmarks are kept in the
window's settings in project-CRS coordinates (:class:`citytwin.app.render.camera.Bookmarks`),
so they survive closing the layers and a restart; a bookmark set in another CRS is refused
with one sentence naming it.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QInputDialog

import functools

from citytwin.app.qt.safety import report
from citytwin.app.render.camera import Bookmarks, get_camera, set_camera, set_parallel
from citytwin.errors import UsageError

if TYPE_CHECKING:  # pragma: no cover
    from citytwin.app.qt.main_window import MainWindow

log = logging.getLogger("citytwin.gui")

_SETTINGS_KEY = "camera/bookmarks"


def _slot(fn):
    """A slot of :class:`CameraTools` that never raises: errors are logged and shown over the window."""

    @functools.wraps(fn)
    def wrapper(self, *args, **kwargs):
        try:
            return fn(self, *args, **kwargs)
        except Exception as exc:  # noqa: BLE001 - a slot must never raise into Qt
            report(exc, self.window)
            return None

    return wrapper


class CameraTools:
    """The actions of one window (``window.camera_tools``)."""

    def __init__(self, window: "MainWindow") -> None:
        from citytwin.app.render.map_overlays import MapOverlays

        self.window = window
        self.viewport = window.viewport
        self.overlays = MapOverlays(self.viewport.plotter.renderer)
        self.bookmarks = Bookmarks.from_json(window.settings.value(_SETTINGS_KEY, "", type=str))
        menu = window.view_menu
        actions = window.actions
        after = actions.get("view_right")
        views = [("view_back", "&Back", "Ctrl+1", "back"), ("view_left", "&Left", "Ctrl+3", "left"),
                 ("view_bottom", "&Bottom", "Ctrl+7", "bottom")]
        before = menu.actions()[menu.actions().index(after) + 1] if after in menu.actions() and \
            menu.actions().index(after) + 1 < len(menu.actions()) else None
        for name, label, key, view in views:
            act = self._action(name, label, key, lambda _c=False, v=view: self.set_view(v))
            menu.insertAction(before, act) if before is not None else menu.addAction(act)
        menu.addSeparator()
        self.ortho = self._action("orthographic", "&Orthographic projection", "5", self.toggle_projection)
        self.ortho.setCheckable(True)
        menu.addAction(self.ortho)
        self.show_overlays = self._action("map_overlays", "North arrow and &scale bar", "", self.toggle_overlays)
        self.show_overlays.setCheckable(True)
        self.show_overlays.setChecked(True)
        menu.addAction(self.show_overlays)
        self.bookmark_menu = menu.addMenu("Camera &bookmarks")
        self.bookmark_menu.setObjectName("bookmarkMenu")
        self.add_bookmark_action = self._action("add_bookmark", "&Add bookmark...", "Ctrl+Shift+B",
                                                self.add_bookmark_dialog)
        self.remove_bookmarks_action = self._action("remove_bookmarks", "&Remove all bookmarks", "",
                                                    self.remove_bookmarks)
        self._rebuild_menu()

    def _action(self, name: str, label: str, key: str, slot) -> QAction:
        act = QAction(label, self.window)
        act.setObjectName(f"action_{name}")
        if key:
            act.setShortcut(QKeySequence(key))
        act.triggered.connect(lambda _checked=False: slot())
        self.window.actions[name] = act
        return act

    # -- views and projection ------------------------------------------------------------
    @_slot
    def set_view(self, view: str) -> None:
        """View > Back / Left / Bottom (the others are the window's)."""
        parallel = self.ortho.isChecked()
        self.viewport.set_view(view)  # renders once (merged)
        if parallel:  # the standard views keep the chosen projection
            self.viewport.plotter.renderer.GetActiveCamera().SetParallelProjection(True)

    @_slot
    def toggle_projection(self) -> None:
        """View > Orthographic projection (5): switch keeping the scale at the focal point."""
        set_parallel(self.viewport.plotter.renderer, self.ortho.isChecked())
        log.info("projection: %s", "orthographic" if self.ortho.isChecked() else "perspective")
        self.viewport.render()

    @_slot
    def toggle_overlays(self) -> None:
        self.overlays.set_visible(self.show_overlays.isChecked())
        self.viewport.render()

    # -- bookmarks -----------------------------------------------------------------------
    def _crs(self) -> str | None:
        crs = self.window.project_crs
        return crs.to_string() if crs is not None else None

    def _rebuild_menu(self) -> None:
        m = self.bookmark_menu
        m.clear()
        m.addAction(self.add_bookmark_action)
        if self.bookmarks.items:
            m.addSeparator()
            for name in self.bookmarks.items:
                act = m.addAction(name)
                act.setObjectName(f"bookmark_{name}")
                act.triggered.connect(lambda _c=False, n=name: self.go_to(n))
            m.addSeparator()
            m.addAction(self.remove_bookmarks_action)

    def _save(self) -> None:
        self.window.settings.setValue(_SETTINGS_KEY, self.bookmarks.to_json())
        self._rebuild_menu()

    @_slot
    def add_bookmark_dialog(self) -> None:
        name, ok = QInputDialog.getText(self.window, "Add camera bookmark", "Bookmark name",
                                        text=f"view {len(self.bookmarks.items) + 1}")
        if ok:
            self.add_bookmark(name)

    def add_bookmark(self, name: str) -> None:
        """Keep the current camera as bookmark ``name`` (replacing one of the same name)."""
        name = name.strip()
        if not name:
            raise UsageError("Bookmark name is empty: give the view a name")
        if not self.window.layers:
            raise UsageError("no layer is open: open a model before setting a camera bookmark")
        self.bookmarks.add(name, get_camera(self.viewport.plotter.renderer), self.viewport.origin, self._crs())
        self._save()
        log.info("camera bookmark %r set", name)

    @_slot
    def go_to(self, name: str) -> None:
        """Show the view of bookmark ``name`` (one render)."""
        try:
            state = self.bookmarks.camera_for(name, self.viewport.origin, self._crs())
        except KeyError:
            raise UsageError(f"there is no camera bookmark {name!r}") from None
        except ValueError as exc:
            raise UsageError(str(exc)) from None
        set_camera(self.viewport.plotter.renderer, state)
        self.ortho.setChecked(state.parallel)
        self.viewport.render()
        log.info("camera bookmark %r shown", name)

    @_slot
    def remove_bookmarks(self) -> None:
        self.bookmarks.items.clear()
        self._save()


def install_camera_tools(window: "MainWindow") -> CameraTools:
    """Add the View menu's camera tools to ``window`` (after its actions are built)."""
    tools = CameraTools(window)
    window.camera_tools = tools
    return tools
