"""``batch solar --report`` (one HTML report per tile, part of the resume key) and Cancel inside a
long in-process solar file (``--workers 0``), on the real Rotterdam tiles of conftest.py."""

from __future__ import annotations

import base64
import json
import re
import threading
import time
from pathlib import Path

import pytest

from citytwin.app.commands.batch import BatchParams, run_batch
from citytwin.app.commands.progress import Progress
from citytwin.errors import Cancelled
from citytwin.io.registry import read

#: compute_irradiation's message, once per ray chunk (in a batch: ``<file name>: 909 of 3,238 points``)
CHUNK_MESSAGE = re.compile(r"(?:^|: )([\d,]+) of ([\d,]+) points$")


def _batch(*args: str) -> tuple[int, dict]:
    from citytwin.app.cli import main

    out = Path(args[args.index("-o") + 1])
    code = main(["batch", "solar", *args, "--workers", "0", "--quiet", "--resolution", "4"])
    return code, json.loads((out / "batch-report.json").read_text())


def _summary(html_text: str) -> dict[str, object]:
    """The report's summary table: ``<tr><th>name</th><td>JSON value</td></tr>``."""
    import html

    return {k: json.loads(html.unescape(v)) for k, v in re.findall(r"<tr><th>([a-z_0-9]+)</th><td>(.*?)</td></tr>",
                                                                   html_text)}


def test_cli_report_per_tile_names_its_tile_and_has_its_numbers(tiles, tmp_path: Path) -> None:
    _, tiles_dir = tiles
    out = tmp_path / "out"
    code, rep = _batch(str(tiles_dir), "-o", str(out), "--csv")
    assert code == 0 and rep["totals"]["ok"] == 3 and not list(out.glob("*.html"))
    # the option added: every tile is redone and gets its report, listed among its outputs
    code, rep = _batch(str(tiles_dir), "-o", str(out), "--csv", "--report")
    assert code == 0 and rep["totals"]["ok"] == 3, rep["totals"]
    assert rep["options"]["report"] is True
    buildings_seen = set()
    for f in rep["files"]:
        name = Path(f["input"]).name
        stem = name.removesuffix(".city.json")
        page = out / f"{stem}.solar.html"
        assert sorted(f["outputs"]) == sorted(str(out / n) for n in (name, f"{stem}.solar.csv", f"{stem}.solar.html"))
        text = page.read_text()
        assert f"<title>Solar study of {name}</title>" in text and f"<h1>Solar study of {name}</h1>" in text
        s = _summary(text)
        c = f["counts"]
        # the tile's own numbers, not those of the scene with its context tiles
        assert s["points"] == c["points"] and s["buildings"] == c["buildings"] == c["objects"]
        assert s["annual_kwh_total"] == pytest.approx(c["annual_kwh"], abs=0.11)
        own = set(read(out / name).objects)
        table = re.search(r"<h2>Buildings.*?</table>", text, re.S).group(0)
        listed = set(re.findall(r"<tr><td>([^<]+)</td>", table))
        assert listed == own
        buildings_seen |= listed
        import csv

        rows = list(csv.DictReader((out / f"{stem}.solar.csv").open()))
        assert s["surfaces"] == len(rows)
        assert s["annual_kwh_total"] == pytest.approx(sum(float(r["annual_kwh"]) for r in rows), rel=1e-3)
        pngs = re.findall(r'src="data:image/png;base64,([^"]+)"', text)
        assert len(pngs) == 3 and all(base64.b64decode(p)[:8] == b"\x89PNG\r\n\x1a\n" for p in pngs)
    assert len(buildings_seen) == 16
    # same command again: up to date (the reports are in the resume record: a deleted one would
    # make its tile stale, as any recorded output does)
    code, rep = _batch(str(tiles_dir), "-o", str(out), "--csv", "--report")
    assert code == 0 and rep["totals"]["skipped"] == 3
    rec = json.loads((out / ".t_1_0.city.json.batch.json").read_text())
    assert rec["outputs"]["t_1_0.solar.html"] == (out / "t_1_0.solar.html").stat().st_size


