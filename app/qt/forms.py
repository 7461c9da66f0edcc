"""Small builders shared by the parameter dialogs (solar, shadow, sky view factor, fusion), and the
study forms generated from the options' declarations (:func:`add_option_rows`): a study option's
label, unit, range, default and help are written once, in its options dataclass."""

from __future__ import annotations

from typing import Any, Iterable

from PySide6.QtWidgets import (QCheckBox, QDialog, QDialogButtonBox, QDoubleSpinBox, QFormLayout, QHBoxLayout,
                               QLayout, QSpinBox, QVBoxLayout, QWidget)

from citytwin.app.qt.remember import NOT_REMEMBERED


def double_spin(lo: float, hi: float, value: float = 0.0, suffix: str = "", decimals: int = 2,
                step: float | None = None) -> QDoubleSpinBox:
    """A QDoubleSpinBox with range, value, unit suffix and decimals."""
    s = QDoubleSpinBox()
    s.setDecimals(decimals)
    s.setRange(lo, hi)
    s.setValue(value)
    if suffix:
        s.setSuffix(suffix)
    if step is not None:
        s.setSingleStep(step)
    return s


def int_spin(lo: int, hi: int, value: int, suffix: str = "") -> QSpinBox:
    """A QSpinBox with range, value and unit suffix."""
    s = QSpinBox()
    s.setRange(lo, hi)
    s.setValue(value)
    if suffix:
        s.setSuffix(suffix)
    return s


def row(*widgets: QWidget) -> QWidget:
    """Widgets side by side, without margins (one form row)."""
    w = QWidget()
    lay = QHBoxLayout(w)
    lay.setContentsMargins(0, 0, 0, 0)
    for x in widgets:
        lay.addWidget(x)
    return w


def surfaces_row(default: tuple[str, ...]) -> tuple[QWidget, dict[str, QCheckBox]]:
    """Check boxes roof / wall / ground (checked: those in ``default``)."""
    boxes = {}
    for name in ("roof", "wall", "ground"):
        cb = QCheckBox(name)
        cb.setChecked(name in default)
        boxes[name] = cb
    return row(*boxes.values()), boxes


def finish_dialog(dialog: QDialog, *parts: QLayout | QWidget, ok_text: str = "") -> QDialogButtonBox:
    """Lay out ``parts`` top to bottom with OK / Cancel under them; returns the button box."""
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
    if ok_text:
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(ok_text)
    buttons.accepted.connect(dialog.accept)
    buttons.rejected.connect(dialog.reject)
    lay = QVBoxLayout(dialog)
    for p in parts:
        if isinstance(p, QLayout):
            lay.addLayout(p)
        else:
            lay.addWidget(p)
    lay.addWidget(buttons)
    return buttons


def weather_anywhere_box() -> QCheckBox:
    """The "use the weather file even when recorded far away" box (``weather_anywhere``); not remembered:
    it is a decision about one file, and remembered it would switch the distance check off for good."""
    from citytwin.analysis.options import option_spec
    from citytwin.analysis.solar import SolarOptions

    spec = option_spec(SolarOptions, "weather_anywhere")
    box = QCheckBox(spec.label)
    box.setObjectName("weatherAnywhere")
    box.setToolTip(spec.info.help)
    box.setProperty(NOT_REMEMBERED, True)
    return box


# -- forms generated from a study's options (citytwin.analysis.options) --------------------------

