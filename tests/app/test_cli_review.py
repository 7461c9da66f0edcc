"""What a new user ran into (review of main): a far-away weather file, the silent clear-sky default,
unknown format names, ``| head``, colliding batch outputs, filters that keep nothing, messages
without a place. Each test runs the real CLI on real files."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest

from citytwin.analysis.weather import check_site, distance_km, read_weather
from citytwin.errors import InputError

TESTS = Path(__file__).resolve().parents[1]
CJ = TESTS / "data" / "cityjson"
DELFT = CJ / "3dbag_b2_v2.0.city.json"  # 3D BAG, EPSG:7415, lat 52.00 lon 4.37
EPW = TESTS / "data" / "weather" / "NLD_Amsterdam062400_IWEC.epw"
ALASKA = TESTS / "data" / "weather" / "TMY3_703165TY_SandPoint_AK_2days.csv"
BOX_OBJ = TESTS / "data" / "mesh" / "fuze.obj"


def ct(*args: str, **kw) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "citytwin", *map(str, args)], capture_output=True,
                          text=True, timeout=300, **kw)


# -- 1. weather from the other side of the world -------------------------------------------------

def test_solar_refuses_a_weather_file_from_alaska_for_a_dutch_model(tmp_path: Path) -> None:
    res = ct("solar", DELFT, "--weather", ALASKA, "--json-summary", "--quiet", "--resolution", "5")
    assert res.returncode == 1, res.stderr
    err = res.stderr.strip()
    assert err.count("\n") == 0 and err.startswith(f"error: {ALASKA}:")
    assert "SAND POINT, AK" in err and "3dbag_b2_v2.0.city.json" in err and "--weather-anywhere" in err
    km = float(err.split(" km from")[0].rsplit(" ", 1)[1].replace(",", ""))
    assert 7900 < km < 8100  # Sand Point (55.3 N 160.5 W) - Delft (52.0 N 4.4 E)
    assert res.stdout == ""
    # the override runs the study all the same
    ok = ct("solar", DELFT, "--weather", ALASKA, "--weather-anywhere", "--json-summary", "--quiet",
            "--resolution", "5")
    assert ok.returncode == 0, ok.stderr
    assert json.loads(ok.stdout)["weather"] == ALASKA.name


def test_batch_solar_refuses_it_per_tile_too(tmp_path: Path) -> None:
    res = ct("batch", "solar", DELFT, "-o", tmp_path / "out", "--workers", "0", "--quiet",
             "--resolution", "5", "--weather", ALASKA)
    assert res.returncode == 3, res.stderr
    assert "SAND POINT, AK" in res.stderr and "km from" in res.stderr
    assert not (tmp_path / "out" / DELFT.name).exists()


def test_time_zone_that_cannot_be_the_sites() -> None:
    w = read_weather(EPW)  # Amsterdam, UTC+1
    assert w.place == "AMSTERDAM, NLD"
    check_site(w, 52.0, 4.37)  # Delft: 40 km, UTC+1 fits longitude 4.4
    with pytest.raises(InputError, match=r"time zone UTC-5 cannot be that of .* longitude 4\.37"):
        check_site(replace(w, tz_hours=-5.0), 52.0, 4.37, EPW)
    # civil zones far from solar time on land still pass: Kashgar keeps UTC+8 at 76 E
    check_site(replace(w, latitude=39.47, longitude=75.99, tz_hours=8.0), 39.47, 75.99)
    # and across the date line Apia (UTC+13, 171.8 W) is 0.5 h from its solar time, not 24.5
    check_site(replace(w, latitude=-13.83, longitude=-171.76, tz_hours=13.0), -13.83, -171.76)
    assert abs(distance_km(52.3, 4.77, 52.0029, 4.3679) - 42.4) < 1.0


# -- 2. the clear-sky default says so ------------------------------------------------------------

def test_clear_sky_default_warns_and_says_so_in_the_summary(tmp_path: Path) -> None:
    report = tmp_path / "r.html"
    res = ct("solar", DELFT, "--json-summary", "--quiet", "--resolution", "5", "--report", report)
    assert res.returncode == 0, res.stderr
    assert "warning: no weather file given" in res.stderr and "upper bound" in res.stderr
    s = json.loads(res.stdout)
    assert s["weather"].startswith("clear-sky") and "upper bound" in s["weather_warning"]
    assert "no weather file given" in report.read_text()
    res = ct("solar", DELFT, "--clear-sky", "--json-summary", "--quiet", "--resolution", "5")
    assert res.returncode == 0 and "warning" not in res.stderr  # asked for: no warning, a note
    assert "upper bound" in json.loads(res.stdout)["weather_warning"]


# -- 3. unknown format names -----------------------------------------------------------------------

def test_unknown_format_is_a_usage_error(tmp_path: Path) -> None:
    res = ct("info", DELFT, "--format", "foo")
    assert res.returncode == 2
    assert res.stderr.strip() == ("error: unknown format 'foo' (choose from b3dm, citygml, cityjson, "
                                  "cityjsonseq, ifc, mesh)")
    out = tmp_path / "out"
    res = ct("batch", "info", DELFT, "-o", out, "--input-format", "foo", "--workers", "0", "--quiet")
    assert res.returncode == 2 and "unknown format 'foo' (choose from" in res.stderr
    assert "Traceback" not in res.stderr and not out.exists()  # refused before starting
    res = ct("convert", DELFT, tmp_path / "x.city.json", "--format", "ifc")
    assert res.returncode == 2 and "format 'ifc' cannot be written (choose from 3dtiles, citygml, cityjson" in res.stderr


# -- 4. | head -------------------------------------------------------------------------------------

def test_closed_stdout_pipe_exits_quietly() -> None:
    r, w = os.pipe()
    os.close(r)  # the reader is gone before the first line, as `| head -0` would leave it
    try:
        res = subprocess.run([sys.executable, "-m", "citytwin", "info", DELFT], stdout=w,
                             stderr=subprocess.PIPE, text=True, timeout=120)
    finally:
        os.close(w)
    assert res.returncode == 141 and res.stderr == ""


# -- 5. two inputs, one output name ----------------------------------------------------------------

def test_batch_gives_inputs_differing_by_extension_distinct_outputs(tmp_path: Path) -> None:
    import shutil

    from citytwin.app.commands.batch_inputs import expand_inputs
    from citytwin.errors import UsageError
    from citytwin.io.registry import read

    coll = tmp_path / "coll"
    (coll / "a").mkdir(parents=True)
    shutil.copy(DELFT, coll / "a" / "x.city.json")
    shutil.copy(CJ / "3dbag_b2.city.jsonl", coll / "a" / "x.city.jsonl")
    shutil.copy(CJ / "multi_lod_v2.0.city.json", coll / "y.city.json")
    out = tmp_path / "out"
    args = ("batch", "convert", coll, "-o", out, "--format", "cityjsonseq", "--workers", "0", "--quiet")
    res = ct(*args)
    assert res.returncode == 0, res.stderr
    assert "3 done" in res.stderr
    written = sorted(p.relative_to(out).as_posix() for p in out.rglob("*.city.jsonl"))
    assert written == ["a/x.json.city.jsonl", "a/x.jsonl.city.jsonl", "y.city.jsonl"]
    assert len(read(out / "a" / "x.json.city.jsonl")) == len(read(DELFT))
    res = ct(*args)  # a rerun finds every output again
    assert res.returncode == 0 and "0 done, 3 up to date" in res.stderr, res.stderr
    # a real file already named like the renamed one: refused, both named
    shutil.copy(DELFT, coll / "a" / "x.json.city.json")
    with pytest.raises(UsageError, match=r"x\.json\.city\.json and .* would both write a/x\.json\.\*"):
        expand_inputs([coll])


# -- 6. problems in text output say where --------------------------------------------------------

def test_info_text_names_geometry_and_surface_of_each_problem() -> None:
    from tests.conftest import shared_path

    delft = shared_path("cityjson", "delft_v2.0.city.json")
    res = ct("info", delft)
    assert res.returncode == 0, res.stderr
    lines = [ln.strip() for ln in res.stdout.splitlines() if "zero area" in ln]
    assert lines[:3] == [f"[error] b9f724050-00c9-11e6-b420-2bdcc4ab5d7f: geometry 0, surface {s}: polygon has "
                         "zero area (skipped)" for s in (39, 40, 45)]
    js = json.loads(ct("info", "--json", delft).stdout)
    zero = [p for p in js["problems"] if "zero area" in p["message"]][:3]
    assert [(p["geometry"], p["surface"]) for p in zero] == [(0, 39), (0, 40), (0, 45)]


# -- 7. filters that keep nothing say so ----------------------------------------------------------

def test_convert_filters_that_keep_nothing_warn(tmp_path: Path) -> None:
    from citytwin.io.registry import read

    out = tmp_path / "l.city.json"
    res = ct("convert", DELFT, out, "--lod", "1.2", "--quiet")
    assert res.returncode == 0, res.stderr
    assert "warning: --lod 1.2 keeps no geometry: the 4 objects are written without any; the input has LoD 2.2" \
        in res.stderr
    m = read(out)
    assert len(m) == 4 and not any(o.geometry for o in m.objects.values())
    res = ct("convert", DELFT, out, "--types", "Road", "--quiet")
    assert res.returncode == 0 and len(read(out)) == 0
    assert "warning: --types Road keeps no object: the input has Building, BuildingPart" in res.stderr
    res = ct("convert", DELFT, out, "--bbox", "0,0,1,1", "--quiet")
    assert "warning: --bbox keeps no object: the objects span x 84994.438..85022.195" in res.stderr
    res = ct("convert", DELFT, out, "--lod", "2.2", "--types", "Building", "--quiet")
    assert res.returncode == 0 and "warning" not in res.stderr and len(read(out)) == 4


# -- 8. library messages get a place ----------------------------------------------------------------

REVIEW = TESTS / "data" / "review"


@pytest.mark.parametrize("name, expected", [
    ("fail_reverse_string.ifc", "cannot be parsed as IFC (syntax error at line 8, column 22: unexpected 'p')"),
    ("index901.obj", "cannot be read as a mesh (line 11: face corner 9 names a vertex the file does not have "
                     "(only 8 before it))"),
    ("invariants.json", 'not a CityJSON file: a JSON object with no "type" member (members: checks, '
                        'expected_result, fixture, id, kind, version), where a city model has "type": "CityJSON"'),
])
def test_unreadable_files_say_where(name: str, expected: str) -> None:
    res = ct("info", REVIEW / name)
    assert res.returncode == 1
    assert res.stderr == f"error: {REVIEW / name}: {expected}\n"


def test_truncated_pvgis_weather_is_named() -> None:
    """PVGIS TMY files are read (issue 16); one cut after 30 lines is said to be truncated."""
    res = ct("solar", DELFT, "--weather", REVIEW / "PVGIS_tmy_45.000_8.000_head.csv", "--json-summary", "--quiet")
    assert res.returncode == 1
    assert res.stderr == (f"error: {REVIEW / 'PVGIS_tmy_45.000_8.000_head.csv'}: the PVGIS TMY is truncated: "
                          "12 of 8760 hourly rows\n")


# -- 9. IFC georeferencing is readable ----------------------------------------------------------------

def test_info_prints_ifc_georeferencing_as_lines() -> None:
    ifc = TESTS / "data" / "ifc"
    res = ct("info", ifc / "UT_GeoRef_1_IFC4X3.ifc")
    assert res.returncode == 0, res.stderr
    block = res.stdout.split("georeferencing:", 1)[1].split("\nproblems:", 1)[0].splitlines()
    assert block[0] == " IfcMapConversion, CRS EPSG:5834"
    rows = {ln[2:24].strip(): ln[24:].strip() for ln in block[1:]}
    assert rows["eastings"] == "4468005" and rows["northings"] == "5334600" and rows["height"] == "515"
    assert rows["x axis"] == "1, 0" and rows["rotation (deg)"] == "0"
    assert "{" not in res.stdout and "'method'" not in res.stdout
    res = ct("info", ifc / "geolocation-mapconversion-angle.ifc")
    assert "georeferencing: IfcMapConversion, no CRS\n" in res.stdout
    assert "  rotation (deg)         -30\n" in res.stdout and "  map unit (m)           0.001\n" in res.stdout
    assert "  problem: IfcProjectedCRS has no name" in res.stdout


# -- 10. demo without a display: no VTK X-server warning -------------------------------------------------

@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the X-server fallback is a Linux matter")
def test_demo_without_display_renders_quietly(tmp_path: Path) -> None:
    import ctypes.util

    import numpy as np
    from PIL import Image

    if not (ctypes.util.find_library("EGL") or ctypes.util.find_library("OSMesa")):
        pytest.skip("neither libEGL nor libOSMesa here: VTK has no headless window to choose")
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY",
                                                             "VTK_DEFAULT_OPENGL_WINDOW")}
    res = ct("demo", "--out", tmp_path, env=env)
    assert res.returncode == 0, res.stderr
    assert "X server" not in res.stderr and "\x1b[" not in res.stderr and "WARN" not in res.stderr, res.stderr
    img = np.asarray(Image.open(tmp_path / "sample.png").convert("RGB"))
    red = (img[..., 0] > 140) & (img[..., 1] < 80) & (img[..., 2] < 80)
    assert img.shape == (800, 1200, 3) and red.sum() > 10000  # the roofs were drawn


# -- 11. help and docs ------------------------------------------------------------------------------------

def test_help_texts_say_defaults_and_formats() -> None:
    import argparse

    from citytwin.app.cli import build_parser

    parser = build_parser()
    subs = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction)).choices

    def helps(p: argparse.ArgumentParser) -> dict[str, str | None]:
        return {o: a.help for a in p._actions for o in a.option_strings}

    assert "(default: add)" in helps(subs["fuse"])["--ifc-mode"]
    for opt in ("--latitude", "--longitude"):
        assert helps(subs["shadow"])[opt] and "degrees" in helps(subs["shadow"])[opt]
    bsubs = next(a for a in subs["batch"]._actions if isinstance(a, argparse._SubParsersAction)).choices
    assert ".gml" in bsubs["solar"].description and "--weather-anywhere" in helps(bsubs["solar"])
    assert all(helps(bsubs["shadow"])[o] for o in ("--latitude", "--longitude", "--grid"))
    readme = (TESTS.parent / "README.md").read_text()
    line = readme[readme.index("citytwin convert IN OUT"):].split("\ncitytwin demo", 1)[0]
    for opt in ("--format", "--citygml-version", "--quiet", ".gml"):
        assert opt in line


def test_batch_shadow_png_picks_a_grid_as_shadow_does(tmp_path: Path) -> None:
    from PIL import Image

    out = tmp_path / "sh"
    res = ct("batch", "shadow", DELFT, "-o", out, "--workers", "0", "--quiet", "--date", "2025-06-21",
             "--from", "10:00", "--to", "14:00", "--step", "120", "--resolution", "5", "--png")
    assert res.returncode == 0, res.stderr
    single = tmp_path / "single.png"
    res = ct("shadow", DELFT, "--png", single, "--quiet", "--date", "2025-06-21", "--from", "10:00", "--to",
             "14:00", "--step", "120", "--resolution", "5")
    assert res.returncode == 0, res.stderr
    assert Image.open(out / "3dbag_b2_v2.0.shadow.png").size == Image.open(single).size  # the same 1 m grid
