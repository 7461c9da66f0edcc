"""Trees are semi-transparent occluders with a seasonal transmissivity (leaf-on / leaf-off).

A south wall with a deciduous tree in front of it: each month's irradiation must be exactly the
opaque-tree value plus the month's transmissivity times what the tree takes away (linearity of
the documented model), the tree must take a larger share in summer (leaves, 3 % through) than in
winter (bare, 50 % through), and a fully transparent tree must equal no tree at all.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pytest

sys.path.insert(0, str(Path(__file__).parent))
import scenes  # noqa: E402

from citytwin.app.cli import main  # noqa: E402
from citytwin.app.commands.solar import SolarOptions, run_solar  # noqa: E402

EPW = Path(__file__).resolve().parents[1] / "data" / "weather" / "NLD_Amsterdam062400_IWEC.epw"
X0, Y0 = scenes.X0, scenes.Y0


def _scene(tree: bool):
    wall = scenes.panel([X0, Y0, 4.0], 90.0, 180.0, 6.0)  # 6 x 6 m wall facing south, 1..7 m high
    objs = [("house", "Building", [(wall, "WallSurface")])]
    if tree:  # a crown 6 x 6 m, 4..12 m high, 1 m south of the wall (over the wall, as street trees)
        objs.append(("tree", "SolitaryVegetationObject", scenes.box_faces(X0 - 3, Y0 - 7, 6, 6, 8, z0=4.0)))
    return scenes.model_of(objs)


def _monthly(model, tau):
    res = run_solar(model, SolarOptions(weather=EPW, resolution=1.0, veg_transmissivity=tau))
    k = res.object_index == res.object_ids.index("house")
    return np.average(res.monthly_kwh_m2[k], axis=0, weights=res.areas[k]), res


def test_tree_takes_its_documented_share_per_month():
    open_, _ = _monthly(_scene(True), (1.0, 1.0))
    opaque, _ = _monthly(_scene(True), (0.0, 0.0))
    seasonal, res = _monthly(_scene(True), (0.03, 0.5))
    none, _ = _monthly(_scene(False), (0.03, 0.5))
    np.testing.assert_allclose(open_, none, rtol=1e-5)  # a transparent tree is no tree (float32 sums)
    assert (opaque < open_ - 0.5).all()  # the tree stands in the light every month
    tau = np.where(np.isin(np.arange(1, 13), [4, 5, 6, 7, 8, 9, 10]), 0.03, 0.5)
    np.testing.assert_allclose(seasonal, opaque + tau * (open_ - opaque), rtol=1e-5)
    loss = 1 - seasonal / open_
    summer, winter = loss[5:8].mean(), loss[[0, 1, 11]].mean()
    assert summer > winter
    assert "leaf-on months ---AMJJASO--" in res.info["vegetation"]


def test_southern_hemisphere_shifts_the_leaves_and_cli_flags(tmp_path, capsys):
    from citytwin.analysis.solar import vegetation_transmissivity

    tau = vegetation_transmissivity(SolarOptions(), -33.9)
    assert tau[0] == 0.03 and tau[6] == 0.5  # leaves in January, bare in July
    model_path = tmp_path / "tree.city.json"
    from citytwin.io.registry import write

    write(_scene(True), model_path)
    assert main(["solar", str(model_path), "--weather", str(EPW), "--resolution", "2", "--json-summary",
                 "--quiet", "--veg-transmissivity", "0.1,0.6", "--leaf-on", "5-9"]) == 0
    out = capsys.readouterr().out.strip().splitlines()[-1]
    assert "transmissivity 0.1 leaf-on, 0.6 leaf-off (leaf-on months ----MJJAS---)" in out
    assert main(["solar", str(model_path), "--weather", str(EPW), "--json-summary", "--quiet",
                 "--veg-transmissivity", "0.1,1.5"]) != 0
    err = capsys.readouterr().err
    assert "--veg-transmissivity" in err
