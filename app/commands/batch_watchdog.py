"""The per-file watchdog of ``batch``: each file runs in a child process with a memory (RSS) and a
wall-time limit; a file over either is stopped, reported as that file's failure, and the run goes on.

Why a child process: a hostile or just enormous file can hold the interpreter inside one C call
(``json.loads`` of a 1 GB line, a zlib stream, an Embree scene) for minutes while its memory
grows; nothing in the same process can interrupt that. A thread could only watch. So every
batch worker (a Dask worker, or the CLI itself with ``--workers 0``) keeps one long-lived child
(:class:`FileRunner`) that runs :func:`~citytwin.app.commands.batch_tasks.run_job` for one file at
a time, and watches it from the outside:

- the child's resident memory, with that of its own children (the IFC geometry workers), is
  polled every :data:`POLL_S` seconds (``psutil``); over the limit, the child's whole process
  group is killed;
- so is a child that has worked on one file for longer than the time limit.

The killed child is replaced for the next file (lazily); the files it was not given are not
affected. A temporary ``.part`` file it was writing is removed at once (its process is gone).
The child is started once per worker with the command modules already imported, so the cost
per file is a pickled :class:`~citytwin.app.commands.batch_tasks.FileJob` and a record back
(about a millisecond), not a new interpreter.

In a run in the CLI's or the GUI's own process (``--workers 0``) the child sends the file's
progress back (the solar ray chunks: "t_0_0.city.json: 12,000 of 48,000 rays"), and Cancel
stops it at once (SIGTERM: its atomic writers remove their temporary files).

The child is in its own session: a Ctrl-C on the terminal reaches the batch (which stops it),
not the child, so it prints no traceback. It dies with its parent (``PR_SET_PDEATHSIG``) and on
the end of its input pipe.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from citytwin.errors import Cancelled, UsageError

#: default wall-time limit per file, seconds (``batch --file-timeout``)
DEFAULT_FILE_SECONDS = 3600.0
#: seconds between two looks at the child's memory and time
POLL_S = 0.05
#: the file's progress is forwarded to the batch at most this often (seconds), besides messages
PROGRESS_S = 0.05
#: seconds a stopped child gets to exit after SIGTERM (its atomic writers remove their temp
#: files) before its process group is killed
TERM_GRACE_S = 0.5


@dataclass(frozen=True)
class FileLimits:
    """Per-file limits of a batch.

    Attributes
    ----------
    seconds : wall time one file may take, seconds; None: no limit
    memory : resident memory (RSS) the process running one file, with its children, may use,
        bytes; None: no limit; ``"auto"`` is resolved in the worker (:func:`resolve_memory`)
    """

    seconds: float | None = DEFAULT_FILE_SECONDS
    memory: int | str | None = "auto"

    @property
    def active(self) -> bool:
        return self.seconds is not None or self.memory is not None


def parse_limits(seconds: float | str | None = DEFAULT_FILE_SECONDS,
                 memory: str | int | None = "auto") -> FileLimits:
    """The limits of the options ``--file-timeout SECONDS`` and ``--file-memory SIZE``.

    ``0``, ``"0"``, ``"none"`` or ``None`` switch a limit off; ``memory`` is ``"auto"`` (the worker's
    memory limit when it has one, else the machine's memory / cores) or a size (``"2G"``, ``"512M"``).

    Raises
    ------
    UsageError : a value that is not a number / a size, or a negative one
    """
    from citytwin.io.safe_io import parse_size

    s: float | None
    if seconds is None or str(seconds).strip().lower() in ("", "0", "none"):
        s = None
    else:
        try:
            s = float(seconds)
        except ValueError:
            raise UsageError(f"--file-timeout {seconds!r}: give seconds (0: no limit)") from None
        if not s > 0:
            raise UsageError(f"--file-timeout {seconds!r}: give a positive number of seconds (0: no limit)")
    m: int | str | None
    text = str(memory).strip().lower() if memory is not None else "none"
    if text in ("", "0", "none"):
        m = None
    elif text == "auto":
        m = "auto"
    else:
        try:
            m = parse_size(text)
        except ValueError:
            raise UsageError(f"--file-memory {memory!r}: give a size such as 2G or 512M (0: no limit)") from None
        if m <= 0:
            raise UsageError(f"--file-memory {memory!r}: give a positive size (0: no limit)")
    return FileLimits(s, m)


def resolve_memory(limit: int | str | None) -> int | None:
    """Bytes of the memory limit: ``"auto"`` is the Dask worker's memory limit when this runs on
    a worker that has one, else the machine's memory divided by its cores (the share of one
    worker of a default local cluster) for a Dask worker, and 80% of the machine's memory for
    a run in the CLI's own process."""
    if limit != "auto":
        return limit  # type: ignore[return-value]
    import psutil

    total = psutil.virtual_memory().total
    try:
        from distributed import get_worker

        w = get_worker()
    except (ImportError, ValueError):
        return int(total * 0.8)
    mm = getattr(w, "memory_manager", None)
    lim = getattr(mm, "memory_limit", None) or getattr(w, "memory_limit", None)
    return int(lim) if lim else total // (os.cpu_count() or 1)


