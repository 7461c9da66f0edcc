"""CityGML reader: every file of the shared corpus, asserted per file, plus bundled copies."""

from __future__ import annotations

import gzip
import shutil

import numpy as np
import pytest

from citytwin.io.registry import detect_format, read
from tests.conftest import DATA, shared_path

# per file: object counts by type, LoDs, semantic surface types, CRS (checked against MANIFEST.tsv's
# description of each file; Window/Door are semantic surfaces as in CityJSON, ReliefFeature is a
# container whose TINRelief components become objects)
EXPECTED = {
    "citygml/v1.0/DenHaag_1BwBP.gml": ({'Building': 1, 'BuildingPart': 6}, ['2'], ['GroundSurface', 'RoofSurface', 'WallSurface'], 'EPSG:28992'),
    "citygml/v1.0/dh_1.gml": ({'Building': 1, 'BuildingPart': 6}, ['2'], ['GroundSurface', 'RoofSurface', 'WallSurface'], 'EPSG:28992'),
    "citygml/v2.0/citygml4j_lod2_test_ade_v2.gml": ({'Building': 1, '+OtherConstruction': 1}, ['2'], ['+IndustrialBuildingRoofSurface', 'GroundSurface', 'WallSurface'], 'EPSG:25832+5783'),
    "citygml/v2.0/citygml4j_lod3_testtown_textured/lod3_building_v2.gml": ({'Building': 1, 'BuildingInstallation': 1}, ['3'], ['Door', 'GroundSurface', 'RoofSurface', 'WallSurface', 'Window'], 'EPSG:3068+5783'),
    "citygml/v2.0/citygml4j_lod4_building_v2.gml": ({'Building': 1, 'BuildingRoom': 1, 'BuildingFurniture': 1, 'TINRelief': 1}, ['3', '4'], ['CeilingSurface', 'Door', 'FloorSurface', 'GroundSurface', 'InteriorWallSurface', 'RoofSurface', 'WallSurface', 'Window'], 'EPSG:25832+5783'),
    "citygml/v2.0/dev/val3dity_csol1.gml": ({'GenericCityObject': 1}, ['2'], [], None),
    "citygml/v2.0/dev/val3dity_msol1.gml": ({'GenericCityObject': 1}, ['2'], [], None),
    "citygml/v2.0/sig3d_examples/Building_LOD0-EPSG25832.gml": ({'Building': 1, 'TINRelief': 1}, ['0'], [], 'EPSG:25832+5783'),
    "citygml/v2.0/sig3d_examples/Building_LOD1-EPSG25832.gml": ({'Building': 1, 'TINRelief': 1}, ['1'], [], 'EPSG:25832+5783'),
    "citygml/v2.0/sig3d_examples/Building_LOD1-LocalEngineeringCRS.gml": ({'Building': 1, 'TINRelief': 1}, ['1'], [], '#local-CRS-1'),
    "citygml/v2.0/sig3d_examples/Building_LOD2-EPSG25832.gml": ({'Building': 1, 'TINRelief': 1}, ['2'], ['GroundSurface', 'RoofSurface', 'WallSurface'], 'EPSG:25832+5783'),
    "citygml/v2.0/sig3d_examples/Building_LOD3-EPSG25832.gml": ({'Building': 1, 'TINRelief': 1}, ['3'], ['Door', 'GroundSurface', 'RoofSurface', 'WallSurface', 'Window'], 'EPSG:25832+5783'),
    "citygml/v2.0/sig3d_examples/Building_LOD4-EPSG25832.gml": ({'Building': 1, 'BuildingRoom': 1, 'BuildingFurniture': 1, 'TINRelief': 1}, ['3', '4'], ['CeilingSurface', 'Door', 'FloorSurface', 'GroundSurface', 'InteriorWallSurface', 'RoofSurface', 'WallSurface', 'Window'], 'EPSG:25832+5783'),
    "citygml/v2.0/sig3d_examples/Building_and_garage_LOD2-EPSG25832.gml": ({'Building': 1, 'BuildingPart': 1, 'TINRelief': 1}, ['2'], ['GroundSurface', 'RoofSurface', 'WallSurface'], 'EPSG:25832+5783'),
    "citygml/v3.0/BuildingUnits_Storeys_xlink.gml": ({'Building': 1, 'BuildingRoom': 3, 'BuildingUnit': 2, 'BuildingStorey': 2}, ['2'], ['CeilingSurface', 'FloorSurface', 'GroundSurface', 'InteriorWallSurface', 'RoofSurface', 'WallSurface'], 'EPSG:25832+5783'),
    "citygml/v3.0/Building_CityGML3.0_LOD2_with_several_attributes.gml": ({'Building': 1}, ['2'], ['GroundSurface', 'RoofSurface', 'WallSurface'], 'EPSG:31468+5783'),
    "citygml/v3.0/Building_CityGML3.0_with_Dynamizer_and_inline_Timeseries.gml": ({'Building': 1}, ['2'], ['GroundSurface', 'RoofSurface', 'WallSurface'], 'EPSG:31468+5783'),
    "citygml/v3.0/JeffersonBuilding_CityGML3.0_LOD1_with_xAL3_CommonTypes.gml": ({'Building': 1}, ['1'], [], 'EPSG:4979'),
    "citygml/v3.0/LocalCRS_CityGML3.gml": ({'Building': 1, 'TINRelief': 1}, ['1'], [], '#local-CRS-1'),
    "citygml/v3.0/Road_over_Bridge_CityGML3.0_LOD2_with_CityObjectRelations.gml": ({'Bridge': 1, 'Road': 1, '+Section': 3}, ['2'], ['GroundSurface', 'RoofSurface', 'TrafficArea', 'WallSurface'], None),
    "citygml/v3.0/citygml4j_lod2_buildings_v3.gml": ({'Building': 100}, ['2'], ['GroundSurface', 'RoofSurface', 'WallSurface'], 'EPSG:3068+5783'),
    "citygml/v3.0/citygml4j_test_ade_objects_v3.gml": ({'Building': 1, '+MovingConstruction': 1}, ['2'], ['+SolarRoofSurface', 'GroundSurface', 'WallSurface'], 'EPSG:25832+5783'),
    "citygml/v3.0/historicalSuccession_CityGML_3.0_LOD2_Versioning.gml": ({'Building': 4, 'BuildingPart': 5}, ['2'], ['GroundSurface', 'RoofSurface', 'WallSurface'], 'EPSG:3946'),
    "citygml/v3.0/melbourne_citygml3_roads_roundabout.gml": ({'Road': 2, '+Section': 4, '+Intersection': 1}, ['2'], ['AuxiliaryTrafficArea', 'TrafficArea'], 'EPSG:32755'),
    "citygml/v3.0/sig3d_examples/Building_LOD0-EPSG25832.gml": ({'Building': 1, 'TINRelief': 1}, ['0'], ['RoofSurface'], 'EPSG:25832+5783'),
    "citygml/v3.0/sig3d_examples/Building_LOD1-EPSG25832.gml": ({'Building': 1, 'TINRelief': 1}, ['1'], [], 'EPSG:25832+5783'),
    "citygml/v3.0/sig3d_examples/Building_LOD2-EPSG25832.gml": ({'Building': 1, 'TINRelief': 1}, ['2'], ['GroundSurface', 'RoofSurface', 'WallSurface'], 'EPSG:25832+5783'),
    "citygml/v3.0/sig3d_examples/Building_LOD3-EPSG25832.gml": ({'Building': 1, 'BuildingRoom': 1, 'BuildingFurniture': 1, 'TINRelief': 1}, ['3'], ['CeilingSurface', 'Door', 'FloorSurface', 'GroundSurface', 'InteriorWallSurface', 'RoofSurface', 'WallSurface', 'Window'], 'EPSG:25832+5783'),
    "citygml/v3.0/sig3d_examples/Building_and_garage_LOD2-EPSG25832.gml": ({'Building': 1, 'BuildingPart': 1, 'TINRelief': 1}, ['2'], ['GroundSurface', 'RoofSurface', 'WallSurface'], 'EPSG:25832+5783'),
}


