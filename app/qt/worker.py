"""Run a command-layer function in a QThread with progress and cancellation.

The worker only computes: it gets read-only inputs and returns a result object; the GUI thread
applies the result to the model in the ``finished`` slot (napari's rule: workers never touch
the model). ``cancel()`` sets the :class:`~citytwin.app.commands.progress.Progress` flag, so the
function stops at its next ``progress.update``.
"""

from __future__ import annotations

import logging
import time
from typing import Any, Callable

from PySide6.QtCore import QObject, QThread, Signal

from citytwin.app.commands.progress import Progress
from citytwin.errors import Cancelled

log = logging.getLogger("citytwin.gui")


class Job(QThread):
    """One background computation: ``fn(progress) -> result``.

    Signals
    -------
    progressed(fraction: float, message: str)
    succeeded(result: object)
    failed(error: object) -- the exception
    cancelled()
    """

    progressed = Signal(float, str)
    succeeded = Signal(object)
    failed = Signal(object)
    cancelled = Signal()

    def __init__(self, name: str, fn: Callable[[Progress], Any], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.name = name
        self._fn = fn
        self._last_emit = 0.0
        self.progress = Progress(self._on_progress)
        self.result: Any = None
        self.error: BaseException | None = None
        self.was_cancelled = False

    def _on_progress(self, fraction: float, message: str | None) -> None:
        now = time.monotonic()
        if message is not None or now - self._last_emit > 0.05 or fraction >= 1.0:
            self._last_emit = now
            self.progressed.emit(fraction, message or "")

    def cancel(self) -> None:
        """Ask the computation to stop (returns at once; the thread ends at its next update)."""
        self.progress.cancel()

    def run(self) -> None:  # runs in the worker thread
        try:
            self.result = self._fn(self.progress)
        except Cancelled:
            self.was_cancelled = True
            self.cancelled.emit()
            return
        except BaseException as exc:  # noqa: BLE001 - reported on the GUI thread
            self.error = exc
            self.failed.emit(exc)
            return
        if self.progress.cancelled:
            self.was_cancelled = True
            self.cancelled.emit()
        else:
            self.succeeded.emit(self.result)


class JobRunner(QObject):
    """Keeps running jobs alive, and cancels and joins them all on shutdown."""

    changed = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.jobs: list[Job] = []

    def start(self, job: Job) -> Job:
        self.jobs.append(job)
        job.finished.connect(lambda j=job: self._done(j))
        job.start()
        self.changed.emit()
        return job

    def _done(self, job: Job) -> None:
        if job in self.jobs:
            self.jobs.remove(job)
        self.changed.emit()

    @property
    def busy(self) -> bool:
        return any(j.isRunning() for j in self.jobs)

    def cancel_all(self, wait_ms: int = 30000) -> bool:
        """Cancel every job and wait for the threads to end; False if one did not stop in time."""
        ok = True
        for j in list(self.jobs):
            j.cancel()
        for j in list(self.jobs):
            if not j.wait(wait_ms):
                log.error("background job %r did not stop in %d ms", j.name, wait_ms)
                ok = False
        return ok
