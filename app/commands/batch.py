"""``batch``: one command over thousands of files or tiles, on a Dask cluster.

:func:`run_batch` is the one entry point for the CLI (``citytwin batch ...``) and the GUI (a
dialog over a folder calls it from a worker thread with a
:class:`~citytwin.app.commands.progress.Progress`; it imports no Qt).

How a run goes:

1. the inputs (files, folders, globs) are expanded; each file gets an output path under OUTDIR
   mirroring its name (:mod:`~citytwin.app.commands.batch_inputs`);
2. a file whose outputs are complete and made from the same input content and options is
   skipped (:mod:`~citytwin.app.commands.batch_resume`);
3. the others become one Dask task each, on a ``LocalCluster`` of worker processes (one thread
   each, so one file per process and a memory limit per worker) or on an existing cluster
   (``scheduler="tcp://host:8786"``); largest files are submitted first;
4. each task runs the single-file command and returns a record; a failing file is recorded and
   the rest goes on; a worker that dies (killed, out of memory) has its task rerun on another
   worker by the scheduler;
5. the report (:mod:`~citytwin.app.commands.batch_report`) is rewritten every few seconds and at
   the end as ``OUTDIR/batch-report.json``.

Every task is deterministic and independent of the others, so the outputs are byte-identical
whatever the number of workers (tested).
"""

from __future__ import annotations

import os
import time
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Iterator

from citytwin.app.commands.batch_inputs import REPORT_NAME, BatchInput, expand_inputs, output_name, \
    strip_model_suffix
from citytwin.app.commands.batch_report import BatchReport, FileRecord
from citytwin.app.commands.batch_resume import run_lock
from citytwin.app.commands.batch_tasks import FileJob, run_job
from citytwin.app.commands.batch_watchdog import FileLimits
from citytwin.app.commands.progress import Progress, SubProgress
from citytwin.errors import CityTwinError, InputError, OutputError, UsageError

COMMANDS = ("convert", "info", "solar", "shadow")
EXIT_OK, EXIT_PARTIAL = 0, 3
#: seconds without a finished file before the client asks the scheduler whether it has workers
WORKER_CHECK_S = 2.0


@dataclass(frozen=True)
class BatchParams:
    """A batch run.

    Attributes
    ----------
    command : ``convert``, ``info``, ``solar`` or ``shadow``
    inputs : files, folders (searched recursively) or glob patterns
    outdir : output folder (created); outputs mirror the input names
    options : the single command's options as (name, JSON value) pairs, e.g.
        ``(("format", "cityjsonseq"), ("crs", "EPSG:28992"))`` for convert
    workers : worker processes of the local cluster; None: the number of cores; 0: no Dask,
        run the files one after the other in this process
    scheduler : address of an existing Dask scheduler (``tcp://host:8786``); ``workers`` and
        ``memory_limit`` are then the cluster's business
    memory_limit : per worker process (``"4GiB"``, or ``"auto"``: the machine's memory / workers);
        a worker over it is restarted and its file rerun, then reported as failed
    force : redo every file even when its outputs are up to date
    context_buffer : metres around a tile in which neighbouring tiles are loaded as occluders
        (solar, shadow)
    retries : extra attempts of a task whose execution raised inside Dask (not file errors)
    no_worker_timeout : seconds a cluster may have no worker at all before the run stops
    file_limits : the watchdog's per-file wall-time and memory limits; each file runs in a
        watched child process (:mod:`~citytwin.app.commands.batch_watchdog`) unless both are None
    """

    command: str
    inputs: tuple[str, ...]
    outdir: Path
    options: tuple[tuple[str, Any], ...] = ()
    workers: int | None = None
    scheduler: str | None = None
    memory_limit: str = "auto"
    force: bool = False
    context_buffer: float = 100.0
    retries: int = 1
    no_worker_timeout: float = 120.0
    file_limits: FileLimits = FileLimits()


@dataclass(frozen=True)
class BatchResult:
    """The finished run: its report, where it was written, and the exit code (0 or 3)."""

    report: BatchReport
    report_path: Path

    @property
    def exit_code(self) -> int:
        return EXIT_PARTIAL if self.report.failed else EXIT_OK


