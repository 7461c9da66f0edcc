"""Running IFC geometry in a crash- and hang-isolated worker process, reused across imports.

The geometry kernel of IfcOpenShell can crash (segfault, abort) or never return on some
elements. :func:`run_geometry` therefore parses and tessellates a file in a separate Python
process (:mod:`citytwin.io.ifc.worker`) and survives both:

- **crash**: the worker's stream ends; the worker is restarted in per-element mode on the elements
  not yet received, without the element it had announced (``"start"``) when it died;
- **hang**: no message for ``hang_timeout`` seconds (``CITYTWIN_IFC_HANG_TIMEOUT``, default
  :data:`DEFAULT_HANG_TIMEOUT`; the worker's own start-up is allowed :data:`BOOT_TIMEOUT`, the
  clock covers parsing, describing and every element); the worker is killed and restarted like
  after a crash. In iterator mode the parent cannot know which element is stuck (the kernel's
  threads work on several at once), so the rest goes element by element, where the stuck
  element is stuck again and is reported and skipped. So that a hang costs at most the
  timeout (plus the restart: worker start, re-parse, the elements tessellated before the stuck
  one), the budget is split: once shapes flow, the iterator counts as stalled after
  :func:`stall_timeout` seconds (a tenth of the timeout, at least 1 s), and the elements it had
  not delivered then get the rest of the timeout each (any of them may have been worked on
  during the stall). :attr:`GeometryRun.waited` adds up the seconds spent waiting on silent
  workers.

Speed: the worker is a plain Python subprocess running :mod:`citytwin.io.ifc.worker` (no
multiprocessing start-method pitfalls: scripts without a ``__main__`` guard work) that imports
IfcOpenShell once and then serves jobs; a worker that finished its job cleanly goes back to a
small pool, so the second and later imports in one process (GUI, batch) pay neither the
interpreter start nor the IfcOpenShell import, and IfcOpenShell's schema caches stay warm.
The first import starts the worker before the parent imports its own heavy libraries, so both
run side by side. Shapes cross the pipe as one bytes buffer per batch (no per-element pickles).
"""

from __future__ import annotations

import atexit
import collections
import os
import signal
import queue
import subprocess
import sys
import threading
from pathlib import Path
from dataclasses import dataclass, field
from typing import Any, Callable

from citytwin.io.ifc import worker as ifc_worker

#: Seconds without any message from the worker before it is considered hung (overridden by the
#: environment variable ``CITYTWIN_IFC_HANG_TIMEOUT`` and by ``hang_timeout=``).
DEFAULT_HANG_TIMEOUT = 120.0
#: Seconds a new worker may take to start (interpreter + IfcOpenShell import) before it counts as hung.
BOOT_TIMEOUT = 120.0
#: A worker serves at most this many jobs before it is replaced (bounds memory growth).
_MAX_JOBS = 50
#: Idle workers kept for later imports.
_MAX_IDLE = 1
#: Lines (and bytes per line) of a worker's stderr kept for diagnosis.
_STDERR_LINES = 50
_STDERR_LINE_BYTES = 2000


@dataclass
class GeometryRun:
    """What the worker(s) delivered.

    Attributes
    ----------
    meta : the description of the file (see :func:`citytwin.io.ifc.worker.describe`)
    shapes : element id -> (verts (n, 3) float64 metres, faces (m, 3) int32), read-only views
    problems : (element id or None, message)
    restarts : how many times the worker was restarted after a crash or a hang
    waited : seconds spent waiting on workers that then counted as hung or stalled
    """

    meta: dict[str, Any] | None = None
    shapes: dict[int, tuple[Any, Any]] = field(default_factory=dict)
    problems: list[tuple[int | None, str]] = field(default_factory=list)
    restarts: int = 0
    waited: float = 0.0


