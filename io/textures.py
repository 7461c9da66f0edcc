"""Texture images travel with an exported model: copied into the output folder.

The steps of :func:`citytwin.app.commands.export.export_model`, which decides when they run (the
registry's writers only serialize). Writers store each texture's ``image`` as a path relative to
the output file; this copies the images the model uses (resolved against ``appearance.base_path``,
the input's folder) to the same relative place next to the output. Paths that would land outside
the output folder are refused.

CityJSON names only PNG and JPG images: :func:`png_names_for_cityjson` gives other images (TIFF,
BMP, TGA: common in photogrammetry and GeoreferencedTextures) a ``.png`` name before writing, and
:func:`copy_texture_images` then writes them converted (Pillow) instead of copying them.
"""

from __future__ import annotations

import os
from pathlib import Path

from citytwin.errors import OutputError, ProblemLog
from citytwin.io.atomic import atomic_copy
from citytwin.io.safe_io import resolve_reference


#: image name endings CityJSON's texture ``type`` (PNG | JPG) can describe
CITYJSON_IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg")


def localise_images(model, folder: str = "textures") -> dict[str, str]:
    """Give textures whose image is an absolute local path (images brought in from another
    folder, e.g. by ``fuse``) a relative name ``folder/<file name>`` (made unique), so that they
    travel with the output like the others.

    Returns {new relative image name: absolute source image} for :func:`png_names_for_cityjson`
    and :func:`copy_texture_images` (``sources``).
    """
    app = model.appearance
    taken = {t.get("image") for t in app.textures}
    sources: dict[str, str] = {}
    by_src: dict[str, str] = {}
    for t in app.textures:
        img = t.get("image")
        if not img or "://" in img or not os.path.isabs(img):
            continue
        if img in by_src:
            t["image"] = by_src[img]
            continue
        stem, suffix = Path(img).stem, Path(img).suffix
        new, k = f"{folder}/{stem}{suffix}", 1
        while new in taken or new in sources:
            new, k = f"{folder}/{stem}-{k}{suffix}", k + 1
        sources[new] = by_src[img] = img
        t["image"] = new
    return sources


def png_names_for_cityjson(model, sources: dict[str, str] | None = None) -> dict[str, str]:
    """Rename, in ``model``'s textures, images CityJSON cannot describe to ``.png`` (type PNG).

    Returns {new relative image name: absolute source image} for :func:`copy_texture_images`
    to convert. Absolute and URL images are left as they are. ``sources``: where relative names
    given by :func:`localise_images` come from.
    """
    app = model.appearance
    sources = sources or {}
    converted: dict[str, str] = {}
    for i, t in enumerate(app.textures):
        img = t.get("image")
        if not img or "://" in img or os.path.isabs(img):
            continue
        if Path(img).suffix.lower() in CITYJSON_IMAGE_SUFFIXES:
            continue
        src = sources.get(img) or app.image_path(i)
        new = str(Path(img).with_suffix(".png"))
        if src is not None:
            converted[new] = src
        t["image"], t["type"] = new, "PNG"
    return converted


def _save_png(src: str, dst: Path) -> None:
    """``src`` (any image Pillow reads) written as PNG at ``dst``, atomically."""
    from PIL import Image

    from citytwin.io.atomic import atomic_open

    with Image.open(src) as im, atomic_open(dst, "wb") as f:
        im.save(f, format="PNG")


def copy_texture_images(model, out_folder: str | Path, problems: ProblemLog,
                        converted: dict[str, str] | None = None,
                        sources: dict[str, str] | None = None) -> list[Path]:
    """Copy every texture image of ``model`` into ``out_folder``; returns the files written (a
    model cut out by ``--bbox`` holds only its own images: convert's filters prune the appearance).

    ``converted``: images renamed by :func:`png_names_for_cityjson`, written as PNG from their
    source instead of copied; ``sources``: images renamed by :func:`localise_images`, copied from
    there. A missing image or one whose relative path climbs out of ``out_folder`` is reported in
    ``problems`` and skipped.
    """
    converted = converted or {}
    sources = sources or {}
    out = Path(out_folder).resolve()
    written: list[Path] = []
    app = model.appearance
    for i, t in enumerate(app.textures):
        img = t.get("image")
        if not img or "://" in img or os.path.isabs(img):
            continue
        src = converted.get(img) or sources.get(img) or app.image_path(i)
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
        if app.base_path is not None:
            # a symlink named like a texture may point at any readable file: copy only what is
            # inside the input's folder (after following symlinks), as a regular file
            real, why = resolve_reference(app.base_path, src)
            for root in app.image_roots if real is None else ():  # folders of meshes fused in
                real = resolve_reference(root, src)[0]
                if real is not None:
                    break
            if real is None:
                problems.report(None, f"texture image {why}; not copied", "error")
                continue
            src = str(real)
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
            try:
                atomic_copy(src, dst)  # a full disk never leaves a truncated image
            except OutputError as exc:
                raise OutputError(f"{exc} (texture image of the model)") from None
        written.append(dst)
    return written
