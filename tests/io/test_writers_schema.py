"""Writer fixes found by a new-user review: quantisation in CRS units, schema-valid
``referenceSystem``, objects the CityJSON schema allows, geometry kept in CityGML 3.0, valid
CityGML 2.0 for semantic surfaces the parent cannot hold. Outputs are validated against the
official schemas (CityJSON 2.0 JSON schema, CityGML XSDs)."""

from __future__ import annotations

import json

import jsonschema_rs
import numpy as np
import pytest

from citytwin.io.registry import read, write
from citytwin.semantics.compare import diff_models
from citytwin.semantics.crs import CRS, steps_for
from tests.conftest import DATA, SCHEMAS, shared_path

HERE = DATA / "writers"


@pytest.fixture(scope="module")
def cityjson_schema():
    return jsonschema_rs.validator_for(
        json.loads((SCHEMAS / "cityjson" / "2.0" / "cityjson.min.schema.json").read_text()))


def _schema_errors(validator, path) -> list[str]:
    doc = json.loads(path.read_text())
    return [f"{list(e.instance_path)}: {e.message[:200]}" for e in validator.iter_errors(doc)]


def _areas(model) -> np.ndarray:
    """Area of every triangle of the model's triangulated view, in CRS units squared."""
    t = model.triangulate()
    v = t.vertices[t.triangles]
    a, b, c = v[:, 0], v[:, 1], v[:, 2]
    return 0.5 * np.linalg.norm(np.cross(b - a, c - a), axis=1)


# -- 1. quantisation follows the CRS units --------------------------------------------------------
def test_steps_for_degrees_feet_and_metres():
    assert steps_for(CRS.parse("EPSG:4979"), 0.001).tolist() == [1e-8, 1e-8, 0.001]
    assert steps_for(CRS.parse("EPSG:7415"), 0.001).tolist() == [0.001, 0.001, 0.001]
    assert steps_for(CRS.parse("EPSG:4979"), 0.01).tolist() == [1e-7, 1e-7, 0.01]
    ft = steps_for(CRS.parse("EPSG:2263"), 0.001)  # NY state plane, US survey feet
    assert ft[0] == pytest.approx(0.001) and ft[2] == 0.001
    assert steps_for(None, 0.002).tolist() == [0.002] * 3


def test_geographic_citygml_to_cityjson_keeps_geometry(tmp_path, cityjson_schema):
    src = read(HERE.parent / "citygml" / "JeffersonBuilding_CityGML3.0_LOD1_with_xAL3_CommonTypes.gml")
    assert src.crs.is_geographic()
    n_tri = len(src.triangulate().triangles)
    out = tmp_path / "jeff.city.json"
    write(src, out)
    doc = json.loads(out.read_text())
    assert doc["transform"]["scale"] == [1e-8, 1e-8, 0.001]
    assert _schema_errors(cityjson_schema, out) == []
    back = read(out)
    assert len(back.triangulate().triangles) == n_tri  # was 488 -> 16 with a 0.001 degree step
    # every written vertex within half a step of the source
    assert np.abs(np.sort(back.vertices, axis=0) - np.sort(src.vertices[np.unique(np.concatenate(
        [g.indices for o in src.objects.values() for g in o.geometry]))], axis=0)).max(axis=0)[0] <= 5.1e-9


def test_reprojection_to_degrees_rescales_and_user_precision_is_converted(tmp_path, cityjson_schema):
    src = read(DATA / "cityjson" / "3dbag_b2_v2.0.city.json")
    n_tri = len(src.triangulate().triangles)
    m = read(DATA / "cityjson" / "3dbag_b2_v2.0.city.json")
    m.reproject("EPSG:4979")
    out = tmp_path / "r.city.json"
    write(m, out)
    doc = json.loads(out.read_text())
    assert doc["transform"]["scale"] == [1e-8, 1e-8, 0.001]
    assert _schema_errors(cityjson_schema, out) == []
    back = read(out)
    assert len(back.triangulate().triangles) == n_tri
    # no polygon collapsed: as many zero-area triangles as in the input (was 81 more polygons); the
    # input's one degenerate triangle (three collinear vertices) is non-zero in memory after
    # reprojection only by rounding noise, so the input is the reference
    assert np.count_nonzero(_areas(back) == 0) == np.count_nonzero(_areas(src) == 0)
    write(m, tmp_path / "p.city.json", precision=0.01)
    assert json.loads((tmp_path / "p.city.json").read_text())["transform"]["scale"] == [1e-7, 1e-7, 0.01]