@pytest.mark.parametrize("rel", sorted(EXPECTED))
def test_corpus_file(rel):
    path = shared_path(rel)
    counts, lods, sems, crs = EXPECTED[rel]
    m = read(path)
    assert detect_format(path).name == "citygml"
    assert m.summary_counts() == counts
    assert m.lods() == lods
    assert sorted(m.semantic_counts()) == sems
    assert (str(m.crs) if m.crs else None) == crs
    assert m.source["format"] == "CityGML" and m.source["version"] == rel.split("/")[1][1:]
    # no unresolved references, every geometry indexes real vertices, nothing degenerate
    assert not m.source.get("unresolved_references")
    for o in m:
        for g in o.geometry:
            if not g.is_instance and len(g.indices):
                assert g.indices.max() < len(m.vertices)
    assert np.isfinite(m.vertices).all()
    tri = m.triangulate()
    assert len(tri.triangles) > 0


def test_manifest_covers_corpus():
    root = shared_path("citygml")
    on_disk = {str(p.relative_to(root.parent)) for p in root.rglob("*.gml")}
    assert on_disk == set(EXPECTED)


def test_semantics_counts_lod2_v2_and_v3_agree():
    """The same SIG3D building in CityGML 2.0 and 3.0 gives the same model."""
    a = read(DATA / "citygml" / "sig3d_Building_LOD2_v2.gml")
    b = read(DATA / "citygml" / "sig3d_Building_LOD2_v3.gml")
    assert a.semantic_counts() == b.semantic_counts() == {"GroundSurface": 1, "WallSurface": 4, "RoofSurface": 2}
    assert np.allclose(a.bbox(), b.bbox())
    bld = [o for o in a if o.type == "Building"][0]
    assert bld.geometry[0].type == "Solid" and bld.geometry[0].semantics is not None
    assert a.summary_counts() == b.summary_counts()


