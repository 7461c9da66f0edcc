"""Solar aggregates checked against a hand computation, and LoD 0 footprints never analysed as roofs.

The oracle recomputes every per-surface, per-building and per-class figure that the outputs carry
(CSV, GeoJSON, ``--json-summary``, HTML report, the model written with ``-o``) from the per-point
results alone, with plain numpy, and reads the surface types and parents straight from the model;
it shares no code with :mod:`citytwin.analysis.results` or ``_surface_table``/``_building_table``.
Areas are also checked against Newell's formula on the raw CityJSON vertices.
"""

from __future__ import annotations

import csv
import html as _html
import json
import re
from pathlib import Path

import numpy as np
import pytest

from citytwin.app.cli import main
from citytwin.app.commands import solar as solar_cmd
from citytwin.app.commands.solar import SolarOptions, run_solar
from citytwin.errors import InputError
from citytwin.io.registry import read
from tests.conftest import shared_path

DATA = Path(__file__).resolve().parents[1] / "data"
#: A real 3D BAG building as published: Building = LoD 0 footprint only, BuildingPart = LoD 1.2/1.3/2.2.
BAG_LOD0 = DATA / "cityjson" / "3dbag_lod0_parts.city.jsonl"
BAG_B2 = DATA / "cityjson" / "3dbag_b2_v2.0.city.json"
EPW = DATA / "weather" / "NLD_Amsterdam062400_IWEC.epw"
MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")


# -- LoD 0 footprints (issue 11 item 5) ------------------------------------------------------

def _newell_area(ring: np.ndarray) -> float:
    n = np.zeros(3)
    for a, b in zip(ring, np.roll(ring, -1, axis=0)):
        n += np.cross(a, b)
    return float(np.linalg.norm(n) / 2)


def _raw_roof_area(path: Path, lod: str) -> float:
    """Sum of the RoofSurface polygon areas of the ``lod`` solids, from the raw CityJSONSeq text."""
    lines = path.read_text().splitlines()
    head = json.loads(lines[0])
    scale, translate = np.array(head["transform"]["scale"]), np.array(head["transform"]["translate"])
    total = 0.0
    for line in lines[1:]:
        f = json.loads(line)
        v = np.array(f["vertices"], float) * scale + translate
        for o in f["CityObjects"].values():
            for g in o.get("geometry", []):
                if g["lod"] != lod:
                    continue
                sem = g["semantics"]
                for shell, vals in zip(g["boundaries"], sem["values"]):
                    for poly, k in zip(shell, vals):
                        if k is not None and sem["surfaces"][k]["type"] == "RoofSurface":
                            outer = _newell_area(v[poly[0]])
                            total += outer - sum(_newell_area(v[h]) for h in poly[1:])
    return total


@pytest.fixture(scope="module")
def bag_lod0_runs():
    model = read(BAG_LOD0)
    opts = dict(weather=EPW, resolution=0.5)
    default = run_solar(model, SolarOptions(**opts))
    lod22 = run_solar(read(BAG_LOD0), SolarOptions(lod="2.2", **opts))
    return model, default, lod22


def test_3dbag_lod0_footprint_is_not_analysed_as_a_roof(bag_lod0_runs):
    model, default, lod22 = bag_lod0_runs
    # every sample point lies on the BuildingPart's 3D envelope, none on the Building's footprint
    types = {model.objects[default.object_ids[i]].type for i in np.unique(default.object_index).tolist()}
    assert types == {"BuildingPart"}
    roof = default.semantic_type == "RoofSurface"
    assert roof.any() and (default.annual_kwh_m2[roof] > 0).all()
    # the default (each object's highest LoD) gives the LoD 2.2 answer: same points, same means
    s, s22 = default.summary(), lod22.summary()
    assert len(default.points) == len(lod22.points)
    assert s["mean_kwh_m2"] == s22["mean_kwh_m2"]
    # a real year in Amsterdam: a roof mean of ~1000 kWh/m2, not halved by a 0 kWh/m2 footprint
    assert 850 < s["mean_kwh_m2"]["RoofSurface"] < 1200
    # the roof area is the LoD 2.2 RoofSurface area of the raw file (Newell), no footprint added
    roof_area = sum(r["area_m2"] for r in default.surfaces if r["type"] == "RoofSurface")
    assert roof_area == pytest.approx(_raw_roof_area(BAG_LOD0, "2.2"), rel=1e-4)
    b = default.buildings
    assert [x["building_id"] for x in b] == ["NL.IMBAG.Pand.0503100000013175"]
    assert b[0]["roof_area_m2"] == pytest.approx(roof_area, abs=0.02)
    assert b[0]["roof_kwh_m2"] == pytest.approx(s["mean_kwh_m2"]["RoofSurface"], abs=0.02)
    assert not [p for p in model.problems if "LoD 0" in str(p.to_dict())]  # it has 3D parts: no warning


