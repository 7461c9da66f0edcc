"""Find the members of a large JSON document by byte range, without parsing it whole.

``orjson.loads`` of a 100 MB CityJSON builds ~1.4 GB of Python dicts and lists, all alive at once.
Reading it member by member (the CityObjects a few thousand at a time, the vertices in blocks)
keeps one chunk of Python objects alive at a time. This module finds the byte ranges with numpy:
it locates the braces and quotes (sparse in CityJSON, whose bulk is numbers, commas and square
brackets), drops those inside strings (parity of the unescaped quotes before them), and tracks
the brace depth. Nothing here decodes values: orjson parses each range afterwards, and any
surprise makes the caller fall back to one full parse, which reports the line and column.
Written by hand: ijson (the streaming JSON library) yields per-token Python events, far slower.
"""

from __future__ import annotations

import numpy as np

_QUOTE, _BSLASH, _OPEN, _CLOSE = 34, 92, 123, 125
_WS = b" \t\r\n"


def _unescaped(buf: np.ndarray, quotes: np.ndarray) -> np.ndarray:
    """Drop quotes preceded by an odd run of backslashes (checked only where one precedes)."""
    if not len(quotes):
        return quotes
    prev = buf[np.maximum(quotes - 1, 0)] == _BSLASH
    prev &= quotes > 0
    if not prev.any():
        return quotes
    keep = np.ones(len(quotes), dtype=bool)
    for k in np.flatnonzero(prev).tolist():
        i, run = int(quotes[k]) - 1, 0
        while i >= 0 and buf[i] == _BSLASH:
            run += 1
            i -= 1
        keep[k] = run % 2 == 0
    return quotes[keep]


