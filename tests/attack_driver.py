"""Driver of tests/app/test_attack_files.py: runs ``citytwin`` command lines, each in a forked child,
and prints one JSON line per command (exit code, seconds, stderr and the start of stdout).

It is started by the test under an absolute address-space limit (``ulimit -v``, ``RLIMIT_AS``)
that every child inherits, so each command runs under that limit as it would on a server with
it; the fork (from this process, with the CLI imported once) makes a command cost its work, not
the ~2 s start of a new interpreter. A child still running after the time limit is killed and
reported with exit code -9 (a hang).

Usage: ``python tests/attack_driver.py CASES.json TIMEOUT_S``; CASES is ``{"warm": [files],
"cases": [argument lists]}``: the ``warm`` files (real ones) are read once in this process first,
so the lazy imports of every reader happen before the forks.
"""

from __future__ import annotations

import json
import os
import signal
import sys
import tempfile
import time


def run(argv: list[str], timeout: float) -> dict:
    import citytwin.app.cli as cli

    with tempfile.TemporaryFile() as err, tempfile.TemporaryFile() as out:
        sys.stdout.flush()
        sys.stderr.flush()
        t0 = time.monotonic()
        pid = os.fork()
        if pid == 0:
            code = 70
            try:
                os.setpgid(0, 0)  # its own group: a hang is killed with what it started
                os.dup2(err.fileno(), 2)
                os.dup2(out.fileno(), 1)
                sys.stderr = os.fdopen(2, "w", buffering=1)
                sys.stdout = os.fdopen(1, "w")
                code = cli.main(list(argv))
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
        deadline = t0 + timeout
        while True:
            done, status = os.waitpid(pid, os.WNOHANG)
            if done:
                code = os.waitstatus_to_exitcode(status)
                break
            if time.monotonic() > deadline:
                try:
                    os.killpg(pid, signal.SIGKILL)
                except OSError:
                    os.kill(pid, signal.SIGKILL)
                os.waitpid(pid, 0)
                code = -signal.SIGKILL
                break
            time.sleep(0.01)
        seconds = time.monotonic() - t0
        err.seek(0)
        out.seek(0)
        return {"argv": argv, "code": code, "seconds": round(seconds, 2),
                "stderr": err.read().decode("utf-8", "replace")[-4000:],
                "stdout": out.read(20000).decode("utf-8", "replace")}


def _warm(files: list[str]) -> None:
    import io
    from contextlib import redirect_stderr, redirect_stdout

    import citytwin.app.cli as cli
    from citytwin.io.registry import read

    cli.build_parser()  # imports every command module
    for f in files:
        try:
            with redirect_stderr(io.StringIO()), redirect_stdout(io.StringIO()):
                read(f)
        except Exception:  # noqa: BLE001 - only warming up
            pass


def main() -> None:
    spec = json.loads(open(sys.argv[1]).read())
    timeout = float(sys.argv[2])
    _warm(spec.get("warm", []))
    for argv in spec["cases"]:
        print(json.dumps(run(argv, timeout)), flush=True)


if __name__ == "__main__":
    main()