#: the per-file function: ``task(job)`` or, in-process, ``task(job, progress=...)`` when it takes one
Task = Callable[..., dict[str, Any]]


# -- planning -------------------------------------------------------------------------------------
def plan_jobs(params: BatchParams, inputs: list[BatchInput], conn=None) -> list[FileJob]:
    """One job per input: output paths, options and (solar, shadow) context tiles."""
    from citytwin.app.commands.batch_resume import options_key

    opts = dict(params.options)
    outdir = Path(params.outdir).resolve()
    if params.command == "convert":
        jobs = []
        for i, inp in enumerate(inputs):
            rel, fmt = output_name(inp.rel, opts.get("format"))
            o = {**opts, "format": fmt}
            jobs.append(FileJob(i, "convert", str(inp.path), str(outdir / rel), o, options_key("convert", o)))
        return jobs
    if params.command == "info":
        key = options_key("info", opts)
        return [FileJob(i, "info", str(inp.path), str(outdir / (strip_model_suffix(inp.rel) + ".info.json")),
                        opts, key) for i, inp in enumerate(inputs)]
    if params.command in ("solar", "shadow"):
        from citytwin.app.commands.batch_solar import plan_tile_jobs

        return plan_tile_jobs(params, inputs, outdir, conn)
    raise UsageError(f"unknown batch command {params.command!r} (choose from {', '.join(COMMANDS)})")


# -- executing ------------------------------------------------------------------------------------
def open_client(workers: int | None, scheduler: str | None, memory_limit: str = "auto"):
    """A Dask client: on ``scheduler`` when given, else on a new LocalCluster of processes.

    Returns
    -------
    (client, cluster or None) : close both when done (the cluster only when we made it)
    """
    import logging

    from distributed import Client, LocalCluster

    if scheduler:
        try:
            return Client(scheduler, timeout="20s"), None
        except (OSError, TimeoutError) as exc:
            raise UsageError(f"cannot reach the Dask scheduler at {scheduler} ({exc})") from None
    n = workers if workers is not None else (os.cpu_count() or 1)
    # ":0": the dashboard on a free port (None would still bind the default 8787 and warn when taken)
    # preload: the workers ignore Ctrl-C, the batch stops them (batch_watchdog.dask_setup)
    cluster = LocalCluster(n_workers=n, threads_per_worker=1, processes=True, memory_limit=memory_limit,
                           dashboard_address=":0", silence_logs=logging.ERROR,
                           preload=["citytwin.app.commands.batch_watchdog"])
    return Client(cluster), cluster


def reap_workers(procs: list, grace: float = 10.0) -> list[int]:
    """Wait up to ``grace`` seconds for ``procs`` (``multiprocessing`` processes) to exit, then
    terminate, then kill what is left. Returns the pids that had to be terminated or killed."""
    deadline = time.monotonic() + grace
    for p in procs:
        p.join(max(0.0, deadline - time.monotonic()))
    forced = [p for p in procs if p.is_alive()]
    for p in forced:
        p.terminate()
    for p in forced:
        p.join(5.0)
        if p.is_alive():
            p.kill()
            p.join(5.0)
    return [p.pid for p in forced]


def _killed_record(job: FileJob, exc: BaseException) -> dict[str, Any]:
    from distributed import KilledWorker

    if isinstance(exc, KilledWorker):
        msg = (f"{job.input}: the worker processing it died repeatedly (over its memory limit, or killed); "
               "the file was tried on several workers")
    else:
        msg = f"{job.input}: the task failed in Dask: {type(exc).__name__}: {exc}"
    return FileRecord(input=job.input, outputs=[job.output], status="failed", error=msg).to_dict()


