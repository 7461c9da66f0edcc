"""Reading and writing CityJSON in chunks (bounded memory) gives exactly what the whole-document
path gives, and the byte-range splitter survives JSON's tricky corners."""

from __future__ import annotations

from pathlib import Path

import orjson
import pytest

from citytwin.io.cityjson import json_split as js
from citytwin.io.cityjson.reader import _read_chunked, read_cityjson
from citytwin.io.cityjson.writer import document, write_cityjson
from citytwin.semantics.compare import diff_models

LOCAL = Path(__file__).resolve().parents[1] / "data" / "cityjson"
V2 = sorted(p for p in LOCAL.rglob("*.city.json") if b'"version":"2.0"' in p.read_bytes().replace(b" ", b""))

TRICKY = {
    "a": 'x\\"}{[',                      # escaped quote and brackets inside a string
    "b": [1, [2, 3], {"c": "]\\\\}"}],   # a string ending in an escaped backslash
    "CityObjects": {"o1": {"t": "{"}, 'o"2': {}, "o3": {"x": {"y": [1, {"z": "}"}]}}, "o4": {}},
    "vertices": [[1, 2, 3], [4, 5, 6], [7, 8, 9]],
    "z": "\\",
}


@pytest.mark.parametrize("indent", [0, orjson.OPT_INDENT_2])
def test_split_tricky_document(indent: int) -> None:
    data = orjson.dumps(TRICKY, option=indent)
    members, pos, depth = js.root_members(data)
    assert {orjson.loads(k): orjson.loads(data[a:b]) for k, (a, b) in members.items()} == TRICKY
    a, b = members[b'"CityObjects"']
    for per in (1, 2, 3, 10):
        objs: dict = {}
        for r in js.object_chunks(data, a, b, per, known=(pos, depth)):
            objs.update(orjson.loads(js.wrap(data, r, b"{", b"}")))
        assert objs == TRICKY["CityObjects"]
    a, b = members[b'"vertices"']
    for size in (1, 8, 1000):
        verts: list = []
        for r in js.array_chunks(data, a, b, size):
            verts += orjson.loads(js.wrap(data, r, b"[", b"]"))
        assert verts == TRICKY["vertices"]


@pytest.mark.parametrize("bad", [b"", b"[1, 2]", b'{"a": 1', b'{"a": 1}}', b'{"a": "}', b'{"a": 1} x'])
def test_split_refuses_what_is_not_one_object(bad: bytes) -> None:
    assert js.root_members(bad) is None


@pytest.mark.parametrize("path", V2, ids=[p.name for p in V2])
def test_chunked_read_equals_whole_read(path: Path) -> None:
    data = path.read_bytes()
    chunked = _read_chunked(data, path)
    assert chunked is not None  # a CityJSON 2.0 file takes the chunked path
    assert diff_models(read_cityjson(path), chunked) == []


def test_chunked_read_falls_back_on_malformed_content(tmp_path: Path) -> None:
    src = (LOCAL / "multi_lod_v2.0.city.json").read_bytes()
    broken = src.replace(b'"CityObjects":{', b'"CityObjects":{"x": {,', 1) if b'"CityObjects":{' in src else None
    if broken is None:
        pytest.skip("layout differs")
    p = tmp_path / "broken.city.json"
    p.write_bytes(broken)
    assert _read_chunked(broken, p) is None  # the caller re-parses whole, for line and column


def test_streamed_write_equals_document(tmp_path: Path) -> None:
    for path in V2:
        model = read_cityjson(path)
        out = tmp_path / "w.city.json"
        write_cityjson(model, out)
        written = orjson.loads(out.read_bytes())
        expected = orjson.loads(orjson.dumps(document(model)))
        assert written == expected and list(written) == list(expected)
