"""``convert``, ``info`` and the batch report give the same number of problems for a file.

They used to count three ways: info = reader + polygon + ring/shell checks; convert = reader's
minus the writer's and the notes (it does no checks); the batch report = everything, the
writer's included. One function (``app.commands.info.check_model``) counts for all three.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from citytwin.app.commands.batch_tasks import FileJob, run_job
from citytwin.app.commands.convert import ConvertParams, run_convert
from citytwin.app.commands.info import InfoParams, run_info
from tests.conftest import DATA

FILES = [DATA / "writers" / "val3dity_material_list_v1.0.city.json",  # 4 reader problems
         DATA / "citygml" / "DenHaag_1BwBP.gml",  # the writer leaves 6 MultiCurves out of CityJSON
         DATA / "cityjson" / "denhaag_DH_01_subs_v1.1.city.json"]


@pytest.mark.parametrize("path", FILES, ids=[p.name for p in FILES])
def test_convert_info_and_batch_count_the_same_problems(tmp_path, path):
    n_info = run_info(InfoParams(path)).problem_count
    res = run_convert(ConvertParams(input=path, output=tmp_path / "o.city.json", fast_path=False))
    assert res.problems == n_info
    rec = run_job(FileJob(0, "convert", str(path), str(tmp_path / "b" / "o.city.json"), {}, "k"))
    assert rec["status"] == "ok" and rec["counts"]["problems"] == n_info
    rec = run_job(FileJob(0, "info", str(path), str(tmp_path / "i" / "o.info.json"), {}, "k"))
    assert rec["counts"]["problems"] == n_info
    r = subprocess.run([sys.executable, "-m", "citytwin", "convert", "--quiet", str(path), str(tmp_path / "c.gml")],
                       capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr
    said = r.stderr.strip().splitlines()[-1]
    assert (f"{n_info} problem" in said) if n_info else ("problem" not in said), said
