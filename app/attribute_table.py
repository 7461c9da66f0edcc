"""The attribute table of a layer (issue 14 item 8), without Qt: rows, columns, sorting, the
filter language of the Objects tree, CSV export.

One row per city object, in the model's order; columns: id, type, every attribute name of the
model, then one column per analysis shown on the layer (its per-object value). Values stay the
model's own (numbers, strings, None); :func:`sort_key` orders mixed columns (numbers, then text,
then empty).
"""

from __future__ import annotations

import csv
import operator
import os
import re
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from citytwin.semantics.model import CityModel

_OPS = {"=": operator.eq, "!=": operator.ne, ">": operator.gt, "<": operator.lt, ">=": operator.ge,
        "<=": operator.le}
_EXPR = re.compile(r"^\s*([^=<>!]+?)\s*(!=|>=|<=|=|>|<)\s*(.*?)\s*$")


def make_matcher(text: str):
    """A predicate ``(object) -> bool`` for a filter text (None for an empty filter)."""
    text = text.strip()
    if not text:
        return None
    m = _EXPR.match(text)
    if m:
        name, op, want = m.group(1), _OPS[m.group(2)], m.group(3)
        try:
            wnum: Any = float(want)
        except ValueError:
            wnum = None

        def pred(o) -> bool:
            if name not in o.attributes:
                return False
            v = o.attributes[name]
            if wnum is not None and isinstance(v, (int, float)) and not isinstance(v, bool):
                try:
                    return bool(op(float(v), wnum))
                except TypeError:
                    return False
            if op in (operator.eq, operator.ne):
                return bool(op(str(v).lower(), want.lower()))
            return False
        return pred
    low = text.lower()

    def pred(o) -> bool:
        if low in o.id.lower():
            return True
        return any(low in str(v).lower() for v in o.attributes.values()
                   if isinstance(v, (str, int, float)))
    return pred


@dataclass
class AttributeTable:
    """A layer's objects as rows.

    Attributes
    ----------
    columns : column names: "id", "type", attribute names, analysis names
    rows : one list of values per object, in ``columns`` order
    ids : the object id of each row
    """

    columns: list[str]
    rows: list[list[Any]] = field(default_factory=list)
    ids: list[str] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.rows)

    def row_of(self, oid: str) -> int | None:
        try:
            return self.ids.index(oid)
        except ValueError:
            return None


def build_table(model: CityModel, analyses: dict[str, dict[str, float]] | None = None) -> AttributeTable:
    """The table of ``model``; ``analyses`` maps a study name to its value per object id."""
    analyses = analyses or {}
    names = model.attribute_names()
    columns = ["id", "type", *names, *analyses]
    table = AttributeTable(columns)
    for oid, o in model.objects.items():
        a = o.attributes
        table.ids.append(oid)
        table.rows.append([oid, o.type, *(_cell(a.get(n)) for n in names),
                           *(values.get(oid) for values in analyses.values())])
    return table


def _cell(v: Any) -> Any:
    """Numbers and text as they are; lists and dicts as their text (one cell)."""
    if v is None or isinstance(v, (str, int, float, bool)):
        return v
    return str(v)


def sort_key(v: Any) -> tuple:
    """Order of mixed values: numbers (ascending), then text (case-insensitive), then empty."""
    if isinstance(v, bool):
        return (0, float(v), "")
    if isinstance(v, (int, float)):
        return (0, float(v), "") if v == v else (2, 0.0, "")  # NaN: with the empty cells
    if v is None or v == "":
        return (2, 0.0, "")
    return (1, 0.0, str(v).lower())


def matching_rows(model: CityModel, table: AttributeTable, text: str) -> list[int]:
    """Rows whose object matches the Objects tree's filter ``text`` (all rows when empty)."""
    pred: Callable | None = make_matcher(text)
    if pred is None:
        return list(range(len(table)))
    return [i for i, oid in enumerate(table.ids) if oid in model.objects and pred(model.objects[oid])]


def write_csv(table: AttributeTable, path: str | Path, rows: list[int] | None = None) -> Path:
    """Write ``rows`` (default: all) of the table as CSV (UTF-8, header line), atomically."""
    out = Path(path)
    fd, tmp = tempfile.mkstemp(dir=out.parent, prefix=f".{out.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", newline="", encoding="utf-8") as f:
            w = csv.writer(f)
            w.writerow(table.columns)
            for i in (range(len(table)) if rows is None else rows):
                w.writerow(["" if v is None else v for v in table.rows[i]])
        os.replace(tmp, out)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return out
