"""Tools > Batch: the batch command from the desktop app over a folder of real files and a broken
one; records appear live, the report is written, the failed file is listed with its message,
Cancel stops and a second run resumes, a bad output folder gives a message box, one run on a real
1-worker LocalCluster closes its cluster. The dialog builds the same BatchParams as the CLI."""

from __future__ import annotations

import json
import multiprocessing
import shutil
import threading
from pathlib import Path

import pytest
from PySide6.QtCore import QDate
from PySide6.QtWidgets import QMessageBox

from tests.gui.conftest import DATA

pytestmark = pytest.mark.gui

GOOD = ["3dbag_b2_v2.0.city.json", "denhaag_DH_01_subs_v1.1.city.json", "multi_lod_v2.0.city.json"]
BROKEN = "broken_truncated.city.json"


@pytest.fixture()
def folder(tmp_path: Path) -> Path:
    """Three real CityJSON files (one in a sub-folder) and a truncated copy of a real one."""
    d = tmp_path / "tiles"
    (d / "north").mkdir(parents=True)
    for i, n in enumerate(GOOD):
        shutil.copy(DATA / "cityjson" / n, d / ("north" if i == 2 else "") / n)
    (d / BROKEN).write_bytes((DATA / "cityjson" / GOOD[1]).read_bytes()[:4000])
    return d


def _dialog(window, folder: Path, out: Path, command: str = "convert", mode: str = "inline", workers=None):
    from citytwin.app.qt.batch_dialog import show_batch_dialog

    window.actions["batch"].trigger()  # Tools > Batch...
    dlg = show_batch_dialog(window)  # the same dialog
    assert dlg.isVisible() and dlg.windowTitle() == "Batch"
    dlg.set_command(command)
    dlg.set_inputs([folder])
    dlg.outdir.setText(str(out))
    dlg.set_mode(mode, workers=workers)
    return dlg


def _run(qtbot, dlg, timeout: int = 60000) -> tuple[str, list]:
    records = []
    qtbot.waitUntil(dlg.run_button.isEnabled, timeout=10000)  # re-enabled once the last run's thread ended
    before = dlg.job
    dlg.file_done.connect(records.append)
    with qtbot.waitSignal(dlg.run_finished, timeout=timeout) as blocker:
        dlg.run_button.click()
        assert dlg.job is not None and dlg.job is not before, "the run did not start"
    dlg.file_done.disconnect(records.append)
    qtbot.waitUntil(lambda: not dlg.running, timeout=timeout)
    return blocker.args[0], records


def _statuses(dlg) -> dict[str, str]:
    m = dlg.table_model
    return {m.cell_text(i, 0): m.cell_text(i, 1) for i in range(m.rowCount())}


def test_batch_convert_shows_records_report_and_opens_output(qtbot, window, folder, tmp_path) -> None:
    out = tmp_path / "out"
    dlg = _dialog(window, folder, out)
    dlg.pages["convert"].format.setCurrentIndex(dlg.pages["convert"].format.findData("cityjsonseq"))
    status, records = _run(qtbot, dlg)
    assert status == "partial", dlg.summary.text()
    # each file's record reached the table while the run went on (on_record -> Qt signal)
    assert len(records) == 4
    assert _statuses(dlg) == {GOOD[0]: "ok", GOOD[1]: "ok", f"north/{GOOD[2]}": "ok", BROKEN: "failed"}
    m = dlg.table_model
    row = m.rows_with("failed")[0]
    err = m.cell_text(row, 5)  # the message, without the path the File column shows
    assert "malformed JSON" in err and m.records[row].error.startswith(str(folder / BROKEN)), err
    assert int(m.cell_text(m.rows_with("ok")[0], 3).replace(",", "")) > 0  # objects
    # outputs mirror the input names; the report agrees with the table
    assert (out / "3dbag_b2_v2.0.city.jsonl").is_file() and (out / "north" / "multi_lod_v2.0.city.jsonl").is_file()
    rep = json.loads((out / "batch-report.json").read_text())
    assert rep["totals"]["ok"] == 3 and rep["totals"]["failed"] == 1
    assert rep["cluster"]["type"] == "in-process" and rep["options"] == {"format": "cityjsonseq"}
    assert "3 done" in dlg.summary.text() and "1 failed" in dlg.summary.text()
    assert "batch-report.json" in dlg.summary.text() and dlg.report_button.isEnabled()
    assert dlg.progress.value() == 1000

    opened = []
    import citytwin.app.qt.batch_dialog as bd

    orig = bd.QDesktopServices.openUrl
    bd.QDesktopServices.openUrl = staticmethod(lambda url: opened.append(url.toLocalFile()) or True)
    try:
        dlg.report_button.click()
    finally:
        bd.QDesktopServices.openUrl = orig
    assert opened == [str((out / "batch-report.json").resolve())]

    dlg.failed_only.setChecked(True)  # with many files: show the failures only
    assert [i for i in range(m.rowCount()) if not dlg.table.isRowHidden(i)] == [row]
    dlg.failed_only.setChecked(False)
    assert not any(dlg.table.isRowHidden(i) for i in range(m.rowCount()))
    # a failed row has no output to open; an ok row opens as a layer of the main window
    dlg.select_row(row)
    assert not dlg.open_button.isEnabled()
    ok_row = [i for i in m.rows_with("ok") if m.cell_text(i, 0) == GOOD[0]][0]
    dlg.select_row(ok_row)
    assert dlg.open_button.isEnabled()
    with qtbot.waitSignal(window.layer_loaded, timeout=30000) as loaded:
        dlg.open_button.click()
    assert loaded.args[0].path == out / "3dbag_b2_v2.0.city.jsonl" and len(loaded.args[0].model) == 4
    shot = tmp_path / "batch_dialog.png"
    assert dlg.grab().save(str(shot)) and shot.stat().st_size > 10000

    # run again: everything done is skipped, the broken file fails again
    status, records = _run(qtbot, dlg)
    assert status == "partial" and sorted(r.status for r in records) == ["failed", "skipped", "skipped", "skipped"]
    assert "3 up to date (skipped)" in dlg.summary.text() and "26 objects" in dlg.status.text()