def braces(data: bytes, start: int = 0, end: int | None = None
           ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Braces outside strings in ``data[start:end]`` and the string quotes.

    ``data[start]`` must not be inside a string.

    Returns
    -------
    positions : (k,) int64 offsets of ``{`` and ``}`` outside strings
    depths : (k,) int32 brace depth: after ``{`` for an opener, before ``}`` for a closer (1 = the
        outermost object's contents)
    quotes : (q,) int64 offsets of the unescaped quotes (string delimiters), in order
    """
    end = len(data) if end is None else end
    buf = np.frombuffer(data, dtype=np.uint8)
    a = buf[start:end]
    hits = np.flatnonzero((a == _OPEN) | (a == _CLOSE) | (a == _QUOTE)) + start
    ch = buf[hits]
    quotes = _unescaped(buf, hits[ch == _QUOTE])
    br = hits[ch != _QUOTE]
    br = br[(np.searchsorted(quotes, br) & 1) == 0]
    step = np.where(buf[br] == _OPEN, 1, -1).astype(np.int32)
    after = np.cumsum(step, dtype=np.int32)
    depth = np.where(step < 0, after + 1, after)
    return br.astype(np.int64), depth, quotes.astype(np.int64)


def _skip_ws(data: bytes, i: int) -> int:
    n = len(data)
    while i < n and data[i] in _WS:
        i += 1
    return i


def root_members(data: bytes) -> tuple[dict[bytes, tuple[int, int]], np.ndarray, np.ndarray] | None:
    """Byte ranges ``(start, end)`` of the values of the root object's members, by raw key bytes,
    and the brace positions and depths (see :func:`braces`) for :func:`object_chunks` to reuse.

    Returns None when the document is not an object whose braces balance (the caller then falls
    back to a full parse, which says what is wrong).
    """
    first = _skip_ws(data, 0)
    if first >= len(data) or data[first] != _OPEN:
        return None
    pos, depth, quotes = braces(data, first)
    if len(pos) < 2 or depth[-1] != 1 or pos[0] != first or data[int(pos[-1]) + 1:].strip():
        return None
    close = int(pos[-1])
    is_open = data_is_open(data, pos)
    if np.count_nonzero((depth == 1) & ~is_open) != 1:
        return None  # the root closes before the end
    opens, ends = quotes[0::2], quotes[1::2]
    if len(opens) != len(ends):
        return None
    cum = np.concatenate([[0], np.cumsum(np.where(is_open, 1, -1))])
    at_root = cum[np.searchsorted(pos, opens)] == 1  # brace depth at each string's opening quote
    members: dict[bytes, tuple[int, int]] = {}
    keys: list[tuple[bytes, int, int]] = []  # raw key, its opening quote, where its value starts
    for o, e in zip(opens[at_root].tolist(), ends[at_root].tolist()):
        j = _skip_ws(data, e + 1)
        if j < len(data) and data[j] == 58:  # ':' -> a key
            keys.append((data[o:e + 1], o, j + 1))
    for i, (key, _, vstart) in enumerate(keys):
        if i + 1 < len(keys):
            comma = data.rfind(b",", vstart, keys[i + 1][1])
            if comma < 0:
                return None
            members[key] = (vstart, comma)
        else:
            members[key] = (vstart, close)
    return members, pos, depth


def data_is_open(data: bytes, pos: np.ndarray) -> np.ndarray:
    """True where ``data[pos]`` is ``{``."""
    return np.frombuffer(data, dtype=np.uint8)[pos] == _OPEN


def object_chunks(data: bytes, start: int, end: int, per_chunk: int = 2000,
                  known: tuple[np.ndarray, np.ndarray] | None = None) -> list[tuple[int, int]] | None:
    """Split the object in ``data[start:end]`` into ranges of about ``per_chunk`` members each.

    Each range holds whole ``"key": value`` members separated by commas, ready to be wrapped in
    braces and parsed alone. ``known``: braces and depths of the whole document from
    :func:`root_members`, to skip a second scan. Returns None when the range is not one object
    with balanced braces.
    """
    s = _skip_ws(data, start)
    if s >= end or data[s] != _OPEN:
        return None
    if known is not None:
        i0, i1 = np.searchsorted(known[0], [s, end])
        pos, depth = known[0][i0:i1], known[1][i0:i1] - (known[1][i0] - 1)
    else:
        pos, depth, _ = braces(data, s, end)
    if len(pos) < 2 or pos[0] != s or depth[-1] != 1 or data[int(pos[-1]) + 1:end].strip():
        return None
    close = int(pos[-1])
    is_open = data_is_open(data, pos)
    child_close = pos[(depth == 2) & ~is_open]  # the closing brace of each member's value
    cuts = child_close[per_chunk - 1::per_chunk].tolist()
    out: list[tuple[int, int]] = []
    prev = s + 1
    for c in cuts:
        out.append((prev, c + 1))
        prev = c + 1
    out.append((prev, close))
    return out


def array_chunks(data: bytes, start: int, end: int, chunk_bytes: int = 1 << 22) -> list[tuple[int, int]] | None:
    """Split a flat array of small arrays (CityJSON ``vertices``) into ranges of whole elements.

    Cuts are made after a ``]`` followed by a comma (the end of one ``[x, y, z]``), about every
    ``chunk_bytes``. Returns None when the range is not an array.
    """
    s = _skip_ws(data, start)
    e = end
    while e > s and data[e - 1] in _WS:
        e -= 1
    if s >= e or data[s] != 91 or data[e - 1] != 93:
        return None
    out = []
    prev = s + 1
    while prev < e - 1:
        nxt = data.find(b"]", min(prev + chunk_bytes, e - 1), e - 1)
        if nxt < 0:
            out.append((prev, e - 1))
            break
        out.append((prev, nxt + 1))
        prev = nxt + 1
    return out


def wrap(data: bytes, rng: tuple[int, int], opener: bytes, closer: bytes) -> bytes:
    """``opener + data[a:b] + closer`` with the leading comma of the range removed."""
    piece = data[rng[0]:rng[1]].lstrip(b" \t\r\n,")
    return opener + piece + closer
