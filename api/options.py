"""Keyword arguments of the public API -> the command layer's options dataclasses, and back.

The study functions (:func:`citytwin.solar`, ...) take their options as keyword arguments
whose names, defaults and documentation (label, help, unit) are those of the study's options
dataclass in the study registry (``SolarOptions``, ...), so an option is written once. This module checks the
keywords, coerces the forms a person types in a notebook (``surfaces="roof,wall"``, a list for a
tuple, a dict for ``pv``, a str for a path), and rewords the command layer's messages, which
name CLI flags (``--albedo``), with the keyword names (``albedo``).
"""

from __future__ import annotations

import dataclasses
import difflib
import inspect
import re
import textwrap
import warnings
from pathlib import Path
from typing import Any, Callable, TypeVar

from citytwin.errors import UsageError

T = TypeVar("T")

_FLAG = re.compile(r"(?<![\w-])--([a-z][a-z0-9]*(?:-[a-z0-9]+)*)")


def study_keywords(study: str | None = None) -> dict[str, str]:
    """CLI flag -> keyword of the options (of ``study``, else of every study) whose flag is not
    their name with dashes (``--mf`` -> ``sky_mf``, ``--step`` -> ``step_minutes``), from the
    study registry."""
    from citytwin.app.commands.studies import STUDIES, cli_flags

    return {flag: name for s in ([study] if study else STUDIES) for name, flag in cli_flags(s).items()
            if flag != "--" + name.replace("_", "-")}


def keyword_message(text: str, keywords: dict[str, str] | None = None) -> str:
    """``text`` with every CLI flag (``--albedo``) replaced by its keyword argument (``albedo``);
    ``keywords`` maps the flags not named so (default: :func:`study_keywords`)."""
    table = study_keywords() if keywords is None else keywords
    return _FLAG.sub(lambda m: table.get(m.group(0), m.group(1).replace("-", "_")), text)


def call_command(run: Callable[[], T], keywords: dict[str, str] | None = None) -> T:
    """Run ``run()``; a :class:`UsageError` it raises is raised again worded with keyword names
    (an :class:`~citytwin.errors.OptionError` names its options by their keyword)."""
    try:
        return run()
    except UsageError as exc:
        names = getattr(exc, "names", None)  # an option error naming options by their labels
        text = exc.say({n: n for n in names}) if names and hasattr(exc, "say") else str(exc)
        exc.args = (keyword_message(text, keywords), *exc.args[1:])  # same error, in the API's words
        raise


class CityTwinWarning(UserWarning):
    """What the CLI says as a ``warning:`` line (an approximation, a dropped thing, a file's problem)."""


def _user_level() -> int:
    """``stacklevel`` for :func:`warnings.warn` in :func:`warn`: the first frame outside this package."""
    import sys

    frame, level = sys._getframe(2), 2  # the caller of warn() is stacklevel 2
    while frame is not None and frame.f_globals.get("__name__", "").startswith("citytwin.api"):
        frame, level = frame.f_back, level + 1
    return level


def warn(lines: list[str], limit: int = 20, more: str = "more: see model.problems",
         keywords: dict[str, str] | None = None) -> None:
    """Issue the first ``limit`` of ``lines`` (CLI flags worded as keywords) as
    :class:`CityTwinWarning`, then how many more, pointing at the line that called the API."""
    level = _user_level()
    for line in lines[:limit]:
        warnings.warn(keyword_message(line, keywords), CityTwinWarning, stacklevel=level)
    if len(lines) > limit:
        warnings.warn(f"... and {len(lines) - limit} {more}", CityTwinWarning, stacklevel=level)


def warn_problems(model: Any, since: int, limit: int = 20, keywords: dict[str, str] | None = None) -> None:
    """Warn the problems ``model.problems`` got after its first ``since`` (as the CLI prints them)."""
    from citytwin.app.cli.info import problem_text

    warn([problem_text(p.to_dict()) for p in list(model.problems)[since:]], limit, keywords=keywords)


def _default(f: dataclasses.Field) -> Any:
    if f.default is not dataclasses.MISSING:
        return f.default
    if f.default_factory is not dataclasses.MISSING:  # type: ignore[misc]
        return f.default_factory()  # type: ignore[misc]
    return dataclasses.MISSING


def _coerce(func: str, f: dataclasses.Field, value: Any) -> Any:
    """The form the dataclass field holds, from what a person is likely to pass."""
    default = _default(f)
    kind = str(f.type)
    if value is None:
        return value
    if kind.startswith("tuple") or isinstance(default, tuple):
        if isinstance(value, str):
            return tuple(s.strip() for s in value.split(",") if s.strip())
        if isinstance(value, (list, tuple, set, frozenset, range)) or hasattr(value, "tolist"):
            return tuple(value.tolist() if hasattr(value, "tolist") else value)
        return value
    if dataclasses.is_dataclass(default) and isinstance(value, dict):
        names = {g.name for g in dataclasses.fields(default)}
        bad = sorted(set(value) - names)
        if bad:
            raise TypeError(f"{func}(): {f.name} has no option {bad[0]!r}"
                            + _suggest(bad[0], names) + f" (options: {', '.join(sorted(names))})")
        return dataclasses.replace(default, **value)
    if "Path" in kind and isinstance(value, str):
        return Path(value)
    return value