def test_citygml_writer_prints_degrees_with_enough_decimals(tmp_path):
    from citytwin.io.citygml.schema import validate_file

    src = read(HERE.parent / "citygml" / "JeffersonBuilding_CityGML3.0_LOD1_with_xAL3_CommonTypes.gml")
    out = tmp_path / "jeff.gml"
    write(src, out, citygml_version="3.0")
    assert validate_file(out) == []
    back = read(out)
    assert len(back.triangulate().triangles) == len(src.triangulate().triangles)
    assert np.abs(back.bbox() - src.bbox()).max() < 1e-7


# -- 2. referenceSystem valid for compound and local CRSs ----------------------------------------
def test_compound_crs_uses_registered_epsg_code(tmp_path, cityjson_schema):
    m = read(HERE.parent / "citygml" / "sig3d_Building_LOD2_v2.gml")  # EPSG:25832 + 5783
    assert (m.crs.horizontal, m.crs.vertical) == (25832, 5783)
    out = tmp_path / "o.city.json"
    before = len(m.problems)
    write(m, out)
    doc = json.loads(out.read_text())
    assert doc["metadata"]["referenceSystem"] == "https://www.opengis.net/def/crs/EPSG/0/5555"
    assert _schema_errors(cityjson_schema, out) == []
    assert len(m.problems) == before  # nothing lost, nothing reported
    assert read(out).crs.to_pyproj().equals(m.crs.to_pyproj(), ignore_axis_order=True) or \
        read(out).crs.code == 5555


def test_compound_without_code_writes_horizontal_and_warns(tmp_path, cityjson_schema):
    # DHDN 3-degree GK zone 4 + DHHN92 (urn:adv:crs:DE_DHDN_3GK4*DE_DHHN92_NH): no EPSG compound
    m = read(HERE / "Building_CityGML3.0_LOD2_with_several_attributes.gml")
    assert (m.crs.horizontal, m.crs.vertical) == (31468, 5783)
    out = tmp_path / "o.city.json"
    write(m, out)
    doc = json.loads(out.read_text())
    assert doc["metadata"]["referenceSystem"] == "https://www.opengis.net/def/crs/EPSG/0/31468"
    assert _schema_errors(cityjson_schema, out) == []
    notes = [p.message for p in m.problems if p.object_id is None and "5783" in p.message]
    assert notes and "vertical" in notes[0]
    # the srsName spelling of citygml4j's lod3 test town (Soldner Berlin + DHHN92)
    c = CRS.parse("urn:ogc:def:crs,crs:EPSG:6.12:3068,crs:EPSG:6.12:5783")
    assert c.to_cityjson().endswith("/EPSG/0/3068") and "5783" in c.cityjson_note()


def test_local_crs_is_left_out_with_a_warning(tmp_path, cityjson_schema):
    m = read(HERE / "LocalCRS_CityGML3.gml")
    assert m.crs is not None and m.crs.is_local
    out = tmp_path / "o.city.json"
    write(m, out)
    doc = json.loads(out.read_text())
    assert "referenceSystem" not in doc.get("metadata", {})
    assert _schema_errors(cityjson_schema, out) == []
    assert any("local CRS" in p.message for p in m.problems if p.object_id is None)


# -- 3. objects the CityJSON schema allows -------------------------------------------------------
_GEOMETRY_TYPES = {"MultiPoint", "MultiLineString", "MultiSurface", "CompositeSurface", "Solid",
                   "MultiSolid", "CompositeSolid", "GeometryInstance"}


