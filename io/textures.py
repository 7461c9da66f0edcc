"""Texture images travel with a converted model: copied into the output folder.

Writers store each texture's ``image`` as a path relative to the output file; this copies the
images the model uses (resolved against ``appearance.base_path``, the input's folder) to the same
relative place next to the output. Paths that would land outside the output folder are refused.

CityJSON names only PNG and JPG images: :func:`png_names_for_cityjson` gives other images (TIFF,
BMP, TGA: common in photogrammetry and GeoreferencedTextures) a ``.png`` name before writing, and
:func:`copy_texture_images` then writes them converted (Pillow) instead of copying them.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from citytwin.errors import ProblemLog


#: image name endings CityJSON's texture ``type`` (PNG | JPG) can describe
CITYJSON_IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg")


def png_names_for_cityjson(model) -> dict[str, str]:
    """Rename, in ``model``'s textures, images CityJSON cannot describe to ``.png`` (type PNG).

    Returns {new relative image name: absolute source image} for :func:`copy_texture_images`
    to convert. Absolute and URL images are left as they are.
    """
    app = model.appearance
    converted: dict[str, str] = {}
    for i, t in enumerate(app.textures):
        img = t.get("image")
        if not img or "://" in img or os.path.isabs(img):
            continue
        if Path(img).suffix.lower() in CITYJSON_IMAGE_SUFFIXES:
            continue
        src = app.image_path(i)
        new = str(Path(img).with_suffix(".png"))
        if src is not None:
            converted[new] = src
        t["image"], t["type"] = new, "PNG"
    return converted


def _save_png(src: str, dst: Path) -> None:
    """``src`` (any image Pillow reads) written as PNG at ``dst``, atomically."""
    from PIL import Image

    tmp = dst.with_name(dst.name + ".part")
    with Image.open(src) as im:
        im.save(tmp, format="PNG")
    os.replace(tmp, dst)


def copy_texture_images(model, out_folder: str | Path, problems: ProblemLog,
                        converted: dict[str, str] | None = None) -> list[Path]:
    """Copy every texture image of ``model`` into ``out_folder``; returns the files written.

    ``converted``: images renamed by :func:`png_names_for_cityjson`, written as PNG from their
    source instead of copied. A missing image or one whose relative path climbs out of
    ``out_folder`` is reported in ``problems`` and skipped.
    """
    converted = converted or {}
    out = Path(out_folder).resolve()
    written: list[Path] = []
    app = model.appearance
    for i, t in enumerate(app.textures):
        img = t.get("image")
        if not img or "://" in img or os.path.isabs(img):
            continue
        src = converted.get(img) or app.image_path(i)
        dst = (out / img).resolve()
        if os.path.commonpath([str(out), str(dst)]) != str(out):
            problems.report(None, f"texture image {img!r} would be written outside the output folder: refused",
                            "error")
            continue
        if src is None:
            problems.report(None, f"texture image {img!r}: the model has no source folder to find it in; not copied")
            continue
        if not os.path.isfile(src):
            problems.report(None, f"texture image {img!r} not found at {src} (the input's image is missing); "
                                  "not copied")
            continue
        if os.path.realpath(src) == str(dst):
            continue
        dst.parent.mkdir(parents=True, exist_ok=True)
        if img in converted:
            try:
                _save_png(src, dst)
            except (OSError, ValueError) as exc:
                problems.report(None, f"texture image {src} could not be converted to PNG ({exc}); "
                                      "not written", "error")
                continue
        else:
            shutil.copyfile(src, dst)
        written.append(dst)
    return written


def write_with_images(model, path: str | Path, format_name: str, write_file) -> None:
    """Write ``model`` with ``write_file()`` and make its texture images travel with it.

    The one place images are handled for every writer (``io.registry.write``): for CityJSON,
    images it cannot name get a ``.png`` name (said in a warning) and are converted; then every
    image is copied next to the output, once (a missing one is one warning). The model's own
    texture names are restored afterwards, so writing never changes the model.
    """
    app = model.appearance
    if not app.textures:
        write_file()
        return
    saved = [dict(t) for t in app.textures]
    converted: dict[str, str] = {}
    try:
        if format_name in ("cityjson", "cityjsonseq"):
            converted = png_names_for_cityjson(model)
            for new, src in converted.items():
                model.problems.report(None, f"texture image {Path(src).name} written as {new} (CityJSON "
                                            "textures are PNG or JPG)")
        write_file()
        copy_texture_images(model, Path(path).parent, model.problems, converted)
    finally:
        for t, old in zip(app.textures, saved):
            t.clear()
            t.update(old)
