"""The rows of the Validation dock: the problems ``info`` finds, per object, with a code.

The problems are the model's own (found while reading and triangulating) plus the ring and
shell checks of :func:`citytwin.semantics.validate.validate_model`, the same set ``citytwin
info`` counts (:func:`citytwin.app.commands.info.check_model`), computed here without changing
the model (the GUI shows a layer's model while a worker computes the rows).

A problem's *code* groups like problems: the val3dity error code when the message names one
("val3dity 302"), else the message's wording with numbers and quoted names taken out
("polygon is not planar").
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    from citytwin.errors import Problem
    from citytwin.semantics.model import CityModel

_VAL3DITY = re.compile(r"val3dity (\d{3})")
_QUOTED = re.compile(r"'[^']*'|\"[^\"]*\"")
_NUMBER = re.compile(r"[-+]?\d[\d,.]*(e[-+]?\d+)?", re.IGNORECASE)


@dataclass(frozen=True)
class ProblemRow:
    """One problem of one object (``object_id`` None: the file as a whole)."""

    object_id: str | None
    severity: str
    code: str
    message: str
    geometry: int | None = None
    surface: int | None = None


def problem_code(message: str) -> str:
    """The code grouping ``message`` with its like (see the module docstring)."""
    m = _VAL3DITY.search(message)
    if m:
        return f"val3dity {m.group(1)}"
    head = _NUMBER.sub("N", _QUOTED.sub("'…'", message))
    head = re.sub(r" \([^()]*(\([^()]*\)[^()]*)*\)", "", head)  # parenthetical details
    head = re.split(r": |; ", head, maxsplit=1)[0]
    return " ".join(head.split())[:80]


def problem_rows(model: "CityModel", max_problems: int = 5000) -> list[ProblemRow]:
    """Every problem of ``model`` (its own, then the validation checks not already among them).

    Parameters
    ----------
    model : the layer's model; not changed
    max_problems : cap of the validation checks (as ``info``)
    """
    from citytwin.semantics.validate import validate_model

    seen = set()
    rows = []

    def add(p: "Problem") -> None:
        key = (p.object_id, p.message, p.geometry, p.surface)
        if key in seen:
            return
        seen.add(key)
        rows.append(ProblemRow(p.object_id, p.severity, problem_code(p.message), p.message, p.geometry, p.surface))

    for p in list(model.problems):
        add(p)
    if not getattr(model, "_problems_checked", False):
        for p in validate_model(model, max_problems):
            add(p)
    return rows


def filter_rows(rows: list[ProblemRow], severity: str | None = None, code: str | None = None) -> list[ProblemRow]:
    """The rows of ``severity`` ("error", "warning"; None: all) and ``code`` (None: all)."""
    return [r for r in rows if (severity is None or r.severity == severity) and (code is None or r.code == code)]


def code_counts(rows: list[ProblemRow]) -> list[tuple[str, int]]:
    """(code, number of rows) pairs, the most frequent first."""
    return Counter(r.code for r in rows).most_common()
