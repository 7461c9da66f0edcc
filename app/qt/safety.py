"""Slots never raise: exceptions are caught, logged and shown to the person; the app goes on."""

from __future__ import annotations

import functools
import logging
import sys
import traceback
from typing import Callable, TypeVar

from PySide6.QtWidgets import QMessageBox, QWidget

from citytwin.errors import CityTwinError

log = logging.getLogger("citytwin.gui")
F = TypeVar("F", bound=Callable)

#: Set to False in tests that assert on the log instead of a modal box.
SHOW_DIALOGS = True


def describe(exc: BaseException) -> str:
    """One line for a person: our own errors already say file and place."""
    from citytwin.app.gui_messages import for_gui

    if isinstance(exc, CityTwinError):
        return for_gui(str(exc))  # dialog fields and menu items, not CLI flags
    return f"{type(exc).__name__}: {exc}"


def report(exc: BaseException, parent: QWidget | None = None, title: str = "citytwin") -> None:
    """Log an exception (with traceback for unexpected ones) and show it in a message box."""
    if isinstance(exc, CityTwinError):
        log.error(describe(exc))
    else:
        log.error("%s\n%s", describe(exc), "".join(traceback.format_exception(exc)).rstrip())
    if SHOW_DIALOGS and parent is not None:
        box = QMessageBox(QMessageBox.Icon.Warning, title, describe(exc), parent=parent)
        box.setObjectName("errorBox")
        box.open()  # non-modal: never blocks a test or a running event loop


def guarded(fn: F) -> F:
    """Decorator for slots: catch every exception, log it, show it, return None."""

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        try:
            return fn(*args, **kwargs)
        except Exception as exc:  # noqa: BLE001 - a slot must never raise into Qt
            parent = args[0] if args and isinstance(args[0], QWidget) else None
            report(exc, parent)
            return None

    return wrapper  # type: ignore[return-value]


def install_excepthook(parent_getter: Callable[[], QWidget | None]) -> None:
    """Route uncaught exceptions (e.g. in VTK observer callbacks) to :func:`report`."""

    def hook(etype, value, tb):
        if issubclass(etype, KeyboardInterrupt):
            sys.__excepthook__(etype, value, tb)
            return
        report(value, parent_getter())

    sys.excepthook = hook
