"""Screenshots of the views the GUI tests drive: always into the test's folder, and into
``resources/screenshots/`` when ``CITYTWIN_SAVE_SCREENSHOTS=1`` (to refresh the README's pictures)."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def keep(path: Path) -> Path:
    """Copy ``path`` into resources/screenshots when asked to; returns ``path``."""
    if os.environ.get("CITYTWIN_SAVE_SCREENSHOTS") == "1":
        shutil.copy(path, ROOT / "resources" / "screenshots" / path.name)
    return path


def shot_view(window, tmp_path: Path, name: str) -> Path:
    """Save the viewport of ``window`` as ``name`` (.png)."""
    return keep(window.save_screenshot(tmp_path / name))


def shot_widget(widget, tmp_path: Path, name: str) -> Path:
    """Save a widget (a dock, a dialog) as ``name`` (.png)."""
    out = tmp_path / name
    widget.grab().save(str(out))
    return keep(out)