def _run_on_dask(client, jobs: list[FileJob], task: Task, retries: int,
                 check: Callable[[], None] | None = None,
                 no_worker_timeout: float = 120.0) -> Iterator[tuple[FileJob, dict]]:
    """Submit every job (largest files first) and yield (job, record) as they finish.

    ``check`` is called about every 0.05 s while waiting (it raises to cancel: the futures not done
    are then cancelled on the cluster). A cluster left without any worker for ``no_worker_timeout``
    seconds stops the run with an error instead of waiting for ever.
    """
    from distributed import as_completed

    token = uuid.uuid4().hex[:8]
    order = sorted(jobs, key=lambda j: -_size(j.input))  # largest first: shorter tail
    futures = {client.submit(task, j, key=f"citytwin-{j.command}-{j.index}-{token}", pure=False,
                             retries=retries): j for j in order}
    ac = as_completed(futures)
    workers_seen = last_asked = time.monotonic()
    try:
        while not ac.is_empty():
            batch = ac.next_batch(block=False)
            if not batch:
                if check is not None:
                    check()
                time.sleep(0.05)
                now = time.monotonic()
                # asking the scheduler is a round trip through its event loop: asked every 0.05 s
                # it cost the client ~40 ms of CPU per task (py-spy), so only when no file has
                # finished for a while, and with one worker's details instead of all
                if now - max(workers_seen, last_asked) < min(WORKER_CHECK_S, no_worker_timeout / 2):
                    continue
                last_asked = now
                if client.scheduler_info(n_workers=1).get("workers"):
                    workers_seen = now
                elif now - workers_seen > no_worker_timeout:
                    raise CityTwinError(f"the Dask cluster at {client.scheduler.address} has had no worker "
                                        f"for {no_worker_timeout:.0f} s; the files not done are reported "
                                        "not-run (start workers, then run the same command again)")
                continue
            workers_seen = time.monotonic()  # a result came back: some worker is alive
            for fut in batch:
                job = futures[fut]
                try:
                    rec = fut.result()
                except Exception as exc:  # noqa: BLE001 - KilledWorker and Dask-level failures
                    rec = _killed_record(job, exc)
                fut.release()
                yield job, rec
    finally:
        pending = [f for f in futures if not f.done()]
        if pending:
            client.cancel(pending)


def _run_inline(jobs: list[FileJob], task: Task, progress: Progress, done: int,
                total: int) -> Iterator[tuple[FileJob, dict]]:
    """Run the jobs one after the other in this process.

    A task that takes a ``progress`` argument (:func:`~citytwin.app.commands.batch_tasks.run_job`
    does) gets the file's share of the batch progress, ``[done/total, (done+1)/total]``: its
    command reports and checks cancellation inside the file (between ray chunks of a solar
    study), so Cancel does not wait for a long file to finish.
    """
    import inspect

    try:
        takes_progress = "progress" in inspect.signature(task).parameters
    except (TypeError, ValueError):  # a callable without a signature
        takes_progress = False
    for j in jobs:
        progress.check()
        if takes_progress:
            yield j, task(j, progress=_FileProgress(progress, done / total, (done + 1) / total,
                                                    Path(j.input).name))
        else:
            yield j, task(j)
        done += 1


class _FileProgress(SubProgress):
    """A file's share of the batch progress; its messages name the file (``t_0_0.city.json: ...``)."""

    def __init__(self, parent: Progress, start: float, stop: float, name: str) -> None:
        super().__init__(parent, start, stop)
        self.name = name

    def update(self, fraction: float, message: str | None = None) -> None:
        super().update(fraction, f"{self.name}: {message}" if message else None)


def _size(path: str) -> int:
    try:
        return os.path.getsize(path)
    except OSError:
        return 0


# -- the run --------------------------------------------------------------------------------------
def prepare_outdir(outdir: str | Path) -> Path:
    """Create the output folder (and its parents) and check that it can be written.

    Raises
    ------
    OutputError : the path is a file, or the folder cannot be created or written
    """
    p = Path(outdir)
    if p.exists() and not p.is_dir():
        raise OutputError(f"{p}: is a file, not a folder; choose an output folder")
    try:
        p.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"{p}: cannot create the output folder ({exc.strerror or exc})") from None
    if not os.access(p, os.W_OK | os.X_OK):
        raise OutputError(f"{p}: the output folder is not writable")
    return p


