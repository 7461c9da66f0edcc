"""The format registry: names -> lazily imported readers and writers, and content sniffing.

Readers are ``"module:function"`` strings imported on first use (as napari's npe2 and trimesh's
loader tables do), so ``citytwin --help`` imports none of them. Every reader has the signature
``read(path, **options) -> CityModel``; every writer ``write(model, path, **options)``.
Formats that share an extension are told apart by sniffing the first bytes of the file.
"""

from __future__ import annotations

import gzip
import importlib
import re
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from citytwin.errors import InputError, OutputError, UnsupportedFormatError, UsageError


@dataclass(frozen=True)
class FormatSpec:
    """One file format.

    Attributes
    ----------
    name : short name (``cityjson``)
    label : human name for dialogs (``CityJSON 2.0``)
    extensions : lower-case suffixes, longest first (``.city.json``, ``.json``)
    reader, writer : ``"module:function"`` or None
    writer_options : option names the writer accepts (beyond ``precision``)
    embeds_textures : the writer embeds texture images (the export command copies none beside the output)
    """

    name: str
    label: str
    extensions: tuple[str, ...]
    reader: str | None = None
    writer: str | None = None
    writer_options: tuple[str, ...] = field(default_factory=tuple)
    #: the writer puts texture images inside its output (no image files to copy beside it)
    embeds_textures: bool = False


FORMATS: dict[str, FormatSpec] = {}


def register(spec: FormatSpec) -> None:
    """Add (or replace) a format."""
    FORMATS[spec.name] = spec


register(FormatSpec("cityjson", "CityJSON", (".city.json", ".cityjson", ".json"),
                    "citytwin.io.cityjson:read_cityjson", "citytwin.io.cityjson_write:write_cityjson"))
register(FormatSpec("cityjsonseq", "CityJSONSeq", (".city.jsonl", ".jsonl"),
                    "citytwin.io.cityjsonseq:read_cityjsonseq",
                    "citytwin.io.cityjson_write:write_cityjsonseq"))

# CityGML 1.0 / 2.0 / 3.0 (read), 2.0 / 3.0 (write; --citygml-version)
register(FormatSpec("citygml", "CityGML", (".gml", ".xml"), "citytwin.io.citygml_read:read_citygml",
                    "citytwin.io.citygml_write:write_citygml", ("citygml_version",)))
# -- IFC and meshes (issue 4) ---------------------------------------------------------------
register(FormatSpec("ifc", "IFC", (".ifc", ".ifczip", ".ifcxml"), "citytwin.io.ifc_read:read_ifc"))
register(FormatSpec("mesh", "Mesh (OBJ, PLY, glTF/GLB, STL)",
                    (".obj", ".ply", ".glb", ".gltf", ".stl"), "citytwin.io.mesh_read:read_mesh"))
register(FormatSpec("b3dm", "3D Tiles (b3dm, tileset.json)", (".b3dm", "tileset.json"),
                    "citytwin.io.b3dm:read_3dtiles"))
# -- exports (issue 15): writers only; reading these goes through "mesh" / "b3dm" --------------
register(FormatSpec("gltf", "glTF 2.0 (GLB)", (".glb", ".gltf"), None,
                    "citytwin.io.gltf_write:write_gltf", ("lod",), embeds_textures=True))
register(FormatSpec("obj", "Wavefront OBJ + MTL", (".obj",), None, "citytwin.io.obj_write:write_obj", ("lod",)))
register(FormatSpec("gpkg", "GeoPackage (footprints + 3D surfaces)", (".gpkg",), None,
                    "citytwin.io.gpkg_write:write_gpkg", ("lod",)))
register(FormatSpec("3dtiles", "3D Tiles 1.1 (tileset.json + GLB)", (".tileset.json", "tileset.json"), None,
                    "citytwin.io.tiles3d_write:write_3dtiles", ("lod",), embeds_textures=True))


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


_JSON_TYPE = re.compile(rb'"type"\s*:\s*"([^"]+)"')


def sniff(path: Path, head: bytes) -> str | None:
    """Guess the format name from the first bytes; None when nothing matches."""
    h = head.lstrip(b"\xef\xbb\xbf").lstrip()
    if not h:
        return None
    if h[:1] == b"{":
        if path.name.lower().endswith((".jsonl", ".jsonl.gz")):
            return "cityjsonseq"
        lines = [ln.strip() for ln in h.split(b"\n")]
        first = lines[0]
        if first.startswith(b"{") and first.endswith(b"}"):
            if _JSON_TYPE.search(first) and _JSON_TYPE.search(first).group(1) == b"CityJSONFeature":
                return "cityjsonseq"
            if any(ln.startswith(b"{") for ln in lines[1:]):
                return "cityjsonseq"
        if b'"geometricError"' in h and b'"asset"' in h and b'"CityObjects"' not in h:
            return "b3dm"  # a 3D Tiles tileset (its schema may well mention CityJSON)
        if b"CityJSON" in h or b'"CityObjects"' in h:
            return "cityjson"
        for name, fn in _SNIFFERS.items():
            if fn(h):
                return name
        return None
    for name, fn in _SNIFFERS.items():
        if fn(h):
            return name
    return None


#: Extra content sniffers (format name -> predicate on the first bytes), added by format modules.
_SNIFFERS: dict[str, Callable[[bytes], bool]] = {}


def register_sniffer(name: str, fn: Callable[[bytes], bool]) -> None:
    """Register a content test for a format (used when the extension is ambiguous)."""
    _SNIFFERS[name] = fn

register_sniffer("ifc", lambda h: h.lstrip(b"\xef\xbb\xbf").lstrip().startswith(b"ISO-10303-21"))
_GLTF_KEYS = (b'"accessors"', b'"meshes"', b'"bufferViews"', b'"scenes"', b'"CityObjects"')
register_sniffer("b3dm", lambda h: h[:4] == b"b3dm" or (h.lstrip()[:1] == b"{" and b'"asset"' in h
                                                        and not any(k in h for k in _GLTF_KEYS)))


register_sniffer("citygml", lambda h: h[:1] == b"<" and b"http://www.opengis.net/citygml/" in h
                 and b"CityModel" in h)


def detect_format(path: str | Path) -> FormatSpec:
    """The format of an existing file, by content first and extension second."""
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

    spec = format_for_output(path, format)
    writer = _load(spec.writer)
    with gc_paused():
        writer(model, Path(path), **options)


def readable_formats() -> list[FormatSpec]:
    return [s for s in FORMATS.values() if s.reader]


def writable_formats() -> list[FormatSpec]:
    return [s for s in FORMATS.values() if s.writer]
