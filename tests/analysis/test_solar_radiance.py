"""Shaded real buildings (3D BAG, Delft): annual irradiation per point agrees with Radiance
(gendaymtx Perez sky matrix + rcontrib daylight coefficients) within 3% RMSE of the mean."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pytest

sys.path.insert(0, str(Path(__file__).parent))
import radiance_ref  # noqa: E402

from citytwin.app.commands.solar import SolarOptions, run_solar  # noqa: E402
from citytwin.io.registry import read  # noqa: E402

DATA = Path(__file__).resolve().parents[1] / "data"
EPW = DATA / "weather" / "NLD_Amsterdam062400_IWEC.epw"


@pytest.mark.slow
def test_annual_irradiation_agrees_with_radiance(tmp_path):
    pytest.importorskip("pyradiance")
    model = read(DATA / "cityjson" / "3dbag_b2_v2.0.city.json")
    # Radiance takes the sun from the weather file's site: use the same site for ours
    res = run_solar(model, SolarOptions(weather=EPW, resolution=3.0, latitude=52.30, longitude=4.77))
    mesh = model.triangulate()
    v = mesh.vertices - mesh.origin
    ref, _ = radiance_ref.annual_irradiation(v, mesh.triangles, res.points - mesh.origin, res.normals, EPW,
                                             ad=2048, workdir=tmp_path)
    lit = ref > 1.0  # party walls see nothing in both
    assert lit.sum() > 100
    # the default sky (Perez 1990 traced as light sources) and the all-weather sky (Radiance's own)
    allw = run_solar(model, SolarOptions(weather=EPW, resolution=3.0, latitude=52.30, longitude=4.77,
                                         sky_model="allweather"))
    assert np.allclose(allw.points, res.points)
    for ours in (res, allw):
        d = ours.annual_kwh_m2 - ref
        rmse = float(np.sqrt(np.mean(d[lit] ** 2)) / ref[lit].mean())
        bias = float(d[lit].mean() / ref[lit].mean())
        assert rmse < 0.03, (ours.info["sky_model"], rmse)
        assert abs(bias) < 0.01, (ours.info["sky_model"], bias)
    # the shaded points are really shaded (not an open-field comparison)
    assert (res.svf < 0.45).sum() > 20
    assert np.allclose(res.annual_kwh_m2[~lit], 0.0, atol=1.0)
