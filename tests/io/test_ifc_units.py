"""IFC length units: the model is in metres whatever the project unit, the map unit and the Scale say.

Oracles, computed here independently of the reader:

- IfcOpenShell's own world coordinates (in metres) of each element, placed by hand at the map
  conversion's Eastings/Northings;
- the same real file converted to metres and to feet by IfcOpenShell
  (``ifcopenshell.util.unit.convert_file_length_units``): storey elevations (raw
  ``IfcBuildingStorey.Elevation`` times IfcOpenShell's unit scale), wall lengths
  (``Qto_WallBaseQuantities.Length`` likewise, and the walls' geometric extent) must come out
  the same in metres from all three.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from citytwin.io.ifc.georef import reconcile_scale
from citytwin.io.registry import read
from tests.conftest import DATA, shared_path

MM_MAP_M = DATA / "ifc" / "geolocation-mapconversion-mm-mapunit-m.ifc"


def _world_vertices(path) -> np.ndarray:
    import ifcopenshell
    import ifcopenshell.geom

    f = ifcopenshell.open(str(path))
    s = ifcopenshell.geom.settings()
    s.set("use-world-coords", True)
    out = []
    for el in f.by_type("IfcProduct"):
        if el.Representation is None or el.is_a("IfcSpatialStructureElement"):
            continue
        sh = ifcopenshell.geom.create_shape(s, el)
        out.append(np.frombuffer(sh.geometry.verts_buffer, dtype=np.float64).reshape(-1, 3))
    return np.concatenate(out)


def test_mm_project_with_metre_map_unit_and_no_scale_keeps_its_size():
    # a millimetre project, IfcProjectedCRS MapUnit metre, Scale omitted: read literally, 1 mm
    # would be 1 m and the 15 m model 15 km wide; the unit conversion is used, with a warning
    m = read(MM_MAP_M)
    g = m.source["georef"]
    assert g["method"] == "IfcMapConversion" and g["crs"] == "EPSG:28992"
    world = _world_vertices(MM_MAP_M)  # metres, IFC world coordinates
    expect_lo = world.min(axis=0) + [155000.0, 463000.0, 0.0]
    expect_hi = world.max(axis=0) + [155000.0, 463000.0, 0.0]
    assert np.abs(m.vertices.min(axis=0) - expect_lo).max() < 1e-3
    assert np.abs(m.vertices.max(axis=0) - expect_hi).max() < 1e-3
    assert g["scale"] == pytest.approx(0.001) and g["scale_declared"] == "omitted"
    msgs = [p.message for p in m.problems if p.severity == "warning"]
    assert any("no Scale" in s and "1000 times too large" in s for s in msgs), msgs


def test_no_map_unit_eastings_in_the_crs_unit_are_recognised_by_its_area_of_use(tmp_path):
    # the same file without IfcProjectedCRS.MapUnit: read in the project unit (mm, the schema's
    # default) the origin (155 m, 463 m) is outside EPSG:28992's area of use; in metres (the CRS's
    # unit, pyproj) it is inside: metres are used, with a warning
    text = MM_MAP_M.read_text()
    old = "#292=IFCPROJECTEDCRS('EPSG:28992',$,$,$,$,$,#294);"
    assert text.count(old) == 1
    p = tmp_path / "no_map_unit.ifc"
    p.write_text(text.replace(old, "#292=IFCPROJECTEDCRS('EPSG:28992',$,$,$,$,$,$);"))
    m = read(p)
    world = _world_vertices(p)
    assert np.abs(m.vertices.min(axis=0) - (world.min(axis=0) + [155000.0, 463000.0, 0.0])).max() < 1e-3
    assert np.abs(m.vertices.max(axis=0) - (world.max(axis=0) + [155000.0, 463000.0, 0.0])).max() < 1e-3
    msgs = [x.message for x in m.problems]
    assert any("has no MapUnit" in x and "area of use" in x for x in msgs), msgs


def test_scale_reconciled_with_units():
    # mm project, metre map unit
    p: list[str] = []
    assert reconcile_scale(0.001, 1.0, 0.001, p) == 0.001 and not p  # the unit conversion: as declared
    assert reconcile_scale(0.001, 1.0, 0.0009996, p) == 0.0009996 and not p  # times a UTM scale factor
    assert reconcile_scale(0.001, 1.0, None, p) == pytest.approx(0.001) and "no Scale" in p[-1]
    assert reconcile_scale(0.001, 1.0, 0.9996, p) == pytest.approx(0.001 * 0.9996)
    assert "combined scale factor" in p[-1]
    assert reconcile_scale(0.001, 1.0, -1.0, p) == pytest.approx(0.001) and "not a positive" in p[-2]
    # same units: nothing to reconcile; an unusual Scale is used as declared but said
    n = len(p)
    assert reconcile_scale(1.0, 1.0, None, p) == 1.0 and reconcile_scale(1.0, 1.0, 1.0, p) == 1.0 and len(p) == n
    assert reconcile_scale(1.0, 1.0, 0.01, p) == 0.01 and "scaled by 0.01" in p[-1]
    # feet project, metre map unit, Scale 0.3048: consistent
    assert reconcile_scale(0.3048, 1.0, 0.3048, p) == 0.3048 and "scaled" in p[-1] and len(p) == n + 1


@pytest.fixture(scope="module")
def same_model_three_units(tmp_path_factory):
    """TestModel_IFC4Add2 (millimetres) and IfcOpenShell's conversions of it to metres and feet."""
    import ifcopenshell
    import ifcopenshell.util.unit as uu

    src = shared_path("ifc", "ifcopenshell_files", "TestModel_IFC4Add2.ifc")
    d = tmp_path_factory.mktemp("units")
    f = ifcopenshell.open(str(src))
    paths = {"mm": src}
    for unit in ("METER", "FOOT"):
        p = d / f"TestModel_{unit}.ifc"
        uu.convert_file_length_units(f, unit).write(str(p))
        paths[unit] = p
    return paths


