"""``batch`` on a real Dask LocalCluster (2 worker processes) over real CityJSON files mixed with
broken ones: good outputs written and schema-valid, broken files in the report, exit code 3, a
worker killed mid-run loses nothing, a worker over its memory limit fails only its own file, a
second run skips everything, outputs identical to a run without Dask.

One cluster (conftest.py) serves the folder (starting one takes seconds)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import jsonschema_rs
import pytest

from citytwin.app.commands.batch import BatchParams, run_batch
from citytwin.app.commands.batch_inputs import expand_inputs
from citytwin.app.commands.batch_tasks import FileJob, run_job

ROOT = Path(__file__).resolve().parents[3]
DATA = ROOT / "tests" / "data"
SCHEMAS = ROOT / "resources" / "schemas"

GOOD_LOCAL = ["3dbag_b2_v2.0.city.json", "denhaag_DH_01_subs_v1.1.city.json", "multi_lod_v2.0.city.json",
              "3dbag_b2.city.jsonl"]
GOOD_SHARED = ["cityjson/citygml4j_lod2_buildings_v2.0.city.json", "cityjson/delft_v2.0.city.json"]
BROKEN_SHARED = {
    "broken/missing_type.city.json": "invalid/cityjson_corpus/invalid_missing_type/invalid_missing_type.json",
    "broken/bad_json.city.json": "invalid/val3dity/test_file_format/invalid_json_cityjson.json",
}


@pytest.fixture(scope="module")
def folder(tmp_path_factory, shared_data: Path) -> Path:
    """Real files (some in a sub-folder) and broken ones: truncated, empty, malformed, invalid."""
    d = tmp_path_factory.mktemp("inputs")
    (d / "sub").mkdir()
    (d / "broken").mkdir()
    for name in GOOD_LOCAL:
        shutil.copy(DATA / "cityjson" / name, d / ("sub" if name.endswith(".jsonl") else "") / name)
    for rel in GOOD_SHARED:
        shutil.copy(shared_data / rel, d / Path(rel).name)
    for dst, src in BROKEN_SHARED.items():
        shutil.copy(shared_data / src, d / dst)
    (d / "broken" / "truncated.city.json").write_bytes((shared_data / GOOD_SHARED[1]).read_bytes()[:50000])
    (d / "broken" / "empty.city.json").write_bytes(b"")
    return d


@pytest.fixture(scope="module")
def validators():
    s = SCHEMAS / "cityjson" / "2.0"
    return (jsonschema_rs.validator_for(json.loads((s / "cityjson.min.schema.json").read_text())),
            jsonschema_rs.validator_for(json.loads((s / "cityjsonfeature.min.schema.json").read_text())))


def _errors(validator, doc) -> list[str]:
    return [e.message[:200] for e in validator.iter_errors(doc)]


def _assert_valid(path: Path, validators) -> None:
    doc_v, feat_v = validators
    if path.name.endswith(".jsonl"):
        lines = path.read_text().splitlines()
        assert _errors(doc_v, json.loads(lines[0])) == []
        assert len(lines) > 1 and all(_errors(feat_v, json.loads(ln)) == [] for ln in lines[1:])
    else:
        assert _errors(doc_v, json.loads(path.read_bytes())) == []


def _outputs(outdir: Path) -> dict[str, bytes]:
    return {str(p.relative_to(outdir)): p.read_bytes() for p in sorted(outdir.rglob("*"))
            if p.is_file() and not p.name.startswith(".") and p.name != "batch-report.json"}


N_GOOD, N_BROKEN = len(GOOD_LOCAL) + len(GOOD_SHARED), len(BROKEN_SHARED) + 2


def test_mixed_folder_on_cluster_then_resume(client, folder: Path, tmp_path: Path, validators) -> None:
    out = tmp_path / "out"
    res = run_batch(BatchParams("convert", (str(folder),), out), client=client)
    rep = json.loads((out / "batch-report.json").read_text())
    assert rep["totals"]["files"] == N_GOOD + N_BROKEN
    assert (rep["totals"]["ok"], rep["totals"]["failed"]) == (N_GOOD, N_BROKEN)
    assert res.exit_code == 3
    assert rep["cluster"]["workers"] == 2
    by_name = {Path(f["input"]).name: f for f in rep["files"]}
    for name, f in by_name.items():
        if f["status"] == "failed":
            assert f["error"] and name in f["error"] and f["input"].startswith(str(folder / "broken"))
        else:
            assert f["counts"]["objects"] > 0 and f["duration_s"] > 0 and f["worker"].startswith("tcp://")
            _assert_valid(Path(f["outputs"][0]), validators)
    assert "empty" in by_name["empty.city.json"]["error"]
    assert "malformed JSON" in by_name["truncated.city.json"]["error"]
    assert (out / "sub" / "3dbag_b2.city.jsonl").exists()  # sub-folders and formats mirrored
    assert by_name["delft_v2.0.city.json"]["counts"]["objects"] > 100
    assert [f["input"] for f in rep["files"]] == [str(i.path) for i in expand_inputs([folder])]
    first = {p: (out / p).stat().st_mtime_ns for p in _outputs(out)}

    # identical outputs without Dask (one process)
    inline = tmp_path / "inline"
    run_batch(BatchParams("convert", (str(folder),), inline, workers=0))
    assert _outputs(inline) == _outputs(out)

    # second run: every good file skipped, nothing rewritten, the broken ones still reported
    res2 = run_batch(BatchParams("convert", (str(folder),), out), client=client)
    t = res2.report.totals()
    assert (t["skipped"], t["ok"], t["failed"]) == (N_GOOD, 0, N_BROKEN) and res2.exit_code == 3
    assert {p: (out / p).stat().st_mtime_ns for p in _outputs(out)} == first
    assert all(r.counts.get("objects") for r in res2.report.files if r.status == "skipped")


def _kill_once(job: FileJob) -> dict:
    """Kill this worker process the first time (marker file beside the outputs), else run the job."""
    marker = Path(job.output).parent / "killed-once.marker"
    if "delft" in job.input:
        try:
            fd = os.open(marker, os.O_CREAT | os.O_EXCL | os.O_WRONLY)
            os.close(fd)
            os._exit(1)
        except FileExistsError:
            pass
    return run_job(job)


def _memory_hog(job: FileJob) -> dict:
    """Grow past the worker's memory limit on one file, so the nanny restarts the worker."""
    import time

    import numpy as np

    if "citygml4j" in job.input:
        hog = []
        for _ in range(15):  # at most 3 GB, so a starved nanny on a busy machine cannot take it all
            hog.append(np.ones(25_000_000))  # 200 MB each
            time.sleep(0.2)
        time.sleep(30)  # the nanny kills this worker long before
    return run_job(job)