def _schema_geometry_table() -> dict[str, set[str]]:
    """City object type -> geometry types, read from the official CityJSON 2.0 schema."""
    s = json.loads((SCHEMAS / "cityjson" / "2.0" / "cityjson.min.schema.json").read_text())
    table: dict[str, set[str]] = {}

    def walk(node, found):
        if isinstance(node, dict):
            p = node.get("properties")
            if isinstance(p, dict):
                t = p.get("type")
                if isinstance(t, dict) and t.get("const") and t["const"] not in _GEOMETRY_TYPES \
                        and "name" not in found:
                    found["name"] = t["const"]
                geo = p.get("geometry")
                if isinstance(geo, dict) and geo.get("type") == "array":
                    items = geo["items"]
                    found["geom"] = {a["properties"]["type"]["const"] for a in items.get("oneOf", [items])}
            for v in node.values():
                walk(v, found)
        elif isinstance(node, list):
            for v in node:
                walk(v, found)

    for branch in s["properties"]["CityObjects"]["additionalProperties"]["oneOf"]:
        found: dict = {}
        walk(branch, found)
        if "name" in found and "geom" in found:
            table[found["name"]] = found["geom"]
    return table


def test_writer_geometry_table_matches_the_schema():
    from citytwin.io.cityjson.writer import ALLOWED_GEOMETRY

    schema = _schema_geometry_table()
    assert len(schema) >= 30
    assert {k: set(v) for k, v in ALLOWED_GEOMETRY.items()} == schema


def test_buildingpart_multicurve_dropped_with_problem(tmp_path, cityjson_schema):
    m = read(HERE.parent / "citygml" / "DenHaag_1BwBP.gml")
    bp = [o for o in m.objects.values() if o.type == "BuildingPart"]
    curves = [o.id for o in bp for g in o.geometry if g.type == "MultiLineString"]
    assert curves  # lod2MultiCurve of the BuildingParts
    out = tmp_path / "dh.city.json"
    write(m, out)
    assert _schema_errors(cityjson_schema, out) == []
    doc = json.loads(out.read_text())
    for oid in curves:
        kept = [g["type"] for g in doc["CityObjects"][oid].get("geometry", [])]
        assert "MultiLineString" not in kept and kept  # the surfaces stay
    dropped = {p.object_id for p in m.problems if "MultiLineString" in p.message and "not written" in p.message}
    assert dropped == set(curves)


def test_lod4_written_as_lod3_with_problem(tmp_path, cityjson_schema):
    src = shared_path("citygml", "v2.0", "sig3d_examples", "Building_LOD4-EPSG25832.gml")
    m = read(src)
    lod4 = sum(1 for o in m.objects.values() for g in o.geometry if (g.lod or "").startswith("4"))
    assert lod4
    out = tmp_path / "b4.city.json"
    write(m, out)
    assert _schema_errors(cityjson_schema, out) == []
    doc = json.loads(out.read_text())
    lods = {g.get("lod") for o in doc["CityObjects"].values() for g in o.get("geometry", [])}
    assert "4" not in lods and "3" in lods
    assert sum("written as LoD 3" in p.message for p in m.problems) == lod4
    back = read(out)  # every geometry kept, surface for surface
    assert sorted((o.id, g.n_surfaces) for o in back.objects.values() for g in o.geometry) == \
        sorted((o.id, g.n_surfaces) for o in m.objects.values() for g in o.geometry)


@pytest.mark.parametrize("rel", ["citygml/v1.0/dh_1.gml", "citygml/v2.0/citygml4j_lod4_building_v2.gml",
                                 "citygml/v2.0/sig3d_examples/Building_LOD1-LocalEngineeringCRS.gml",
                                 "citygml/v3.0/citygml4j_lod2_buildings_v3.gml"])
def test_corpus_citygml_to_cityjson_validates(tmp_path, cityjson_schema, rel):
    m = read(shared_path(*rel.split("/")))
    out = tmp_path / "o.city.json"
    write(m, out)
    assert _schema_errors(cityjson_schema, out) == []


