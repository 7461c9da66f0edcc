"""Dialogs that remember their settings: every option field, the geometry and the splitters.

:class:`FormMemory` walks a dialog's widgets, so a field added later is remembered without code:

- **Which fields**: every descendant of a supported type (:data:`FIELD_TYPES`: line edits,
  spin boxes, combo boxes, check and radio buttons, checkable group boxes, date/time edits, file
  lists, plain text), except the parts Qt builds inside compound widgets (a spin box's line edit,
  a calendar popup's year field).
- **Its key**: the widget's ``objectName``; a widget without one is named by the attribute that
  holds it, dotted from the dialog (``retries``, ``surfaces.roof``, ``pages.info.max_problems``:
  ``self.pages["info"].max_problems``). A widget with neither is not remembered.
- **Stored** as JSON text under ``<group>/fields/<key>`` of a :class:`QSettings` (JSON keeps the
  type: an INI file gives every value back as a string), the dialog geometry under
  ``<group>/geometry``, each named splitter's state under ``<group>/splitters/<key>``, each named
  table's or tree's column widths under ``<group>/headers/<key>``.
- **Restored** through checks: a value of the wrong type, out of the field's range, not among a
  combo box's entries, refused by a line edit's validator, or naming a file or folder that no
  longer exists (fields marked with :func:`mark_path`) leaves the field at its default, with a
  log line and no error.
- **Reset** puts back the defaults, the values the fields had when the memory was created.

Used by the Batch dialog (saves when it hides, when a run starts and when the main window closes)
and the solar, shadow, sky view factor and fusion dialogs (:func:`remember_dialog`: saves when OK
is pressed, so Cancel forgets the edits, and adds a "Restore Defaults" button).
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QDate, QDateTime, QEvent, QObject, QSettings, Qt, QTime
from PySide6.QtGui import QValidator
from PySide6.QtWidgets import (QAbstractItemView, QAbstractSpinBox, QCalendarWidget, QCheckBox, QComboBox, QDateEdit,
                               QDateTimeEdit, QDialog, QDialogButtonBox, QDoubleSpinBox, QGroupBox, QLineEdit,
                               QListWidget, QPlainTextEdit, QRadioButton, QSpinBox, QSplitter, QTableView, QTimeEdit,
                               QTreeView, QWidget)

log = logging.getLogger("citytwin.gui")

#: the dynamic property :func:`mark_path` sets
PATH_PROPERTY = "rememberPath"
PATH_KINDS = ("file", "dir", "path", "output")


def mark_path(widget: QLineEdit | QListWidget, kind: str) -> None:
    """Mark a field as holding paths, so a remembered path that no longer exists is dropped.

    ``kind``: "file" (an existing file), "dir" (an existing folder), "path" (either), "output" (a
    folder that exists or can be created: its parent exists). An empty line edit is always valid.
    In a list, the items that no longer exist are dropped and the others kept.
    """
    if kind not in PATH_KINDS:
        raise ValueError(f"path kind {kind!r}: one of {', '.join(PATH_KINDS)}")
    widget.setProperty(PATH_PROPERTY, kind)


def _path_ok(text: str, kind: str) -> bool:
    p = Path(text).expanduser()
    if kind == "file":
        return p.is_file()
    if kind == "dir":
        return p.is_dir()
    if kind == "output":
        return p.is_dir() or (not p.exists() and p.parent.is_dir())
    return p.exists()


class Invalid(ValueError):
    """A remembered value the field cannot take (the field keeps its default)."""


# -- one getter and one checked setter per field type -----------------------------------------------

def _expect(value: Any, *types: type) -> Any:
    if isinstance(value, bool) and bool not in types:
        raise Invalid(f"{value!r} is not a {types[0].__name__}")
    if not isinstance(value, types):
        raise Invalid(f"{value!r} is not a {types[0].__name__}")
    return value


def _set_line(w: QLineEdit, v: Any) -> None:
    text = _expect(v, str)
    kind = w.property(PATH_PROPERTY)
    if text and kind and not _path_ok(text, kind):
        raise Invalid(f"{text} no longer exists")
    val = w.validator()
    if text and val is not None and val.validate(text, 0)[0] != QValidator.State.Acceptable:
        raise Invalid(f"{text!r} is refused by the field's validator")
    w.setText(text)


def _set_spin(w: QSpinBox, v: Any) -> None:
    n = _expect(v, int)
    if not w.minimum() <= n <= w.maximum():
        raise Invalid(f"{n} is outside {w.minimum()}..{w.maximum()}")
    w.setValue(n)


def _set_dspin(w: QDoubleSpinBox, v: Any) -> None:
    x = float(_expect(v, float, int))
    tol = 0.5 * 10.0 ** -w.decimals()
    if not w.minimum() - tol <= x <= w.maximum() + tol:
        raise Invalid(f"{x} is outside {w.minimum()}..{w.maximum()}")
    w.setValue(x)


def _set_combo(w: QComboBox, v: Any) -> None:
    text = _expect(v, str)
    i = w.findText(text, Qt.MatchFlag.MatchExactly)
    if i < 0 and w.isEditable():
        w.setEditText(text)
        return
    if i < 0:
        raise Invalid(f"{text!r} is not one of the entries")
    w.setCurrentIndex(i)


def _set_checked(w: QCheckBox | QRadioButton | QGroupBox, v: Any) -> None:
    w.setChecked(_expect(v, bool))


def _set_date(w: QDateEdit, v: Any) -> None:
    d = QDate.fromString(_expect(v, str), Qt.DateFormat.ISODate)
    if not d.isValid() or not w.minimumDate() <= d <= w.maximumDate():
        raise Invalid(f"{v!r} is not a date in the field's range")
    w.setDate(d)


def _set_time(w: QTimeEdit, v: Any) -> None:
    t = QTime.fromString(_expect(v, str), Qt.DateFormat.ISODate)
    if not t.isValid():
        raise Invalid(f"{v!r} is not a time")
    w.setTime(t)


def _set_datetime(w: QDateTimeEdit, v: Any) -> None:
    d = QDateTime.fromString(_expect(v, str), Qt.DateFormat.ISODate)
    if not d.isValid() or not w.minimumDateTime() <= d <= w.maximumDateTime():
        raise Invalid(f"{v!r} is not a date and time in the field's range")
    w.setDateTime(d)


def _list_items(w: QListWidget) -> list[str]:
    return [w.item(i).text() for i in range(w.count())]


def _set_list(w: QListWidget, v: Any) -> None:
    items = _expect(v, list)
    if not all(isinstance(s, str) for s in items):
        raise Invalid(f"{v!r} is not a list of texts")
    kind = w.property(PATH_PROPERTY)
    kept = [s for s in items if not kind or _path_ok(s, kind)]
    if len(kept) < len(items):
        log.info("remembered paths that no longer exist are left out: %s",
                 ", ".join(s for s in items if s not in kept))
    w.clear()
    w.addItems(kept)


def _set_plain(w: QPlainTextEdit, v: Any) -> None:
    w.setPlainText(_expect(v, str))


def _checkable_group(w: QGroupBox) -> bool:
    return w.isCheckable()


#: (type, getter, checked setter, applies-to); the first matching entry wins (subclasses first)
FIELD_TYPES: list[tuple[type, Callable[[Any], Any], Callable[[Any, Any], None], Callable[[Any], bool] | None]] = [
    (QLineEdit, QLineEdit.text, _set_line, None),
    (QSpinBox, QSpinBox.value, _set_spin, None),
    (QDoubleSpinBox, QDoubleSpinBox.value, _set_dspin, None),
    (QComboBox, QComboBox.currentText, _set_combo, None),
    (QCheckBox, QCheckBox.isChecked, _set_checked, None),
    (QRadioButton, QRadioButton.isChecked, _set_checked, None),
    (QGroupBox, QGroupBox.isChecked, _set_checked, _checkable_group),
    (QDateEdit, lambda w: w.date().toString(Qt.DateFormat.ISODate), _set_date, None),
    (QTimeEdit, lambda w: w.time().toString(Qt.DateFormat.ISODate), _set_time, None),
    (QDateTimeEdit, lambda w: w.dateTime().toString(Qt.DateFormat.ISODate), _set_datetime, None),
    (QListWidget, _list_items, _set_list, None),
    (QPlainTextEdit, QPlainTextEdit.toPlainText, _set_plain, None),
]

#: widgets whose descendants are Qt's own parts, never fields
_COMPOUND = (QAbstractSpinBox, QComboBox, QCalendarWidget, QAbstractItemView)


def _field_type(w: QWidget):
    for entry in FIELD_TYPES:
        if isinstance(w, entry[0]) and (entry[3] is None or entry[3](w)):
            return entry
    return None


def _is_part_of_compound(w: QWidget, root: QWidget) -> bool:
    p = w.parentWidget()
    while p is not None and p is not root:
        if isinstance(p, _COMPOUND):
            return True
        p = p.parentWidget()
    return False


def attribute_names(root: QWidget) -> dict[int, str]:
    """id(widget) -> dotted attribute path from ``root`` for the widgets ``root`` holds in attributes.

    Follows attributes, and dicts, lists and tuples of widgets, into widgets of Python classes
    (``self.pages["info"].max_problems`` -> ``pages.info.max_problems``); only widgets inside
    ``root`` count (not a parent window an attribute points to). The first path found wins.
    """
    names: dict[int, str] = {}
    todo: list[tuple[QWidget, str]] = [(root, "")]
    seen = {id(root)}
    while todo:
        owner, prefix = todo.pop(0)
        for attr, val in list(vars(owner).items()):
            if attr.startswith("_"):
                continue
            if isinstance(val, dict):
                items = [(f"{attr}.{k}", v) for k, v in val.items()]
            elif isinstance(val, (list, tuple)):
                items = [(f"{attr}.{i}", v) for i, v in enumerate(val)]
            else:
                items = [(attr, val)]
            for name, w in items:
                if not isinstance(w, QWidget) or id(w) in seen or not root.isAncestorOf(w):
                    continue
                seen.add(id(w))
                path = f"{prefix}{name}"
                names[id(w)] = path
                if not type(w).__module__.startswith("PySide6"):
                    todo.append((w, path + "."))
    return names


def _key(w: QWidget, attr_names: dict[int, str]) -> str:
    name = w.objectName()
    if name and not name.startswith("qt_"):
        return name
    return attr_names.get(id(w), "")


def _header(view: QTableView | QTreeView):
    return view.horizontalHeader() if isinstance(view, QTableView) else view.header()


class FormMemory(QObject):
    """Remembers the fields, geometry, splitters and columns of ``root`` in ``settings`` under ``group``.

    The fields are found once, when the memory is made (after the dialog is built), and their
    values then are the defaults :meth:`reset` puts back. ``save_on``: "hide" saves when the
    dialog hides or closes and when its parent window closes; "accept" saves when the dialog is
    accepted (OK); "" only when :meth:`save` is called.
    """

    def __init__(self, root: QWidget, settings: QSettings, group: str, *, save_on: str = "hide",
                 skip: Iterable[str] = ()) -> None:
        super().__init__(root)
        self.setObjectName(f"formMemory_{group}")
        self.root, self.settings, self.group = root, settings, group.strip("/")
        self.save_on = save_on
        attr_names = attribute_names(root)
        skip = set(skip)
        self.fields: dict[str, QWidget] = {}
        self.splitters: dict[str, QSplitter] = {}
        self.tables: dict[str, QTableView | QTreeView] = {}
        for w in root.findChildren(QWidget):
            if _is_part_of_compound(w, root):
                continue
            key = _key(w, attr_names)
            if not key or key in skip or w.property(NOT_REMEMBERED):
                continue
            if isinstance(w, QSplitter):
                self.splitters.setdefault(key, w)
            elif isinstance(w, (QTableView, QTreeView)):
                self.tables.setdefault(key, w)
            elif _field_type(w) is not None:
                if key in self.fields and self.fields[key] is not w:
                    log.warning("%s: two fields are named %r; only the first is remembered", group, key)
                    continue
                self.fields[key] = w
        self.defaults: dict[str, Any] = self.values()
        if save_on == "hide":
            root.installEventFilter(self)
            parent = root.parentWidget()
            if parent is not None:
                parent.window().installEventFilter(self)
        elif save_on == "accept" and isinstance(root, QDialog):
            root.accepted.connect(self.save)

    # -- values -----------------------------------------------------------------------------------
    def value(self, key: str) -> Any:
        w = self.fields[key]
        return _field_type(w)[1](w)

    def values(self) -> dict[str, Any]:
        """The fields' current values (JSON values) by key."""
        return {k: self.value(k) for k in self.fields}

    def set_value(self, key: str, value: Any) -> None:
        """Set a field through its checks; raises :class:`Invalid` when it cannot take ``value``."""
        w = self.fields[key]
        _field_type(w)[2](w, value)

    # -- settings ---------------------------------------------------------------------------------
    def _field_key(self, key: str) -> str:
        return f"{self.group}/fields/{key}"

    def save(self) -> None:
        """Write every field, the geometry and the splitters' states."""
        for k, v in self.values().items():
            self.settings.setValue(self._field_key(k), json.dumps(v))
        self.settings.setValue(f"{self.group}/geometry", self.root.saveGeometry())
        for k, s in self.splitters.items():
            self.settings.setValue(f"{self.group}/splitters/{k}", s.saveState())
        for k, t in self.tables.items():
            self.settings.setValue(f"{self.group}/headers/{k}", _header(t).saveState())

    def restore(self) -> list[str]:
        """Set the remembered values; returns the keys whose stored value was refused (left at default)."""
        refused = []
        for k in self.fields:
            raw = self.settings.value(self._field_key(k))
            if raw is None:
                continue
            try:
                if not isinstance(raw, str):
                    raise Invalid(f"{raw!r} is not JSON text")
                try:
                    v = json.loads(raw)
                except ValueError:
                    raise Invalid(f"{raw!r} is not JSON") from None
                self.set_value(k, v)
            except Invalid as exc:
                refused.append(k)
                self.set_value(k, self.defaults[k])
                log.info("%s: the remembered %s is not used (%s); it keeps its default", self.group, k, exc)
        geo = self.settings.value(f"{self.group}/geometry")
        if geo is not None and not self.root.restoreGeometry(geo):
            log.info("%s: the remembered window geometry is not used", self.group)
        for k, s in self.splitters.items():
            state = self.settings.value(f"{self.group}/splitters/{k}")
            if state is not None and not s.restoreState(state):
                log.info("%s: the remembered %s layout is not used", self.group, k)
        for k, t in self.tables.items():
            state = self.settings.value(f"{self.group}/headers/{k}")
            if state is not None and not _header(t).restoreState(state):
                log.info("%s: the remembered %s columns are not used", self.group, k)
        return refused

    def reset(self) -> None:
        """Put every field back to its default and forget the remembered values."""
        for k, v in self.defaults.items():
            self.set_value(k, v)
        self.settings.remove(f"{self.group}/fields")

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt name
        t = event.type()
        if (obj is self.root and t in (QEvent.Type.Hide, QEvent.Type.Close)) or \
                (obj is not self.root and t == QEvent.Type.Close):
            try:
                self.save()
            except Exception as exc:  # noqa: BLE001 - remembering must never stop a dialog closing
                log.warning("%s: the settings were not saved: %s", self.group, exc)
        return False


#: a widget with this property set to True is not remembered (a value that belongs to one layer)
NOT_REMEMBERED = "notRemembered"


def remember_dialog(dialog: QDialog, settings: QSettings | None, group: str) -> FormMemory | None:
    """Restore ``dialog``'s remembered settings, save them on OK, add a "Restore Defaults" button.

    ``settings`` None (a dialog without a main window): nothing is remembered, returns None.
    """
    if settings is None:
        return None
    memory = FormMemory(dialog, settings, group, save_on="accept")
    memory.restore()
    box = dialog.findChild(QDialogButtonBox)
    if box is not None:
        button = box.addButton(QDialogButtonBox.StandardButton.RestoreDefaults)
        button.setObjectName("restoreDefaults")
        button.clicked.connect(memory.reset)
    dialog.memory = memory  # type: ignore[attr-defined]
    return memory
