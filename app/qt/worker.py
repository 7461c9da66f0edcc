"""Run a command-layer function in a QThread with progress and cancellation.

The worker only computes: it gets read-only inputs and returns a result object; the GUI thread
applies the result to the model in the ``finished`` slot (napari's rule: workers never touch
the model). ``cancel()`` sets the :class:`~citytwin.app.commands.progress.Progress` flag, so the
function stops at its next ``progress.update``.
"""

from __future__ import annotations

import gc
import logging
import time
from typing import Any, Callable

from PySide6.QtCore import QObject, QThread, QTimer, Signal

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


class MainThreadGC(QObject):
    """Run Python's cyclic garbage collector on the GUI thread only, from a timer.

    With automatic collection on, a collection triggered by a worker's allocations may free the
    last reference to a Qt wrapper (a closed dialog, a finished Job in a reference cycle) in that
    worker thread; shiboken then defers the C++ deletion and crashes in
    ``BindingManager::runDeletionInMainThread`` (seen with PySide6 6.12 while a fusion ran).
    So while a window lives, automatic collection is off and this timer collects on the GUI
    thread whenever a generation passed its threshold (the pattern pyqtgraph uses).
    """

    _active = 0

    def __init__(self, parent: QObject | None = None, interval_ms: int = 300) -> None:
        super().__init__(parent)
        self._timer = QTimer(self)
        self._timer.setInterval(interval_ms)
        self._timer.timeout.connect(self.collect)
        self._running = False

    def start(self) -> None:
        if not self._running:
            self._running = True
            MainThreadGC._active += 1
            gc.disable()
            self._timer.start()

    def collect(self) -> None:
        """Collect the generations whose allocation counts passed their thresholds."""
        if gc.isenabled():  # a worker's gc_paused block ended after start(): off again
            gc.disable()
        t0, t1, t2 = gc.get_threshold()
        c0, c1, c2 = gc.get_count()
        if c2 > t2:
            gc.collect(2)
        elif c1 > t1:
            gc.collect(1)
        elif c0 > t0:
            gc.collect(0)

    def stop(self) -> None:
        """Stop the timer; automatic collection comes back when no window uses this any more."""
        if self._running:
            self._running = False
            self._timer.stop()
            MainThreadGC._active -= 1
            if MainThreadGC._active == 0:
                gc.collect()
                gc.enable()
