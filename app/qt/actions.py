"""Menus and toolbar, built from one table of actions over the shared command layer.

Each entry names the ``MainWindow`` slot it triggers and, for the record, the command-layer
function that slot drives (``load_model``, ``run_info``, registry writers, ``run_solar``...),
so the GUI and the CLI stay two front ends of the same operations.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMainWindow, QStyle


@dataclass(frozen=True)
class ActionSpec:
    """One menu/toolbar action.

    Attributes
    ----------
    name : object name and key in ``MainWindow.actions``
    label : menu text (``&`` marks the mnemonic)
    menu : top-level menu title
    slot : name of the MainWindow method it calls
    command : the command-layer operation behind it (documentation and tooltips)
    shortcut : a ``QKeySequence.StandardKey`` name or a key string
    icon : a ``QStyle.StandardPixmap`` name, or ""
    toolbar : also on the toolbar
    """

    name: str
    label: str
    menu: str
    slot: str
    command: str = ""
    shortcut: str = ""
    icon: str = ""
    toolbar: bool = False


ACTIONS: list[ActionSpec] = [
    ActionSpec("open", "&Open...", "&File", "open_dialog", "app.commands.load.load_model", "Open",
               "SP_DialogOpenButton", True),
    ActionSpec("export", "&Export model...", "&File", "export_dialog", "app.commands.export.export_model", "Ctrl+E",
               "SP_DialogSaveButton", True),
    ActionSpec("export_analysis", "Export &analysis (CSV, GeoJSON, report, PNG)...", "&File",
               "export_analysis_dialog", "app.commands.solar_export, app.commands.study_export"),
    ActionSpec("screenshot", "Save &screenshot...", "&File", "screenshot_dialog",
               "app.render.snapshot.save_png", "Ctrl+Shift+S", "SP_DesktopIcon", True),
    ActionSpec("close_layer", "&Close layer", "&File", "close_current_layer", "", "Ctrl+W"),
    ActionSpec("quit", "&Quit", "&File", "close", "", "Quit"),
    ActionSpec("fit", "&Zoom to all", "&View", "fit_view", "", "F", "SP_BrowserReload", True),
    ActionSpec("attribute_table", "&Attribute table", "&View", "show_attribute_table", "app.attribute_table", "F6"),
    ActionSpec("zoom_selection", "Zoom to &selection", "&View", "zoom_to_selection", "", "Ctrl+J"),
    ActionSpec("view_iso", "&Isometric", "&View", "view_iso", "", "0"),
    ActionSpec("view_top", "&Top", "&View", "view_top", "", "7"),
    ActionSpec("view_front", "&Front", "&View", "view_front", "", "1"),
    ActionSpec("view_right", "&Right", "&View", "view_right", "", "3"),
    ActionSpec("zoom_layer", "&Zoom to layer", "&Layer", "zoom_to_layer", "", "Shift+F"),
    ActionSpec("assign_crs", "Assign &CRS...", "&Layer", "assign_crs_dialog", "semantics.model.CityModel.assign_crs"),
    ActionSpec("reproject", "&Reproject...", "&Layer", "reproject_dialog", "semantics.model.CityModel.reproject"),
    ActionSpec("info", "Model &info", "&Tools", "show_info", "app.commands.info.summarize", "Ctrl+I",
               "SP_MessageBoxInformation", True),
    ActionSpec("batch", "&Batch...", "&Tools", "batch_dialog", "app.commands.batch.run_batch", "Ctrl+B"),
    ActionSpec("solar", "&Solar potential...", "&Analysis", "solar_dialog", "app.commands.solar.run_solar",
               "Ctrl+R", "SP_MediaPlay", True),
    ActionSpec("shadow", "S&hadow study...", "&Analysis", "shadow_dialog", "app.commands.shadow.run_shadow"),
    ActionSpec("svf", "Sky &view factor...", "&Analysis", "svf_dialog", "app.commands.svf.run_svf"),
    ActionSpec("fuse", "&Fuse IFC and meshes...", "&Tools", "fusion_dialog", "app.commands.fuse.fuse_into"),
    ActionSpec("cancel", "&Cancel running job", "&Analysis", "cancel_jobs", "progress.cancel", "Esc",
               "SP_BrowserStop", True),
    ActionSpec("about", "&About citytwin", "&Help", "show_about"),
]


def build_actions(window: QMainWindow) -> dict[str, QAction]:
    """Create the actions, menus and the toolbar of ``window``; returns actions by name."""
    actions: dict[str, QAction] = {}
    menus: dict[str, object] = {}
    toolbar = window.addToolBar("Main")
    toolbar.setObjectName("mainToolbar")
    style = window.style()
    for spec in ACTIONS:
        act = QAction(spec.label, window)
        act.setObjectName(f"action_{spec.name}")
        if spec.shortcut:
            std = getattr(QKeySequence.StandardKey, spec.shortcut, None)
            act.setShortcut(QKeySequence(std) if std is not None else QKeySequence(spec.shortcut))
        if spec.icon:
            act.setIcon(style.standardIcon(getattr(QStyle.StandardPixmap, spec.icon)))
        tip = spec.label.replace("&", "").rstrip(".")
        act.setToolTip(f"{tip} ({spec.command})" if spec.command else tip)
        act.triggered.connect(lambda _checked=False, s=spec.slot: getattr(window, s)())
        menu = menus.get(spec.menu)
        if menu is None:
            menu = menus[spec.menu] = window.menuBar().addMenu(spec.menu)
        menu.addAction(act)
        if spec.name == "open":
            window.recent_menu = menu.addMenu("Open &recent")  # type: ignore[attr-defined]
        if spec.toolbar:
            toolbar.addAction(act)
        actions[spec.name] = act
    window.view_menu = menus["&View"]  # type: ignore[attr-defined]
    return actions
