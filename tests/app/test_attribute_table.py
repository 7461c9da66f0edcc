"""The attribute table without Qt: rows, mixed-type sort order, filter language, atomic CSV."""

from __future__ import annotations

import csv

from tests.conftest import shared_path


def test_rows_columns_filter_and_csv(tmp_path) -> None:
    from citytwin.app.attribute_table import build_table, matching_rows, sort_key, write_csv
    from citytwin.io.registry import read

    m = read(shared_path("cityjson", "3dbag_b2_v2.0.city.json"))
    t = build_table(m, {"solar": {"NL.IMBAG.Pand.0503100000031927": 512.5}})
    assert len(t) == len(m) and t.columns[:2] == ["id", "type"] and t.columns[-1] == "solar"
    r = t.row_of("NL.IMBAG.Pand.0503100000031927")
    assert t.rows[r][-1] == 512.5 and t.rows[r][t.columns.index("oorspronkelijkbouwjaar")] == 1936
    assert [t.ids[i] for i in matching_rows(m, t, "oorspronkelijkbouwjaar>1940")] == ["NL.IMBAG.Pand.0503100000028341"]
    assert matching_rows(m, t, "") == list(range(len(t)))
    assert sorted([None, "b", 3, "A", 1.5, float("nan")], key=sort_key)[:4] == [1.5, 3, "A", "b"]
    out = write_csv(t, tmp_path / "t.csv", rows=[r])
    rows = list(csv.reader(open(out, encoding="utf-8")))
    assert rows[0] == t.columns and rows[1][0] == "NL.IMBAG.Pand.0503100000031927" and len(rows) == 2
    assert not list(tmp_path.glob("*.tmp"))
