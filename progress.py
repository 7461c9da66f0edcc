"""One progress protocol for every layer: kernels, studies, commands, CLI and GUI.

A long operation takes a :class:`ProgressReporter` and calls ``progress.update(fraction, message)``
between blocks of numpy work (never per polygon or per triangle). ``update`` may raise
:class:`~citytwin.errors.Cancelled` once someone called :meth:`Progress.cancel`: the operation then
stops there and leaves nothing half-done behind (no cache entry, no model change). A sub-step
reports on ``progress.sub(start, stop)``, which maps its own [0, 1] onto [start, stop].

This module sits beside :mod:`citytwin.errors`, below ``mesh``, so the geometry kernels, the
studies in ``analysis`` and the commands in ``app.commands`` share it. The CLI shows a tqdm bar
(:mod:`citytwin.app.cli.progressbar`); the GUI forwards updates to a Qt signal from its worker
thread. A plain callable ``fn(fraction)`` is accepted wherever a reporter is (see
:func:`as_progress`), so a notebook or a test can pass ``list.append``.
"""

from __future__ import annotations

import threading
from typing import Callable, Protocol, Union, runtime_checkable

from citytwin.errors import Cancelled

__all__ = ["ProgressReporter", "ProgressArg", "Progress", "SubProgress", "NullProgress", "CallbackProgress",
           "as_progress", "scaled", "report"]


@runtime_checkable
class ProgressReporter(Protocol):
    """What a long operation reports to: fraction done, an optional message, cancellation."""

    def update(self, fraction: float, message: str | None = None) -> None:
        """Report ``fraction`` (0..1) of the work done; may raise Cancelled."""

    def check(self) -> None:
        """Raise Cancelled when the operation was asked to stop."""

    def sub(self, start: float, stop: float) -> "ProgressReporter":
        """A reporter for a sub-step mapped onto [start, stop] of this one."""


#: A reporter, or a plain callable ``fn(fraction)`` (may raise to stop the work).
ProgressArg = Union[ProgressReporter, Callable[[float], None]]


class Progress:
    """Thread-safe progress reporter with cancellation.

    Parameters
    ----------
    callback : called as ``callback(fraction, message)`` with fraction in [0, 1]
    """

    def __init__(self, callback: Callable[[float, str | None], None] | None = None) -> None:
        self._callback = callback
        self._cancel = threading.Event()
        self.fraction = 0.0
        self.message: str | None = None

    def cancel(self) -> None:
        """Ask the running operation to stop at its next update."""
        self._cancel.set()

    @property
    def cancelled(self) -> bool:
        return self._cancel.is_set()

    def check(self) -> None:
        """Raise Cancelled if cancellation was requested."""
        if self._cancel.is_set():
            raise Cancelled("cancelled")

    def update(self, fraction: float, message: str | None = None) -> None:
        """Report progress (0..1) and check for cancellation."""
        self.check()
        self.fraction = min(1.0, max(0.0, float(fraction)))
        if message is not None:
            self.message = message
        if self._callback is not None:
            self._callback(self.fraction, message)

    def sub(self, start: float, stop: float) -> "SubProgress":
        """A progress for a sub-step mapped onto [start, stop] of this one."""
        return SubProgress(self, start, stop)


class SubProgress:
    """A view of a parent reporter over the interval [start, stop]."""

    def __init__(self, parent: ProgressReporter, start: float, stop: float) -> None:
        self.parent, self.start, self.stop = parent, start, stop

    def update(self, fraction: float, message: str | None = None) -> None:
        self.parent.update(self.start + (self.stop - self.start) * min(1.0, max(0.0, fraction)), message)

    def check(self) -> None:
        self.parent.check()

    def sub(self, start: float, stop: float) -> "SubProgress":
        return SubProgress(self, start, stop)

    @property
    def cancelled(self) -> bool:
        return bool(getattr(self.parent, "cancelled", False))


class NullProgress(Progress):
    """Progress that reports nowhere (tests, library use)."""


class CallbackProgress:
    """A reporter around a plain callable ``fn(fraction)`` (the message is dropped)."""

    def __init__(self, fn: Callable[[float], None]) -> None:
        self.fn = fn

    def update(self, fraction: float, message: str | None = None) -> None:
        self.fn(fraction)

    def check(self) -> None:
        pass

    def sub(self, start: float, stop: float) -> SubProgress:
        return SubProgress(self, start, stop)


def as_progress(progress: ProgressArg | None) -> ProgressReporter | None:
    """``progress`` as a :class:`ProgressReporter` (a plain callable is wrapped; None stays None)."""
    if progress is None or hasattr(progress, "update"):
        return progress  # type: ignore[return-value]
    if callable(progress):
        return CallbackProgress(progress)
    raise TypeError(f"not a progress reporter: {progress!r}")


def scaled(progress: ProgressArg | None, start: float, stop: float) -> ProgressReporter | None:
    """The reporter of a sub-step mapped onto [start, stop] of ``progress`` (None stays None)."""
    p = as_progress(progress)
    return None if p is None else p.sub(start, stop)


def report(progress: ProgressArg | None, fraction: float, message: str | None = None) -> None:
    """``progress.update(fraction, message)`` when there is a reporter (a callable gets the fraction)."""
    p = as_progress(progress)
    if p is not None:
        p.update(fraction, message)
