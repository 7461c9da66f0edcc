"""CityGML read in parallel parts (io/citygml/split.py): the same model as the one-pass reader,
and a fall back to one pass whenever a part depends on another (xlinks, generated ids, errors)."""

from __future__ import annotations

import pytest

from citytwin.errors import InputError
from citytwin.io.citygml.reader import read_citygml
from citytwin.io.citygml.split import split_offsets
from citytwin.semantics.compare import diff_models
from tests.conftest import shared_path
from tests.io.test_citygml_bad import building, doc, poly, write

PAR = dict(workers=2, split_min_bytes=0)


def _problems(m):
    return sorted((p.object_id or "", p.message) for p in m.problems)


def _same(a, b):
    assert diff_models(a, b) == []
    assert list(a.objects) == list(b.objects)          # file order kept
    assert _problems(a) == _problems(b)


def test_real_file_in_two_parts_equals_one_pass():
    path = shared_path("citygml", "v3.0", "citygml4j_lod2_buildings_v3.gml")
    one = read_citygml(path, workers=1)
    two = read_citygml(path, **PAR)
    assert two.source.get("parts") == 2 and "parts" not in one.source
    assert len(two.objects) == 100 and len(two.vertices) == len(one.vertices)
    _same(one, two)
    # the semantic surfaces of the second part's solids point at its own (shifted) vertices
    last = list(two.objects.values())[-1]
    g = last.geometry[0]
    assert g.type == "Solid" and g.indices.min() >= len(two.vertices) // 2
    assert set(g.surface_types()) == {"GroundSurface", "RoofSurface", "WallSurface"}


def test_cuts_fall_on_top_level_members(tmp_path):
    p = write(tmp_path, doc(*(building(f"b{i}", poly(f"p{i}")) for i in range(6))))
    root_end, cuts, tail = split_offsets(p, 2)
    data = p.read_bytes()
    assert data[root_end - 1:root_end] == b">" and data[tail:].startswith(b"</core:CityModel>")
    assert len(cuts) == 3 and cuts[-1] == tail
    assert all(data[c:].startswith(b"<core:cityObjectMember>") for c in cuts[:-1])


def test_xlink_into_the_other_part_falls_back_to_one_pass(tmp_path):
    first = building("b1", poly("p1"))
    filler = [building(f"f{i}", poly(f"q{i}")) for i in range(6)]
    last = building("b2", '<gml:surfaceMember xlink:href="#p1"/>' + poly("p2", "0 0 3 1 0 3 1 1 3 0 0 3"))
    p = write(tmp_path, doc(first, *filler, last))
    two = read_citygml(p, **PAR)
    assert "parts" not in two.source                  # read again in one pass
    assert two.objects["b2"].geometry[0].n_surfaces == 2 and not two.problems.items
    _same(read_citygml(p, workers=1), two)


def test_objects_without_id_in_the_second_part_fall_back(tmp_path):
    members = [building(f"b{i}", poly(f"p{i}")) for i in range(6)]
    members.append(building("x", poly("px")).replace(' gml:id="x"', ""))
    p = write(tmp_path, doc(*members))
    two = read_citygml(p, **PAR)
    assert "parts" not in two.source
    _same(read_citygml(p, workers=1), two)


def test_duplicate_id_across_parts_reported_as_in_one_pass(tmp_path):
    members = [building(f"b{i}", poly(f"p{i}")) for i in range(6)]
    members.append(building("b0", poly("pz", "0 0 7 1 0 7 1 1 7 0 0 7")))
    p = write(tmp_path, doc(*members))
    two = read_citygml(p, **PAR)
    assert two.source.get("parts") == 2
    assert any("duplicate gml:id" in pr.message for pr in two.problems)
    _same(read_citygml(p, workers=1), two)
    assert two.vertices[two.objects["b0"].geometry[0].indices][:, 2].tolist() == [7.0] * 3


def test_malformed_second_part_gives_the_one_pass_error(tmp_path):
    members = [building(f"b{i}", poly(f"p{i}")) for i in range(6)]
    members[-1] = members[-1].replace("</bldg:Building>", "</bldg:Buildin>")
    p = write(tmp_path, doc(*members))
    with pytest.raises(InputError) as one:
        read_citygml(p, workers=1)
    with pytest.raises(InputError) as two:
        read_citygml(p, **PAR)
    assert str(one.value) == str(two.value) and "line" in str(two.value)
