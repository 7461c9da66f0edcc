"""Atomic output: write to a temporary file beside the target, then rename over it.

A crash or a kill never leaves a half-written output: either the old file (or none) or the
complete new one. The rules of :mod:`citytwin.io.safe_io` apply to every target: only a new path
or a regular file is written (a device node, a FIFO or a folder is refused and left untouched).
Temporary files are named ``.NAME.<pid>.xxxx.part``: removed on any exception (and on SIGTERM,
which the CLI turns into an exit), and, after a SIGKILL, by the next write into the same folder
once their process is gone (:func:`citytwin.io.safe_io.clean_stale_parts`).
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path
from typing import IO, Iterator

from citytwin.errors import OutputError

_CLEANED: set[str] = set()


@contextlib.contextmanager
def atomic_open(path: str | Path, mode: str = "wb") -> Iterator[IO]:
    """Open a temporary file next to ``path``; on success it replaces ``path``.

    A missing output folder is created (as ``mkdir -p``); a path that cannot be a folder, a target
    that is not a regular file, a read-only folder or a full disk is an OutputError naming it.
    """
    from citytwin.io.safe_io import check_output_path, clean_stale_parts

    path = Path(path)
    check_output_path(path)
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise OutputError(f"{path}: the folder {folder} cannot be created "
                              f"({exc.strerror or exc})") from None
    key = os.path.realpath(folder)
    if key not in _CLEANED:  # leftovers of killed runs, once per folder and process
        _CLEANED.add(key)
        clean_stale_parts(folder)
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.{os.getpid()}.", suffix=".part", dir=folder)
    except OSError as exc:
        raise OutputError(f"{path}: cannot be written ({exc.strerror or exc})") from None
    try:
        os.fchmod(fd, 0o666 & ~_umask())  # mkstemp makes 0600; outputs get the usual permissions
        with os.fdopen(fd, mode) as f:
            yield f
            f.flush()
            os.fsync(f.fileno())
        check_output_path(path)  # not replaced by a device or a FIFO meanwhile
        os.replace(tmp, path)
    except BaseException as exc:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        if isinstance(exc, OSError) and not isinstance(exc, FileNotFoundError):
            raise OutputError(f"{path}: cannot be written ({exc.strerror or exc}); nothing was written") from None
        raise


def _umask() -> int:
    """The process umask, read without changing it (Linux: /proc/self/status; else 022)."""
    try:
        with open("/proc/self/status") as f:
            for line in f:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError, IndexError):
        pass
    return 0o022


def atomic_write_bytes(path: str | Path, data: bytes) -> None:
    """Write ``data`` to ``path`` atomically."""
    with atomic_open(path, "wb") as f:
        f.write(data)


def atomic_write_text(path: str | Path, text: str) -> None:
    """Write ``text`` (UTF-8) to ``path`` atomically."""
    atomic_write_bytes(path, text.encode("utf-8"))


def atomic_copy(src: str | Path, dst: str | Path) -> None:
    """Copy the regular file ``src`` to ``dst`` atomically (a side file: a texture image)."""
    import shutil

    with open(src, "rb") as fin, atomic_open(dst, "wb") as fout:
        shutil.copyfileobj(fin, fout, 1 << 20)
