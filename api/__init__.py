"""The public Python API: ``citytwin.read``, ``citytwin.solar``, ... for scripts and notebooks.

Every function here is a thin front end over the command layer (:mod:`citytwin.app.commands`):
it builds the command's parameters from keyword arguments, runs it and wraps the result so it
converts to pandas and to a pyvista mesh (:mod:`citytwin.api.results`). Nothing numeric lives
here: the same functions run behind ``citytwin solar ...`` on the command line, so the API and
the CLI give the same numbers. ``import citytwin`` stays cheap: the package loads this module
on first use of one of its names (see ``citytwin.__getattr__``).

Errors are :class:`citytwin.errors.CityTwinError` subclasses; option errors name the keyword
argument (``albedo``), not the CLI flag (``--albedo``).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any, Sequence, TypeVar

from citytwin.api.options import (CityTwinWarning, call_command, study_keywords, study_options, study_signature,
                                  warn, warn_problems)
from citytwin.api.results import ShadowStudy, SolarStudy, SVFStudy, Table, rows_table, to_pyvista
from citytwin.semantics.model import CityModel

if TYPE_CHECKING:  # pragma: no cover
    from citytwin.app.commands.convert import ConvertResult
    from citytwin.app.commands.info import InfoResult
    from citytwin.progress import ProgressArg  # a Progress (to follow and cancel), fn(fraction), or None

T = TypeVar("T")

__all__ = ["CityModel", "read", "write", "formats", "info", "convert", "fuse", "Fusion", "solar", "shadow",
           "sky_view_factor", "to_pyvista", "Table", "SolarStudy", "ShadowStudy", "SVFStudy", "CityTwinWarning"]


def read(path: str | Path, *, format: str | None = None, crs: str | None = None) -> CityModel:
    """Read a city model from any supported file (CityJSON, CityJSONSeq, CityGML, IFC, meshes, ...).

    Parameters
    ----------
    path : the file
    format : format name to force (default: detected from the content and the extension)
    crs : CRS of the file's coordinates (``"EPSG:7415"``): assigned when the file declares none,
        replacing (with a warning in ``model.problems``) a CRS it declares; nothing is reprojected

    Returns
    -------
    CityModel ; the file's problems (per object, with the place) are in ``model.problems``, and
    a :class:`CityTwinWarning` says how many there are
    """
    from citytwin.app.commands.load import LoadParams, load_model

    model = call_command(lambda: load_model(LoadParams(Path(path), format, crs)))
    n = len(model.problems)
    if n:
        from citytwin.app.cli.info import problem_text

        warn([f"{path}: {n} problem{'s' if n > 1 else ''} while reading, the first: "
              f"{problem_text(list(model.problems)[0].to_dict())} (all in model.problems)"])
    return model


def write(model: CityModel, path: str | Path, *, format: str | None = None, progress: "ProgressArg" = None,
          **options: Any) -> Path:
    """Write ``model`` to ``path`` (atomically) in the format named by ``format`` or the extension,
    with its texture images (the export command behind File > Export and ``convert``).

    Texture images are copied next to the output unless the format embeds them. ``options`` are
    the writer's own (``citygml_version="3.0"``, ``precision=0.001`` metres, ...). What the
    format could not hold is issued as :class:`CityTwinWarning`.

    Returns
    -------
    Path of the written file
    """
    from citytwin.app.commands.export import export_model

    res = call_command(lambda: export_model(model, path, format=format, progress=_progress(progress), **options))
    warn(list(res.problems), 10, "more the output format could not hold as they were (model.problems)")
    return Path(res.output)


def formats() -> Table:
    """The file formats citytwin reads and writes: one row per format with ``name`` (for the
    ``format=`` keywords), ``label``, ``extensions``, ``read``, ``write`` and ``writer_options``
    (the keywords :func:`write` and :func:`convert` pass to its writer)."""
    from citytwin.io.registry import readable_formats, writable_formats

    readable = {f.name for f in readable_formats()}
    specs = {f.name: f for f in [*readable_formats(), *writable_formats()]}
    return rows_table([{"name": f.name, "label": f.label, "extensions": " ".join(f.extensions),
                             "read": f.name in readable, "write": f.writer is not None,
                             "writer_options": " ".join(f.writer_options)} for f in specs.values()])


def info(source: str | Path | CityModel, *, format: str | None = None, max_problems: int = 200) -> "InfoResult":
    """What a file (or a model) holds: format, CRS, objects per type, LoDs, semantics, bbox, problems.

    The result is the one ``citytwin info --json`` prints (``result.to_dict()``).
    """
    from citytwin.app.commands.info import InfoParams, run_info, summarize

    if isinstance(source, CityModel):
        return call_command(lambda: summarize(source, max_problems))
    return call_command(lambda: run_info(InfoParams(Path(source), format, max_problems)))


def convert(input: str | Path, output: str | Path, *, crs: str | None = None, assign_crs: str | None = None,
            lod: str | None = None, types: Sequence[str] = (),
            bbox: Sequence[float] | None = None, precision: float | None = None,
            format: str | None = None, progress: "ProgressArg | None" = None,
            **writer_options: Any) -> "ConvertResult":
    """Convert a file to another format, optionally reprojected and filtered (``citytwin convert``).

    Parameters
    ----------
    input, output : paths; the output format comes from ``output``'s extension unless ``format``
    crs : reproject to this CRS (``"EPSG:28992"``)
    assign_crs : CRS of the input's coordinates (assumed when it declares none)
    lod : keep only geometries of this LoD (``"2.2"``)
    types : keep only objects of these types (and their children)
    bbox : (xmin, ymin, xmax, ymax) in the input's CRS units: keep objects whose centre is inside
    precision : metres per coordinate step in the output (default: the input's, else 0.001)
    writer_options : the writer's own options (``citygml_version="3.0"``, ...)
    progress : a Progress (to follow and cancel) or a function ``fn(fraction 0..1)``

    Returns
    -------
    ConvertResult with ``output``, ``objects``, ``problems`` (of the input), ``notes`` and
    ``write_problems`` (what the output format could not carry)
    """
    from citytwin.app.commands.convert import ConvertParams, parse_bbox, run_convert
    from citytwin.io.registry import format_for_output

    spec = call_command(lambda: format_for_output(output, format))
    unknown = sorted(set(writer_options) - set(spec.writer_options))
    if unknown:  # the command drops writer options another format takes (a batch of mixed outputs)
        raise TypeError(f"convert() got an unexpected keyword argument {unknown[0]!r}: the {spec.name} writer "
                        f"takes {', '.join(spec.writer_options) or 'no options of its own'}")

    def run():
        params = ConvertParams(input=Path(input), output=Path(output), crs=crs, assign_crs=assign_crs,
                               lod=None if lod is None else str(lod), types=tuple(types),
                               bbox=parse_bbox(bbox), precision=precision, format=format,
                               options=tuple(writer_options.items()))
        return run_convert(params, _progress(progress))
    res = call_command(run)
    warn(list(res.notes))
    warn(list(res.write_problems), 10, "more the output format could not hold as they were "
         "(result.write_problems)")
    return res


class Fusion:
    """The result of :func:`fuse`.

    Attributes
    ----------
    model : CityModel, the base with the fused buildings
    report : dict, the fusion report (``ifc`` and ``mesh`` entries: matches, candidates, flags)
    output : Path or None, where the model was written
    """

    def __init__(self, model: CityModel, report: dict[str, Any], output: Path | None) -> None:
        self.model, self.report, self.output = model, report, output

    def lines(self) -> list[str]:
        """The report for a person, one line per match, flag and mesh source (as the CLI prints)."""
        from citytwin.app.commands.fuse import report_lines

        return report_lines(self.report)

    def matches(self) -> Table:
        """One row per IFC building fused into a base building (``ifc_building``, ``base_building``,
        ``overlap_of_ifc``, ``overlap_of_base``, ``centroid_offset_m``, ``source``)."""
        return rows_table([{**m, "source": e.get("source")} for e in self.report.get("ifc", [])
                                for m in e.get("matches", [])])

    def __repr__(self) -> str:
        return f"<Fusion: {len(self.model)} objects, {len(self.report.get('ifc', []))} IFC, " \
               f"{len(self.report.get('mesh', []))} mesh sources>"


def fuse(base: str | Path | CityModel, *, ifc: Sequence[str | Path] = (), mesh: Sequence[str | Path] = (),
         output: str | Path | None = None, report: str | Path | None = None, ifc_mode: str = "add",
         ifc_georef: Sequence[float] | None = None, ifc_crs: str | None = None, mesh_crs: str | None = None,
         mesh_up: str = "auto", mesh_offset: Sequence[float] = (0.0, 0.0, 0.0),
         ifc_timeout: float | None = None, progress: "ProgressArg | None" = None) -> Fusion:
    """Bring IFC models and meshes into a base city model (``citytwin fuse``).

    Parameters
    ----------
    base : the base model or its file (the base CRS is the output CRS); a model is changed in place
    ifc, mesh : IFC files and mesh files (OBJ, PLY, glTF, STL, ...) to bring in
    output : write the fused model here (optional); report : write the JSON report here (optional)
    ifc_mode : ``"add"`` the IFC elements as LoD 3 children of the matched base building, or
        ``"replace"`` the matched building
    ifc_georef : (easting m, northing m, height m, rotation degrees) of the IFC origin in ``ifc_crs``,
        overriding the file's own georeferencing
    ifc_crs : CRS of ``ifc_georef`` (default: the base CRS)
    mesh_crs : CRS of the mesh coordinates (default: the base CRS); mesh_up : ``"auto"``, ``"y"``, ``"z"``
    mesh_offset : (east, north, up) metres added to the mesh coordinates
    ifc_timeout : seconds without progress of the IFC geometry kernel before an element is skipped
    progress : a Progress (to follow and cancel) or a function ``fn(fraction 0..1)``
    """
    from citytwin.app.commands.fuse import FuseParams, check_sources, fuse_into, write_report
    from citytwin.app.commands.load import LoadParams, load_model

    def run():
        name = str(base.source.get("path") or "model") if isinstance(base, CityModel) else str(base)
        # fuse_into reads the sources and options of FuseParams; base/output are the CLI's files
        params = FuseParams(base=Path(name), output=Path(output or name), ifc=tuple(Path(p) for p in ifc),
                            mesh=tuple(Path(p) for p in mesh), ifc_mode=ifc_mode,
                            ifc_georef=None if ifc_georef is None else tuple(float(x) for x in ifc_georef),
                            ifc_crs=ifc_crs, mesh_crs=mesh_crs, mesh_up=mesh_up,
                            mesh_offset=tuple(float(x) for x in mesh_offset), ifc_timeout=ifc_timeout)
        check_sources(params)  # before reading the base
        model = base if isinstance(base, CityModel) else load_model(LoadParams(Path(base)))
        rep = fuse_into(model, params, _progress(progress), base_name=name)
        if output is not None:
            write(model, output)
        if report is not None:
            write_report(rep, report)
        return Fusion(model, rep, None if output is None else Path(output))
    fusion = call_command(run)
    warn([line.replace(": warning: ", ": ", 1) for line in fusion.lines() if ": warning: " in line])
    return fusion


def _study(model: str | Path | CityModel) -> tuple[CityModel, str]:
    """The model to analyse and the name its messages use."""
    if isinstance(model, CityModel):
        return model, str(model.source.get("path") or "model")
    return read(model), str(model)


def _progress(progress: Any) -> Any:
    """A command's progress reporter from a Progress, a function ``fn(fraction)`` or None."""
    from citytwin.progress import as_progress

    return as_progress(progress)


def _run_study(study_name: str, func: str, wrapper: type[T], model: str | Path | CityModel, progress: Any,
               options: dict[str, Any]) -> T:
    """Run the study ``study_name`` of the registry (:mod:`citytwin.app.commands.studies`) on
    ``model`` with keyword ``options``; warn what it said (its weather note, the problems it
    found) and wrap its result."""
    from citytwin.app.commands.studies import study

    entry = study(study_name)
    opts = study_options(func, entry.options_class(), options)  # a wrong keyword fails before reading
    m, name = _study(model)
    since = len(m.problems)
    run, keywords = entry.run_function(), study_keywords(study_name)
    result = wrapper(call_command(lambda: run(m, opts, _progress(progress), source_name=name), keywords), m, opts)
    note = result.raw.info.get("weather_warning")
    if note and not getattr(opts, "clear_sky", False):  # asked for: a note in the summary, not a warning
        warn([note], keywords=keywords)
    warn_problems(m, since, keywords=keywords)
    return result


def solar(model: str | Path | CityModel, *, progress: "ProgressArg | None" = None, **options: Any) -> SolarStudy:
    """Annual solar irradiation of roofs and walls with full 3D shading (``citytwin solar``)."""
    return _run_study("solar", "solar", SolarStudy, model, progress, options)


def shadow(model: str | Path | CityModel, *, progress: "ProgressArg | None" = None, **options: Any) -> ShadowStudy:
    """Shadows and sun hours for a moment, a day or a period (``citytwin shadow``)."""
    return _run_study("shadow", "shadow", ShadowStudy, model, progress, options)


def sky_view_factor(model: str | Path | CityModel, *, progress: "ProgressArg | None" = None,
                    **options: Any) -> SVFStudy:
    """Sky view factor of points on roofs, walls and the ground (``citytwin svf``)."""
    return _run_study("svf", "sky_view_factor", SVFStudy, model, progress, options)


# help(citytwin.solar) and a notebook's completion show the options as keyword arguments (with
# their units), taken from the study's options dataclass in the registry: an option is written once.
study_signature(solar, "solar")
study_signature(shadow, "shadow")
study_signature(sky_view_factor, "svf")
