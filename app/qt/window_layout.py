"""The main window's furniture: its docks (Layers, Objects, Attributes, Log, Attribute table), the
status bar (coordinates, project CRS, progress and Cancel) and the signals that join the panels to
the window's slots."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDockWidget, QLabel, QProgressBar, QPushButton

from citytwin.app.qt.actions import build_actions
from citytwin.app.qt.panels import AttributesPanel, LayersPanel, LogPanel, ObjectsPanel

if TYPE_CHECKING:  # pragma: no cover
    from citytwin.app.qt.main_window import MainWindow

#: the Layer menu's actions offered by a right click on a layer
LAYER_CONTEXT_ACTIONS = ("zoom_layer", "assign_crs", "reproject", "close_layer")


def build_docks(window: "MainWindow") -> None:
    """Create the panels and their docks (``window.docks`` by title); the attribute table starts
    hidden (View > Attribute table, F6)."""
    from citytwin.app.qt.attribute_table import AttributeTablePanel

    window.layers_panel = LayersPanel()
    window.objects_panel = ObjectsPanel()
    window.attributes_panel = AttributesPanel()
    window.log_panel = LogPanel()
    logging.getLogger("citytwin").addHandler(window.log_panel.handler)
    logging.getLogger("citytwin").setLevel(logging.INFO)
    window.docks = {}
    for title, widget, area in [("Layers", window.layers_panel, Qt.DockWidgetArea.LeftDockWidgetArea),
                                ("Objects", window.objects_panel, Qt.DockWidgetArea.LeftDockWidgetArea),
                                ("Attributes", window.attributes_panel, Qt.DockWidgetArea.RightDockWidgetArea),
                                ("Log", window.log_panel, Qt.DockWidgetArea.BottomDockWidgetArea)]:
        dock = QDockWidget(title, window)
        dock.setObjectName(f"dock{title}")
        dock.setWidget(widget)
        window.addDockWidget(area, dock)
        window.docks[title] = dock
    window.table_panel = AttributeTablePanel()
    dock = QDockWidget("Attribute table", window)
    dock.setObjectName("dockTable")
    dock.setWidget(window.table_panel)
    window.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, dock)
    window.splitDockWidget(window.docks["Log"], dock, Qt.Orientation.Vertical)  # full width, above the log
    dock.hide()  # View > Attribute table (F6) shows it
    dock.visibilityChanged.connect(lambda on: window._fill_table() if on else None)
    window.docks["Attribute table"] = dock


def build_menus(window: "MainWindow") -> None:
    """Menus and toolbar (``window.actions``), the layer list's context menu, View > docks."""
    window.actions = build_actions(window)
    window.layers_panel.list.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
    window.layers_panel.list.addActions([window.actions[n] for n in LAYER_CONTEXT_ACTIONS])
    for dock in window.docks.values():
        window.view_menu.addAction(dock.toggleViewAction())


def build_status_bar(window: "MainWindow") -> None:
    """Coordinates of the last click, the project CRS, the progress bar and Cancel."""
    sb = window.statusBar()
    window.coord_label = QLabel("")
    window.coord_label.setObjectName("coordLabel")
    window.crs_label = QLabel("CRS: -")
    window.crs_label.setObjectName("crsLabel")
    window.progress_bar = QProgressBar()
    window.progress_bar.setRange(0, 1000)
    window.progress_bar.setMaximumWidth(220)
    window.progress_bar.setVisible(False)
    window.cancel_button = QPushButton("Cancel")
    window.cancel_button.setObjectName("cancelButton")
    window.cancel_button.setVisible(False)
    window.cancel_button.clicked.connect(window.cancel_jobs)
    for w in (window.coord_label, window.crs_label, window.progress_bar, window.cancel_button):
        sb.addPermanentWidget(w)


def connect_panels(window: "MainWindow") -> None:
    """The panels' and the viewport's signals -> the window's slots."""
    window.layers_panel.visibility_changed.connect(window._on_visibility)
    window.layers_panel.opacity_changed.connect(window._on_opacity)
    window.layers_panel.color_by_changed.connect(window._on_color_by)
    window.layers_panel.lod_changed.connect(window._on_lod)
    window.layers_panel.current_changed.connect(window._on_current_layer)
    window.objects_panel.object_selected.connect(window._on_tree_selected)
    window.objects_panel.object_activated.connect(window._on_tree_activated)
    window.table_panel.object_selected.connect(window._on_table_selected)
    window.viewport.picked.connect(window._on_picked)
    window.viewport.picked_nothing.connect(window._on_picked_nothing)