@pytest.fixture()
def slow_third(monkeypatch) -> threading.Event:
    """Small files take milliseconds: the third file of a run is made "long" (its task waits until
    the returned event is set), so a Cancel lands mid-run whatever the machine's load."""
    import citytwin.app.commands.batch as batch_mod

    gate, started, real_task = threading.Event(), [], batch_mod.run_job

    def task(job):
        started.append(job.input)
        if len(started) == 3:
            gate.wait(30)
        return real_task(job)

    monkeypatch.setattr(batch_mod, "run_job", task)
    # the default task runs each file in the watchdog's child process, where this gate cannot
    # reach: the run takes the gated in-process task instead
    monkeypatch.setattr(batch_mod, "default_task", lambda limits: task)
    yield gate
    gate.set()


def test_cancel_stops_and_the_next_run_resumes(qtbot, window, folder, tmp_path, slow_third, monkeypatch) -> None:
    for k in range(5):  # more files, so Cancel lands mid-run
        shutil.copy(DATA / "cityjson" / GOOD[1], folder / f"copy{k}.city.json")
    out = tmp_path / "out"
    gate = slow_third
    dlg = _dialog(window, folder, out)
    records = []
    dlg.file_done.connect(records.append)
    with qtbot.waitSignal(dlg.run_finished, timeout=60000) as blocker:
        dlg.run_button.click()
        qtbot.waitUntil(lambda: len(records) == 2, timeout=30000)
        dlg.cancel_button.click()
        assert "cancelling" in dlg.status.text()
        gate.set()
    dlg.file_done.disconnect(records.append)
    monkeypatch.undo()
    assert blocker.args[0] == "cancelled"
    qtbot.waitUntil(lambda: not dlg.running, timeout=10000)
    c = dlg.table_model.status_counts()
    assert c.get("not-run", 0) >= 1 and c.get("queued", 0) == 0, c
    done = c.get("ok", 0) + c.get("failed", 0)
    assert done == 3 and c["not-run"] == 6  # the file in progress finished, the others did not start
    assert "cancelled" in dlg.summary.text() and "Run again" in dlg.summary.text()
    rep = json.loads((out / "batch-report.json").read_text())
    assert rep["totals"]["not-run"] == c["not-run"]
    assert not list(out.rglob("*.part")) and not list(out.rglob(".*.part"))
    qtbot.waitUntil(lambda: dlg.job.isFinished() and not window.runner.jobs, timeout=5000)  # thread ended
    assert dlg.run_button.isEnabled() and not dlg.cancel_button.isEnabled()

    status, records = _run(qtbot, dlg)
    assert status == "partial"
    c2 = dlg.table_model.status_counts()
    assert c2["skipped"] == c.get("ok", 0) and c2["ok"] == 8 - c.get("ok", 0) and c2["failed"] == 1


