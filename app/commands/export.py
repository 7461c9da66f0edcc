"""``export_model``: write a model to any writable format, its texture images with it.

The one command every front end writes a model through: File > Export in the GUI, ``convert``
and ``batch convert``, ``fuse``, and the model outputs of the solar, shadow and sky view factor
studies. :func:`citytwin.io.registry.write` only serializes the model; this command makes its
texture images travel with it:

- images given by an absolute path (brought in from another folder, e.g. by ``fuse``) get a
  relative name beside the output (:func:`~citytwin.io.textures.localise_images`);
- CityJSON names only PNG and JPG: other images get a ``.png`` name, said in a warning, and are
  written converted (:func:`~citytwin.io.textures.png_names_for_cityjson`);
- every image is copied next to the output, once, inside the output folder only (a missing one is
  one warning) (:func:`~citytwin.io.textures.copy_texture_images`);
- formats that embed their images (glTF, 3D Tiles) get nothing beside them.

The model's own texture names are restored afterwards: exporting never changes the model.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from citytwin.app.commands.progress import Progress
from citytwin.semantics.model import CityModel


@dataclass(frozen=True)
class ExportResult:
    """What :func:`export_model` wrote.

    Attributes
    ----------
    output : the model file
    format : the format's registry name ("cityjson", "citygml", ...)
    images : texture image files written beside the output
    problems : what the writer or the image copy reported (a dropped geometry, a missing image...),
        one line each as ``"<object id>: <message>"`` (file-level ones without the id)
    """

    output: Path
    format: str
    images: tuple[Path, ...] = ()
    problems: tuple[str, ...] = ()


def export_model(model: CityModel, output: str | Path, format: str | None = None,
                 progress: Progress | None = None, **options: Any) -> ExportResult:
    """Write ``model`` to ``output`` (format by name, else by extension) with its texture images.

    Parameters
    ----------
    model : the model (unchanged; what the writer reports is added to ``model.problems``)
    output : the file to write (atomically)
    format : registry format name; None: from ``output``'s extension
    progress : fraction and message
    options : the writer's own options (``precision=0.001`` metres, ``citygml_version="3.0"``)

    Returns
    -------
    ExportResult

    Raises
    ------
    OutputError : no writable format for the extension, or the output cannot be written
    """
    from citytwin.io.registry import format_for_output, write

    progress = progress or Progress()
    output = Path(output)
    spec = format_for_output(output, format)
    progress.update(0.0, f"writing {output.name}")
    before = len(model.problems.items)
    images: list[Path] = []
    if spec.embeds_textures or not model.appearance.textures:
        write(model, output, format=spec.name, **options)
    else:
        images = _write_with_images(model, output, spec.name, lambda: write(model, output, format=spec.name,
                                                                            **options))
    progress.update(1.0)
    problems = tuple(f"{p.object_id}: {p.message}" if p.object_id is not None else p.message
                     for p in model.problems.items[before:])
    return ExportResult(output, spec.name, tuple(images), problems)


def _write_with_images(model: CityModel, output: Path, format_name: str, write_file) -> list[Path]:
    """Write with ``write_file()`` and copy (or convert) the texture images beside ``output``.
    The renaming happens on a copy of the texture list put in the model for the time of the write
    (a snapshot shares its appearance with the model the GUI shows: nothing of that is touched);
    returns the image files written."""
    import dataclasses

    from citytwin.io.textures import copy_texture_images, localise_images, png_names_for_cityjson

    own = model.appearance
    model.appearance = dataclasses.replace(own, textures=[dict(t) for t in own.textures])
    try:
        sources = localise_images(model, f"{output.name.split('.')[0]}_textures")
        converted: dict[str, str] = {}
        if format_name in ("cityjson", "cityjsonseq"):
            converted = png_names_for_cityjson(model, sources)
            for new, src in converted.items():
                model.problems.report(None, f"texture image {Path(src).name} written as {new} (CityJSON "
                                            "textures are PNG or JPG)")
        write_file()
        return copy_texture_images(model, output.parent, model.problems, converted, sources)
    finally:
        model.appearance = own