#: How the worker starts: the worker module needs only the standard library and IfcOpenShell, so
#: it is loaded from its file (not ``-m citytwin.io.ifc.worker``, which imports the citytwin.io
#: package and its registry first), with the current directory taken off ``sys.path``. With
#: ``-S`` (the fast start) the interpreter skips ``site`` and its .pth files and takes this
#: process's ``sys.path`` instead, as multiprocessing's spawn does; if a worker started that way
#: dies before it is ready, workers are started the plain way from then on.
_BOOT = ("import sys, json, importlib.util as u\n"
         "if len(sys.argv) > 2: sys.path[:] = json.loads(sys.argv[2])\n"
         "else: sys.path.pop(0)\n"
         "s = u.spec_from_file_location('citytwin_ifc_worker', sys.argv[1]); m = u.module_from_spec(s)\n"
         "s.loader.exec_module(m); m.main()")
_fast_boot = {"on": True}


def worker_command(fast: bool) -> list[str]:
    """The command line that starts a worker process.

    The interpreter is multiprocessing's (:func:`multiprocessing.spawn.get_executable`, which is
    ``sys.executable`` unless the program said otherwise with
    :func:`multiprocessing.set_executable`, as embedding applications do, or Python picked
    another one, as for a Windows service), not ``sys.executable`` blindly. In a frozen build
    (PyInstaller & co.: ``sys.frozen``, ``sys.executable`` is the application, not a Python) the
    application itself is started with :data:`~citytwin.io.ifc.worker.WORKER_FLAG`, which its
    entry point (:func:`citytwin.app.cli.main`) turns into the worker, as multiprocessing does
    with ``--multiprocessing-fork``.

    Raises
    ------
    MissingDependencyError : there is no interpreter to start (empty ``sys.executable``)
    """
    import json
    import multiprocessing.spawn

    if getattr(sys, "frozen", False):
        return [sys.executable, ifc_worker.WORKER_FLAG]
    exe = multiprocessing.spawn.get_executable()
    if not exe:
        from citytwin.errors import MissingDependencyError

        raise MissingDependencyError("IFC import needs a Python interpreter for its geometry worker, and "
                                     "this process does not know one (sys.executable is empty; an "
                                     "embedding program can name one with multiprocessing.set_executable)")
    args = [os.fsdecode(exe), "-c", _BOOT, ifc_worker.__file__]
    if fast:
        args[1:1] = ["-S"]
        args.append(json.dumps([p for p in sys.path if p]))
    return args


