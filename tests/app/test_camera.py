"""Camera tools without Qt (issue 14 item 12): scale bar, north arrow, projection switch and
bookmarks, on an off-screen VTK renderer. Oracles: VTK's own world-to-display projection and
closed forms (a top view has north straight up)."""

from __future__ import annotations

import numpy as np
import pytest

from citytwin.app.render.camera import Bookmarks, CameraState, get_camera, metres_per_pixel, set_camera, set_parallel
from citytwin.app.render.map_overlays import format_length, north_on_screen, round_length, scale_bar


@pytest.fixture()
def plotter():
    import pyvista as pv

    p = pv.Plotter(off_screen=True, window_size=(600, 400))
    p.add_mesh(pv.Box(bounds=(0, 100, 0, 60, 0, 20)))
    p.view_xy(render=False)
    p.reset_camera(render=False)
    yield p
    p.close()


def _display(r, pt):
    r.SetWorldPoint(*pt, 1.0)
    r.WorldToDisplay()
    return np.asarray(r.GetDisplayPoint()[:2])


def test_round_lengths_and_labels():
    assert [round_length(x) for x in (0.7, 1.0, 3.3, 7.9, 12.0, 480.0)] == [0.5, 1.0, 2.0, 5.0, 10.0, 200.0]
    assert [format_length(x) for x in (0.05, 2.0, 500.0, 2000.0)] == ["5 cm", "2 m", "500 m", "2 km"]
    m, px = scale_bar(0.5)
    assert m == 50.0 and px == 100.0


@pytest.mark.parametrize("parallel", [False, True])
def test_metres_per_pixel_matches_vtk_projection_at_the_focal_point(plotter, parallel):
    r = plotter.renderer
    set_parallel(r, parallel)
    plotter.render()
    cam = r.GetActiveCamera()
    f = np.asarray(cam.GetFocalPoint())
    right = np.cross(cam.GetDirectionOfProjection(), cam.GetViewUp())
    a, b = _display(r, f), _display(r, f + 10.0 * right / np.linalg.norm(right))
    assert metres_per_pixel(r) == pytest.approx(10.0 / np.linalg.norm(b - a), rel=1e-3)


def test_projection_switch_keeps_the_scale(plotter):
    r = plotter.renderer
    before = metres_per_pixel(r)
    set_parallel(r, True)
    assert r.GetActiveCamera().GetParallelProjection() and metres_per_pixel(r) == pytest.approx(before)
    set_parallel(r, False)
    assert metres_per_pixel(r) == pytest.approx(before)


def test_north_arrow_direction(plotter):
    r = plotter.renderer
    plotter.render()
    dx, dy, share = north_on_screen(r)
    assert (dx, dy) == pytest.approx((0.0, 1.0), abs=1e-6) and share == pytest.approx(1.0, abs=1e-3)
    r.GetActiveCamera().Roll(90)  # turn the view: north now points sideways on screen
    dx, dy, _ = north_on_screen(r)
    assert abs(dx) == pytest.approx(1.0, abs=1e-6) and dy == pytest.approx(0.0, abs=1e-6)
    plotter.view_xz(render=False)  # front view looks north: north is into the screen
    assert north_on_screen(r)[2] < 0.05


def test_bookmarks_survive_another_origin_and_refuse_another_crs(plotter):
    r = plotter.renderer
    state = get_camera(r)
    marks = Bookmarks()
    marks.add("a", state, origin=np.array([85000.0, 446000.0, 0.0]), crs="EPSG:7415")
    back = Bookmarks.from_json(marks.to_json())
    # the same place seen with layers shifted to another local origin
    other = back.camera_for("a", origin=np.array([85100.0, 446050.0, 0.0]), crs="EPSG:7415")
    assert np.allclose(np.asarray(other.position) + [100.0, 50.0, 0.0], state.position)
    set_camera(r, other)
    assert get_camera(r).focal_point == pytest.approx(other.focal_point)
    with pytest.raises(ValueError, match="'a' was set in EPSG:7415"):
        back.camera_for("a", origin=None, crs="EPSG:32631")
    assert CameraState.from_dict(state.to_dict()) == state
