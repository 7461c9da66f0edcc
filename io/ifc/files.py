"""Opening IFC files: .ifc, .ifcXML and .ifczip (its member unpacked into a private temporary
folder within a size limit and removed afterwards, also the folders of killed workers), and the
IFC4X3 release candidates read with the final schema.

Standard library and IfcOpenShell only: the IFC worker process (:mod:`citytwin.io.ifc.worker`) loads this module
by its file, without the citytwin package.
"""

from __future__ import annotations

import os

#: Temporary folders of .ifczip members: ``<tmp>/citytwin-ifczip-<pid>-xxxx`` (the pid lets any
#: later process remove those of a worker that was killed, :func:`remove_stale_unzip_dirs`).
UNZIP_PREFIX = "citytwin-ifczip-"


def remove_stale_unzip_dirs(tmp: str | None = None, pid: int | None = None) -> int:
    """Remove the .ifczip temporary folders of processes that are gone (or of ``pid``) in ``tmp``
    (default: the temporary folder). Returns how many were removed."""
    import shutil
    import tempfile

    tmp = tmp or tempfile.gettempdir()
    n = 0
    try:
        entries = list(os.scandir(tmp))
    except OSError:
        return 0
    for e in entries:
        if not e.name.startswith(UNZIP_PREFIX):
            continue
        try:
            owner = int(e.name[len(UNZIP_PREFIX):].split("-", 1)[0])
        except ValueError:
            continue
        if owner != pid:
            if owner == os.getpid():
                continue
            try:
                os.kill(owner, 0)
                continue  # its process still runs
            except ProcessLookupError:
                pass
            except (PermissionError, OverflowError):
                continue
        if e.is_dir(follow_symlinks=False):
            shutil.rmtree(e.path, ignore_errors=True)
            n += 1
    return n


class Unzipped:
    """The .ifc / .ifcXML member of an .ifczip, extracted into a private temporary folder that
    is removed on leaving the ``with`` (also on an error or SIGTERM; a SIGKILL-ed worker's folder
    is removed by the next .ifczip read or by the parent when the worker ends).

    The member's size is checked before anything is written (its declared size) and while it is
    written (a declared size may lie) against ``limit`` bytes; the member is written under a
    fixed name, never the archive's (no ``../`` from inside the archive)."""

    def __init__(self, path: str, limit: int | None) -> None:
        self.path, self.limit, self.dir = path, limit, None

    def __enter__(self) -> str:
        import shutil
        import tempfile
        import zipfile

        remove_stale_unzip_dirs()
        try:
            zf = zipfile.ZipFile(self.path)
        except (zipfile.BadZipFile, OSError) as exc:
            raise ValueError(f"not a readable zip archive ({exc})") from None
        with zf:
            members = [i for i in zf.infolist() if not i.is_dir()
                       and os.path.splitext(i.filename)[1].lower() in (".ifc", ".ifcxml")]
            if not members:
                raise ValueError("the archive holds no .ifc or .ifcXML file")
            info = members[0]
            if self.limit is not None and info.file_size > self.limit:
                raise ValueError(f"its member {info.filename!r} unpacks to {info.file_size:,} bytes, over the "
                                 f"limit of {self.limit:,} bytes (CITYTWIN_MAX_GZIP_RATIO times the archive's "
                                 "size, at least 64 MB, and at most --max-memory); refused as a decompression bomb")
            self.dir = tempfile.mkdtemp(prefix=f"{UNZIP_PREFIX}{os.getpid()}-")
            target = os.path.join(self.dir, "member" + os.path.splitext(info.filename)[1].lower())
            try:
                written = 0
                with zf.open(info) as src, open(target, "xb") as dst:
                    while True:
                        chunk = src.read(1 << 20)
                        if not chunk:
                            break
                        written += len(chunk)
                        if self.limit is not None and written > self.limit:
                            raise ValueError(f"its member {info.filename!r} unpacks to more than the limit of "
                                             f"{self.limit:,} bytes (more than it declares); refused as a "
                                             "decompression bomb")
                        dst.write(chunk)
            except BaseException as exc:
                shutil.rmtree(self.dir, ignore_errors=True)
                if isinstance(exc, (zipfile.BadZipFile, EOFError)) or type(exc).__name__ == "error":
                    raise ValueError(f"its member {info.filename!r} is damaged ({exc})") from None
                raise
        return target

    def __exit__(self, *exc) -> None:
        import shutil

        if self.dir is not None:
            shutil.rmtree(self.dir, ignore_errors=True)


def is_zip(path: str) -> bool:
    try:
        with open(path, "rb") as fh:
            return fh.read(4) == b"PK\x03\x04"
    except OSError:
        return False


def open_ifc(path: str, unzip_limit: int | None = None):
    """Open an .ifc / .ifczip / .ifcxml file; returns (file, note or None).

    Release candidates of IFC4X3 (``IFC4X3_RC1`` .. ``RC4``, as in buildingSMART's own unit
    tests) are read with the final IFC4X3_ADD2 schema, with a note. Raises whatever
    IfcOpenShell raises for anything else it cannot read. An .ifczip is unpacked by
    :class:`Unzipped` within ``unzip_limit`` bytes (IfcOpenShell's own unpacking wrote any size
    into the shared temporary folder and left it there when killed).
    """
    import re

    import ifcopenshell

    if path.lower().endswith((".ifczip", ".zip")) or is_zip(path):
        with Unzipped(path, unzip_limit) as member:
            return ifcopenshell.open(member), None
    try:
        return ifcopenshell.open(path), None
    except Exception as exc:
        if "Unsupported schema" not in str(exc) or not path.lower().endswith(".ifc"):
            raise
        with open(path, "rb") as fh:
            text = fh.read().decode("utf-8", errors="replace")
        m = re.search(r"FILE_SCHEMA\s*\(\s*\(\s*'(IFC4X3_RC\d)'", text, re.IGNORECASE)
        if not m:
            raise
        text = text[:m.start(1)] + "IFC4X3_ADD2" + text[m.end(1):]
        return ifcopenshell.file.from_string(text), (f"schema {m.group(1)} (a release candidate) "
                                                    "read as IFC4X3_ADD2")
