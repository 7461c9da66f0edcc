"""The format registry: names -> lazily imported readers and writers, and content sniffing.

Readers are ``"module:function"`` strings imported on first use (as napari's npe2 and trimesh's
loader tables do), so ``citytwin --help`` imports none of them. Every reader has the signature
``read(path, **options) -> CityModel``; every writer ``write(model, path, **options)``.
Formats that share an extension are told apart by sniffing the first bytes of the file.

Each format family declares its own formats and content tests in a ``formats`` module
(``citytwin.io.cityjson.formats``, ...: ``FORMATS`` and ``SNIFFERS``, see
:mod:`citytwin.io.formatspec`); this module only collects them. A third party adds a format
without editing anything here by naming such a module (or any object with ``FORMATS`` and
optionally ``SNIFFERS``) in the ``citytwin.formats`` entry-point group of its package::

    [project.entry-points."citytwin.formats"]
    toy = "citytwin_toy.formats"

Entry points are looked up on first use of the registry (not at import: scanning the installed
distributions costs a tenth of a second), after the built-in families, whose names they may not
replace; a plug-in that fails to load is reported once as a warning and the others go on.
"""

from __future__ import annotations

import gzip
import importlib
import warnings
import zlib
from pathlib import Path
from typing import Any, Callable, Iterable

from citytwin.errors import InputError, OutputError, UnsupportedFormatError, UsageError
from citytwin.io.formatspec import FormatSpec, Sniffer

__all__ = ["FormatSpec", "Sniffer", "FORMATS", "ENTRY_POINT_GROUP", "register", "register_sniffer",
           "register_family", "detect_format", "format_by_name", "format_for_output", "read", "write",
           "readable_formats", "writable_formats", "sniff", "head_bytes"]

#: The built-in families, in the order their formats are listed (and tried by extension).
BUILTIN_FAMILIES = (
    "citytwin.io.cityjson.formats",
    "citytwin.io.citygml.formats",
    "citytwin.io.ifc.formats",
    "citytwin.io.meshfiles.formats",
    "citytwin.io.tiles3d.formats",
    "citytwin.io.gltf.formats",
    "citytwin.io.gpkg.formats",
)
#: The entry-point group third-party format families register in.
ENTRY_POINT_GROUP = "citytwin.formats"

FORMATS: dict[str, FormatSpec] = {}  # built-ins at import; plug-ins from load_plugins()
_SNIFFERS: list[Sniffer] = []
_plugins = {"loaded": False}


def register(spec: FormatSpec) -> None:
    """Add (or replace) a format."""
    FORMATS[spec.name] = spec


def register_sniffer(name: str, fn: Callable[[bytes, Path], bool], priority: int = 50) -> None:
    """Register a content test for a format (used when the extension is ambiguous).

    Parameters
    ----------
    name : the format the test recognises
    fn : ``fn(head, path) -> bool`` (see :class:`~citytwin.io.formatspec.Sniffer`)
    priority : tests run in increasing priority, then in registration order
    """
    _SNIFFERS.append(Sniffer(name, fn, priority))
    _SNIFFERS.sort(key=lambda s: s.priority)  # stable: registration order within a priority


def register_family(family: Any, origin: str, replace: bool = True) -> None:
    """Register the ``FORMATS`` and ``SNIFFERS`` a family declares.

    Parameters
    ----------
    family : a module (or any object) with ``FORMATS`` (:class:`FormatSpec` sequence) and
        optionally ``SNIFFERS`` (:class:`Sniffer` sequence)
    origin : where it comes from, for messages (a module name or an entry point)
    replace : allow replacing a format already registered (False for plug-ins: a plug-in may
        not take over a built-in format)

    Raises
    ------
    TypeError : the family declares something that is not a FormatSpec / Sniffer
    ValueError : a plug-in names a format that is already registered
    """
    specs = tuple(getattr(family, "FORMATS", None) or ())
    sniffers = tuple(getattr(family, "SNIFFERS", None) or ())
    if not specs:
        raise TypeError(f"{origin} declares no FORMATS")
    for spec in specs:
        if not isinstance(spec, FormatSpec):
            raise TypeError(f"{origin}: FORMATS holds {spec!r}, not a citytwin.io.formatspec.FormatSpec")
        if not replace and spec.name in FORMATS:
            raise ValueError(f"{origin}: format {spec.name!r} is already registered")
    for sn in sniffers:
        if not isinstance(sn, Sniffer) or not callable(sn.test):
            raise TypeError(f"{origin}: SNIFFERS holds {sn!r}, not a citytwin.io.formatspec.Sniffer")
    for spec in specs:
        register(spec)
    for sn in sniffers:
        register_sniffer(sn.format, sn.test, sn.priority)


