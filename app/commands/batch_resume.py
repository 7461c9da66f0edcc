"""Resume: a record beside every output saying what it was made from.

After a file's outputs are written (each one atomically), a small JSON record is written beside
the main output, as ``.<output name>.batch.json``. It holds the BLAKE2b hash, size and mtime of
the input (and of the context tiles used as occluders), a key of the options, and the size of
every output. A later run with the same options skips the file when the record matches; the
record is written last, so a run killed mid-file leaves no record and the file is redone.

The input is hashed again only when its size or modification time changed since the record was
written (as ``make`` and ``rsync`` do); a touched but unchanged file is still skipped.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from citytwin.app.commands.batch_inputs import SIDECAR_SUFFIX
from citytwin.io.atomic import atomic_write_text

#: Bumped when a task's outputs change for the same inputs and options (old records go stale).
RECORD_VERSION = 1


def file_hash(path: str | Path, chunk: int = 1 << 20) -> str:
    """Hex BLAKE2b-128 digest of a file's content, read in 1 MiB chunks."""
    h = hashlib.blake2b(digest_size=16)
    with open(path, "rb") as f:
        while True:
            b = f.read(chunk)
            if not b:
                break
            h.update(b)
    return h.hexdigest()


def options_key(kind: str, options: dict[str, Any]) -> str:
    """A stable digest of the task kind and its options (canonical JSON)."""
    text = json.dumps({"kind": kind, "options": options, "v": RECORD_VERSION}, sort_keys=True, default=str)
    return hashlib.blake2b(text.encode(), digest_size=16).hexdigest()


def sidecar_path(output: str | Path) -> Path:
    """Where the resume record of ``output`` lives."""
    output = Path(output)
    return output.with_name("." + output.name + SIDECAR_SUFFIX)


@dataclass(frozen=True)
class FileStamp:
    """What an input was: path, size (bytes), mtime (ns) and content hash."""

    path: str
    size: int
    mtime_ns: int
    hash: str

    @staticmethod
    def of(path: str | Path) -> "FileStamp":
        st = os.stat(path)
        return FileStamp(str(path), st.st_size, st.st_mtime_ns, file_hash(path))

    def still_matches(self) -> bool:
        """True when the file still has this content (hashing only if size or mtime changed)."""
        try:
            st = os.stat(self.path)
        except OSError:
            return False
        if st.st_size != self.size:
            return False
        if st.st_mtime_ns == self.mtime_ns:
            return True
        return file_hash(self.path) == self.hash


def write_record(main_output: Path, kind: str, key: str, inputs: list[FileStamp], outputs: list[Path],
                 result: dict[str, Any]) -> None:
    """Write the resume record of a finished file (call after every output is in place)."""
    rec = {
        "citytwin_batch": RECORD_VERSION, "kind": kind, "options_key": key,
        "inputs": [s.__dict__ for s in inputs],
        "outputs": {p.name: p.stat().st_size for p in outputs},
        "result": result,
    }
    atomic_write_text(sidecar_path(main_output), json.dumps(rec, indent=1, sort_keys=True))


def up_to_date(main_output: Path, key: str, inputs: list[str | Path]) -> dict[str, Any] | None:
    """The recorded result when ``main_output`` is complete and made from these inputs and options.

    Parameters
    ----------
    main_output : the output the record sits beside
    key : :func:`options_key` of this run
    inputs : the input file followed by its context files, in the order the task uses them

    Returns
    -------
    The ``result`` dict stored in the record (counts of the earlier run), or None when the file
    must be (re)done: no record, other options, changed inputs, or an output missing or of
    another size than recorded.
    """
    side = sidecar_path(main_output)
    try:
        rec = json.loads(side.read_text())
    except (OSError, ValueError):
        return None
    if rec.get("citytwin_batch") != RECORD_VERSION or rec.get("options_key") != key:
        return None
    stamps = rec.get("inputs", [])
    if [s.get("path") for s in stamps] != [str(p) for p in inputs]:
        return None
    for name, size in rec.get("outputs", {}).items():
        p = main_output.with_name(name)
        try:
            if p.stat().st_size != size:
                return None
        except OSError:
            return None
    try:
        if not all(FileStamp(**s).still_matches() for s in stamps):
            return None
    except TypeError:
        return None
    return rec.get("result", {})


#: the lock file a batch run holds in its output folder
LOCK_NAME = ".citytwin-batch.lock"


class run_lock:
    """Hold ``OUTDIR/.citytwin-batch.lock`` for a run: a second run started on the same output
    folder is refused with a UsageError naming the first (pid, host, start time), instead of both
    converting everything. A lock left by a run that was killed (its pid gone on this host) is
    taken over."""

    def __init__(self, outdir: str | Path) -> None:
        self.path = Path(outdir) / LOCK_NAME
        self.held = False

    def __enter__(self) -> "run_lock":
        import os
        import socket
        import time

        from citytwin.errors import UsageError

        me = {"pid": os.getpid(), "host": socket.gethostname(), "started": time.strftime("%Y-%m-%d %H:%M:%S")}
        for _ in range(2):
            try:
                fd = os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
            except FileExistsError:
                other = _read_lock(self.path)
                if other and other.get("host") == me["host"] and _alive(other.get("pid")):
                    raise UsageError(f"{self.path.parent}: another batch run (pid {other.get('pid')}, started "
                                     f"{other.get('started')}) is writing to this output folder; wait for it or "
                                     "use another -o") from None
                if other and other.get("host") != me["host"]:
                    raise UsageError(f"{self.path.parent}: a batch run on {other.get('host')} (pid "
                                     f"{other.get('pid')}) holds {self.path}; remove it if that run is over") \
                        from None
                try:
                    os.unlink(self.path)  # left by a killed run
                except OSError:
                    pass
                continue
            with os.fdopen(fd, "w") as f:
                json.dump(me, f)
            self.held = True
            return self
        raise UsageError(f"{self.path}: cannot take the batch lock")

    def __exit__(self, *exc) -> None:
        if self.held:
            try:
                self.path.unlink()
            except OSError:
                pass


def _read_lock(path: Path) -> dict | None:
    try:
        return json.loads(path.read_text())
    except (OSError, ValueError):
        return None


def _alive(pid) -> bool:
    import os

    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return False
    except (PermissionError, TypeError, ValueError, OverflowError):
        return True
    return True