def test_report_is_solar_only(tiles, tmp_path: Path, capsys) -> None:
    from citytwin.app.cli import main
    from citytwin.app.commands.batch import plan_jobs
    from citytwin.app.commands.batch_inputs import expand_inputs
    from citytwin.errors import UsageError

    _, tiles_dir = tiles
    # citytwin shadow has no --report, nor has batch shadow
    with pytest.raises(SystemExit) as exc:
        main(["batch", "shadow", str(tiles_dir), "-o", str(tmp_path), "--date", "2025-06-21", "--report"])
    assert exc.value.code == 2 and "unrecognized arguments: --report" in capsys.readouterr().err
    with pytest.raises(UsageError, match="no per-tile report"):
        plan_jobs(BatchParams("shadow", (str(tiles_dir),), tmp_path, options=(("date", "2025-06-21"),
                                                                                ("report", True))),
                  expand_inputs([tiles_dir]))


def test_cancel_inside_a_long_inprocess_solar_file_then_resume(tiles, tmp_path: Path) -> None:
    """Cancel (the GUI's button, a Progress) while ``t_0_0`` is being traced: the run stops at the
    next ray chunk, long before the file would be done; nothing of the file is written; the next
    run skips the finished tile and does the two others."""
    _, tiles_dir = tiles
    out = tmp_path / "out"
    params = BatchParams("solar", (str(tiles_dir),), out, options=(("resolution", 1.25),), workers=0)
    state: dict[str, object] = {"armed": False, "cancelled_at": None, "after": 0}

    def on_progress(fraction: float, message: str | None) -> None:
        if state["cancelled_at"] is not None:
            state["after"] += 1  # type: ignore[operator]
        elif state["armed"] and message and CHUNK_MESSAGE.search(message):
            state["cancelled_at"] = (time.monotonic(), fraction, message)
            prog.cancel()

    def on_record(r) -> None:
        state["armed"] = Path(r.input).name == "t_-6_5.city.json"  # the small tile first, then t_0_0

    prog = Progress(on_progress)
    with pytest.raises(Cancelled):
        run_batch(params, prog, on_record=on_record)
    stopped = time.monotonic()
    assert state["cancelled_at"] is not None, "no ray chunk of t_0_0 was reported"
    t_cancel, fraction, message = state["cancelled_at"]  # type: ignore[misc]
    latency = stopped - t_cancel
    assert state["after"] == 0  # not one more update went through
    assert message.startswith("t_0_0.city.json: ")  # the progress message (GUI status line) names the file
    n_done, n_all = (int(x.replace(",", "")) for x in CHUNK_MESSAGE.search(message).groups())
    assert n_done < n_all  # cancelled inside the file, not after it
    rep = json.loads((out / "batch-report.json").read_text())
    assert [f["status"] for f in rep["files"]] == ["ok", "not-run", "not-run"]
    assert rep["totals"]["not-run"] == 2 and rep["finished"] is not None
    assert not (out / "t_0_0.city.json").exists() and not list(out.glob("*.part")) \
        and not list(out.glob(".*.part")) and not (out / ".t_0_0.city.json.batch.json").exists()

    res = run_batch(params)
    assert [f.status for f in res.report.files] == ["skipped", "ok", "ok"] and res.exit_code == 0
    full = res.report.files[1].duration_s  # t_0_0 from start to end
    # one ray chunk of about n/4 remained: far less than the whole file (4 chunks, plus loading)
    assert latency < 0.6 * full, (latency, full)
    assert res.report.files[1].counts["points"] == n_all


def test_single_solar_run_stops_at_the_next_chunk(tiles) -> None:
    """The GUI's solar dialog runs ``run_solar(model, options, progress)`` in a worker thread:
    Cancel from another thread stops it at the next ray chunk."""
    from citytwin.app.commands.solar import SolarOptions, run_solar

    whole_dir, _ = tiles
    model = read(whole_dir / "whole.city.json")
    chunks: list[float] = []
    prog = Progress(lambda f, m: chunks.append(time.monotonic()) if m and CHUNK_MESSAGE.search(m) else None)
    result: dict[str, object] = {}

    def work() -> None:
        try:
            run_solar(model, SolarOptions(resolution=1.0), prog)
        except Cancelled:
            result["cancelled"] = time.monotonic()

    t = threading.Thread(target=work)
    t.start()
    while not chunks and t.is_alive():
        time.sleep(0.01)
    prog.cancel()
    t.join(120)
    assert not t.is_alive() and "cancelled" in result
    # ~10,000 points: about 11 chunks; stopped after the first (a second may have been under way
    # while this thread waited for the CPU)
    assert 1 <= len(chunks) <= 2
