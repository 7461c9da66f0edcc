"""Study options described once: label, help, unit, range, choices and CLI flag per field.

An options dataclass (:class:`~citytwin.analysis.solar.SolarOptions`, ``ShadowOptions``,
``SVFOptions``) declares each field with :func:`option`; the CLI parsers, the batch options and the
Qt forms are generated from :func:`option_specs`, so an option is written once.

Messages about a bad value name the option by its *label* (``"Ground albedo must be between 0 and
1"``) through :class:`~citytwin.errors.OptionError`; each front end says it in its own words
(the CLI puts its flag, ``--albedo``, in place of the label).

To add an option to a study: declare the field with :func:`option` (label, help, unit, range;
``batch=True`` to offer it in ``citytwin batch``), use it in the study, and list it in the Qt
dialog's ``ROWS`` if the dialog should show it. ``citytwin <study> --help``, the batch parser and
options and the form rows follow (``tests/app/test_study_registry.py`` checks they do).
"""

from __future__ import annotations

import dataclasses
import typing
from dataclasses import MISSING, dataclass, field
from typing import Any, Iterator

from citytwin.errors import OptionError

__all__ = ["OptionInfo", "OptionSpec", "option", "option_specs", "option_spec", "option_error", "labels", "parse_text",
           "build_options"]


@dataclass(frozen=True)
class OptionInfo:
    """How a person sees one option.

    Attributes
    ----------
    label : words of a form row and of messages ("Ground albedo")
    help : one sentence (CLI help, tooltip)
    unit : "m", "deg", "min", ... or "" (none)
    range : (low, high) allowed, either None for open (a form's spin box limits when ``form`` is None)
    choices : allowed values of a text option, the first being the default
    flag : the CLI flag ("--albedo"); default ``--`` + the field name with dashes
    kind : how front ends read the value: "float", "int", "bool", "text", "path", "names"
        (a comma list), "floats", "months" (4-10 or 4,5,6), "pairs" (TYPE=R,...); default from
        the field's type
    cli : also a CLI flag of the single command (False: set only in code)
    batch : also an option of ``batch <study>``
    group : options of one group exclude each other (``weather`` / ``clear_sky``)
    metavar : how the CLI help shows the value ("MINUTES", "ON,OFF")
    form : (low, high, step, decimals) of a form's spin box (default from ``range``)
    """

    label: str
    help: str
    unit: str = ""
    range: tuple[float | None, float | None] | None = None
    choices: tuple[str, ...] | None = None
    flag: str | None = None
    kind: str | None = None
    cli: bool = True
    batch: bool = False
    group: str | None = None
    metavar: str | None = None
    form: tuple[float, float, float, int] | None = None


def option(default: Any = MISSING, *, label: str, help: str, unit: str = "",
           range: tuple[float | None, float | None] | None = None, choices: tuple[str, ...] | None = None,
           flag: str | None = None, kind: str | None = None, cli: bool = True, batch: bool = False,
           group: str | None = None, metavar: str | None = None,
           form: tuple[float, float, float, int] | None = None, default_factory: Any = MISSING) -> Any:
    """A dataclass field carrying its :class:`OptionInfo` (in ``metadata["option"]``)."""
    info = OptionInfo(label, help, unit, range, choices, flag, kind, cli, batch, group, metavar, form)
    if default_factory is not MISSING:
        return field(default_factory=default_factory, metadata={"option": info})
    return field(default=default, metadata={"option": info})


@dataclass(frozen=True)
class OptionSpec:
    """One option of a study, nested dataclasses flattened (``pv.efficiency`` -> ``pv_efficiency``).

    Attributes
    ----------
    name : flat name, unique in the study ("albedo", "pv_efficiency")
    path : attribute path in the options object (("pv", "efficiency"))
    info : :class:`OptionInfo`
    default : default value (MISSING for a required option)
    kind : see :class:`OptionInfo` (filled from the type when not given)
    flag : the CLI flag
    """

    name: str
    path: tuple[str, ...]
    info: OptionInfo
    default: Any
    kind: str
    flag: str

    @property
    def label(self) -> str:
        return self.info.label

    @property
    def required(self) -> bool:
        return self.default is MISSING

    def get(self, options: Any) -> Any:
        """The value of this option in an options object."""
        for p in self.path:
            options = getattr(options, p)
        return options


