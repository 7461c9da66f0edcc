"""Safe XML parsing for untrusted city models (lxml).

Every parser made here refuses what an attacker could use: no DTD loading, no entity
expansion (internal or external), no network access, no "huge tree" mode (libxml2 keeps its
limits on depth and text node size). A file that declares entities at all is refused before
parsing: CityGML never needs them, and refusing is the only way to be sure that neither a
billion-laughs bomb nor an XXE reference to a local file (``<!ENTITY x SYSTEM "file:///etc/passwd">``)
is ever expanded.
"""

from __future__ import annotations

import gzip
import re
import zlib
from pathlib import Path
from typing import IO, Iterable, Iterator

from citytwin.errors import InputError

#: Bytes read to look for a DOCTYPE before the root element.
_PROLOG_BYTES = 65536
_DOCTYPE = re.compile(rb"<!DOCTYPE", re.IGNORECASE)
_ENTITY = re.compile(rb"<!ENTITY", re.IGNORECASE)
_ROOT_START = re.compile(rb"<(?![?!])")


def parser_options() -> dict:
    """Keyword arguments for ``lxml.etree.XMLParser`` / ``iterparse`` that make them safe."""
    return dict(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False,
                dtd_validation=False)


def open_xml(path: str | Path) -> IO[bytes]:
    """Open a plain or gzip-compressed XML file for binary reading (``.gz`` by suffix)."""
    from citytwin.io.safe_io import check_input, open_gzip

    path = Path(path)
    check_input(path)  # a FIFO or a device is never opened
    try:
        if path.name.lower().endswith(".gz"):
            return open_gzip(path)  # streamed, with a decompressed-size limit
        return open(path, "rb")
    except OSError as exc:
        raise InputError(path, f"cannot be read ({exc.strerror or exc})") from None


def _as_utf8(head: bytes) -> bytes:
    """The first bytes as UTF-8, whatever the document's encoding (UTF-16/32 by BOM or by the
    pattern of ``<?`` that an XML declaration starts with): a DOCTYPE written in UTF-16 has a NUL
    between its letters and was not seen by the byte patterns (issue 17 item 11)."""
    boms = ((b"\x00\x00\xfe\xff", "utf-32-be"), (b"\xff\xfe\x00\x00", "utf-32-le"),
            (b"\xfe\xff", "utf-16-be"), (b"\xff\xfe", "utf-16-le"))
    starts = ((b"\x00\x00\x00<", "utf-32-be"), (b"<\x00\x00\x00", "utf-32-le"),
              (b"\x00<", "utf-16-be"), (b"<\x00", "utf-16-le"))
    for prefix, enc, skip in [(b, e, True) for b, e in boms] + [(b, e, False) for b, e in starts]:
        if head.startswith(prefix):
            body = head[len(prefix):] if skip else head
            n = 4 if "32" in enc else 2
            return body[: len(body) // n * n].decode(enc, errors="replace").encode("utf-8")
    return head


def check_prolog(path: str | Path, head: bytes) -> None:
    """Refuse documents whose prolog declares entities (bombs, XXE); ``head`` = the first bytes
    (in any encoding the XML may use: UTF-8, UTF-16, UTF-32)."""
    head = _as_utf8(head)
    m = _DOCTYPE.search(head)
    if not m:
        return
    # only the prolog matters: a DOCTYPE can only come before the root element
    if _ENTITY.search(head, m.end()):
        raise InputError(path, "the XML declares entities in a DOCTYPE, which is refused for safety "
                         "(entity expansion bombs and external entities are never processed)", "prolog")
    raise InputError(path, "the XML has a DOCTYPE declaration, which CityGML does not use; refused for safety",
                     "prolog")


def read_head(path: str | Path, n: int = _PROLOG_BYTES) -> bytes:
    """The first ``n`` (decompressed) bytes of a file."""
    try:
        with open_xml(path) as f:
            return f.read(n)
    except (OSError, EOFError, zlib.error) as exc:  # zlib.error: a corrupted .gz stream
        raise InputError(path, f"cannot be read ({getattr(exc, 'strerror', None) or exc})") from None


def safe_iterparse(path: str | Path, events: Iterable[str] = ("end",), tag=None, stream: IO[bytes] | None = None
                   ) -> Iterator:
    """``lxml.etree.iterparse`` over a (possibly gzipped) file with the safe options.

    ``stream``: read this file-like object instead of ``path`` (a part of the file with the same
    prolog, see :mod:`citytwin.io.citygml.split`); ``path`` still names the file in errors.
    Syntax errors, truncation and I/O errors surface as :class:`InputError` naming the line.
    """
    from lxml import etree

    check_prolog(path, read_head(path))
    f = open_xml(path) if stream is None else stream
    try:
        it = etree.iterparse(f, events=tuple(events), tag=tag, remove_blank_text=False,
                             remove_comments=True, remove_pis=True, **parser_options())
        try:
            yield from it
        except etree.XMLSyntaxError as exc:
            line = exc.lineno if getattr(exc, "lineno", None) else (exc.position[0] if exc.position else None)
            msg = str(exc.msg if hasattr(exc, "msg") else exc).split(", line")[0]
            if "end of data" in msg.lower() or "premature end" in msg.lower() or "EndTag" in msg \
                    or "not properly terminated" in msg:
                msg = f"the XML ends early (truncated file?): {msg}"
            else:
                msg = f"malformed XML: {msg}"
            raise InputError(path, msg, f"line {line}" if line else None) from None
        except (EOFError, OSError, zlib.error) as exc:  # zlib.error: a corrupted .gz stream
            raise InputError(path, f"the file ends early or cannot be read ({exc})") from None
    finally:
        f.close()


def parse_tree(path: str | Path):
    """Parse a whole (small) XML document safely; returns the ElementTree."""
    from lxml import etree

    check_prolog(path, read_head(path))
    parser = etree.XMLParser(**parser_options())
    with open_xml(path) as f:
        try:
            return etree.parse(f, parser)
        except etree.XMLSyntaxError as exc:
            raise InputError(path, f"malformed XML: {exc}") from None