class Worker:
    """One worker process (:func:`worker_command`); a reader thread queues its messages."""

    def __init__(self) -> None:
        self.fast = _fast_boot["on"]
        args = worker_command(self.fast)
        # stderr is captured, never inherited: a kernel segfault must not reach the person as
        # "Fatal Python error: Segmentation fault" and a stack (PYTHONFAULTHANDLER is inherited),
        # nor OpenCASCADE's chatter; the crash is reported as a problem on the element instead,
        # and the last lines are kept for diagnosis (see :meth:`stderr_tail`)
        self.proc = subprocess.Popen(args, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     stderr=subprocess.PIPE)
        self.messages: queue.SimpleQueue = queue.SimpleQueue()
        self.jobs = 0
        self.ready = False  # set when its "ready" message (imports done) has been read
        self._stderr: collections.deque[bytes] = collections.deque(maxlen=_STDERR_LINES)
        self._reader = threading.Thread(target=self._read, name="ifc-worker-reader", daemon=True)
        self._reader.start()
        self._err_reader = threading.Thread(target=self._read_stderr, name="ifc-worker-stderr", daemon=True)
        self._err_reader.start()

    def _read_stderr(self) -> None:
        """Drain the worker's stderr (so it never blocks on a full pipe), keeping the last lines."""
        err = self.proc.stderr
        try:
            while True:
                line = err.readline(_STDERR_LINE_BYTES)  # bounded, even for output without newlines
                if not line:
                    return
                self._stderr.append(line)
        except (OSError, ValueError):
            pass

    def stderr_tail(self, wait: float = 1.0) -> list[str]:
        """The last lines the worker wrote to stderr (waits up to ``wait`` s for a dead worker's last
        words)."""
        if self.proc.poll() is not None:
            self._err_reader.join(wait)
        return [b.decode("utf-8", errors="replace").rstrip() for b in list(self._stderr)]

    def _read(self) -> None:
        out = self.proc.stdout
        try:
            while True:
                self.messages.put(ifc_worker.read_frame(out))
        except Exception:  # EOF, a broken pipe or a torn frame: the worker is gone
            pass
        self.messages.put(("eof",))

    def submit(self, job: dict[str, Any]) -> bool:
        """Send a job; False when the worker is already gone."""
        self.jobs += 1
        try:
            ifc_worker.write_frame(self.proc.stdin, job)
            return True
        except (BrokenPipeError, OSError, ValueError):
            return False

    def next_message(self, timeout: float | None) -> tuple | None:
        """The next message, or None when nothing arrived within ``timeout`` seconds."""
        try:
            return self.messages.get(timeout=timeout)
        except queue.Empty:
            return None

    def alive(self) -> bool:
        return self.proc.poll() is None

    def kill(self) -> int | None:
        """Kill the process (if still running) and return its exit code."""
        if self.proc.poll() is None:
            self.proc.kill()
        code = self.proc.wait()
        self._close_pipes()
        ifc_worker.remove_stale_unzip_dirs(pid=self.proc.pid)  # an .ifczip member it was reading
        return code

    def exit_code(self) -> int | None:
        try:
            return self.proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            return self.kill()

    def close(self) -> None:
        """Ask the worker to exit (EOF on its stdin); kill it if it does not within a second."""
        try:
            self.proc.stdin.close()
        except OSError:
            pass
        try:
            self.proc.wait(timeout=1.0)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        self._close_pipes()
        ifc_worker.remove_stale_unzip_dirs(pid=self.proc.pid)

    def _close_pipes(self) -> None:
        self._err_reader.join(1.0)  # the last words of a dead worker, before the pipe closes
        for p in (self.proc.stdin, self.proc.stdout, self.proc.stderr):
            try:
                p.close()
            except OSError:
                pass


def _unzip_limit(path) -> int:
    """Bytes the member of an .ifczip may unpack to: the .gz rule (:func:`~citytwin.io.safe_io.gzip_limit`,
    a ratio of the archive's size, at least 64 MB) and at most ``--max-memory``."""
    from citytwin.io.safe_io import gzip_limit

    try:
        return gzip_limit(path, whole=True)
    except Exception:  # noqa: BLE001 - the worker reports the unreadable file itself
        return 0


