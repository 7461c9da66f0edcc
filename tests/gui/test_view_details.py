"""Details a person sees: the legend over textures lists only untextured surfaces, the monthly chart follows the study shown,
the shadow slider shows its time from the start."""

from __future__ import annotations

import pytest

from tests.gui.conftest import DATA, SAMPLE, open_and_wait

pytestmark = pytest.mark.gui


def test_texture_mode_legend_explains_only_untextured_surfaces(qtbot, window) -> None:
    layer = open_and_wait(qtbot, window, DATA / "cityjson" / "rotterdam_textured" / "rotterdam_subset_v2.0.city.json")
    actors = window.viewport.plotter.actors
    view = window.viewport.layers[layer.key]
    assert layer.color_by == "texture"
    textured_entries = [e[0] for e in view.coloring.legend]
    assert ("legend" in actors) == bool(textured_entries)
    window.set_color_by("semantic", layer.key)
    assert "legend" in actors
    semantic_entries = [e[0] for e in window.viewport.layers[layer.key].coloring.legend]
    # the legend lists the types of the surfaces drawn in colours: those without a texture and
    # those whose image is missing (73 of the 74 here), not those drawn with their image
    import numpy as np

    from citytwin.semantics.surfaces import semantic_name

    plain = np.concatenate([g.tri_index for g in view.scene.groups if not g.texture_path])
    assert set(textured_entries) == {semantic_name(c) for c in np.unique(layer.tri.semantic_type[plain])}
    assert set(textured_entries) <= set(semantic_entries)
    window.set_color_by("texture", layer.key)
    assert ("legend" in actors) == bool(textured_entries)


def test_monthly_chart_follows_study_and_shadow_slider_shows_time(qtbot, window) -> None:
    from citytwin.app.commands.shadow import ShadowOptions
    from citytwin.app.commands.solar import SolarOptions
    from citytwin.app.qt.analysis import SHADOW_NAME, SOLAR_NAME, start_shadow, start_solar

    layer = open_and_wait(qtbot, window, SAMPLE)
    with qtbot.waitSignal(window.job_finished, timeout=120000):
        start_solar(window, layer.key, SolarOptions(resolution=3.0, surfaces=("roof",)))
    b = "NL.IMBAG.Pand.0503100000031927"
    window.select_object(layer.key, b)
    chart = window.attributes_panel.chart
    assert chart.isVisible() and chart.ax.get_title().startswith("Solar per month (kWh)\n")
    # the title fits in the chart (it was cut: "solar per mor")
    chart.canvas.draw()
    fig_box = chart.figure.bbox
    title_box = chart.ax.title.get_window_extent(chart.canvas.get_renderer())
    assert title_box.x0 >= fig_box.x0 - 1 and title_box.x1 <= fig_box.x1 + 1
    with qtbot.waitSignal(window.job_finished, timeout=120000):
        start_shadow(window, layer.key, ShadowOptions(date="2025-06-21", start="08:00", end="16:00",
                                                      step_minutes=240, resolution=3.0, grid_cell=0.0))
    assert layer.color_by == SHADOW_NAME
    assert not chart.isVisible()  # a shadow study has no monthly values: no solar chart under it
    # before the slider moves the layer shows the day's sun hours, and the label says so
    assert window.shadow_slider.label.text().startswith("sun hours 08:00-")
    window.set_color_by(SOLAR_NAME, layer.key)
    assert chart.isVisible() and chart.ax.get_title().startswith("Solar per month")


def test_missing_texture_images_logged_and_legend_honest(qtbot, window) -> None:
    """Issue 14 item 5: 73 of the 74 images of the Rotterdam sample are not shipped: the Log says
    so, and the texture-mode legend lists the roofs and walls drawn in colours (before: only
    the ground, as if every other surface had its texture)."""
    from tests.conftest import shared_path
    from tests.gui.conftest import open_and_wait

    layer = open_and_wait(qtbot, window, shared_path("cityjson", "rotterdam_textured", "rotterdam_subset_v2.0.city.json"))
    assert layer.color_by == "texture"
    qtbot.waitUntil(lambda: "73 of 74 texture images are missing" in window.log_panel.toPlainText(), timeout=5000)
    legend = [label for label, _ in window.viewport.layers[layer.key].coloring.legend]
    assert "RoofSurface" in legend and "WallSurface" in legend, legend


def _projected_extent(win, key, oid) -> float:
    """The larger side of an object's bounding box on screen, as a fraction of the viewport's."""
    import numpy as np

    layer = win.layers[key]
    idx = layer.family_indices(oid)
    tri = layer.tri
    pts = tri.vertices[np.unique(tri.triangles[np.isin(tri.object_index, idx)])]
    lo, hi = pts.min(axis=0), pts.max(axis=0)
    xy = np.array([win.viewport.world_to_display(np.array([x, y, z]))
                   for x in (lo[0], hi[0]) for y in (lo[1], hi[1]) for z in (lo[2], hi[2])])
    w, h = win.viewport.plotter.renderer.GetSize()
    return max(np.ptp(xy[:, 0]) / w, np.ptp(xy[:, 1]) / h)


def test_zoom_to_selection_double_click_key_and_menu(qtbot, window) -> None:
    """Issue 14 item 6: on a tile of 570 buildings one building is a speck; a double-click in the
    Objects tree (or View > Zoom to selection, Ctrl+J) frames it."""
    from PySide6.QtCore import Qt

    from tests.conftest import shared_path

    layer = open_and_wait(qtbot, window, shared_path("cityjson", "delft_v2.0.city.json"), timeout=120000)
    oid = layer.tri.object_ids[len(layer.tri.object_ids) // 2]
    assert _projected_extent(window, layer.key, oid) < 0.1  # a speck in the whole-tile view
    panel = window.objects_panel
    idx = panel.model.index_of(layer.key, oid)
    panel.view.scrollTo(idx)
    rect = panel.view.visualRect(idx)
    # a double-click as a person makes it: press/release, then the double-click event
    qtbot.mouseClick(panel.view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(panel.view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert window.selected == (layer.key, oid)
    assert _projected_extent(window, layer.key, oid) > 0.5
    # menu / shortcut: back to all, then zoom to the selection again
    window.fit_view()
    assert _projected_extent(window, layer.key, oid) < 0.1
    assert window.actions["zoom_selection"].shortcut().toString() == "Ctrl+J"
    window.actions["zoom_selection"].trigger()
    assert _projected_extent(window, layer.key, oid) > 0.5
    # nothing selected: a clear message, the view unchanged
    window._on_picked_nothing()
    window.zoom_to_selection()
    qtbot.waitUntil(lambda: "no object is selected" in window.log_panel.toPlainText(), timeout=3000)
