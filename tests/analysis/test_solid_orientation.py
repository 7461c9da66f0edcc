"""Solids oriented inside out (a real PLATEAU-derived file): reported, and turned for the analyses."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import numpy as np
import pytest

from citytwin.app.cli import main

DATA = Path(__file__).resolve().parents[1] / "data"
JAPANESE = DATA / "cityjson" / "cjval_japanese_v2.0.city.json"


def _reverse_solid_rings(src: Path, dst: Path) -> None:
    """Write a copy with every ring of every Solid reversed (turns the inward shells outward)."""
    d = json.loads(src.read_text(encoding="utf-8"))
    for o in d["CityObjects"].values():
        for g in o.get("geometry", []):
            if g["type"] == "Solid":
                g["boundaries"] = [[[list(np.asarray(r)[::-1].tolist()) for r in srf] for srf in sh]
                                   for sh in g["boundaries"]]
    dst.write_text(json.dumps(d), encoding="utf-8")


def _solar(path: Path, csv_path: Path, capsys) -> tuple[dict, list[dict], str]:
    assert main(["solar", str(path), "--clear-sky", "--resolution", "2", "--surfaces", "roof",
                 "--csv", str(csv_path), "--json-summary"]) == 0
    cap = capsys.readouterr()
    summary = json.loads(cap.out.strip().splitlines()[-1])
    with open(csv_path, newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    return summary, rows, cap.err


def test_info_reports_inside_out_solids(capsys):
    assert main(["info", str(JAPANESE)]) == 0
    out = capsys.readouterr().out
    assert out.count("ALL_POLYGONS_WRONGLY_ORIENTED") == 2  # the two LoD 2 solids info looks at
    assert "-44242.2 m3" in out and "-1898.1 m3" in out


def _raw_signed_volumes(path: Path) -> dict[tuple[str, str], float]:
    """Signed volume of each Solid straight from the JSON (fan of each ring; exact for planar rings)."""
    d = json.loads(path.read_text(encoding="utf-8"))
    v = np.asarray(d["vertices"], float) * d["transform"]["scale"] + d["transform"]["translate"]
    v -= v.min(axis=0)
    out = {}
    for oid, o in d["CityObjects"].items():
        for g in o.get("geometry", []):
            if g["type"] != "Solid":
                continue
            vol = 0.0
            for srf in g["boundaries"][0]:
                for ring in srf:
                    p = v[ring]
                    vol += float(np.einsum("ij,ij->", np.repeat(p[:1], len(p) - 2, 0),
                                           np.cross(p[1:-1], p[2:]))) / 6.0
            out[(oid, g["lod"])] = vol
    return out


def test_problems_carry_the_signed_volumes_of_the_file():
    from citytwin.app.commands.load import LoadParams, load_model

    raw = _raw_signed_volumes(JAPANESE)
    assert len(raw) == 4 and all(x < 0 for x in raw.values())
    for lod in ("1", "2"):
        model = load_model(LoadParams(JAPANESE, None))
        model.triangulate(lod=lod)
        got = {p.object_id: p.message for p in model.problems if "WRONGLY_ORIENTED" in p.message}
        want = {oid: vol for (oid, gl), vol in raw.items() if gl == lod}
        assert set(got) == set(want)
        for oid, vol in want.items():
            assert f"{vol:.1f} m3" in got[oid]


def test_solar_on_inside_out_solids_equals_the_reoriented_file(tmp_path, capsys):
    fixed = tmp_path / "outward.city.json"
    _reverse_solid_rings(JAPANESE, fixed)
    s_in, rows_in, err_in = _solar(JAPANESE, tmp_path / "in.csv", capsys)
    s_out, rows_out, err_out = _solar(fixed, tmp_path / "out.csv", capsys)
    assert "warning: file: 2 solid(s) (2 shell(s)) were oriented inside out" in err_in
    assert "oriented inside out" not in err_out
    assert s_in["mean_kwh_m2"]["RoofSurface"] > 0
    # the reversed rings triangulate differently (other sample points): equal up to sampling
    assert s_in["mean_kwh_m2"]["RoofSurface"] == pytest.approx(s_out["mean_kwh_m2"]["RoofSurface"], rel=0.005)
    a = {(r["object_id"], r["surface"]): float(r["annual_kwh_m2"]) for r in rows_in}
    b = {(r["object_id"], r["surface"]): float(r["annual_kwh_m2"]) for r in rows_out}
    assert a.keys() == b.keys()
    diff = np.array([abs(a[k] - b[k]) for k in a])
    print("per-surface |diff| kWh/m2: max", diff.max(), "median", np.median(diff))
    assert np.median(diff) < 1.0 and diff.max() < 0.1 * s_in["ghi_kwh_m2"]
    # oracle: an unshaded horizontal roof receives the global horizontal irradiation
    flat_open = [float(r["annual_kwh_m2"]) for r in rows_in
                 if float(r["tilt_deg"]) < 1 and float(r["svf"]) > 0.99]
    assert len(flat_open) >= 5
    assert np.median(flat_open) == pytest.approx(s_in["ghi_kwh_m2"], rel=0.02)
    assert all(float(r["tilt_deg"]) < 90 for r in rows_in)  # no roof faces down any more
