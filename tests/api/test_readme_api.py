"""The README's Python API examples run as written and give the CLI's numbers on the same files.

The ```python blocks under the README's "Python API" heading run in one namespace, headless,
in a temporary folder that sees the repository's ``tests/`` (the examples' paths are relative to
the repository root). The oracle is the CLI: ``citytwin solar/shadow/svf/convert/fuse/info`` run
in child processes on the same inputs with the same options, and their CSV, GeoJSON, JSON
summary, report and output files are compared with the API's tables, pandas totals, summaries
and outputs.
"""

from __future__ import annotations

import contextlib
import csv
import io
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

ROOT = Path(__file__).resolve().parents[2]
README = ROOT / "README.md"
BAG = "tests/data/cityjson/3dbag_b2_v2.0.city.json"
EPW = "tests/data/weather/NLD_Amsterdam062400_IWEC.epw"
IFC = "tests/data/ifc/basic.ifczip"
pytestmark = pytest.mark.slow  # the README examples and their CLI runs: about a minute

TIMING = {"seconds", "trace_seconds", "embree_seconds", "rays_per_second"}

#: The CLI runs the examples stand for (same inputs, same options), with the files they write.
CLI = {
    "solar": ["solar", BAG, "--weather", EPW, "--resolution", "2", "--csv", "solar.csv",
              "--geojson", "solar.geojson", "-o", "cli_solar.city.json", "--json-summary", "--quiet"],
    "shadow": ["shadow", BAG, "--date", "2025-06-21", "--from", "08:00", "--to", "18:00", "--step", "60",
               "--grid", "0", "--csv", "shadow.csv", "--geojson", "shadow.geojson", "--json-summary", "--quiet"],
    "svf": ["svf", BAG, "--resolution", "2", "--mf", "4", "--csv", "svf.csv", "--geojson", "svf.geojson",
            "--json-summary", "--quiet"],
    "convert": ["convert", BAG, "cli_3dbag_b2.gml", "--citygml-version", "3.0", "--quiet"],
    "fuse": ["fuse", BAG, "--ifc", IFC, "--ifc-georef", "85005,446550,0,0", "-o", "cli_fused.city.json",
             "--report", "fuse.json"],
    "info": ["info", BAG, "--json"],
}


def readme_blocks(text: str) -> list[str]:
    """The ```python blocks of the README section headed "Python API" (up to the next ``## ``)."""
    m = re.search(r"^## Python API\n(.*?)(?=^## )", text, re.S | re.M)
    assert m, "README.md has no '## Python API' section"
    return re.findall(r"^```python\n(.*?)^```", m.group(1), re.S | re.M)


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    """Run the CLI oracles (child processes, in parallel) and the README examples (this process)."""
    work = tmp_path_factory.mktemp("readme_api")
    (work / "tests").symlink_to(ROOT / "tests")
    procs = {k: subprocess.Popen([sys.executable, "-m", "citytwin", *args], cwd=work, stdout=subprocess.PIPE,
                                 stderr=subprocess.PIPE, text=True) for k, args in CLI.items()}
    blocks = readme_blocks(README.read_text(encoding="utf-8"))
    ns: dict = {"__name__": "readme"}
    out = io.StringIO()
    old = Path.cwd()
    os.chdir(work)
    try:
        with contextlib.redirect_stdout(out):
            for code in blocks:
                exec(compile(code, "README.md", "exec"), ns)
    finally:
        os.chdir(old)
    cli = {}
    for k, p in procs.items():
        stdout, stderr = p.communicate(timeout=600)
        assert p.returncode == 0, f"citytwin {k}: {stderr[-2000:]}"
        cli[k], cli[k + ":stderr"] = stdout, stderr
    return {"dir": work, "ns": ns, "stdout": out.getvalue(), "cli": cli, "blocks": blocks}


def _summary(stdout: str) -> dict:
    return json.loads(stdout.strip().splitlines()[-1])


