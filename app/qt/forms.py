"""Small builders shared by the parameter dialogs (solar, shadow, sky view factor, fusion)."""

from __future__ import annotations

from PySide6.QtWidgets import (QCheckBox, QDialog, QDialogButtonBox, QDoubleSpinBox, QHBoxLayout, QLayout,
                               QSpinBox, QVBoxLayout, QWidget)

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
    box = QCheckBox("Use the weather file even when it was recorded far from the site")
    box.setObjectName("weatherAnywhere")
    box.setToolTip("The weather file is refused when its station is more than 500 km from the site or its "
                   "time zone cannot be the site's; tick to use it all the same (as --weather-anywhere)")
    box.setProperty(NOT_REMEMBERED, True)
    return box