def _suggest(name: str, names) -> str:
    close = difflib.get_close_matches(name, list(names), n=1)
    return f"; did you mean {close[0]!r}?" if close else ""


def _nested(cls: type) -> dict[str, tuple[str, str]]:
    """Flat keyword -> (field, sub-field) of the options nested in ``cls`` (``pv_efficiency`` ->
    ``("pv", "efficiency")``), as the study registry names them (its CLI flags, its messages)."""
    from citytwin.analysis.options import option_specs

    return {s.name: (s.path[0], s.path[1]) for s in option_specs(cls) if len(s.path) == 2}


def study_options(func: str, cls: type[T], kwargs: dict[str, Any]) -> T:
    """The options dataclass ``cls`` from the keyword arguments of the API function ``func``.

    A nested option is given whole (``pv={"efficiency": 0.18}`` or a ``PVParams``) or by its flat
    name (``pv_efficiency=0.18``).

    Raises
    ------
    TypeError : an unknown keyword (with the closest known one), a required one missing
    """
    fields = {f.name: f for f in dataclasses.fields(cls)}  # type: ignore[arg-type]
    nested = _nested(cls)
    for k in kwargs:
        if k not in fields and k not in nested:
            raise TypeError(f"{func}() got an unexpected keyword argument {k!r}" + _suggest(k, [*fields, *nested]))
    missing = [n for n, f in fields.items() if _default(f) is dataclasses.MISSING and n not in kwargs]
    if missing:
        raise TypeError(f"{func}() missing required keyword argument {missing[0]!r}")
    values = {k: _coerce(func, fields[k], v) for k, v in kwargs.items() if k in fields}
    for k, v in kwargs.items():
        if k in nested:
            parent, name = nested[k]
            base = values.get(parent, _default(fields[parent]))
            values[parent] = dataclasses.replace(base, **{name: v})
    return cls(**values)


def _option_docs(cls: type, keywords: dict[str, str]) -> str:
    """One numpydoc entry per option of ``cls`` from the registry's labels, help and units."""
    from citytwin.analysis.options import option_specs

    lines = []
    for s in option_specs(cls):
        unit = f" [{s.info.unit}]" if s.info.unit else ""
        lines.append(f"{s.name} : {s.info.label}{unit}")
        lines += textwrap.wrap(keyword_message(s.info.help, keywords), 96, initial_indent="    ",
                               subsequent_indent="    ")
    return "\n".join(lines)


def _attributes_section(doc: str | None) -> str:
    """The ``Attributes`` section of a numpydoc class docstring, dedented ('' when none)."""
    if not doc:
        return ""
    doc = inspect.cleandoc(doc)
    m = re.search(r"^Attributes\n-+\n(.*?)(?=^\S.*\n-+\n|\Z)", doc, re.S | re.M)
    return textwrap.dedent(m.group(1)).rstrip() if m else ""


def study_signature(func: Callable, study_name: str) -> None:
    """Give ``func`` (``def f(model, *, progress=None, **options)``) the signature and the documented
    keyword arguments of the options dataclass of the study ``study_name`` in the registry."""
    from citytwin.app.commands.studies import study

    cls = study(study_name).options_class()
    params = [inspect.Parameter("model", inspect.Parameter.POSITIONAL_OR_KEYWORD)]
    for f in dataclasses.fields(cls):
        d = _default(f)
        params.append(inspect.Parameter(f.name, inspect.Parameter.KEYWORD_ONLY,
                                        default=inspect.Parameter.empty if d is dataclasses.MISSING else d,
                                        annotation=f.type))
    for name, (parent, field) in _nested(cls).items():
        params.append(inspect.Parameter(name, inspect.Parameter.KEYWORD_ONLY,
                                        default=getattr(_default(next(f for f in dataclasses.fields(cls)
                                                                      if f.name == parent)), field)))
    params.append(inspect.Parameter("progress", inspect.Parameter.KEYWORD_ONLY, default=None))
    func.__signature__ = inspect.Signature(params)  # type: ignore[attr-defined]
    docs = _option_docs(cls, study_keywords(study_name)) or _attributes_section(cls.__doc__)
    func.__doc__ = (inspect.cleandoc(func.__doc__ or "") + "\n\n"
                    "Parameters\n----------\n"
                    "model : CityModel, or the path of a file to read\n"
                    + (docs + "\n" if docs else "")
                    + "progress : a Progress (to follow and cancel the study) or a function fn(fraction 0..1)\n\n"
                    f"The keywords are the options of :class:`{cls.__module__}.{cls.__qualname__}`"
                    + (f" (a nested one also whole: {', '.join(sorted({p for p, _ in _nested(cls).values()}))})"
                       if _nested(cls) else "") + ".")
