"""Shared fixtures: where the test data lives.

``tests/data`` holds small real files copied into the project (with provenance), so the suite
runs on a fresh machine. ``shared_data`` is ``../shared/data`` (the whole corpus) when present;
tests over it are skipped (not failed) on machines without it, and CI here always has it.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "tests" / "data"
SHARED = Path(os.environ.get("CITYTWIN_SHARED_DATA", ROOT.parent / "shared" / "data"))
SCHEMAS = ROOT / "resources" / "schemas"


def shared_path(*parts: str) -> Path:
    """A path in ../shared/data; skips the test when the corpus is not on this machine."""
    p = SHARED.joinpath(*parts)
    if not p.exists():
        pytest.skip(f"shared corpus not present: {p}")
    return p


@pytest.fixture(scope="session")
def data_dir() -> Path:
    return DATA


@pytest.fixture(scope="session")
def shared_data() -> Path:
    if not SHARED.exists():
        pytest.skip("shared corpus ../shared/data not present")
    return SHARED


@pytest.fixture(autouse=True)
def _json_encoder_left_exact():
    """Fail the test that leaves Python's JSON float encoder replaced (cjio does it at import):
    every later test in the worker would write rounded JSON and build rounded pyproj CRSs.
    Run cjio in a child process instead."""
    yield
    from citytwin.json_floats import json_floats_patched

    if json_floats_patched():
        from citytwin.json_floats import ensure_exact_json_floats

        ensure_exact_json_floats()
        pytest.fail("this test replaced Python's JSON float encoder in the test process "
                    "(an in-process cjio import?); run cjio in a child process")
