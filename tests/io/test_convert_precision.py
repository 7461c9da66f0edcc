"""Oracle: ``convert`` at the default precision loses no geometry without saying so.

For every CityJSON / CityGML file of the corpus (and the small copies in tests/data), the model
read back from the CityJSON that ``convert`` writes (1 mm grid, ~1e-8 degrees in a geographic
CRS) is compared with the model read from the input, on invariants that do not depend on our
own code being right:

* total triangulated area, in metres: equal within the snapping bound sum(perimeter) x delta,
  delta being the largest move of a corner (half the grid diagonal);
* triangle count: only triangles that snapping can flatten (area <= perimeter x delta) may go;
* no polygon fails to triangulate in the output that did not in the input;
* when surfaces are left out, a ``warning`` says so.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import numpy as np
import pytest

from citytwin.app.commands.convert import ConvertParams, run_convert
from citytwin.io.registry import read
from citytwin.mesh.triangulate import STATUS_MESSAGES
from tests.conftest import DATA, SHARED

_POLYGON_PROBLEMS = frozenset(STATUS_MESSAGES.values())


def _inputs() -> list[Path]:
    roots = [SHARED / "citygml", SHARED / "cityjson"] if SHARED.exists() else []
    roots += [DATA / "citygml", DATA / "cityjson", DATA / "writers"]
    out = []
    for root in roots:
        for p in sorted(root.rglob("*")):
            name = p.name
            if not p.is_file() or name == "invariants.json" or name.endswith(".ext.json"):
                continue
            if name.endswith((".gml", ".city.json", ".city.jsonl")) or (p.suffix == ".json" and "cityjson" in p.parts):
                out.append(p)
    return out


FILES = _inputs()
IDS = [str(p.relative_to(SHARED if SHARED in p.parents else DATA)) for p in FILES]


def _metric(model) -> tuple[np.ndarray, np.ndarray]:
    """Triangle corners (t, 3, 3) in metres (a local tangent approximation in a geographic CRS)
    and the largest corner move of the default grid, delta (m)."""
    t = model.triangulate()
    v = t.vertices[t.triangles].astype(np.float64)
    if model.crs is not None and model.crs.is_geographic() and len(v):
        lat0 = np.radians(np.nanmean(v[..., 1]))
        v[..., 0] *= 111_320.0 * np.cos(lat0)
        v[..., 1] *= 110_574.0
    return v, np.full(1, 0.5 * np.sqrt(3.0) * 0.0012)  # 1e-8 deg is up to 1.11 mm


def _tri_stats(v: np.ndarray, delta: float) -> tuple[float, float, int]:
    a, b, c = v[:, 0], v[:, 1], v[:, 2]
    area = 0.5 * np.linalg.norm(np.cross(b - a, c - a), axis=1)
    perim = np.linalg.norm(b - a, axis=1) + np.linalg.norm(c - b, axis=1) + np.linalg.norm(a - c, axis=1)
    return float(area.sum()), float((perim * delta).sum()), int((area <= perim * delta).sum())


def _polygon_problems(model) -> Counter:
    return Counter(p.message for p in model.problems if p.message in _POLYGON_PROBLEMS)


@pytest.mark.parametrize("path", FILES, ids=IDS)
def test_convert_default_precision_loses_nothing_silently(tmp_path, path):
    src = read(path)
    if src.crs is not None and not src.crs.is_geographic() and src.crs.axis_metres()[0] != 1.0:
        pytest.skip("CRS not in metres or degrees")
    v_in, delta = _metric(src)
    before = _polygon_problems(src)
    area_in, bound, flat = _tri_stats(v_in, float(delta[0])) if len(v_in) else (0.0, 0.0, 0)
    n_surf_in = sum(g.n_surfaces for o in src.objects.values() for g in o.geometry if g.has_surfaces)
    out = tmp_path / "o.city.json"
    res = run_convert(ConvertParams(input=path, output=out, fast_path=False))
    back = read(out)
    v_out, _ = _metric(back)
    area_out = _tri_stats(v_out, float(delta[0]))[0] if len(v_out) else 0.0
    assert abs(area_out - area_in) <= bound + 1e-9, (area_in, area_out, bound)
    assert len(v_out) >= len(v_in) - flat, (len(v_in), len(v_out), flat)
    after = _polygon_problems(back)
    assert all(after[k] <= before[k] for k in after), (before, after)
    n_surf_out = sum(g.n_surfaces for o in back.objects.values() for g in o.geometry if g.has_surfaces)
    if n_surf_out < n_surf_in:
        assert res.write_problems, f"{n_surf_in - n_surf_out} surfaces left out without a warning"


def test_snapping_that_collapses_polygons_says_so(tmp_path):
    """The citygml4j LoD3 testtown building has sub-millimetre polygons: on the 1 mm grid they
    collapse (the output had 10 zero-area polygons, 9 of them new). The 9 are left out, with a
    warning counting them; the input's own zero-area polygon is written as it was."""
    from tests.conftest import shared_path

    path = shared_path("citygml", "v2.0", "citygml4j_lod3_testtown_textured", "lod3_building_v2.gml")
    out = tmp_path / "o.city.json"
    res = run_convert(ConvertParams(input=path, output=out, fast_path=False))
    warn = [w for w in res.write_problems if "output precision" in w]
    assert len(warn) == 1 and re.search(r"\b9 surface\(s\) collapse to zero area", warn[0]), res.write_problems
    src, back = read(path), read(out)
    src.triangulate()
    back.triangulate()
    assert _polygon_problems(back) == _polygon_problems(src) == Counter({STATUS_MESSAGES[2]: 1})


