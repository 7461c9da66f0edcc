"""The window never waits (issue 13 item 1): a solar study on a real tile runs in a worker process
and the GUI thread's event loop keeps turning, measured with a QTimer probe in the real window.

Before, the study ran in a worker thread; Open3D's ray casting holds Python's interpreter lock for
each call, so the GUI thread could not run for up to seconds at a time.
"""

from __future__ import annotations

import time

import numpy as np
import pytest
from PySide6.QtCore import QTimer

from tests.conftest import shared_path
from tests.gui.conftest import open_and_wait

pytestmark = pytest.mark.gui

DELFT = ("cityjson", "delft_v2.0.city.json")  # 570 buildings, LoD1, EPSG:7415

#: The longest event-loop stall allowed while the study computes (seconds). On this 2-core
#: machine shared by several test runs (load average 10-15), the GUI thread waits for a core
#: behind the study's process and others': the OS time slice and Python's 5 ms switch interval
#: give stalls of tens of ms, a loaded scheduler a few hundred. A study in a worker thread stalled
#: for 0.8-1.8 s per Open3D call (each holds the interpreter lock).
MAX_STALL_S = 0.5


class StallProbe:
    """A 10 ms QTimer on the GUI thread; records the gaps between its ticks (an event-loop stall
    is a gap much longer than 10 ms)."""

    def __init__(self, interval_ms: int = 10) -> None:
        self.interval = interval_ms / 1000.0
        self.ticks: list[float] = []
        self.timer = QTimer()
        self.timer.setInterval(interval_ms)
        self.timer.timeout.connect(lambda: self.ticks.append(time.perf_counter()))

    def start(self) -> None:
        self.ticks = [time.perf_counter()]
        self.timer.start()

    def stop(self) -> np.ndarray:
        self.timer.stop()
        self.ticks.append(time.perf_counter())
        return np.diff(np.asarray(self.ticks))


def test_solar_study_never_stalls_the_window(qtbot, window, monkeypatch) -> None:
    import os

    from citytwin.app.commands.solar import SolarOptions
    from citytwin.app.qt import analysis
    from citytwin.app.qt.analysis import SOLAR_NAME, start_solar

    assert analysis.STUDIES_IN_PROCESS
    layer = open_and_wait(qtbot, window, shared_path(*DELFT), timeout=120000)
    qtbot.wait(300)
    marks: dict[str, float] = {}
    apply = analysis.apply_solar

    def timed_apply(*args):
        marks["apply"] = time.perf_counter()
        apply(*args)
        marks["applied"] = time.perf_counter()

    monkeypatch.setattr(analysis, "apply_solar", timed_apply)
    probe = StallProbe()
    probe.start()
    t0 = time.perf_counter()
    with qtbot.waitSignal(window.job_finished, timeout=600000) as blocker:
        start_solar(window, layer.key, SolarOptions(resolution=3.0, surfaces=("roof", "wall")))
        marks["started"] = time.perf_counter()
    probe.stop()
    assert blocker.args[1] == "ok", window.log_panel.toPlainText()[-2000:]
    ov = window.layers[layer.key].analyses[SOLAR_NAME]
    assert np.isfinite(ov.triangle_values).sum() > 0
    ticks = np.asarray(probe.ticks)
    # the compute phase: from the first tick after the start until the result is applied
    during = ticks[(ticks > marks["started"]) & (ticks <= marks["apply"])]
    gaps = np.diff(during)
    print(f"\nsolar on {DELFT[-1]} in a worker process: {marks['applied'] - t0:.1f} s, "
          f"{len(ov.result.points)} points; starting it: {(marks['started'] - t0) * 1000:.0f} ms; "
          f"event-loop gaps while computing: max {gaps.max() * 1000:.0f} ms, p99 "
          f"{np.percentile(gaps, 99) * 1000:.0f} ms, {int((gaps > 0.25).sum())} over 250 ms of {len(gaps)}; "
          f"applying the result: {(marks['applied'] - marks['apply']) * 1000:.0f} ms; load average {os.getloadavg()}")
    assert len(gaps) > 100  # the loop turned all along
    assert gaps.max() < MAX_STALL_S, (gaps.max(), np.sort(gaps)[-5:])


def test_shadow_slider_step_recolours_in_place(qtbot, window) -> None:
    """Each step of the shadow time slider writes the layer's colour arrays in place (the actors
    and their VTK arrays stay) and costs one render; its time on the GUI thread is printed."""
    import os

    from citytwin.app.commands.shadow import ShadowOptions
    from citytwin.app.qt.analysis import start_shadow

    layer = open_and_wait(qtbot, window, shared_path(*DELFT), timeout=120000)
    opts = ShadowOptions(date="2024-06-21", start="08:00", end="18:00", step_minutes=60, resolution=4.0,
                         surfaces=("roof",), grid_cell=0.0)
    with qtbot.waitSignal(window.job_finished, timeout=600000) as blocker:
        start_shadow(window, layer.key, opts)
    assert blocker.args[1] == "ok", window.log_panel.toPlainText()[-2000:]
    slider = window.shadow_slider
    vp = window.viewport
    slider.slider.setValue(1)  # the first step leaves the sun-hours colouring: actors rebuilt once
    qtbot.wait(300)
    view = vp.layers[layer.key]
    actors = dict(view.actors)
    arrays = {g.name: g.mesh.GetCellData().GetArray("values") for g in view.scene.groups}
    times = []
    for i in range(2, slider.slider.maximum() + 1):
        before = vp.render_count
        t0 = time.perf_counter()
        slider.slider.setValue(i)
        vp.render_now()  # the paint event's render, timed here
        times.append(time.perf_counter() - t0)
        qtbot.wait(100)
        assert vp.render_count - before == 1, i
        assert vp.layers[layer.key].actors == actors  # same actors ...
        assert all(g.mesh.GetCellData().GetArray("values") is arrays[g.name] for g in view.scene.groups)
        expect = slider.step_values(i)
        for g in view.scene.groups:  # ... showing this step's values
            assert np.allclose(g.mesh.cell_data["values"], expect[g.tri_index].astype(np.float32), equal_nan=True)
    print(f"\nshadow slider on {DELFT[-1]} ({layer.tri.n_triangles} triangles): step + render "
          f"median {np.median(times) * 1000:.0f} ms, max {max(times) * 1000:.0f} ms; load average {os.getloadavg()}")
