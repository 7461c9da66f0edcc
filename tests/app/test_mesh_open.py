"""Mesh open options (issue 14 item 4): checked without Qt, passed to the mesh reader."""

from __future__ import annotations

import numpy as np
import pytest

from citytwin.app.commands.load import LoadParams, load_model
from citytwin.app.mesh_open import MeshOpenOptions, is_mesh_file
from citytwin.errors import UsageError
from tests.conftest import DATA

FUZE = DATA / "mesh" / "fuze.obj"


def test_up_axis_crs_and_offset_reach_the_reader():
    plain = load_model(LoadParams(FUZE))
    opts = MeshOpenOptions(up="y", crs="EPSG:28992", offset=(155000.0, 463000.0, 2.0))
    placed = load_model(LoadParams(FUZE, options=tuple(opts.reader_options().items())))
    a, b = plain.vertices, placed.vertices
    # Y-up -> Z-up: (x, y, z) -> (x, -z, y), then the offset
    assert np.allclose(b, np.c_[a[:, 0], -a[:, 2], a[:, 1]] + [155000.0, 463000.0, 2.0])
    assert placed.crs.to_string() == "EPSG:28992"
    assert placed.source["mesh_up_axis"] == "y"


@pytest.mark.parametrize("opts, words", [
    (MeshOpenOptions(crs="nonsense"), ["CRS", "'nonsense'", "fuze.obj"]),
    (MeshOpenOptions(offset=(float("nan"), 0.0, 0.0)), ["Offset E, N, H", "fuze.obj"]),
    (MeshOpenOptions(up="x"), ["Up axis", "fuze.obj"]),
])
def test_bad_values_name_the_field_and_the_file(opts, words):
    with pytest.raises(UsageError) as err:
        opts.check([FUZE])
    msg = str(err.value)
    assert all(w in msg for w in words) and "--" not in msg


def test_mesh_files_by_suffix():
    assert is_mesh_file("a/scan.OBJ") and is_mesh_file("b.glb") and not is_mesh_file("c.city.json")
