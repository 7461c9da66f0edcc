"""Tools > Batch, solar page, in this process: the per-tile HTML report box gives the same run as
``citytwin batch solar --report``, and Cancel stops a long solar tile while it is being traced
(nothing of it written), after which Run resumes and writes the reports. Real Rotterdam tiles."""

from __future__ import annotations

import argparse
import re
import time
from pathlib import Path

import pytest

from tests.gui.conftest import DATA

pytestmark = pytest.mark.gui

CHUNK = re.compile(r"^t_0_0\.city\.json: [\d,]+ of [\d,]+ points$")


@pytest.fixture()
def block(tmp_path: Path) -> Path:
    """The Rotterdam block cut into its two 80 m tiles (8 and 7 buildings, each the other's context)."""
    from citytwin.io.registry import read, write
    from citytwin.semantics.tiles import split_grid

    d = tmp_path / "tiles"
    d.mkdir()
    parts = split_grid(read(DATA / "batch" / "rotterdam_subset_v1.0.city.json"), 80.0, origin=(90882.0, 435610.0))
    for key in ((0, 0), (1, 0)):
        write(parts[key], d / f"t_{key[0]}_{key[1]}.city.json")
    return d


def test_solar_report_box_and_cancel_inside_a_tile(qtbot, window, block, tmp_path) -> None:
    from citytwin.app.cli import batch as cli_batch
    from citytwin.app.qt.batch_dialog import show_batch_dialog

    out = tmp_path / "out"
    window.actions["batch"].trigger()
    dlg = show_batch_dialog(window)
    dlg.set_command("solar")
    dlg.set_inputs([block])
    dlg.outdir.setText(str(out))
    dlg.set_mode("inline")
    sp = dlg.pages["solar"]
    sp.resolution.setValue(1.25)  # t_0_0: ~3,200 points, 4 ray chunks
    sp.report.setChecked(True)
    p = argparse.ArgumentParser()
    cli_batch.add_parser(p.add_subparsers(dest="cmd"))
    cli = cli_batch.params_from_args(p.parse_args(["batch", "solar", str(block), "-o", str(out), "--workers", "0",
                                                   "--resolution", "1.25", "--report"]))
    assert dlg.params() == cli and dict(cli.options)["report"] is True

    with qtbot.waitSignal(dlg.run_finished, timeout=120000) as blocker:
        dlg.run_button.click()
        qtbot.waitUntil(lambda: bool(CHUNK.match(dlg.status.text())), timeout=90000)  # tracing t_0_0
        t0 = time.monotonic()
        dlg.cancel_button.click()
    stopped = time.monotonic() - t0
    assert blocker.args[0] == "cancelled"
    assert stopped < 20.0, stopped  # the next ray chunk, not the ~4 chunks left of the tile and the next tile
    assert dlg.table_model.status_counts() == {"not-run": 2}
    assert not list(out.glob("t_*")) and not list(out.glob("*.part")) and not list(out.glob(".*.part"))
    shot = tmp_path / "batch_solar_cancelled.png"
    dlg.grab().save(str(shot))

    qtbot.waitUntil(dlg.run_button.isEnabled, timeout=10000)
    sp.resolution.setValue(4.0)  # the resumed run: quicker
    with qtbot.waitSignal(dlg.run_finished, timeout=120000) as blocker:
        dlg.run_button.click()
    assert blocker.args[0] == "ok", dlg.summary.text()
    for stem in ("t_0_0", "t_1_0"):
        text = (out / f"{stem}.solar.html").read_text()
        assert f"<h1>Solar study of {stem}.city.json</h1>" in text
    rec = dlg.table_model.records[0]
    assert str(out / "t_0_0.solar.html") in rec.outputs
