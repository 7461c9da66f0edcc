"""The IFC family's format and content test (collected by :mod:`citytwin.io.registry`)."""

from __future__ import annotations

from pathlib import Path

from citytwin.io.formatspec import FormatSpec, Sniffer

FORMATS = (FormatSpec("ifc", "IFC", (".ifc", ".ifczip", ".ifcxml"), "citytwin.io.ifc.reader:read_ifc"),)


def is_ifc_step(head: bytes, path: Path) -> bool:
    """An ISO 10303-21 (STEP physical file) header."""
    return head.startswith(b"ISO-10303-21")


SNIFFERS = (Sniffer("ifc", is_ifc_step),)