def _oracle_elevations(path) -> dict[str, float]:
    import ifcopenshell
    import ifcopenshell.util.unit as uu

    f = ifcopenshell.open(str(path))
    k = uu.calculate_unit_scale(f)
    return {s.GlobalId: s.Elevation * k for s in f.by_type("IfcBuildingStorey")}


def _oracle_wall_lengths(path) -> dict[str, float]:
    import ifcopenshell
    import ifcopenshell.util.element as ue
    import ifcopenshell.util.unit as uu

    f = ifcopenshell.open(str(path))
    k = uu.calculate_unit_scale(f)
    return {w.GlobalId: ue.get_psets(w)["Qto_WallBaseQuantities"]["Length"] * k for w in f.by_type("IfcWall")}


def test_storey_heights_and_wall_sizes_in_metres_whatever_the_project_unit(same_model_three_units):
    sizes = {}
    for unit, path in same_model_three_units.items():
        m = read(path)
        oracle = _oracle_elevations(path)
        got = {o.id: o.attributes.get("elevation") for o in m if o.type == "BuildingStorey"}
        assert set(got) == set(oracle) and max(oracle.values()) > 3.0  # a real storey height (4 m)
        for k, v in oracle.items():
            assert math.isclose(got[k], v, abs_tol=1e-6), (unit, k, got[k], v)
        walls = sorted((o for o in m if str(o.attributes.get("ifc_class", "")).startswith("IfcWall")),
                       key=lambda o: o.id)
        assert len(walls) == 4
        sizes[unit] = np.array([np.ptp(m.vertices[np.unique(o.geometry[0].indices)], axis=0) for o in walls])
        # the quantity set's wall length, in metres: raw value x IfcOpenShell's unit scale
        qto = _oracle_wall_lengths(path)
        for o in walls:
            got_len = o.attributes["Qto_WallBaseQuantities.Length"]
            assert math.isclose(got_len, qto[o.id], rel_tol=1e-9), (unit, o.id, got_len, qto[o.id])
            assert math.isclose(got_len, float(np.max(sizes[unit][walls.index(o)][:2])), abs_tol=0.05)
    assert sizes["mm"].max() > 11.0  # a 12 m wall, in metres
    for unit in ("METER", "FOOT"):
        assert np.abs(sizes[unit] - sizes["mm"]).max() < 1e-4, unit