def test_lod0_without_semantics_is_never_a_roof_even_when_asked():
    with pytest.raises(InputError, match="footprints, never roofs"):
        run_solar(read(BAG_LOD0), SolarOptions(weather=EPW, resolution=1, lod="0"))


def test_lod0_only_building_is_analysed_only_when_asked():
    """sig3d's LoD 0 building (CityGML 3.0): a roof-edge RoofSurface at LoD 0 over an LoD 0 terrain."""
    src = shared_path("citygml", "v3.0", "sig3d_examples", "Building_LOD0-EPSG25832.gml")
    with pytest.raises(InputError, match="give LoD 0") as info:  # the option's label; the CLI's flag:
        run_solar(read(src), SolarOptions(clear_sky=True, resolution=2))
    from citytwin.app.cli.study_parsers import cli_message

    assert "give --lod 0" in cli_message(info.value, "solar")
    res = run_solar(read(src), SolarOptions(clear_sky=True, resolution=2, lod="0"))
    assert set(res.semantic_type.tolist()) == {"RoofSurface"}
    assert res.summary()["mean_kwh_m2"]["RoofSurface"] > 1000  # an unshaded roof edge, clear sky


# -- the oracle: every output from the per-point results ---------------------------------------

def _roots(model) -> dict[str, str]:
    out = {}
    for oid in model.objects:
        cur = oid
        while model.objects[cur].parents:
            cur = model.objects[cur].parents[0]
        out[oid] = cur
    return out


def _wmean(a: np.ndarray, x: np.ndarray) -> np.ndarray:
    return (a[:, None] * x.reshape(len(a), -1)).sum(0).squeeze() / a.sum()


@pytest.fixture(scope="module", params=[BAG_LOD0, BAG_B2], ids=["3dbag_lod0_parts", "3dbag_b2"])
def cli_run(request, tmp_path_factory):
    """Run ``citytwin solar`` with every output; keep the in-memory result the CLI wrote them from."""
    src = request.param
    out = tmp_path_factory.mktemp("agg")
    seen = []
    real = solar_cmd.run_solar

    def spy(*a, **k):
        seen.append(real(*a, **k))
        return seen[-1]

    mp = pytest.MonkeyPatch()
    mp.setattr(solar_cmd, "run_solar", spy)
    import contextlib
    import io

    buf = io.StringIO()
    try:
        with contextlib.redirect_stdout(buf):
            rc = main(["solar", str(src), "--weather", str(EPW), "--resolution", "0.7", "--pv-min-area", "2",
                       "--pv-model", "simple",  # pvlib's model is checked in test_pv_yield.py
                       "-o", str(out / "o.city.json"), "--csv", str(out / "s.csv"),
                       "--geojson", str(out / "b.geojson"), "--report", str(out / "r.html"),
                       "--json-summary", "--quiet"])
    finally:
        mp.undo()
    assert rc == 0 and len(seen) == 1
    summary = json.loads(buf.getvalue().strip().splitlines()[-1])
    return src, out, seen[0], summary