def _mib(n: float) -> str:
    return f"{n / 2**30:.1f} GiB" if n >= 2**30 else f"{n / 2**20:.0f} MiB"


# -- the child ------------------------------------------------------------------------------------
def _child_main(rfd: int, wfd: int) -> None:
    """Body of the child: read jobs from ``rfd``, send records to ``wfd``, until the pipe ends."""
    from multiprocessing.connection import Connection

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the batch stops us; no KeyboardInterrupt here

    def _term(signum, frame):
        raise SystemExit(143)  # finally blocks (atomic writers) run

    signal.signal(signal.SIGTERM, _term)
    _die_with_parent()
    inbox, outbox = Connection(rfd), Connection(wfd)
    from citytwin.app.commands.batch_tasks import run_job
    from citytwin.app.commands.worker_memory import release_memory, tune_allocator

    tune_allocator()
    _warm_up()
    outbox.send(("ready", os.getpid()))
    from citytwin.app.commands.progress import Progress

    while True:
        try:
            job, forward = inbox.recv()
        except (EOFError, OSError):
            return
        rec = run_job(job, Progress(_forwarder(outbox)) if forward else None)
        release_memory()
        outbox.send(("record", rec))


def _forwarder(outbox):
    """A progress callback that sends the file's progress to the parent (messages always,
    fractions at most every :data:`PROGRESS_S` seconds)."""
    last = [0.0]

    def send(fraction: float, message: str | None) -> None:
        now = time.monotonic()
        if message is not None or now - last[0] >= PROGRESS_S:
            last[0] = now
            outbox.send(("progress", (fraction, message)))

    return send


def _warm_up() -> None:
    """Import what every file needs before the first file's clock starts: read the bundled
    sample once (8 KB; imports the reader, mesh and CRS modules, about a second)."""
    import importlib

    try:
        importlib.import_module("citytwin.app.commands.convert")
        from citytwin.app.commands.info import InfoParams, run_info

        run_info(InfoParams(Path(__file__).resolve().parents[2] / "resources" / "sample" / "3dbag_b2_v2.0.city.json"))
    except Exception:  # noqa: BLE001 - only a warm-up: a real file reports its own problems
        pass


def _die_with_parent() -> None:
    """Linux: SIGKILL this process when the thread that started it ends (the batch worker died)."""
    if not sys.platform.startswith("linux"):
        return
    try:
        import ctypes

        libc = ctypes.CDLL(None)
        libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


