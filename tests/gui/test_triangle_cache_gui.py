"""Reopening an unchanged file takes its triangles from the cache (issue 13 item 4), in the real window."""

from __future__ import annotations

import time

import numpy as np
import pytest

from tests.conftest import shared_path
from tests.gui.conftest import open_and_wait

pytestmark = pytest.mark.gui


def test_reopen_unchanged_file_from_the_cache(qtbot, window, tmp_path) -> None:
    import shutil

    src = tmp_path / "delft.city.json"
    shutil.copy(shared_path("cityjson", "delft_v2.0.city.json"), src)
    t0 = time.perf_counter()
    first = open_and_wait(qtbot, window, src, timeout=120000)
    t_first = time.perf_counter() - t0
    assert "from the triangle cache" not in window.log_panel.toPlainText()
    window.remove_layer(first.key)
    t0 = time.perf_counter()
    again = open_and_wait(qtbot, window, src, timeout=120000)
    t_again = time.perf_counter() - t0
    qtbot.waitUntil(lambda: "delft.city.json: opened from the triangle cache" in window.log_panel.toPlainText(),
                    timeout=5000)
    assert np.array_equal(again.tri.triangles, first.tri.triangles)
    assert np.array_equal(again.tri.vertices, first.tri.vertices)
    assert len(again.model) == len(first.model) and again.tri.object_ids == first.tri.object_ids
    img = window.viewport.grab_image()
    assert (np.abs(img.astype(int) - img[2, -3].astype(int)).sum(axis=2) > 40).mean() > 0.05  # shown
    print(f"\nopen {src.name}: {t_first:.2f} s, reopen from the cache: {t_again:.2f} s")
    # the file changes: read again, not served stale
    window.remove_layer(again.key)
    src.write_text(src.read_text().replace('"CityObjects"', '"CityObjects" ', 1))
    n_hits = window.log_panel.toPlainText().count("opened from the triangle cache")
    third = open_and_wait(qtbot, window, src, timeout=120000)
    qtbot.wait(200)
    assert window.log_panel.toPlainText().count("opened from the triangle cache") == n_hits
    assert third.tri.n_triangles == first.tri.n_triangles
