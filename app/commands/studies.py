"""The registry of studies: name -> options, run function, result, exporters.

Every front end is generated from this table: the CLI parsers (``citytwin solar|shadow|svf`` and
``citytwin batch solar|shadow``), the batch options and the Qt forms read the options' fields
(:func:`citytwin.analysis.options.option_specs`: label, help, unit, range, flag), so an option is
written once, in its options dataclass. Entries name their code as ``"module:attribute"`` strings,
imported when used, so listing the studies (``citytwin --help``) loads no study.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass, field
from typing import Any, Callable


@dataclass(frozen=True)
class Exporter:
    """One file a study can write from its result.

    Attributes
    ----------
    name : the output's option name ("csv", "geojson", "report", "png")
    function : ``"module:function"`` called as ``function(result, path, model=model, title=...)``
        (see :func:`export`)
    help : what the file holds (CLI help, tooltip)
    suffix : file name ending of the per-tile file in a batch (".solar.csv"); "" when a batch
        does not write it
    args : the function's positional parameters, from ``result``, ``path``, ``model`` (see
        :func:`export`); ``title`` is passed by keyword when it is among them
    ext : the file's extension (File > Export analysis chooses the exporter by it)
    file_label : the file type in a save dialog's filter ("GeoJSON footprints")
    """

    name: str
    function: str
    help: str
    suffix: str = ""
    args: tuple[str, ...] = ("result", "path", "model")
    ext: str = ".csv"
    file_label: str = "CSV per surface"


@dataclass(frozen=True)
class Study:
    """One study.

    Attributes
    ----------
    name : command name ("solar")
    title : report title ("Solar study")
    short : the study in a file filter ("Solar", "Sky view factor")
    help : one line (CLI help)
    description : a paragraph (CLI description)
    options : ``"module:Class"`` of the frozen options dataclass
    run : ``"module:function"`` ``run(model, options, progress=None, source_name=...) -> result``
    exporters : the files the result can be written to
    batch : ``citytwin batch <name>`` runs it per tile (neighbouring tiles as occluders)
    """

    name: str
    title: str
    short: str
    help: str
    description: str
    options: str
    run: str
    exporters: tuple[Exporter, ...] = field(default_factory=tuple)
    batch: bool = False

    def options_class(self) -> type:
        return _load(self.options)

    def run_function(self) -> Callable[..., Any]:
        return _load(self.run)

    def exporter(self, name: str) -> Exporter:
        for e in self.exporters:
            if e.name == name:
                return e
        raise KeyError(f"study {self.name!r} has no exporter {name!r}")


def _load(ref: str) -> Any:
    module, _, attr = ref.partition(":")
    return getattr(importlib.import_module(module), attr)


STUDIES: dict[str, Study] = {
    "solar": Study(
        "solar", "Solar study", "Solar", "annual solar irradiation of roofs and walls (3D shading)",
        "Annual and monthly solar irradiation per sample point, surface and building, with full 3D "
        "shading (Embree), a Perez sky and ground reflection.",
        "citytwin.analysis.solar:SolarOptions", "citytwin.app.commands.solar:run_solar",
        (Exporter("csv", "citytwin.app.commands.solar_export:write_csv", "per-surface table", ".solar.csv"),
         Exporter("geojson", "citytwin.app.commands.solar_export:write_geojson",
                  "building footprints with totals", ".solar.geojson", ("result", "model", "path"), ".geojson",
                  "GeoJSON footprints"),
         Exporter("report", "citytwin.app.commands.solar_export:write_report", "HTML report with charts",
                  ".solar.html", ("result", "path", "title"), ".html", "HTML report")), batch=True),
    "shadow": Study(
        "shadow", "Shadow study", "Shadow", "shadows and sun hours for a moment, a day or a period",
        "Lit / shadowed state of sample points on roofs, walls and a ground grid per time step, and "
        "the hours of direct sun over the period (local clock time of the site).",
        "citytwin.analysis.shadow_study:ShadowOptions", "citytwin.app.commands.shadow:run_shadow",
        (Exporter("csv", "citytwin.app.commands.study_export:write_shadow_csv",
                  "per-surface table: sun hours and lit fraction per time step"),
         Exporter("geojson", "citytwin.app.commands.study_export:write_shadow_geojson",
                  "building footprints with their mean sun hours", args=("result", "model", "path"),
                  ext=".geojson", file_label="GeoJSON footprints, sun hours"),
         Exporter("png", "citytwin.app.commands.study_export:write_shadow_png",
                  "top view of the ground grid (sun hours, or shadows at --time)", ".shadow.png",
                  ("result", "path"), ".png", "PNG of the ground, sun hours")),
        batch=True),
    "svf": Study(
        "svf", "Sky view factor", "Sky view factor", "sky view factor of roofs, walls and ground",
        "Sky view factor (visible cosine-weighted sky) of sample points on roofs, walls and ground.",
        "citytwin.analysis.svf:SVFOptions", "citytwin.app.commands.svf:run_svf",
        (Exporter("csv", "citytwin.app.commands.study_export:write_svf_csv", "per-surface table",
                  args=("result", "path")),
         Exporter("geojson", "citytwin.app.commands.study_export:write_svf_geojson",
                  "building footprints with their mean sky view factor", args=("result", "model", "path"),
                  ext=".geojson", file_label="GeoJSON footprints"))),
}


def study(name: str) -> Study:
    """The study called ``name``."""
    try:
        return STUDIES[name]
    except KeyError:
        raise KeyError(f"unknown study {name!r} (one of {', '.join(STUDIES)})") from None


def cli_flags(name: str) -> dict[str, str]:
    """Option name -> CLI flag of a study ({} for a command that is not a study)."""
    if name not in STUDIES:
        return {}
    from citytwin.analysis.options import option_specs

    return {s.name: s.flag for s in option_specs(study(name).options_class())}


def export(name: str, exporter: str, result: Any, path: Any, model: Any = None, title: str | None = None) -> None:
    """Write ``result`` of study ``name`` with its exporter ``exporter`` to ``path`` (atomically)."""
    e = study(name).exporter(exporter)
    fn = _load(e.function)
    given = {"result": result, "path": path, "model": model}
    args = [given[a] for a in e.args if a != "title"]
    kwargs = {"title": title} if "title" in e.args and title is not None else {}
    fn(*args, **kwargs)