# -- the parent -----------------------------------------------------------------------------------
class FileRunner:
    """One watched child process that runs files one at a time (see the module docstring)."""

    def __init__(self) -> None:
        self.proc: subprocess.Popen | None = None
        self._inbox = self._outbox = None

    def _start(self) -> None:
        from multiprocessing.connection import Connection

        import citytwin

        r_job, w_job = os.pipe()
        r_rec, w_rec = os.pipe()
        env = dict(os.environ)
        pkg_parent = Path(citytwin.__file__).parent.parent  # a checkout found through PYTHONPATH
        if (pkg_parent / "citytwin").is_dir():
            env["PYTHONPATH"] = os.pathsep.join(p for p in (str(pkg_parent), env.get("PYTHONPATH")) if p)
        code = f"from citytwin.app.commands.batch_watchdog import _child_main; _child_main({r_job}, {w_rec})"
        try:
            self.proc = subprocess.Popen([sys.executable, "-c", code], pass_fds=(r_job, w_rec),
                                         stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, env=env,
                                         start_new_session=True)
        finally:
            os.close(r_job)
            os.close(w_rec)
        self._outbox, self._inbox = Connection(w_job), Connection(r_rec)
        deadline = time.monotonic() + 120.0
        while not self._inbox.poll(0.1):
            if self.proc.poll() is not None or time.monotonic() > deadline:
                code_ = self.proc.poll()
                self.close()
                raise RuntimeError(f"it ended with exit code {code_}" if code_ is not None
                                   else "it was not ready within 120 s")
        self._inbox.recv()  # ("ready", pid)

    def alive(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def run(self, job, limits: FileLimits, progress=None) -> dict[str, Any]:
        """Run ``job`` in the child within ``limits``; returns its FileRecord dict.

        Raises
        ------
        Cancelled : ``progress`` was cancelled (the child is stopped; the file is not recorded)
        """
        import psutil

        from citytwin.app.commands.batch_report import FileRecord

        if not self.alive():
            self.close()
            try:
                self._start()
            except Exception as exc:  # noqa: BLE001 - this file fails; the next one tries again
                self.close()
                return FileRecord(input=job.input, outputs=[job.output, *job.extra_outputs], status="failed",
                                  error=f"{job.input}: the process that reads it could not be started ({exc})"
                                  ).to_dict()
        memory = resolve_memory(limits.memory)
        assert self.proc is not None and self._inbox is not None and self._outbox is not None
        t0 = time.monotonic()
        self._outbox.send((job, progress is not None))  # the file's progress only when someone shows it
        me = psutil.Process(self.proc.pid)
        peak = 0
        reason = None
        try:
            while True:
                if self._inbox.poll(POLL_S):
                    try:
                        kind, rec = self._inbox.recv()
                    except (EOFError, OSError):  # died while answering: seen below
                        kind, rec = None, None
                    if kind == "record":
                        return rec
                    if kind == "progress" and progress is not None:
                        progress.update(*rec)  # raises Cancelled once cancelled
                if self.proc.poll() is not None:
                    code = self.proc.returncode
                    how = (f"was killed by {signal.Signals(-code).name}" if code < 0 and
                           -code in signal.valid_signals() else f"ended with exit code {code}")
                    reason = (f"{job.input}: the process reading it {how} (out of memory, or a crash "
                              "in a library)")
                    break
                elapsed = time.monotonic() - t0
                if limits.seconds is not None and elapsed > limits.seconds:
                    reason = (f"{job.input}: stopped after {elapsed:.1f} s, over the per-file time limit "
                              f"of {limits.seconds:g} s (batch --file-timeout)")
                    break
                if memory is not None:
                    rss = _tree_rss(me)
                    peak = max(peak, rss)
                    if rss > memory:
                        reason = (f"{job.input}: stopped at {_mib(rss)} of memory, over the per-file limit "
                                  f"of {_mib(memory)} (batch --file-memory)")
                        break
                if progress is not None:
                    progress.check()
        except (Cancelled, KeyboardInterrupt, SystemExit):
            self.stop(job)
            raise
        self.stop(job)
        return FileRecord(input=job.input, outputs=[job.output, *job.extra_outputs], status="failed",
                          error=reason, duration_s=time.monotonic() - t0).to_dict()

    def stop(self, job=None) -> None:
        """Stop the child (SIGTERM, then SIGKILL to its process group) and remove the temporary
        files it left next to ``job``'s outputs."""
        proc = self.proc
        if proc is not None and proc.poll() is None:
            try:
                os.kill(proc.pid, signal.SIGTERM)
                proc.wait(TERM_GRACE_S)
            except subprocess.TimeoutExpired:
                pass
            except ProcessLookupError:
                pass
        if proc is not None:
            try:
                os.killpg(proc.pid, signal.SIGKILL)  # the child and its IFC workers
            except (ProcessLookupError, PermissionError):
                pass
            proc.wait()
        self.close()
        if job is not None:
            from citytwin.io.safe_io import clean_stale_parts

            for p in {Path(job.output).parent, *(Path(o).parent for o in job.extra_outputs)}:
                clean_stale_parts(p)

    def close(self) -> None:
        """End the child: its input pipe is closed, so it returns when it is idle."""
        for c in (self._outbox, self._inbox):
            if c is not None:
                try:
                    c.close()
                except OSError:
                    pass
        self._inbox = self._outbox = None
        if self.proc is not None:
            try:
                self.proc.wait(5.0)
            except subprocess.TimeoutExpired:
                try:
                    os.killpg(self.proc.pid, signal.SIGKILL)
                except (ProcessLookupError, PermissionError):
                    pass
                self.proc.wait()
        self.proc = None


def _tree_rss(proc) -> int:
    """Resident bytes of ``proc`` and its descendants (0 for those that just ended)."""
    import psutil

    total = 0
    try:
        procs = [proc, *proc.children(recursive=True)]
    except psutil.Error:
        return 0
    for p in procs:
        try:
            total += p.memory_info().rss
        except psutil.Error:
            pass
    return total


_local = threading.local()


def _runner() -> FileRunner:
    r = getattr(_local, "runner", None)
    if r is None:
        r = _local.runner = FileRunner()
    return r


def close_runner() -> None:
    """End this thread's child (after an in-process batch run)."""
    r = getattr(_local, "runner", None)
    if r is not None:
        r.close()
        _local.runner = None


def run_watched(job, limits: FileLimits, progress=None) -> dict[str, Any]:
    """The batch task with the watchdog: :func:`~citytwin.app.commands.batch_tasks.run_job` of
    ``job`` in this thread's child process, within ``limits``; returns the FileRecord dict.

    Raises
    ------
    Cancelled : only when ``progress`` was cancelled
    """
    from citytwin.app.commands.batch_tasks import _worker_address

    rec = _runner().run(job, limits, progress)
    rec["worker"] = _worker_address()
    return rec


def dask_setup(worker) -> None:
    """Dask preload of the batch's local workers: Ctrl-C on the terminal reaches every process
    of its group, and a worker that took it died with KeyboardInterrupt tracebacks while the
    batch was stopping it anyway. The batch (the CLI's process) handles Ctrl-C and closes its
    cluster, so its workers ignore SIGINT."""
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGINT, signal.SIG_IGN)
