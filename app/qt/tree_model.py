"""The Objects tree: layers -> object types -> objects -> children, with a filter.

A hand-written ``QAbstractItemModel`` over light node objects instead of a
``QStandardItemModel``: 100k ``QStandardItem`` s take seconds and much memory, these nodes do
not. The filter (id substring, attribute value, ``attr=value``, ``attr>number``) is evaluated
here in one pass and keeps the ancestors of every match visible.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractItemModel, QModelIndex, QPersistentModelIndex, Qt

from citytwin.app.attribute_table import make_matcher  # noqa: F401 - the filter language, Qt-free
from citytwin.semantics.model import CityModel

#: Role that returns ``(layer_key, object_id)`` for object rows and ``(layer_key, None)`` otherwise.
KEY_ROLE = Qt.ItemDataRole.UserRole + 1



class Node:
    __slots__ = ("kind", "layer", "oid", "label", "type", "parent", "children", "all_children", "row")

    def __init__(self, kind: str, layer: object, oid: str | None, label: str, type_: str,
                 parent: "Node | None") -> None:
        self.kind, self.layer, self.oid, self.label, self.type = kind, layer, oid, label, type_
        self.parent = parent
        self.children: list[Node] = []
        self.all_children: list[Node] = []
        self.row = 0


class ObjectTreeModel(QAbstractItemModel):
    """Tree of the objects of every layer."""

    HEADERS = ("Object", "Type")

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.root = Node("root", None, None, "", "", None)
        self._object_nodes: dict[tuple[object, str], Node] = {}
        self._filter_text = ""
        self._models: dict[object, CityModel] = {}

    # -- building -------------------------------------------------------------------------
    def add_layer(self, key: object, name: str, model: CityModel) -> None:
        self.beginResetModel()
        self._models[key] = model
        lay = Node("layer", key, None, name, f"{len(model)} objects", self.root)
        groups: dict[str, Node] = {}
        for o in model.roots():
            g = groups.get(o.type)
            if g is None:
                g = groups[o.type] = Node("group", key, None, o.type, "", lay)
            g.all_children.append(self._object_subtree(key, model, o.id, g, set()))
        lay.all_children = [groups[t] for t in sorted(groups)]
        for g in lay.all_children:
            g.type = f"{len(g.all_children)}"
        self.root.all_children.append(lay)
        self._apply_filter()
        self.endResetModel()

    def _object_subtree(self, key, model: CityModel, oid: str, parent: Node, seen: set) -> Node:
        o = model.objects[oid]
        node = Node("object", key, oid, oid, o.type, parent)
        self._object_nodes[(key, oid)] = node
        seen.add(oid)
        for c in o.children:
            if c in model.objects and c not in seen:
                node.all_children.append(self._object_subtree(key, model, c, node, seen))
        return node

    def remove_layer(self, key: object) -> None:
        self.beginResetModel()
        self.root.all_children = [n for n in self.root.all_children if n.layer != key]
        self._models.pop(key, None)
        self._object_nodes = {k: v for k, v in self._object_nodes.items() if k[0] != key}
        self._apply_filter()
        self.endResetModel()

    def set_filter(self, text: str) -> int:
        """Show only objects matching ``text`` (and their ancestors); returns the match count."""
        self.beginResetModel()
        self._filter_text = text
        n = self._apply_filter()
        self.endResetModel()
        return n

    def _apply_filter(self) -> int:
        models = self._models
        pred = make_matcher(self._filter_text)
        count = 0

        def visit(node: Node, model: CityModel | None) -> bool:
            nonlocal count
            kids = [c for c in node.all_children if visit(c, model)]
            node.children = kids
            for i, c in enumerate(kids):
                c.row = i
            if node.kind != "object":
                return bool(kids) or pred is None
            hit = pred is None or (model is not None and pred(model.objects[node.oid]))
            count += hit
            return hit or bool(kids)

        for lay in self.root.all_children:
            visit(lay, models.get(lay.layer))
        self.root.children = list(self.root.all_children)
        for i, c in enumerate(self.root.children):
            c.row = i
        return count

    # -- lookup ---------------------------------------------------------------------------
    def index_of(self, key: object, oid: str) -> QModelIndex:
        node = self._object_nodes.get((key, oid))
        if node is None or not self._is_shown(node):
            return QModelIndex()
        return self.createIndex(node.row, 0, node)

    def _is_shown(self, node: Node) -> bool:
        while node.parent is not None:
            if node.row >= len(node.parent.children) or node.parent.children[node.row] is not node:
                return False
            node = node.parent
        return True

    def node(self, index: QModelIndex) -> Node:
        return index.internalPointer() if index.isValid() else self.root

    # -- QAbstractItemModel ---------------------------------------------------------------
    def index(self, row: int, column: int, parent=QModelIndex()) -> QModelIndex:
        p = self.node(parent)
        if 0 <= row < len(p.children) and 0 <= column < 2:
            return self.createIndex(row, column, p.children[row])
        return QModelIndex()

    def parent(self, index=QModelIndex()) -> QModelIndex:  # type: ignore[override]
        if not index.isValid():
            return QModelIndex()
        n: Node = index.internalPointer()
        p = n.parent
        if p is None or p is self.root:
            return QModelIndex()
        return self.createIndex(p.row, 0, p)

    def rowCount(self, parent=QModelIndex()) -> int:
        if parent.isValid() and parent.column() != 0:
            return 0
        return len(self.node(parent).children)

    def columnCount(self, parent=QModelIndex()) -> int:
        return 2

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        n: Node = index.internalPointer()
        if role == Qt.ItemDataRole.DisplayRole:
            return n.label if index.column() == 0 else n.type
        if role == KEY_ROLE:
            return (n.layer, n.oid)
        if role == Qt.ItemDataRole.ToolTipRole:
            return n.oid or n.label
        return None

    def headerData(self, section: int, orientation, role: int = Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.HEADERS[section]
        return None
