"""Hostile and fuzzer-found inputs (tests/data/hostile, each a copy of a real file with one edit):
every reader ends with exit 0 or 1, one ``error:`` line naming the file, no traceback, within
2 GB and a time limit (tests/fuzz/harness.py forks the real CLI with those limits)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "fuzz"))
from harness import check_invariants, run_cli  # noqa: E402

HOSTILE = Path(__file__).resolve().parents[1] / "data" / "hostile"


def _info(name: str):
    path = HOSTILE / name
    out = run_cli(["info", str(path), "--json"], timeout=120)
    check_invariants(out, path)
    return out, (json.loads(out.stdout) if out.code == 0 else None)


def _convert(name: str, tmp_path: Path):
    path = HOSTILE / name
    target = tmp_path / "out" / "x.city.json"
    out = run_cli(["convert", str(path), str(target), "--quiet"], timeout=120)
    check_invariants(out, path, target)
    return out, target


def _messages(d: dict) -> str:
    return "\n".join(p["message"] for p in d["problems"])


@pytest.mark.parametrize("name, expect", [
    ("attributes_list.city.json", '"attributes" is a list'),
    ("geometry_type_object.city.json", "unknown type"),
    ("semantics_past_int32.city.json", "semantic values are malformed or out of range"),
    ("textures_number.city.json", '"appearance.textures" is not a list of objects'),
    ("material_list.city.json", "material is not an object of themes"),
    ("boundaries_null.city.json", "has no list of boundaries"),
    ("semantic_type_true.city.json", "semantic surface type True is not a string"),
])
def test_cityjson_wrong_types_are_problems_not_tracebacks(name, expect, tmp_path):
    """A member of the wrong JSON type is a per-object problem; the rest of the file loads and
    converts (before: TypeError / AttributeError / OverflowError tracebacks)."""
    out, d = _info(name)
    assert out.code == 0 and expect in _messages(d), out.stderr
    out, target = _convert(name, tmp_path)
    assert out.code == 0 and target.is_file(), out.stderr


@pytest.mark.parametrize("name, expect", [
    ("index_fraction.city.json", "boundaries hold something other than vertex indices"),
    ("index_below_int64.city.json", "boundaries hold something other than vertex indices"),
    ("scale_1e308.city.json", 'overflow once "transform" is applied'),
    ("metadata_list.city.json", '"metadata" is not a JSON object'),
])
def test_cityjson_impossible_values_are_one_error(name, expect, tmp_path):
    """An index of 1.5 is refused (it was silently taken as 1), coordinates that overflow after
    the transform are refused (they were written as inf), a non-object metadata is one error."""
    out, _ = _info(name)
    assert out.code == 1 and expect in out.stderr, out.stderr
    out, target = _convert(name, tmp_path)
    assert out.code == 1 and not target.exists()


def test_citygml_coordinates_that_are_not_numbers_skip_the_geometry():
    out, d = _info("poslist_not_numbers.gml")
    assert out.code == 0 and "coordinates that are not numbers" in _messages(d)


@pytest.mark.parametrize("name", ["truncated.gml.gz", "corrupted.gml.gz"])
def test_broken_gzip_stream_is_one_error(name, tmp_path):
    out, _ = _info(name)
    assert out.code == 1, out.stderr
    out, target = _convert(name, tmp_path)
    assert out.code == 1


def test_b3dm_huge_batch_length_is_refused_before_allocating():
    """BATCH_LENGTH 2^40 in a 45 KB tile made a Python list of that length (~8 GB)."""
    out, _ = _info("batch_length_2e40.b3dm")
    assert out.code == 1 and "BATCH_LENGTH 1099511627776" in out.stderr and out.seconds < 100


def test_b3dm_nan_rtc_and_faces_past_vertices():
    out, _ = _info("rtc_nan.b3dm")
    assert out.code == 1 and "RTC_CENTER is not finite" in out.stderr
    out, _ = _info("faces_past_vertices.b3dm")
    assert out.code == 1 and "triangles index vertices it does not have" in out.stderr


@pytest.mark.parametrize("name, expect", [
    ("mtllib_dev_zero.obj", "/dev/zero is outside the input folder"),
    ("mtllib_outside.obj", "is outside the input folder"),
])
def test_obj_mtllib_outside_the_folder_is_not_read(name, expect):
    """``mtllib /dev/zero`` was read until ~8 GB; ``mtllib ../../etc/passwd`` was opened."""
    out, d = _info(name)
    assert out.code == 0 and expect in _messages(d), out.stderr
    assert d["triangles"] == 12


def test_fifo_is_never_opened_for_reading(tmp_path):
    """A FIFO named like a model would block ``info`` forever."""
    import os

    fifo = tmp_path / "model.city.json"
    os.mkfifo(fifo)
    out = run_cli(["info", str(fifo)], timeout=30)
    check_invariants(out, fifo)
    assert out.code == 1 and "FIFO" in out.stderr


def test_obj_mtllib_fifo_does_not_block(tmp_path):
    import os
    import shutil

    shutil.copy(HOSTILE.parent / "mesh" / "box.obj", tmp_path / "box.obj")
    os.mkfifo(tmp_path / "box.mtl")
    out = run_cli(["info", str(tmp_path / "box.obj"), "--json"], timeout=60)
    check_invariants(out, tmp_path / "box.obj")
    assert out.code == 0 and "FIFO" in out.stdout


def _tileset(folder: Path, root: dict) -> Path:
    import shutil

    (folder / "sub").mkdir(exist_ok=True)
    shutil.copy(HOSTILE.parent / "mesh" / "dragon_low.b3dm", folder / "sub" / "dragon_low.b3dm")
    p = folder / "tileset.json"
    p.write_text(json.dumps({"asset": {"version": "1.0"}, "geometricError": 1, "root": root}))
    return p


def _tile(uri: str, children=(), **kw) -> dict:
    return {"boundingVolume": {"sphere": [0, 0, 0, 10]}, "geometricError": 0, "refine": "ADD",
            "content": {"uri": uri}, "children": list(children), **kw}


def test_tileset_cycle_is_read_once(tmp_path):
    """A tileset whose children point back at itself was walked exponentially (a hang)."""
    p = _tileset(tmp_path, _tile("sub/dragon_low.b3dm", [_tile("tileset.json"), _tile("tileset.json")]))
    out = run_cli(["info", str(p), "--json"], timeout=120)
    check_invariants(out, p)
    d = json.loads(out.stdout)
    assert out.code == 0 and "a cycle" in _messages(d) and out.seconds < 100


@pytest.mark.parametrize("uri", ["/dev/zero", "../outside/dragon_low.b3dm"])
def test_tileset_content_outside_the_folder_is_refused(tmp_path, uri):
    """An absolute or ``../`` content URI was read (its geometry reached the output)."""
    import shutil

    (tmp_path / "outside").mkdir()
    shutil.copy(HOSTILE.parent / "mesh" / "dragon_low.b3dm", tmp_path / "outside" / "dragon_low.b3dm")
    (tmp_path / "in").mkdir()
    p = _tileset(tmp_path / "in", _tile("sub/dragon_low.b3dm", [_tile(uri)]))
    out = run_cli(["info", str(p), "--json"], timeout=120)
    check_invariants(out, p)
    d = json.loads(out.stdout)
    assert "is outside the input folder" in _messages(d)
    alone = run_cli(["info", str(tmp_path / "in" / "sub" / "dragon_low.b3dm"), "--json"], timeout=120)
    assert d["triangles"] == json.loads(alone.stdout)["triangles"]  # only the tile inside was read


def test_tileset_bad_transform_and_deep_nesting(tmp_path):
    p = _tileset(tmp_path, _tile("sub/dragon_low.b3dm", transform=[1, 2, 3]))
    out = run_cli(["info", str(p)], timeout=120)
    check_invariants(out, p)
    assert out.code == 1 and "not 16 finite numbers" in out.stderr
    s = json.dumps(_tile("sub/dragon_low.b3dm"))
    for _ in range(400):
        s = '{"geometricError": 0, "children": [' + s + "]}"
    p.write_text('{"asset": {"version": "1.0"}, "geometricError": 1, "root": ' + s + "}")
    out = run_cli(["info", str(p)], timeout=120)
    check_invariants(out, p)
    assert out.code == 1 and "nested more than" in out.stderr


@pytest.mark.parametrize("name", ["seq_index_past_feature.city.jsonl", "seq_negative_index.city.jsonl"])
def test_cityjsonseq_feature_cannot_use_another_features_vertices(name):
    """Indices were checked against the whole file's vertex pool only: a feature silently took
    a neighbour's vertex (exit 0, no problem). The unedited file still reads."""
    out, _ = _info(name)
    assert out.code == 1 and "its CityJSONFeature has" in out.stderr, out.stderr
    path = HOSTILE.parent / "cityjson" / "3dbag_b2.city.jsonl"
    ok = run_cli(["info", str(path), "--json"], timeout=120)
    assert ok.code == 0 and json.loads(ok.stdout)["objects"] > 0


