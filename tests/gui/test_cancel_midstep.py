"""Cancel in the middle of a long step (triangulating a LoD, cutting and labelling a mesh during a
fusion): the worker stops at the next block, not at the end of the step; the progress bar moves
inside the step; the layer stays as it was and the window stays usable.

The worker is paused inside the step (at the second block / chunk) until the test has pressed
Cancel, so the test does not depend on how fast this machine is.
"""

from __future__ import annotations

import threading
import time

import numpy as np
import pytest

from tests.gui.conftest import DATA, open_and_wait

pytestmark = pytest.mark.gui


class _PauseAt:
    """Wrap a per-block function: the first call is slowed (so its progress report is emitted),
    the second waits until ``release`` is set (the test presses Cancel meanwhile)."""

    def __init__(self, fn) -> None:
        self.fn = fn
        self.calls = 0
        self.paused = threading.Event()
        self.release = threading.Event()

    def __call__(self, *args, **kwargs):
        self.calls += 1
        if self.calls == 1:
            time.sleep(0.08)  # longer than the Job's 50 ms progress throttle
        elif self.calls == 2:
            self.paused.set()
            self.release.wait(20)
        return self.fn(*args, **kwargs)


def _cancel_while_paused(qtbot, window, pause: _PauseAt, bar_values: list[int]) -> float:
    """Wait for the worker to pause inside the step, press Cancel, let it go; returns the
    seconds from the click to the job's end."""
    qtbot.waitUntil(pause.paused.is_set, timeout=30000)
    qtbot.waitUntil(lambda: bool(bar_values) and bar_values[-1] > 0, timeout=5000)
    window.cancel_button.click()  # as the person does
    t = time.monotonic()
    pause.release.set()
    return t


def test_cancel_lod_switch_inside_triangulation(qtbot, window, monkeypatch) -> None:
    import citytwin.mesh.triangulate as tri_mod

    layer = open_and_wait(qtbot, window, DATA / "cityjson" / "multi_lod_v2.0.city.json")
    tri_before, scene_before = layer.tri, layer.scene
    monkeypatch.setattr(tri_mod, "_BLOCK_CORNERS", 64)  # many blocks on this small file
    pause = _PauseAt(tri_mod._triangulate_block)
    monkeypatch.setattr(tri_mod, "_triangulate_block", pause)
    values: list[int] = []
    window.progress_bar.valueChanged.connect(values.append)
    with qtbot.waitSignal(window.job_finished, timeout=60000) as blocker:
        window._on_lod(layer.key, "1.2")
        clicked = _cancel_while_paused(qtbot, window, pause, values)
    took = time.monotonic() - clicked
    assert blocker.args[1] == "cancelled"
    assert pause.calls == 2  # stopped right after the block it was in, out of many
    assert took < 2.0
    # the progress bar moved inside the triangulation (0 .. 60 % of this job), never backwards
    moved = values[:-1] if values[-1:] == [0] else values  # the bar is reset when the job ends
    assert any(0 < v < 600 for v in moved) and moved == sorted(moved)
    # the layer is as it was: same triangles, scene, LoD box
    assert layer.tri is tri_before and layer.scene is scene_before and layer.lod is None
    assert window.layers_panel.lod.currentText() == "highest"
    # and the window is usable: the same switch now goes through
    monkeypatch.setattr(tri_mod, "_triangulate_block", pause.fn)
    with qtbot.waitSignal(window.job_finished, timeout=60000) as blocker:
        window._on_lod(layer.key, "1.2")
    assert blocker.args[1] == "ok"
    assert layer.lod == "1.2" and 0 < layer.tri.n_triangles < tri_before.n_triangles


@pytest.fixture(scope="module")
def scene(tmp_path_factory):
    from tests.fusion_scene import build_fusion_scene

    return build_fusion_scene(tmp_path_factory.mktemp("fuse_cancel"), ground_step=4.0)


def test_cancel_fusion_inside_mesh_labelling(qtbot, window, scene, monkeypatch) -> None:
    import citytwin.semantics.mesh_labels as ml
    from citytwin.app.commands.fuse import FuseParams
    from citytwin.app.qt.fusion import start_fusion

    layer = open_and_wait(qtbot, window, scene["base"])
    n_obj, n_vert = len(layer.model), len(layer.model.vertices)
    children = {k: list(o.children) for k, o in layer.model.objects.items()}
    monkeypatch.setattr(ml, "_CHUNK", 2048)  # many chunks of triangles on this small scene
    pause = _PauseAt(ml._lookup)
    monkeypatch.setattr(ml, "_lookup", pause)
    values: list[int] = []
    window.progress_bar.valueChanged.connect(values.append)
    messages: list[str] = []
    window.statusBar().messageChanged.connect(messages.append)
    params = FuseParams(base=layer.path, output=layer.path, mesh=(scene["mesh"],),
                        mesh_offset=tuple(float(v) for v in scene["origin"]))
    with qtbot.waitSignal(window.job_finished, timeout=120000) as blocker:
        job = start_fusion(window, layer.key, params)
        clicked = _cancel_while_paused(qtbot, window, pause, values)
    took = time.monotonic() - clicked
    assert blocker.args[1] == "cancelled" and job.was_cancelled
    assert pause.calls == 2  # the labelling stopped after its second chunk
    assert took < 2.0
    assert any(m.startswith("cutting and labelling") for m in messages)
    moved = values[:-1] if values[-1:] == [0] else values  # the bar is reset when the job ends
    assert any(0 < v < 800 for v in moved) and moved == sorted(moved)
    # nothing changed: one layer, its model untouched
    assert list(window.layers) == [layer.key]
    assert len(layer.model) == n_obj and len(layer.model.vertices) == n_vert
    assert {k: o.children for k, o in layer.model.objects.items()} == children
    # the window is usable: the layer can be recoloured and switched to another LoD
    window.set_color_by("semantic", layer.key)
    with qtbot.waitSignal(window.job_finished, timeout=60000) as blocker:
        window._on_lod(layer.key, "1.2")
    assert blocker.args[1] == "ok" and layer.lod == "1.2"
    img = window.viewport.grab_image()
    bg = img[2, img.shape[1] // 2].astype(int)
    assert (np.abs(img.astype(int) - bg).sum(axis=2) > 60).mean() > 0.01  # the model is drawn
