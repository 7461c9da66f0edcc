"""Run one ``citytwin`` command on a (mutated) file in a forked child, and check the invariants.

The invariants of issues 11 and 17 for any input, however hostile:

- the exit code is 0 or 1;
- on failure, stderr holds exactly one ``error:`` line and it names the input file;
- no Python traceback and no ``Fatal Python error`` on stderr;
- no hang: the child is killed after ``timeout`` seconds (wall time);
- bounded memory: the child's address space is limited (``RLIMIT_AS``) to what it had at the
  fork plus ``memory`` bytes (2 GB by default), so a reader that allocates from a size claim fails
  fast instead of taking the machine;
- on failure, nothing exists at the output path and no ``.part`` temporary file is left beside it.

A fork (not a new interpreter) is used so a case costs milliseconds of set-up, not the ~2 s of
importing numpy and pyproj again; the child runs the real CLI entry point
(:func:`citytwin.app.cli.main`) with stderr redirected to a file.
"""

from __future__ import annotations

import os
import resource
import signal
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

#: extra address space a child may take above what it had at the fork (bytes)
MEMORY = int(float(os.environ.get("CITYTWIN_FUZZ_MEMORY", 2e9)))
#: wall-time limit of one case (seconds)
TIMEOUT = float(os.environ.get("CITYTWIN_FUZZ_TIMEOUT", 60))


@dataclass
class Outcome:
    """What one child did: exit code (or -signal), stderr text, seconds taken."""

    code: int
    stderr: str
    seconds: float
    stdout: str = ""


def _vm_size() -> int:
    """The process's current virtual memory size in bytes (Linux)."""
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmSize:"):
                return int(line.split()[1]) * 1024
    return 0


_WARM: set[str] = set()


def warm(paths) -> None:
    """Read each file once in this (parent) process, so the lazy imports of every reader and
    writer (trimesh, lxml, pyproj, ...: ~20 s cold on a busy machine) happen before the forks and
    a case costs its read only (~0.2 s)."""
    import contextlib
    import io

    from citytwin.app.commands.info import InfoParams, run_info

    for mod in ("citytwin.io.cityjson.writer", "citytwin.io.citygml.writer", "citytwin.app.commands.convert"):
        __import__(mod)
    for p in paths:
        if str(p) in _WARM:
            continue
        _WARM.add(str(p))
        with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
            try:
                run_info(InfoParams(Path(p), None, 10))
            except Exception:  # noqa: BLE001 - only the imports matter here
                pass


def run_cli(argv: list[str], timeout: float = TIMEOUT, memory: int = MEMORY) -> Outcome:
    """Run ``citytwin ARGV`` in a forked child with limits; return its exit code and stderr."""
    import citytwin.app.cli as cli  # imported before the fork: the child starts warm

    return run_call(lambda: cli.main(list(argv)), timeout, memory)


def run_call(fn, timeout: float = TIMEOUT, memory: int | None = MEMORY) -> Outcome:
    """Run ``fn() -> exit code`` in a forked child with the limits; return its code and stderr.

    ``memory`` None keeps the address-space limit this process has (an absolute ``ulimit -v``
    set on it, tests/attack_driver.py). The child leads its own process group, so a hang is
    killed with the processes it started (an IFC geometry worker, a batch's file process)."""

    with tempfile.TemporaryFile() as err, tempfile.TemporaryFile() as out:
        sys.stdout.flush()
        sys.stderr.flush()
        t0 = time.monotonic()
        pid = os.fork()
        if pid == 0:  # child: never returns into pytest
            code = 70
            try:
                os.setpgid(0, 0)
                os.dup2(err.fileno(), 2)
                os.dup2(out.fileno(), 1)
                if memory is not None:
                    limit = _vm_size() + memory
                    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
                signal.signal(signal.SIGALRM, signal.SIG_DFL)
                signal.alarm(int(timeout) + 1)
                sys.stderr = os.fdopen(2, "w", buffering=1)
                sys.stdout = os.fdopen(1, "w")
                code = fn()
            except SystemExit as exc:
                code = exc.code if isinstance(exc.code, int) else 1
            except BaseException:  # noqa: BLE001 - an escaped exception is what we look for
                import traceback

                traceback.print_exc()
                code = 99
            finally:
                for stream in (sys.stdout, sys.stderr):
                    try:
                        stream.flush()
                    except BaseException:  # noqa: BLE001
                        pass
                os._exit(code)
        code = _wait(pid, timeout + 5)
        seconds = time.monotonic() - t0
        err.seek(0)
        text = err.read().decode("utf-8", "replace")
        out.seek(0)
        stdout = out.read(1 << 20).decode("utf-8", "replace")
    return Outcome(code, text, seconds, stdout)


def _wait(pid: int, timeout: float) -> int:
    deadline = time.monotonic() + timeout
    while True:
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            return os.waitstatus_to_exitcode(status)
        if time.monotonic() > deadline:
            try:
                os.killpg(pid, signal.SIGKILL)
            except OSError:
                os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
            return -signal.SIGKILL
        time.sleep(0.01)


def check_invariants(out: Outcome, input_path: Path, output: Path | None = None) -> None:
    """Assert the invariants; the message holds what is needed to reproduce the case."""
    err = out.stderr
    where = f"{input_path} (exit {out.code}, {out.seconds:.1f} s):\n{err[-3000:]}"
    assert out.code in (0, 1), f"exit code not 0 or 1: {where}"
    assert "Traceback (most recent call last)" not in err, f"traceback: {where}"
    assert "Fatal Python error" not in err, f"fatal error: {where}"
    error_lines = [ln for ln in err.splitlines() if ln.startswith("error:")]
    if out.code == 1:
        assert len(error_lines) == 1, f"not exactly one error line: {where}"
        assert str(input_path) in error_lines[0] or input_path.name in error_lines[0], \
            f"the error line does not name the file: {where}"
        if output is not None:
            assert not output.exists(), f"output written although the command failed: {where}"
    else:
        assert not error_lines, f"error line with exit 0: {where}"
    if output is not None and output.parent.is_dir():
        left = [p.name for p in output.parent.iterdir() if p.name.endswith(".part")]
        assert not left, f"temporary files left behind {left}: {where}"
