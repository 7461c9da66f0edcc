"""CityGML appearances whose target is an aggregate (Solid, CompositeSurface, MultiSurface id) rather
than a single polygon, and GeoreferencedTexture images georeferenced by their GeoTIFF tags.

No file of the shared corpus has an aggregate target or a GeoreferencedTexture (searched with
``grep -l GeoreferencedTexture -r ../shared/data`` and by resolving every ``app:target`` of the
corpus: all name polygons), so the tests edit copies of real files (DenHaag_1BwBP.gml from
tests/data, the citygml4j testtown file from the corpus): only the appearance targets and the
gml:id of the aggregate are changed, each edit is stated where it is made. No GeoTIFF is in the
corpus either: the TIFF is written by the test with Pillow, carrying the GeoTIFF tags.
"""

from __future__ import annotations

import numpy as np
import pytest

from citytwin.io.registry import read
from tests.conftest import DATA, shared_path

DEN_HAAG = DATA / "citygml" / "DenHaag_1BwBP.gml"
PART1 = "GUID_7F91F413-F839-48F6-A36A-E0F2F090C6B0_1"
# the X3DMaterial / Appearance of BuildingPart _1 in DenHaag_1BwBP.gml (lines 31-61)
APP_START, APP_END = "      <app:appearance>", "      </app:appearance>\n"
SOLID = "<gml:Solid>"                     # first occurrence: BuildingPart _1's lod2Solid
COMPOSITE = "<gml:CompositeSurface>"      # first occurrence: that solid's exterior shell
WALL_MS = "<gml:MultiSurface>"            # first occurrence: part _1's first WallSurface (polygon _1_1)


def den_haag(tmp_path, appearance: str, ids: dict[str, str]):
    """A copy of DenHaag_1BwBP.gml whose first aggregate of each kind in ``ids`` (SOLID, COMPOSITE,
    WALL_MS) gets the gml:id given, and whose BuildingPart _1 appearance is replaced by ``appearance``
    (an ``app:Appearance`` element) when given."""
    text = DEN_HAAG.read_text()
    for tag, gid in ids.items():
        text = text.replace(tag, tag[:-1] + f' gml:id="{gid}">', 1)
    if appearance:
        a = text.index(APP_START)
        b = text.index(APP_END, a) + len(APP_END)
        text = text[:a] + f"      <app:appearance>{appearance}</app:appearance>\n" + text[b:]
    p = tmp_path / "DenHaag_edited.gml"
    p.write_text(text)
    return p


def part1_solid(m):
    g = m.objects[PART1].geometry
    assert [x.type for x in g] == ["Solid", "MultiLineString"]   # lod2Solid, lod2TerrainIntersection
    return g[0]


def test_material_on_a_solid_id_reaches_all_its_polygons(tmp_path):
    """Edit: the first X3DMaterial names the Solid (gml:id added) instead of polygons _1_1.._1_6;
    the two materials after it still name _1_7, _1_8 and the ground. Result: the same materials
    per surface as the unedited file (the solid's material is overridden where the later ones apply)."""
    text = DEN_HAAG.read_text()
    first = "\n".join(f"              <app:target>#{PART1}_{i}</app:target>" for i in range(1, 7))
    assert first in text
    edited = text.replace(SOLID, '<gml:Solid gml:id="solid_1">', 1).replace(
        first, "              <app:target>#solid_1</app:target>", 1)
    p = tmp_path / "DenHaag_solid_target.gml"
    p.write_text(edited)
    m, ref = read(p), read(DEN_HAAG)
    assert "unresolved_references" not in m.source
    got, want = part1_solid(m).materials, part1_solid(ref).materials
    assert list(got) == list(want) and len(got) == 1
    theme = next(iter(got))
    assert got[theme].values.tolist() == want[theme].values.tolist()
    assert (got[theme].values >= 0).all() and len(set(got[theme].values.tolist())) == 3


def _georef(target: str, extra: str) -> str:
    return ("<app:Appearance><app:theme>ortho</app:theme><app:surfaceDataMember><app:GeoreferencedTexture>"
            f"<app:imageURI>ortho.png</app:imageURI>{extra}<app:target>#{target}</app:target>"
            "</app:GeoreferencedTexture></app:surfaceDataMember></app:Appearance>")


