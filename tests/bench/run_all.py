"""Run every ``tests/bench/bench_*.py`` as a script, one after the other (``make bench``).

Each prints its figures and writes ``tests/bench/results/<name>.json``. A benchmark that fails is
reported and the others still run; the exit code is 1 when any failed.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main(argv: list[str]) -> int:
    only = set(argv)
    failed = []
    for script in sorted(HERE.glob("bench_*.py")):
        name = script.stem[len("bench_"):]
        if only and name not in only:
            continue
        print(f"=== {script.name}", flush=True)
        rc = subprocess.run([sys.executable, str(script)]).returncode
        if rc != 0:
            failed.append(script.name)
            print(f"=== {script.name} FAILED (exit {rc})", flush=True)
    if failed:
        print("failed: " + ", ".join(failed))
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
