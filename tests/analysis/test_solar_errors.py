"""Bad input gives a clear error or a reported problem, never silent zeros."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pytest

sys.path.insert(0, str(Path(__file__).parent))
import scenes  # noqa: E402

from citytwin.app.commands.progress import Progress  # noqa: E402
from citytwin.app.commands.solar import SolarOptions, run_solar  # noqa: E402
from citytwin.errors import Cancelled, InputError, UsageError  # noqa: E402

EPW = Path(__file__).resolve().parents[1] / "data" / "weather" / "NLD_Amsterdam062400_IWEC.epw"
X0, Y0 = scenes.X0, scenes.Y0


def _box_model(crs=28992):
    return scenes.model_of([("b", "Building", scenes.box_faces(X0, Y0, 10, 10, 10))], crs=crs)


def test_no_crs_and_no_location_is_an_error():
    with pytest.raises(UsageError, match="no CRS and no location"):
        run_solar(_box_model(crs=None), SolarOptions(clear_sky=True, resolution=3))


def test_no_crs_but_location_given_works():
    res = run_solar(_box_model(crs=None), SolarOptions(resolution=5, latitude=52.3, longitude=4.77, sky_mf=4))
    assert res.summary()["location_source"] == "given"
    assert (res.annual_kwh_m2 > 100).all()


def test_truncated_weather_file(tmp_path):
    bad = tmp_path / "cut.epw"
    bad.write_text("".join(EPW.read_text().splitlines(keepends=True)[:12]))
    with pytest.raises(InputError) as ei:
        run_solar(_box_model(), SolarOptions(weather=bad, resolution=5))
    assert "cut.epw" in str(ei.value)


def test_garbage_irradiance_names_the_line(tmp_path):
    lines = EPW.read_text().splitlines(keepends=True)
    fields = lines[20].split(",")
    fields[13] = "-77"  # global horizontal radiation of the 12th data row
    lines[20] = ",".join(fields)
    bad = tmp_path / "neg.epw"
    bad.write_text("".join(lines))
    with pytest.raises(InputError, match=r"neg\.epw: line 21: GHI value -77 is missing or out of range"):
        run_solar(_box_model(), SolarOptions(weather=bad, resolution=5))


def test_weather_for_the_other_hemisphere(tmp_path):
    lines = EPW.read_text().splitlines(keepends=True)
    f = lines[0].split(",")
    f[6] = "-33.97"  # Cape Town latitude
    lines[0] = ",".join(f)
    south = tmp_path / "south.epw"
    south.write_text("".join(lines))
    with pytest.raises(InputError, match="another hemisphere"):
        run_solar(_box_model(), SolarOptions(weather=south, resolution=5))


def test_not_a_weather_file(tmp_path):
    p = tmp_path / "x.epw"
    p.write_text("hello\nworld\n")
    with pytest.raises(InputError, match="x.epw"):
        run_solar(_box_model(), SolarOptions(weather=p, resolution=5))


def test_empty_selection():
    m = scenes.model_of([("t", "TINRelief", [(np.array([[X0, Y0, 0], [X0 + 9, Y0, 0], [X0, Y0 + 9, 0]]), "")])])
    with pytest.raises(InputError, match="selection is empty"):
        run_solar(m, SolarOptions(clear_sky=True, resolution=3))


def test_bad_options():
    # the study names options by their label (the CLI says its flags: test_study_registry)
    with pytest.raises(UsageError, match="^Ground albedo must be between 0 and 1"):
        run_solar(_box_model(), SolarOptions(albedo=1.5))
    with pytest.raises(UsageError, match="^Resolution must be positive"):
        run_solar(_box_model(), SolarOptions(resolution=0))
    with pytest.raises(UsageError, match="MF 4"):
        run_solar(_box_model(), SolarOptions(sky_mf=2))
    with pytest.raises(UsageError, match="unknown surface"):
        run_solar(_box_model(), SolarOptions(surfaces=("roofs",)))
    with pytest.raises(UsageError, match="either"):
        run_solar(_box_model(), SolarOptions(weather=EPW, clear_sky=True))


def test_geographic_crs_is_refused():
    m = scenes.model_of([("b", "Building", scenes.box_faces(4.77, 52.3, 0.0001, 0.0001, 10))], crs=4326)
    with pytest.raises(InputError, match="geographic CRS"):
        run_solar(m, SolarOptions(clear_sky=True))


def test_points_below_terrain_are_reported():
    r = 5000.0  # wide enough that no ray to the sun slips out under its edge
    terrain = np.array([[X0 - r, Y0 - r, 4.0], [X0 + r, Y0 - r, 4.0], [X0 + r, Y0 + r, 4.0],
                        [X0 - r, Y0 + r, 4.0]])
    m = scenes.model_of([("b", "Building", scenes.box_faces(X0, Y0, 10, 10, 10)),
                         ("t", "TINRelief", [(terrain, "")])])
    res = run_solar(m, SolarOptions(clear_sky=True, resolution=1.0))
    msgs = [p for p in m.problems if p.object_id == "b"]
    assert msgs and "below the terrain" in msgs[0].message
    assert res.summary()["problems"] >= 1
    low = res.points[:, 2] < 4.0
    # buried: no sun (but the grazing sun at the horizon, which slips under the 5 km terrain edge)
    assert low.any() and res.direct_kwh_m2[low].max() < 0.05
    assert res.direct_kwh_m2[res.points[:, 2] > 4.5].max() > 100


def test_cancel_stops_the_study():
    prog = Progress()
    prog.cancel()
    with pytest.raises(Cancelled):
        run_solar(_box_model(), SolarOptions(clear_sky=True, resolution=3), prog)
