"""Weather from where people get it (EPW, TMY3, PVGIS TMY CSV/JSON, generic CSV), checked in time.

Oracles: the time lag is measured against a clear-sky year shifted by a known amount; a real EPW
whose header time zone is edited by one hour must be found ~60 min off and named with the offset;
the same PVGIS TMY in its CSV and JSON formats (and rewritten as a generic CSV) gives the same
annual totals; the best-lit azimuth of a ring of identical tilted panels is due south (symmetry)
with every source.
"""

from __future__ import annotations

import contextlib
import io
import json
import re
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

sys.path.insert(0, str(Path(__file__).parent))
import scenes  # noqa: E402

from citytwin.analysis.weather import clear_sky_year, read_weather  # noqa: E402
from citytwin.analysis.weather_formats import sniff  # noqa: E402
from citytwin.analysis.weather_timing import irradiance_lag  # noqa: E402
from citytwin.app.cli import main  # noqa: E402
from citytwin.app.commands.solar import SolarOptions, run_solar  # noqa: E402
from citytwin.errors import InputError  # noqa: E402
from tests.conftest import shared_path  # noqa: E402

DATA = Path(__file__).resolve().parents[1] / "data"
EPW = DATA / "weather" / "NLD_Amsterdam062400_IWEC.epw"
PVGIS_CSV = DATA / "weather" / "PVGIS_tmy_45.000_8.000_2005_2023.csv"
BAG = DATA / "cityjson" / "3dbag_b2_v2.0.city.json"


