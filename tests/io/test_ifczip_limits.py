"""``.ifczip`` unpacking (issue 17 item 6): IfcOpenShell's own unpacking wrote the member, whatever
its size, into the shared temporary folder (a 4 MB archive wrote 4 GB; 2.2 GB stayed after kill -9).
Now the member goes into a private folder that is removed on success, error and SIGTERM (a killed
worker's folder by the next read), within the ``.gz`` decompression-bomb limit.

Inputs: ``tests/data/ifc/basic.ifczip`` (real, IfcOpenShell's Bonsai test file) and archives made
in the test from its real ``export.ifc`` with a long STEP comment appended (the bombs).
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest

from citytwin.io.ifc import worker as ifc_worker

REAL = Path(__file__).resolve().parents[1] / "data" / "ifc" / "basic.ifczip"


def _bomb(path: Path, padding: int) -> Path:
    """The real export.ifc with a comment of ``padding`` blanks after its header, zipped."""
    text = zipfile.ZipFile(REAL).read("export.ifc")
    head, sep, rest = text.partition(b"DATA;")
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as zf:
        with zf.open("export.ifc", "w", force_zip64=True) as f:
            f.write(head + b"/*")
            block = b" " * (1 << 20)
            for _ in range(padding >> 20):
                f.write(block)
            f.write(b"*/\n" + sep + rest)
    return path


def _cli(args: list[str], tmpdir: Path, **env_extra) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path), "TMPDIR": str(tmpdir), **env_extra}
    return subprocess.run([sys.executable, "-m", "citytwin", *args], capture_output=True, text=True, env=env,
                          timeout=300)


def _ours(tmpdir: Path) -> list[str]:
    return [p.name for p in tmpdir.iterdir() if p.name.startswith(ifc_worker.UNZIP_PREFIX)]


def test_ifczip_is_read_and_its_temporary_folder_removed(tmp_path: Path) -> None:
    tmpdir = tmp_path / "tmp"
    tmpdir.mkdir()
    stale = tmpdir / f"{ifc_worker.UNZIP_PREFIX}999999999-abcd"  # left by a SIGKILL-ed worker
    stale.mkdir()
    (stale / "member.ifc").write_bytes(b"x" * 1000)
    res = _cli(["info", str(REAL)], tmpdir)
    assert res.returncode == 0, res.stderr
    assert "objects:" in res.stdout and "problems:   0" in res.stdout
    assert _ours(tmpdir) == []


def test_ifczip_bomb_is_refused_before_unpacking(tmp_path: Path) -> None:
    """70 MB of comment zipped to ~70 KB (ratio ~1000, past the 64 MB free allowance): one
    error naming the file and the limit; nothing written to the temporary folder."""
    bomb = _bomb(tmp_path / "bomb.ifczip", 70 << 20)
    assert bomb.stat().st_size < 1 << 20
    tmpdir = tmp_path / "tmp"
    tmpdir.mkdir()
    res = _cli(["info", str(bomb)], tmpdir)
    assert res.returncode == 1, res.stdout + res.stderr
    assert "Traceback" not in res.stderr
    (line,) = [ln for ln in res.stderr.splitlines() if ln.startswith("error:")]
    assert str(bomb) in line and "decompression bomb" in line and "over the limit of 67,108,864 bytes" in line
    assert list(tmpdir.iterdir()) == []


def test_damaged_ifczip_is_one_error_and_leaves_nothing(tmp_path: Path) -> None:
    """The real archive with bytes of its compressed member overwritten: one error naming the
    file, no traceback, the private folder removed."""
    data = bytearray(REAL.read_bytes())
    start = 30 + len("export.ifc")  # the member's data follows its local header
    data[start + 200:start + 400] = bytes(200)
    bad = tmp_path / "damaged.ifczip"
    bad.write_bytes(bytes(data))
    tmpdir = tmp_path / "tmp"
    tmpdir.mkdir()
    res = _cli(["info", str(bad)], tmpdir)
    assert res.returncode == 1, res.stdout + res.stderr
    assert "Traceback" not in res.stderr
    (line,) = [ln for ln in res.stderr.splitlines() if ln.startswith("error:")]
    assert str(bad) in line and "damaged" in line
    assert list(tmpdir.iterdir()) == []


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT])
def test_signal_while_unpacking_leaves_nothing(tmp_path: Path, sig: int) -> None:
    """SIGTERM / Ctrl-C to the command's process group while the member is being unpacked: the
    command ends with one error line, and the private temporary folder is gone."""
    bomb = _bomb(tmp_path / "big.ifczip", 400 << 20)
    tmpdir = tmp_path / "tmp"
    tmpdir.mkdir()
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path), "TMPDIR": str(tmpdir),
           "CITYTWIN_MAX_GZIP_RATIO": "100000"}
    proc = subprocess.Popen([sys.executable, "-m", "citytwin", "info", str(bomb)], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env=env, start_new_session=True)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and not _ours(tmpdir) and proc.poll() is None:
        time.sleep(0.005)
    assert _ours(tmpdir), "the member was never unpacked"
    os.killpg(proc.pid, sig)
    _, err = proc.communicate(timeout=120)
    assert proc.returncode in (130, 143), err
    assert "Traceback" not in err
    end = time.monotonic() + 10
    while time.monotonic() < end and _ours(tmpdir):
        time.sleep(0.05)
    assert _ours(tmpdir) == []