def _csv(path: Path) -> list[dict]:
    with open(path, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def _features(path: Path) -> list[dict]:
    return [f["properties"] for f in json.loads(path.read_text(encoding="utf-8"))["features"]]


def _close(a, b, tol: float) -> None:
    np.testing.assert_allclose(np.asarray(a, float), np.asarray(b, float), rtol=0, atol=tol)


def test_the_readme_has_examples_for_every_operation(run) -> None:
    code = "\n".join(run["blocks"])
    for name in ("read", "write", "info", "convert", "solar", "shadow", "sky_view_factor", "fuse"):
        assert f"citytwin.{name}(" in code, name
    for part in ("to_pandas()", "to_pyvista()"):
        assert part in code


MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")


def _exported(row: dict, column: str):
    """The value of a CSV ``column`` in a table row as exported (``rows()``): month columns
    (``jan_kwh_m2``, ``pv_jan_kwh``) are elements of the row's 12-month lists."""
    if column in row:
        return row[column]
    m = re.fullmatch(r"(pv_)?([a-z]{3})_(kwh(?:_m2)?)", column)
    assert m and m.group(2) in MONTHS, column
    return row[f"{m.group(1) or ''}monthly_{m.group(3)}"][MONTHS.index(m.group(2))]


def _same_as_csv(table, rows: list[dict]) -> None:
    """Every cell of the CLI's CSV equals the API table's row as exported (rounded the same way)."""
    exported = table.rows()
    assert len(exported) == len(rows) > 0
    for got, want in zip(exported, rows):
        for column, text in want.items():
            value = _exported(got, column)
            assert (str(value) == text) if isinstance(value, str) else (float(value) == float(text)), \
                (column, value, text)


def test_solar_example_gives_the_cli_numbers(run) -> None:
    ns, work = run["ns"], run["dir"]
    study, surfaces, buildings = ns["study"], ns["surfaces"], ns["buildings"]
    cli_summary = _summary(run["cli"]["solar"])
    api_summary = study.summary()
    assert {k: v for k, v in api_summary.items() if k not in TIMING} == \
        {k: v for k, v in cli_summary.items() if k not in TIMING}
    # per surface: the CLI's CSV, cell for cell (the table's rows are rounded as exported)
    rows = _csv(work / "solar.csv")
    _same_as_csv(study.surfaces, rows)
    assert len(surfaces) == cli_summary["surfaces"]
    # the DataFrame is unrounded: equal to the CSV within its rounding, totals included
    for col in ("annual_kwh_m2", "annual_kwh", "area_m2", "pv_kwh"):
        _close(surfaces[col], [float(r[col]) for r in rows], 0.05)
    _close(surfaces["monthly_kwh_m2_jun"], [float(r["jun_kwh_m2"]) for r in rows], 5e-4 + 1e-9)
    _close(surfaces["annual_kwh"].sum(), sum(float(r["annual_kwh"]) for r in rows), 0.005 * len(rows))
    # per building: the GeoJSON's properties; the pandas totals equal the CLI's
    feats = _features(work / "solar.geojson")
    assert study.buildings.rows() == feats
    assert buildings["building_id"].tolist() == [f["building_id"] for f in feats]
    per_row = 0.05 * (len(buildings) + 1) + 1e-6  # the summary may add rows rounded to 0.1, then round
    _close(buildings["pv_kwh"].sum(), cli_summary["pv_kwh_total"], per_row)
    _close(buildings["annual_kwh"].sum(), cli_summary["annual_kwh_total"], per_row)
    _close(buildings["monthly_kwh_dec"], [f["monthly_kwh"][11] for f in feats], 0.05 + 1e-9)
    # per point: area-weighted irradiation adds up to the CLI's total
    pts = ns["points"]
    assert len(pts) == cli_summary["points"]
    _close((pts["annual_kwh_m2"] * pts["areas"]).sum(), cli_summary["annual_kwh_total"], 0.05 + 1e-6)


def test_solar_mesh_carries_the_surface_values(run) -> None:
    ns = run["ns"]
    mesh, surfaces = ns["mesh"], ns["surfaces"]
    rows = np.asarray(mesh.cell_data["row"])
    assert mesh.n_cells == len(ns["model"].triangulate())
    hit = rows >= 0
    assert set(rows[hit].tolist()) == set(range(len(surfaces)))  # every surface shows on its triangles
    _close(mesh.cell_data["annual_kwh_m2"][hit], surfaces["annual_kwh_m2"].to_numpy()[rows[hit]], 1e-9)
    assert np.isnan(mesh.cell_data["annual_kwh_m2"][~hit]).all()
    # invariant: the triangles of a surface cover its sampled area (m2)
    area = np.bincount(rows[hit], weights=mesh.cell_data["triangle_area_m2"][hit], minlength=len(surfaces))
    _close(area, surfaces["area_m2"], 1e-6)
    ids = np.asarray(mesh.cell_data["object_id"])[hit]
    assert (ids == surfaces["object_id"].to_numpy()[rows[hit]]).all()


def test_solar_model_output_equals_the_cli_output(run) -> None:
    from citytwin.io.registry import read

    api = read(run["dir"] / "3dbag_b2_solar.city.json")
    cli = read(run["dir"] / "cli_solar.city.json")
    assert sorted(api.objects) == sorted(cli.objects)
    for oid, o in cli.objects.items():
        for key, value in o.attributes.items():
            if key.startswith("solar_"):
                assert api.objects[oid].attributes[key] == value, (oid, key)


def test_shadow_example_gives_the_cli_numbers(run) -> None:
    work, shadows = run["dir"], run["ns"]["shadows"]
    cli_summary = _summary(run["cli"]["shadow"])
    assert {k: v for k, v in shadows.summary().items() if k not in TIMING} == \
        {k: v for k, v in cli_summary.items() if k not in TIMING}
    rows = _csv(work / "shadow.csv")
    steps = [c for c in rows[0] if c.startswith("lit_")]
    assert len(steps) == len(shadows.raw.times) == 11
    exported = shadows.surfaces.rows()
    assert len(exported) == len(rows) > 10
    for got, want in zip(exported, rows):
        assert [got["object_id"], got["building_id"], str(got["surface"]), str(got["points"])] == \
            [want["object_id"], want["building_id"], want["surface"], want["points"]]
        assert got["sun_hours"] == float(want["sun_hours"])
        assert got["lit_fraction"] == [float(want[c]) for c in steps]
    b = shadows.buildings.to_pandas()
    feats = _features(work / "shadow.geojson")
    assert shadows.buildings.rows() == feats
    _close((b["sun_hours"] * b["points"]).sum() / b["points"].sum(), cli_summary["sun_hours_mean"], 5e-4)


def test_svf_example_gives_the_cli_numbers(run) -> None:
    work, svf = run["dir"], run["ns"]["svf"]
    cli_summary = _summary(run["cli"]["svf"])
    assert {k: v for k, v in svf.summary().items() if k not in TIMING} == \
        {k: v for k, v in cli_summary.items() if k not in TIMING}
    _same_as_csv(svf.surfaces, _csv(work / "svf.csv"))
    assert svf.buildings.rows() == _features(work / "svf.geojson")
    s = svf.surfaces.to_pandas()
    _close((s["svf"] * s["area_m2"]).sum() / s["area_m2"].sum(), cli_summary["svf_mean"], 5e-5 + 1e-9)


def test_info_and_convert_examples_give_the_cli_results(run) -> None:
    ns, work = run["ns"], run["dir"]
    cli_info = json.loads(run["cli"]["info"])
    api_info = ns["summary"]
    for key in ("format", "version", "crs", "object_counts", "objects", "lods", "semantic_counts", "bbox",
                "vertices", "triangles", "problem_count"):
        assert api_info[key] == cli_info[key], key
    assert f"{cli_info['object_counts']} {cli_info['lods']} {cli_info['problem_count']}" in run["stdout"]
    converted = ns["converted"]
    assert converted.objects == cli_info["objects"]
    assert (work / "3dbag_b2.gml").read_bytes() == (work / "cli_3dbag_b2.gml").read_bytes()


def test_fuse_example_gives_the_cli_report(run) -> None:
    work, fusion = run["dir"], run["ns"]["fusion"]
    cli_report = json.loads((work / "fuse.json").read_text(encoding="utf-8"))
    assert fusion.report["ifc"][0]["matches"] == cli_report["ifc"][0]["matches"]
    assert fusion.report["ifc"][0]["flags"] == cli_report["ifc"][0]["flags"]
    assert len(fusion.matches()) == len(cli_report["ifc"][0]["matches"]) == 1
    for line in fusion.lines():
        assert line in run["cli"]["fuse:stderr"]
    from citytwin.io.registry import read

    assert sorted(read(work / "3dbag_b2_fused.city.json").objects) == \
        sorted(read(work / "cli_fused.city.json").objects)
