"""Resume and input expansion of ``batch``, run in-process (``workers=0``: the same tasks without
Dask), so each case costs milliseconds: what is skipped, what is redone, and why."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

from citytwin.app.commands.batch import BatchParams, run_batch
from citytwin.app.commands.batch_inputs import expand_inputs
from citytwin.app.commands.batch_resume import sidecar_path
from citytwin.app.commands.progress import Progress
from citytwin.errors import Cancelled, InputError, UsageError

DATA = Path(__file__).resolve().parents[2] / "data" / "cityjson"
FILES = ["3dbag_b2_v2.0.city.json", "denhaag_DH_01_subs_v1.1.city.json", "multi_lod_v2.0.city.json",
         "cityjson_fake_complete.city.json"]


@pytest.fixture()
def folder(tmp_path: Path) -> Path:
    d = tmp_path / "in"
    d.mkdir()
    for n in FILES:
        shutil.copy(DATA / n, d / n)
    return d


def _run(folder: Path, out: Path, **kw) -> dict[str, str]:
    opts = kw.pop("options", ())
    res = run_batch(BatchParams("convert", (str(folder),), out, options=opts, workers=0, **kw))
    return {Path(r.input).name: r.status for r in res.report.files}


def test_second_run_skips_and_changes_are_redone(folder: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert set(_run(folder, out).values()) == {"ok"}
    mask = os.umask(0o022)
    os.umask(mask)
    assert (out / FILES[0]).stat().st_mode & 0o777 == 0o666 & ~mask  # not mkstemp's 0600
    assert set(_run(folder, out).values()) == {"skipped"}

    # touched but unchanged: the hash says skip; changed content: redone
    os.utime(folder / FILES[0], ns=(1, 1))
    with open(folder / FILES[1], "ab") as f:
        f.write(b"\n")
    # an output deleted, another truncated, a third one's record lost (killed before it was written)
    (out / FILES[2]).unlink()
    sidecar_path(out / FILES[3]).unlink()
    st = _run(folder, out)
    assert st == {FILES[0]: "skipped", FILES[1]: "ok", FILES[2]: "ok", FILES[3]: "ok"}
    with open(out / FILES[0], "ab") as f:
        f.write(b" ")
    assert _run(folder, out)[FILES[0]] == "ok"

    # other options: every file redone; --force: every file redone
    assert set(_run(folder, out, options=(("precision", 0.01),)).values()) == {"ok"}
    assert set(_run(folder, out, options=(("precision", 0.01),)).values()) == {"skipped"}
    assert set(_run(folder, out, options=(("precision", 0.01),), force=True).values()) == {"ok"}
    rec = json.loads(sidecar_path(out / FILES[0]).read_text())
    assert rec["inputs"][0]["path"] == str(folder / FILES[0]) and len(rec["inputs"][0]["hash"]) == 32
    assert rec["outputs"] == {FILES[0]: (out / FILES[0]).stat().st_size}


def test_cancelled_run_resumes_where_it_stopped(folder: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    done: list[str] = []
    prog = Progress()

    def on_record(r) -> None:
        done.append(r.input)
        if len(done) == 2:
            prog.cancel()

    with pytest.raises(Cancelled):
        run_batch(BatchParams("convert", (str(folder),), out, workers=0), prog, on_record=on_record)
    rep = json.loads((out / "batch-report.json").read_text())
    assert rep["totals"]["ok"] == 2 and rep["totals"]["not-run"] == 2
    assert not list(out.glob("*.part")) and not list(out.glob(".*.part"))
    st = _run(folder, out)
    assert sorted(st.values()) == ["ok", "ok", "skipped", "skipped"]


def test_info_batch_writes_one_json_per_file(folder: Path, tmp_path: Path) -> None:
    (folder / "bad.city.json").write_text('{"type": "CityJSON", "version": "2.0", "CityObjects": {')
    res = run_batch(BatchParams("info", (str(folder),), tmp_path / "o", workers=0))
    assert res.exit_code == 3
    d = json.loads((tmp_path / "o" / "3dbag_b2_v2.0.info.json").read_text())
    assert d["object_counts"] == {"Building": 2, "BuildingPart": 2} and d["triangles"] == 246
    bad = [r for r in res.report.files if r.status == "failed"]
    assert len(bad) == 1 and "bad.city.json" in bad[0].error and "malformed JSON" in bad[0].error


def test_expand_inputs(folder: Path, tmp_path: Path) -> None:
    sub = folder / "north"
    sub.mkdir()
    shutil.copy(DATA / "3dbag_b2.city.jsonl", sub / "3dbag_b2.city.jsonl")
    shutil.copy(DATA / FILES[0], sub / FILES[0])
    (folder / "README.md").write_text("not a model")
    (folder / ".hidden.city.json").write_text("{}")
    (folder / "batch-report.json").write_text("{}")
    (folder / ".x.city.json.batch.json").write_text("{}")
    out = folder / "out"  # outputs inside the input folder are never inputs
    (out).mkdir()
    shutil.copy(DATA / FILES[0], out / FILES[0])
    got = [i.rel for i in expand_inputs([folder], out)]
    assert got == sorted(FILES) + ["north/3dbag_b2.city.jsonl", f"north/{FILES[0]}"]
    assert [i.rel for i in expand_inputs([str(folder / "*.city.json")])] == sorted(FILES)
    # a recursive glob keeps the sub-folders, as a folder argument does: no name clash
    assert [i.rel for i in expand_inputs([str(folder / "**" / f"{FILES[0][:5]}*")], out)] == [
        FILES[0], "north/3dbag_b2.city.jsonl", f"north/{FILES[0]}"]
    assert len(expand_inputs([folder / FILES[0], folder, str(folder / "*.json")], out)) == 6  # no repeats
    with pytest.raises(UsageError, match="would both write"):
        expand_inputs([folder / FILES[0], sub / FILES[0]])
    with pytest.raises(InputError, match="no such file or folder"):
        expand_inputs([tmp_path / "missing"])
    with pytest.raises(InputError, match="matches no city model"):
        expand_inputs([str(tmp_path / "*.gml")])
    st = _run(folder, out)  # a batch writing into its input folder twice: same 6 inputs each time
    assert len(st) == 5 and _run(folder, out) == {k: "skipped" for k in st}


def test_sigkilled_run_leaves_no_partial_output_and_resumes(folder: Path, tmp_path: Path) -> None:
    """The CLI killed (SIGKILL) mid-run: every output present is complete, the rerun does the rest."""
    import signal
    import subprocess
    import sys
    import time

    for k in range(6):  # more work, so the kill lands mid-run
        shutil.copy(DATA / FILES[1], folder / f"copy{k}.city.json")
    out = tmp_path / "out"
    cmd = [sys.executable, "-m", "citytwin", "batch", "convert", str(folder), "-o", str(out), "--workers", "0",
           "--format", "cityjsonseq", "--quiet"]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and not list(out.glob(".*.batch.json")):
        time.sleep(0.01)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    done = list(out.glob(".*.batch.json"))
    outputs = [p for p in out.glob("*.city.jsonl")]
    assert 1 <= len(done) < 10 and len(outputs) < 10
    for p in outputs:  # complete files only: each line is a whole JSON object
        assert all(json.loads(ln) for ln in p.read_text().splitlines())
    res = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
    assert res.returncode == 0, res.stderr
    rep = json.loads((out / "batch-report.json").read_text())["totals"]
    assert rep["ok"] + rep["skipped"] == 10 and rep["skipped"] >= len(done)


def test_batch_convert_keeps_the_writers_warnings_in_the_report(tmp_path: Path) -> None:
    """What the output format cannot hold (CityGML 2.0 has no water surface under a generic
    object) is counted and quoted per file in the report and the summary, as `convert` prints it."""
    from citytwin.app.commands.batch_options import batch_params, convert_options

    src = Path(__file__).resolve().parents[2] / "data" / "writers" / "semantic_all_types.city.json"
    params = batch_params("convert", [src], tmp_path / "out", convert_options(format="citygml"), workers=0)
    res = run_batch(params, Progress())
    (rec,) = res.report.files
    assert rec.status == "ok" and rec.warnings
    assert rec.counts["written_differently"] >= len(rec.warnings) >= 1
    saved = json.loads(res.report_path.read_text())["files"][0]
    assert saved["warnings"] == rec.warnings and "warnings" not in saved["counts"]
    assert any(line.startswith("  warning: ") and rec.warnings[0] in line for line in res.report.summary_lines())


def test_interrupted_run_report_matches_what_is_on_disk(folder: Path, tmp_path: Path) -> None:
    """Ctrl-C arriving after a file's output and resume record were written, but before its result
    came back, left it ``not-run`` in the report (issue 11 item 11, issue 17 item 10)."""
    from citytwin.app.commands.batch_tasks import run_job

    out = tmp_path / "out"
    finished: list[str] = []

    def task(job):
        rec = run_job(job)  # output and resume record written
        finished.append(job.input)
        if len(finished) == 2:
            raise KeyboardInterrupt  # the interrupt lands before the result is handed back
        return rec

    with pytest.raises(KeyboardInterrupt):
        run_batch(BatchParams("convert", (str(folder),), out, workers=0), task=task)
    rep = json.loads((out / "batch-report.json").read_text())
    status = {Path(f["input"]).name: f["status"] for f in rep["files"]}
    on_disk = {p.name for p in out.glob("*.city.json")}
    assert {n for n, s in status.items() if s == "ok"} == on_disk and len(on_disk) == 2
    assert rep["totals"]["not-run"] == 2


def test_second_run_on_the_same_folder_is_refused_naming_the_first(folder: Path, tmp_path: Path) -> None:
    """Two runs started on one output folder both converted everything; now the second is a
    usage error naming the first (pid), and a lock left by a killed run is taken over."""
    from citytwin.app.commands.batch_resume import LOCK_NAME

    out = tmp_path / "out"
    out.mkdir()
    seen: list[str] = []

    def on_record(r) -> None:
        if not seen:  # while the first run holds the lock, a second one starts
            with pytest.raises(UsageError, match=f"pid {os.getpid()}"):
                run_batch(BatchParams("convert", (str(folder),), out, workers=0))
        seen.append(r.input)

    run_batch(BatchParams("convert", (str(folder),), out, workers=0), on_record=on_record)
    assert len(seen) == len(FILES) and not (out / LOCK_NAME).exists()
    import socket

    (out / LOCK_NAME).write_text(json.dumps({"pid": 999999999, "host": socket.gethostname(), "started": "x"}))
    assert set(_run(folder, out, force=True).values()) == {"ok"}  # the dead run's lock is taken over
    assert not (out / LOCK_NAME).exists()
