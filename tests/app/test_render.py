"""The render layer without Qt: merged meshes, colourings, value mapping, off-screen PNG."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from citytwin.app.render.coloring import (color_attribute, color_semantic, coloring_for,
                                          surface_values_to_triangles)
from citytwin.app.render.palette import SEMANTIC_COLORS
from citytwin.app.render.scene import build_scene
from citytwin.io.registry import read

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "resources" / "sample" / "3dbag_b2_v2.0.city.json"
TEXTURED = ROOT / "tests" / "data" / "cityjson" / "rotterdam_textured" / "rotterdam_subset_v2.0.city.json"


def test_scene_is_a_few_merged_meshes_covering_every_triangle() -> None:
    m = read(SAMPLE)
    tri = m.triangulate()
    scene = build_scene(tri)
    assert [g.name for g in scene.groups] == ["roofs", "walls", "ground"]
    assert scene.n_cells == tri.n_triangles
    allidx = np.sort(np.concatenate([g.tri_index for g in scene.groups]))
    assert np.array_equal(allidx, np.arange(tri.n_triangles))
    roofs = scene.group("roofs")
    assert (tri.semantic_type[roofs.tri_index] == 1).all()
    # the points are the model's vertices shifted to the local origin, float32, within millimetres
    t0 = roofs.tri_index[0]
    cell_pts = np.asarray(roofs.mesh.get_cell(0).points, dtype=np.float64) + scene.origin
    assert np.abs(cell_pts - tri.vertices[tri.triangles[t0]]).max() < 1e-3
    assert roofs.mesh.points.dtype == np.float32


def test_textured_groups_have_texture_coordinates() -> None:
    m = read(TEXTURED)
    from citytwin.app.render.scene import texture_paths

    tri = m.triangulate()
    scene = build_scene(tri, texture_paths=texture_paths(m))
    tex = [g for g in scene.groups if g.texture_path]
    assert len(tex) == 1 and tex[0].texture_path.endswith("0320_4_15.jpg")  # the one image present
    mesh = tex[0].mesh
    assert mesh.active_texture_coordinates.shape == (mesh.n_points, 2)
    assert np.allclose(mesh.active_texture_coordinates.reshape(-1, 3, 2), tri.uv[tex[0].tri_index])
    assert scene.n_cells == tri.n_triangles
    # the textured view's legend explains the colours of the surfaces drawn without texture: those
    # without one and those whose image is missing (73 of 74 here), i.e. all but the textured group's
    col = coloring_for(m, tri, "texture")
    drawn_plain = np.ones(tri.n_triangles, dtype=bool)
    drawn_plain[tex[0].tri_index] = False
    plain = np.unique(tri.semantic_type[drawn_plain])
    assert col.textured and len(col.legend) == len(plain)
    from citytwin.semantics.surfaces import semantic_name

    assert {label for label, _ in col.legend} == {semantic_name(c) for c in plain}


def test_colorings_semantic_numeric_categorical() -> None:
    m = read(SAMPLE)
    tri = m.triangulate()
    sem = color_semantic(tri)
    roof = np.nonzero(tri.semantic_type == 1)[0][0]
    assert tuple(sem.rgb[roof]) == SEMANTIC_COLORS["RoofSurface"]
    assert [e[0] for e in sem.legend] == ["RoofSurface", "GroundSurface", "WallSurface"]
    # numeric attribute on the parent Building, inherited by the BuildingPart's triangles
    num = color_attribute(m, tri, "oorspronkelijkbouwjaar")
    assert num.is_scalar and num.clim == (1936.0, 1949.0)
    part = tri.object_ids.index("NL.IMBAG.Pand.0503100000031927-0")
    assert (num.scalars[tri.object_index == part] == 1936).all()
    cat = color_attribute(m, tri, "b3_dak_type")
    assert not cat.is_scalar and cat.legend[0][0] == "slanted"
    with pytest.raises(KeyError):
        coloring_for(m, tri, "nope")


def test_surface_values_spread_to_triangles() -> None:
    m = read(SAMPLE)
    tri = m.triangulate()
    # two sample points on the first triangle's surface, one on another surface
    t0, t1 = 0, int(np.nonzero(tri.surface_index != tri.surface_index[0])[0][0])
    oi = np.array([tri.object_index[t0], tri.object_index[t0], tri.object_index[t1]])
    si = np.array([tri.surface_index[t0], tri.surface_index[t0], tri.surface_index[t1]])
    v = surface_values_to_triangles(tri, oi, si, np.array([100.0, 200.0, 7.0]))
    same = (tri.object_index == tri.object_index[t0]) & (tri.surface_index == tri.surface_index[t0])
    assert np.allclose(v[same], 150.0) and v[t1] == 7.0
    assert np.isnan(v[~same & ~((tri.object_index == oi[2]) & (tri.surface_index == si[2]))]).all()


def test_offscreen_png_roofs_red(tmp_path) -> None:
    from PIL import Image

    from citytwin.app.render.snapshot import render_model_png

    out = render_model_png(read(SAMPLE), tmp_path / "s.png", size=(600, 400), view="top", legend=False)
    img = np.asarray(Image.open(out).convert("RGB")).astype(int)
    red = (img[..., 0] > 140) & (img[..., 1] < 80) & (img[..., 2] < 80)
    assert red.mean() > 0.05  # seen from the top, the roofs are red


def test_pick_roof_through_embree_ray() -> None:
    import pyvista as pv

    from citytwin.app.render.picking import Picker, build_pick_scene
    from citytwin.app.render.scene import add_scene

    m = read(SAMPLE)
    tri = m.triangulate()
    scene = build_scene(tri)
    p = pv.Plotter(off_screen=True, window_size=[500, 400])
    try:
        add_scene(p, scene, color_semantic(tri))
        p.view_xy()
        p.render()
        picker = Picker()
        picker.register("L", build_pick_scene(tri, scene.origin))
        roofs = np.nonzero(tri.semantic_type == 1)[0]
        t = int(roofs[np.argmax(tri.areas[roofs])])
        c = tri.vertices[tri.triangles[t]].mean(axis=0) - scene.origin
        r = p.renderer
        r.SetWorldPoint(*c.tolist(), 1.0)
        r.WorldToDisplay()
        x, y, _ = r.GetDisplayPoint()
        hit = picker.pick(r, x, y)
        assert hit is not None and hit.key == "L"
        # seen from straight above, the ray hits the same roof surface of the same object
        assert tri.object_index[hit.triangle] == tri.object_index[t]
        assert tri.semantic_type[hit.triangle] == 1
        assert np.abs(hit.point[:2] - c[:2]).max() < 0.5
        assert picker.pick(r, 2, 2) is None  # background
        assert picker.pick(r, x, y, visible=set()) is None  # hidden layers are not picked
    finally:
        p.close()


def test_legend_is_compact_in_the_upper_left_corner(tmp_path) -> None:
    """The categorical legend is a small box of pixel-sized rows in the upper left corner, with
    dark text on white and one swatch per class (its size is in pixels, not a share of the view)."""
    from PIL import Image

    from citytwin.app.render.scene import LEGEND_ROW_PX
    from citytwin.app.render.snapshot import render_model_png

    for size in ((1000, 650),):
        with_legend = render_model_png(read(SAMPLE), tmp_path / f"l{size[0]}.png", size=size, view="iso")
        without = render_model_png(read(SAMPLE), tmp_path / f"n{size[0]}.png", size=size, view="iso", legend=False)
        a = np.asarray(Image.open(with_legend).convert("RGB")).astype(int)
        b = np.asarray(Image.open(without).convert("RGB")).astype(int)
        ys, xs = np.nonzero(np.abs(a - b).sum(axis=2) > 30)
        assert len(ys), "no legend drawn"
        # a title and 3 classes (roof, wall, ground): 4 rows of LEGEND_ROW_PX plus padding, in the corner
        assert ys.max() < 4 * LEGEND_ROW_PX + 30 and xs.max() < 200
        assert ys.min() < 20 and xs.min() < 20
        box = a[ys.min():ys.max() + 1, xs.min():xs.max() + 1]
        dark = (box.sum(axis=2) < 360).mean()  # the text (mid grey or darker on the white box)
        red = ((box[..., 0] > 150) & (box[..., 1] < 80)).sum()  # the roof swatch
        assert 0.02 < dark < 0.5 and red >= 9


def test_scalar_bar_labels_are_round_numbers() -> None:
    import pyvista as pv

    from citytwin.app.render.coloring import color_values
    from citytwin.app.render.scene import add_scene, nice_ticks

    assert nice_ticks(0.0, 11.67).tolist() == [0.0, 2.5, 5.0, 7.5, 10.0]
    assert nice_ticks(0.0, 1741.0).tolist() == [0.0, 500.0, 1000.0, 1500.0]
    assert nice_ticks(0.2, 0.9).tolist() == [0.2, 0.4, 0.6, 0.8]
    tri = read(SAMPLE).triangulate()
    p = pv.Plotter(off_screen=True)
    try:
        add_scene(p, build_scene(tri), color_values(np.linspace(0, 11.67, tri.n_triangles), "sun hours",
                                                    clim=(0.0, 11.67)))
        bar = p.scalar_bars["sun hours"]
        labels = bar.GetCustomLabels()
        assert bar.GetUseCustomLabels() and [labels.GetValue(i) for i in range(labels.GetNumberOfTuples())] == \
            [0.0, 2.5, 5.0, 7.5, 10.0]
    finally:
        p.close()


def test_recolor_in_place_keeps_actors_and_changes_pixels() -> None:
    """A new set of values under the same title and colour map (a shadow-slider step, a study run
    again) rewrites the meshes' arrays: same actors, same VTK arrays, new colours on screen."""
    import pyvista as pv

    from citytwin.app.render.coloring import color_values
    from citytwin.app.render.scene import add_scene, recolor_in_place
    from citytwin.app.render.snapshot import set_view, style_plotter

    tri = read(SAMPLE).triangulate()
    scene = build_scene(tri)
    pl = pv.Plotter(off_screen=True, window_size=(400, 300))
    style_plotter(pl)
    low = color_values(np.zeros(tri.n_triangles), "lit", cmap="cividis", clim=(0.0, 1.0))
    actors = add_scene(pl, scene, low)
    set_view(pl, "top")
    before = pl.screenshot(None, return_img=True).astype(int)
    arrays = {g.name: g.mesh.GetCellData().GetArray("values") for g in scene.groups}
    high = color_values(np.ones(tri.n_triangles), "lit", cmap="cividis", clim=(0.0, 1.0))
    assert recolor_in_place(pl, scene, actors, low, high)
    assert all(g.mesh.GetCellData().GetArray("values") is arrays[g.name] for g in scene.groups)
    assert all(np.all(g.mesh.cell_data["values"] == 1.0) for g in scene.groups)
    pl.render()
    after = pl.screenshot(None, return_img=True).astype(int)
    assert np.abs(after - before).sum(axis=2).max() > 100  # dark blue -> yellow where the roofs are
    # another study (other title) or colours instead of values: not in place
    assert not recolor_in_place(pl, scene, actors, high, color_values(np.ones(tri.n_triangles), "svf"))
    assert not recolor_in_place(pl, scene, actors, high, color_semantic(tri))
    pl.close()
