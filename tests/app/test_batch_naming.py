"""Batch output names and options (issue 11 item 11): a tileset.json input is not written as
CityJSON into a file named tileset.json, ``batch info`` never writes a hidden ``.info.json``,
``batch convert --citygml-version`` exists, and bad values are usage errors (exit 2) like --bbox."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from citytwin.app.commands.batch_inputs import output_name, strip_model_suffix

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "tests" / "data"


def test_tileset_json_output_is_named_as_cityjson():
    assert output_name("tileset.json", None) == ("tileset.city.json", "cityjson")
    assert output_name("a/tileset.json", None) == ("a/tileset.city.json", "cityjson")
    assert output_name("x.city.json", None) == ("x.city.json", "cityjson")  # unchanged
    assert output_name("x.gml", None) == ("x.gml", "citygml")


def test_info_names_are_never_hidden():
    assert strip_model_suffix("tileset.json") == "tileset"
    assert strip_model_suffix("a/tileset.json") == "a/tileset"
    assert strip_model_suffix("a/t1.city.json.gz") == "a/t1"


def _cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "citytwin", *args], capture_output=True, text=True, timeout=600)


@pytest.mark.parametrize("args", [["convert", "IN", "OUT", "--precision", "0"],
                                  ["convert", "IN", "OUT", "--bbox", "1,2,3"],
                                  ["batch", "convert", "IN", "-o", "OUTDIR", "--precision", "-1", "--workers", "0"],
                                  ["batch", "convert", "IN", "-o", "OUTDIR", "--bbox", "1,2,3", "--workers", "0"]])
def test_bad_values_are_usage_errors(args, tmp_path):
    src = DATA / "cityjson" / "3dbag_b2_v2.0.city.json"
    args = [str(src) if a == "IN" else str(tmp_path / "o.city.json") if a == "OUT" else
            str(tmp_path / "out") if a == "OUTDIR" else a for a in args]
    r = _cli(*args)
    assert r.returncode == 2, r.stderr
    assert [ln for ln in r.stderr.splitlines() if ln.startswith("error:")], r.stderr
    assert "Traceback" not in r.stderr


def test_batch_convert_tileset_and_citygml_version(tmp_path):
    """A folder with a tileset.json and a CityJSON file: the tileset becomes tileset.city.json,
    and --citygml-version 3.0 with --format citygml writes CityGML 3.0."""
    src = tmp_path / "in"
    (src / "ts").mkdir(parents=True)
    shutil.copy(DATA / "mesh" / "dragon_low.b3dm", src / "ts" / "dragon_low.b3dm")
    (src / "ts" / "tileset.json").write_text(json.dumps({
        "asset": {"version": "1.0"}, "geometricError": 1,
        "root": {"boundingVolume": {"sphere": [0, 0, 0, 10]}, "geometricError": 0,
                 "content": {"uri": "dragon_low.b3dm"}}}))
    r = _cli("batch", "convert", str(src / "ts" / "tileset.json"), "-o", str(tmp_path / "out"),
             "--workers", "0", "--quiet")
    assert r.returncode == 0, r.stderr
    assert (tmp_path / "out" / "tileset.city.json").is_file()
    assert not (tmp_path / "out" / "tileset.json").exists()
    r = _cli("batch", "convert", str(DATA / "cityjson" / "3dbag_b2_v2.0.city.json"), "-o", str(tmp_path / "gml"),
             "--format", "citygml", "--citygml-version", "3.0", "--workers", "0", "--quiet")
    assert r.returncode == 0, r.stderr
    out = next((tmp_path / "gml").glob("*.gml"))
    assert b"http://www.opengis.net/citygml/3.0" in out.read_bytes()[:5000]
    r = _cli("batch", "info", str(src / "ts" / "tileset.json"), "-o", str(tmp_path / "info"), "--workers", "0",
             "--quiet")
    assert r.returncode == 0, r.stderr
    assert (tmp_path / "info" / "tileset.info.json").is_file()
    assert not (tmp_path / "info" / ".info.json").exists()
