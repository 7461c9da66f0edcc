"""Georeferenced IFC fixtures land where their IfcMapConversion / IfcSite values say (to the cm).

Expected positions are computed here independently of the reader: world coordinates of each
element from IfcOpenShell in-process, then IfcOpenShell's own Helmert formula (xyz2enh) for map
conversions, and a geodesic walk (pyproj.Geod) from the site's latitude/longitude projected with
pyproj for IfcSite georeferencing.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from citytwin.io.registry import read
from tests.conftest import DATA, shared_path


def _world(path, guid):
    import ifcopenshell
    import ifcopenshell.geom

    f = ifcopenshell.open(str(path))
    s = ifcopenshell.geom.settings()
    s.set("use-world-coords", True)
    sh = ifcopenshell.geom.create_shape(s, f.by_guid(guid))
    v = np.frombuffer(sh.geometry.verts_buffer, dtype=np.float64).reshape(-1, 3)
    return f, v


def _imported(m, guid):
    g = m.objects[guid].geometry[0]
    return m.vertices[np.unique(g.indices)]


def _element_guids(m, n=3):
    return [o.id for o in m if o.geometry and o.type != "Building" and o.type != "TINRelief"][:n] or \
        [o.id for o in m if o.type == "TINRelief"]


MAPCONV = ["geolocation-mapconversion.ifc", "geolocation-mapconversion-angle.ifc",
           "geolocation-mapconversion-offsetsite.ifc", "geolocation-unit1.ifc", "geolocation-unit2.ifc",
           "geolocation-unit3.ifc"]


@pytest.mark.parametrize("name", MAPCONV)
def test_map_conversion_fixtures_land_where_values_imply(name):
    import ifcopenshell.util.geolocation as geo
    import ifcopenshell.util.unit as uu

    path = shared_path("ifc", "georef_bonsai", name)
    m = read(path)
    assert m.source["georef"]["method"] == "IfcMapConversion"
    guids = _element_guids(m)
    assert guids
    for guid in guids:
        f, world = _world(path, guid)
        unit = uu.calculate_unit_scale(f)
        p = geo.get_helmert_transformation_parameters(f)
        conv = f.by_type("IfcMapConversion")[0]
        mu_ent = conv.TargetCRS.MapUnit  # map unit: MapUnit, else the project length unit
        mu = unit if mu_ent is None else (uu.get_prefix_multiplier(mu_ent.Prefix) if mu_ent.Prefix else 1.0)
        local = world / unit  # project units
        enh = np.array([geo.xyz2enh(*q, *p) for q in local]) * mu  # map units -> metres
        got = _imported(m, guid)
        assert np.abs(np.sort(got, axis=0) - np.sort(enh, axis=0)).max() < 0.01


def test_rotation_30_degrees_is_applied():
    m = read(DATA / "ifc" / "geolocation-mapconversion-angle.ifc")
    assert m.source["georef"]["rotation_deg"] == pytest.approx(-30.0, abs=1e-6)
    assert m.source["georef"]["eastings"] == 15000.0 and m.source["georef"]["map_unit_m"] == 0.001


def test_buildingsmart_georef_terrain_square():
    m = read(DATA / "ifc" / "UT_GeoRef_1_IFC4X3.ifc")
    assert m.crs.to_string() == "EPSG:5834"
    b = m.bbox()
    # the 1 km square centred on the map conversion's (E, N) at OrthogonalHeight 515
    np.testing.assert_allclose(b, [4467505, 5334100, 515, 4468505, 5335100, 515], atol=0.01)


@pytest.mark.parametrize("rel", [("ifcopenshell_files", "TestModel_IFC4Add2.ifc"),
                                 ("samples", "Ifc4_SampleHouse_1_Roof.ifc")])
def test_site_latlon_lands_where_pyproj_says(rel):
    import ifcopenshell.util.placement as up
    import ifcopenshell.util.unit as uu
    import pyproj

    from citytwin.io.ifc.georef import compound_angle

    path = shared_path("ifc", *rel)
    m = read(path)
    gr = m.source["georef"]
    assert gr["method"] == "IfcSite"
    guid = _element_guids(m, 1)[0]
    f, world = _world(path, guid)
    unit = uu.calculate_unit_scale(f)
    site = f.by_type("IfcSite")[0]
    lat, lon = compound_angle(list(site.RefLatitude)), compound_angle(list(site.RefLongitude))
    origin = np.asarray(up.get_local_placement(site.ObjectPlacement))[:3, 3] * unit
    tn = [ctx.TrueNorth for ctx in f.by_type("IfcGeometricRepresentationContext", include_subtypes=False)
          if ctx.TrueNorth is not None]
    nx, ny = (tn[0].DirectionRatios[:2] if tn else (0.0, 1.0))
    north = np.array([nx, ny]) / math.hypot(nx, ny)
    east = np.array([north[1], -north[0]])
    d = world - origin
    de, dn = d[:, :2] @ east, d[:, :2] @ north
    geod = pyproj.Geod(ellps="WGS84")
    az = np.degrees(np.arctan2(de, dn))
    lon2, lat2, _ = geod.fwd(np.full(len(d), lon), np.full(len(d), lat), az, np.hypot(de, dn))
    utm = pyproj.Transformer.from_crs("EPSG:4326", m.crs.to_pyproj(), always_xy=True)
    e, n = utm.transform(lon2, lat2)
    want = np.c_[e, n, d[:, 2] + (site.RefElevation or 0.0) * unit]
    got = _imported(m, guid)
    assert np.abs(np.sort(got, axis=0) - np.sort(want, axis=0)).max() < 0.01
    zone = int((lon + 180) // 6) + 1
    assert m.crs.epsg == (32600 if lat > 0 else 32700) + zone


def test_user_georef_when_file_has_none():
    from citytwin.io.ifc.georef import UserGeoref

    path = shared_path("ifc", "georef_bonsai", "geolocation.ifc")
    plain = read(path)
    assert plain.source["georef"]["method"] == "none"
    m = read(path, georef=UserGeoref((85000.0, 447000.0, 1.5), 90.0, "EPSG:28992"))
    assert m.source["georef"]["method"] == "user" and m.crs.epsg == 28992
    # rotation by 90 degrees: x -> y
    np.testing.assert_allclose(m.vertices[:, 0], 85000.0 - plain.vertices[:, 1], atol=1e-6)
    np.testing.assert_allclose(m.vertices[:, 1], 447000.0 + plain.vertices[:, 0], atol=1e-6)


def test_site_crs_can_be_chosen():
    m = read(shared_path("ifc", "samples", "Ifc4_SampleHouse_1_Roof.ifc"), site_crs="EPSG:27700")
    assert m.crs.epsg == 27700
    b = m.bbox()
    assert 520000 < b[0] < 540000 and 170000 < b[1] < 190000  # central London on the British grid


def test_impossible_truenorth_reported():
    from citytwin.io.ifc.georef import choose_georef

    vals = {"length_unit": 1.0, "map_conversion": None, "true_north": [0.0, 0.0],
            "site": {"lat": [52, 0, 0], "lon": [4, 30, 0], "elevation": 0.0, "matrix": None}}
    g = choose_georef(vals)
    assert g.method == "IfcSite" and any("zero-length" in p for p in g.problems)
    vals["site"]["lat"] = [95, 0, 0]
    g = choose_georef(vals)
    assert g.method == "none" and any("beyond 90" in p for p in g.problems)
