"""Colouring by normal direction (issue 14 item 4): roof-like / wall-like / ground-like.

Oracle: the semantic surfaces a real 3D BAG file declares (RoofSurface, WallSurface,
GroundSurface) for the same triangles.
"""

from __future__ import annotations

import numpy as np

from citytwin.app.render.orientation import color_orientation, orientation_codes
from citytwin.io.registry import read
from citytwin.semantics.surfaces import semantic_code
from tests.conftest import ROOT

SAMPLE = ROOT / "resources" / "sample" / "3dbag_b2_v2.0.city.json"


def test_orientation_agrees_with_declared_semantics():
    m = read(SAMPLE)
    tri = m.triangulate(lod="2.2")
    codes = orientation_codes(tri)
    declared = tri.semantic_type
    wanted = np.isin(declared, [semantic_code(n) for n in ("RoofSurface", "WallSurface", "GroundSurface")])
    assert wanted.sum() > 100
    area = np.linalg.norm(np.cross(*(tri.vertices[tri.triangles][:, 1:] - tri.vertices[tri.triangles][:, :1]
                                      ).transpose(1, 0, 2)), axis=1) / 2
    agree = (codes == declared) & wanted
    assert area[agree].sum() / area[wanted].sum() > 0.99


def test_orientation_legend_names_the_normal_classes():
    tri = read(SAMPLE).triangulate(lod="2.2")
    col = color_orientation(tri)
    labels = [label for label, _ in col.legend]
    assert any(label.startswith("roof-like") for label in labels)
    assert any(label.startswith("wall-like") for label in labels)
    assert "normals" in col.title and col.rgb.shape == (tri.n_triangles, 3)
