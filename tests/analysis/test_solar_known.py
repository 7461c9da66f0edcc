"""Known answers: GHI on a horizontal plane, pvlib transposition on tilted/vertical planes,
canyon sky view factor, box shadow length, sun hours behind a wall."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pytest

sys.path.insert(0, str(Path(__file__).parent))
import scenes  # noqa: E402

from citytwin.app.commands.shadow import ShadowOptions, run_shadow  # noqa: E402
from citytwin.app.commands.solar import SolarOptions, run_solar  # noqa: E402
from citytwin.app.commands.svf import SVFOptions, run_svf  # noqa: E402

EPW = Path(__file__).resolve().parents[1] / "data" / "weather" / "NLD_Amsterdam062400_IWEC.epw"
X0, Y0 = scenes.X0, scenes.Y0

# (tilt, azimuth, semantic type): every plane's total must match pvlib's Perez transposition
# within 2% (the bar), and each part (beam, sky diffuse, ground-reflected) on its own.
PANELS = [(35, 180, "RoofSurface"), (90, 90, "WallSurface"), (60, 270, "RoofSurface"),
          (90, 180, "WallSurface"), (90, 0, "WallSurface")]


@pytest.fixture(scope="module")
def panel_result():
    objs = [("flat", "Building", [(scenes.panel([X0, Y0, 10.0], 0, 0, 6.0), "RoofSurface")])]
    for i, (tilt, az, sem) in enumerate(PANELS):
        c = [X0 + 2000.0 * (i + 1), Y0 + 1500.0 * (i % 2), 10.0]
        objs.append((f"p{i}", "Building", [(scenes.panel(c, tilt, az, 4.0), sem)]))
    model = scenes.model_of(objs)
    res = run_solar(model, SolarOptions(weather=EPW, resolution=1.0, latitude=52.30, longitude=4.77))
    return model, res


def _per_object(res, oid):
    k = res.object_index == res.object_ids.index(oid)
    w = res.areas[k]
    return {name: float(np.average(getattr(res, name)[k], weights=w))
            for name in ("annual_kwh_m2", "direct_kwh_m2", "diffuse_kwh_m2", "reflected_kwh_m2", "svf")}


def test_unshaded_horizontal_plane_receives_the_ghi_sum(panel_result):
    from citytwin.analysis.weather import read_weather

    _, res = panel_result
    ghi = read_weather(EPW).ghi.sum() / 1000.0
    got = _per_object(res, "flat")
    assert got["annual_kwh_m2"] == pytest.approx(ghi, rel=0.005)
    assert got["svf"] == pytest.approx(1.0, abs=0.002)
    assert got["reflected_kwh_m2"] == 0.0
    # every point of the flat roof gets the same (nothing shades it)
    k = res.object_index == res.object_ids.index("flat")
    assert np.ptp(res.annual_kwh_m2[k]) < 1e-6 * ghi


def test_tilted_and_vertical_planes_match_pvlib_transposition(panel_result):
    import pvlib

    from citytwin.analysis.weather import read_weather

    _, res = panel_result
    w = read_weather(EPW, 52.30, 4.77)
    for i, (tilt, az, _) in enumerate(PANELS):
        ref = pvlib.irradiance.get_total_irradiance(tilt, az, w.zenith, w.azimuth, w.dni, w.ghi, w.dhi,
                                                    dni_extra=w.dni_extra, model="perez", albedo=0.2)
        got = _per_object(res, f"p{i}")
        assert got["direct_kwh_m2"] == pytest.approx(ref["poa_direct"].sum() / 1000, rel=0.005), (tilt, az)
        assert got["reflected_kwh_m2"] == pytest.approx(ref["poa_ground_diffuse"].sum() / 1000, rel=0.01), \
            (tilt, az)
        # the Perez 1990 sky, traced as isotropic sky + horizon band + circumsolar source
        assert got["diffuse_kwh_m2"] == pytest.approx(ref["poa_sky_diffuse"].sum() / 1000, rel=0.005), \
            (tilt, az)
        assert got["annual_kwh_m2"] == pytest.approx(ref["poa_global"].sum() / 1000, rel=0.02), (tilt, az)
        if tilt == 90:
            assert got["svf"] == pytest.approx(0.5, abs=0.002)


def test_json_summary_of_the_panels(panel_result):
    _, res = panel_result
    s = res.summary()
    assert s["buildings"] == 1 + len(PANELS) and s["surfaces"] == 1 + len(PANELS)
    assert set(s["mean_kwh_m2"]) == {"RoofSurface", "WallSurface"}
    assert s["annual_kwh_total"] == pytest.approx(float((res.annual_kwh_m2 * res.areas).sum()), rel=1e-6)
    assert s["points"] == len(res.points) > 0
    assert s["sky_patches"] == 2305


def test_canyon_floor_sky_view_factor():
    h, width = 10.0, 10.0
    walls = [("north", "Building", scenes.box_faces(X0 - 300, Y0 + width / 2, 600, 10, h)),
             ("south", "Building", scenes.box_faces(X0 - 300, Y0 - width / 2 - 10, 600, 10, h)),
             ("floor", "TINRelief", [(np.array([[X0 - 1, Y0 - 1, 0], [X0 + 1, Y0 - 1, 0], [X0 + 1, Y0 + 1, 0],
                                               [X0 - 1, Y0 + 1, 0]]), "")])]
    model = scenes.model_of(walls)
    res = run_svf(model, SVFOptions(resolution=1.0, surfaces=("ground",), mf=6))
    assert len(res.points) > 0 and set(res.object_ids[i] for i in res.object_index) == {"floor"}
    expected = 1.0 / np.sqrt(1.0 + (2.0 * h / width) ** 2)
    assert float(np.mean(res.svf)) == pytest.approx(expected, rel=0.02)


def test_box_shadow_ends_at_h_over_tan_altitude():
    import shapely

    w, h = 10.0, 20.0
    model = scenes.model_of([("box", "Building", scenes.box_faces(X0, Y0, w, w, h))])
    cell = 0.5
    res = run_shadow(model, ShadowOptions(date="2025-03-21", time="15:00", surfaces=(), grid_cell=cell,
                                          margin=60.0))
    alt, az = float(res.altitude[0]), float(res.azimuth[0])
    assert 10 < alt < 60
    length = h / np.tan(np.radians(alt))
    away = -np.array([np.sin(np.radians(az)), np.cos(np.radians(az))])  # shadow direction
    foot = shapely.box(X0, Y0, X0 + w, Y0 + w)
    shadow = shapely.convex_hull(shapely.union(foot, shapely.affinity.translate(foot, *(away * length))))
    g = res.grid
    xx, yy = np.meshgrid(g.x, g.y)
    outside = ~g.inside
    inside_expected = shapely.contains_xy(shadow, xx, yy)
    shaded = ~res.ground_lit[0]
    wrong = (shaded != inside_expected) & outside
    # misclassified cells may only be those whose centre is within one grid step of the edge
    if wrong.any():
        d = shapely.distance(shadow.exterior, shapely.points(xx[wrong], yy[wrong]))
        assert d.max() <= cell
    # the far end of the shadow, measured from the box's last corner along the shadow direction
    proj = (xx - X0 - w / 2) * away[0] + (yy - Y0 - w / 2) * away[1]
    corner = float((np.abs(away) * w / 2).sum())  # centre to the farthest corner, along the shadow
    tip = proj[shaded & outside].max() - corner
    assert tip == pytest.approx(length, abs=cell * 1.5)
    # the box itself is marked as building, not as ground
    assert g.inside[(np.abs(xx - X0 - w / 2) < w / 2 - cell) & (np.abs(yy - Y0 - w / 2) < w / 2 - cell)].all()


def test_sun_hours_behind_an_east_west_wall():
    import pandas as pd
    import pvlib

    h = 10.0
    model = scenes.model_of([("wall", "Building", scenes.box_faces(X0 - 300, Y0 - 0.2, 600, 0.2, h))])
    step = 10.0
    res = run_shadow(model, ShadowOptions(date="2025-06-21", step_minutes=step, surfaces=(), grid_cell=1.0,
                                          margin=25.0))
    g = res.grid
    col = int(np.argmin(np.abs(g.x - X0)))
    rows = np.nonzero((g.y > Y0 + 1) & (g.y < Y0 + 24))[0]
    assert len(rows) > 15
    lat, lon = res.info["latitude"], res.info["longitude"]
    fine = pd.date_range(res.times[0], res.times[-1], freq="1min")
    sp = pvlib.solarposition.get_solarposition(fine, lat, lon)
    from citytwin.analysis.weather import sun_vector

    s = sun_vector(sp["apparent_zenith"].to_numpy(), sp["azimuth"].to_numpy())
    for r in rows.tolist():
        dy = g.y[r] - Y0
        z0 = g.z[r, col] + 0.05
        with np.errstate(divide="ignore", invalid="ignore"):
            t = dy / -s[:, 1]
            clears = (s[:, 1] >= 0) | (z0 + t * s[:, 2] > h)
        expected = float(((s[:, 2] > 0) & clears).sum()) / 60.0
        got = float(res.ground_sun_hours[r, col])
        assert abs(got - expected) <= step / 60.0 + 1e-9, (dy, got, expected)
    # far from the wall nearly the whole day is sunny; right behind it much less
    assert res.ground_sun_hours[rows[-1], col] > res.ground_sun_hours[rows[0], col] + 2
