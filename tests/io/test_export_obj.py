"""OBJ + MTL export: objects as `o` groups, semantic surfaces and textures as materials; read back
by citytwin's mesh reader within 1 mm."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.spatial import cKDTree

from citytwin.app.commands.convert import ConvertParams, run_convert
from citytwin.io.meshfiles.reader import read_mesh
from citytwin.io.registry import read
from tests.conftest import ROOT, shared_path

SAMPLE = ROOT / "resources" / "sample" / "3dbag_b2_v2.0.city.json"
TOWN = "citygml/v2.0/citygml4j_lod3_testtown_textured/lod3_building_v2.gml"


def _origin(path):
    line = next(ln for ln in path.read_text().splitlines() if ln.startswith("# origin"))
    return tuple(float(x) for x in line.split()[2:])


def _check_round_trip(src, out):
    m = read(src)
    tri = m.triangulate()
    run_convert(ConvertParams(input=src, output=out))
    back = read_mesh(out, offset=_origin(out))
    bt = back.triangulate()
    with_tri = {tri.object_ids[i] for i in np.unique(tri.object_index)}
    assert set(back.objects) == with_tri  # one `o` group per object with surfaces, named by its id
    assert 0 <= tri.n_triangles - bt.n_triangles <= int(np.count_nonzero(tri.areas < 1e-6))
    assert bt.areas.sum() == pytest.approx(tri.areas.sum(), rel=1e-5)
    a = bt.vertices[np.unique(bt.triangles)]
    c = tri.vertices[np.unique(tri.triangles)]
    assert cKDTree(c).query(a)[0].max() < 1e-3 and cKDTree(a).query(c)[0].max() < 1e-3
    return m, back


def test_obj_round_trip_keeps_objects_triangles_and_geometry(tmp_path):
    _check_round_trip(SAMPLE, tmp_path / "s.obj")
    mtl = (tmp_path / "s.mtl").read_text()
    for sem in ("RoofSurface", "WallSurface", "GroundSurface"):
        assert f"newmtl {sem}" in mtl
    roof = mtl.split("newmtl RoofSurface")[1].split("\n")[2]
    assert roof.startswith("Kd 0.78")  # red: 200/255
    obj = (tmp_path / "s.obj").read_text()
    assert "mtllib s.mtl" in obj and "usemtl RoofSurface" in obj


def test_obj_carries_textures_as_materials_with_their_images(tmp_path):
    m, back = _check_round_trip(shared_path(TOWN), tmp_path / "town.obj")
    used = {int(t) for t in np.unique(m.triangulate().texture_index) if t >= 0}
    mtl = (tmp_path / "town.mtl").read_text()
    maps = [ln.split(None, 1)[1] for ln in mtl.splitlines() if ln.startswith("map_Kd")]
    assert len(maps) == len(used)
    assert all((tmp_path / p).is_file() for p in maps)  # images copied beside the OBJ
    assert len(back.appearance.textures) == len(used)
    tt, bt = m.triangulate(), back.triangulate()
    assert bt.areas[bt.texture_index >= 0].sum() == pytest.approx(tt.areas[tt.texture_index >= 0].sum(), rel=1e-4)