def test_snapping_that_makes_polygons_cross_themselves_untangles_them(tmp_path):
    """Melbourne roads (CityGML 3.0): corners closer than 1 mm to another edge land across it on
    the grid, and 5 polygons could not be triangulated any more (129 triangles lost, silently).
    The corners are removed, with a warning, and no triangle of real area is lost."""
    from tests.conftest import shared_path

    path = shared_path("citygml", "v3.0", "melbourne_citygml3_roads_roundabout.gml")
    out = tmp_path / "o.city.json"
    res = run_convert(ConvertParams(input=path, output=out, fast_path=False))
    warn = [w for w in res.write_problems if "output precision" in w]
    assert len(warn) == 1 and "5 polygon(s) would cross themselves" in warn[0], res.write_problems
    back = read(out)
    back.triangulate()
    assert not _polygon_problems(back)


@pytest.mark.parametrize("rel", ["citygml/v3.0/melbourne_citygml3_roads_roundabout.gml",
                                 "citygml/v2.0/citygml4j_lod4_building_v2.gml"])
def test_collinear_corners_are_not_a_failed_triangulation(rel):
    """Earcut leaves out collinear corners (no zero-area triangles), so a polygon with some gets
    fewer than m - 2 triangles with nothing missing; counting triangles called these two files'
    polygons 'could not be fully triangulated' (2 each). Coverage is judged by area now: the
    triangles cover each polygon's area (shoelace, independent of earcut)."""
    from tests.conftest import shared_path

    m = read(shared_path(*rel.split("/")))
    m.triangulate()
    assert STATUS_MESSAGES[4] not in _polygon_problems(m)


def test_plateau_degrees_get_a_1e8_degree_grid_and_lose_nothing(tmp_path):
    """A PLATEAU building file in EPSG:6697 (latitude, longitude in degrees, heights in metres):
    the default grid is 1e-8 degree (~1.1 mm) horizontally and 1 mm vertically, not 0.001 degree
    (~100 m), and every triangle comes back."""
    import json

    path = DATA / "citygml" / "plateau_64413325_bldg_6697_op.gml"
    src = read(path)
    assert src.crs is not None and src.crs.is_geographic()
    out = tmp_path / "o.city.json"
    run_convert(ConvertParams(input=path, output=out, fast_path=False))
    assert json.loads(out.read_text())["transform"]["scale"] == [1e-8, 1e-8, 0.001]
    back = read(out)
    assert len(back.triangulate()) == len(src.triangulate()) > 300