def _slow(job: FileJob) -> dict:
    """A file that takes 3 s."""
    import time

    time.sleep(3.0)
    return run_job(job)


def _by_value():
    import cloudpickle

    cloudpickle.register_pickle_by_value(sys.modules[__name__])


def test_killed_worker_loses_nothing(client, folder: Path, tmp_path: Path, validators) -> None:
    _by_value()
    out = tmp_path / "out"
    good = [str(folder / Path(r).name) for r in GOOD_SHARED] + [str(folder / n) for n in GOOD_LOCAL[:3]]
    pids_before = set(client.run(os.getpid).values())
    res = run_batch(BatchParams("convert", tuple(good), out, retries=0), client=client, task=_kill_once)
    assert (out / "killed-once.marker").exists()
    assert set(client.run(os.getpid).values()) != pids_before  # a worker really died (restarted)
    t = res.report.totals()
    assert (t["ok"], t["failed"]) == (len(good), 0) and res.exit_code == 0
    for r in res.report.files:
        _assert_valid(Path(r.outputs[0]), validators)


def test_worker_over_memory_limit_fails_only_its_file(client, folder: Path, tmp_path: Path) -> None:
    _by_value()
    good = [str(folder / Path(r).name) for r in GOOD_SHARED] + [str(folder / GOOD_LOCAL[0])]
    res = run_batch(BatchParams("convert", tuple(good), tmp_path / "out", retries=0), client=client,
                    task=_memory_hog)
    st = {Path(r.input).name: r for r in res.report.files}
    assert st["citygml4j_lod2_buildings_v2.0.city.json"].status == "failed"
    assert "died repeatedly" in st["citygml4j_lod2_buildings_v2.0.city.json"].error
    assert st["delft_v2.0.city.json"].status == "ok" and st[GOOD_LOCAL[0]].status == "ok"
    assert res.exit_code == 3
    assert all(w["memory_limit"] == 900 * 2**20 for w in client.scheduler_info()["workers"].values())


