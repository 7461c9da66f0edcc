"""The solar, shadow and svf commands as a user runs them, on a real 3D BAG tile."""

from __future__ import annotations

import csv
import json
import sys
from pathlib import Path

import numpy as np
import pytest

sys.path.insert(0, str(Path(__file__).parent))
import scenes  # noqa: E402

from citytwin.app.cli import main  # noqa: E402
from citytwin.io.registry import read, write  # noqa: E402

DATA = Path(__file__).resolve().parents[1] / "data"
BAG = DATA / "cityjson" / "3dbag_b2_v2.0.city.json"
EPW = DATA / "weather" / "NLD_Amsterdam062400_IWEC.epw"


@pytest.fixture(scope="module")
def solar_run(tmp_path_factory):
    out = tmp_path_factory.mktemp("solar")
    args = ["solar", str(BAG), "--weather", str(EPW), "--resolution", "2", "-o", str(out / "o.city.json"),
            "--csv", str(out / "s.csv"), "--geojson", str(out / "b.geojson"), "--report", str(out / "r.html"),
            "--json-summary", "--quiet"]
    return out, args


def test_solar_cli_writes_everything(solar_run, capsys):
    out, args = solar_run
    assert main(args) == 0
    summary = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    for key in ("points", "surfaces", "buildings", "annual_kwh_total", "mean_kwh_m2"):
        assert key in summary
    assert summary["buildings"] == 2 and summary["points"] > 100
    assert 600 < summary["mean_kwh_m2"]["RoofSurface"] < 1000
    assert 250 < summary["mean_kwh_m2"]["WallSurface"] < summary["mean_kwh_m2"]["RoofSurface"]
    # CSV: one row per surface, totals add up to the summary
    rows = list(csv.DictReader((out / "s.csv").open()))
    assert len(rows) == summary["surfaces"]
    assert sum(float(r["annual_kwh"]) for r in rows) == pytest.approx(summary["annual_kwh_total"], rel=1e-3)
    # (party walls between touching buildings see nothing: svf 0 and 0 kWh, rightly)
    monthly = np.array([[float(r[f"{m}_kwh_m2"]) for m in ("jan", "jun", "dec")] for r in rows
                        if float(r["svf"]) > 0.02])
    assert (monthly[:, 1] > monthly[:, 0]).all() and (monthly[:, 1] > monthly[:, 2]).all()
    # GeoJSON: WGS 84 footprints near Delft with the building totals
    gj = json.loads((out / "b.geojson").read_text())
    assert len(gj["features"]) == 2
    lon, lat = np.array(gj["features"][0]["geometry"]["coordinates"][0]).T
    assert 4.3 < lon.mean() < 4.4 and 51.9 < lat.mean() < 52.1
    assert gj["features"][0]["properties"]["annual_kwh"] > 0
    # HTML: self-contained, three charts
    html = (out / "r.html").read_text()
    assert html.count("data:image/png;base64,") == 3 and "Sun path" in html
    # the model carries the results as attributes, readable back
    m = read(out / "o.city.json")
    b = [o for o in m.objects.values() if "solar_annual_kwh" in o.attributes]
    assert len(b) == 2
    sem = [s for o in m.objects.values() for g in o.geometry if g.semantics
           for s in g.semantics.surfaces if "solar_annual_kwh_m2" in s]
    assert len(sem) == summary["surfaces"]
    assert all(len(s["solar_monthly_kwh_m2"]) == 12 for s in sem)


def test_shadow_cli_png_and_summary(tmp_path, capsys):
    png = tmp_path / "sun.png"
    rc = main(["shadow", str(BAG), "--date", "2025-06-21", "--from", "08:00", "--to", "18:00", "--step", "30",
               "--resolution", "3", "--grid", "2", "--png", str(png), "-o", str(tmp_path / "o.city.json"),
               "--csv", str(tmp_path / "s.csv"), "--geojson", str(tmp_path / "s.geojson"), "--json-summary",
               "--quiet"])
    assert rc == 0
    s = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert s["times"] == 21 and s["tz"] == "Europe/Amsterdam"
    assert s["first"].endswith("+02:00")  # summer time
    assert 0 < s["ground_sun_hours_mean"] <= 10.0
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    m = read(tmp_path / "o.city.json")
    assert any("shadow_sun_hours" in o.attributes for o in m.objects.values())
    header = (tmp_path / "s.csv").read_text().splitlines()[0].split(",")
    assert header[:5] == ["object_id", "building_id", "surface", "points", "sun_hours"] and len(header) == 5 + 21
    feats = json.loads((tmp_path / "s.geojson").read_text())["features"]
    assert len(feats) == 2 and all(0 < f["properties"]["sun_hours"] <= 10.0 for f in feats)


def test_svf_cli(tmp_path, capsys):
    rc = main(["svf", str(BAG), "--resolution", "3", "--surfaces", "roof", "--mf", "4", "--json-summary",
               "--csv", str(tmp_path / "svf.csv"), "--geojson", str(tmp_path / "svf.geojson"), "--quiet"])
    assert rc == 0
    s = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert 0.6 < s["svf_mean"] <= 1.0  # pitched roofs see (1 + cos tilt) / 2 of the sky at most
    assert len((tmp_path / "svf.csv").read_text().splitlines()) == s["surfaces"] + 1
    feats = json.loads((tmp_path / "svf.geojson").read_text())["features"]
    assert len(feats) == 2 and all(0.5 < f["properties"]["svf"] <= 1.0 for f in feats)


def test_cli_errors_are_one_line(tmp_path, capsys):
    m = scenes.model_of([("b", "Building", scenes.box_faces(0, 0, 10, 10, 10))], crs=None)
    f = tmp_path / "nocrs.city.json"
    write(m, f)
    assert main(["solar", str(f), "--clear-sky", "--json-summary", "--quiet"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("error:") and "no CRS" in err[0]
    bad = tmp_path / "bad.epw"
    bad.write_text("LOCATION,x\n")
    assert main(["solar", str(BAG), "--weather", str(bad), "--json-summary", "--quiet"]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("error:") and "bad.epw" in err[0]
    assert main(["shadow", str(BAG), "--date", "2025-13-01", "--json-summary", "--quiet"]) == 2
    assert "YYYY-MM-DD" in capsys.readouterr().err
    assert main(["solar", str(BAG), "--quiet"]) == 2  # nothing to write


def test_shadow_cli_lod_picks_the_geometry(capsys):
    """``shadow --lod`` as ``solar --lod`` and ``batch shadow --lod``: LoD 1 and LoD 2 of the same
    buildings give different sample points."""
    src = BAG.parent / "multi_lod_v2.0.city.json"
    points = {}
    for lod in ("1", "2"):
        assert main(["shadow", str(src), "--date", "2025-06-21", "--time", "12:00", "--lod", lod,
                     "--latitude", "52", "--longitude", "4.4", "--grid", "0", "--json-summary", "--quiet"]) == 0
        points[lod] = json.loads(capsys.readouterr().out.strip().splitlines()[-1])["points"]
    assert points["1"] != points["2"] and min(points.values()) > 0
