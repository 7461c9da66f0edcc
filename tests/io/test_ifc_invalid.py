"""IfcOpenShell's invalid fixtures never take the process down: a model or one `error:` line."""

from __future__ import annotations

import subprocess
import sys

import pytest

from citytwin.errors import InputError
from citytwin.io.registry import read
from tests.conftest import DATA, SHARED, shared_path


def _files() -> list[str]:
    base = SHARED / "invalid" / "ifc"
    return sorted(str(p.relative_to(base)) for p in base.rglob("*.ifc")) if base.exists() else []


def test_whole_invalid_ifc_suite_in_one_cli_process():
    """All fixtures through the real CLI: each gives exit 0 or 1 with an `error:` line, never a crash."""
    files = _files()
    if not files:
        pytest.skip("shared corpus not present")
    code = ("import sys\nfrom citytwin.io.registry import read\nfrom citytwin.errors import CityTwinError\n"
            "for f in sys.argv[1:]:\n"
            "    try:\n        m = read(f); print('OK', len(m.problems), f)\n"
            "    except CityTwinError as e:\n        print('ERR', f, '|', e)\n")
    paths = [str(SHARED / "invalid" / "ifc" / f) for f in files]
    r = subprocess.run([sys.executable, "-c", code, *paths], capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr[-2000:]
    lines = [ln for ln in r.stdout.splitlines() if ln.startswith(("OK", "ERR"))]
    assert len(lines) == len(files)
    errs = [ln for ln in lines if ln.startswith("ERR")]
    assert any("fail_no_header" in ln for ln in errs)
    assert all("pass" not in ln.split("|")[0].rsplit("/", 1)[-1] or "pass" in ln for ln in errs)


@pytest.mark.parametrize("n", [0, 7, 13])
def test_impossible_site_latitudes_are_reported(n):
    m = read(shared_path("invalid", "ifc", "ifcopenshell_rules", f"fail-site-latitude-{n}-ifc2x3.ifc"))
    assert m.source["georef"]["method"] == "none"
    assert any("RefLatitude" in p.message for p in m.problems)


def test_local_copy_latitude():
    m = read(DATA / "ifc" / "fail-site-latitude-13-ifc2x3.ifc")
    assert any("mixes positive and negative" in p.message for p in m.problems)


def test_unparseable_raises_input_error_naming_file():
    with pytest.raises(InputError, match="fail_no_header.ifc"):
        read(DATA / "ifc" / "fail_no_header.ifc")
