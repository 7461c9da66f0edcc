"""``convert``: read any format, optionally reproject / filter, write any writable format."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

from citytwin.app.commands.load import LoadParams, assign_crs, load_model, parse_crs_option
from citytwin.app.commands.progress import Progress
from citytwin.errors import UsageError
from citytwin.semantics.model import CityModel


def parse_bbox(text: str | Sequence[float] | None) -> tuple[float, float, float, float] | None:
    """``"xmin,ymin,xmax,ymax"`` (or four numbers) -> four floats; None or "" -> None.

    Raises
    ------
    UsageError : not four numbers
    """
    if text is None or (isinstance(text, str) and not text.strip()):
        return None
    try:
        vals = tuple(float(x) for x in (text.split(",") if isinstance(text, str) else text))
    except (TypeError, ValueError):
        raise UsageError(f"--bbox {text!r}: expected four numbers xmin,ymin,xmax,ymax") from None
    if len(vals) != 4:
        raise UsageError(f"--bbox {text!r}: expected four numbers xmin,ymin,xmax,ymax")
    return vals  # type: ignore[return-value]


def check_precision(precision: float | None) -> None:
    """UsageError (exit 2, as for a bad --bbox) unless ``precision`` is None or a positive finite number."""
    import math

    if precision is not None and not (math.isfinite(precision) and precision > 0):
        raise UsageError(f"--precision {precision:g}: expected a positive number of metres (e.g. 0.001)")


@dataclass(frozen=True)
class ConvertParams:
    """Options of a conversion.

    Attributes
    ----------
    input, output : paths; the output format comes from ``output``'s extension unless ``format``
    crs : reproject to this CRS (``EPSG:28992``)
    assign_crs : CRS of the input's coordinates: assumed when it declares none, replacing (with a
        warning) a CRS it declares
    lod : keep only geometries of this LoD
    types : keep only objects of these types (and their children)
    bbox : (xmin, ymin, xmax, ymax) in the input CRS: keep objects whose centre is inside
    precision : metres per coordinate step in the output (default: the input's, else 0.001)
    format : output format name
    options : writer-specific options (e.g. ``citygml_version``)
    fast_path : copy plain CityJSON 2.0 -> 2.0 through cityjson-lib (``convert --fast-copy``),
        off by default: that copy does not give the full reader's result (a 2.0 file without
        ``transform`` has its decimal vertices rounded to integers, bad semantic values, empty
        rings and an unknown CRS are dropped without a warning, nothing is counted as a problem),
        and its output orders attributes by a per-process hash seed
    """

    input: Path
    output: Path
    crs: str | None = None
    assign_crs: str | None = None
    lod: str | None = None
    types: tuple[str, ...] = ()
    bbox: tuple[float, float, float, float] | None = None
    precision: float | None = None
    format: str | None = None
    options: tuple[tuple[str, object], ...] = ()
    fast_path: bool = False


@dataclass(frozen=True)
class ConvertResult:
    output: Path
    objects: int
    #: problems of the input, counted as ``info`` counts them (:func:`check_model`); None on the
    #: fast path, which does not read the model
    problems: int | None
    fast_path: bool = False
    notes: tuple[str, ...] = ()  # file-level warnings raised while converting (e.g. approximate reprojection)
    #: what the writer could not carry over (dropped or mapped geometry, a CRS it cannot name, ...),
    #: one line each as ``"<object id>: <message>"``; the input's own problems are not repeated
    write_problems: tuple[str, ...] = ()


def apply_filters(model: CityModel, params: ConvertParams) -> CityModel:
    """Apply type, bbox, LoD filters and the reprojection of ``params`` (returns a new model or the same).

    A filter that keeps nothing is reported as a file-level problem (a ``warning:`` in the CLI)
    naming what the file does have: its types, its extent or its LoDs.
    """
    if params.types:
        want = set(params.types)
        roots = [o.id for o in model.objects.values() if o.type in want]
        have = sorted({o.type for o in model.objects.values()})
        model = model.subset(roots, with_relatives=True)
        if not roots:
            model.problems.report(None, f"--types {','.join(params.types)} keeps no object: the input has "
                                  f"{', '.join(have) or 'no objects'}")
    if params.bbox is not None:
        xmin, ymin, xmax, ymax = params.bbox
        if xmin > xmax or ymin > ymax:
            raise UsageError("--bbox must be xmin,ymin,xmax,ymax with min <= max")
        inside = [o.id for o in model.in_bbox(xmin, ymin, xmax, ymax)]
        b = model.bbox() if len(model) else None
        model = model.subset(inside, with_relatives=True)
        if not inside and b is not None:
            model.problems.report(None, f"--bbox keeps no object: the objects span x {b[0]:.3f}..{b[3]:.3f}, "
                                  f"y {b[1]:.3f}..{b[4]:.3f}")
    if params.lod is not None:
        have = model.lods()
        model = model.filter_lod(params.lod)
        if len(model) and not any(o.geometry for o in model.objects.values()):
            model.problems.report(None, f"--lod {params.lod} keeps no geometry: the {len(model)} objects are "
                                  f"written without any; the input has LoD {', '.join(have) or 'none'}")
    if params.types or params.bbox is not None or params.lod is not None:
        from citytwin.semantics.appearance_use import prune_appearance

        prune_appearance(model)  # the subset shares its input's appearance: keep what it uses
    if params.crs is not None:
        if model.crs is None:
            raise UsageError(f"{params.input}: the file declares no CRS; give --assign-crs to say which "
                             "it is before reprojecting")
        try:
            model.crs.to_pyproj()
        except UsageError:
            raise UsageError(f"{params.input}: its CRS {model.crs.to_string()!r} is not one PROJ knows, so it "
                             "cannot be reprojected; give --assign-crs with the CRS of its coordinates "
                             "(EPSG:25832, ...)") from None
        model.reproject(params.crs)
    return model


def run_convert(params: ConvertParams, progress: Progress | None = None) -> ConvertResult:
    """Convert one file; the output is written atomically."""
    from citytwin.app.commands.export import export_model
    from citytwin.io.registry import format_for_output

    progress = progress or Progress()
    check_precision(params.precision)
    spec = format_for_output(params.output, params.format)  # fail before reading on a bad output name
    if Path(params.output).resolve() == Path(params.input).resolve():
        raise UsageError("the output would overwrite the input")
    fast = _try_fast_path(params, spec.name, progress)
    if fast is not None:
        return fast
    if params.crs is not None:
        parse_crs_option("--crs", params.crs)  # a bad --crs fails before reading
    from citytwin.app.commands.info import check_model

    model = load_model(LoadParams(Path(params.input), None, None), progress.sub(0, 0.5))
    input_problems = check_model(model)  # the number info and the batch report give
    before = len(model.problems.items)
    if params.assign_crs:  # after `before`: replacing a declared CRS is a warning of this run
        assign_crs(model, params.assign_crs, Path(params.input).name)
    model = apply_filters(model, params)
    notes = tuple(p.message for p in model.problems.items[before:] if p.object_id is None)
    progress.update(0.6, f"writing {Path(params.output).name}")
    # writer options another format does not take (--citygml-version for a .city.json output in
    # a batch of mixed inputs) do not apply to this output
    opts = {k: v for k, v in params.options if k in spec.writer_options}
    if params.precision is not None:
        opts["precision"] = params.precision
    out = export_model(model, params.output, spec.name, progress.sub(0.6, 1.0), **opts)  # images travel with it
    progress.update(1.0)
    return ConvertResult(Path(params.output), len(model), input_problems, notes=notes,
                         write_problems=out.problems)


def _try_fast_path(params: ConvertParams, out_format: str, progress: Progress) -> ConvertResult | None:
    """CityJSON 2.0 -> CityJSON 2.0 without filters goes through cityjson-lib (Rust) when it can."""
    if not params.fast_path or out_format != "cityjson" or params.crs or params.lod or params.types or params.bbox \
            or params.assign_crs or params.options or params.precision is not None:
        return None
    from citytwin.io.cityjson.fast import fast_copy

    progress.update(0.0, f"copying {Path(params.input).name}")
    n = fast_copy(params.input, params.output)
    if n is None:
        return None
    progress.update(1.0)
    return ConvertResult(Path(params.output), n, None, fast_path=True)