class FormatPluginWarning(UserWarning):
    """A ``citytwin.formats`` plug-in could not be registered (it is skipped)."""


def _entry_points() -> Iterable[Any]:
    from importlib.metadata import entry_points

    return entry_points(group=ENTRY_POINT_GROUP)


def load_plugins(reload: bool = False) -> None:
    """Register the format families named in the ``citytwin.formats`` entry-point group (once).

    A plug-in that cannot be imported or declares something wrong is skipped with a warning
    naming its entry point; the built-in formats and the other plug-ins still work.
    """
    if _plugins["loaded"] and not reload:
        return
    _plugins["loaded"] = True
    for ep in _entry_points():
        where = f"entry point {ep.name!r} ({ep.value}) of group {ENTRY_POINT_GROUP!r}"
        try:
            register_family(ep.load(), where, replace=False)
        except Exception as exc:  # noqa: BLE001 - a broken plug-in must not break reading
            warnings.warn(f"format plug-in skipped: {where}: {type(exc).__name__}: {exc}",
                          FormatPluginWarning, stacklevel=2)


for _family in BUILTIN_FAMILIES:
    register_family(importlib.import_module(_family), _family)
del _family


def _load(target: str) -> Callable:
    mod, fn = target.split(":")
    try:
        module = importlib.import_module(mod)
    except ImportError as exc:  # a missing optional dependency
        from citytwin.errors import MissingDependencyError

        raise MissingDependencyError(f"this format needs the Python package {exc.name!r}, "
                                     "which is not installed") from None
    return getattr(module, fn)


def _suffix_matches(path: Path, spec: FormatSpec) -> bool:
    name = path.name.lower()
    if name.endswith(".gz"):
        name = name[:-3]
    return any(name.endswith(ext) for ext in spec.extensions)


def head_bytes(path: Path, n: int = 4096) -> bytes:
    """The first ``n`` bytes of a file (decompressed for ``.gz``)."""
    from citytwin.io.safe_io import check_input

    check_input(path)  # regular files only: a FIFO would block, a device never ends
    try:
        if path.name.lower().endswith(".gz"):
            with gzip.open(path, "rb") as f:
                return f.read(n)
        with open(path, "rb") as f:
            return f.read(n)
    except (OSError, EOFError, zlib.error) as exc:  # zlib.error: a corrupted .gz stream
        raise InputError(path, f"cannot be read ({getattr(exc, 'strerror', None) or exc})") from None


def sniff(path: Path, head: bytes) -> str | None:
    """Guess the format name from the first bytes; None when nothing matches.

    The registered content tests run in priority order (:class:`~citytwin.io.formatspec.Sniffer`)
    on the head without BOM and leading white space; the first that recognises it names it.
    """
    load_plugins()
    h = head.lstrip(b"\xef\xbb\xbf").lstrip()
    if not h:
        return None
    path = Path(path)
    for sn in _SNIFFERS:
        if sn.test(h, path):
            return sn.format
    return None


