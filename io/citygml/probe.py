"""What a CityGML file is, from its first bytes: root element, CityGML version, global appearances.

Cheap checks run before (and independently of) the streaming read: :func:`citygml_version`
names a file that is not CityGML (IndoorGML, plain GML, another XML) in one sentence, and
:func:`has_top_level_appearances` decides whether polygon ids must be kept for the whole file.
"""

from __future__ import annotations

import mmap
from pathlib import Path

from citytwin.errors import InputError
from citytwin.io.citygml.geometry import local
from citytwin.io.citygml.vocab import CITYGML_PREFIX, CORE_VERSIONS, GML31, GML32, INDOORGML_PREFIX
from citytwin.io.xml_safe import check_prolog, parser_options, read_head


def root_info(path: Path, head: bytes) -> tuple[str, str]:
    """(namespace, local name) of the root element, from the first bytes of the file."""
    from lxml import etree

    parser = etree.XMLPullParser(events=("start",), **parser_options())
    try:
        parser.feed(head)
        for _, el in parser.read_events():
            tag = el.tag
            ns = tag[1:].split("}")[0] if tag.startswith("{") else ""
            return ns, local(tag)
    except etree.XMLSyntaxError as exc:
        raise InputError(path, f"malformed XML: {exc.msg}",
                         f"line {exc.lineno}" if exc.lineno else None) from None
    if not head.strip():
        raise InputError(path, "the file is empty")
    if len(head) < 65536 and head.lstrip().startswith(b"<"):
        raise InputError(path, "the XML ends early (truncated file?) before its root element is complete")
    raise InputError(path, "not an XML document (no root element in the first 64 KiB)")


def citygml_version(path: Path) -> str:
    """The CityGML version of a file (``"1.0"``, ``"2.0"``, ``"3.0"``), or InputError naming what it is."""
    head = read_head(path)
    check_prolog(path, head)
    ns, name = root_info(path, head)
    if ns.startswith(INDOORGML_PREFIX):
        raise InputError(path, "not a CityGML file (it is IndoorGML)", f"root element {name}")
    if name != "CityModel" or not ns.startswith(CITYGML_PREFIX):
        what = "plain GML" if ns in (GML31, GML32) else f"root element {name!r} in namespace {ns!r}"
        raise InputError(path, f"not a CityGML file ({what})")
    v = CORE_VERSIONS.get(ns)
    if v is None:
        raise InputError(path, f"unknown CityGML version (namespace {ns!r}; supported: 1.0, 2.0, 3.0)",
                         "root element")
    return v


def has_top_level_appearances(path: Path) -> bool:
    """Cheap scan: does the file have appearanceMember elements (global appearances)?"""
    needle = b"appearanceMember"
    if path.name.lower().endswith(".gz"):
        from citytwin.io.safe_io import open_gzip

        with open_gzip(path) as f:  # bounded (decompression bomb) and errors name the file
            tail = b""
            while True:
                chunk = f.read(1 << 22)
                if not chunk:
                    return False
                if needle in tail + chunk:
                    return True
                tail = chunk[-len(needle):]
    with open(path, "rb") as f:
        try:
            with mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ) as mm:
                return mm.find(needle) >= 0
        except ValueError:  # empty file
            return False
