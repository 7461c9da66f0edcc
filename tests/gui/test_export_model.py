"""File > Export goes through the export command: a textured model's images travel with it, as
``convert`` writes them (issue 12: the GUI export called io.registry.write directly)."""

from __future__ import annotations

import pytest

from tests.gui.conftest import DATA, open_and_wait

pytestmark = pytest.mark.gui

ROTTERDAM = DATA / "cityjson" / "rotterdam_textured" / "rotterdam_subset_v2.0.city.json"


def _files(folder):
    """{relative path: bytes} of the files under ``folder``."""
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.mark.parametrize("name", ["out.city.json", "out.gml"])
def test_file_export_of_textured_model_writes_images_as_convert(qtbot, window, tmp_path, monkeypatch, name) -> None:
    from citytwin.app.commands.convert import ConvertParams, run_convert
    from citytwin.app.qt import file_actions
    from citytwin.io.registry import read

    layer = open_and_wait(qtbot, window, ROTTERDAM)
    assert layer.model.appearance.textures  # a textured real file (one of its images is bundled)
    before = [dict(t) for t in layer.model.appearance.textures]
    gui, cli = tmp_path / "gui", tmp_path / "cli"
    gui.mkdir()
    cli.mkdir()
    # File > Export..., the save dialog answered with gui/<name>
    monkeypatch.setattr(file_actions.QFileDialog, "getSaveFileName",
                        staticmethod(lambda *a, **k: (str(gui / name), "")))
    with qtbot.waitSignal(window.job_finished, timeout=60000) as blocker:
        window.actions["export"].trigger()
    assert blocker.args[1] == "ok", window.log_panel.toPlainText()
    # the oracle: what the convert command writes from the same file
    run_convert(ConvertParams(input=ROTTERDAM, output=cli / name))
    got, want = _files(gui), _files(cli)
    images = [k for k in want if k != name]
    assert images == ["appearances/0320_4_15.jpg"]  # the image the input has, copied
    assert sorted(got) == sorted(want)
    assert all(got[k] == want[k] for k in images)  # byte for byte
    assert got[images[0]] == (ROTTERDAM.parent / images[0]).read_bytes()
    # the written model names its images where they are, and the layer's model is unchanged
    out = read(gui / name)
    assert {t["image"] for t in out.appearance.textures} == {t["image"] for t in before}
    assert [dict(t) for t in layer.model.appearance.textures] == before
    # the Log says so (its lines come through a queued signal)
    qtbot.waitUntil(lambda: f"{name} with 1 texture image" in window.log_panel.toPlainText(), timeout=5000)
