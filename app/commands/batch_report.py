"""The run report of a batch: one record per file, totals, written as ``OUTDIR/batch-report.json``.

Status of a file: ``ok`` (done in this run), ``skipped`` (outputs complete and up to date from
an earlier run), ``failed`` (error message recorded, the batch went on) or ``not-run`` (the batch
was cancelled before the file's turn). Records are listed in input order whatever order the
workers finished in, so two runs of the same batch give reports that differ only in times.
"""

from __future__ import annotations

import json
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from citytwin.io.atomic import atomic_write_text

STATUSES = ("ok", "skipped", "failed", "not-run")


@dataclass
class FileRecord:
    """What happened to one input file.

    Attributes
    ----------
    input : input path
    outputs : output paths written (or kept, when skipped)
    status : one of :data:`STATUSES`
    duration_s : seconds spent on the file by its worker (0 when skipped)
    counts : numbers the task reports (objects, problems, points, ...)
    error : one sentence naming the file and the place, when failed
    worker : address of the worker that ran it, when known
    warnings : what the output could not hold as the input had it (first few writer warnings;
        their number is ``counts["written_differently"]``)
    """

    input: str
    outputs: list[str] = field(default_factory=list)
    status: str = "not-run"
    duration_s: float = 0.0
    counts: dict[str, Any] = field(default_factory=dict)
    error: str | None = None
    worker: str | None = None
    warnings: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["duration_s"] = round(self.duration_s, 4)
        return d


@dataclass
class BatchReport:
    """A whole run: what was asked, per-file records (input order) and totals."""

    command: str
    options: dict[str, Any]
    outdir: str
    files: list[FileRecord]
    cluster: dict[str, Any] = field(default_factory=dict)
    started: float = field(default_factory=time.time)
    finished: float | None = None

    def totals(self) -> dict[str, Any]:
        t: dict[str, Any] = {s: 0 for s in STATUSES}
        for r in self.files:
            t[r.status] = t.get(r.status, 0) + 1
        t["files"] = len(self.files)
        objs = [r.counts.get("objects") for r in self.files if r.status in ("ok", "skipped")]
        t["objects"] = int(sum(o for o in objs if isinstance(o, (int, float))))
        t["worker_seconds"] = round(sum(r.duration_s for r in self.files), 3)
        return t

    @property
    def failed(self) -> list[FileRecord]:
        return [r for r in self.files if r.status == "failed"]

    def to_dict(self) -> dict[str, Any]:
        end = self.finished if self.finished is not None else time.time()
        return {
            "citytwin_batch_report": 1,
            "command": self.command,
            "options": self.options,
            "outdir": self.outdir,
            "cluster": self.cluster,
            "started": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(self.started)),
            "finished": None if self.finished is None
            else time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(self.finished)),
            "wall_seconds": round(end - self.started, 3),
            "totals": self.totals(),
            "files": [r.to_dict() for r in self.files],
        }

    def write(self, path: Path) -> None:
        """Write the report atomically (also called during the run, so a killed run leaves one)."""
        atomic_write_text(path, json.dumps(self.to_dict(), indent=1, ensure_ascii=False, default=str))

    def summary_lines(self, max_errors: int = 20) -> list[str]:
        """A short human summary: totals, then the first failures."""
        t = self.totals()
        wall = (self.finished or time.time()) - self.started
        lines = [f"{self.command}: {t['files']} files: {t['ok']} done, {t['skipped']} up to date (skipped), "
                 f"{t['failed']} failed" + (f", {t['not-run']} not run" if t["not-run"] else "")
                 + f"; {t['objects']} objects; {wall:.1f} s"]
        for r in self.failed[:max_errors]:
            lines.append(f"  failed: {r.error or r.input}")
        if len(self.failed) > max_errors:
            lines.append(f"  ... {len(self.failed) - max_errors} more failures in the report")
        warned = [r for r in self.files if r.status == "ok" and r.warnings]
        for r in warned[:max_errors]:
            n = r.counts.get("written_differently", len(r.warnings))
            lines.append(f"  warning: {r.input}: {n} thing(s) written differently or left out, e.g. {r.warnings[0]}")
        if len(warned) > max_errors:
            lines.append(f"  ... {len(warned) - max_errors} more files with warnings in the report")
        return lines
