"""What a worker does with one file: the per-file tasks of a batch.

A task gets a :class:`FileJob` (plain data, pickled to the worker), runs the single-file command
(:func:`~citytwin.app.commands.convert.run_convert`, :func:`~citytwin.app.commands.info.run_info`,
solar, shadow), writes its outputs atomically, then the resume record, and returns a
:class:`~citytwin.app.commands.batch_report.FileRecord` as a dict. Errors never escape: a bad
file becomes a ``failed`` record naming the file and the place, and the batch goes on. Only the
death of the worker process itself is left to Dask, which reruns the task on another worker.

A task run in-process (``--workers 0``, the GUI's "in this process") is given the batch's
progress: the single-file command checks it between ray chunks and time steps, so Cancel stops a
long file within about a second, before anything of it is written (``Cancelled`` is the one
exception a task lets through).
"""

from __future__ import annotations

import json
import os
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from citytwin.app.commands.batch_report import FileRecord
from citytwin.app.commands.progress import Progress, ProgressLike
from citytwin.app.commands.studies import STUDIES
from citytwin.app.commands.worker_memory import release_memory, tune_allocator
from citytwin.errors import Cancelled, CityTwinError


@dataclass(frozen=True)
class FileJob:
    """One unit of work: one input file (a tile) and where its outputs go.

    Attributes
    ----------
    index : position of the input in the batch (the report's order)
    command : ``convert``, ``info``, ``solar`` or ``shadow``
    input : absolute input path
    output : absolute path of the main output (the resume record sits beside it)
    options : the command's options (JSON values), the same for every file of the batch
    key : digest of command and options (:func:`~citytwin.app.commands.batch_resume.options_key`)
    context : neighbouring tiles loaded as occluders (solar, shadow), absolute paths
    extra_outputs : other outputs of the file (CSV, PNG, ...), absolute paths
    """

    index: int
    command: str
    input: str
    output: str
    options: dict[str, Any]
    key: str
    context: tuple[str, ...] = ()
    extra_outputs: tuple[str, ...] = field(default_factory=tuple)


#: a task's counts may carry its warnings (messages) under this key; run_job moves them to the record
WARNINGS_KEY = "warnings"
SHOWN_WARNINGS = 10


def _convert(job: FileJob, progress: ProgressLike) -> dict[str, Any]:
    from citytwin.app.commands.convert import ConvertParams, run_convert

    o = job.options
    params = ConvertParams(
        input=Path(job.input), output=Path(job.output), crs=o.get("crs"), assign_crs=o.get("assign_crs"),
        lod=o.get("lod"), types=tuple(o.get("types") or ()),
        bbox=tuple(o["bbox"]) if o.get("bbox") else None,  # type: ignore[arg-type]
        precision=o.get("precision"), format=o.get("format"), fast_path=False,
        options=(("citygml_version", o["citygml_version"]),) if o.get("citygml_version") else (),
    )
    res = run_convert(params, progress)
    counts: dict[str, Any] = {"objects": res.objects, "problems": res.problems}
    if res.write_problems:  # what the output format could not hold: counted, the first ones kept
        counts["written_differently"] = len(res.write_problems)
        counts[WARNINGS_KEY] = list(res.write_problems[:SHOWN_WARNINGS])
    return counts


def _info(job: FileJob, progress: ProgressLike) -> dict[str, Any]:
    from citytwin.app.commands.info import InfoParams, run_info
    from citytwin.io.atomic import atomic_write_text

    res = run_info(InfoParams(Path(job.input), job.options.get("input_format"),
                              int(job.options.get("max_problems", 200))), progress)
    d = res.to_dict()
    atomic_write_text(job.output, json.dumps(d, indent=1, ensure_ascii=False, default=str))
    return {"objects": d["objects"], "vertices": d["vertices"], "triangles": d["triangles"],
            "problems": d["problem_count"]}


def _solar(job: FileJob, progress: ProgressLike) -> dict[str, Any]:
    from citytwin.app.commands.batch_solar import solar_tile

    return solar_tile(job, progress)


#: command -> function(job, progress) -> counts; each writes ``job.output`` (and ``job.extra_outputs``)
#: atomically. A cancel (``progress`` raising Cancelled) therefore leaves no half-written file, and
#: no resume record: a file cancelled after its output was in place is simply redone next time.
TASKS: dict[str, Callable[[FileJob, ProgressLike], dict[str, Any]]] = {
    "convert": _convert,
    "info": _info,
    **{name: _solar for name, st in STUDIES.items() if st.batch},  # the studies a batch runs per tile
}


def _worker_address() -> str | None:
    import sys

    if "distributed" not in sys.modules:  # not on a Dask worker (importing it costs 1-4 s)
        return None
    try:
        from distributed import get_worker

        return get_worker().address
    except (ImportError, ValueError):
        return None


def _error_text(job: FileJob, exc: BaseException) -> str:
    msg = str(exc) or type(exc).__name__
    if isinstance(exc, CityTwinError):
        text = msg
    elif isinstance(exc, MemoryError):
        text = "out of memory"
    else:  # a bug or a library error: keep its type so it can be reported
        text = f"{type(exc).__name__}: {msg}"
    if job.input not in text and Path(job.input).name not in text:
        text = f"{job.input}: {text}"
    return text


def run_job(job: FileJob, progress: ProgressLike | None = None) -> dict[str, Any]:
    """Run one file; returns a FileRecord dict (status ``ok`` or ``failed``).

    The input (and context) stamps are taken before the work starts, so a file changed while it
    was being processed is redone on the next run.

    Parameters
    ----------
    progress : the file's share of the batch progress (in-process runs); on a Dask worker none

    Raises
    ------
    Cancelled : only when ``progress`` was cancelled; the file's outputs are then not written
        (nor its resume record), so the next run does it again
    """
    from citytwin.app.commands.batch_resume import FileStamp, write_record

    t0 = time.perf_counter()
    outputs = [Path(job.output), *map(Path, job.extra_outputs)]
    worker = _worker_address()
    if worker is not None:  # a Dask worker: see worker_memory for why (+30-40% CPU otherwise)
        tune_allocator()
    rec = FileRecord(input=job.input, outputs=[str(p) for p in outputs], worker=worker)
    try:
        stamps = [FileStamp.of(job.input), *(FileStamp.of(c) for c in job.context)]
        os.makedirs(Path(job.output).parent, exist_ok=True)
        counts = TASKS[job.command](job, progress if progress is not None else Progress())
        rec.warnings = counts.pop(WARNINGS_KEY, [])
        write_record(Path(job.output), job.command, job.key, stamps, [p for p in outputs if p.exists()], counts)
        rec.status, rec.counts = "ok", counts
    except Cancelled:
        raise
    except FileNotFoundError as exc:
        rec.status, rec.error = "failed", f"{exc.filename or job.input}: no such file"
    except Exception as exc:  # noqa: BLE001 - keep going: every failure becomes a report entry
        rec.status, rec.error = "failed", _error_text(job, exc)
    if worker is not None:
        release_memory()
    rec.duration_s = time.perf_counter() - t0
    return rec.to_dict()
