"""Fixtures for the GUI tests: a main window with isolated settings, helpers to wait for jobs."""

from __future__ import annotations

import gc
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "resources" / "sample" / "3dbag_b2_v2.0.city.json"
DATA = ROOT / "tests" / "data"


@pytest.fixture(autouse=True)
def _own_triangle_cache(tmp_path, monkeypatch):
    """Each GUI test gets an empty triangle cache of its own (never the user's)."""
    monkeypatch.setenv("CITYTWIN_CACHE_DIR", str(tmp_path / "triangle-cache"))


@pytest.fixture
def window(qtbot, tmp_path):
    from PySide6.QtCore import QSettings

    from citytwin.app.qt.main_window import MainWindow

    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    win = MainWindow(settings=settings)
    win.resize(1100, 750)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    yield win
    win.close()
    # collect the closed window's Python wrappers now, on the GUI thread: a collection that
    # happens to run in a later test's worker thread would destroy Qt objects off their thread
    gc.collect()


def open_and_wait(qtbot, win, path: Path, timeout: int = 30000):
    """Open a file and wait until its layer is shown and its job has finished; returns the Layer.

    Waiting for the job's ``job_finished`` too matters: the worker's signals reach the GUI thread
    as separate queued events, so a test that waits for its next job's ``job_finished`` would
    otherwise catch the open job's late one.
    """
    def is_open(name: str, _status: str) -> bool:
        return name.startswith("open ")

    with qtbot.waitSignal(win.job_finished, timeout=timeout, check_params_cb=is_open):
        with qtbot.waitSignal(win.layer_loaded, timeout=timeout) as blocker:
            win.open_files([path])
    return blocker.args[0]


def run_dialog(window, action: str, dialog_cls, fill) -> None:
    """Trigger the menu action ``action``; when its modal ``dialog_cls`` shows, ``fill(dialog)`` and press OK."""
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    seen = []

    def act():
        dlg = QApplication.activeModalWidget()
        if not isinstance(dlg, dialog_cls):
            QTimer.singleShot(20, act)  # not shown yet
            return
        seen.append(dlg)
        try:
            fill(dlg)
        finally:
            dlg.accept()

    QTimer.singleShot(0, act)
    window.actions[action].trigger()
    assert seen, f"the {dialog_cls.__name__} did not open"
