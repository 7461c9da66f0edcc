"""CityGML bad input: safe XML (billion laughs, XXE), malformed / truncated files, not-CityGML,
per-object problems (srsDimension, short rings, unresolvable xlinks, texture paths)."""

from __future__ import annotations

import subprocess
import sys
import time

import numpy as np
import pytest

from citytwin.errors import InputError
from citytwin.io.registry import read
from tests.conftest import DATA

NS2 = ('xmlns:core="http://www.opengis.net/citygml/2.0" xmlns:bldg="http://www.opengis.net/citygml/building/2.0" '
       'xmlns:gml="http://www.opengis.net/gml" xmlns:xlink="http://www.w3.org/1999/xlink" '
       'xmlns:app="http://www.opengis.net/citygml/appearance/2.0"')
SQUARE = "0 0 0 10 0 0 10 10 0 0 10 0 0 0 0"


def poly(pid: str, pos: str = SQUARE, dim: str = "3") -> str:
    return (f'<gml:surfaceMember><gml:Polygon gml:id="{pid}"><gml:exterior><gml:LinearRing gml:id="{pid}_r">'
            f'<gml:posList srsDimension="{dim}">{pos}</gml:posList></gml:LinearRing></gml:exterior>'
            "</gml:Polygon></gml:surfaceMember>")


def building(bid: str, members: str, extra: str = "") -> str:
    return (f'<core:cityObjectMember><bldg:Building gml:id="{bid}">{extra}<bldg:lod2MultiSurface><gml:MultiSurface>'
            f"{members}</gml:MultiSurface></bldg:lod2MultiSurface></bldg:Building></core:cityObjectMember>")


def doc(*members: str, prolog: str = "") -> str:
    return f'<?xml version="1.0" encoding="UTF-8"?>\n{prolog}<core:CityModel {NS2}>{"".join(members)}</core:CityModel>\n'


def write(tmp_path, text: str, name: str = "f.gml"):
    p = tmp_path / name
    p.write_text(text)
    return p


# -- safe parsing -----------------------------------------------------------------------------------
def test_billion_laughs_refused_fast(tmp_path):
    ents = '<!ENTITY lol "lol">' + "".join(
        f'<!ENTITY lol{i} "{"&lol%s;" % ("" if i == 1 else i - 1) * 10}">' for i in range(1, 10))
    bomb = doc(building("b1", poly("p1"), "<gml:name>&lol9;</gml:name>"),
               prolog=f"<!DOCTYPE core:CityModel [{ents}]>\n")
    p = write(tmp_path, bomb)
    t = time.perf_counter()
    with pytest.raises(InputError, match="entities"):
        read(p)
    assert time.perf_counter() - t < 2


