"""The metric frame of geographic / geocentric layers (Qt-free, no display)."""

from __future__ import annotations

import numpy as np
import pyproj
import pytest

from tests.conftest import shared_path

JEFFERSON = ("citygml", "v3.0", "JeffersonBuilding_CityGML3.0_LOD1_with_xAL3_CommonTypes.gml")  # EPSG:4979


def test_crs_kinds() -> None:
    from citytwin.app.metric_frame import crs_kind, needs_metric_frame
    from citytwin.semantics.crs import CRS

    assert crs_kind(CRS(code=4979)) == "geographic" and crs_kind(CRS(code=4978)) == "geocentric"
    assert crs_kind(CRS.parse("EPSG:6697")) == "geographic"  # compound JGD2011 + height
    assert crs_kind(CRS(code=7415)) == "projected" and not needs_metric_frame(CRS(code=28992))
    assert crs_kind(None) == "unknown" and not needs_metric_frame(None)


def test_utm_zone_keeps_the_datum() -> None:
    from citytwin.app.metric_frame import utm_crs_for

    assert str(utm_crs_for(139.43, 35.93, "JGD2011")) == "EPSG:6691"  # JGD2011 / UTM zone 54N
    assert str(utm_crs_for(-77.0, 38.9, "WGS 84")) == "EPSG:32618"
    assert str(utm_crs_for(4.48, 51.92, "no such datum")) == "EPSG:32631"  # WGS 84 fallback
    assert str(utm_crs_for(151.2, -33.9, None)) == "EPSG:32756"  # south


def test_geographic_model_to_utm_matches_pyproj() -> None:
    from citytwin.app.metric_frame import to_metric_frame
    from citytwin.io.registry import read

    model = read(shared_path(*JEFFERSON))
    raw = model.vertices.copy()
    change = to_metric_frame(model, "jefferson.gml")
    assert str(change.target) == "EPSG:32618" and str(model.crs) == "EPSG:32618"
    assert "jefferson.gml" in change.message and "EPSG:4979" in change.message
    tr = pyproj.Transformer.from_crs(4326, 32618, always_xy=True)  # independent oracle
    x, y = tr.transform(raw[:, 0], raw[:, 1])
    assert np.allclose(model.vertices[:, 0], x, atol=1e-6) and np.allclose(model.vertices[:, 1], y, atol=1e-6)
    assert np.array_equal(model.vertices[:, 2], raw[:, 2])  # heights kept
    assert to_metric_frame(model, "again") is None  # already metric: nothing to do


def test_ecef_model_to_utm_is_upright() -> None:
    """ECEF (3D Tiles' CRS) -> UTM with ellipsoidal heights: the same numbers as from the
    geographic original (a 9.31 m LoD1 building stays 0..9.31 m high, to the micrometre)."""
    from citytwin.app.metric_frame import to_metric_frame
    from citytwin.io.registry import read

    geo = read(shared_path(*JEFFERSON))
    ecef = read(shared_path(*JEFFERSON))
    ecef.reproject("EPSG:4978")
    assert np.ptp(ecef.vertices[:, 2]) > 50  # in ECEF, z is not up (the building spans ~110 m in z)
    change = to_metric_frame(ecef, "tiles")
    assert str(change.target) == "EPSG:32618" and "ellipsoidal" in change.message
    to_metric_frame(geo, "geo")
    assert np.allclose(ecef.vertices, geo.vertices, atol=1e-5)
    assert np.isclose(ecef.vertices[:, 2].min(), 0.0, atol=1e-5) and np.isclose(ecef.vertices[:, 2].max(), 9.31, atol=1e-5)


def test_projected_target_instead_of_utm() -> None:
    from citytwin.app.metric_frame import to_metric_frame
    from citytwin.io.registry import read
    from citytwin.semantics.crs import CRS

    model = read(shared_path(*JEFFERSON))
    change = to_metric_frame(model, "j", CRS(code=3857))
    assert str(model.crs) == "EPSG:3857" and change.target == CRS(code=3857)


def test_empty_model_refused() -> None:
    from citytwin.app.metric_frame import metric_frame_for
    from citytwin.errors import UsageError
    from citytwin.semantics.crs import CRS
    from citytwin.semantics.model import CityModel

    m = CityModel()
    m.crs = CRS(code=4979)
    with pytest.raises(UsageError, match="no vertices"):
        metric_frame_for(m)
