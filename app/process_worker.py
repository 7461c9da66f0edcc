"""Run a study in a worker process, so the GUI's interpreter is never held by it.

Open3D's ray casting (Embree) keeps Python's global interpreter lock for the whole call: a call
of 3 M rays in a worker *thread* blocks the GUI thread for ~2 s (a solar study on 853 buildings
froze the window 93-113 times over 250 ms). In a separate process it cannot. The child is
started with ``spawn`` (no fork of a process that runs Qt and VTK threads), gets a pickled
snapshot of the inputs, and sends back through a pipe its progress, its log lines and finally the
result object (arrays pickle as raw buffers) or the exception.

No Qt here: :func:`run_in_process` is called from the GUI's worker thread (``Job``), whose
``Progress`` it drives; cancelling that Progress stops the child at its next progress update
(and terminates it if it does not stop within a few seconds).
"""

from __future__ import annotations

import logging
import queue
from typing import Any, Callable

from citytwin.errors import CityTwinError

#: how long to wait for a cancelled child to stop by itself before terminating it (seconds)
STOP_GRACE_S = 3.0
#: progress messages are forwarded at most this often (seconds), besides the first and last
PROGRESS_INTERVAL_S = 0.05


class WorkerProcessError(CityTwinError):
    """The worker process died without a result (killed, out of memory, crashed in native code)."""


class _QueueLogHandler(logging.Handler):
    def __init__(self, q) -> None:
        super().__init__(logging.INFO)
        self.q = q

    def emit(self, record: logging.LogRecord) -> None:
        try:
            self.q.put(("log", (record.name, record.levelno, record.getMessage())))
        except Exception:  # noqa: BLE001 - logging must not fail the study
            pass


def _child(fn: Callable[..., Any], args: tuple, kwargs: dict, q, cancel) -> None:
    """Child process body: run ``fn(*args, progress=..., **kwargs)`` and send what happens."""
    import time

    from citytwin.app.commands.progress import Progress

    root = logging.getLogger("citytwin")
    root.setLevel(logging.INFO)
    root.addHandler(_QueueLogHandler(q))
    last = [0.0]

    def forward(fraction: float, message: str | None) -> None:
        now = time.monotonic()
        if message is not None or now - last[0] >= PROGRESS_INTERVAL_S or fraction >= 1.0:
            last[0] = now
            q.put(("progress", (fraction, message)))

    progress = Progress(forward)
    progress._cancel = cancel  # a multiprocessing Event: set by the parent on Cancel
    try:
        result = fn(*args, progress=progress, **kwargs)
    except BaseException as exc:  # noqa: BLE001 - everything goes back to the parent
        import pickle

        try:
            pickle.loads(pickle.dumps(exc))  # some (InputError) pickle but do not unpickle
            q.put(("error", exc))
        except Exception:  # noqa: BLE001 - the same message in the project's base class
            q.put(("error", CityTwinError(str(exc)) if isinstance(exc, CityTwinError)
                   else WorkerProcessError(f"{type(exc).__name__}: {exc}")))
        return
    q.put(("result", result))


def run_in_process(fn: Callable[..., Any], args: tuple = (), kwargs: dict | None = None,
                   progress=None, poll_s: float = 0.05) -> Any:
    """Call ``fn(*args, progress=<child Progress>, **kwargs)`` in a new ``spawn`` process.

    Parameters
    ----------
    fn : a module-level function (pickled by reference)
    args, kwargs : its inputs, pickled to the child (pass read-only snapshots)
    progress : the caller's Progress: receives the child's updates; cancelling it cancels the child
    poll_s : seconds between checks of the pipe, the cancel flag and the child's life

    Returns
    -------
    What ``fn`` returned (unpickled in this process).

    Raises
    ------
    The child's exception (Cancelled when cancelled), or WorkerProcessError when the child died.
    """
    import multiprocessing as mp

    from citytwin.errors import Cancelled

    ctx = mp.get_context("spawn")
    q = ctx.Queue()
    cancel = ctx.Event()
    proc = ctx.Process(target=_child, args=(fn, tuple(args), dict(kwargs or {}), q, cancel),
                       name=f"citytwin-{getattr(fn, '__name__', 'study')}", daemon=True)
    proc.start()
    try:
        while True:
            if progress is not None and progress.cancelled:
                cancel.set()
                raise Cancelled("cancelled")
            try:
                kind, payload = q.get(timeout=poll_s)
            except queue.Empty:
                if not proc.is_alive():
                    try:  # the result may have arrived just before the end
                        kind, payload = q.get(timeout=0.5)
                    except queue.Empty:
                        raise WorkerProcessError(
                            f"the worker process of {getattr(fn, '__name__', 'the study')} stopped without a "
                            f"result (exit code {proc.exitcode}: out of memory or killed?)") from None
                else:
                    continue
            if kind == "progress":
                if progress is not None:
                    progress.update(*payload)
            elif kind == "log":
                name, level, msg = payload
                logging.getLogger(name).log(level, "%s", msg)
            elif kind == "result":
                return payload
            elif kind == "error":
                raise payload
    finally:
        if proc.is_alive():
            cancel.set()
            proc.join(STOP_GRACE_S)
            if proc.is_alive():
                proc.terminate()
                proc.join(1.0)
        q.close()
