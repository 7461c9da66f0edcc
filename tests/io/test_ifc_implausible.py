"""An IFC whose coordinates are off the Earth (a unit or placement error) is imported with the element
listed as a problem, in bounded memory.

The case is made at test time from a real file (IfcOpenShell's basic_shape_Tessellation.ifc, a
1 x 1 x 2 m box in millimetres): one corner moved to 6.7e12 mm = 6.7e9 m, the magnitude a
fuzzed real file had. Before, it was accepted without a problem and the LoD 2.2 envelope asked
for a 10 GB grid.
"""

from __future__ import annotations

import resource
import subprocess
import sys

import numpy as np
import pytest

from citytwin.io.ifc.envelope import envelope_geometry
from citytwin.io.registry import read
from tests.conftest import shared_path


@pytest.fixture()
def far_ifc(tmp_path):
    text = shared_path("ifc", "ifcopenshell_files", "basic_shape_Tessellation.ifc").read_text()
    assert text.count("(500.,500.,2000.)") == 1
    p = tmp_path / "far.ifc"
    p.write_text(text.replace("(500.,500.,2000.)", "(6.7E12,500.,2000.)"))
    return p


def _limit_memory():
    resource.setrlimit(resource.RLIMIT_AS, (3 << 30, 3 << 30))


def test_coordinates_off_the_earth_are_a_listed_problem(far_ifc):
    r = subprocess.run([sys.executable, "-m", "citytwin", "info", str(far_ifc)], capture_output=True, text=True,
                       timeout=300, preexec_fn=_limit_memory)
    assert r.returncode == 0, r.stderr
    assert "Traceback" not in r.stderr
    line = next(x for x in r.stdout.splitlines() if "implausible coordinates" in x)
    assert "[error] 1kTvXnbbzCWw8lcMd1dR4o" in line and "6.7e+09 m" in line


def test_in_process_the_element_is_reported_and_nothing_else(far_ifc):
    m = read(far_ifc)
    bad = [p for p in m.problems if "implausible" in p.message]
    assert [(p.object_id, p.severity) for p in bad] == [("1kTvXnbbzCWw8lcMd1dR4o", "error")]
    ok = read(shared_path("ifc", "ifcopenshell_files", "basic_shape_Tessellation.ifc"))
    assert not any("implausible" in p.message for p in ok.problems)


def test_envelope_grid_is_bounded():
    tris = np.array([[[0, 0, 0], [1, 0, 0], [0, 1, 3]], [[6.7e9, 0, 0], [6.7e9 + 1, 0, 0], [6.7e9, 1, 3]],
                     [[0, 0, 0], [6.7e9, 1, 0], [0, 1, 0]]], dtype=float)
    with pytest.raises(ValueError, match="too large for a building envelope"):
        envelope_geometry(tris)
