"""Output safety (issue 17 items 1, 2, 8, 9): every writer goes through io.atomic / io.safe_io.

Only a new path or a regular file is written (a FIFO or a device node is refused and left as it
is), texture copying does not follow a symlink out of the input folder, a full disk or an
unwritable folder is one ``error:`` line with nothing left behind, and ``.part`` files of killed
runs are removed by the next write into the folder.
"""

from __future__ import annotations

import errno
import os
import shutil
import stat
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "fuzz"))
from harness import check_invariants, run_cli  # noqa: E402

DATA = Path(__file__).resolve().parents[1] / "data"
SMALL = DATA / "cityjson" / "3dbag_b2_v2.0.city.json"


@pytest.mark.parametrize("suffix", [".city.json", ".gml", ".city.jsonl"])
def test_fifo_target_is_refused_and_left_a_fifo(tmp_path, suffix):
    target = tmp_path / f"out{suffix}"
    os.mkfifo(target)
    out = run_cli(["convert", str(SMALL), str(target), "--quiet"], timeout=120)
    assert out.code == 1 and "FIFO" in out.stderr and str(target) in out.stderr, out.stderr
    assert stat.S_ISFIFO(os.stat(target).st_mode)
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".part")]


def test_device_node_target_is_refused_and_left_a_device(tmp_path):
    """As root, ``convert IN /dev/null`` replaced the system's /dev/null by a regular file. The
    test makes its own null device node (1, 3) in a temporary folder."""
    dev = tmp_path / "null"
    try:
        os.mknod(dev, 0o666 | stat.S_IFCHR, os.makedev(1, 3))
    except (PermissionError, OSError) as exc:
        pytest.skip(f"cannot make a device node here ({exc})")
    out = run_cli(["convert", str(SMALL), str(dev), "--format", "cityjson", "--quiet"], timeout=120)
    assert out.code == 1 and "character device" in out.stderr, out.stderr
    assert stat.S_ISCHR(os.stat(dev).st_mode)


def test_symlinked_texture_is_not_copied(tmp_path):
    """A texture named like an image but a symlink to any readable file was copied into the
    output folder (a leak); now it is refused with a warning and the rest is written."""
    from citytwin.app.commands.convert import ConvertParams, run_convert

    src = tmp_path / "in"
    shutil.copytree(DATA / "cityjson" / "rotterdam_textured", src)
    secret = tmp_path / "secret.txt"
    secret.write_text("do not copy me")
    img = next((src / "appearances").iterdir())
    img.unlink()
    img.symlink_to(secret)
    target = tmp_path / "out" / "x.city.json"
    res = run_convert(ConvertParams(src / "rotterdam_subset_v2.0.city.json", target))
    assert target.is_file()
    assert any(img.name in w and "outside the input folder" in w for w in res.write_problems)
    assert not (target.parent / "appearances" / img.name).exists()


@pytest.mark.parametrize("suffix", [".city.json", ".gml"])
def test_full_disk_is_one_error_and_nothing_is_left(tmp_path, monkeypatch, capsys, suffix):
    """ENOSPC while writing was a traceback; now one error line, no target, no .part file."""
    from citytwin.app.cli import main

    def full(fd):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(os, "fsync", full)
    target = tmp_path / "out" / f"x{suffix}"
    code = main(["convert", str(SMALL), str(target), "--quiet"])
    err = capsys.readouterr().err
    assert code == 1 and "No space left on device" in err and str(target) in err
    assert [ln for ln in err.splitlines() if ln.startswith("error:")] == [ln for ln in err.splitlines()
                                                                         if "No space" in ln]
    assert not target.exists() and not [p for p in target.parent.iterdir() if p.name.endswith(".part")]


def test_unwritable_folder_is_one_error(tmp_path, monkeypatch, capsys):
    """A read-only folder (EROFS / EACCES at the temporary file) was a traceback. Root ignores
    permission bits, so the refusal of the file system is simulated at mkstemp."""
    import tempfile

    from citytwin.app.cli import main

    def ro(*a, **k):
        raise OSError(errno.EROFS, os.strerror(errno.EROFS))

    monkeypatch.setattr(tempfile, "mkstemp", ro)
    target = tmp_path / "x.city.json"
    code = main(["convert", str(SMALL), str(target), "--quiet"])
    err = capsys.readouterr().err
    assert code == 1 and "Read-only file system" in err and str(target) in err and "Traceback" not in err


def test_solar_csv_writer_full_disk_is_one_error(tmp_path, monkeypatch):
    """The solar and study writers use the same atomic writer: an OSError becomes OutputError."""
    from citytwin.errors import OutputError
    from citytwin.io.atomic import atomic_write_text

    def full(fd):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(os, "fsync", full)
    with pytest.raises(OutputError, match="No space left"):
        atomic_write_text(tmp_path / "solar.csv", "a,b\n")
    assert list(tmp_path.iterdir()) == []


def test_stale_part_files_of_killed_runs_are_removed_by_the_next_run(tmp_path):
    """SIGKILL cannot be caught: its .part file is removed by the next write into the folder
    (its process is gone); a .part of a running process is left alone."""
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    dead = out_dir / ".x.city.json.999999999.abcd1234.part"
    dead.write_bytes(b"half")
    alive = out_dir / f".y.city.json.{os.getppid()}.abcd1234.part"
    alive.write_bytes(b"being written")
    out = run_cli(["convert", str(SMALL), str(out_dir / "x.city.json"), "--quiet"], timeout=120)
    assert out.code == 0, out.stderr
    assert not dead.exists() and alive.exists()


def test_sigterm_while_writing_leaves_no_part_file(tmp_path):
    """SIGTERM during a write killed the process without clean-up (a .part file stayed behind);
    the CLI turns it into an exit that runs the atomic writer's clean-up."""
    import signal

    from harness import run_call

    target = tmp_path / "x.city.json"

    def body() -> int:
        from citytwin.app.cli import _exit_on_sigterm
        from citytwin.io.atomic import atomic_open

        _exit_on_sigterm()
        with atomic_open(target) as f:
            f.write(b"half")
            os.kill(os.getpid(), signal.SIGTERM)
            f.write(b" never")
        return 0

    out = run_call(body, timeout=60)
    assert out.code == 143 and "terminated" in out.stderr, out.stderr
    assert list(tmp_path.iterdir()) == []
