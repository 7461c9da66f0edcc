"""The CityGML family's format and content test (collected by :mod:`citytwin.io.registry`)."""

from __future__ import annotations

from pathlib import Path

from citytwin.io.formatspec import FormatSpec, Sniffer

# CityGML 1.0 / 2.0 / 3.0 (read), 2.0 / 3.0 (write; --citygml-version)
FORMATS = (
    FormatSpec("citygml", "CityGML", (".gml", ".xml"), "citytwin.io.citygml.reader:read_citygml",
               "citytwin.io.citygml.writer:write_citygml", ("citygml_version",)),
)


def is_citygml(head: bytes, path: Path) -> bool:
    """An XML document naming a CityGML namespace and a ``CityModel`` (not IndoorGML or other GML)."""
    return head[:1] == b"<" and b"http://www.opengis.net/citygml/" in head and b"CityModel" in head


SNIFFERS = (Sniffer("citygml", is_citygml),)