def test_xxe_local_file_not_read(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-VALUE")
    xxe = doc(building("b1", poly("p1"), "<gml:name>&xxe;</gml:name>"),
              prolog=f'<!DOCTYPE core:CityModel [<!ENTITY xxe SYSTEM "{secret.as_uri()}">]>\n')
    p = write(tmp_path, xxe)
    with pytest.raises(InputError) as e:
        read(p)
    assert "TOP-SECRET" not in str(e.value)


def test_safe_parser_options_never_expand_even_without_prescan(tmp_path):
    """Belt and braces: the lxml options alone do not expand entities or load external ones."""
    from lxml import etree

    from citytwin.io.xml_safe import parser_options

    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-VALUE")
    text = (f'<!DOCTYPE r [<!ENTITY xxe SYSTEM "{secret.as_uri()}"><!ENTITY a "aaaaaaaaaa">'
            '<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]><r><x>&xxe;</x><y>&b;</y></r>').encode()
    root = etree.fromstring(text, etree.XMLParser(**parser_options()))
    assert "TOP-SECRET" not in etree.tostring(root).decode()
    assert "aaaaaaaaaa" not in "".join(root.itertext())


# -- file-level errors --------------------------------------------------------------------------------
def test_malformed_xml_names_file_and_line(tmp_path):
    p = write(tmp_path, doc(building("b1", poly("p1"))).replace("</bldg:Building>", "", 1))
    with pytest.raises(InputError, match=r"malformed XML") as e:
        read(p)
    assert str(p) in str(e.value) and "line" in str(e.value)


def test_truncated_file(tmp_path):
    data = (DATA / "citygml" / "sig3d_Building_LOD2_v2.gml").read_bytes()
    p = tmp_path / "cut.gml"
    p.write_bytes(data[: len(data) // 2])
    with pytest.raises(InputError, match=r"(truncated|ends early|malformed)") as e:
        read(p)
    assert str(p) in str(e.value)


def test_indoorgml_is_not_citygml(tmp_path):
    p = write(tmp_path, '<?xml version="1.0"?><core:IndoorFeatures xmlns:core="http://www.opengis.net/indoorgml/1.0/core" '
                        'xmlns:gml="http://www.opengis.net/gml/3.2" gml:id="x"/>')
    with pytest.raises(InputError, match="not a CityGML file.*IndoorGML"):
        read(p)


def test_plain_gml_is_not_citygml(tmp_path):
    p = write(tmp_path, '<?xml version="1.0"?><gml:FeatureCollection xmlns:gml="http://www.opengis.net/gml">'
                        "<gml:featureMember/></gml:FeatureCollection>")
    with pytest.raises(InputError, match="not a CityGML file.*plain GML"):
        read(p)


def test_unknown_version(tmp_path):
    p = write(tmp_path, doc(building("b1", poly("p1"))).replace("citygml/2.0", "citygml/0.4"))
    with pytest.raises(InputError, match="unknown CityGML version"):
        read(p)


def test_empty_file(tmp_path):
    p = write(tmp_path, "")
    with pytest.raises(InputError, match="empty"):
        read(p)


# -- per-object problems: the rest loads ------------------------------------------------------------------
def test_wrong_srs_dimension_is_a_problem_rest_loads(tmp_path):
    p = write(tmp_path, doc(building("bad4", poly("p1", SQUARE, dim="4")),
                            building("bad3", poly("p2", SQUARE + " 7")),
                            building("good", poly("p3"))))
    m = read(p)
    assert set(m.objects) == {"bad4", "bad3", "good"}
    assert len(m.objects["good"].geometry) == 1
    assert m.objects["bad4"].geometry == [] and m.objects["bad3"].geometry == []
    msgs = {pr.object_id: pr.message for pr in m.problems}
    assert "srsDimension 4" in msgs["bad4"]
    assert "not a multiple of its srsDimension 3" in msgs["bad3"]


def test_polygon_with_too_few_points(tmp_path):
    p = write(tmp_path, doc(building("b1", poly("p1", "0 0 0 1 1 0 0 0 0") + poly("p2"))))
    m = read(p)
    g = m.objects["b1"].geometry[0]
    assert g.n_surfaces == 2
    assert any("fewer than 3 points" in pr.message and pr.object_id == "b1" for pr in m.problems)


def test_two_dimensional_coordinates_padded(tmp_path):
    p = write(tmp_path, doc(building("b1", poly("p1", "0 0 10 0 10 10 0 10 0 0", dim="2"))))
    m = read(p)
    assert m.vertices.shape == (4, 3) and (m.vertices[:, 2] == 0).all()


def test_unresolvable_xlink_reported_rest_kept(tmp_path):
    members = poly("p1") + '<gml:surfaceMember xlink:href="#nowhere"/>' + poly("p2", "0 0 5 10 0 5 10 10 5 0 0 5")
    m = read(write(tmp_path, doc(building("b1", members))))
    g = m.objects["b1"].geometry[0]
    assert g.n_surfaces == 2
    assert any("#nowhere" in pr.message for pr in m.problems)


def test_forward_and_backward_xlinks_within_a_feature(tmp_path):
    solid = ('<bldg:lod2Solid><gml:Solid><gml:exterior><gml:CompositeSurface>'
             '<gml:surfaceMember xlink:href="#w1"/><gml:surfaceMember xlink:href="#r1"/>'
             '</gml:CompositeSurface></gml:exterior></gml:Solid></bldg:lod2Solid>')

    def thematic(kind, pid, pos):
        return (f'<bldg:boundedBy><bldg:{kind} gml:id="{pid}_t"><bldg:lod2MultiSurface><gml:MultiSurface>'
                f'{poly(pid, pos)}</gml:MultiSurface></bldg:lod2MultiSurface></bldg:{kind}></bldg:boundedBy>')
    body = (f'<core:cityObjectMember><bldg:Building gml:id="b1">{thematic("WallSurface", "w1", SQUARE)}{solid}'
            f'{thematic("RoofSurface", "r1", "0 0 9 10 0 9 10 10 9 0 0 9")}</bldg:Building></core:cityObjectMember>')
    m = read(write(tmp_path, doc(body)))
    geoms = m.objects["b1"].geometry
    assert [g.type for g in geoms] == ["Solid"]          # thematic polygons were absorbed by the solid
    assert geoms[0].surface_types() == ["WallSurface", "RoofSurface"]
    assert not m.problems.items


def test_texture_escaping_folder_refused(tmp_path):
    app = ('<app:appearance><app:Appearance><app:theme>t</app:theme><app:surfaceDataMember>'
           '<app:ParameterizedTexture><app:imageURI>../../../etc/passwd.png</app:imageURI>'
           '<app:target uri="#p1"><app:TexCoordList><app:textureCoordinates ring="#p1_r">0 0 1 0 1 1 0 1 0 0'
           '</app:textureCoordinates></app:TexCoordList></app:target></app:ParameterizedTexture>'
           '</app:surfaceDataMember></app:Appearance></app:appearance>')
    m = read(write(tmp_path, doc(building("b1", poly("p1"), app))))
    assert m.appearance.textures == []
    assert not m.objects["b1"].geometry[0].textures
    assert any("outside the file's folder" in pr.message for pr in m.problems)


def test_texture_inside_folder_accepted(tmp_path):
    (tmp_path / "img").mkdir()
    (tmp_path / "img" / "a.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    app = ('<app:appearance><app:Appearance><app:theme>t</app:theme><app:surfaceDataMember>'
           '<app:ParameterizedTexture><app:imageURI>img/a.png</app:imageURI>'
           '<app:target uri="#p1"><app:TexCoordList><app:textureCoordinates ring="#p1_r">0 0 1 0 1 1 0 1 0 0'
           '</app:textureCoordinates></app:TexCoordList></app:target></app:ParameterizedTexture>'
           '</app:surfaceDataMember></app:Appearance></app:appearance>')
    m = read(write(tmp_path, doc(building("b1", poly("p1"), app))))
    g = m.objects["b1"].geometry[0]
    assert m.appearance.textures[0]["image"] == "img/a.png"
    assert g.textures["t"].ring_texture.tolist() == [0]
    assert m.appearance.texture_vertices.tolist() == [[0, 0], [1, 0], [1, 1], [0, 1]]


# -- CLI ------------------------------------------------------------------------------------------------
def _cli(*args):
    return subprocess.run([sys.executable, "-m", "citytwin", *args], capture_output=True, text=True, timeout=120)


def test_cli_bad_file_exit_1(tmp_path):
    p = write(tmp_path, '<?xml version="1.0"?><gml:FeatureCollection xmlns:gml="http://www.opengis.net/gml"/>')
    r = _cli("convert", str(p), str(tmp_path / "o.city.json"), "--quiet")
    assert r.returncode == 1, r.stderr
    assert r.stderr.count("error:") == 1 and "not a CityGML file" in r.stderr
    assert not (tmp_path / "o.city.json").exists()


def test_cli_info_and_convert_to_citygml3(tmp_path):
    src = DATA / "citygml" / "sig3d_Building_LOD2_v2.gml"
    r = _cli("info", str(src))
    assert r.returncode == 0 and "CityGML 2.0" in r.stdout and "EPSG:25832+5783" in r.stdout
    out = tmp_path / "o.gml"
    r = _cli("convert", str(src), str(out), "--citygml-version", "3.0", "--quiet")
    assert r.returncode == 0, r.stderr
    assert b"http://www.opengis.net/citygml/3.0" in out.read_bytes()[:3000]


def test_implicit_geometry_template_reused(tmp_path):
    """ImplicitGeometry: a template (relativeGMLGeometry), a transformation matrix, a reference point;
    the second instance reuses the template by xlink."""
    ns = NS2 + ' xmlns:frn="http://www.opengis.net/citygml/cityfurniture/2.0"'
    tmpl = ('<gml:MultiSurface gml:id="tpl">' + poly("tp1", "0 0 0 1 0 0 1 1 0 0 1 0 0 0 0") + "</gml:MultiSurface>")

    def furniture(fid, geom, x):
        return (f'<core:cityObjectMember><frn:CityFurniture gml:id="{fid}"><frn:lod2ImplicitRepresentation>'
                "<core:ImplicitGeometry><core:transformationMatrix>2 0 0 0 0 2 0 0 0 0 1 0 0 0 0 1"
                f"</core:transformationMatrix><core:relativeGMLGeometry{geom}</core:relativeGMLGeometry>"
                f"<core:referencePoint><gml:Point><gml:pos>{x} 5 1</gml:pos></gml:Point></core:referencePoint>"
                "</core:ImplicitGeometry></frn:lod2ImplicitRepresentation></frn:CityFurniture></core:cityObjectMember>")
    text = (f'<?xml version="1.0"?><core:CityModel {ns}>' + furniture("f1", f">{tmpl}", 100)
            + furniture("f2", ' xlink:href="#tpl">', 200) + "</core:CityModel>")
    m = read(write(tmp_path, text))
    assert len(m.templates) == 1 and m.template_vertices.shape == (4, 3)
    g1, g2 = m.objects["f1"].geometry[0], m.objects["f2"].geometry[0]
    assert g1.type == g2.type == "GeometryInstance" and g1.template == g2.template == 0
    assert m.vertices[g2.reference_point].tolist() == [200, 5, 1]
    pts = m.instance_vertices(g2)
    assert pts[:, 0].min() == 200 and pts[:, 0].max() == 202      # scaled by 2, placed at the point
    assert not m.problems.items
    # and written back (template once, then by xlink), valid, same model
    from citytwin.io.citygml.schema import validate_file
    from citytwin.semantics.compare import diff_models

    for version in ("2.0", "3.0"):
        out = tmp_path / f"o{version}.gml"
        from citytwin.io.registry import write as write_model

        write_model(m, out, citygml_version=version)
        assert validate_file(out) == [], version
        assert diff_models(m, read(out), check_metadata=False) == []


def test_truncated_inside_root_tag(tmp_path):
    data = (DATA / "citygml" / "sig3d_Building_LOD2_v3.gml").read_bytes()
    p = tmp_path / "cut.gml"
    p.write_bytes(data[:300])
    with pytest.raises(InputError, match="ends early"):
        read(p)


def test_forward_xlink_to_a_later_feature_across_batches(tmp_path, monkeypatch):
    """A reference to a polygon of a later feature is resolved even when batches are tiny."""
    import citytwin.io.citygml.document as cr

    monkeypatch.setattr(cr, "_FLUSH_RINGS", 1)
    first = building("b1", '<gml:surfaceMember xlink:href="#later"/>' + poly("p1"))
    filler = "".join(building(f"f{i}", poly(f"q{i}")) for i in range(3))
    last = building("b2", poly("later", "0 0 3 1 0 3 1 1 3 0 0 3"))
    m = read(write(tmp_path, doc(first, filler, last)))
    assert m.objects["b1"].geometry[0].n_surfaces == 2
    assert not m.problems.items
    # and a reference to nothing at all is still reported, after waiting at most 8 batches
    m = read(write(tmp_path, doc(building("b1", '<gml:surfaceMember xlink:href="#nothing"/>' + poly("p1")),
                                 filler), "g.gml"))
    assert any("#nothing" in p.message for p in m.problems)


def test_backward_xlink_into_an_already_flushed_batch(tmp_path, monkeypatch):
    """A reference to a polygon (and to a whole surface) of a feature read several batches earlier is
    resolved with its coordinates and semantics, not reported."""
    import citytwin.io.citygml.document as cr

    monkeypatch.setattr(cr, "_FLUSH_RINGS", 1)
    wall = ('<bldg:boundedBy><bldg:WallSurface gml:id="w_t"><bldg:lod2MultiSurface><gml:MultiSurface gml:id="wms">'
            f'{poly("early", "0 0 3 1 0 3 1 1 3 0 0 3")}</gml:MultiSurface></bldg:lod2MultiSurface>'
            '</bldg:WallSurface></bldg:boundedBy>')
    first = f'<core:cityObjectMember><bldg:Building gml:id="b1">{wall}</bldg:Building></core:cityObjectMember>'
    filler = "".join(building(f"f{i}", poly(f"q{i}")) for i in range(20))
    solid = ('<bldg:lod2Solid><gml:Solid><gml:exterior><gml:CompositeSurface>'
             '<gml:surfaceMember xlink:href="#early"/><gml:surfaceMember xlink:href="#wms"/>'
             f'{poly("own", "0 0 9 1 0 9 1 1 9 0 0 9")}</gml:CompositeSurface></gml:exterior></gml:Solid></bldg:lod2Solid>')
    last = f'<core:cityObjectMember><bldg:Building gml:id="b2">{solid}</bldg:Building></core:cityObjectMember>'
    m = read(write(tmp_path, doc(first, filler, last)))
    assert not [p.message for p in m.problems if "xlink" in p.message]
    g = m.objects["b2"].geometry[0]
    assert g.type == "Solid" and g.n_surfaces == 3
    z = [m.vertices[g.ring(k)][:, 2].tolist() for k in range(3)]
    assert z == [[3.0] * 3, [3.0] * 3, [9.0] * 3]
    assert g.surface_types() == ["WallSurface", "WallSurface", ""]


def _georef_app(extra: str) -> str:
    return ('<app:appearance><app:Appearance><app:theme>ortho</app:theme><app:surfaceDataMember>'
            f'<app:GeoreferencedTexture><app:imageURI>ortho.png</app:imageURI>{extra}'
            '<app:target>#p1</app:target></app:GeoreferencedTexture>'
            '</app:surfaceDataMember></app:Appearance></app:appearance>')


@pytest.mark.parametrize("how", ["reference_point", "world_file"])
def test_georeferenced_texture_applied_with_computed_coordinates(tmp_path, how):
    """A 20 x 10 pixel image, 0.5 m pixels, upper-left pixel centre at (0.25, 9.75): the square
    0..10 maps to u = x / 10 (the image is 10 m wide), v = y / 5 - 1 (it is 5 m high, from y = 5)."""
    from PIL import Image

    Image.new("RGB", (20, 10)).save(tmp_path / "ortho.png")
    if how == "world_file":
        (tmp_path / "ortho.pgw").write_text("0.5\n0\n0\n-0.5\n0.25\n9.75\n")
        extra = ""
    else:
        extra = ('<app:referencePoint><gml:Point><gml:pos>0.25 9.75</gml:pos></gml:Point></app:referencePoint>'
                 '<app:orientation>0.5 0 0 -0.5</app:orientation>')
    m = read(write(tmp_path, doc(building("b1", poly("p1"), _georef_app(extra)))))
    assert not m.problems.items
    g = m.objects["b1"].geometry[0]
    assert m.appearance.textures[0]["image"] == "ortho.png"
    assert g.textures["ortho"].ring_texture.tolist() == [0]
    uv = m.appearance.texture_vertices[g.textures["ortho"].uv]
    xy = m.vertices[g.indices][:, :2]
    assert np.allclose(uv[:, 0], xy[:, 0] / 10) and np.allclose(uv[:, 1], xy[:, 1] / 5 - 1)


def test_georeferenced_texture_without_georeference_reported(tmp_path):
    from PIL import Image

    Image.new("RGB", (4, 4)).save(tmp_path / "ortho.png")
    m = read(write(tmp_path, doc(building("b1", poly("p1"), _georef_app("")))))
    assert not m.objects["b1"].geometry[0].textures
    assert any("neither referencePoint" in p.message for p in m.problems)