class _Pool:
    """Idle workers of this process (a forked child starts with an empty pool)."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.idle: list[Worker] = []
        self.pid = os.getpid()

    def acquire(self) -> Worker:
        with self.lock:
            if self.pid != os.getpid():
                self.idle, self.pid = [], os.getpid()
            while self.idle:
                w = self.idle.pop()
                if w.alive():
                    return w
                w.kill()
        return Worker()

    def release(self, w: Worker) -> None:
        with self.lock:
            if self.pid == os.getpid() and w.alive() and w.jobs < _MAX_JOBS and len(self.idle) < _MAX_IDLE:
                self.idle.append(w)
                return
        w.close()

    def shutdown(self) -> None:
        with self.lock:
            idle, self.idle = self.idle, []
        for w in idle:
            w.close()


_POOL = _Pool()
atexit.register(_POOL.shutdown)


def shutdown_workers() -> None:
    """Stop the idle workers (they also stop by themselves when this process exits)."""
    _POOL.shutdown()


def hang_timeout_default() -> float:
    """``CITYTWIN_IFC_HANG_TIMEOUT`` seconds if set (and positive), else :data:`DEFAULT_HANG_TIMEOUT`."""
    try:
        v = float(os.environ.get("CITYTWIN_IFC_HANG_TIMEOUT", ""))
        return v if v > 0 else DEFAULT_HANG_TIMEOUT
    except ValueError:
        return DEFAULT_HANG_TIMEOUT


def stall_timeout(hang_timeout: float) -> float:
    """Seconds without shapes after which a running iterator counts as stalled (see the module doc):
    a tenth of ``hang_timeout``, at least 1 s, at most half of it."""
    return min(0.5 * hang_timeout, max(1.0, 0.1 * hang_timeout))


def _add_shapes(run: GeometryRun, msg: tuple) -> None:
    import numpy as np

    _, ids, nv, nf, vb, fb = msg
    verts = np.frombuffer(vb, dtype=np.float64).reshape(-1, 3)
    faces = np.frombuffer(fb, dtype=np.int32).reshape(-1, 3)
    vo = np.concatenate([[0], np.cumsum(nv)])
    fo = np.concatenate([[0], np.cumsum(nf)])
    for k, i in enumerate(ids):
        run.shapes[i] = (verts[vo[k]:vo[k + 1]], faces[fo[k]:fo[k + 1]])


def _drain(w: Worker, run: GeometryRun, timeout: float,
           on_meta: Callable[[dict[str, Any]], None] | None,
           stall: float | None = None) -> tuple[str, int | None, str | None]:
    """Read one job's messages; returns (outcome, element being processed, fatal message).

    outcome: "done", "fatal", "died" (the stream ended), "lost" (a reused worker ended before
    its first message: it died while idle) or "hung" (nothing for ``timeout`` s, or for
    ``stall`` s once the file description has arrived: iterator mode).
    """
    current = None
    first = True
    while True:
        if not w.ready:
            wait = max(timeout, BOOT_TIMEOUT)
        elif stall is not None and run.meta is not None:
            wait = stall
        else:
            wait = timeout
        msg = w.next_message(wait)
        if msg is None:
            run.waited += wait
            return "hung", current, None
        kind = msg[0]
        if kind == "ready":  # the start-up is not the file's fault: the hang clock starts now
            w.ready = True
            continue
        if first and kind == "eof" and w.jobs > 1:
            return "lost", None, None
        first = False
        if kind == "shapes":
            _add_shapes(run, msg)
            current = None
        elif kind == "start":
            current = msg[1]
        elif kind == "problem":
            run.problems.append((msg[1], msg[2]))
            current = None
        elif kind == "meta":
            run.meta = msg[1]
            if on_meta is not None:
                on_meta(run.meta)
        elif kind == "fatal":
            return "fatal", None, msg[1]
        elif kind == "done":
            return "done", None, None
        elif kind == "eof":
            return "died", current, None


def crash_text(code: int | None) -> str:
    """``"crashed (exit code -11, SIGSEGV)"``: how a worker ended, with the signal's name."""
    name = ""
    if code is not None and code < 0:
        try:
            name = f", {signal.Signals(-code).name}"
        except ValueError:
            pass
    return f"crashed (exit code {code}{name})"


def _last_words(w: Worker) -> str:
    """The worker's last non-empty stderr line as ``" (the worker said: ...)"`` (a start-up failure,
    e.g. IfcOpenShell missing), or ""."""
    lines = [x.strip() for x in w.stderr_tail() if x.strip()]
    return f" (the worker said: {lines[-1][:300]})" if lines else ""


