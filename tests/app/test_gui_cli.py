"""``citytwin gui`` as a scripted snapshot, and the CLI staying Qt-free until then."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "resources" / "sample" / "3dbag_b2_v2.0.city.json"


def test_help_does_not_import_qt_or_vtk() -> None:
    code = ("import sys; from citytwin.app.cli import build_parser; build_parser(); "
            "print(sorted(m for m in sys.modules if m.split('.')[0] in ('PySide6','vtk','pyvista','pyvistaqt','vtkmodules')))")
    res = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert res.returncode == 0, res.stderr
    assert res.stdout.strip() == "[]"


@pytest.mark.gui
@pytest.mark.skipif(not os.environ.get("DISPLAY"), reason="needs a display (run under xvfb-run)")
def test_gui_snapshot_then_quit(tmp_path) -> None:
    from PIL import Image

    out = tmp_path / "snap.png"
    res = subprocess.run([sys.executable, "-m", "citytwin", "gui", str(SAMPLE), "--color-by", "semantic",
                          "--view", "top", "--screenshot", str(out), "--quit"],
                         capture_output=True, text=True, timeout=120)
    assert res.returncode == 0, res.stderr
    img = np.asarray(Image.open(out).convert("RGB")).astype(int)
    red = (img[..., 0] > 140) & (img[..., 1] < 80) & (img[..., 2] < 80)
    assert red.mean() > 0.03



def test_gui_scripted_errors_before_any_window(tmp_path) -> None:
    bad = tmp_path / "missing.city.json"
    res = subprocess.run([sys.executable, "-m", "citytwin", "gui", str(SAMPLE), str(bad), "--quit"],
                         capture_output=True, text=True, timeout=120)
    assert res.returncode == 1 and res.stderr.strip() == f"error: {bad}: no such file"
    res = subprocess.run([sys.executable, "-m", "citytwin", "gui", str(SAMPLE), "--screenshot", "x.jpg"],
                         capture_output=True, text=True, timeout=120)
    assert res.returncode == 2 and "must be a .png file" in res.stderr


def test_warm_up_imports_open3d_in_the_background_once() -> None:
    """The GUI imports open3d (picking) in a background thread at start, not at the first open."""
    code = ("import sys, threading; from citytwin.app.qt.app import warm_up_imports\n"
            "assert 'open3d' not in sys.modules\n"
            "warm_up_imports(); warm_up_imports()\n"
            "ts = [t for t in threading.enumerate() if t.name == 'citytwin-warm-up']\n"
            "assert len(ts) == 1 and ts[0].daemon, ts\n"
            "ts[0].join(120); print('open3d' in sys.modules)")
    res = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=180)
    assert res.returncode == 0, res.stderr
    assert res.stdout.strip() == "True"
