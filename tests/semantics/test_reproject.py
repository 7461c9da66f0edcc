"""Reprojection defects of issue 11 (items 1-3), each on a real file, against pyproj's default."""

from __future__ import annotations

import subprocess
import sys
import warnings
from pathlib import Path

import numpy as np

from citytwin.io.registry import read
from citytwin.semantics.crs import CRS
from citytwin.semantics.model import CityModel
from citytwin.semantics.reproject import plan
from tests.conftest import DATA

BAG = DATA / "cityjson" / "3dbag_b2_v2.0.city.json"  # EPSG:7415, Delft
SIG3D = DATA / "citygml" / "sig3d_Building_LOD2_v2.gml"  # EPSG:25832 + 5783 (DHHN92 height)
MUNICH = DATA / "writers" / "Building_CityGML3.0_LOD2_with_several_attributes.gml"  # DHDN / GK 4 + DHHN92


def _default(src: str, dst: str, pts: np.ndarray, aoi=None) -> np.ndarray:
    import pyproj

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        tr = pyproj.Transformer.from_crs(src, dst, always_xy=True, area_of_interest=aoi)
        return np.column_stack(tr.transform(pts[:, 0], pts[:, 1]))


def test_munich_dhdn_uses_the_southern_operation() -> None:
    """Item 3: DHDN / GK 4 -> ETRS89 / UTM 32 in Bavaria used "DHDN to ETRS89 (2)" (3 m, all of
    West Germany), PROJ's first operation over the CRSs' whole area; "(3)" (1 m, south of
    50°20'N) applies to this data: 0.7 m apart. The data's area picks the operation now."""
    from pyproj.aoi import AreaOfInterest

    m = read(MUNICH)
    assert (m.crs.horizontal, m.crs.vertical) == (31468, 5783)
    pts = m.vertices.copy()
    m.assign_crs("EPSG:31468")
    m.reproject("EPSG:25832")
    r = plan(CRS(code=31468), CRS(code=25832), pts)
    assert "DHDN to ETRS89 (3)" in r.description and r.transformer.accuracy == 1.0
    aoi = AreaOfInterest(11.87, 48.03, 11.88, 48.04)  # the building, by hand
    ref = _default("EPSG:31468", "EPSG:25832", pts, aoi)
    assert np.abs(m.vertices[:, :2] - ref).max() < 1e-3
    two = _default("EPSG:31468", "EPSG:25832", pts, AreaOfInterest(5.9, 47.3, 13.8, 55.0))  # all of "(2)"'s area
    assert np.abs(m.vertices[:, :2] - two).max() < 1e-3  # PROJ's default picks (3) there too
    assert np.any(np.abs(m.vertices[:, :2] - _op2(pts)).max(axis=1) > 0.3)  # and (2) is 0.3-0.7 m off


def _op2(pts: np.ndarray) -> np.ndarray:
    """"DHDN to ETRS89 (2)" alone, the operation used before (PROJ's first without an area)."""
    from pyproj.transformer import TransformerGroup

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        group = TransformerGroup("EPSG:31468", "EPSG:25832", always_xy=True)
    tr = next(t for t in group.transformers if "DHDN to ETRS89 (2)" in t.description)
    return np.column_stack(tr.transform(pts[:, 0], pts[:, 1]))


def test_3dbag_to_wgs84_3d_is_not_a_ballpark_offset() -> None:
    """Item 1: 7415 -> 4979 (and 7931) used "Ballpark geographic offset from Amersfoort to
    WGS 84" (no datum shift, ~111 m off): every candidate has a ballpark vertical step, so all
    have unknown accuracy and the world-wide ballpark came first. pyproj's default uses
    "Amersfoort to WGS 84 (4)"; so do we, to 1 mm."""
    base = read(BAG)
    for target in ("EPSG:4979", "EPSG:7931"):
        m = read(BAG)
        m.reproject(target)
        ref = _default("EPSG:7415", target, base.vertices)
        err = np.hypot((m.vertices[:, 0] - ref[:, 0]) * 111320 * np.cos(np.radians(52)),
                       (m.vertices[:, 1] - ref[:, 1]) * 111320)
        assert err.max() < 1e-3, f"{target}: {err.max():.3f} m from pyproj's default"
        r = plan(base.crs, CRS.parse(target), base.vertices)
        assert "ballpark geographic offset" not in r.description.lower()


def test_ballpark_vertical_step_is_said(tmp_path: Path) -> None:
    """Item 2: ETRS89 / UTM + DHHN92 heights -> WGS 84 3D: PROJ has only a ballpark vertical
    step here and no missing grid to report, so the heights were kept, labelled ellipsoidal,
    without a word. The heights stay (as PROJ's default leaves them) and a warning says so."""
    m = read(SIG3D)
    assert (m.crs.horizontal, m.crs.vertical) == (25832, 5783)
    before = m.vertices[:, 2].copy()
    note = m.reproject("EPSG:4979")
    assert np.array_equal(m.vertices[:, 2], before)
    assert note is not None and "heights were not transformed" in note and "DHHN92 height" in note
    assert any("ballpark vertical" in p.message for p in m.problems.items)
    out = tmp_path / "wgs.city.json"
    res = subprocess.run([sys.executable, "-m", "citytwin", "convert", str(SIG3D), str(out), "--crs", "EPSG:4979",
                          "--quiet"], capture_output=True, text=True)
    assert res.returncode == 0, res.stderr
    warned = [ln for ln in res.stderr.splitlines() if ln.startswith("warning:") and "heights were not transformed" in ln]
    assert len(warned) == 1, res.stderr


def test_exact_reprojection_says_nothing() -> None:
    """The same file to ETRS89 / UTM 33 + DHHN92 (a projection change, heights untouched by
    design): no note, so the warnings above are not noise."""
    m = read(SIG3D)
    assert m.reproject("EPSG:25833+5783") is None


def test_data_spanning_two_operation_areas_uses_both() -> None:
    """Data across 50°20'N (made-up points 49.5..51°N along 11.5°E, as a state-wide batch would
    hold): PROJ's default transformer uses "DHDN to ETRS89 (3)" south and "(4)" north of it; a
    single operation for the whole box ("(2)", 3 m) was 0.7-0.9 m off. Each point gets the
    operation for its own place now, and the note (when there is one) names both."""
    import pyproj
    from pyproj.aoi import AreaOfInterest

    lat = np.linspace(49.5, 51.0, 31)
    to_gk = pyproj.Transformer.from_crs("EPSG:4314", "EPSG:31468", always_xy=True)
    x, y = to_gk.transform(np.full_like(lat, 11.5), lat)
    pts = np.column_stack([x, y, np.zeros_like(x)])
    r = plan(CRS(code=31468), CRS(code=25832), pts)
    names = sorted(t.description.split(" + ")[2] for t in r.operations)
    assert names == ["DHDN to ETRS89 (3)", "DHDN to ETRS89 (4)"]
    m_out = CityModel()  # through the model API too
    m_out.add_vertices(pts.copy())
    m_out.assign_crs("EPSG:31468")
    m_out.reproject("EPSG:25832")
    ref = _default("EPSG:31468", "EPSG:25832", pts, AreaOfInterest(11.4, 49.4, 11.6, 51.1))
    assert np.abs(m_out.vertices[:, :2] - ref).max() < 1e-3
