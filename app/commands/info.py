"""``info``: what a file holds (format, CRS, objects, LoDs, semantics, bbox, problems)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from citytwin.app.commands.load import LoadParams, load_model
from citytwin.app.commands.progress import Progress
from citytwin.semantics.model import CityModel


@dataclass(frozen=True)
class InfoParams:
    path: Path
    format: str | None = None
    max_problems: int = 200


@dataclass(frozen=True)
class InfoResult:
    """Summary of a model; ``to_dict()`` is what ``info --json`` prints."""

    format: str
    version: str | None
    crs: str | None
    crs_name: str | None
    object_counts: dict[str, int]
    lods: list[str]
    semantic_counts: dict[str, int]
    attributes: list[str]
    bbox: list[float] | None
    vertices: int
    triangles: int
    textures: int
    materials: int
    problems: list[dict]
    problem_count: int
    extra: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        d = {
            "format": self.format, "version": self.version, "crs": self.crs, "crs_name": self.crs_name,
            "object_counts": self.object_counts, "objects": sum(self.object_counts.values()),
            "lods": self.lods, "semantic_counts": self.semantic_counts, "attributes": self.attributes,
            "bbox": self.bbox, "vertices": self.vertices, "triangles": self.triangles,
            "textures": self.textures, "materials": self.materials,
            "problems": self.problems, "problem_count": self.problem_count,
        }
        d.update(self.extra)
        return d


def check_model(model: CityModel) -> int:
    """The number of problems of a file, counted the same way by ``info``, ``convert`` and
    ``batch`` (its report): what the reader reported, the polygons that do not triangulate
    (each object's highest LoD) and the ring/shell checks of :func:`validate_model`.

    The checks are added to ``model.problems`` once per model (calling again counts again
    nothing new). Returns ``len(model.problems)``.
    """
    from citytwin.semantics.validate import validate_model

    if not getattr(model, "_problems_checked", False):
        model.triangulate()
        model.problems.extend(validate_model(model))
        model._problems_checked = True
    return len(model.problems)


def summarize(model: CityModel, max_problems: int = 200) -> InfoResult:
    """Summarise a loaded model (triangulates it to count triangles and find polygon problems)."""
    tri = model.triangulate()
    check_model(model)
    bbox = model.bbox()
    problems = list(model.problems)
    extra = {k: v for k, v in model.source.items() if k not in ("path", "format", "version")}
    return InfoResult(
        format=model.source.get("format", "unknown"),
        version=model.source.get("version"),
        crs=model.crs.to_string() if model.crs else None,
        crs_name=model.crs.name if model.crs and not model.crs.is_local else None,
        object_counts=dict(sorted(model.summary_counts().items())),
        lods=model.lods(),
        semantic_counts=dict(sorted(model.semantic_counts().items())),
        attributes=model.attribute_names(),
        bbox=None if not np.all(np.isfinite(bbox)) else [round(float(x), 6) for x in bbox],
        vertices=int(model.used_vertex_mask().sum()),
        triangles=len(tri),
        textures=len(model.appearance.textures),
        materials=len(model.appearance.materials),
        problems=[p.to_dict() for p in problems[:max_problems]],
        problem_count=len(model.problems),
        extra=extra,
    )


#: Peak memory of ``info`` on a CityJSON document, in multiples of its size: the document's
#: bytes, its parsed chunks, the model, its triangulation and the checks. Measured: 10.6x on a
#: real 1.08 GB file (issue 17), 18x on an 11.5 MB one built from the real Rotterdam block
#: (more, smaller objects); taken at the upper end so the estimate does not let a file through
#: that then takes the machine.
CITYJSON_INFO_FACTOR = 18


def check_memory_budget(path: Path, format: str | None = None) -> None:
    """Refuse, before reading, a CityJSON document that ``info`` could not describe within the
    memory limit (``--max-memory`` / ``CITYTWIN_MAX_MEMORY``, default half the machine's memory).

    A single JSON document cannot be described without holding all of it (its vertices are
    shared by every object), so the size decides; other formats stream or carry their own limits.

    Raises
    ------
    InputError : size x :data:`CITYJSON_INFO_FACTOR` over the limit; the message names the limit
        and what to do instead
    """
    import os

    from citytwin.errors import InputError
    from citytwin.io.registry import detect_format, format_by_name
    from citytwin.io.safe_io import max_input_bytes

    try:
        size = os.stat(path).st_size
    except OSError:
        return  # the reader says what is wrong with it
    limit = max_input_bytes()
    need = size * CITYJSON_INFO_FACTOR
    if need <= limit:
        return
    spec = format_by_name(format) if format else detect_format(path)
    if spec.name != "cityjson":
        return

    def gb(n: float) -> str:
        return f"{n / 2**30:.1f} GB" if n >= 2**30 else f"{n / 2**20:.0f} MB"

    raise InputError(path, f"this {gb(size)} CityJSON document needs about {gb(need)} of memory to describe "
                     f"(about {CITYJSON_INFO_FACTOR} times its size), over the memory limit of {gb(limit)} "
                     "(--max-memory or CITYTWIN_MAX_MEMORY; default half the machine's memory): raise the limit "
                     "on a machine that has that memory, or describe the data as smaller tiles "
                     "(citytwin batch info TILES... -o OUTDIR)")


def run_info(params: InfoParams, progress: Progress | None = None) -> InfoResult:
    """Read a file and summarise it.

    Raises
    ------
    InputError : the file cannot be read, or cannot be described within the memory limit
        (:func:`check_memory_budget`)
    """
    progress = progress or Progress()
    check_memory_budget(Path(params.path), params.format)
    model = load_model(LoadParams(Path(params.path), params.format), progress.sub(0, 0.8))
    res = summarize(model, params.max_problems)
    progress.update(1.0)
    return res