def test_convert_default_gives_the_full_readers_result(tmp_path):
    """The cityjson-lib fast copy (now only with --fast-copy) rounded 100000.123 to 100000 in a
    2.0 file without transform and reported no problem; citytwin then refused its own output.
    By default convert refuses the file as info does; semantic values out of range are counted."""
    out, target = _convert("no_transform_decimal.city.json", tmp_path)
    assert out.code == 1 and 'requires a "transform"' in out.stderr
    out, target = _convert("semantics_past_int32.city.json", tmp_path)
    assert out.code == 0 and "1 problem in the input" in out.stderr, out.stderr


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-be", "utf-32"])
def test_entity_declaration_in_utf16_is_refused(tmp_path, encoding):
    """The refusal of XML that declares entities was bypassed by UTF-16 input (the entity
    reference was silently dropped from the text). Made from the real DenHaag_1BwBP.gml with a
    DOCTYPE declaring an entity inserted, then re-encoded."""
    text = (HOSTILE.parent / "citygml" / "DenHaag_1BwBP.gml").read_text(encoding="utf-8")
    decl_end = text.index("?>") + 2
    text = (text[:decl_end].replace('encoding="UTF-8"', f'encoding="{encoding.upper()}"')
            .replace("encoding='UTF-8'", f"encoding='{encoding.upper()}'")
            + '\n<!DOCTYPE CityModel [<!ENTITY e "injected">]>' + text[decl_end:])
    p = tmp_path / "entity.gml"
    p.write_bytes(text.encode(encoding))
    out = run_cli(["info", str(p), "--format", "citygml"], timeout=120)
    check_invariants(out, p)
    assert out.code == 1 and "declares entities" in out.stderr, out.stderr


def test_obj_vertex_with_two_coordinates_is_one_error():
    out, _ = _info("vertex_two_coordinates.obj")
    assert out.code == 1 and "a vertex has 2 coordinates" in out.stderr, out.stderr


def test_gzip_bomb_stops_at_the_ratio_limit(tmp_path):
    """A small .gml.gz that expands without bound (the review's 15 MB file reached 8.3 GB) stops
    with one error naming the file and the limit: made from the real DenHaag_1BwBP.gml with 100 MB
    of blanks inside a comment (gzip: ~100 KB, ratio ~1000)."""
    import gzip

    text = (HOSTILE.parent / "citygml" / "DenHaag_1BwBP.gml").read_bytes()
    root_end = text.index(b">", text.index(b"<CityModel")) + 1
    p = tmp_path / "bomb.gml.gz"
    with gzip.open(p, "wb", compresslevel=9) as f:
        f.write(text[:root_end] + b"<!--")
        for _ in range(100):
            f.write(b" " * 2**20)
        f.write(b"-->" + text[root_end:])
    assert p.stat().st_size < 1_000_000
    out = run_cli(["info", str(p)], timeout=120)
    check_invariants(out, p)
    assert out.code == 1 and "decompression bomb" in out.stderr, out.stderr