def test_per_surface_csv_matches_hand_computation(cli_run):
    src, out, res, _ = cli_run
    model = read(src)
    roots = _roots(model)
    rows = list(csv.DictReader((out / "s.csv").open()))
    ids = np.array(res.object_ids, dtype=object)[res.object_index]
    key = res.surface_keys[res.surface_row]  # (object, geometry, surface) of every point
    slope = np.degrees(np.arccos(np.clip(res.normals[:, 2], -1, 1)))
    covered = np.zeros(len(res.points), bool)
    for r in rows:
        m = (ids == r["object_id"]) & (key[:, 1] == int(r["geometry"])) & (key[:, 2] == int(r["surface"]))
        assert m.any()
        assert not covered[m].any()
        covered |= m
        a = res.areas[m]
        # the type is the model's semantic type of that very polygon
        g = model.objects[r["object_id"]].geometry[int(r["geometry"])]
        k = int(g.semantics.values[int(r["surface"])])
        assert r["type"] == g.semantics.surfaces[k]["type"] == set(res.semantic_type[m].tolist()).pop()
        assert r["building_id"] == roots[r["object_id"]]
        assert float(r["area_m2"]) == pytest.approx(a.sum(), abs=6e-4)
        mean = float(_wmean(a, res.annual_kwh_m2[m]))
        assert float(r["annual_kwh_m2"]) == pytest.approx(mean, abs=6e-3)
        assert float(r["annual_kwh"]) == pytest.approx((a * res.annual_kwh_m2[m]).sum(), abs=6e-3)
        monthly = _wmean(a, res.monthly_kwh_m2[m])
        assert [float(r[f"{mo}_kwh_m2"]) for mo in MONTHS] == pytest.approx(monthly, abs=6e-4)
        assert float(r["sun_hours"]) == pytest.approx(_wmean(a, res.sun_hours[m]), abs=0.06)
        assert float(r["svf"]) == pytest.approx(_wmean(a, res.svf[m]), abs=6e-5)
        n = (a[:, None] * res.normals[m]).sum(0)
        n /= np.linalg.norm(n)
        assert float(r["tilt_deg"]) == pytest.approx(np.degrees(np.arccos(n[2])), abs=0.006)
        # PV: usable roof points (>= 800 kWh/m2, slope <= 60), counted only from 2 m2 per surface
        use = (res.semantic_type[m] == "RoofSurface") & (res.annual_kwh_m2[m] >= 800) & (slope[m] <= 60)
        pv_a = a[use].sum() if a[use].sum() >= 2 else 0.0
        pv_kwh = (a[use] * res.annual_kwh_m2[m][use]).sum() * 0.2 * 0.8 if pv_a else 0.0
        assert float(r["pv_area_m2"]) == pytest.approx(pv_a, abs=6e-3)
        assert float(r["pv_kwh"]) == pytest.approx(pv_kwh, abs=0.06)
        pv_m = (a[use, None] * res.monthly_kwh_m2[m][use]).sum(0) * 0.2 * 0.8 if pv_a else np.zeros(12)
        assert [float(r[f"pv_{mo}_kwh"]) for mo in MONTHS] == pytest.approx(pv_m, abs=6e-3)
    assert covered.all()  # every point is in exactly one row