def _kind(tp: Any) -> str:
    text = tp if isinstance(tp, str) else (str(tp) if typing.get_origin(tp) or not hasattr(tp, "__name__")
                                           else tp.__name__)
    text = text.replace("typing.", "")
    if "bool" in text:
        return "bool"
    if text.startswith("tuple[str") or text.startswith("tuple[tuple"):
        return "names"
    if text.startswith("tuple[int"):
        return "months"
    if text.startswith("tuple[float"):
        return "floats"
    if "Path" in text:
        return "path"
    if "float" in text:
        return "float"
    if "int" in text:
        return "int"
    return "text"


def _walk(cls: type, prefix: tuple[str, ...]) -> Iterator[OptionSpec]:
    hints = typing.get_type_hints(cls)
    for f in dataclasses.fields(cls):
        info = f.metadata.get("option")
        default = f.default if f.default is not MISSING else (
            f.default_factory() if f.default_factory is not MISSING else MISSING)  # type: ignore[misc]
        if info is None:
            if dataclasses.is_dataclass(default):  # nested options (pv: PVParams)
                yield from _walk(type(default), prefix + (f.name,))
            continue
        path = prefix + (f.name,)
        name = "_".join(path)
        kind = info.kind or _kind(hints.get(f.name, f.type))
        flag = info.flag or "--" + name.replace("_", "-")
        yield OptionSpec(name, path, info, default, kind, flag)


def option_specs(cls: type) -> tuple[OptionSpec, ...]:
    """Every option of an options dataclass, in declaration order (nested ones flattened)."""
    return tuple(_walk(cls, ()))


def option_spec(cls: type, name: str) -> OptionSpec:
    """The option ``name`` (flat name) of ``cls``."""
    for s in option_specs(cls):
        if s.name == name:
            return s
    raise KeyError(f"{cls.__name__} has no option {name!r}")


def labels(cls: type) -> dict[str, str]:
    """Flat option name -> label."""
    return {s.name: s.label for s in option_specs(cls)}


def option_error(cls: type, template: str, **values: Any) -> OptionError:
    """An :class:`OptionError` whose ``{name}`` fields are options of ``cls``.

    ``template`` names options as ``{albedo}``; ``values`` fill other ``{fields}`` (their text is
    taken literally). ``str()`` of the error uses the labels; the CLI puts its flags instead.
    """
    known = labels(cls)
    names = {n: known[n] for n in _fields_of(template) if n in known}
    literal = {k: str(v).replace("{", "{{").replace("}", "}}") for k, v in values.items()}
    return OptionError(template.format_map(_Keep({**literal})), names)


