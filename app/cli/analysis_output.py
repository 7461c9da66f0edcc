"""What the ``solar``, ``shadow`` and ``svf`` commands do alike with a result: store it in the
model and write that, print the ``--json-summary`` object and list the problems found."""

from __future__ import annotations

import json
import sys
from pathlib import Path


def save_model_with_results(res, model, output: Path | None) -> None:
    """Store the result as attributes in ``model`` and write it to ``output`` (any writable format)."""
    if output:
        from citytwin.app.commands.export import export_model

        res.apply_to_model(model)
        export_model(model, output)


def print_summary_and_problems(res, model, json_summary: bool, limit: int = 20) -> None:
    """The summary as one JSON line on stdout (when asked); the first problems as warnings on stderr."""
    if json_summary:
        print(json.dumps(res.summary()))
    from citytwin.app.cli.info import problem_text

    for p in list(model.problems)[:limit]:
        print(f"warning: {problem_text(p.to_dict())}", file=sys.stderr)
