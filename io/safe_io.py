"""Safe file access for untrusted input and for every output: one place for the rules.

Inputs (:func:`check_input`, :func:`read_input_bytes`, :func:`open_gzip`):

- only regular files are read: a FIFO would block forever, a device (``/dev/zero``) never ends;
- a size is checked before the bytes are read (:func:`max_input_bytes`, ``--max-memory`` /
  ``CITYTWIN_MAX_MEMORY``), and a compressed stream is read through a counter that stops a
  decompression bomb (more than :data:`GZIP_RATIO` times the compressed size, once past 64 MB);
- a path a file refers to (a tile's content, a glTF image, an OBJ's ``mtllib``, a texture) is
  resolved inside the input's folder after symlinks are followed (:func:`resolve_reference`);
  ``CITYTWIN_REFERENCE_ROOT`` (or :func:`allow_reference_root`) names a wider folder explicitly.

Outputs (:func:`check_output_path`, used by :func:`citytwin.io.atomic.atomic_open`): a target
must be a new path or a regular file; a device node, a FIFO, a socket or a folder is refused, so
running as root with an output of ``/dev/null`` never replaces the device.

Every refusal is an :class:`~citytwin.errors.InputError` / :class:`~citytwin.errors.OutputError`
naming the file and the limit.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import IO

from citytwin.errors import InputError, OutputError

#: A gzip stream may expand to this many times its compressed size (once past 64 MB).
GZIP_RATIO = float(os.environ.get("CITYTWIN_MAX_GZIP_RATIO", "200"))
_GZIP_FREE = 64 * 2**20

_EXTRA_ROOTS: list[Path] = []


def parse_size(text: str) -> int:
    """``"2G"``, ``"512M"``, ``"1.5GB"``, ``"1000000"`` -> bytes; ValueError when not a size."""
    t = text.strip().upper().rstrip("B").strip()
    mult = {"K": 2**10, "M": 2**20, "G": 2**30, "T": 2**40}
    if t and t[-1] in mult:
        return int(float(t[:-1]) * mult[t[-1]])
    return int(float(t))


def max_input_bytes() -> int:
    """The largest input (or decompressed stream) read whole into memory, in bytes.

    ``CITYTWIN_MAX_MEMORY`` (``--max-memory`` sets it) when given, else half of the machine's
    memory (a JSON document takes several times its size once parsed).
    """
    env = os.environ.get("CITYTWIN_MAX_MEMORY")
    if env:
        try:
            return parse_size(env)
        except ValueError:
            pass
    try:
        return os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") // 2
    except (ValueError, OSError, AttributeError):
        return 8 * 2**30


def _kind(mode: int) -> str:
    for test, name in ((stat.S_ISFIFO, "a FIFO (named pipe)"), (stat.S_ISCHR, "a character device"),
                       (stat.S_ISBLK, "a block device"), (stat.S_ISSOCK, "a socket"),
                       (stat.S_ISDIR, "a folder")):
        if test(mode):
            return name
    return "not a regular file"


def check_input(path: str | Path) -> os.stat_result:
    """Stat ``path`` (following symlinks); InputError unless it is an existing regular file."""
    try:
        st = os.stat(path)
    except FileNotFoundError:
        raise InputError(path, "no such file") from None
    except OSError as exc:
        raise InputError(path, f"cannot be read ({exc.strerror or exc})") from None
    if not stat.S_ISREG(st.st_mode):
        raise InputError(path, f"is {_kind(st.st_mode)}; only regular files are read")
    return st


def read_input_bytes(path: str | Path, limit: int | None = None) -> bytes:
    """The bytes of a regular file, refused before reading when larger than ``limit``."""
    st = check_input(path)
    limit = max_input_bytes() if limit is None else limit
    if st.st_size > limit:
        raise InputError(path, f"is {st.st_size / 2**20:.0f} MB, over the memory limit of {limit / 2**20:.0f} MB "
                         "(raise it with --max-memory or CITYTWIN_MAX_MEMORY)")
    try:
        with open(path, "rb") as f:
            data = f.read(min(limit, st.st_size) + 1)  # read(n) allocates n bytes at once
    except OSError as exc:
        raise InputError(path, f"cannot be read ({exc.strerror or exc})") from None
    if len(data) > st.st_size:  # grew while being read
        raise InputError(path, "changed size while being read")
    return data


class _CountingGzip:
    """A gzip stream that stops with an InputError past a decompressed-size limit and turns zlib
    and truncation errors into InputErrors naming the file."""

    def __init__(self, path: Path, limit: int) -> None:
        import gzip

        self.path, self.limit, self.count = path, limit, 0
        self._f = gzip.open(path, "rb")

    def read(self, n: int = -1) -> bytes:
        import zlib

        if n is None or n < 0:
            n = self.limit + 1 - self.count
        try:
            chunk = self._f.read(max(0, min(n, self.limit + 1 - self.count)) or 1)
        except (OSError, EOFError, zlib.error) as exc:
            raise InputError(self.path, f"the compressed stream is corrupted or ends early ({exc})") from None
        self.count += len(chunk)
        if self.count > self.limit:
            raise InputError(self.path, f"decompresses to more than {self.limit / 2**20:.0f} MB (limit: "
                             f"{GZIP_RATIO:g} times the compressed size, or --max-memory); refused as a "
                             "possible decompression bomb")
        return chunk

    def close(self) -> None:
        self._f.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def gzip_limit(path: str | Path, whole: bool = False) -> int:
    """Decompressed bytes allowed for a gzip file: ratio x compressed size (at least 64 MB), and
    for a stream read whole into memory (``whole``) at most :func:`max_input_bytes`."""
    size = check_input(path).st_size
    limit = max(_GZIP_FREE, int(size * GZIP_RATIO))
    return min(limit, max_input_bytes()) if whole else limit


def open_gzip(path: str | Path, whole: bool = False) -> IO[bytes]:
    """Open a regular gzip file for streaming with the decompressed-size limit."""
    path = Path(path)
    limit = gzip_limit(path, whole)
    try:
        return _CountingGzip(path, limit)  # type: ignore[return-value]
    except OSError as exc:
        raise InputError(path, f"cannot be read ({exc.strerror or exc})") from None


def read_gzip_bytes(path: str | Path) -> bytes:
    """The whole decompressed content of a gzip file, within the limits."""
    with open_gzip(path, whole=True) as f:
        parts = []
        while True:
            chunk = f.read(1 << 22)
            if not chunk:
                return b"".join(parts)
            parts.append(chunk)


# -- referenced files ---------------------------------------------------------------------------

def allow_reference_root(folder: str | Path) -> None:
    """Allow referenced files under ``folder`` too (besides the input's own folder)."""
    _EXTRA_ROOTS.append(Path(folder).resolve())


def _roots(base: Path) -> list[Path]:
    roots = [base.resolve()] + _EXTRA_ROOTS
    env = os.environ.get("CITYTWIN_REFERENCE_ROOT")
    if env:
        roots += [Path(p).resolve() for p in env.split(os.pathsep) if p]
    return roots


def resolve_reference(base: str | Path, ref: str | Path) -> tuple[Path | None, str | None]:
    """Resolve a path a file refers to, relative to ``base`` (the referring file's folder).

    Returns (path, None) for a regular file inside ``base`` (or an allowed root) after symlinks
    are followed, else (None, reason) with a sentence for a warning: outside the input folder,
    missing, or not a regular file (a FIFO, a device).
    """
    base = Path(base)
    p = base / ref
    try:
        real = p.resolve(strict=True)
    except (OSError, RuntimeError):
        return None, f"{ref} not found"
    if not any(real == r or r in real.parents for r in _roots(base)):
        return None, (f"{ref} is outside the input folder {base} (set CITYTWIN_REFERENCE_ROOT to allow "
                      "another folder); not read")
    try:
        mode = os.stat(real).st_mode
    except OSError as exc:
        return None, f"{ref} cannot be read ({exc.strerror or exc})"
    if not stat.S_ISREG(mode):
        return None, f"{ref} is {_kind(mode)}; only regular files are read"
    return real, None


# -- outputs ------------------------------------------------------------------------------------

def check_output_path(path: str | Path) -> None:
    """OutputError unless ``path`` is new or an existing regular file (a symlink to one is
    followed). Devices, FIFOs, sockets and folders are never replaced."""
    try:
        st = os.stat(path)
    except (FileNotFoundError, NotADirectoryError):  # a new path (its folder is made or refused later)
        return
    except OSError as exc:
        raise OutputError(f"{path}: cannot be written ({exc.strerror or exc})") from None
    if not stat.S_ISREG(st.st_mode):
        raise OutputError(f"{path}: is {_kind(st.st_mode)}; only a new path or a regular file is written "
                          "(refused, the target was left as it is)")


def clean_stale_parts(folder: str | Path, max_age_s: float = 7 * 86400.0) -> int:
    """Remove temporary ``.NAME.<pid>.xxxx.part`` files left in ``folder`` by a process that was
    killed (SIGKILL cannot be caught): those whose process is gone, or older than ``max_age_s``
    (names without a pid: older writers). Returns how many were removed."""
    import re
    import time

    pat = re.compile(r"^\..+\.(\d+)\.[^.]+\.part$")
    n = 0
    now = time.time()
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return 0
    for e in entries:
        if not (e.name.startswith(".") and e.name.endswith(".part")):
            continue
        try:
            if not e.is_file(follow_symlinks=False):
                continue
            m = pat.match(e.name)
            stale = now - e.stat(follow_symlinks=False).st_mtime > max_age_s
            if m and not stale:
                pid = int(m.group(1))
                if pid == os.getpid():
                    continue
                try:
                    os.kill(pid, 0)
                    continue  # that process still runs (perhaps writing it)
                except ProcessLookupError:
                    stale = True
                except (PermissionError, OverflowError):
                    continue
            if stale:
                os.unlink(e.path)
                n += 1
        except OSError:
            pass
    return n
