"""Hypothesis strategies that mutate real files: byte-level for binary and line formats,
tree-level for JSON (CityJSON, tilesets, glTF JSON) and XML (CityGML).

Mutations are chosen to hit the classic reader bugs: extreme and wrong-typed values (1e308,
NaN, -0.0, None, an int past int64, a dict where a list belongs), truncation, duplicated chunks,
length fields set to huge values, and deleted or repeated elements.
"""

from __future__ import annotations

import copy
import gzip
import json
import struct

from hypothesis import strategies as st

#: values a JSON reader must survive anywhere (Python values; NaN is written as the JSON5 token)
INTERESTING_JSON = [
    None, True, False, 0, -1, 1, -0.0, 1e308, -1e308, 1.5, 2**31, 2**63, -(2**63) - 1, 2**64,
    10**30, "", "x", "../../../etc/passwd", "/dev/zero", [], [[]], [None], [-1], [1e308, 1e308, 1e308],
    {}, {"type": "Solid"}, {"a": [1, 2]}, float("nan"), float("inf"),
]

INTERESTING_TEXT = ["", "NaN", "-0", "1e308", "-1e308", "inf", "99999999999999999999999", "x",
                    "1 2", "-1", "0", "\u00e9", "1,5", " ", "#x", "../../x.png"]

INTERESTING_U32 = [0, 1, 0x7FFFFFFF, 0x80000000, 0xFFFFFFFF, 2**20, 2**24 + 1]


@st.composite
def mutated_bytes(draw, data: bytes, max_mutations: int = 4) -> bytes:
    """A copy of ``data`` with 1..max_mutations byte-level mutations."""
    buf = bytearray(data)
    for _ in range(draw(st.integers(1, max_mutations))):
        kind = draw(st.sampled_from(["flip", "set", "insert", "delete", "duplicate", "truncate",
                                     "u32", "float", "text"]))
        n = len(buf)
        pos = draw(st.integers(0, max(n - 1, 0)))
        if kind == "flip" and n:
            buf[pos] ^= 1 << draw(st.integers(0, 7))
        elif kind == "set" and n:
            buf[pos] = draw(st.integers(0, 255))
        elif kind == "insert":
            buf[pos:pos] = draw(st.binary(min_size=1, max_size=16))
        elif kind == "delete" and n:
            buf[pos:pos + draw(st.integers(1, 64))] = b""
        elif kind == "duplicate" and n:
            ln = draw(st.integers(1, min(4096, n - pos)))
            buf[pos:pos] = bytes(buf[pos:pos + ln])
        elif kind == "truncate":
            del buf[pos:]
        elif kind == "u32" and n >= 4:
            pos = min(pos, n - 4) & ~3
            buf[pos:pos + 4] = struct.pack("<I", draw(st.sampled_from(INTERESTING_U32)))
        elif kind == "float" and n >= 4:
            pos = min(pos, n - 4) & ~3
            buf[pos:pos + 4] = struct.pack("<f", draw(st.sampled_from(
                [float("nan"), float("inf"), -0.0, 3.4e38, -3.4e38])))
        elif kind == "text":
            buf[pos:pos] = draw(st.sampled_from(INTERESTING_TEXT)).encode()
    return bytes(buf)


def _paths(node, prefix=(), out=None, limit=20000):
    """Every path (tuple of keys/indices) into a JSON tree, breadth-limited."""
    if out is None:
        out = []
    if len(out) >= limit:
        return out
    out.append(prefix)
    if isinstance(node, dict):
        for k, v in node.items():
            _paths(v, prefix + (k,), out, limit)
    elif isinstance(node, list):
        for i, v in enumerate(node[:50]):
            _paths(v, prefix + (i,), out, limit)
    return out


def _get(node, path):
    for k in path:
        node = node[k]
    return node


@st.composite
def mutated_json(draw, doc, max_mutations: int = 3) -> bytes:
    """A JSON document (bytes) with tree-level mutations of ``doc`` (a parsed JSON value)."""
    doc = copy.deepcopy(doc)
    for _ in range(draw(st.integers(1, max_mutations))):
        paths = _paths(doc)
        path = draw(st.sampled_from(paths[1:] or paths))
        if not path:
            continue
        parent = _get(doc, path[:-1])
        key = path[-1]
        kind = draw(st.sampled_from(["replace", "replace", "delete", "duplicate", "wrap", "swap_type"]))
        if kind == "replace":
            parent[key] = copy.deepcopy(draw(st.sampled_from(INTERESTING_JSON)))
        elif kind == "delete":
            del parent[key]
        elif kind == "duplicate" and isinstance(parent, list):
            parent.insert(key, copy.deepcopy(parent[key]))
        elif kind == "wrap":
            parent[key] = [parent[key]]
        elif kind == "swap_type":
            v = parent[key]
            parent[key] = (list(v.values()) if isinstance(v, dict) else
                           {"0": v} if isinstance(v, list) else str(v))
    return json.dumps(doc, allow_nan=True).encode()


@st.composite
def mutated_xml(draw, data: bytes, max_mutations: int = 3) -> bytes:
    """An XML document (bytes) with element-level mutations of ``data``."""
    from lxml import etree

    root = etree.fromstring(data, etree.XMLParser(resolve_entities=False, no_network=True,
                                                  huge_tree=False, remove_blank_text=False))
    for _ in range(draw(st.integers(1, max_mutations))):
        elems = [e for e in root.iter() if isinstance(e.tag, str)]
        el = draw(st.sampled_from(elems))
        parent = el.getparent()
        kind = draw(st.sampled_from(["text", "text", "attr", "delete", "duplicate", "children", "empty"]))
        if kind == "text":
            el.text = draw(st.sampled_from(INTERESTING_TEXT + ["1 2 3 4 5 6 7 8 9 1 2 3",
                                                               "0 0 0 1 0 0 1 1 0 0 0"]))
        elif kind == "attr" and el.attrib:
            k = draw(st.sampled_from(sorted(el.attrib)))
            el.attrib[k] = draw(st.sampled_from(INTERESTING_TEXT + ["#" + "x" * 10]))
        elif kind == "delete" and parent is not None:
            parent.remove(el)
        elif kind == "duplicate" and parent is not None:
            parent.insert(parent.index(el), copy.deepcopy(el))
        elif kind == "children":
            for c in list(el):
                el.remove(c)
        elif kind == "empty":
            el.text = None
            for c in list(el):
                el.remove(c)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")


@st.composite
def mutated_gzip(draw, data: bytes) -> bytes:
    """A gzip stream of ``data`` that is then truncated or corrupted (or left whole)."""
    z = gzip.compress(data, mtime=0)
    kind = draw(st.sampled_from(["truncate", "bytes", "whole"]))
    if kind == "truncate":
        return z[:draw(st.integers(0, len(z) - 1))]
    if kind == "bytes":
        return draw(mutated_bytes(z, 2))
    return z
