"""A disk cache of opened models and their triangles, so reopening an unchanged file skips parsing
and triangulation (issue 13 item 4).

An entry is the pickled ``(CityModel, TriangleMesh)`` of one file as the GUI shows it (after the
metric frame and the reprojection to the project CRS). Its key hashes:

- the file's content (BLAKE2b of every byte: a file edited in place, even with the same size and
  time stamp, gets another key);
- what the result depends on besides the file: the project CRS it was reprojected to, the LoD;
- the code that read and triangulated it (path, size and modification time of every module of
  ``io``, ``semantics``, ``mesh`` and the metric frame): a reader fixed since is not served stale.

Only formats whose geometry is all in the one file are cached (CityJSON, CityJSONSeq, CityGML,
IFC); a tileset or an OBJ reads other files too. The folder is ``$CITYTWIN_CACHE_DIR`` or the
user cache folder (``$XDG_CACHE_HOME/citytwin/triangles``, ``~/.cache/citytwin/triangles``); it is
safe to delete at any time. It is bounded (:data:`DEFAULT_MAX_BYTES`, ``$CITYTWIN_CACHE_MAX_MB``):
the least recently used entries go first. An entry that cannot be read (truncated, written by
another Python) is deleted and the file is read again. Entries are written atomically.

No Qt: the GUI calls it in its loading worker.
"""

from __future__ import annotations

import hashlib
import logging
import os
import pickle
import tempfile
from pathlib import Path
from typing import Any

log = logging.getLogger("citytwin.cache")

#: cache size bound (bytes) when ``$CITYTWIN_CACHE_MAX_MB`` is not set
DEFAULT_MAX_BYTES = 2 * 1024 ** 3
#: formats whose geometry is entirely in the file that is opened
CACHED_FORMATS = ("cityjson", "cityjsonseq", "citygml", "ifc")
#: bump when the entry layout changes
FORMAT_VERSION = 1
_SUFFIX = ".pickle"


def cache_dir() -> Path:
    """The cache folder (not created here)."""
    env = os.environ.get("CITYTWIN_CACHE_DIR")
    if env:
        return Path(env)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "citytwin" / "triangles"


def max_bytes() -> int:
    env = os.environ.get("CITYTWIN_CACHE_MAX_MB")
    try:
        return int(float(env) * 1024 ** 2) if env else DEFAULT_MAX_BYTES
    except ValueError:
        return DEFAULT_MAX_BYTES


def content_hash(path: Path, chunk: int = 8 * 1024 ** 2) -> str:
    """BLAKE2b (32 hex digits) of a file's bytes, read in chunks (bounded memory)."""
    h = hashlib.blake2b(digest_size=16)
    with open(path, "rb") as f:
        while True:
            block = f.read(chunk)
            if not block:
                break
            h.update(block)
    return h.hexdigest()


_CODE_PRINT: str | None = None


def code_fingerprint() -> str:
    """Hash of the path, size and modification time of the modules that read and triangulate."""
    global _CODE_PRINT
    if _CODE_PRINT is None:
        root = Path(__file__).resolve().parents[1]
        h = hashlib.blake2b(digest_size=8)
        files = [p for sub in ("io", "semantics", "mesh") for p in sorted((root / sub).rglob("*.py"))]
        files.append(root / "app" / "metric_frame.py")
        for p in files:
            try:
                st = p.stat()
            except OSError:
                continue
            h.update(f"{p.relative_to(root)}:{st.st_size}:{st.st_mtime_ns};".encode())
        h.update(f"v{FORMAT_VERSION}".encode())
        _CODE_PRINT = h.hexdigest()
    return _CODE_PRINT


def cacheable(path: Path) -> bool:
    """True when ``path`` is a file in a format whose geometry is all inside it."""
    from citytwin.io.registry import detect_format

    try:
        return path.is_file() and detect_format(path).name in CACHED_FORMATS
    except Exception:  # noqa: BLE001 - unknown format: the reader will say so
        return False


def entry_key(path: Path, **context: Any) -> str:
    """The key of a file's entry: its content, the ``context`` (project CRS, LoD) and the code."""
    ctx = ";".join(f"{k}={context[k]}" for k in sorted(context))
    h = hashlib.blake2b(digest_size=16)
    h.update(f"{content_hash(path)}|{ctx}|{code_fingerprint()}".encode())
    return h.hexdigest()


def load(key: str) -> Any | None:
    """The cached value of ``key``, or None (absent, or unreadable: then deleted)."""
    p = cache_dir() / f"{key}{_SUFFIX}"
    try:
        with open(p, "rb") as f:
            value = pickle.load(f)
    except FileNotFoundError:
        return None
    except Exception as exc:  # noqa: BLE001 - a damaged entry is dropped, the file read again
        log.warning("triangle cache: dropped an unreadable entry %s (%s)", p.name, exc)
        p.unlink(missing_ok=True)
        return None
    try:
        os.utime(p)  # recently used: evicted last
    except OSError:
        pass
    return value


def store(key: str, value: Any) -> Path | None:
    """Write ``value`` under ``key`` atomically, then evict the least recently used entries beyond
    the bound. Returns the entry's path, or None when it could not be written (a full or read-only
    disk only costs the speed-up: logged, not raised)."""
    folder = cache_dir()
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=folder, suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as f:
                pickle.dump(value, f, protocol=pickle.HIGHEST_PROTOCOL)
            out = folder / f"{key}{_SUFFIX}"
            os.replace(tmp, out)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
    except Exception as exc:  # noqa: BLE001
        log.warning("triangle cache: cannot write to %s (%s): the file will be read again next time", folder, exc)
        return None
    evict(max_bytes())
    return out


def evict(limit: int) -> int:
    """Delete the least recently used entries until the folder holds at most ``limit`` bytes;
    returns how many were deleted."""
    folder = cache_dir()
    try:
        entries = [(p.stat().st_mtime, p.stat().st_size, p) for p in folder.glob(f"*{_SUFFIX}")]
    except OSError:
        return 0
    total = sum(s for _, s, _ in entries)
    gone = 0
    for _, size, p in sorted(entries, key=lambda e: e[0]):
        if total <= limit:
            break
        try:
            p.unlink()
        except OSError:
            continue
        total -= size
        gone += 1
    return gone
