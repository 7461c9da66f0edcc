"""One progress protocol below every layer (:mod:`citytwin.progress`).

The geometry kernels (mesh, semantics), the studies (analysis) and the commands take the same
:class:`~citytwin.progress.ProgressReporter`; a cancelled :class:`~citytwin.progress.Progress`
stops a triangulation of a real file part-way with ``Cancelled`` and nothing cached.
"""

from __future__ import annotations

import ast
from pathlib import Path

import numpy as np
import pytest

ROOT = Path(__file__).resolve().parents[1]


def test_one_progress_protocol_in_the_package() -> None:
    """No layer defines its own progress callable type or protocol any more."""
    defs = []
    for path in ROOT.rglob("*.py"):
        rel = path.relative_to(ROOT)
        if rel.parts[0] in ("tests", ".venv") or "site-packages" in rel.parts:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.ClassDef) and "Progress" in node.name and any(
                    getattr(b, "id", "") == "Protocol" for b in node.bases):
                defs.append(f"{rel}:{node.name}")
            if isinstance(node, ast.Assign) and any(getattr(t, "id", "") == "ProgressFn" for t in node.targets):
                defs.append(f"{rel}:ProgressFn")
    assert defs == ["progress.py:ProgressReporter"]


def test_reporters_follow_the_protocol() -> None:
    from citytwin.app.commands.progress import Progress as CommandProgress
    from citytwin.progress import Progress, ProgressReporter, as_progress, scaled

    p = Progress()
    assert CommandProgress is Progress
    for r in (p, p.sub(0.2, 0.4), as_progress([].append), scaled(p, 0, 1).sub(0.5, 1.0)):
        assert isinstance(r, ProgressReporter)
    seen: list[float] = []
    scaled(seen.append, 0.5, 1.0).sub(0.0, 0.5).update(0.5)
    assert seen == [pytest.approx(0.625)]


def test_cancel_stops_triangulation_of_a_real_file(monkeypatch) -> None:
    """A cancelled Progress handed to the mesh kernel stops it between blocks; nothing is cached."""
    import citytwin.mesh.triangulate as tri_mod
    from citytwin.errors import Cancelled
    from citytwin.io.registry import read
    from citytwin.progress import Progress

    model = read(ROOT / "tests" / "data" / "cityjson" / "3dbag_b2_v2.0.city.json")
    whole = model.triangulate()
    model.touch()
    monkeypatch.setattr(tri_mod, "_BLOCK_CORNERS", 40)
    fractions: list[float] = []
    prog = Progress(lambda f, _m: fractions.append(f))
    blocks = model.triangulate(on_progress=prog)
    assert np.array_equal(blocks.triangles, whole.triangles)
    assert len(fractions) > 5 and fractions[-1] == pytest.approx(0.97)
    model.touch()
    problems = len(model.problems)
    stop = Progress(lambda f, _m: stop.cancel() if f > 0.45 else None)
    with pytest.raises(Cancelled):
        model.triangulate(on_progress=stop)
    assert ("tri", None, None) not in model._cache and len(model.problems) == problems
