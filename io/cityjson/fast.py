"""Fast CityJSON 2.0 -> CityJSON 2.0 copy through cityjson-lib (Rust parser and serialiser).

Used by ``convert`` when no model-level work (reprojection, filters, precision change) is asked:
parsing and writing 100 MB this way takes about 2 s instead of ~7 s for ``orjson.loads`` alone.
Anything cityjson-lib refuses falls back to the full reader, which reports problems precisely.
"""

from __future__ import annotations

import re
from pathlib import Path

from citytwin.io.atomic import atomic_write_bytes

_VERSION = re.compile(rb'"version"\s*:\s*"2\.0(\.\d+)?"')


def fast_copy(src: str | Path, dst: str | Path) -> int | None:
    """Copy a CityJSON 2.0 file through cityjson-lib.

    Returns the number of city objects written, or None when the file is not eligible (not
    CityJSON 2.0, a sequence, gzip, has appearance or templates) or cityjson-lib refuses it
    (the caller falls back to the full reader and writer).
    """
    src = Path(src)
    if src.suffix == ".gz" or src.name.endswith(".jsonl"):
        return None
    try:
        import cityjson_lib
    except ImportError:
        return None
    try:
        data = src.read_bytes()
    except OSError:
        return None
    if not _eligible(data, cityjson_lib) or b'"appearance"' in data or b'"geometry-templates"' in data:
        # textures, materials and templates are rewritten by cityjson-lib in ways we cannot yet
        # prove lossless; those files take the full path
        return None
    try:
        model = cityjson_lib.CityModel.parse_document_bytes(data)
        out = model.serialize_document_bytes()
        n = model.summary().cityobject_count
        model.close()
    except Exception:
        return None
    atomic_write_bytes(dst, out)
    return int(n)


def _eligible(data: bytes, cityjson_lib) -> bool:
    """A CityJSON (not a feature) document of version 2.0.

    The version is read from the first 4 KB when it is there (writers that put ``version``
    first); files that start with ``CityObjects`` (the 3D BAG, Delft) are probed by cityjson-lib,
    a full scan at ~170 MB/s, still far cheaper than a refused parse.
    """
    head = data[:4096]
    if head.lstrip()[:1] != b"{" or b"CityJSONFeature" in head[:2000]:
        return False
    if b'"CityObjects"' not in head[:64]:
        return bool(_VERSION.search(head))
    try:
        probe = cityjson_lib.probe_bytes(data)
    except Exception:
        return False
    return probe.root_kind == cityjson_lib.RootKind.CITY_JSON and probe.version == cityjson_lib.Version.V2_0