def parse_text(cls: type, name: str, text: str) -> Any:
    """The value of option ``name`` from its text (a CLI argument, a form's line edit).

    ``names``: ``"roof, wall"`` -> ("roof", "wall"); ``floats``: ``"0.03,0.5"`` -> (0.03, 0.5);
    ``months``: ``"4-10"`` or ``"11-2"`` or ``"4,5,6"`` -> (4, ..., 10); ``pairs``:
    ``"WallSurface=0.3,Window=0.1"`` -> (("WallSurface", 0.3), ("Window", 0.1)); numbers as numbers.

    Raises
    ------
    OptionError : text that is not such a value
    """
    spec = option_spec(cls, name)
    t = str(text)
    if spec.kind == "names":
        out = tuple(x.strip().lower() for x in t.split(",") if x.strip())
        if not out:
            raise option_error(cls, "{%s} is empty" % name)
        return out
    if spec.kind == "floats":
        try:
            return tuple(float(x) for x in t.split(","))
        except ValueError:
            raise option_error(cls, "{%s} {text}: give numbers such as %s" % (name, spec.info.metavar or "A,B"),
                               text=t) from None
    if spec.kind == "months":
        months: list[int] = []
        try:
            for part in t.split(","):
                a, _, b = part.strip().partition("-")
                months += list(range(int(a), int(b or a) + 1)) if int(b or a) >= int(a) else \
                    list(range(int(a), 13)) + list(range(1, int(b) + 1))
        except ValueError:
            raise option_error(cls, "{%s} {text}: give months such as 4-10 or 4,5,6" % name, text=t) from None
        return tuple(months)
    if spec.kind == "pairs":
        out_pairs = []
        for part in filter(None, (x.strip() for x in t.split(","))):
            key, _, val = part.partition("=")
            try:
                r = float(val)
            except ValueError:
                raise option_error(cls, "{%s} {part}: give TYPE=VALUE such as WallSurface=0.3" % name,
                                   part=part) from None
            if not 0 <= r <= 1:
                raise option_error(cls, "{%s} {part}: a reflectance is between 0 and 1" % name, part=part)
            out_pairs.append((key.strip(), r))
        return tuple(out_pairs)
    if spec.kind in ("float", "int"):
        try:
            return (float if spec.kind == "float" else int)(t)
        except ValueError:
            raise option_error(cls, "{%s} {text}: not a number" % name, text=t) from None
    if spec.kind == "path":
        from pathlib import Path

        return Path(t)
    return t


def build_options(cls: type, values: dict[str, Any]) -> Any:
    """An options object from flat option values (``pv_efficiency`` sets ``pv.efficiency``);
    options not in ``values`` (or None there) keep their defaults."""
    top: dict[str, Any] = {}
    nested: dict[str, dict[str, Any]] = {}
    for s in option_specs(cls):
        if values.get(s.name) is None:
            continue
        if len(s.path) == 1:
            top[s.name] = values[s.name]
        else:
            nested.setdefault(s.path[0], {})[s.path[1]] = values[s.name]
    for f in dataclasses.fields(cls):
        if f.name in nested:
            base = f.default_factory() if f.default_factory is not MISSING else f.default  # type: ignore[misc]
            top[f.name] = dataclasses.replace(base, **nested[f.name])
    return cls(**top)


class _Keep(dict):
    """format_map helper: unknown ``{name}`` stays ``{name}`` (an option placeholder)."""

    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def _fields_of(template: str) -> list[str]:
    import string

    return [f for _, f, _, _ in string.Formatter().parse(template) if f]


# -- options every study shares (sampling, site, LoD) ------------------------------------------

def resolution_option(batch: bool = True) -> Any:
    return option(1.0, label="Resolution", unit="m", help="metres between sample points", range=(0.0, None),
                  batch=batch, form=(0.1, 50.0, 0.5, 2))


def surfaces_option(default: tuple[str, ...], batch: bool = True) -> Any:
    return option(default, label="Surfaces", kind="names", choices=("roof", "wall", "ground", "all"),
                  help="roof,wall,ground or all", batch=batch)


def latitude_option(where: str = "the model's CRS") -> Any:
    return option(None, label="Latitude", unit="deg", range=(-90.0, 90.0), kind="float", batch=True,
                  help=f"site latitude in degrees (default: from {where})")


def longitude_option(where: str = "the model's CRS") -> Any:
    return option(None, label="Longitude", unit="deg", range=(-180.0, 180.0), kind="float", batch=True,
                  help=f"site longitude in degrees (default: from {where})")


def lod_option() -> Any:
    return option(None, label="LoD", kind="text", batch=True,
                  help="LoD to analyse (default: each object's highest)")


def offset_option() -> Any:
    return option(0.05, label="Offset", unit="m", cli=False, range=(0.0, None),
                  help="sample points are lifted off their surface along the normal")


def nthreads_option() -> Any:
    return option(0, label="Threads", cli=False, range=(0, None), help="Embree threads (0: all cores)")