def test_cli_on_existing_scheduler_exit_codes(client, folder: Path, tmp_path: Path) -> None:
    """The CLI on the module's cluster (--scheduler): exit 3 with broken files, 0 when all good."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    addr = client.scheduler.address
    cmd = [sys.executable, "-m", "citytwin", "batch", "convert", "--scheduler", addr, "--quiet"]
    res = subprocess.run([*cmd, str(folder), "-o", str(tmp_path / "a"), "--format", "cityjsonseq"],
                         capture_output=True, text=True, timeout=120, env=env)
    assert res.returncode == 3, res.stderr
    assert f"{N_GOOD} done" in res.stderr and f"{N_BROKEN} failed" in res.stderr
    assert "Traceback" not in res.stderr
    assert len(list((tmp_path / "a").rglob("*.city.jsonl"))) == N_GOOD
    res = subprocess.run([*cmd, str(folder / "sub"), "-o", str(tmp_path / "b")], capture_output=True,
                         text=True, timeout=120, env=env)
    assert res.returncode == 0, res.stderr


def test_cancel_stops_the_cluster_run(client, folder: Path, tmp_path: Path) -> None:
    """Cancelling the Progress (the GUI's Cancel) stops a cluster run within a second, the files
    not started are reported not-run and the report is written."""
    import time

    from citytwin.app.commands.progress import Progress
    from citytwin.errors import Cancelled

    _by_value()
    prog = Progress()
    files = tuple(str(folder / n) for n in GOOD_LOCAL[:3]) + tuple(str(folder / Path(r).name) for r in GOOD_SHARED)
    seen = []

    def on_record(r) -> None:
        seen.append(r)
        prog.cancel()

    t = time.monotonic()
    with pytest.raises(Cancelled):
        run_batch(BatchParams("convert", files, tmp_path / "out"), prog, client=client, task=_slow,
                  on_record=on_record)
    assert time.monotonic() - t < 3.0 * len(files) / 2 - 1  # did not wait for the rest
    rep = json.loads((tmp_path / "out" / "batch-report.json").read_text())["totals"]
    assert rep["ok"] >= 1 and rep["not-run"] >= 1 and rep["ok"] + rep["not-run"] == len(files)


def test_cluster_without_workers_stops_with_an_error(folder: Path, tmp_path: Path) -> None:
    """A scheduler with no worker: the run stops after no_worker_timeout instead of hanging."""
    from distributed import Client, LocalCluster

    from citytwin.errors import CityTwinError

    with LocalCluster(n_workers=0, processes=False, dashboard_address=":0", silence_logs=50) as lc, \
            Client(lc) as c:
        with pytest.raises(CityTwinError, match="no worker"):
            run_batch(BatchParams("convert", (str(folder / GOOD_LOCAL[0]),), tmp_path / "out",
                                  no_worker_timeout=1.0), client=c)
    rep = json.loads((tmp_path / "out" / "batch-report.json").read_text())
    assert rep["totals"]["not-run"] == 1


def _faults_after_job(job: FileJob) -> dict:
    """Run the job, then count the page faults of 50 allocations of 1 MiB buffers on this thread
    (under numpy's 4 MiB huge-page threshold, so pages are 4 KiB)."""
    import resource

    import numpy as np

    rec = run_job(job)
    r0 = resource.getrusage(resource.RUSAGE_THREAD).ru_minflt
    for _ in range(50):
        a = np.empty(1 << 17)  # 1 MiB, over the 128 KiB mmap threshold Dask's MALLOC_TRIM_THRESHOLD_ freezes
        a[::512] = 1.0  # touch every page
        del a
    rec["counts"]["faults"] = resource.getrusage(resource.RUSAGE_THREAD).ru_minflt - r0
    return rec


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="glibc malloc tuning is Linux-only")
def test_worker_allocator_reuses_memory(client, folder: Path, tmp_path: Path) -> None:
    """Dask starts workers with MALLOC_TRIM_THRESHOLD_=65536 (every large buffer mmap-ed and
    unmapped again: +30-40% CPU on a conversion); after a batch task the worker's allocator reuses
    freed buffers: 50 allocations of 1 MiB fault their pages about once (256), not 50 times."""
    env = client.run(lambda: os.environ.get("MALLOC_TRIM_THRESHOLD_"))
    assert set(env.values()) == {"65536"}  # the condition this guards against is really there
    _by_value()
    res = run_batch(BatchParams("convert", (str(folder / GOOD_LOCAL[0]),), tmp_path / "out", force=True),
                    client=client, task=_faults_after_job)
    faults = res.report.files[0].counts["faults"]
    assert res.report.files[0].status == "ok"
    assert faults < 10 * 256, faults  # untuned: 50 x 256 pages = 12,800 faults


def _ignore_sigterm_and_sleep() -> None:
    import signal

    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    time.sleep(120)


def test_reap_workers_terminates_then_kills_what_is_left() -> None:
    """What closing a run does with worker processes a timed-out cluster close left running."""
    import multiprocessing

    from citytwin.app.commands.batch import reap_workers

    ctx = multiprocessing.get_context("fork")
    done = ctx.Process(target=time.sleep, args=(0,))
    sleeper = ctx.Process(target=time.sleep, args=(120,))
    stubborn = ctx.Process(target=_ignore_sigterm_and_sleep)
    for p in (done, sleeper, stubborn):
        p.start()
    time.sleep(0.5)  # let the stubborn one install its handler
    t0 = time.monotonic()
    forced = reap_workers([done, sleeper, stubborn], grace=1.0)
    assert sorted(forced) == sorted([sleeper.pid, stubborn.pid])  # the one that exited was left alone
    assert not any(p.is_alive() for p in (done, sleeper, stubborn))
    # SIGTERM (143: the CLI's clean-exit handler, inherited when an earlier test ran the CLI in
    # this process), then SIGKILL
    assert sleeper.exitcode in (-15, 143) and stubborn.exitcode == -9
    assert time.monotonic() - t0 < 15