def test_bundled_v1_materials_and_parts():
    m = read(DATA / "citygml" / "DenHaag_1BwBP.gml")
    assert m.summary_counts() == {"Building": 1, "BuildingPart": 6}
    b = m.roots()[0]
    assert len(b.children) == 6 and all(m.objects[c].parents == [b.id] for c in b.children)
    assert m.appearance.materials and all("diffuseColor" in x for x in m.appearance.materials)
    themed = [g for o in m for g in o.geometry if g.materials]
    assert themed and all((g.materials[t].values >= 0).any() for g in themed for t in g.materials)


def test_bundled_v3_storeys_units_xlinks():
    m = read(DATA / "citygml" / "BuildingUnits_Storeys_xlink.gml")
    assert m.summary_counts() == {"Building": 1, "BuildingRoom": 3, "BuildingUnit": 2, "BuildingStorey": 2}
    assert str(m.crs) == "EPSG:25832+5783"      # urn:adv:crs:ETRS89_UTM32*DE_DHHN92_NH
    assert m.crs.has_vertical()
    assert not m.problems.items or all("xlink" not in p.message for p in m.problems)


def test_bundled_v3_geographic_xal3_address():
    m = read(DATA / "citygml" / "JeffersonBuilding_CityGML3.0_LOD1_with_xAL3_CommonTypes.gml")
    b = m.roots()[0]
    # srsName "EPSG:4979" (short form) is written longitude first in this file: no swap
    lon, lat = m.vertices[:, 0].mean(), m.vertices[:, 1].mean()
    assert -78 < lon < -76 and 38 < lat < 39.5
    assert b.address and b.address[0].get("LocalityName")
    assert b.attributes.get("ubid")


def test_latitude_first_urn_is_swapped(tmp_path):
    src = (DATA / "citygml" / "JeffersonBuilding_CityGML3.0_LOD1_with_xAL3_CommonTypes.gml").read_text()
    # rewrite as the official URN with latitude first coordinates
    import re

    def swap(m):
        v = m.group(2).split()
        out = []
        for i in range(0, len(v), 3):
            out += [v[i + 1], v[i], v[i + 2]]
        return m.group(1) + " ".join(out) + "<"

    text = re.sub(r"(<gml:posList[^>]*>)([^<]*)<", swap, src).replace('srsName="EPSG:4979"',
                                                                       'srsName="urn:ogc:def:crs:EPSG::4979"')
    p = tmp_path / "latfirst.gml"
    p.write_text(text)
    a = read(DATA / "citygml" / "JeffersonBuilding_CityGML3.0_LOD1_with_xAL3_CommonTypes.gml")
    b = read(p)
    assert np.allclose(a.vertices, b.vertices)


def test_gzip_and_xml_extension(tmp_path):
    src = DATA / "citygml" / "sig3d_Building_LOD2_v3.gml"
    gz = tmp_path / "b.gml.gz"
    with open(src, "rb") as f, gzip.open(gz, "wb") as g:
        shutil.copyfileobj(f, g)
    x = tmp_path / "b.xml"
    shutil.copy(src, x)
    a, b, c = read(src), read(gz), read(x)
    assert a.summary_counts() == b.summary_counts() == c.summary_counts()
    assert np.array_equal(a.vertices, b.vertices)


def test_textured_corpus_file_textures_inside_folder():
    path = shared_path("citygml/v2.0/citygml4j_lod3_testtown_textured/lod3_building_v2.gml")
    m = read(path)
    app = m.appearance
    assert len(app.textures) == 8
    for i in range(len(app.textures)):
        assert (path.parent / app.textures[i]["image"]).exists()
        assert app.image_path(i).startswith(str(path.parent))
    textured = [g for o in m for g in o.geometry if g.textures]
    assert textured
    uv = app.texture_vertices
    assert len(uv) > 1000 and np.isfinite(uv).all()
    for g in textured:
        for tm in g.textures.values():
            assert len(tm.uv) == len(g.indices)
            assert ((tm.uv >= 0) == np.repeat(tm.ring_texture >= 0, np.diff(g.ring_offsets))).all()


def test_same_buildings_as_cityjson():
    """citygml4j ships the same 100 buildings as CityGML 3.0 and CityJSON 2.0: same model."""
    gml = read(shared_path("citygml/v3.0/citygml4j_lod2_buildings_v3.gml"))
    cj = read(shared_path("cityjson/citygml4j_lod2_buildings_v2.0.city.json"))
    assert set(gml.objects) == set(cj.objects)
    assert gml.semantic_counts() == cj.semantic_counts()
    assert gml.lods() == cj.lods()
    for oid in list(gml.objects)[:10]:
        ga, gb = gml.objects[oid].geometry[0], cj.objects[oid].geometry[0]
        assert ga.type == gb.type and ga.n_surfaces == gb.n_surfaces
        assert np.allclose(np.sort(gml.vertices[ga.indices], axis=0), np.sort(cj.vertices[gb.indices], axis=0),
                           atol=1e-3)
