"""IFC import emits no zero-area triangles: thinner than the file's precision, they are dropped and counted.

The case (a real IfcOpenShell test file with one 1 m x 1 nm sliver added, see
tests/data/ifc/PROVENANCE.md) is checked with an independent oracle: the box is 1 x 1 x 2 m, so
its 12 triangles have 10 m2 in total (closed form), and the CityJSON written at the default
precision, read back, has no polygon that the triangulator (what ``info`` reports) calls zero area.
"""

from __future__ import annotations

import numpy as np

from citytwin.io.ifc.reader import degenerate_tolerance, degenerate_triangles
from citytwin.io.registry import read, write
from citytwin.mesh.triangulate import ZERO_AREA, triangulate_polygons
from tests.conftest import DATA, shared_path

SLIVER = DATA / "ifc" / "basic_shape_Tessellation-sliver.ifc"


def _element_triangles(m):
    out = []
    for o in m:
        for g in o.geometry:
            if g.lod == "3":
                out.append(m.vertices[g.indices.reshape(-1, 3)])
    return np.concatenate(out)


def _zero_area_polygons(m) -> int:
    n = 0
    for o in m:
        for g in o.geometry:
            if g.surface_offsets is None or g.type in ("Solid", "MultiSolid", "CompositeSolid"):
                continue
            t = triangulate_polygons(m.vertices, g.indices, g.ring_offsets, g.surface_offsets)
            n += int((t.status == ZERO_AREA).sum())
    return n


def test_degenerate_triangles_closed_form():
    v = np.array([[0, 0, 0], [1, 0, 0], [0, 1, 0], [0.5, 1e-10, 0], [2, 0, 0]], dtype=float)
    f = np.array([[0, 1, 2], [0, 1, 3], [0, 1, 4], [0, 0, 2], [1, 1, 1]])
    assert degenerate_triangles(v, f, 1e-8).tolist() == [False, True, True, True, True]
    assert not degenerate_triangles(v, f[:2], 1e-11)[1]  # 1e-10 m thick is kept at a finer tolerance
    assert degenerate_tolerance(None) == 1e-6 and degenerate_tolerance(0.01) == 1e-5  # coarse: clamped
    assert degenerate_tolerance(1e-8) == 1e-8


def test_sliver_is_dropped_with_a_warning_and_the_box_keeps_its_area(tmp_path):
    m = read(SLIVER)
    tris = _element_triangles(m)
    assert len(tris) == 12
    area = 0.5 * np.linalg.norm(np.cross(tris[:, 1] - tris[:, 0], tris[:, 2] - tris[:, 0]), axis=1)
    assert abs(area.sum() - 10.0) < 1e-9  # 1 x 1 x 2 m box: 2 x 1 + 4 x 2 m2
    msgs = [p.message for p in m.problems if p.severity == "warning"]
    assert any(s.startswith("1 degenerate triangle") for s in msgs), msgs
    # written at the default precision (1 mm) the sliver would collapse to a zero-area polygon
    out = tmp_path / "box.city.json"
    write(m, out)
    back = read(out)
    assert _zero_area_polygons(back) == 0


def test_real_file_without_degenerate_triangles_loses_nothing():
    m = read(shared_path("ifc", "ifcopenshell_files", "basic_shape_Tessellation.ifc"))
    assert len(_element_triangles(m)) == 12
    assert not any("degenerate" in p.message for p in m.problems)
