"""Rows of the Validation dock (issue 14 item 13). Oracle: ``citytwin info``'s own problem list
(:func:`citytwin.app.commands.info.summarize`) on the same real files."""

from __future__ import annotations

import pytest

from citytwin.app.commands.info import summarize
from citytwin.app.validation_view import code_counts, filter_rows, problem_code, problem_rows
from citytwin.io.registry import read
from tests.conftest import DATA

FILES = [DATA / "cityjson" / "cityjson_fake_complete.city.json",
         DATA / "cityjson" / "cjval_japanese_v2.0.city.json",
         DATA / "cityjson" / "rotterdam_textured" / "rotterdam_subset_v2.0.city.json"]


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_rows_are_the_problems_info_reports(path):
    shown = read(path)
    shown.triangulate()  # as a layer is
    before = len(shown.problems)
    rows = problem_rows(shown)
    assert len(shown.problems) == before  # the shown model is not changed
    info = summarize(read(path), max_problems=10000)
    assert sorted((r.object_id or "", r.message) for r in rows) == \
        sorted((p["object_id"] or "", p["message"]) for p in info.problems)
    assert len(rows) == info.problem_count > 0


def test_filters_by_severity_and_code():
    m = read(FILES[0])
    m.triangulate()
    rows = problem_rows(m)
    errors = filter_rows(rows, severity="error")
    assert errors and all(r.severity == "error" for r in errors)
    assert {r.code for r in errors} == {"val3dity 303", "val3dity 304"}
    planar = filter_rows(rows, code="polygon is not planar")
    assert len(planar) == 8 and {r.object_id for r in planar} == {"id-1", "a-tree"}
    assert code_counts(rows)[0] == ("polygon is not planar", 8)
    assert filter_rows(rows, "error", "polygon is not planar") == []


def test_codes_group_like_messages():
    assert problem_code("shell is not closed: 3 holes (val3dity 302)") == "val3dity 302"
    assert problem_code("2 solid(s) (2 shell(s)) were oriented inside out") == \
        problem_code("5 solid(s) (7 shell(s)) were oriented inside out")
    assert problem_code("material theme 'x' refers to a missing material") == \
        problem_code("material theme 'other' refers to a missing material")
