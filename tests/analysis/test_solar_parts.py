"""Parts of the solar engine: weather timestamps, the Reinhart/Perez sky, sampling, progress."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pytest

sys.path.insert(0, str(Path(__file__).parent))
import scenes  # noqa: E402

from citytwin.analysis.sampling import morton_order, sample_triangles, select_triangles  # noqa: E402
from citytwin.analysis.sky import perez1990_sky, perez_radiance, reinhart  # noqa: E402
from citytwin.analysis.weather import clear_sky_year, read_weather  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
EPW = ROOT / "tests" / "data" / "weather" / "NLD_Amsterdam062400_IWEC.epw"


def _closure(w) -> float:
    """(sum of DNI cos z + DHI) / sum of GHI with the sun at mid-hour: 1 when the labels are right."""
    cz = np.clip(np.cos(np.radians(w.zenith)), 0, None)
    return float(((w.dni * cz).sum() + w.dhi.sum()) / w.ghi.sum())


def test_epw_rows_are_hour_starting():
    w = read_weather(EPW)
    assert len(w) == 8760 and w.tz_hours == 1.0 and w.latitude == pytest.approx(52.30)
    assert w.times[0].minute == 30 and w.times[0].hour == 0  # EPW hour 1 -> 00:00-01:00, sun at 00:30
    assert _closure(w) == pytest.approx(1.0, abs=0.005)


def test_tmy3_rows_are_hour_ending():
    from tests.conftest import shared_path

    w = read_weather(shared_path("weather", "TMY3_703165TY_SandPoint_AK.csv"))
    assert w.times[0].minute == 30 and w.times[0].hour == 0  # TMY3 01:00 -> 00:00-01:00
    assert w.tz_hours == -9.0 and w.latitude == pytest.approx(55.317, abs=1e-3)
    assert _closure(w) == pytest.approx(1.0, abs=0.01)


def test_clear_sky_year_is_plausible():
    w = clear_sky_year(52.3, 4.77)
    assert len(w) == 8760 and w.source.startswith("clear-sky")
    assert 1200 < w.ghi.sum() / 1000 < 1700  # clear-sky GHI at 52 N, kWh/m2 (EPW measured: 982)
    assert _closure(w) == pytest.approx(1.0, abs=0.01)


def test_reinhart_patches():
    for mf, count in ((1, 145), (4, 2305), (6, 5185)):
        sky = reinhart(mf)
        assert len(sky) == count
        assert sky.solid_angles.sum() == pytest.approx(2 * np.pi)
        assert np.allclose(np.linalg.norm(sky.directions, axis=1), 1.0)
        assert (sky.directions[:, 2] > 0).all()
    # patch 0 faces north at the horizon, the second faces east of north
    d = reinhart(4).directions
    assert d[0, 1] > 0.99 and d[1, 0] > 0


def test_perez_sky_gives_back_the_diffuse_horizontal():
    w = read_weather(EPW)
    sky = reinhart(4)
    h = np.nonzero(w.dhi > 0)[0][::97]
    rad = perez_radiance(sky, w.sun_vectors()[h], w.zenith[h], w.dni[h], w.dhi[h], w.dni_extra[h])
    horiz = rad @ (sky.directions[:, 2] * sky.solid_angles)
    assert np.allclose(horiz, w.dhi[h], rtol=1e-9)
    # clear hours are brighter around the sun than opposite it
    clear = np.nonzero(w.dni[h] > 600)[0]
    assert len(clear)
    for i in clear[:5]:
        s = w.sun_vectors()[h][i]
        near, far = np.argmax(sky.directions @ s), np.argmin(sky.directions @ s)
        assert rad[i, near] > 3 * rad[i, far]


def test_sampling_covers_the_area_exactly():
    m = scenes.model_of([("b", "Building", scenes.box_faces(scenes.X0, scenes.Y0, 10, 7, 5))])
    mesh = m.triangulate()
    for res in (0.5, 1.0, 3.0):
        s = sample_triangles(mesh, select_triangles(mesh, ("roof", "wall")), res, offset=0.05)
        assert s.areas.sum() == pytest.approx(70 + 2 * (10 + 7) * 5)
        assert len(s) == pytest.approx((70 + 170) / res ** 2, rel=0.5)
        # every point sits 5 cm outside the box along its normal
        local = s.points - [scenes.X0, scenes.Y0, 0]
        inside = (local > [-1e-9, -1e-9, -1e-9]) & (local < [10 + 1e-9, 7 + 1e-9, 5 + 1e-9])
        assert not inside.all(axis=1).any()
        assert set(s.kind.tolist()) == {0, 1}
    roofs = sample_triangles(mesh, select_triangles(mesh, ("roof",)), 1.0)
    assert (roofs.normals[:, 2] > 0.99).all()


def test_morton_order_is_a_permutation_that_groups_neighbours():
    rng = np.random.default_rng(1)
    p = rng.random((5000, 3)) * 100
    o = morton_order(p)
    assert np.array_equal(np.sort(o), np.arange(5000))
    step = np.linalg.norm(np.diff(p[o], axis=0), axis=1).mean()
    assert step < 0.3 * np.linalg.norm(np.diff(p, axis=0), axis=1).mean()


def test_progress_is_reported_and_monotonic():
    from citytwin.app.commands.progress import Progress
    from citytwin.app.commands.solar import SolarOptions, run_solar

    seen = []
    m = scenes.model_of([("b", "Building", scenes.box_faces(scenes.X0, scenes.Y0, 10, 10, 10))])
    run_solar(m, SolarOptions(clear_sky=True, resolution=0.5), Progress(lambda f, msg: seen.append(f)))
    assert seen[-1] == 1.0 and len(seen) >= 4
    assert all(b >= a for a, b in zip(seen, seen[1:]))


@pytest.mark.parametrize("tilt,azimuth", [(0, 0), (35, 180), (90, 180), (90, 0), (90, 270), (60, 90)])
def test_perez1990_sky_reproduces_pvlib_per_month(tilt, azimuth):
    """The Perez 1990 model laid on the patches (isotropic + horizon band + circumsolar source at the
    sun) gives pvlib's poa_sky_diffuse on an unshaded plane, month by month, within 0.5%."""
    import pvlib

    w = read_weather(EPW)
    sky = reinhart(4)
    sunv = w.sun_vectors()
    beam = w.sun_up & (w.dni > 0)
    rad, cs = perez1990_sky(sky, sunv, w.zenith, w.dni, w.dhi, w.dni_extra, beam, w.months - 1, 12)
    t, a = np.radians(tilt), np.radians(azimuth)
    n = np.array([np.sin(t) * np.sin(a), np.sin(t) * np.cos(a), np.cos(t)])
    ours = rad @ (np.maximum(sky.directions @ n, 0) * sky.solid_angles)
    ours += np.bincount(w.months - 1, weights=cs * np.maximum(sunv @ n, 0), minlength=12)
    ref = np.asarray(pvlib.irradiance.get_sky_diffuse(tilt, azimuth, w.zenith, w.azimuth, w.dni, w.ghi, w.dhi,
                                                      dni_extra=w.dni_extra, model="perez"))
    ref_m = np.bincount(w.months - 1, weights=np.nan_to_num(ref), minlength=12)
    assert np.allclose(ours, ref_m, rtol=0.005, atol=100.0), (ours / ref_m - 1)
    assert ours.sum() == pytest.approx(ref_m.sum(), rel=0.002)
    assert (cs[~beam] == 0).all() and (cs >= 0).all()


def test_clear_sky_year_east_of_greenwich_keeps_its_time_zone():
    """Cape Town (UTC+1 nautical zone): pvlib's Location cannot name a fixed offset; the series must
    still be built in local standard time, with the sun highest around local solar noon (~11:48 in
    June: 3.4 deg east of the zone meridian)."""
    w = clear_sky_year(-33.9, 18.4)
    assert w.tz_hours == 1.0 and w.times[0].utcoffset().total_seconds() == 3600
    day = slice(24 * 171, 24 * 172)  # 21 June
    noon = w.times[day][int(np.argmax(w.ghi[day]))]
    assert noon.hour == 11  # the 11:30 row is nearest to 11:48 (10:30 if the rows were UTC)
    assert w.ghi.sum() > 1e6 and (w.zenith[w.ghi > 0] < 95).all()
