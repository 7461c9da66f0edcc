"""citytwin keeps JSON floats exact when cjio (imported before or after it) rounded them to 6
decimals for the whole process. Checked in child processes, never in the test process."""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys

import pytest

from tests.conftest import DATA
from tests.export_validators import gltf_reports

PLATEAU = DATA / "citygml" / "plateau_64413325_bldg_6697_op.gml"  # float32 positions 6 decimals do not keep

needs_cjio = pytest.mark.skipif(importlib.util.find_spec("cjio") is None, reason="cjio is not installed")


def _run(code: str, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-W", "always", "-c", code, *args], capture_output=True,
                          text=True, check=True)


@needs_cjio
def test_cjio_import_rounds_json_and_citytwin_restores_it() -> None:
    code = ("import json, cjio.cityjson; a = json.dumps(0.123456789); import citytwin; "
            "print(a, json.dumps(0.123456789))")
    out = _run(code)
    rounded, restored = out.stdout.split()
    assert rounded == "0.123457"  # what cjio does to every float, proving the check is real
    assert restored == "0.123456789"
    assert "restored the standard encoder" in out.stderr


@needs_cjio
def test_glb_written_after_a_cjio_import_passes_the_khronos_validator(tmp_path) -> None:
    """The CI failure of 2026-12-07: accessor bounds written as 6-decimal floats no longer bound
    the float32 positions (ACCESSOR_MAX_MISMATCH). The Khronos validator is the oracle."""
    out = tmp_path / "plateau.glb"
    code = ("import sys; from citytwin.io.registry import read, write; import cjio.cityjson; "
            "write(read(sys.argv[1]), sys.argv[2])")
    _run(code, str(PLATEAU), str(out))
    report = gltf_reports(out)[0]
    assert report["errors"] == 0, report


def test_the_test_process_json_encoder_is_exact() -> None:
    assert json.dumps(0.123456789) == "0.123456789"