def _cli(args) -> tuple[int, dict, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        rc = main(args)
    lines = out.getvalue().strip().splitlines()
    return rc, (json.loads(lines[-1]) if lines else {}), err.getvalue()


# -- the time check ------------------------------------------------------------------------------

@pytest.mark.parametrize("shift", [-90, -60, -30, 0, 45])
def test_lag_of_a_shifted_clear_sky_year_is_found(shift):
    w = clear_sky_year(52.3, 4.77)
    a = irradiance_lag(w.times - pd.Timedelta(minutes=shift), w.ghi, 52.3, 4.77)
    assert a.lag_minutes == pytest.approx(shift, abs=2.0)
    assert a.off == (abs(shift) > 20)


def test_real_files_are_in_time():
    """The IWEC EPW and the PVGIS TMY (taken at its stamps + its irradiance time offset) fit the sun."""
    for f in (EPW, PVGIS_CSV):
        w = read_weather(f)
        assert abs(w.timing.lag_minutes) < 10, (f.name, w.timing)
        assert w.timing.correlation > 0.85


def _epw_tz(tmp_path: Path, tz: str) -> Path:
    """The Amsterdam IWEC EPW with its header time zone edited (1.0 -> ``tz``): a one-hour mistake."""
    lines = EPW.read_text().splitlines(keepends=True)
    head = lines[0].rstrip("\r\n").split(",")
    assert head[8] == "1.0"
    head[8] = tz
    p = tmp_path / f"amsterdam_tz{tz}.epw"
    p.write_text(",".join(head) + "\n" + "".join(lines[1:]))
    return p


def test_epw_one_hour_off_is_said_with_the_offset_and_the_offset_corrects_it(tmp_path):
    bad = _epw_tz(tmp_path, "0.0")  # stamps said to be UTC while they are UTC+1
    rc, s, err = _cli(["solar", str(BAG), "--weather", str(bad), "--resolution", "3", "--json-summary", "--quiet"])
    assert rc == 0
    m = re.search(r"warning: amsterdam_tz0\.0\.epw: irradiance (\d+) min off the sun.*"
                  r"--weather-time-offset (-?\d+)", err)
    assert m, err
    assert 55 <= int(m.group(1)) <= 70 and -70 <= int(m.group(2)) <= -55
    assert s["weather_time_lag_min"] == pytest.approx(-60, abs=8)
    # the offset the warning names puts it back: no warning, the original file's figures
    rc, s2, err2 = _cli(["solar", str(BAG), "--weather", str(bad), "--weather-time-offset", "-60",
                         "--resolution", "3", "--json-summary", "--quiet"])
    assert rc == 0 and "off the sun" not in err2
    rc, s0, _ = _cli(["solar", str(BAG), "--weather", str(EPW), "--resolution", "3", "--json-summary", "--quiet"])
    for t in s0["mean_kwh_m2"]:
        assert s2["mean_kwh_m2"][t] == pytest.approx(s0["mean_kwh_m2"][t], rel=2e-3)
    assert s2["weather_time_offset_min"] == -60.0
    assert abs(s0["weather_time_lag_min"]) < 10


def test_time_offset_needs_a_weather_file(capsys):
    assert main(["solar", str(BAG), "--weather-time-offset", "30", "--json-summary", "--quiet"]) != 0
    assert "--weather-time-offset needs --weather" in capsys.readouterr().err


# -- formats ---------------------------------------------------------------------------------------

def test_formats_are_sniffed():
    assert sniff(EPW) == "epw"
    assert sniff(PVGIS_CSV) == "pvgis-csv"
    assert sniff(shared_path("weather", "PVGIS_tmy_45.000_8.000_2005_2023.json")) == "pvgis-json"
    assert sniff(shared_path("weather", "TMY3_703165TY_SandPoint_AK.csv")) == "tmy3"
    assert sniff(shared_path("weather", "UMEP_met_GBG_TMY_1977.txt")) == "umep"


def test_pvgis_csv_and_json_give_the_same_year():
    a = read_weather(PVGIS_CSV)
    b = read_weather(shared_path("weather", "PVGIS_tmy_45.000_8.000_2005_2023.json"))
    assert len(a) == len(b) == 8760
    for col in ("ghi", "dni", "dhi"):
        assert getattr(a, col).sum() == pytest.approx(getattr(b, col).sum(), rel=1e-6)
    assert (a.times == b.times).all()
    # UTC stamps + 0.1761 h, shown at the site's nautical zone (8 E -> UTC+1)
    assert a.tz_hours == 1.0
    assert a.times[0] == pd.Timestamp("2018-01-01 00:10:33.96", tz="UTC")
    assert a.temp_air is not None and -20 < np.nanmean(a.temp_air) < 30


def _generic_from_pvgis(tmp_path: Path, cols=("ghi", "dni", "dhi"), utc_suffix=True) -> Path:
    """The PVGIS TMY rewritten as a generic CSV: hour-start stamps so that +30 min is PVGIS's instant."""
    w = read_weather(PVGIS_CSV)
    start = (w.times - pd.Timedelta(minutes=30)).tz_convert("UTC")
    fmt = "%Y-%m-%dT%H:%M:%S%z" if utc_suffix else "%Y-%m-%d %H:%M:%S"
    df = pd.DataFrame({"Time": start.strftime(fmt)})
    names = {"ghi": "GHI (W/m2)", "dni": "DNI (W/m2)", "dhi": "DHI [W/m2]"}
    for c in cols:
        df[names[c]] = getattr(w, c)
    df["temp_air"] = w.temp_air
    p = tmp_path / f"generic_{'_'.join(cols)}{'' if utc_suffix else '_naive'}.csv"
    df.to_csv(p, index=False)
    return p


def test_generic_csv_reads_like_the_pvgis_file(tmp_path):
    ref = read_weather(PVGIS_CSV)
    g = read_weather(_generic_from_pvgis(tmp_path), default_location=(45.0, 8.0))
    assert sniff(_generic_from_pvgis(tmp_path)) == "csv"
    np.testing.assert_allclose(g.ghi, ref.ghi)
    np.testing.assert_allclose(g.zenith, ref.zenith, atol=0.01)  # stamps written to the second
    assert abs(g.timing.lag_minutes) < 10
    # naive stamps are read as UTC, and that is said
    n = read_weather(_generic_from_pvgis(tmp_path, utc_suffix=False), default_location=(45.0, 8.0))
    np.testing.assert_allclose(n.zenith, ref.zenith, atol=0.01)
    assert any("read as UTC" in x for x in n.notes)
    # DNI from GHI and DHI through the sun: the same DNI where the sun is well up
    d = read_weather(_generic_from_pvgis(tmp_path, ("ghi", "dhi")), default_location=(45.0, 8.0))
    up = ref.zenith < 80
    assert np.abs(d.dni[up] - ref.dni[up]).mean() < 0.03 * ref.dni[up].mean()
    # GHI alone: Erbs decomposition, said
    e = read_weather(_generic_from_pvgis(tmp_path, ("ghi",)), default_location=(45.0, 8.0))
    assert any("Erbs" in x for x in e.notes)
    assert e.dni.sum() == pytest.approx(ref.dni.sum(), rel=0.25)


def test_generic_csv_errors_name_the_place(tmp_path):
    p = tmp_path / "w.csv"
    p.write_text("time,ghi\n" + "".join(f"2025-01-01T{h:02d}:00Z,{0 if h < 8 else 100}\n" for h in range(23))
                 + "2025-01-01T23:00Z,abc\n")
    with pytest.raises(InputError, match=r"line 25: GHI value 'abc'"):
        read_weather(p, default_location=(52, 5))
    p.write_text("time,ghi\n" + "".join(f"2025-01-01T{h:02d}:{m:02d}Z,1\n" for h in range(20) for m in (0, 30)))
    with pytest.raises(InputError, match="30 minutes apart"):
        read_weather(p, default_location=(52, 5))
    p.write_text("when,sun\n2025-01-01,1\n")
    with pytest.raises(InputError, match="header naming a time column"):
        read_weather(p, default_location=(52, 5))
    with pytest.raises(InputError, match="does not say where"):
        read_weather(_generic_from_pvgis(tmp_path))


# -- the best-lit azimuth of a symmetric scene --------------------------------------------------------

def _ring_of_panels(tilt: float = 30.0, step: int = 30):
    objs = [(f"p{az}", "Building", [(scenes.panel([scenes.X0 + 300.0 * i, scenes.Y0, 10.0], tilt, az, 3.0),
                                     "RoofSurface")]) for i, az in enumerate(range(0, 360, step))]
    return scenes.model_of(objs)


def _best_azimuth(res) -> float:
    az = np.array([float(oid[1:]) for oid in res.object_ids])
    e = np.array([res.annual_kwh_m2[res.object_index == i].mean() for i in range(len(az))])
    # first harmonic of the annual irradiation around the ring: its phase is the best azimuth
    c, s = (e * np.cos(np.radians(az))).sum(), (e * np.sin(np.radians(az))).sum()
    return float(np.degrees(np.arctan2(s, c)) % 360)


@pytest.mark.parametrize("source,site", [
    ("epw", (52.30, 4.77)), ("pvgis-csv", (45.0, 8.0)), ("pvgis-json", (45.0, 8.0)), ("tmy3", (55.317, -160.517)),
    ("generic", (45.0, 8.0)), ("clear-sky", (45.0, 8.0))])
def test_best_lit_azimuth_is_south_with_every_source(source, site, tmp_path):
    path = {"epw": EPW, "pvgis-csv": PVGIS_CSV,
            "pvgis-json": lambda: shared_path("weather", "PVGIS_tmy_45.000_8.000_2005_2023.json"),
            "tmy3": lambda: shared_path("weather", "TMY3_703165TY_SandPoint_AK.csv"),
            "generic": lambda: _generic_from_pvgis(tmp_path), "clear-sky": None}[source]
    path = path() if callable(path) else path
    opts = SolarOptions(weather=path, clear_sky=path is None, resolution=3.0, latitude=site[0], longitude=site[1])
    res = run_solar(_ring_of_panels(), opts)
    assert _best_azimuth(res) == pytest.approx(180.0, abs=5.0)


def test_one_hour_off_turns_the_best_azimuth_away_from_south(tmp_path):
    """The failure the check exists for: the same real year an hour off moves the best roof."""
    bad = _epw_tz(tmp_path, "0.0")
    model = _ring_of_panels()
    res = run_solar(model, SolarOptions(weather=bad, resolution=3.0, latitude=52.30, longitude=4.77))
    assert abs(_best_azimuth(res) - 180.0) > 8.0
    said = [p.message for p in model.problems if p.object_id == bad.name]
    assert len(said) == 1 and "--weather-time-offset -6" in said[0]