def run_batch(params: BatchParams, progress: Progress | None = None, client=None,
              on_record: Callable[[FileRecord], None] | None = None, task: Task | None = None,
              report_every: float = 5.0) -> BatchResult:
    """Run a batch; returns its report (also written to ``OUTDIR/batch-report.json``).

    Parameters
    ----------
    params : what to run
    progress : fraction = files finished / files; cancelling it stops the batch (files not
        started are reported ``not-run``, the report is written, then Cancelled is raised)
    client : an existing ``distributed.Client`` to run on (the GUI or a test may keep one);
        by default one is made from ``params`` and closed at the end
    on_record : called on this thread with each finished or skipped file's record
    task : the per-file function (default :func:`~citytwin.app.commands.batch_tasks.run_job`, in a
        watched child process when ``params.file_limits`` has a limit)
    report_every : seconds between rewrites of the report during the run

    Raises
    ------
    InputError : no input file found
    UsageError : bad options, unreachable scheduler
    OutputError : the output folder cannot be created or written
    """
    progress = progress or Progress()
    if task is None:
        task = default_task(params.file_limits)
    if params.command not in COMMANDS:
        raise UsageError(f"unknown batch command {params.command!r} (choose from {', '.join(COMMANDS)})")
    outdir = Path(params.outdir)
    inputs = expand_inputs(list(params.inputs), outdir)
    if not inputs:
        raise InputError(", ".join(map(str, params.inputs)), "no city model files found")
    prepare_outdir(outdir)
    with run_lock(outdir):  # a second run on the same folder is refused, naming this one
        return _run_locked(params, progress, client, on_record, task, report_every, outdir, inputs)


def default_task(limits: FileLimits) -> Task:
    """:func:`~citytwin.app.commands.batch_tasks.run_job`, watched when ``limits`` has a limit."""
    if not limits.active:
        return run_job
    import functools

    from citytwin.app.commands.batch_watchdog import run_watched

    return functools.partial(run_watched, limits=limits)


def _run_locked(params: BatchParams, progress: Progress, client, on_record, task: Task, report_every: float,
                outdir: Path, inputs) -> BatchResult:
    report_path = outdir / REPORT_NAME
    progress.update(0.0, f"{len(inputs)} files")

    conn = _Connection(params, client)
    try:
        jobs = plan_jobs(params, inputs, conn)
        report = BatchReport(params.command, dict(params.options), str(outdir.resolve()),
                             [FileRecord(input=j.input, outputs=[j.output, *j.extra_outputs]) for j in jobs])
        todo = _skip_up_to_date(jobs, report, params.force, on_record)
        done = len(jobs) - len(todo)
        progress.update(done / len(jobs), f"{done} of {len(jobs)} files up to date")
        runner = _run_inline(todo, task, progress, done, len(jobs))
        if todo and not conn.inline:
            runner = _run_on_dask(conn.get(), todo, task, params.retries, progress.check, params.no_worker_timeout)
        report.cluster = conn.info()
        last_write = time.monotonic()
        objects = int(sum(r.counts.get("objects", 0) or 0 for r in report.files if r.status == "skipped"))
        try:
            for job, rec in runner:
                r = FileRecord(**rec)
                report.files[job.index] = r
                done += 1
                if on_record is not None:
                    on_record(r)
                if time.monotonic() - last_write > report_every:
                    report.write(report_path)
                    last_write = time.monotonic()
                objects += int(r.counts.get("objects", 0) or 0)
                nfail = len(report.failed)
                progress.update(done / len(jobs), f"{done}/{len(jobs)} files, {objects:,} objects"
                                + (f", {nfail} failed" if nfail else ""))
        except BaseException:  # cancelled, interrupted, cluster lost: the report says what was done
            # the scheduler of a cluster torn down mid-run logs "Couldn't gather keys ... forgotten"
            # from its own thread, after our one error line (seen in CI on SIGTERM): the report
            # already says which files were not run, so those teardown logs are silenced
            import logging

            for name in [n for n in list(logging.root.manager.loggerDict) if n.split(".")[0] == "distributed"]:
                logging.getLogger(name).setLevel(logging.CRITICAL)  # silence_logs set each one's own level
            # first stop what may still write (our workers, the watched file process), then read
            # the disk: a file finished meanwhile would otherwise be on disk but listed not-run
            _stop_quietly(conn)
            _settle_not_run(jobs, report, on_record)
            report.finished = time.time()
            report.write(report_path)
            raise
        report.finished = time.time()
        report.write(report_path)
        return BatchResult(report, report_path)
    finally:
        _stop_quietly(conn)


