"""Bad input: the invalid suites of cjval, the cityjson corpus and val3dity, plus truncated and
empty files. Unreadable files give one ``error:`` line naming the file and exit 1; readable files
with invalid content load and ``info`` lists the problems per object id. Never a traceback."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from citytwin.errors import InputError
from citytwin.io.registry import read
from tests.conftest import SHARED

ROOT = Path(__file__).resolve().parents[2]
INVALID = SHARED / "invalid"

# file -> ("reject", words the message must contain) or ("problems", words one problem must contain)
EXPECT = {
    "cityjson_corpus/invalid_missing_type/invalid_missing_type.json": ("reject", "type"),
    "cityjson_corpus/invalid_out_of_range_vertex_index/invalid_out_of_range_vertex_index.json": ("reject", ""),
    "cityjson_corpus/invalid_u64_f64_bounds/invalid_u64_f64_bounds.json": ("reject", "range"),
    "cityjson_corpus/invalid_cityjsonfeature_root_id_unresolved/invalid_cityjsonfeature_root_id_unresolved.city.jsonl":
        ("problems", "is not one of its CityObjects"),
    "cityjson_cjval/extension_typo_type.city.jsonl": ("problems", "unknown city object type"),
    "cityjson_cjval/material.city.json": ("problems", "material theme"),
    "cityjson_cjval/material2.city.json": ("problems", "material theme"),
    "cityjson_cjval/texture1.city.json": ("problems", "texture theme"),
    "cityjson_cjval/texture2.city.json": ("problems", "texture theme"),
    "cityjson_cjval/texture6.city.json": ("problems", "texture theme"),
    "val3dity/misc/with-errors.json": ("reject", "malformed JSON"),
    "val3dity/misc/nonmanifold.json": ("problems", "not closed"),
    "val3dity/test_cjseq/notransform.city.jsonl": ("reject", "transform"),
    "val3dity/test_cjseq/unclosedbracket.city.jsonl": ("reject", "malformed JSON"),
    "val3dity/test_empty/completely_empty.json": ("reject", "empty"),
    "val3dity/test_empty/empty_primitive_1.json": ("reject", "version"),
    "val3dity/test_file_format/invalid_json_cityjson.json": ("reject", "line 3"),
    "val3dity/test_file_format/invalid_schema_cityjson_1.json": ("reject", "malformed JSON"),
    "val3dity/test_file_format/invalid_schema_cityjson_2.json": ("reject", "out of range"),
}


def _run_info(path: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "citytwin", "info", "--json", str(path)],
                          capture_output=True, text=True, timeout=120)


@pytest.mark.parametrize("rel", sorted(EXPECT))
def test_invalid_file(rel: str) -> None:
    path = INVALID / rel
    if not path.exists():
        pytest.skip("shared corpus not present")
    kind, words = EXPECT[rel]
    res = _run_info(path)
    assert "Traceback" not in res.stderr
    if kind == "reject":
        assert res.returncode == 1
        lines = res.stderr.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("error: ") and path.name in lines[0]
        assert words.lower() in lines[0].lower()
    else:
        assert res.returncode == 0, res.stderr
        info = json.loads(res.stdout)
        assert info["problem_count"] > 0
        assert any(words.lower() in p["message"].lower() for p in info["problems"])


def test_every_invalid_file_is_handled() -> None:
    """Every file of the suites gets exit 0 (loaded, problems listed) or 1 (one error line)."""
    if not INVALID.exists():
        pytest.skip("shared corpus not present")
    files = [p for d in ("cityjson_cjval", "cityjson_corpus", "val3dity") for p in (INVALID / d).rglob("*")
             if p.is_file() and p.name not in ("invariants.json", "test_metadata.yml")]
    assert len(files) > 100
    # one process for all: read through the same code path as the CLI
    for p in files:
        try:
            read(p).triangulate()
        except InputError as exc:
            msg = str(exc)
            assert str(p) in msg and "\n" not in msg
        except Exception as exc:  # noqa: BLE001 - anything else is a bug
            pytest.fail(f"{p}: {type(exc).__name__}: {exc}")


def test_truncated_and_empty_files(tmp_path: Path) -> None:
    src = ROOT / "tests" / "data" / "cityjson" / "3dbag_b2_v2.0.city.json"
    data = src.read_bytes()
    for cut in (0, 1, 100, len(data) // 2, len(data) - 2):
        p = tmp_path / f"cut{cut}.city.json"
        p.write_bytes(data[:cut])
        res = _run_info(p)
        assert res.returncode == 1, (cut, res.stdout)
        assert res.stderr.startswith("error: ") and p.name in res.stderr
        assert "Traceback" not in res.stderr
    seq = (ROOT / "tests" / "data" / "cityjson" / "3dbag_b2.city.jsonl").read_bytes()
    p = tmp_path / "cut.city.jsonl"
    p.write_bytes(seq[: len(seq) - 40])  # last feature truncated: the rest loads, problem listed
    res = _run_info(p)
    assert res.returncode == 0
    info = json.loads(res.stdout)
    assert info["objects"] >= 1 and any("malformed JSON" in q["message"] for q in info["problems"])


def test_failed_convert_leaves_no_output(tmp_path: Path) -> None:
    bad = tmp_path / "bad.city.json"
    bad.write_text('{"type": "CityJSON", "version": "2.0", "CityObjects": {"a": {"type": "Building", '
                   '"geometry": [{"type": "MultiSurface", "lod": "1", "boundaries": [[[0, 1, 9]]]}]}}, '
                   '"vertices": [[0,0,0],[1,0,0],[0,1,0]], "transform": {"scale": [1,1,1], "translate": [0,0,0]}}')
    out = tmp_path / "out.city.json"
    res = subprocess.run([sys.executable, "-m", "citytwin", "convert", str(bad), str(out)],
                         capture_output=True, text=True, timeout=120)
    assert res.returncode == 1 and "out of range" in res.stderr and "'a'" in res.stderr
    assert not out.exists() and not list(tmp_path.glob("*.part"))


def test_material_as_a_list_is_read_as_one_theme_with_a_warning(tmp_path: Path) -> None:
    """val3dity's file declares 1.0 but encodes ``material`` as a list of per-surface indices (the
    CityJSON 0.2 encoding; themes came in 0.3): it used to raise AttributeError. It is read as one
    theme with a warning, and what we write from it validates against the CityJSON 2.0 schema."""
    import jsonschema_rs

    src = ROOT / "tests" / "data" / "cityjson" / "val3dity_material_list_v1.0.city.json"
    res = _run_info(src)
    assert res.returncode == 0 and "Traceback" not in res.stderr, res.stderr
    info = json.loads(res.stdout)
    msgs = [p["message"] for p in info["problems"]]
    assert sum("material is a list" in m for m in msgs) == 2
    m = read(src)
    geoms = [g for o in m.objects.values() for g in o.geometry]
    assert all(list(g.materials) == ["default"] for g in geoms)
    assert all(g.materials["default"].values.max() < len(m.appearance.materials) for g in geoms)
    out = tmp_path / "out.city.json"
    r = subprocess.run([sys.executable, "-m", "citytwin", "convert", str(src), str(out), "--quiet"],
                       capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr
    schema = ROOT / "resources" / "schemas" / "cityjson" / "2.0" / "cityjson.min.schema.json"
    errors = list(jsonschema_rs.validator_for(json.loads(schema.read_text())).iter_errors(
        json.loads(out.read_text())))
    assert not errors, errors[:3]