def test_closing_the_dialog_cancels_the_run(qtbot, window, folder, tmp_path, slow_third) -> None:
    dlg = _dialog(window, folder, tmp_path / "out")
    records = []
    dlg.file_done.connect(records.append)
    with qtbot.waitSignal(dlg.run_finished, timeout=60000) as blocker:
        dlg.run_button.click()
        qtbot.waitUntil(lambda: len(records) == 2, timeout=30000)
        dlg.close()
        slow_third.set()
    assert blocker.args[0] == "cancelled" and not dlg.isVisible()
    qtbot.waitUntil(lambda: dlg.job.isFinished() and not window.runner.jobs, timeout=10000)
    assert dlg.table_model.status_counts().get("not-run") == 1  # 3 done, the 4th never started


def test_invalid_output_folder_gives_a_message_and_the_app_goes_on(qtbot, window, folder, tmp_path) -> None:
    a_file = tmp_path / "a_file.txt"
    a_file.write_text("not a folder")
    dlg = _dialog(window, folder, a_file / "out")
    dlg.run_button.click()
    qtbot.waitUntil(lambda: dlg.findChild(QMessageBox, "errorBox") is not None, timeout=5000)
    box = dlg.findChild(QMessageBox, "errorBox")
    assert "a_file.txt" in box.text() and "output folder" in box.text()
    assert dlg.job is None and not window.runner.jobs
    box.close()
    dlg.outdir.setText(str(a_file))  # the file itself
    dlg.run_button.click()
    qtbot.waitUntil(lambda: any("is a file, not a folder" in b.text()
                                for b in dlg.findChildren(QMessageBox, "errorBox")), timeout=5000)
    dlg.outdir.setText(str(tmp_path / "ok"))  # the same dialog then runs
    status, _ = _run(qtbot, dlg)
    assert status == "partial"


def test_dialog_builds_the_same_params_as_the_cli(qtbot, window, folder, tmp_path) -> None:
    import argparse

    from citytwin.app.cli import batch as cli_batch

    def cli(*argv: str):
        p = argparse.ArgumentParser()
        cli_batch.add_parser(p.add_subparsers(dest="cmd"))
        return cli_batch.params_from_args(p.parse_args(["batch", *argv]))

    out = tmp_path / "out"
    dlg = _dialog(window, folder, out, mode="local", workers=2)
    page = dlg.pages["convert"]
    page.crs.setText("EPSG:7415")
    page.types.setText("BuildingPart, Building")
    page.precision.setValue(0.01)
    assert dlg.params() == cli("convert", str(folder), "-o", str(out), "--workers", "2", "--crs", "EPSG:7415",
                               "--types", "Building,BuildingPart", "--precision", "0.01")
    # solar: the dialog shows the defaults, the CLI gives none: the same run (same resume key)
    dlg.set_command("solar")
    dlg.set_mode("inline")
    assert dlg.params() == cli("solar", str(folder), "-o", str(out), "--workers", "0")
    sp = dlg.pages["solar"]
    sp.resolution.setValue(2.0)
    sp.surfaces["wall"].setChecked(False)
    sp.context_buffer.setValue(50)
    assert dlg.params() == cli("solar", str(folder), "-o", str(out), "--workers", "0", "--resolution", "2",
                               "--surfaces", "roof", "--context-buffer", "50")
    sp.csv.setChecked(True)
    sp.geojson.setChecked(True)
    assert dlg.params() == cli("solar", str(folder), "-o", str(out), "--workers", "0", "--resolution", "2",
                               "--surfaces", "roof", "--context-buffer", "50", "--csv", "--geojson")
    sp.sky_model.setCurrentText("allweather")
    assert dlg.params() == cli("solar", str(folder), "-o", str(out), "--workers", "0", "--resolution", "2",
                               "--surfaces", "roof", "--context-buffer", "50", "--csv", "--geojson",
                               "--sky", "allweather")
    sp.sky_model.setCurrentText("perez1990")  # the default: left out, as on the command line
    assert dlg.params() == cli("solar", str(folder), "-o", str(out), "--workers", "0", "--resolution", "2",
                               "--surfaces", "roof", "--context-buffer", "50", "--csv", "--geojson")
    dlg.set_command("shadow")
    dlg.set_mode("scheduler", scheduler="tcp://10.0.0.1:8786")
    hp = dlg.pages["shadow"]
    hp.date.setDate(QDate(2025, 6, 21))
    hp.when.setCurrentText("period")
    hp.grid_cell.setValue(2.0)
    hp.png.setChecked(True)
    assert dlg.params() == cli("shadow", str(folder), "-o", str(out), "--scheduler", "tcp://10.0.0.1:8786",
                               "--date", "2025-06-21", "--from", "06:00", "--to", "20:00", "--grid", "2",
                               "--png")
    dlg.set_command("info")
    dlg.pattern.setText("*.city.json")
    assert dlg.params() == cli("info", str(folder / "*.city.json"), "-o", str(out), "--scheduler",
                               "tcp://10.0.0.1:8786")


