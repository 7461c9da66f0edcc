"""Texture images travel with a converted model: copied into the output folder.

Writers store each texture's ``image`` as a path relative to the output file; this copies the
images the model uses (resolved against ``appearance.base_path``, the input's folder) to the same
relative place next to the output. Paths that would land outside the output folder are refused.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from citytwin.errors import ProblemLog


def copy_texture_images(model, out_folder: str | Path, problems: ProblemLog) -> list[Path]:
    """Copy every texture image of ``model`` into ``out_folder``; returns the files written.

    A missing image or one whose relative path climbs out of ``out_folder`` is reported in
    ``problems`` and skipped.
    """
    out = Path(out_folder).resolve()
    written: list[Path] = []
    app = model.appearance
    for i, t in enumerate(app.textures):
        img = t.get("image")
        if not img or "://" in img or os.path.isabs(img):
            continue
        src = app.image_path(i)
        dst = (out / img).resolve()
        if os.path.commonpath([str(out), str(dst)]) != str(out):
            problems.report(None, f"texture image {img!r} would be written outside the output folder: refused",
                            "error")
            continue
        if src is None or not os.path.isfile(src):
            problems.report(None, f"texture image {img!r} not found at {src}; not copied")
            continue
        if os.path.realpath(src) == str(dst):
            continue
        dst.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(src, dst)
        written.append(dst)
    return written
