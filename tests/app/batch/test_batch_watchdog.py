"""The per-file watchdog of ``batch`` (issue 17): a file over its memory (RSS) or wall-time limit
is stopped, reported as that file's failure with one sentence naming the file and the limit, and
the run goes on with the next files.

Inputs: real files of tests/data/cityjson, and a 20 MB single-line CityJSON built from the real
Rotterdam block (tests/big_cityjson.py): reading it needs several hundred MB and several seconds,
so tiny limits (300 MiB, 2 s) stop it while the small real files pass under the same limits.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import psutil
import pytest

from citytwin.app.commands.batch import BatchParams, run_batch
from citytwin.app.commands.batch_watchdog import parse_limits
from citytwin.errors import UsageError
from tests.big_cityjson import write_big_cityjson

DATA = Path(__file__).resolve().parents[2] / "data" / "cityjson"
SMALL = ["3dbag_b2_v2.0.city.json", "denhaag_DH_01_subs_v1.1.city.json"]


@pytest.fixture(scope="module")
def big_folder(tmp_path_factory) -> Path:
    d = tmp_path_factory.mktemp("watchdog")
    write_big_cityjson(d / "big.city.json", 20_000_000)
    for n in SMALL:
        shutil.copy(DATA / n, d / n)
    return d


def _children() -> set[int]:
    return {p.pid for p in psutil.Process().children(recursive=True)}


def test_file_over_the_memory_limit_is_stopped_and_the_run_goes_on(big_folder: Path, tmp_path: Path) -> None:
    """The CLI with --file-memory 300M: the big file is stopped with one sentence naming it and
    the limit; the small files are done; exit 3, no traceback, no temporary file, no process left."""
    out = tmp_path / "out"
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    proc = subprocess.Popen([sys.executable, "-m", "citytwin", "batch", "info", str(big_folder), "-o", str(out),
                             "--workers", "0", "--file-memory", "300M", "--quiet"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    me = psutil.Process(proc.pid)
    seen: set[int] = set()
    while proc.poll() is None:  # the watched file process is a child of the CLI, gone at the end
        try:
            seen |= {c.pid for c in me.children(recursive=True)}
        except psutil.Error:
            pass
        try:
            proc.wait(0.1)
        except subprocess.TimeoutExpired:
            pass
    err = proc.stderr.read()
    assert proc.returncode == 3, err
    assert "Traceback" not in err
    big = str(big_folder / "big.city.json")
    lines = [ln for ln in err.splitlines() if big in ln]
    assert len(lines) == 1 and "over the per-file limit of 300 MiB (batch --file-memory)" in lines[0], err
    rep = {Path(f["input"]).name: f for f in json.loads((out / "batch-report.json").read_text())["files"]}
    assert rep["big.city.json"]["status"] == "failed" and "stopped at" in rep["big.city.json"]["error"]
    assert all(rep[n]["status"] == "ok" for n in SMALL)
    assert sorted(p.name for p in out.iterdir() if p.name.endswith(".info.json")) == \
        sorted(n.replace(".city.json", ".info.json") for n in SMALL)
    assert not list(out.glob(".*.part"))
    assert seen and not any(psutil.pid_exists(p) and psutil.Process(p).status() != psutil.STATUS_ZOMBIE
                            for p in seen)


def test_file_over_the_time_limit_is_stopped_and_the_run_goes_on(big_folder: Path, tmp_path: Path) -> None:
    before = _children()
    res = run_batch(BatchParams("info", (str(big_folder),), tmp_path / "out", workers=0,
                                file_limits=parse_limits(2, None)))
    st = {Path(r.input).name: r for r in res.report.files}
    err = st["big.city.json"].error
    assert st["big.city.json"].status == "failed"
    assert err.startswith(str(big_folder / "big.city.json") + ": stopped after ")
    assert err.endswith("over the per-file time limit of 2 s (batch --file-timeout)")
    assert st["big.city.json"].duration_s < 10
    assert all(st[n].status == "ok" for n in SMALL) and res.exit_code == 3
    assert _children() == before  # the file process ends with the run


def test_watchdog_on_dask_workers(client, big_folder: Path, tmp_path: Path) -> None:
    """On a cluster each worker watches its own file process (a worker process is a daemon:
    the file process is started with subprocess, not multiprocessing)."""
    res = run_batch(BatchParams("info", (str(big_folder),), tmp_path / "out",
                                file_limits=parse_limits(None, "300M")), client=client)
    st = {Path(r.input).name: r for r in res.report.files}
    assert st["big.city.json"].status == "failed"
    assert "over the per-file limit of 300 MiB" in st["big.city.json"].error
    assert all(st[n].status == "ok" and st[n].worker for n in SMALL)


def test_limits_parse() -> None:
    assert parse_limits("0", "0").active is False
    lim = parse_limits("90", "2G")
    assert (lim.seconds, lim.memory) == (90.0, 2 * 2**30)
    assert parse_limits(None, "auto").memory == "auto"
    for bad in (("x", "1G"), ("-5", "1G"), ("10", "lots")):
        with pytest.raises(UsageError):
            parse_limits(*bad)