def _client_or_none():
    from distributed import default_client

    try:
        return default_client()
    except ValueError:
        return None


def test_run_on_a_one_worker_local_cluster_closes_it(qtbot, window, folder, tmp_path) -> None:
    # other tests in this pytest process may hold their own cluster (tests/app/batch has a
    # session-wide one): only the processes and client this run starts are ours to check
    before_pids = {p.pid for p in multiprocessing.active_children()}
    before_client = _client_or_none()

    def ours() -> list:
        return [p for p in multiprocessing.active_children() if p.pid not in before_pids]

    out = tmp_path / "out"
    dlg = _dialog(window, folder, out, mode="local", workers=1)
    dlg.memory_limit.setText("900MiB")
    # Cancel once the cluster's worker process is up: the run stops, the cluster is closed.
    # A worker process starts in ~5 s; on this shared 2-core machine under load (8-13) a start
    # was seen to take over 70 s, hence the long timeouts
    with qtbot.waitSignal(dlg.run_finished, timeout=180000) as blocker:
        dlg.run_button.click()
        qtbot.waitUntil(lambda: bool(ours()), timeout=120000)
        dlg.cancel_button.click()
    assert blocker.args[0] == "cancelled"
    qtbot.waitUntil(lambda: not dlg.running, timeout=30000)
    # the cluster is closed and its worker process is gone (closing the run also terminates any
    # that a timed-out cluster close left)
    try:
        qtbot.waitUntil(lambda: not ours(), timeout=30000)
    except Exception:
        left = [(p.name, p.pid, p.exitcode) for p in ours()]
        raise AssertionError(f"processes left after the cancelled batch: {left}") from None
    assert _client_or_none() is before_client  # no Dask client of the run left behind
    rep = json.loads((out / "batch-report.json").read_text())
    assert rep["totals"]["not-run"] >= 1 and rep["totals"]["not-run"] == dlg.table_model.status_counts()["not-run"]

    # the same batch again runs to the end (whatever was done before the cancel is skipped)
    status, records = _run(qtbot, dlg, timeout=180000)
    assert status == "partial" and len(records) == 4
    rep = json.loads((out / "batch-report.json").read_text())
    assert rep["cluster"]["type"] == "local" and rep["cluster"]["workers"] == 1
    assert rep["totals"]["ok"] + rep["totals"]["skipped"] == 3 and rep["totals"]["failed"] == 1
    assert rep["totals"]["not-run"] == 0
    assert all(r["worker"] for r in rep["files"] if r["status"] == "ok")  # each ran on the Dask worker
    # the cluster the run started is gone: no worker processes, no Dask client left
    qtbot.waitUntil(lambda: not ours(), timeout=15000)
    assert _client_or_none() is before_client


def test_shadow_batch_writes_sun_hours_and_reports_a_file_without_location(qtbot, window, tmp_path) -> None:
    d = tmp_path / "in"
    d.mkdir()
    for n in GOOD[:2]:  # the Den Haag file has no CRS: no site, so it fails with that message
        shutil.copy(DATA / "cityjson" / n, d / n)
    out = tmp_path / "out"
    dlg = _dialog(window, d, out, command="shadow")
    hp = dlg.pages["shadow"]
    hp.date.setDate(QDate(2025, 6, 21))
    hp.when.setCurrentText("period")
    hp.start.setTime(hp.start.time().fromString("10:00", "HH:mm"))
    hp.end.setTime(hp.end.time().fromString("14:00", "HH:mm"))
    hp.step.setValue(120)
    hp.resolution.setValue(2.0)
    status, records = _run(qtbot, dlg, timeout=120000)
    assert status == "partial", dlg.summary.text()
    assert _statuses(dlg) == {GOOD[0]: "ok", GOOD[1]: "failed"}
    m = dlg.table_model
    assert "no CRS" in m.cell_text(m.rows_with("failed")[0], 5)
    assert int(m.records[m.rows_with("ok")[0]].counts["points"]) > 0
    written = json.loads((out / GOOD[0]).read_text())
    hours = [o["attributes"]["shadow_sun_hours"] for o in written["CityObjects"].values()
             if "shadow_sun_hours" in o.get("attributes", {})]
    assert hours and all(0.0 <= h <= 4.0 for h in hours) and max(hours) > 0
