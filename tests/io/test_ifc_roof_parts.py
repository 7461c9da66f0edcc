"""IfcRoof / IfcSlab(ROOF) and their parts, however deep, are roofs (issue 14 item 3).

No real file in the corpus nests parts under a roof, so the real SampleHouse roof file gets a
slab (NOTDEFINED) aggregated by its IfcRoof and a part aggregated by that slab, in memory.
"""

from __future__ import annotations

import pytest

from citytwin.io.ifc.reader import semantic_for
from tests.conftest import DATA

ROOF_IFC = DATA / "ifc" / "Ifc4_SampleHouse_1_Roof.ifc"


@pytest.fixture()
def nested():
    ifcopenshell = pytest.importorskip("ifcopenshell")
    import ifcopenshell.guid

    f = ifcopenshell.open(str(ROOF_IFC))
    (roof,) = f.by_type("IfcRoof")
    slab = f.createIfcSlab(ifcopenshell.guid.new(), None, "roof slab", None, None, None, None, None, "NOTDEFINED")
    part = f.createIfcBuildingElementPart(ifcopenshell.guid.new(), None, "slab layer")
    f.createIfcRelAggregates(ifcopenshell.guid.new(), None, None, None, roof, [slab])
    f.createIfcRelAggregates(ifcopenshell.guid.new(), None, None, None, slab, [part])
    roof_slab = f.createIfcSlab(ifcopenshell.guid.new(), None, "roof type slab", None, None, None, None, None, "ROOF")
    layer = f.createIfcBuildingElementPart(ifcopenshell.guid.new(), None, "roof slab layer")
    f.createIfcRelAggregates(ifcopenshell.guid.new(), None, None, None, roof_slab, [layer])
    (floor,) = [s for s in f.by_type("IfcSlab") if s.Name and s.Name.startswith("Floor")]
    floor_part = f.createIfcBuildingElementPart(ifcopenshell.guid.new(), None, "floor layer")
    f.createIfcRelAggregates(ifcopenshell.guid.new(), None, None, None, floor, [floor_part])
    return f, slab, part, layer, floor_part


def test_parts_of_roofs_are_roofs_at_any_depth(nested):
    import ifcopenshell.util.element as ue

    from citytwin.io.ifc.worker import _aggregate_class

    _f, slab, part, layer, floor_part = nested
    for el in (slab, part, layer):
        agg = _aggregate_class(el, ue)
        assert agg == "IfcRoof", el.Name
        assert semantic_for(el.is_a(), None, agg) == "RoofSurface"
    # a part of an ordinary floor slab stays what its own class says
    agg = _aggregate_class(floor_part, ue)
    assert agg == "IfcSlab"
    assert semantic_for("IfcBuildingElementPart", None, agg) == ""