def option_widget(options_class: type, name: str, *, default: Any = None, object_name: str = "",
                  placeholder: str = "") -> QWidget:
    """The input widget of one option, from its declaration: a spin box with the option's range,
    unit and default for numbers, a combo box for choices, check boxes for ``surfaces``, a check
    box for a flag, a line edit for text; the option's help is its tooltip.

    An optional number (default None) gets a line edit that accepts numbers (empty: not given).
    For ``names`` the returned row widget carries the check boxes as ``row.boxes`` (name -> box).
    """
    from PySide6.QtGui import QDoubleValidator
    from PySide6.QtWidgets import QComboBox, QLineEdit

    from citytwin.analysis.options import option_spec

    spec = option_spec(options_class, name)
    info = spec.info
    value = spec.default if default is None else default
    suffix = f" {info.unit}" if info.unit else ""
    w: QWidget
    if spec.kind == "names":
        w, boxes = surfaces_row(tuple(value))
        w.boxes = boxes  # type: ignore[attr-defined]
    elif spec.kind == "bool":
        w = QCheckBox(info.label)
        w.setChecked(bool(value))
    elif spec.kind in ("float", "int") and value is not None:
        lo, hi, step, decimals = info.form or (
            (info.range or (None, None))[0] if (info.range or (None, None))[0] is not None else -1e9,
            (info.range or (None, None))[1] if (info.range or (None, None))[1] is not None else 1e9,
            1.0, 2 if spec.kind == "float" else 0)
        if spec.kind == "int":
            w = int_spin(int(lo), int(hi), int(value), suffix)
        else:
            w = double_spin(lo, hi, float(value), suffix, decimals, step)
    elif info.choices and spec.kind == "text":
        w = QComboBox()
        w.addItems(list(info.choices))
        w.setCurrentText(str(value))
    else:
        w = QLineEdit("" if value is None else str(value))
        if spec.kind in ("float", "int"):
            w.setValidator(QDoubleValidator())
        if placeholder:
            w.setPlaceholderText(placeholder)
    w.setToolTip(info.help)
    if object_name:
        w.setObjectName(object_name)
        if spec.kind == "names":
            for n, cb in w.boxes.items():  # type: ignore[attr-defined]
                cb.setObjectName(f"{object_name}_{n}")
    return w


def option_value(options_class: type, name: str, widget: QWidget) -> Any:
    """The value an :func:`option_widget` holds (None: an empty optional field)."""
    from PySide6.QtWidgets import QComboBox, QDoubleSpinBox, QLineEdit, QSpinBox

    from citytwin.analysis.options import option_spec, parse_text

    spec = option_spec(options_class, name)
    if spec.kind == "names":
        boxes = widget.boxes if hasattr(widget, "boxes") else widget  # type: ignore[attr-defined]
        return tuple(n for n, cb in boxes.items() if cb.isChecked())
    if isinstance(widget, QCheckBox):
        return widget.isChecked()
    if isinstance(widget, (QDoubleSpinBox, QSpinBox)):
        return widget.value()
    if isinstance(widget, QComboBox):
        return widget.currentText()
    if isinstance(widget, QLineEdit):
        t = widget.text().strip()
        if not t:
            return None
        return parse_text(options_class, name, t.replace(",", ".") if spec.kind in ("float", "int") else t)
    raise TypeError(f"not an option widget: {widget!r}")


def add_option_rows(form: QFormLayout, owner: Any, options_class: type, names: Iterable[str], *,
                    attrs: dict[str, str] | None = None, object_names: dict[str, str] | None = None,
                    object_prefix: str = "", defaults: dict[str, Any] | None = None,
                    placeholders: dict[str, str] | None = None) -> None:
    """One form row per option (label: the option's label), the widget stored as ``owner.<attr>``.

    ``attrs`` renames attributes (default: the option's name); a widget is named ``object_names[name]``
    or ``object_prefix`` + the attribute in CamelCase (``solar`` + ``sky_mf`` -> ``solarSkyMf``), so
    remembered settings keep their keys; ``defaults`` overrides a default for this form. For
    ``surfaces`` the attribute holds the dict of check boxes.
    """
    from citytwin.analysis.options import option_spec

    for name in names:
        attr = (attrs or {}).get(name, name)
        obj = (object_names or {}).get(name) or (
            object_prefix + "".join(p.capitalize() for p in attr.split("_")) if object_prefix else "")
        w = option_widget(options_class, name, default=(defaults or {}).get(name), object_name=obj,
                          placeholder=(placeholders or {}).get(name, ""))
        setattr(owner, attr, w.boxes if hasattr(w, "boxes") else w)
        spec = option_spec(options_class, name)
        form.addRow("" if spec.kind == "bool" else spec.label, w)


def option_values(owner: Any, options_class: type, names: Iterable[str],
                  attrs: dict[str, str] | None = None) -> dict[str, Any]:
    """Option name -> value of the widgets :func:`add_option_rows` made on ``owner``."""
    return {n: option_value(options_class, n, getattr(owner, (attrs or {}).get(n, n))) for n in names}
