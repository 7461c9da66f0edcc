"""The semantic model: queries, hierarchy, LoD selection, CRS handling and reprojection."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from citytwin.errors import UsageError
from citytwin.io.registry import read
from citytwin.semantics.crs import CRS, transform_points
from citytwin.semantics.geometry import make_surface_geometry
from citytwin.semantics.model import CityModel, CityObject

DATA = Path(__file__).resolve().parents[1] / "data" / "cityjson"


def test_queries_on_real_buildings() -> None:
    m = read(DATA / "3dbag_b2_v2.0.city.json")
    assert len(m.by_type("Building")) == 2 and len(m.by_type("BuildingPart")) == 2
    assert {o.type for o in m.by_lod("2")} == {"BuildingPart"}
    b = m.by_type("Building")[0]
    assert m.descendants(b.id) == b.children
    assert m.by_attribute("status", predicate=lambda v: v is not None) or True
    box = m.object_bboxes()[b.id]
    inside = m.in_bbox(box[0] - 1, box[1] - 1, box[3] + 1, box[4] + 1)
    assert b.id in [o.id for o in inside]
    sub = m.subset([b.id])
    assert set(sub.objects) == {b.id, *b.children}
    assert m.semantic_counts() == {"GroundSurface": 2, "RoofSurface": 10, "WallSurface": 65}


def test_highest_lod_is_triangulated_by_default() -> None:
    m = read(DATA / "multi_lod_v2.0.city.json")
    assert m.lods() == ["1.2", "1.3", "2.2"]
    t_all = m.triangulate()
    t12 = m.triangulate(lod="1.2")
    assert len(t_all) > len(t12) > 0
    assert set(np.unique(t_all.geometry_index)) == {2}
    roof = t_all.semantic_type == 1
    assert roof.any() and (t_all.normals[roof][:, 2] > 0).all()


def test_crs_spellings() -> None:
    assert CRS.parse("urn:ogc:def:crs:EPSG::7415").code == 7415
    assert CRS.parse("https://www.opengis.net/def/crs/EPSG/0/28992").epsg == 28992
    c = CRS.parse("urn:ogc:def:crs,crs:EPSG::25832,crs:EPSG::5783")
    assert (c.horizontal, c.vertical) == (25832, 5783) and c.has_vertical()
    assert CRS.parse("http://www.opengis.net/def/crs/EPSG/6.12/3068").code == 3068
    assert CRS.parse("EPSG:4979").is_latitude_first()
    assert not CRS.parse("EPSG:28992").is_latitude_first()
    assert CRS.parse("#local-CRS-1").is_local


def test_reproject_horizontal_and_vertical() -> None:
    """RD + NAP -> WGS 84 3D: the geoid shift is applied when PROJ has the Dutch geoid grid; when
    it has not, the approximate operation is reported (never a silent ballpark)."""
    from pyproj.transformer import TransformerGroup

    m = read(DATA / "3dbag_b2_v2.0.city.json")
    before = m.vertices.copy()
    note = m.reproject("EPSG:4979")
    lon, lat, h = m.vertices[:, 0].mean(), m.vertices[:, 1].mean(), m.vertices[:, 2].mean()
    assert 4.3 < lon < 4.4 and 51.9 < lat < 52.1  # Delft, in x/y (lon, lat) order
    if TransformerGroup("EPSG:7415", "EPSG:4979").best_available:
        assert note is None
        assert 40 < h - before[:, 2].mean() < 46  # NAP -> ellipsoid: geoid height about 43 m here
    else:
        assert note is not None and "nl_nsgi_nlgeo2018.tif" in note
        assert any("nl_nsgi_nlgeo2018.tif" in p.message for p in m.problems.items)
    m.reproject("EPSG:7415")
    assert np.abs(m.vertices - before).max() < 1e-3


def test_reproject_3d_needs_no_grid() -> None:
    """A 3D reprojection that needs no grid file (ETRS89 geographic 3D -> geocentric): the height
    takes part, so the point lands on the ellipsoid's radius here (~6365 km)."""
    m = CityModel()
    m.add_vertices(np.array([[4.36, 52.0, 50.0]]))
    m.assign_crs("EPSG:4937")
    m.reproject("EPSG:4936")
    x, y, z = m.vertices[0]
    assert abs(np.sqrt(x * x + y * y + z * z) - 6.365e6) < 2e4  # on the ellipsoid, ~6365 km here


def test_reproject_needs_a_crs() -> None:
    m = CityModel()
    m.add_vertices(np.zeros((3, 3)))
    with pytest.raises(UsageError):
        m.reproject("EPSG:28992")


def test_transform_points_agrees_with_pyproj_axis_order() -> None:
    import pyproj

    p = np.array([[85000.0, 446000.0, 0.0]])
    out = transform_points(p, CRS.parse("EPSG:28992"), CRS.parse("EPSG:4326"))
    lat, lon = pyproj.Transformer.from_crs(28992, 4326).transform(85000.0, 446000.0)  # authority order
    assert np.allclose(out[0, :2], [lon, lat])


def test_make_surface_geometry_and_touch_invalidates_cache() -> None:
    m = CityModel()
    i0 = m.add_vertices(np.array([[0, 0, 0], [1, 0, 0], [1, 1, 0], [0, 1, 0]], float))
    g = make_surface_geometry("MultiSurface", "2", [[np.arange(4) + i0]], semantic_types=["RoofSurface"])
    m.add_object(CityObject("a", "Building", geometry=[g]))
    assert len(m.triangulate()) == 2
    m.objects["a"].geometry = []
    m.touch()
    assert len(m.triangulate()) == 0
