"""The IFC geometry worker: reused across imports, survives hangs, works from unguarded scripts."""

from __future__ import annotations

import subprocess
import sys
import time

import pytest

from citytwin.io.ifc import process as ifc_process
from citytwin.io.ifc.reader import read_ifc
from tests.conftest import shared_path


def _small():
    return shared_path("ifc", "ifcopenshell_files", "TestModel_IFC4Add2.ifc")


def test_worker_is_reused_between_imports_and_gives_the_same_model():
    path = _small()
    a = read_ifc(path, envelope=False)
    assert len(ifc_process._POOL.idle) == 1
    pid = ifc_process._POOL.idle[0].proc.pid
    b = read_ifc(path, envelope=False)
    assert [w.proc.pid for w in ifc_process._POOL.idle] == [pid]  # same warm process served both
    assert set(a.objects) == set(b.objects)
    assert a.vertices.shape == b.vertices.shape and (a.vertices == b.vertices).all()


def test_hung_element_is_killed_reported_and_the_rest_imports(monkeypatch):
    """A hang costs the hang timeout once, not twice: the iterator counts as stalled after
    stall_timeout(T) s, the stuck element then gets the rest of T alone."""
    path = _small()
    whole = read_ifc(path, envelope=False)
    victim = next(o.id for o in whole if o.attributes.get("ifc_class", "").startswith("IfcSlab"))
    monkeypatch.setenv("CITYTWIN_TEST_IFC_HANG_GUID", victim)
    T = 6.0
    stall = ifc_process.stall_timeout(T)
    assert stall == 1.0
    t = time.perf_counter()
    m = read_ifc(path, envelope=False, hang_timeout=T)
    took = time.perf_counter() - t
    assert set(whole.objects) - set(m.objects) == {victim}
    assert any(p.object_id == victim and f"no progress for {T - stall:g} s" in p.message
               and f"{T:g} s hang timeout" in p.message for p in m.problems)
    assert any(p.object_id is None and f"iterator made no progress for {stall:g} s" in p.message
               for p in m.problems)
    assert m.source["ifc_restarts"] == 2  # iterator -> per element -> past the hung element
    assert m.source["ifc_hang_wait_s"] == pytest.approx(T)  # was 2 T before the budget was split
    assert took < 2 * T + 30  # the waiting above plus two worker starts and re-parses
    # the hung workers were killed, not pooled; the next import gets a healthy worker
    monkeypatch.delenv("CITYTWIN_TEST_IFC_HANG_GUID")
    again = read_ifc(path, envelope=False, hang_timeout=30)
    assert set(again.objects) == set(whole.objects)
    assert again.source["ifc_hang_wait_s"] == 0


def test_stall_timeout_is_a_small_part_of_the_hang_timeout():
    assert ifc_process.stall_timeout(120.0) == 12.0
    assert ifc_process.stall_timeout(6.0) == 1.0
    assert ifc_process.stall_timeout(1.0) == 0.5


def test_hang_timeout_from_environment(monkeypatch):
    monkeypatch.setenv("CITYTWIN_IFC_HANG_TIMEOUT", "7.5")
    assert ifc_process.hang_timeout_default() == 7.5
    monkeypatch.setenv("CITYTWIN_IFC_HANG_TIMEOUT", "nonsense")
    assert ifc_process.hang_timeout_default() == ifc_process.DEFAULT_HANG_TIMEOUT


def test_script_without_main_guard_can_import_ifc(tmp_path):
    """multiprocessing's spawn/forkserver re-import an unguarded __main__; the worker is a plain subprocess."""
    script = tmp_path / "noguard.py"
    script.write_text("from citytwin.io.ifc.reader import read_ifc\n"
                      f"m = read_ifc({str(_small())!r}, envelope=False)\n"
                      "print('objects', len(m))\n")
    r = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr[-2000:]
    assert int(r.stdout.split()[-1]) > 10


def test_fast_start_falls_back_to_a_plain_start(monkeypatch):
    """A worker started with -S that dies before it is ready (an environment that needs site/.pth
    processing) is replaced by a plainly started one, and the import goes through."""
    ifc_process.shutdown_workers()
    monkeypatch.setitem(ifc_process._fast_boot, "on", True)
    monkeypatch.setattr(ifc_process, "_BOOT", "import sys\nif sys.flags.no_site: sys.exit(3)\n" + ifc_process._BOOT)
    m = read_ifc(_small(), envelope=False)
    assert len(m) > 10 and m.source["ifc_restarts"] == 0
    assert ifc_process._fast_boot["on"] is False
    assert not ifc_process._POOL.idle[0].fast
    ifc_process.shutdown_workers()  # the next test starts fast again


