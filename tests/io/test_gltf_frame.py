"""glTF export of a real multi-LoD CityJSON file: the LoDs left out are said, and a citytwin-written
.glb read back lands where the source was (origin and CRS from ``asset.extras.citytwin``)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from scipy.spatial import cKDTree

from citytwin.app.cli import main
from citytwin.io.registry import read

JAPANESE = Path(__file__).resolve().parents[1] / "data" / "cityjson" / "cjval_japanese_v2.0.city.json"


def test_glb_export_names_the_lods_left_out(tmp_path, capsys):
    out = tmp_path / "j.glb"
    assert main(["convert", str(JAPANESE), str(out)]) == 0
    err = capsys.readouterr().err
    # the file: 2 Buildings with LoD 0 MultiSurface + LoD 1 and LoD 2 Solids
    assert "warning: glTF holds one LoD per object (its highest): left out LoD 0 (2 objects), " \
           "LoD 1 (2 objects)" in err


def test_glb_export_of_one_lod_says_nothing(tmp_path, capsys):
    assert main(["convert", str(JAPANESE), str(tmp_path / "j.glb"), "--lod", "2"]) == 0
    assert "left out LoD" not in capsys.readouterr().err


def test_glb_round_trip_lands_on_the_source(tmp_path):
    out = tmp_path / "j.glb"
    assert main(["convert", str(JAPANESE), str(out)]) == 0
    src = read(JAPANESE)
    back = read(out)
    assert back.crs is not None and back.crs.to_string() == src.crs.to_string()
    tri = src.triangulate()
    used = tri.vertices[np.unique(tri.triangles)]
    d, _ = cKDTree(used).query(back.vertices)
    assert len(back.vertices) > 100
    assert d.max() < 1e-3  # metres, in the source CRS (EPSG:6677, coordinates ~ -37 km, -8 km)
    d2, _ = cKDTree(back.vertices).query(used)
    assert d2.max() < 1e-3
