"""What a format family declares: its formats (:class:`FormatSpec`) and content tests (:class:`Sniffer`).

A family (``citytwin.io.cityjson.formats``, or a third party's module named by an entry point in
the ``citytwin.formats`` group) exposes ``FORMATS`` (a sequence of :class:`FormatSpec`) and,
optionally, ``SNIFFERS`` (a sequence of :class:`Sniffer`); :mod:`citytwin.io.registry` collects
them. Nothing here imports a reader: readers and writers are ``"module:function"`` strings.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable


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


@dataclass(frozen=True)
class Sniffer:
    """A content test telling a format from others that share its extension.

    Attributes
    ----------
    format : the format name this test recognises
    test : ``test(head, path) -> bool``; ``head`` is the file's first bytes (4 KiB, decompressed
        for ``.gz``) without a UTF-8 BOM or leading white space, never empty
    priority : tests run in increasing priority (then in registration order); the first that says
        True names the format. Built-in values: 10 CityJSONSeq, 20 a 3D Tiles tileset,
        30 CityJSON, 50 the formats with a distinctive signature (IFC, b3dm, CityGML).
    """

    format: str
    test: Callable[[bytes, Path], bool]
    priority: int = 50
