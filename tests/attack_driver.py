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
import sys


def run(argv: list[str], timeout: float) -> dict:
    """``citytwin ARGV`` in a forked child under this process's address-space limit
    (:func:`tests.fuzz.harness.run_call` with ``memory=None``)."""
    import citytwin.app.cli as cli
    from tests.fuzz.harness import run_call

    out = run_call(lambda: cli.main(list(argv)), timeout, memory=None)
    return {"argv": argv, "code": out.code, "seconds": round(out.seconds, 2), "stderr": out.stderr[-4000:],
            "stdout": out.stdout[:20000]}


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