def test_convert_cli_prints_the_writers_problems(tmp_path, capsys):
    from citytwin.app.cli import main

    rc = main(["convert", "--quiet", str(HERE.parent / "citygml" / "DenHaag_1BwBP.gml"),
               str(tmp_path / "dh.city.json")])
    err = capsys.readouterr().err
    assert rc == 0
    lines = [ln for ln in err.splitlines() if ln.startswith("warning:") and "MultiLineString" in ln]
    assert len(lines) == 6 and "BuildingPart" in lines[0]
    assert "see citytwin info" not in err and "6 written differently or left out" in err


# -- 4. CityGML 3.0 keeps LoD1 / second LoD0 surfaces ------------------------------------------------
def test_delft_lod1_multisurfaces_kept_in_citygml3(tmp_path):
    from citytwin.io.citygml.schema import validate_file

    full = read(shared_path("cityjson", "delft_v1.0.city.json"))
    by_type: dict[str, list[str]] = {}
    for o in full.objects.values():
        by_type.setdefault(o.type, []).append(o.id)
    src = full.subset([i for ids in by_type.values() for i in ids[:4]], with_relatives=True)  # every type, small
    n_tri = len(src.triangulate().triangles)
    before = len(src.problems)
    out = tmp_path / "d.gml"
    write(src, out, citygml_version="3.0")
    assert validate_file(out) == []
    back = read(out)
    assert len(back.triangulate().triangles) == n_tri  # the whole file: was 36268 -> 13579
    assert len(back) == len(src)
    new = [p for p in src.problems.items[before:]]
    assert not [p for p in new if "skipped" in p.message]
    mapped = {src.objects[p.object_id].type for p in new if "written as boundary surfaces" in p.message}
    assert {"Road", "PlantCover", "GenericCityObject", "Bridge", "WaterBody"} <= mapped
    # every object keeps its LoD 1 surfaces, surface for surface
    for oid, o in src.objects.items():
        assert sum(g.n_surfaces for g in back.objects[oid].geometry) == sum(g.n_surfaces for g in o.geometry), oid


def test_closed_lod1_multisurface_becomes_lod1solid(tmp_path):
    from citytwin.io.citygml.schema import validate_file
    from citytwin.semantics.geometry import Geometry

    m = read(DATA / "cityjson" / "3dbag_b2_v2.0.city.json")
    part = next(o for o in m.objects.values() if o.type == "BuildingPart")
    g = part.geometry[0]
    assert g.type == "Solid"  # a closed LoD 2.2 shell, written back as a LoD 1 MultiSurface
    ms = Geometry(type="MultiSurface", lod="1", indices=g.indices, ring_offsets=g.ring_offsets,
                  surface_offsets=g.surface_offsets)
    part.geometry = [ms]
    keep = [part.id, *part.parents]
    m = m.subset(keep, with_relatives=False)
    out = tmp_path / "s.gml"
    write(m, out, citygml_version="3.0")
    assert validate_file(out) == []
    assert out.read_text().count("lod1Solid>") == 2
    assert any("written as lod1Solid" in p.message for p in m.problems)
    back = read(out)
    assert [g.type for g in back.objects[part.id].geometry] == ["Solid"]


def test_lod0_roof_edge_kept_in_citygml3(tmp_path):
    from citytwin.io.citygml.schema import validate_file

    src = read(shared_path("citygml", "v2.0", "sig3d_examples", "Building_LOD0-EPSG25832.gml"))
    b = next(o for o in src.objects.values() if o.type == "Building")
    assert [g.lod for g in b.geometry] == ["0", "0"]  # footprint and roof edge
    out = tmp_path / "b0.gml"
    write(src, out, citygml_version="3.0")
    assert validate_file(out) == []
    assert "<con:RoofSurface" in out.read_text()  # the roof edge, as a LoD 0 roof boundary
    back = read(out)
    assert [g.lod for g in back.objects[b.id].geometry] == ["0", "0"]
    assert back.objects[b.id].geometry[1].semantics.type_names() == ["RoofSurface"]
    # and back to 2.0: footprint and roof edge again, nothing lost
    out2 = tmp_path / "b02.gml"
    write(back, out2, citygml_version="2.0")
    assert validate_file(out2) == []
    assert "<bldg:lod0FootPrint>" in out2.read_text() and "<bldg:lod0RoofEdge>" in out2.read_text()
    assert diff_models(src, read(out2), check_metadata=False) == []