def run_geometry(path: Path, threads: int | None = None, max_restarts: int = 50,
                 hang_timeout: float | None = None,
                 on_meta: Callable[[dict[str, Any]], None] | None = None,
                 on_started: Callable[[], None] | None = None) -> GeometryRun:
    """Describe and tessellate an IFC file in a worker process, surviving kernel crashes and hangs.

    Parameters
    ----------
    path : the IFC file
    threads : geometry threads (default: all cores)
    max_restarts : give up (with a problem) after this many crashes or hangs
    hang_timeout : seconds without progress before the worker is killed (default:
        :func:`hang_timeout_default`)
    on_meta : called with the file description as soon as it arrives, while the worker goes on
        tessellating (the parent overlaps its own work with the geometry)
    on_started : called once the first job is sent, while the worker starts up or parses

    Raises
    ------
    InputError : the file cannot be parsed, or the parser itself crashed or hung
    """
    from citytwin.errors import InputError

    run = GeometryRun()
    threads = threads or ifc_worker.default_threads()
    timeout = hang_timeout if hang_timeout and hang_timeout > 0 else hang_timeout_default()
    stall = stall_timeout(timeout)
    element_timeout = timeout  # per element in "elements" mode; less after an iterator stall
    mode, ids, excluded = "iterator", None, set()
    while True:
        w = _POOL.acquire()
        job = {"path": str(path), "mode": mode, "ids": ids, "threads": threads, "with_meta": run.meta is None,
               "crash_guid": os.environ.get(ifc_worker._CRASH_ENV),
               "hang_guid": os.environ.get(ifc_worker._HANG_ENV), "unzip_limit": _unzip_limit(path)}
        outcome, stuck_on, fatal, code = "died", None, None, None
        try:
            if w.submit(job):
                if on_started is not None:
                    on_started()
                    on_started = None
                outcome, stuck_on, fatal = _drain(w, run, timeout if mode == "iterator" else element_timeout,
                                                  on_meta, stall if mode == "iterator" else None)
            elif w.jobs > 1:
                outcome = "lost"
        finally:
            if outcome in ("done", "fatal"):
                _POOL.release(w)
            else:  # crashed, hung, or the parent itself was interrupted: never reuse this worker
                code = w.kill()
        if outcome == "lost":  # an idle worker that had died: not this file's fault, start a fresh one
            continue
        if outcome == "died" and not w.ready and w.fast:  # the fast start does not work here
            _fast_boot["on"] = False
            continue
        if outcome == "fatal":
            assert fatal is not None
            if "ifcxml" in fatal.lower():
                raise InputError(path, "ifcXML cannot be read (IfcOpenShell reads IFC-SPF STEP only); "
                                 "save it as .ifc")
            raise InputError(path, f"cannot be parsed as IFC ({fatal.splitlines()[0]})")
        if outcome == "done":
            return run
        what = crash_text(code)
        if outcome == "hung":
            if mode == "iterator" and run.meta is not None:  # shapes were flowing: a stall
                what = f"made no progress for {stall:g} s (killed)"
                element_timeout = timeout - stall
            else:
                wait = timeout if mode == "iterator" else element_timeout
                what = f"made no progress for {wait:g} s (killed)"
                if wait < timeout:  # the rest of the budget after an iterator stall
                    what = (f"made no progress for {wait:g} s (killed; with the {stall:g} s iterator stall "
                            f"before, the {timeout:g} s hang timeout)")
        if run.meta is None:
            if mode == "iterator":  # the kernel died or stuck early (the file is described after
                # the iterator starts): describe it first, then every element one by one
                run.problems.append((None, f"the geometry iterator {what} before the file was described; "
                                           "elements tessellated one by one"))
                run.restarts += 1
                mode, ids = "elements", None
                continue
            said = _last_words(w) if not w.ready else ""
            raise InputError(path, f"the IFC parser {what} before reading the file{said}")
        if stuck_on is not None:
            excluded.add(stuck_on)
            run.problems.append((stuck_on, f"the geometry kernel {what} on this element; element skipped"))
        elif mode == "iterator":
            run.problems.append((None, f"the geometry iterator {what}; remaining elements tessellated one by one"))
        run.restarts += 1
        if run.restarts > max_restarts:
            run.problems.append((None, f"gave up after {max_restarts} geometry kernel crashes or hangs"))
            return run
        mode = "elements"
        ids = [i for i in run.meta["products"] if i not in run.shapes and i not in excluded]