def _stop_quietly(conn: "_Connection") -> None:
    """Close the cluster we made and this thread's watched file process, whatever happens
    (a second Ctrl-C while closing must not leave workers behind or print a traceback)."""
    from citytwin.app.commands.batch_watchdog import close_runner

    for step in (conn.close, close_runner):
        try:
            step()
        except (Exception, KeyboardInterrupt):  # noqa: BLE001 - closing goes on
            pass


class _Connection:
    """The Dask client, opened on first use (a run where everything is up to date starts none)."""

    def __init__(self, params: BatchParams, client=None) -> None:
        self.params, self.client = params, client
        self._own = False
        self._cluster = None
        self._children_before: set[int | None] = set()

    @property
    def inline(self) -> bool:
        return self.client is None and self.params.workers == 0

    def get(self):
        if self.client is None:
            import multiprocessing

            self._children_before = {p.pid for p in multiprocessing.active_children()}
            self.client, self._cluster = open_client(self.params.workers, self.params.scheduler,
                                                     self.params.memory_limit)
            self._own = True
        return self.client

    def info(self) -> dict[str, Any]:
        if self.client is None:
            return {"type": "in-process" if self.params.workers == 0 else "none (nothing to do)"}
        try:
            n = len(self.client.scheduler_info().get("workers", {}))
        except Exception:  # noqa: BLE001 - informative only
            n = None
        kind = "scheduler" if self.params.scheduler else "local"
        return {"type": kind, "address": self.client.scheduler.address, "workers": n,
                "dashboard": getattr(self.client, "dashboard_link", None)}

    def close(self) -> None:
        """Close the client and the cluster we made; no worker process outlives the run.

        On a loaded machine a cancelled run's ``LocalCluster.close`` can time out or a nanny can
        have restarted its worker, leaving worker processes running (seen in CI: two after a
        one-worker run). Each step is guarded, then the worker processes this run started that
        are still alive are terminated (:func:`reap_workers`).
        """
        if not self._own:
            return
        import logging
        import multiprocessing

        before = set(self._children_before)
        for step in (self.client.close, getattr(self._cluster, "close", None)):
            if step is None:
                continue
            try:
                step()
            except Exception as exc:  # noqa: BLE001 - closing must go on to the reaping below
                logging.getLogger(__name__).warning("closing the Dask cluster: %s", exc)
        left = [p for p in multiprocessing.active_children()
                if p.pid not in before and p.name.startswith("Dask Worker")]
        forced = reap_workers(left)
        if forced:
            logging.getLogger(__name__).warning("terminated Dask worker processes left by the closed "
                                                "cluster: %s", forced)
        self.client, self._cluster, self._own = None, None, False


def _settle_not_run(jobs: list[FileJob], report: BatchReport,
                    on_record: Callable[[FileRecord], None] | None = None) -> None:
    """After an interruption, a file still listed ``not-run`` whose output and resume record were
    written meanwhile (a worker finished it while the run was stopping) is ``ok`` with its
    recorded result, so the report matches what is on disk; ``on_record`` (the GUI's table) is
    told, so it matches the report."""
    from citytwin.app.commands.batch_resume import up_to_date

    for j in jobs:
        r = report.files[j.index]
        if r.status != "not-run":
            continue
        try:
            result = up_to_date(Path(j.output), j.key, [j.input, *j.context])
        except Exception:  # noqa: BLE001 - a record that cannot be read leaves the file not-run
            result = None
        if result is not None:
            report.files[j.index] = r = FileRecord(input=j.input, outputs=[j.output, *j.extra_outputs],
                                                   status="ok", counts=result)
            if on_record is not None:
                try:
                    on_record(r)
                except Exception:  # noqa: BLE001 - the report is written whatever a listener does
                    pass


def _skip_up_to_date(jobs: list[FileJob], report: BatchReport, force: bool,
                     on_record: Callable[[FileRecord], None] | None) -> list[FileJob]:
    from citytwin.app.commands.batch_resume import up_to_date

    todo = []
    for j in jobs:
        result = None if force else up_to_date(Path(j.output), j.key, [j.input, *j.context])
        if result is None:
            todo.append(j)
            continue
        r = FileRecord(input=j.input, outputs=[j.output, *j.extra_outputs], status="skipped", counts=result)
        report.files[j.index] = r
        if on_record is not None:
            on_record(r)
    return todo