def detect_format(path: str | Path) -> FormatSpec:
    """The format of an existing file, by content first and extension second."""
    load_plugins()
    path = Path(path)
    if not path.exists():
        raise InputError(path, "no such file")
    if path.is_dir():
        raise InputError(path, "is a folder, not a file")
    head = head_bytes(path)  # refuses what is not a regular file
    name = sniff(path, head)
    if name is not None:
        return FORMATS[name]
    by_ext = [s for s in FORMATS.values() if s.reader and _suffix_matches(path, s)]
    if not head.strip():
        raise InputError(path, "the file is empty")
    if by_ext:
        spec = by_ext[0]
        if spec.name in ("cityjson", "cityjsonseq") and not head.lstrip(b"\xef\xbb\xbf").lstrip().startswith(b"{"):
            raise InputError(path, "not a CityJSON file (it does not start with a JSON object)")
        return spec
    raise UnsupportedFormatError(path, "unsupported file format (known: "
                                 + ", ".join(sorted({s.label for s in FORMATS.values() if s.reader})) + ")")


def format_by_name(name: str, writing: bool = False) -> FormatSpec:
    """The format called ``name`` that can be read (or, with ``writing``, written).

    Raises
    ------
    UsageError : no such format, or it cannot be read / written; the message lists the choices
    """
    load_plugins()
    spec = FORMATS.get(name)
    if spec is not None and (spec.writer if writing else spec.reader) is not None:
        return spec
    choices = ", ".join(sorted(s.name for s in FORMATS.values() if (s.writer if writing else s.reader)))
    if spec is None:
        raise UsageError(f"unknown format {name!r} (choose from {choices})")
    raise UsageError(f"format {name!r} cannot be {'written' if writing else 'read'} (choose from {choices})")


def format_for_output(path: str | Path, name: str | None = None) -> FormatSpec:
    """The format to write ``path`` in (by name, else by extension)."""
    if name is not None:
        return format_by_name(name, writing=True)
    load_plugins()
    p = Path(path)
    matches = [s for s in FORMATS.values() if s.writer and _suffix_matches(p, s)]
    if not matches:
        writable = sorted(e for s in FORMATS.values() if s.writer for e in s.extensions)
        raise OutputError(f"{path}: cannot tell the output format from the extension "
                          f"(writable: {', '.join(writable)})")
    # the longest matching extension wins (.city.jsonl over .json)
    return max(matches, key=lambda s: max(len(e) for e in s.extensions if p.name.lower().endswith(e)
                                          or p.name.lower()[:-3].endswith(e)))


def read(path: str | Path, format: str | None = None, **options: Any):
    """Read any known format into a :class:`~citytwin.semantics.model.CityModel`."""
    from citytwin.mesh.gcpause import gc_paused

    from citytwin.io.safe_io import check_input
    from citytwin.json_floats import ensure_exact_json_floats

    ensure_exact_json_floats()
    spec = format_by_name(format) if format else detect_format(path)
    if Path(path).is_file() or not Path(path).is_dir():
        check_input(path)  # regular files only (a folder is for readers that take one)
    if spec.reader is None:
        raise UnsupportedFormatError(path, f"{spec.label} files cannot be read")
    reader = _load(spec.reader)
    with gc_paused():
        return reader(Path(path), **options)


def write(model, path: str | Path, format: str | None = None, **options: Any) -> None:
    """Serialize a model in the format given by name or by the extension of ``path`` (the model
    file only: :func:`citytwin.app.commands.export.export_model` makes texture images travel with
    it)."""
    from citytwin.mesh.gcpause import gc_paused

    from citytwin.json_floats import ensure_exact_json_floats

    ensure_exact_json_floats()  # every JSON we write keeps its floats exact
    spec = format_for_output(path, format)
    writer = _load(spec.writer)
    with gc_paused():
        writer(model, Path(path), **options)


def readable_formats() -> list[FormatSpec]:
    """The formats that can be read (built-in and plug-in), in registration order."""
    load_plugins()
    return [s for s in FORMATS.values() if s.reader]


def writable_formats() -> list[FormatSpec]:
    """The formats that can be written (built-in and plug-in), in registration order."""
    load_plugins()
    return [s for s in FORMATS.values() if s.writer]
