"""Progress and cancellation for long operations, shared by the CLI and the GUI.

A command receives a :class:`Progress`; it calls ``progress.update(fraction, message)`` now and
then, which raises :class:`~citytwin.errors.Cancelled` once someone called ``cancel()``.
The CLI shows a tqdm bar; the GUI forwards updates to a Qt signal from its worker thread.
"""

from __future__ import annotations

import threading
from typing import Callable, Protocol

from citytwin.errors import Cancelled


class ProgressLike(Protocol):
    def update(self, fraction: float, message: str | None = None) -> None: ...
    def check(self) -> None: ...
    def sub(self, start: float, stop: float) -> "ProgressLike": ...


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
    """A view of a parent progress over the interval [start, stop]."""

    def __init__(self, parent, start: float, stop: float) -> None:
        self.parent, self.start, self.stop = parent, start, stop

    def update(self, fraction: float, message: str | None = None) -> None:
        self.parent.update(self.start + (self.stop - self.start) * min(1.0, max(0.0, fraction)), message)

    def check(self) -> None:
        self.parent.check()

    def sub(self, start: float, stop: float) -> "SubProgress":
        return SubProgress(self, start, stop)

    @property
    def cancelled(self) -> bool:
        return self.parent.cancelled


class NullProgress(Progress):
    """Progress that reports nowhere (tests, library use)."""
