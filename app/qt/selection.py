"""Selection in the main window: a click in the view, the Objects tree or the attribute table
selects an object in the session; this glue highlights it, reveals it in the tree and the table,
and fills the Attributes panel and the monthly chart (their content is the session's)."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import Qt

from citytwin.app.qt.safety import guarded
from citytwin.app.session.layers import Layer


class SelectionMixin:
    """Selection slots of a ``MainWindow`` (``self.session``, the panels, ``self.viewport``)."""

    def select_object(self, key: int, oid: str, triangle: int | None = None, from_tree: bool = False) -> None:
        """Select an object: highlight it, reveal it in the tree, show its attributes."""
        layer = self.layers[key]
        idx = self.session.select(key, oid)  # a Building's geometry is often in its BuildingParts
        if idx:
            self.viewport.highlight(key, idx)
        else:
            self.viewport.clear_highlight()
        if not from_tree:
            self.objects_panel.select(key, oid)
        if self.table_panel.layer is layer:
            self.table_panel.select(oid)
        self.attributes_panel.show(self.session.attribute_sections(layer, oid, triangle))
        self._update_chart(layer, oid)

    def _update_chart(self, layer: Layer, oid: str) -> None:
        """Monthly chart of the selected building (its own values, else its top-level parent's)."""
        chart = self.session.chart(layer, oid)
        if chart is None:
            self.attributes_panel.hide_chart()
        else:
            self.attributes_panel.show_chart(*chart)

    def refresh_attributes(self) -> None:
        layer = self.session.selected_layer()
        if layer is not None:
            oid = self.selected[1]
            self.attributes_panel.show(self.session.attribute_sections(layer, oid, None))
            self._update_chart(layer, oid)

    @guarded
    def zoom_to_selection(self) -> None:
        """View > Zoom to selection: frame the selected object (and its parts)."""
        from citytwin.errors import UsageError

        layer = self.session.selected_layer()
        if layer is None:
            raise UsageError("no object is selected: click one in the view or in the Objects tree first")
        oid = self.selected[1]
        if not self.viewport.fit_objects(layer.key, layer.family_indices(oid)):
            raise UsageError(f"{oid} has no geometry shown at this LoD: nothing to zoom to")

    @guarded
    def _on_picked(self, key: int, triangle: int, world: np.ndarray) -> None:
        layer = self.layers.get(key)
        if layer is None:
            return
        oid = self.session.picked_object(key, triangle)
        crs = str(layer.model.crs) if layer.model.crs is not None else ""
        self.coord_label.setText(f"x {world[0]:.3f}  y {world[1]:.3f}  z {world[2]:.3f} {crs}".rstrip())
        self.select_object(key, oid, triangle=triangle)

    @guarded
    def _on_picked_nothing(self) -> None:
        self.session.clear_selection()
        self.table_panel.select(None)
        self.viewport.clear_highlight()
        self.attributes_panel.clear()
        self.attributes_panel.hide_chart()
        self.coord_label.setText("")

    @guarded
    def _on_tree_selected(self, key: int, oid: str) -> None:
        self.select_object(key, oid, from_tree=True)

    @guarded
    def _on_tree_activated(self, key: int, oid: str) -> None:
        """Double-click in the Objects tree: select the object and zoom to it."""
        if self.selected != (key, oid):
            self.select_object(key, oid, from_tree=True)
        self.zoom_to_selection()

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
        sel = self.selected
        self.table_panel.selected_oid = sel[1] if sel and layer and sel[0] == layer.key else None
        self.table_panel.show_layer(layer)

    @guarded
    def _on_table_selected(self, key: int, oid: str) -> None:
        if key in self.layers:
            self.select_object(key, oid)