def test_per_building_and_per_class_outputs_match_hand_computation(cli_run):
    src, out, res, summary = cli_run
    model = read(src)
    roots = _roots(model)
    a, e = res.areas, res.annual_kwh_m2
    bld = np.array([roots[res.object_ids[i]] for i in res.object_index], dtype=object)
    typ = res.semantic_type
    expect = {}
    for b in sorted(set(bld.tolist())):
        m = bld == b
        roof, wall = m & (typ == "RoofSurface"), m & (typ == "WallSurface")
        expect[b] = {
            "area_m2": a[m].sum(), "annual_kwh": (a[m] * e[m]).sum(),
            "roof_area_m2": a[roof].sum(), "roof_kwh_m2": float(_wmean(a[roof], e[roof])),
            "wall_area_m2": a[wall].sum(), "wall_kwh_m2": float(_wmean(a[wall], e[wall])),
            "sun_hours": float(_wmean(a[m], res.sun_hours[m])), "svf": float(_wmean(a[m], res.svf[m])),
            "monthly_kwh": (a[m, None] * res.monthly_kwh_m2[m]).sum(0),
        }
    tol = {"area_m2": 6e-3, "annual_kwh": 0.06, "roof_area_m2": 6e-3, "roof_kwh_m2": 6e-3,
           "wall_area_m2": 6e-3, "wall_kwh_m2": 6e-3, "sun_hours": 0.06, "svf": 6e-5}
    # GeoJSON: one feature per building with the same figures
    gj = json.loads((out / "b.geojson").read_text())
    assert sorted(f["id"] for f in gj["features"]) == sorted(expect)
    for f in gj["features"]:
        p, x = f["properties"], expect[f["id"]]
        for k, t in tol.items():
            assert p[k] == pytest.approx(x[k], abs=t), (f["id"], k)
        assert p["monthly_kwh"] == pytest.approx(x["monthly_kwh"], abs=0.06)
        assert f["geometry"] is not None
    # the PV total of a building is the sum of its surfaces' PV (CSV)
    rows = list(csv.DictReader((out / "s.csv").open()))
    for f in gj["features"]:
        mine = [r for r in rows if r["building_id"] == f["id"]]
        pv = sum(float(r["pv_kwh"]) for r in mine)
        assert f["properties"]["pv_kwh"] == pytest.approx(pv, abs=0.06 * (1 + len(mine)))
        pv_m = [sum(float(r[f"pv_{mo}_kwh"]) for r in mine) for mo in MONTHS]
        assert f["properties"]["pv_monthly_kwh"] == pytest.approx(pv_m, abs=0.06 + 0.005 * len(mine))
    # --json-summary: per-class means and totals
    classes = sorted(set(typ.tolist()))
    assert sorted(summary["mean_kwh_m2"]) == classes
    for t in classes:
        m = typ == t
        assert summary["mean_kwh_m2"][t] == pytest.approx(_wmean(a[m], e[m]), abs=6e-3)
    assert summary["area_m2"] == pytest.approx(a.sum(), abs=6e-3)
    assert summary["annual_kwh_total"] == pytest.approx((a * e).sum(), abs=0.06)
    assert summary["sun_hours_mean"] == pytest.approx(_wmean(a, res.sun_hours), abs=0.06)
    assert summary["points"] == len(a) and summary["buildings"] == len(expect)
    # HTML report: the summary table and the building table carry the same numbers
    doc = (out / "r.html").read_text()
    assert _html.escape(json.dumps(summary["mean_kwh_m2"])) in doc
    cells = re.findall(r"<tr>(<td>.*?</td>)</tr>", doc)
    by_id = {re.findall(r"<td>(.*?)</td>", c)[0]: re.findall(r"<td>(.*?)</td>", c) for c in cells}
    for b, x in expect.items():
        assert float(by_id[b][2]) == pytest.approx(x["annual_kwh"], abs=0.06)
        assert float(by_id[b][3]) == pytest.approx(x["roof_kwh_m2"], abs=6e-3)
    # the model written with -o: building attributes and each semantic surface's own values
    o = read(out / "o.city.json")
    for b, x in expect.items():
        at = o.objects[b].attributes
        assert at["solar_annual_kwh"] == pytest.approx(x["annual_kwh"], abs=0.06)
        assert at["solar_roof_kwh_m2"] == pytest.approx(x["roof_kwh_m2"], abs=6e-3)
    ids = np.array(res.object_ids, dtype=object)[res.object_index]
    key = res.surface_keys[res.surface_row]
    n_checked = 0
    for oid, obj in o.objects.items():
        for gi, g in enumerate(obj.geometry):
            if g.semantics is None:
                continue
            for si, k in enumerate(g.semantics.values.tolist()):
                s = g.semantics.surfaces[k] if k >= 0 else {}
                if "solar_annual_kwh_m2" not in s:
                    continue
                m = (ids == oid) & (key[:, 1] == gi) & (key[:, 2] == si)
                assert s["solar_annual_kwh_m2"] == pytest.approx(_wmean(a[m], e[m]), abs=6e-3)
                n_checked += 1
    assert n_checked == summary["surfaces"]