def _wrapper(tmp_path, name: str, body: str):
    """An executable shell script (stands in for an embedding host's or a frozen app's binary)."""
    import os
    import shlex

    p = tmp_path / name
    env = shlex.quote(os.pathsep.join(x for x in sys.path if x))
    p.write_text(f"#!/bin/sh\necho \"$@\" >> {shlex.quote(str(tmp_path / (name + '.log')))}\n"
                 f"PYTHONPATH={env} exec {shlex.quote(sys.executable)} {body} \"$@\"\n")
    p.chmod(0o755)
    return p


def test_worker_runs_multiprocessings_interpreter_not_sys_executable(tmp_path, monkeypatch):
    """An embedding program whose sys.executable is not a Python names one with
    multiprocessing.set_executable; the worker uses it (sys.executable would fail)."""
    import multiprocessing.spawn

    python = _wrapper(tmp_path, "python", "")
    ifc_process.shutdown_workers()
    monkeypatch.setattr(multiprocessing.spawn, "_python_exe", str(python))
    monkeypatch.setattr(sys, "executable", "/bin/false")
    try:
        m = read_ifc(_small(), envelope=False)
    finally:
        ifc_process.shutdown_workers()
    assert len(m) > 10 and m.source["ifc_restarts"] == 0
    assert "-c" in (tmp_path / "python.log").read_text()


def test_frozen_build_starts_itself_as_the_worker(tmp_path, monkeypatch):
    """Frozen (sys.frozen, sys.executable = the app): the app is started with the worker flag and
    its entry point (citytwin.app.cli.main) runs the worker."""
    from citytwin.io.ifc import worker as ifc_worker

    app = _wrapper(tmp_path, "app", "-c 'import sys; from citytwin.app.cli import main; raise SystemExit(main())'")
    ifc_process.shutdown_workers()
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(sys, "executable", str(app))
    try:
        m = read_ifc(_small(), envelope=False)
    finally:
        ifc_process.shutdown_workers()
    assert len(m) > 10 and m.source["ifc_restarts"] == 0
    assert (tmp_path / "app.log").read_text().split() == [ifc_worker.WORKER_FLAG]


def test_no_interpreter_is_a_clear_error(monkeypatch):
    import multiprocessing.spawn

    from citytwin.errors import MissingDependencyError

    ifc_process.shutdown_workers()
    monkeypatch.setattr(multiprocessing.spawn, "_python_exe", b"")
    with pytest.raises(MissingDependencyError, match="multiprocessing.set_executable"):
        read_ifc(_small(), envelope=False)


def test_self_referencing_placement_is_an_element_problem_without_a_fatal_error_text(tmp_path):
    """A real file whose element placement is relative to itself segfaults the kernel: the element is
    reported (with the signal), the import exits 0, and the worker's faulthandler text ("Fatal Python
    error: Segmentation fault" and a stack, printed because PYTHONFAULTHANDLER is inherited) does
    not reach the person."""
    import os

    text = shared_path("ifc", "ifcopenshell_files", "basic_shape_Tessellation.ifc").read_text()
    assert text.count("#1001= IFCLOCALPLACEMENT(#511,#1002);") == 1
    p = tmp_path / "self_placement.ifc"
    p.write_text(text.replace("#1001= IFCLOCALPLACEMENT(#511,#1002);", "#1001= IFCLOCALPLACEMENT(#1001,#1002);"))
    r = subprocess.run([sys.executable, "-m", "citytwin", "info", str(p)], capture_output=True, text=True,
                       timeout=300, env={**os.environ, "PYTHONFAULTHANDLER": "1"})
    assert r.returncode == 0, r.stderr
    assert "Fatal Python error" not in r.stderr and "Segmentation fault" not in r.stderr, r.stderr
    assert "Traceback" not in r.stderr
    line = next(x for x in r.stdout.splitlines() if "1kTvXnbbzCWw8lcMd1dR4o" in x)
    assert "[error]" in line and "crashed" in line and "SIGSEGV" in line and "element skipped" in line


def test_worker_start_failure_names_the_reason(monkeypatch):
    """The worker's stderr is captured, not shown: when it dies before it is ready, its last line is in
    the one error sentence."""
    from citytwin.errors import InputError

    ifc_process.shutdown_workers()
    monkeypatch.setitem(ifc_process._fast_boot, "on", False)
    monkeypatch.setattr(ifc_process, "_BOOT", "import sys\nsys.stderr.write('ModuleNotFoundError: No module "
                        "named ifcopenshell\\n')\nsys.exit(3)\n")
    with pytest.raises(InputError, match="the worker said: ModuleNotFoundError: No module named ifcopenshell"):
        read_ifc(_small(), envelope=False)
    ifc_process.shutdown_workers()