# 0.1 m pixels, upper-left pixel centre at (78580.05, 457919.95): a 300 x 300 image covers part _1
REF_XY = (78580.05, 457919.95)
ORIENT = "0.1 0 0 -0.1"
REF = (f"<app:referencePoint><gml:Point><gml:pos>{REF_XY[0]} {REF_XY[1]}</gml:pos></gml:Point></app:referencePoint>"
       f"<app:orientation>{ORIENT}</app:orientation>")


def expected_uv(xy: np.ndarray, w: int = 300, h: int = 300) -> np.ndarray:
    """u, v of world points under the georeference above (pixel centres at u = (col + 0.5) / w)."""
    col = (xy[:, 0] - REF_XY[0]) / 0.1
    row = (xy[:, 1] - REF_XY[1]) / -0.1
    return np.column_stack([(col + 0.5) / w, 1 - (row + 0.5) / h])


@pytest.mark.parametrize("kind,n", [(SOLID, 9), (COMPOSITE, 9), (WALL_MS, 1)])
def test_georeferenced_texture_on_an_aggregate_id(tmp_path, kind, n):
    """Edit: gml:id added to part _1's Solid / its exterior CompositeSurface / its first WallSurface's
    MultiSurface, and part _1's appearance replaced by a GeoreferencedTexture naming that id. Every
    polygon of the aggregate gets the texture, with coordinates from its vertices' positions."""
    from PIL import Image

    Image.new("RGB", (300, 300)).save(tmp_path / "ortho.png")
    p = den_haag(tmp_path, _georef("agg", REF), {kind: "agg"})
    m = read(p)
    assert "unresolved_references" not in m.source, m.problems.items
    g = part1_solid(m)
    tm = g.textures["ortho"]
    textured = [j for j in range(g.n_surfaces) if tm.ring_texture[g.surface_offsets[j]] >= 0]
    assert len(textured) == n
    if n == 1:   # the wall polygon _1_1: the first surface of the solid
        assert textured == [0] and g.surface_types()[0] == "WallSurface"
    k = tm.ring_texture >= 0
    verts = np.repeat(k, np.diff(g.ring_offsets))
    uv = m.appearance.texture_vertices[tm.uv[verts]]
    assert np.allclose(uv, expected_uv(m.vertices[g.indices[verts], :2]))
    assert (tm.uv[~verts] == -1).all()


def test_parameterized_texture_on_a_multisurface_id():
    """Edit of the citygml4j testtown file: the two targets of ParameterizedTexture UUID_138a8167
    (one per polygon of the Window MultiSurface UUID_382441be) are merged into one target naming the
    MultiSurface, holding both rings' coordinates. The window gets the same texture coordinates as
    from the unedited file (each ring matched by its ring id)."""
    import tempfile
    from pathlib import Path

    from lxml import etree

    src = shared_path("citygml", "v2.0", "citygml4j_lod3_testtown_textured", "lod3_building_v2.gml")
    gml, app = "{http://www.opengis.net/gml}", "{http://www.opengis.net/citygml/appearance/2.0}"
    ms_id, tex_id = "UUID_382441be-6602-4eb7-b783-fbe9dd26e8b4", "UUID_138a8167-31aa-4b34-8b7c-bb08fd296543"
    tree = etree.parse(str(src))
    ms = next(e for e in tree.iter(gml + "MultiSurface") if e.get(gml + "id") == ms_id)
    poly_ids = {"#" + q.get(gml + "id") for q in ms.iter(gml + "Polygon")}
    tex = next(e for e in tree.iter(app + "ParameterizedTexture") if e.get(gml + "id") == tex_id)
    targets = [t for t in tex.findall(app + "target") if t.get("uri") in poly_ids]
    assert len(targets) == 2
    keep = targets[0]
    keep.set("uri", "#" + ms_id)
    keep.find(app + "TexCoordList").extend(targets[1].find(app + "TexCoordList").findall(app + "textureCoordinates"))
    tex.remove(targets[1])
    with tempfile.TemporaryDirectory() as d:
        p = Path(d) / "testtown_ms_target.gml"
        tree.write(str(p))
        m, ref = read(p), read(src)

    assert m.source.get("unresolved_references") == ref.source.get("unresolved_references")
    # compare every textured geometry (the window's among them)
    for oid, o in ref.objects.items():
        for gi, g in enumerate(o.geometry):
            h = m.objects[oid].geometry[gi]
            for theme, tm in g.textures.items():
                tm2 = h.textures[theme]
                assert tm2.ring_texture.tolist() == tm.ring_texture.tolist()
                a = tm.uv >= 0
                assert (a == (tm2.uv >= 0)).all()
                assert np.array_equal(ref.appearance.texture_vertices[tm.uv[a]],
                                      m.appearance.texture_vertices[tm2.uv[a]])


