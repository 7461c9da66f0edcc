"""The one exception hierarchy of citytwin.

Every error a person can cause (a bad file, a bad option) is a :class:`CityTwinError`. Its
``str()`` is one sentence that names the file and the place, ready to print after ``error:``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path


class CityTwinError(Exception):
    """Base class of every error citytwin raises on purpose."""


class InputError(CityTwinError):
    """A file that cannot be read: malformed, truncated, unsupported or inconsistent.

    Parameters
    ----------
    path : file that was being read
    message : what is wrong, one sentence without a trailing period
    where : the place in the file (``"line 3, column 7"``, ``"CityObject 'b1'"``), optional
    names : options the message names as ``{name}`` fields, name -> label (see :class:`OptionError`);
        ``str()`` uses the labels, the CLI its flags
    """

    def __init__(self, path: str | Path | None, message: str, where: str | None = None,
                 names: dict[str, str] | None = None) -> None:
        self.path = str(path) if path is not None else None
        self.message = message
        self.where = where
        self.names = dict(names or {})
        super().__init__(self.__str__())

    def say(self, words: dict[str, str]) -> str:
        """The message with each option it names (``names``: ``{lod}`` in ``message``) in ``words``."""
        parts = []
        if self.path:
            parts.append(self.path)
        if self.where:
            parts.append(self.where)
        prefix = ": ".join(parts)
        message = self.message
        if self.names:
            message = message.format_map({n: words.get(n, label) for n, label in self.names.items()})
        return f"{prefix}: {message}" if prefix else message

    def __str__(self) -> str:
        return self.say({})


class UnsupportedFormatError(InputError):
    """No reader or writer knows this file."""


class OutputError(CityTwinError):
    """An output cannot be written (folder missing, format cannot hold the model, ...)."""


class UsageError(CityTwinError):
    """Options that do not make sense together or values out of range (CLI exit code 2)."""


class OptionError(UsageError):
    """A bad option value, naming each option by its label so every front end can use its own words.

    Parameters
    ----------
    template : the message with options as ``{name}`` fields (``"{albedo} must be between 0 and 1"``)
    names : option name -> label (``{"albedo": "Ground albedo"}``); ``str()`` uses the labels

    Front ends call :meth:`say` with their words (the CLI: ``{"albedo": "--albedo"}``).
    """

    def __init__(self, template: str, names: dict[str, str]) -> None:
        self.template = template
        self.names = dict(names)
        super().__init__(self.say({}))

    def say(self, words: dict[str, str]) -> str:
        """The message with each option named by ``words[name]`` (its label when not given)."""
        return self.template.format_map({n: words.get(n, label) for n, label in self.names.items()})


class Cancelled(CityTwinError):
    """A long operation was cancelled through its progress object."""


class MissingDependencyError(CityTwinError):
    """An optional library needed for one format or feature is not installed."""


@dataclass(frozen=True)
class Problem:
    """A per-object problem found while reading or processing; the rest goes on.

    Attributes
    ----------
    object_id : id of the city object concerned, or None for file-level problems
    message : one sentence
    severity : "warning" or "error" (the object, or part of it, could not be used)
    geometry : index of the geometry in the object's list, if any
    surface : index of the surface in the geometry, if any
    """

    object_id: str | None
    message: str
    severity: str = "warning"
    geometry: int | None = None
    surface: int | None = None

    def to_dict(self) -> dict:
        d = {"object_id": self.object_id, "severity": self.severity, "message": self.message}
        if self.geometry is not None:
            d["geometry"] = self.geometry
        if self.surface is not None:
            d["surface"] = self.surface
        return d


@dataclass
class ProblemLog:
    """Collects :class:`Problem` records; caps storage so a broken file cannot eat memory."""

    limit: int = 10000
    items: list[Problem] = field(default_factory=list)
    dropped: int = 0

    def add(self, problem: Problem) -> None:
        if len(self.items) < self.limit:
            self.items.append(problem)
        else:
            self.dropped += 1

    def report(self, object_id: str | None, message: str, severity: str = "warning",
               geometry: int | None = None, surface: int | None = None) -> None:
        self.add(Problem(object_id, message, severity, geometry, surface))

    def extend(self, problems) -> None:
        for p in problems:
            self.add(p)

    def __len__(self) -> int:
        return len(self.items) + self.dropped

    def __iter__(self):
        return iter(self.items)
