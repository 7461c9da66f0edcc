"""The CLI on CityJSON: info --json keys, convert with filters and reprojection, exit codes."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np

from citytwin.io.registry import read

DATA = Path(__file__).resolve().parents[1] / "data" / "cityjson"


def ct(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "citytwin", *map(str, args)], capture_output=True,
                          text=True, timeout=180)


def test_info_json() -> None:
    res = ct("info", "--json", DATA / "3dbag_b2_v2.0.city.json")
    assert res.returncode == 0, res.stderr
    d = json.loads(res.stdout)
    for key in ("format", "version", "crs", "object_counts", "lods", "semantic_counts", "bbox", "triangles",
                "problems"):
        assert key in d
    assert d["format"] == "CityJSON" and d["version"] == "2.0" and d["crs"] == "EPSG:7415"
    assert d["object_counts"] == {"Building": 2, "BuildingPart": 2}
    assert d["semantic_counts"]["RoofSurface"] == 10 and d["lods"] == ["2.2"]
    assert len(d["bbox"]) == 6 and d["bbox"][0] < d["bbox"][3] and d["triangles"] == 246


def test_convert_filters_and_reprojection(tmp_path: Path) -> None:
    src = DATA / "multi_lod_v2.0.city.json"
    out = tmp_path / "lod22.city.json"
    assert ct("convert", src, out, "--lod", "2.2", "--assign-crs", "EPSG:7415", "--crs", "EPSG:28992").returncode == 0
    m = read(out)
    assert m.lods() == ["2.2"] and m.crs.to_string() == "EPSG:28992"
    orig = read(src)
    assert np.abs(m.bbox()[:2] - orig.bbox()[:2]).max() < 1e-3  # RD New + NAP -> RD New: same x, y
    box = orig.object_bboxes()[next(iter(orig.objects))]
    out2 = tmp_path / "bbox.city.jsonl"
    res = ct("convert", src, out2, "--bbox", f"{box[0]-0.1},{box[1]-0.1},{box[3]+0.1},{box[4]+0.1}",
             "--types", "Building")
    assert res.returncode == 0, res.stderr
    assert 1 <= len(read(out2)) < len(orig)


def test_exit_codes(tmp_path: Path) -> None:
    assert ct().returncode == 2
    assert ct("convert", DATA / "3dbag_b2_v2.0.city.json", tmp_path / "x.unknownext").returncode == 1
    res = ct("convert", DATA / "3dbag_b2_v2.0.city.json", tmp_path / "a.city.json", "--bbox", "1,2,3")
    assert res.returncode == 2 and res.stderr.strip().splitlines()[-1].startswith("error:")
    res = ct("info", tmp_path / "missing.city.json")
    assert res.returncode == 1 and "no such file" in res.stderr
    res = ct("convert", DATA / "multi_lod_v2.0.city.json", tmp_path / "b.city.json", "--crs", "EPSG:28992")
    assert res.returncode == 2 and "declares no CRS" in res.stderr


def test_convert_creates_the_output_folder_and_warns_on_approximate_heights(tmp_path: Path) -> None:
    """A missing output folder is made; a vertical reprojection without its grid says so."""
    from pyproj.transformer import TransformerGroup

    out = tmp_path / "new" / "deeper" / "wgs.city.json"
    res = ct("convert", DATA / "3dbag_b2_v2.0.city.json", out, "--crs", "EPSG:4979")
    assert res.returncode == 0, res.stderr
    assert out.exists() and read(out).crs.to_string() == "EPSG:4979"
    if not TransformerGroup("EPSG:7415", "EPSG:4979").best_available:
        assert any(ln.startswith("warning:") and "nl_nsgi_nlgeo2018.tif" in ln for ln in res.stderr.splitlines())
    blocked = tmp_path / "file"
    blocked.write_text("x")
    res = ct("convert", DATA / "3dbag_b2_v2.0.city.json", blocked / "o.city.json")
    assert res.returncode == 1 and res.stderr.startswith("error:") and "cannot be created" in res.stderr


def test_demo_runs(tmp_path: Path) -> None:
    res = ct("demo", "--out", tmp_path)
    assert res.returncode == 0, res.stderr
    assert (tmp_path / "sample.city.json").exists() and (tmp_path / "sample_rd.city.json").exists()


