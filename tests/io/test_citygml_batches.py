"""CityGML reader batches: a model does not depend on where the reader cuts its batches.

The reader resolves features in batches of ~20000 rings; an ``xlink:href`` may point back into a
batch already built. A thematic polygon (a WallSurface's) that no geometry of its own batch used is
written to its owner's MultiSurface; when a geometry of a later batch then references it, the
polygon must end up once, in that geometry (with its semantics and appearance), as when both are
in one batch -- not twice (owner's MultiSurface + referencing geometry).
"""

from __future__ import annotations

import pytest

import citytwin.io.citygml.document as cr
from citytwin.semantics.compare import diff_models
from tests.conftest import DATA

DEN_HAAG = DATA / "citygml" / "DenHaag_1BwBP.gml"
PART1 = "GUID_7F91F413-F839-48F6-A36A-E0F2F090C6B0_1"
SOLID_A, SOLID_B = "      <bldg:lod2Solid>", "      </bldg:lod2Solid>\n"


def solid_moved_to_a_later_building(tmp_path):
    """Edit of DenHaag_1BwBP.gml: BuildingPart _1's lod2Solid (9 xlinks to the polygons of the part's
    WallSurfaces, RoofSurfaces and GroundSurface) is cut out and given to a new Building after the
    file's only member. The part keeps its thematic surfaces and its X3DMaterial targets."""
    text = DEN_HAAG.read_text()
    a = text.index(SOLID_A)
    b = text.index(SOLID_B, a) + len(SOLID_B)
    solid = text[a:b]
    assert solid.count("xlink:href") == 9
    text = text[:a] + text[b:]
    end = text.rindex("</CityModel>")
    later = f'  <cityObjectMember><bldg:Building gml:id="later">\n{solid}</bldg:Building></cityObjectMember>\n'
    p = tmp_path / "DenHaag_solid_in_later_member.gml"
    p.write_text(text[:end] + later + text[end:])
    return p


def cut_appearance(text: str, replacement: str = "") -> tuple[str, str]:
    """(``text`` with BuildingPart _1's app:appearance replaced by ``replacement``, the appearance cut)."""
    a = text.index("      <app:appearance>")
    b = text.index("      </app:appearance>\n", a) + len("      </app:appearance>\n")
    return text[:a] + replacement + text[b:], text[a:b]


def one_batch_equals_small_batches(path, monkeypatch):
    """The model read in batches of one ring, after asserting it equals the one-batch read."""
    one = cr.CityGMLReader(path).read()
    monkeypatch.setattr(cr, "_FLUSH_RINGS", 1)
    m = cr.CityGMLReader(path).read()
    assert diff_models(one, m, check_metadata=False) == []
    return m


@pytest.mark.parametrize("flush", [1, 40])
def test_polygon_referenced_from_a_later_batch_is_in_the_model_once(tmp_path, monkeypatch, flush):
    p = solid_moved_to_a_later_building(tmp_path)
    one = cr.CityGMLReader(p).read()                 # one batch: the reference sees the polygons unused
    monkeypatch.setattr(cr, "_FLUSH_RINGS", flush)   # the big Building is built before "later" is read
    m = cr.CityGMLReader(p).read()
    assert diff_models(one, m, check_metadata=False) == []
    assert not m.problems.items and "unresolved_references" not in m.source
    # the part's polygons are in the later building's solid only, with their semantics and materials
    assert [g.type for g in m.objects[PART1].geometry] == ["MultiLineString"]
    (g,) = m.objects["later"].geometry
    assert g.type == "Solid" and g.n_surfaces == 9
    assert sorted(set(g.surface_types())) == ["GroundSurface", "RoofSurface", "WallSurface"]
    (mm,) = g.materials.values()
    assert (mm.values >= 0).all() and len(set(mm.values.tolist())) == 3
    n_surfaces = sum(x.n_surfaces for o in m.objects.values() for x in o.geometry if x.has_surfaces)
    assert n_surfaces == sum(x.n_surfaces for o in one.objects.values() for x in o.geometry if x.has_surfaces)


def test_georeferenced_texture_of_a_retracted_polygon_follows_it(tmp_path, monkeypatch):
    """The same edit, with part _1's appearance a GeoreferencedTexture on its wall polygon _1_1: the
    polygon's texture is on the later building's solid, identical to the one-batch read."""
    from PIL import Image

    Image.new("RGB", (64, 64)).save(tmp_path / "ortho.png")
    p = solid_moved_to_a_later_building(tmp_path)
    app = ("<app:appearance><app:Appearance><app:theme>ortho</app:theme><app:surfaceDataMember>"
           "<app:GeoreferencedTexture><app:imageURI>ortho.png</app:imageURI><app:referencePoint><gml:Point>"
           "<gml:pos>78590 457910</gml:pos></gml:Point></app:referencePoint><app:orientation>0.5 0 0 -0.5"
           f"</app:orientation><app:target>#{PART1}_1</app:target></app:GeoreferencedTexture>"
           "</app:surfaceDataMember></app:Appearance></app:appearance>\n")
    text, _ = cut_appearance(p.read_text(), app)
    p.write_text(text)
    m = one_batch_equals_small_batches(p, monkeypatch)
    (g,) = m.objects["later"].geometry
    assert (g.textures["ortho"].ring_texture >= 0).sum() == 1