# -- 5. CityGML 2.0: semantic surfaces the parent cannot hold ------------------------------------------
def test_semantic_surfaces_not_allowed_under_parent_written_as_plain_geometry(tmp_path):
    from citytwin.io.citygml.schema import validate_file

    m = read(HERE / "semantic_all_types.city.json")  # a GenericCityObject with every surface type
    o = m.objects["fixture"]
    n = o.geometry[0].n_surfaces
    out = tmp_path / "s.gml"
    write(m, out, citygml_version="2.0")
    assert validate_file(out) == []  # was: wtr:WaterSurface inside gml:boundedBy
    text = out.read_text()
    assert "<gml:boundedBy><wtr:" not in text and "<gml:boundedBy><bldg:" not in text
    back = read(out)
    assert back.objects["fixture"].geometry[0].n_surfaces == n  # geometry kept, without semantics
    assert any("written without semantics" in p.message for p in m.problems if p.object_id == "fixture")
    out3 = tmp_path / "s3.gml"
    write(m, out3, citygml_version="3.0")
    assert validate_file(out3) == []
    assert sum(g.n_surfaces for g in read(out3).objects["fixture"].geometry) == n


def test_second_lod1_solid_and_multisolid_kept_in_citygml3(tmp_path):
    """3D BAG LoD 1.2 and 1.3 solids share the one lod1Solid of a 3.0 Building: the second goes to
    boundary surfaces instead of being skipped."""
    from citytwin.io.citygml.schema import validate_file

    src = read(DATA / "cityjson" / "multi_lod_v2.0.city.json")
    lods = {g.lod for o in src.objects.values() for g in o.geometry}
    assert {"1.2", "1.3"} <= lods
    before = len(src.problems)
    out = tmp_path / "m.gml"
    write(src, out, citygml_version="3.0")
    assert validate_file(out) == []
    assert not [p for p in src.problems.items[before:] if "skipped" in p.message]
    assert len(read(out).triangulate().triangles) == len(src.triangulate().triangles)


# -- 7. what CityJSON 2.0 cannot hold is made to fit, and said ----------------------------------------
def _generic_thematic_copy(tmp_path):
    """The SIG3D LoD2 building (CityGML 3.0) with its first WallSurface edited into a
    GenericThematicSurface (no corpus file has one; the edit is done here, on a copy)."""
    text = (DATA / "citygml" / "sig3d_Building_LOD2_v3.gml").read_text()
    i = text.index("<con:WallSurface>")
    j = text.index("</con:WallSurface>", i)
    text = (text[:i] + "<gen:GenericThematicSurface>" + text[i + len("<con:WallSurface>"):j]
            + "</gen:GenericThematicSurface>" + text[j + len("</con:WallSurface>"):])
    p = tmp_path / "generic_thematic_v3.gml"
    p.write_text(text)
    return p


def _cli(*args):
    import subprocess
    import sys

    return subprocess.run([sys.executable, "-m", "citytwin", *map(str, args)], capture_output=True, text=True,
                          timeout=120)


def test_generic_thematic_surface_written_without_semantics_and_said(tmp_path, cityjson_schema):
    """CityJSON 2.0 semantic types are a fixed list: a CityGML 3.0 GenericThematicSurface becomes a
    surface without semantics (a warning says how many), the output validates, and no surface is
    lost; CityGML 3.0 output keeps it."""
    from citytwin.io.citygml.schema import validate_file

    src = _generic_thematic_copy(tmp_path)
    m = read(src)
    types = [t for o in m.objects.values() for g in o.geometry for t in g.surface_types()]
    assert types.count("GenericThematicSurface") == 1
    out = tmp_path / "o.city.json"
    r = _cli("convert", "--quiet", src, out)
    assert r.returncode == 0, r.stderr
    warn = [ln for ln in r.stderr.splitlines() if ln.startswith("warning:") and "GenericThematicSurface" in ln]
    assert len(warn) == 1 and "1 surface" in warn[0], r.stderr
    assert _schema_errors(cityjson_schema, out) == []
    back = read(out)
    types_back = [t for o in back.objects.values() for g in o.geometry for t in g.surface_types()]
    assert len(types_back) == len(types) and types_back.count("") == types.count("") + 1
    assert types_back.count("WallSurface") == types.count("WallSurface")
    gml = tmp_path / "o.gml"
    write(m, gml, citygml_version="3.0")
    assert validate_file(gml) == []
    assert "GenericThematicSurface" in gml.read_text()


