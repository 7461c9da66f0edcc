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


@pytest.mark.parametrize("up, expect", [("-z", lambda a: np.c_[a[:, 0], -a[:, 1], -a[:, 2]]),
                                        ("-y", lambda a: np.c_[a[:, 0], a[:, 2], -a[:, 1]])])
def test_upside_down_scans_are_turned_upright(up, expect):
    """A scan with its up along -Z (upside down) or -Y (a camera frame) is turned about x."""
    plain = load_model(LoadParams(FUZE)).vertices
    # the fuze bottle written upside down (z -> -z, y -> -y) opens upright again with up "-z"
    turned = load_model(LoadParams(FUZE, options=(("up", up),))).vertices
    assert np.allclose(turned, expect(plain))
    assert load_model(LoadParams(FUZE, options=(("up", up),))).source["mesh_up_axis"] == up


def test_upside_down_file_opens_upright_with_minus_z(tmp_path):
    """A real textured OBJ scan flipped upside down (its vertices' y and z negated) stands again."""
    text = FUZE.read_text()
    lines = []
    for line in text.splitlines():
        if line.startswith("v "):
            x, y, z = map(float, line.split()[1:4])
            line = f"v {x} {-y} {-z}"
        lines.append(line)
    flipped = tmp_path / "fuze.obj"
    flipped.write_text("\n".join(lines) + "\n")
    for name in ("fuze.obj.mtl", "fuze uv.jpg"):
        (tmp_path / name).write_bytes((FUZE.parent / name).read_bytes())
    down = load_model(LoadParams(flipped)).vertices
    up = load_model(LoadParams(flipped, options=(("up", "-z"),))).vertices
    orig = load_model(LoadParams(FUZE)).vertices
    assert down[:, 2].max() < 0.0  # opened as is: hanging below the ground
    assert np.allclose(up, orig, atol=1e-6)
