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
    assert set(textured_entries) < set(semantic_entries)  # the textured surfaces' types are not listed
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
