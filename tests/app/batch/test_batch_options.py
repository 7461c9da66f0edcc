"""The batch options built in the command layer (shared by the CLI and the GUI's Batch dialog):
defaults left out of the resume key, lists normalised, a bad output folder named in one sentence."""

from __future__ import annotations

from pathlib import Path

import pytest

from citytwin.app.cli import main
from citytwin.app.commands.batch_options import analysis_options, batch_params, convert_options
from citytwin.errors import UsageError

DATA = Path(__file__).resolve().parents[2] / "data" / "cityjson"


def test_defaults_are_left_out_and_values_normalised(tmp_path: Path) -> None:
    # the values a dialog shows by default are the run without options
    assert {k: v for k, v in analysis_options("solar", {"resolution": 1.0, "surfaces": "Roof, wall", "albedo": 0.2,
                                                         "sky_mf": 4, "clear_sky": False, "lod": " ",
                                                         "sky_model": "perez1990"}).items()
            if v is not None} == {}
    # the other sky model reaches the task's SolarOptions
    from citytwin.app.commands.batch_solar import analysis_options as task_options

    opts = analysis_options("solar", {"sky_model": "allweather", "sky_mf": 6})
    assert task_options("solar", opts).sky_model == "allweather" and task_options("solar", opts).sky_mf == 6
    got = analysis_options("shadow", {"date": "2025-06-21", "surfaces": ["roof"], "grid_cell": 0.0,
                                      "step_minutes": 10.0}, assign_crs="EPSG:7415", png=True)
    assert {k: v for k, v in got.items() if v is not None} == {
        "date": "2025-06-21", "surfaces": ["roof"], "grid_cell": 0.0, "assign_crs": "EPSG:7415", "png": True}
    w = tmp_path / "w.epw"
    assert analysis_options("solar", {"weather": str(w)})["weather"] == str(w.resolve())
    with pytest.raises(UsageError, match="unknown option"):
        analysis_options("solar", {"date": "2025-06-21"})
    c = convert_options(types="BuildingPart, Building,Building", bbox="1,2,3,4", crs=" ")
    assert c["types"] == ["Building", "BuildingPart"] and c["bbox"] == [1.0, 2.0, 3.0, 4.0] and c["crs"] is None
    with pytest.raises(UsageError, match="four numbers"):
        convert_options(bbox="1,2,3")
    p = batch_params("convert", [tmp_path], tmp_path / "o", c, workers=0)
    assert p.options == (("bbox", [1.0, 2.0, 3.0, 4.0]), ("types", ["Building", "BuildingPart"]))
    assert p.inputs == (str(tmp_path),) and p.workers == 0
    with pytest.raises(UsageError, match="--workers"):
        batch_params("convert", [tmp_path], tmp_path / "o", c, workers=-1)
    with pytest.raises(UsageError, match="output folder"):
        batch_params("convert", [tmp_path], " ", c)


def test_bad_output_folder_is_one_sentence_and_exit_code_1(tmp_path: Path, capsys) -> None:
    a_file = tmp_path / "a_file.txt"
    a_file.write_text("x")
    assert main(["batch", "info", str(DATA / "3dbag_b2_v2.0.city.json"), "-o", str(a_file / "out"),
                 "--workers", "0", "--quiet"]) == 1
    err = capsys.readouterr().err
    assert "a_file.txt/out: cannot create the output folder" in err and "Traceback" not in err
    assert main(["batch", "info", str(DATA / "3dbag_b2_v2.0.city.json"), "-o", str(a_file), "--workers", "0",
                 "--quiet"]) == 1
    assert "is a file, not a folder" in capsys.readouterr().err