def test_unknown_city_object_type_is_written_as_generic_and_said(tmp_path, cityjson_schema):
    """A typo in a CityObject type: the reader lists it as a problem, CityJSON output writes it as
    GenericCityObject with a warning (it was written as is: schema-invalid, without a word)."""
    text = (DATA / "cityjson" / "3dbag_b2_v2.0.city.json").read_text()
    assert text.count('"type":"BuildingPart"') + text.count('"type": "BuildingPart"') >= 1
    text = text.replace('"type":"BuildingPart"', '"type":"BuildngPart"', 1).replace(
        '"type": "BuildingPart"', '"type": "BuildngPart"', 1)
    src = tmp_path / "typo.city.json"
    src.write_text(text)
    m = read(src)
    assert any("unknown city object type 'BuildngPart'" in p.message for p in m.problems)
    out = tmp_path / "o.city.json"
    r = _cli("convert", "--quiet", src, out)
    assert r.returncode == 0, r.stderr
    assert any(ln.startswith("warning:") and "'BuildngPart' written as GenericCityObject" in ln
               for ln in r.stderr.splitlines()), r.stderr
    assert _schema_errors(cityjson_schema, out) == []
    doc = json.loads(out.read_text())
    assert sorted(o["type"] for o in doc["CityObjects"].values()).count("GenericCityObject") == 1
    # batch: the file is done, but its report entry carries the problem and the warning
    from citytwin.app.commands.batch_tasks import FileJob, run_job

    rec = run_job(FileJob(0, "convert", str(src), str(tmp_path / "b" / "o.city.json"), {}, "k"))
    assert rec["status"] == "ok" and rec["counts"]["problems"] >= 1
    assert any("'BuildngPart' written as GenericCityObject" in w for w in rec["warnings"])


# -- every corpus file, written in every format we write, against the official schemas -------------
def _corpus_models() -> list:
    from tests.conftest import SHARED

    roots = [SHARED / "citygml", SHARED / "cityjson"] if SHARED.exists() else []
    roots += [DATA / "citygml", DATA / "cityjson", DATA / "writers"]
    out = []
    for root in roots:
        for p in sorted(root.rglob("*")):
            n = p.name
            if p.is_file() and n != "invariants.json" and not n.endswith(".ext.json") and (
                    n.endswith((".gml", ".city.json", ".city.jsonl")) or (p.suffix == ".json" and "cityjson" in p.parts)):
                out.append(p)
    return out


_CORPUS = _corpus_models()


@pytest.mark.parametrize("path", _CORPUS, ids=[f"{p.parent.name}/{p.name}" for p in _CORPUS])
def test_every_file_written_validates(tmp_path, cityjson_schema, path):
    """CityJSON 2.0 output against the official JSON schema (unless the source is CityJSON 2.0
    that itself fails it: members we keep verbatim cannot be made valid), CityGML 2.0 and 3.0
    output against the official XSDs (lxml), for every CityJSON/CityGML file of the corpus."""
    from citytwin.io.citygml.schema import validate_file

    m = read(path)
    out = tmp_path / "o.city.json"
    write(m, out)
    source_ok = True
    if path.name.endswith(".json"):
        src = json.loads(path.read_bytes())
        source_ok = src.get("version") != "2.0" or cityjson_schema.is_valid(src)
    if source_ok:
        assert _schema_errors(cityjson_schema, out) == []
    for version in ("2.0", "3.0"):
        gml = tmp_path / f"o{version}.gml"
        write(m, gml, citygml_version=version)
        assert validate_file(gml) == [], version
