"""The options of a batch run, built the same way by the CLI (from arguments) and the GUI (from
the Batch dialog), so both give the same :class:`~citytwin.app.commands.batch.BatchParams` and
therefore the same resume key: a batch started on the command line can be resumed from the
desktop app and the other way round.

Options are JSON values (lists, not tuples; strings for paths); ``None`` means "the single
command's default" and is left out. For ``solar`` and ``shadow``, a value equal to the default of
:class:`~citytwin.app.commands.solar.SolarOptions` / ``ShadowOptions`` is left out too, so a dialog
that shows the defaults and a command line that gives none are the same run.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any, Iterable, Mapping, Sequence

from citytwin.errors import UsageError



def batch_fields(command: str) -> tuple[str, ...]:
    """Options of SolarOptions / ShadowOptions a batch exposes (the CLI flags of ``batch solar|shadow``):
    those the study registry marks ``batch``."""
    from citytwin.analysis.options import option_specs
    from citytwin.app.commands.studies import study

    return tuple(s.name for s in option_specs(study(command).options_class()) if s.info.batch)


def __getattr__(name: str):
    if name in ("SOLAR_FIELDS", "SHADOW_FIELDS"):  # the older names of batch_fields(...)
        return batch_fields("solar" if name == "SOLAR_FIELDS" else "shadow")
    raise AttributeError(name)


def _names(value: str | Iterable[str] | None, lower: bool = False) -> list[str] | None:
    """``"a, b"`` or ``["a", "b"]`` -> ``["a", "b"]`` (stripped, empty items dropped); None when empty."""
    if value is None:
        return None
    items = value.split(",") if isinstance(value, str) else list(value)
    out = [s.strip().lower() if lower else s.strip() for s in items if s and s.strip()]
    return out or None


def _text(value: str | None) -> str | None:
    return value.strip() or None if isinstance(value, str) else value


def convert_options(format: str | None = None, crs: str | None = None, assign_crs: str | None = None,
                    lod: str | None = None, types: str | Iterable[str] | None = None,
                    bbox: str | Sequence[float] | None = None, precision: float | None = None,
                    citygml_version: str | None = None) -> dict[str, Any]:
    """Options of ``batch convert`` (the fields of ``citytwin convert``), as JSON values.

    ``types`` is a comma-separated string or a list (kept sorted and unique); ``bbox`` a string
    ``xmin,ymin,xmax,ymax`` or four numbers (input CRS); ``precision`` in metres.
    """
    from citytwin.app.commands.convert import check_precision, parse_bbox

    t = _names(types)
    b = parse_bbox(bbox)
    check_precision(precision)
    if citygml_version not in (None, "2.0", "3.0"):
        raise UsageError(f"--citygml-version {citygml_version!r}: choose 2.0 or 3.0")
    return {"format": _text(format), "crs": _text(crs), "assign_crs": _text(assign_crs), "lod": _text(lod),
            "types": sorted(set(t)) if t else None, "bbox": list(b) if b else None, "precision": precision,
            "citygml_version": citygml_version}


def info_options(input_format: str | None = None, max_problems: int = 200) -> dict[str, Any]:
    """Options of ``batch info``: a forced input format and how many problems each file lists.

    Raises UsageError for an unknown input format (before any file is started)."""
    input_format = _text(input_format)
    if input_format is not None:
        from citytwin.io.registry import format_by_name

        format_by_name(input_format)
    return {"input_format": input_format, "max_problems": int(max_problems)}


def _defaults(command: str) -> dict[str, Any]:
    from citytwin.analysis.options import option_specs
    from citytwin.app.commands.studies import study

    out = {}
    for s in option_specs(study(command).options_class()):
        if s.default is not dataclasses.MISSING:
            out[s.name] = list(s.default) if isinstance(s.default, tuple) else s.default
    return out


def analysis_options(command: str, values: Mapping[str, Any], assign_crs: str | None = None,
                     png: bool = False, csv: bool = False, geojson: bool = False,
                     report: bool = False) -> dict[str, Any]:
    """Options of ``batch solar`` / ``batch shadow`` as JSON values.

    Parameters
    ----------
    command : "solar" or "shadow"
    values : SolarOptions / ShadowOptions field -> value (None or missing: the default); other
        keys are an error; ``surfaces`` a list or ``"roof,wall"``, ``weather`` a path
    assign_crs : CRS of the tiles' coordinates (replacing, with a warning, a CRS a tile declares)
    png : (shadow) also write a PNG of the ground grid per tile
    csv, geojson : (solar) also write ``<tile>.solar.csv`` / ``<tile>.solar.geojson`` per tile
    report : (solar) also write ``<tile>.solar.html`` per tile, the HTML report with charts of
        ``citytwin solar --report`` for the tile's own objects
    """
    fields = batch_fields(command)
    unknown = sorted(set(values) - set(fields))
    if unknown:
        raise UsageError(f"batch {command}: unknown option(s) {', '.join(unknown)}")
    defaults = _defaults(command)
    opts: dict[str, Any] = {}
    for name in fields:
        v = values.get(name)
        if isinstance(v, str):
            v = v.strip() or None
        if name in ("clear_sky", "weather_anywhere") and not v:
            v = None
        elif name == "weather" and v is not None:
            v = str(Path(v).resolve())
        elif name == "surfaces" and v is not None:
            v = _names(v, lower=True) or []
        if v is not None and name in defaults and v == defaults[name] and name != "date":
            v = None  # the default: same run as when not given
        opts[name] = v
    opts["assign_crs"] = _text(assign_crs)
    for flag, on in (("png", png), ("csv", csv), ("geojson", geojson), ("report", report)):
        if on:
            opts[flag] = True
    return opts


def batch_params(command: str, inputs: Sequence[str | Path], outdir: str | Path, options: Mapping[str, Any],
                 workers: int | None = None, scheduler: str | None = None, memory_limit: str = "auto",
                 force: bool = False, context_buffer: float = 100.0, retries: int = 1,
                 file_timeout: float | str | None = "3600", file_memory: str | int | None = "auto"):
    """The :class:`~citytwin.app.commands.batch.BatchParams` of a run (options without ``None``, sorted).

    ``file_timeout`` (seconds) and ``file_memory`` (a size or ``"auto"``) are the watchdog's
    per-file limits (0 or None: none; :func:`~citytwin.app.commands.batch_watchdog.parse_limits`).

    Raises
    ------
    UsageError : negative workers, no input, no output folder, a limit that is not a number/size
    """
    from citytwin.app.commands.batch import BatchParams
    from citytwin.app.commands.batch_watchdog import parse_limits

    if workers is not None and workers < 0:
        raise UsageError("--workers must be 0 or more")
    if not inputs:
        raise UsageError("no input: give files, folders or glob patterns")
    if outdir is None or not str(outdir).strip():
        raise UsageError("no output folder: give -o OUTDIR")
    return BatchParams(
        command=command, inputs=tuple(str(i) for i in inputs), outdir=Path(outdir),
        options=tuple(sorted((k, v) for k, v in options.items() if v is not None)),
        workers=workers, scheduler=_text(scheduler), memory_limit=_text(memory_limit) or "auto", force=force,
        context_buffer=float(context_buffer), retries=int(retries),
        file_limits=parse_limits(file_timeout, file_memory),
    )