# -- GeoTIFF-embedded georeferencing -------------------------------------------------------------------
def write_geotiff(path, how: str) -> None:
    """A 300 x 300 TIFF whose GeoTIFF tags give the georeference of REF_XY / ORIENT above, spelled
    three ways (tags written with Pillow: no GeoTIFF is in the corpus)."""
    from PIL import Image, TiffImagePlugin, TiffTags

    ifd = TiffImagePlugin.ImageFileDirectory_v2()
    corner = (REF_XY[0] - 0.05, REF_XY[1] + 0.05)      # outer corner of the upper-left pixel
    if how == "tiepoint_area":        # raster (0, 0) = the pixel's corner (PixelIsArea, the default)
        ifd[33550], ifd[33922] = (0.1, 0.1, 0.0), (0.0, 0.0, 0.0, corner[0], corner[1], 0.0)
    elif how == "tiepoint_point":     # raster (10, 20) = that pixel's centre (PixelIsPoint)
        ifd[33550] = (0.1, 0.1, 0.0)
        ifd[33922] = (10.0, 20.0, 0.0, REF_XY[0] + 1.0, REF_XY[1] - 2.0, 0.0)
        ifd[34735] = (1, 1, 0, 2, 1024, 0, 1, 1, 1025, 0, 1, 2)   # GTModelType projected, GTRasterType point
        ifd.tagtype[34735] = TiffTags.SHORT
    else:                             # ModelTransformationTag, PixelIsArea
        ifd[34264] = (0.1, 0.0, 0.0, corner[0], 0.0, -0.1, 0.0, corner[1], 0, 0, 0, 0, 0, 0, 0, 1.0)
    for t in (33550, 33922, 34264):
        if t in ifd:
            ifd[t] = tuple(float(v) for v in ifd[t])
            ifd.tagtype[t] = TiffTags.DOUBLE
    Image.new("RGB", (300, 300)).save(path, tiffinfo=ifd)


def _tiff_app(extra: str = "") -> str:
    return _georef("agg", extra).replace("ortho.png", "ortho.tif")


@pytest.mark.parametrize("how", ["tiepoint_area", "tiepoint_point", "transformation"])
def test_georeferenced_texture_from_geotiff_tags(tmp_path, how):
    """Edit of DenHaag_1BwBP.gml as above (GeoreferencedTexture on part _1's Solid), without
    referencePoint / orientation: the georeference comes from the TIFF's tags."""
    write_geotiff(tmp_path / "ortho.tif", how)
    m = read(den_haag(tmp_path, _tiff_app(), {SOLID: "agg"}))
    assert not m.problems.items
    g = part1_solid(m)
    tm = g.textures["ortho"]
    assert (tm.ring_texture >= 0).all()
    uv = m.appearance.texture_vertices[tm.uv]
    assert np.allclose(uv, expected_uv(m.vertices[g.indices, :2]))


@pytest.mark.parametrize("prefer", ["", "true", "false"])
def test_prefer_world_file_chooses_between_world_file_and_geotiff(tmp_path, prefer):
    """A world file shifted by 10 m next to the GeoTIFF: it wins by default and with
    preferWorldFile true; with false the TIFF's own tags are used."""
    write_geotiff(tmp_path / "ortho.tif", "tiepoint_area")
    (tmp_path / "ortho.tfw").write_text(f"0.1\n0\n0\n-0.1\n{REF_XY[0] + 10}\n{REF_XY[1]}\n")
    extra = f"<app:preferWorldFile>{prefer}</app:preferWorldFile>" if prefer else ""
    m = read(den_haag(tmp_path, _tiff_app(extra), {SOLID: "agg"}))
    g = part1_solid(m)
    uv = m.appearance.texture_vertices[g.textures["ortho"].uv]
    xy = m.vertices[g.indices, :2]
    shift = 0 if prefer == "false" else 10
    assert np.allclose(uv, expected_uv(xy - [shift, 0]))


def test_tiff_without_geotiff_tags_reported(tmp_path):
    from PIL import Image

    Image.new("RGB", (4, 4)).save(tmp_path / "ortho.tif")
    m = read(den_haag(tmp_path, _tiff_app(), {SOLID: "agg"}))
    assert "ortho" not in part1_solid(m).textures
    assert any("nor GeoTIFF georeferencing" in p.message for p in m.problems)
