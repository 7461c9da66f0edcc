"""``info`` on a large single-line CityJSON (issue 17 item 6): memory stays within the limit.

Before, ``info`` on a 1.08 GB document took 11.5 GB: the size was checked against the limit, not
the memory describing it takes (10-18 times the size). Now a document whose estimate is over
``--max-memory`` is refused before it is read, in one sentence naming the limit and what to do
instead, and one under it is described within it.

Inputs: CityJSON documents built from the real Rotterdam block (tests/big_cityjson.py), one
line each: ~60 MB (refused under a 1 GB limit) and ~3 MB (described under 200 MB).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.big_cityjson import write_big_cityjson


#: runs the CLI and, at exit, keeps its own peak resident memory (VmHWM of /proc/self/status;
#: the wait4 peak would count the pages shared with this big test process between fork and exec)
_RUN = ("import atexit, sys\n"
        "def keep():\n"
        "    hwm = [ln for ln in open('/proc/self/status') if ln.startswith('VmHWM')][0].split()[1]\n"
        "    open(sys.argv[1], 'w').write(hwm)\n"
        "atexit.register(keep)\n"
        "from citytwin.app.cli import main\n"
        "sys.exit(main(sys.argv[2:]))\n")


def _info(path: Path, max_memory: str, tmp: Path) -> tuple[int, str, str, int]:
    """Run ``citytwin --max-memory M info PATH``; returns (exit code, stdout, stderr, peak RSS bytes)."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    hwm = tmp / "hwm.txt"
    res = subprocess.run([sys.executable, "-c", _RUN, str(hwm), "--max-memory", max_memory, "info", str(path)],
                         capture_output=True, text=True, env=env, timeout=600)
    return res.returncode, res.stdout, res.stderr, int(hwm.read_text()) * 1024


pytestmark = pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="peak memory from /proc (Linux)")


def test_large_document_over_the_limit_is_refused_before_reading(tmp_path: Path) -> None:
    big = tmp_path / "big.city.json"
    write_big_cityjson(big, 60_000_000)
    assert "\n" not in big.read_text()[:-1]
    code, out, err, peak = _info(big, "1G", tmp_path)
    assert code == 1, out + err
    assert "Traceback" not in err
    (line,) = [ln for ln in err.splitlines() if ln.startswith("error:")]
    assert str(big) in line and "over the memory limit of 1.0 GB" in line and "citytwin batch info" in line
    assert peak < 200 * 2**20  # nothing of the document was parsed


def test_document_under_the_limit_is_described_within_it(tmp_path: Path) -> None:
    doc = tmp_path / "small.city.json"
    write_big_cityjson(doc, 3_000_000)
    size = doc.stat().st_size
    code, out, err, peak = _info(doc, "200M", tmp_path)
    assert code == 0, err
    assert "objects:" in out
    assert peak < 200 * 2**20
    _, _, _, idle = _info(Path(__file__).resolve().parents[1] / "data" / "cityjson" / "3dbag_b2_v2.0.city.json", "200M",
                         tmp_path)
    assert peak - idle < 18 * size  # the estimate (CITYJSON_INFO_FACTOR) holds on this document
