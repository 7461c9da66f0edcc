"""Study options described once: label, help, unit, range, choices and CLI flag per field.

An options dataclass (:class:`~citytwin.analysis.solar.SolarOptions`, ``ShadowOptions``,
``SVFOptions``) declares each field with :func:`option`; the CLI parsers, the batch options and the
Qt forms are generated from :func:`option_specs`, so an option is written once.

Messages about a bad value name the option by its *label* (``"Ground albedo must be between 0 and
1"``) through :class:`~citytwin.errors.OptionError`; each front end says it in its own words
(the CLI puts its flag, ``--albedo``, in place of the label).
"""

from __future__ import annotations

import dataclasses
import typing
from dataclasses import MISSING, dataclass, field
from typing import Any, Iterator

from citytwin.errors import OptionError

__all__ = ["OptionInfo", "OptionSpec", "option", "option_specs", "option_spec", "option_error", "labels"]


@dataclass(frozen=True)
class OptionInfo:
    """How a person sees one option.

    Attributes
    ----------
    label : words of a form row and of messages ("Ground albedo")
    help : one sentence (CLI help, tooltip)
    unit : "m", "deg", "min", ... or "" (none)
    range : (low, high) allowed, either None for open; checked by :func:`check_ranges`
    choices : allowed values of a text option, the first being the default
    flag : the CLI flag ("--albedo"); default ``--`` + the field name with dashes
    kind : how front ends read the value: "float", "int", "bool", "text", "path", "names"
        (a comma list), "floats", "months" (4-10 or 4,5,6), "pairs" (TYPE=R,...); default from
        the field's type
    cli : also a CLI flag of the single command (False: set through another flag or only in code)
    batch : also an option of ``batch <study>``
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


def option(default: Any = MISSING, *, label: str, help: str, unit: str = "",
           range: tuple[float | None, float | None] | None = None, choices: tuple[str, ...] | None = None,
           flag: str | None = None, kind: str | None = None, cli: bool = True, batch: bool = False,
           default_factory: Any = MISSING) -> Any:
    """A dataclass field carrying its :class:`OptionInfo` (in ``metadata["option"]``)."""
    info = OptionInfo(label, help, unit, range, choices, flag, kind, cli, batch)
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
    text = tp if isinstance(tp, str) else getattr(tp, "__name__", str(tp))
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
    hints = typing.get_type_hints(cls) if not prefix else {}
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


def check_ranges(cls: type, options: Any) -> None:
    """Raise :class:`OptionError` for a value outside its option's declared range."""
    for s in option_specs(cls):
        if s.info.range is None:
            continue
        v = s.get(options)
        if v is None or isinstance(v, bool):
            continue
        lo, hi = s.info.range
        vals = v if isinstance(v, tuple) else (v,)
        if any((lo is not None and x < lo) or (hi is not None and x > hi) for x in vals):
            if lo is not None and hi is not None:
                want = f"between {lo:g} and {hi:g}"
            elif lo is not None:
                want = f"at least {lo:g}"
            else:
                want = f"at most {hi:g}"
            raise option_error(cls, "{%s} must be %s (got {got})" % (s.name, want), got=v)


class _Keep(dict):
    """format_map helper: unknown ``{name}`` stays ``{name}`` (an option placeholder)."""

    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def _fields_of(template: str) -> list[str]:
    import string

    return [f for _, f, _, _ in string.Formatter().parse(template) if f]
