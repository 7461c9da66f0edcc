"""The CityJSON family's formats and content tests (collected by :mod:`citytwin.io.registry`)."""

from __future__ import annotations

import re
from pathlib import Path

from citytwin.io.formatspec import FormatSpec, Sniffer

FORMATS = (
    FormatSpec("cityjson", "CityJSON", (".city.json", ".cityjson", ".json"),
               "citytwin.io.cityjson.reader:read_cityjson", "citytwin.io.cityjson.writer:write_cityjson"),
    FormatSpec("cityjsonseq", "CityJSONSeq", (".city.jsonl", ".jsonl"),
               "citytwin.io.cityjson.seq:read_cityjsonseq", "citytwin.io.cityjson.writer:write_cityjsonseq"),
)

_JSON_TYPE = re.compile(rb'"type"\s*:\s*"([^"]+)"')


def is_cityjsonseq(head: bytes, path: Path) -> bool:
    """A ``.jsonl`` name, a first line that is a whole ``CityJSONFeature``, or several JSON lines."""
    if head[:1] != b"{":
        return False
    if path.name.lower().endswith((".jsonl", ".jsonl.gz")):
        return True
    lines = [ln.strip() for ln in head.split(b"\n")]
    first = lines[0]
    if first.startswith(b"{") and first.endswith(b"}"):
        m = _JSON_TYPE.search(first)
        if m and m.group(1) == b"CityJSONFeature":
            return True
        if any(ln.startswith(b"{") for ln in lines[1:]):
            return True
    return False


def is_cityjson(head: bytes, path: Path) -> bool:
    """A JSON object naming ``CityJSON`` or holding ``CityObjects`` in its first bytes."""
    return head[:1] == b"{" and (b"CityJSON" in head or b'"CityObjects"' in head)


SNIFFERS = (Sniffer("cityjsonseq", is_cityjsonseq, 10), Sniffer("cityjson", is_cityjson, 30))
