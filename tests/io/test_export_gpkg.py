"""GeoPackage export of a solar result: footprints with per-building results, PolygonZ surfaces with
per-surface results, in the model CRS; read back with pyogrio (GDAL)."""

from __future__ import annotations

import json

import numpy as np
import pytest

pyogrio = pytest.importorskip("pyogrio")

from citytwin.app.commands.solar import SolarOptions, run_solar  # noqa: E402
from citytwin.io.registry import read, write  # noqa: E402
from tests.conftest import ROOT, shared_path  # noqa: E402

SAMPLE = ROOT / "resources" / "sample" / "3dbag_b2_v2.0.city.json"


@pytest.fixture(scope="module")
def solar_gpkg(tmp_path_factory):
    m = read(SAMPLE)
    run_solar(m, SolarOptions(resolution=2.0)).apply_to_model(m)
    out = tmp_path_factory.mktemp("gpkg") / "solar.gpkg"
    write(m, out)
    return m, out


def test_gpkg_layers_have_the_model_crs_and_one_feature_each(solar_gpkg):
    import pyproj

    m, out = solar_gpkg
    layers = dict(pyogrio.list_layers(out).tolist())
    assert layers == {"footprints": "MultiPolygon", "surfaces": "Polygon Z"}
    for name in layers:
        assert pyproj.CRS(pyogrio.read_info(out, layer=name)["crs"]) == pyproj.CRS("EPSG:7415")
    assert pyogrio.read_info(out, layer="footprints")["features"] == len(m.roots())
    n_surf = sum(g.n_surfaces for o in m.objects.values() for g in o.geometry if g.lod == "2.2")
    assert pyogrio.read_info(out, layer="surfaces")["features"] == n_surf


def test_gpkg_footprints_carry_building_results(solar_gpkg):
    import shapely

    m, out = solar_gpkg
    _meta, _fids, geoms, fields = pyogrio.raw.read(out, layer="footprints")
    cols = dict(zip(_meta["fields"], fields))
    for k, oid in enumerate(cols["object_id"]):
        o = m.objects[oid]
        assert cols["solar_annual_kwh"][k] == o.attributes["solar_annual_kwh"]
        assert cols["solar_pv_kwh"][k] == o.attributes["solar_pv_kwh"]
        assert cols["b3_h_dak_max"][k] == o.attributes["b3_h_dak_max"]
        # oracle: the footprint's area equals the building's ground surfaces' area (LoD 2.2)
        fp = shapely.from_wkb(geoms[k])
        tri = m.triangulate()
        ids = [tri.object_ids[i] for i in tri.object_index]
        mine = np.array([i == oid or oid in m.objects[i].parents for i in ids])
        ground = tri.areas[mine & (tri.semantic_type == 2)].sum()
        assert fp.area == pytest.approx(ground, rel=0.01)


def test_gpkg_surfaces_carry_per_surface_results(solar_gpkg):
    m, out = solar_gpkg
    meta, _fids, geoms, fields = pyogrio.raw.read(out, layer="surfaces")
    cols = dict(zip(meta["fields"], fields))
    checked = 0
    for k in range(len(geoms)):
        g = next(g for g in m.objects[cols["object_id"][k]].geometry if g.lod == "2.2")
        j = int(cols["surface"][k])
        s = g.semantics.surfaces[g.semantics.values[j]]
        assert cols["semantic_type"][k] == s["type"]
        if "solar_annual_kwh_m2" in s:
            assert cols["solar_annual_kwh_m2"][k] == s["solar_annual_kwh_m2"]
            assert json.loads(cols["solar_monthly_kwh_m2"][k]) == s["solar_monthly_kwh_m2"]
            checked += 1
    assert checked > 10
    # the surfaces are 3D and their areas add up to the triangulated area
    assert cols["area_m2"].sum() == pytest.approx(m.triangulate().areas.sum(), rel=1e-4)
    assert np.isfinite(cols["area_m2"]).all()


def test_gpkg_of_citygml_with_a_separate_vertical_crs(tmp_path):
    import pyproj

    m = read(shared_path("citygml/v2.0/citygml4j_lod3_testtown_textured/lod3_building_v2.gml"))
    out = tmp_path / "town.gpkg"
    write(m, out)
    crs = pyproj.CRS(pyogrio.read_info(out, layer="surfaces")["crs"])
    assert crs.is_compound and crs.sub_crs_list[0].to_epsg() == 3068 and crs.sub_crs_list[1].to_epsg() == 5783