@pytest.mark.parametrize("name", ["DenHaag_1BwBP.gml", "BuildingUnits_Storeys_xlink.gml",
                                  "sig3d_Building_LOD2_v3.gml"])
def test_real_files_do_not_depend_on_batch_size(monkeypatch, name):
    path = DATA / "citygml" / name
    one = cr.CityGMLReader(path).read()
    monkeypatch.setattr(cr, "_FLUSH_RINGS", 1)
    assert diff_models(one, cr.CityGMLReader(path).read(), check_metadata=False) == []


@pytest.mark.parametrize("flush", [1, 20000])
def test_thematic_xlink_to_another_thematic_polygon_keeps_it(tmp_path, monkeypatch, flush):
    """A WallSurface whose MultiSurface only xlinks to another building's wall polygon borrows it for
    semantics; the polygon stays in its owner's MultiSurface (it used to vanish from the model: the
    reference marked it as used by a geometry, yet no geometry held it), in any batch layout."""
    from tests.io.test_citygml_bad import doc, poly, write

    def walls(bid: str, inner: str) -> str:
        return (f'<core:cityObjectMember><bldg:Building gml:id="{bid}"><bldg:boundedBy><bldg:WallSurface>'
                f"<bldg:lod2MultiSurface><gml:MultiSurface>{inner}</gml:MultiSurface></bldg:lod2MultiSurface>"
                "</bldg:WallSurface></bldg:boundedBy></bldg:Building></core:cityObjectMember>")

    monkeypatch.setattr(cr, "_FLUSH_RINGS", flush)
    m = cr.CityGMLReader(write(tmp_path, doc(walls("a", poly("P")), walls("b", '<gml:surfaceMember xlink:href="#P"/>')))).read()
    assert [(g.type, g.n_surfaces, g.surface_types()) for g in m.objects["a"].geometry] == [
        ("MultiSurface", 1, ["WallSurface"])]
    assert m.objects["b"].geometry == [] and not m.problems.items


def test_anonymous_polygons_referenced_through_their_multisurface_id(tmp_path, monkeypatch):
    """The polygons of a WallSurface have no gml:id, its MultiSurface has one; a later building's
    geometry references that MultiSurface: they are taken back from the wall's owner too."""
    from tests.io.test_citygml_bad import SQUARE, building, doc, write

    anon = ('<gml:surfaceMember><gml:Polygon><gml:exterior><gml:LinearRing><gml:posList>'
            f"{SQUARE}</gml:posList></gml:LinearRing></gml:exterior></gml:Polygon></gml:surfaceMember>")
    wall = (f'<core:cityObjectMember><bldg:Building gml:id="a"><bldg:boundedBy><bldg:WallSurface>'
            f'<bldg:lod2MultiSurface><gml:MultiSurface gml:id="wms">{anon * 2}</gml:MultiSurface>'
            "</bldg:lod2MultiSurface></bldg:WallSurface></bldg:boundedBy></bldg:Building></core:cityObjectMember>")
    later = building("b", '<gml:surfaceMember xlink:href="#wms"/>')
    p = write(tmp_path, doc(wall, later))
    one = cr.CityGMLReader(p).read()
    monkeypatch.setattr(cr, "_FLUSH_RINGS", 1)
    m = cr.CityGMLReader(p).read()
    assert diff_models(one, m, check_metadata=False) == []
    assert m.objects["a"].geometry == []
    assert m.objects["b"].geometry[0].surface_types() == ["WallSurface"] * 2


def test_global_appearance_on_retracted_polygons(tmp_path, monkeypatch):
    """The same edit, with part _1's X3DMaterials moved to a top-level appearanceMember (applied once the
    whole file is read, through the polygon ids): the later building's solid gets them, in any batch layout."""
    p = solid_moved_to_a_later_building(tmp_path)
    text, cut = cut_appearance(p.read_text())
    end = text.rindex("</CityModel>")
    p.write_text(text[:end] + cut.replace("app:appearance>", "app:appearanceMember>") + text[end:])
    m = one_batch_equals_small_batches(p, monkeypatch)
    (g,) = m.objects["later"].geometry
    (mm,) = g.materials.values()
    assert (mm.values >= 0).all() and "unresolved_references" not in m.source
