"""Loading models through the registry, with options common to every command."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from citytwin.app.commands.progress import Progress
from citytwin.semantics.crs import CRS
from citytwin.semantics.model import CityModel

#: What each CRS option is for, said when it is given empty.
_CRS_PURPOSE = {"--crs": "the CRS to reproject to", "--assign-crs": "the CRS of the coordinates"}


@dataclass(frozen=True)
class LoadParams:
    """What to read and how.

    Attributes
    ----------
    path : input file
    format : format name to force (default: detected from content and extension)
    crs : CRS of the file's coordinates (``EPSG:7415``): assigned when the file declares none,
        and replacing a declared one (with a warning in the model's problems)
    options : keyword options of the format's reader, as (name, value) pairs (the mesh reader's
        ``up``, ``offset``, ``crs``)
    """

    path: Path
    format: str | None = None
    crs: str | None = None
    options: tuple[tuple[str, object], ...] = ()


def load_model(params: LoadParams, progress: Progress | None = None) -> CityModel:
    """Read a model; ``params.crs`` is its CRS (see :func:`assign_crs`)."""
    from citytwin.io.registry import read

    progress = progress or Progress()
    progress.update(0.0, f"reading {Path(params.path).name}")
    model = read(params.path, format=params.format, **dict(params.options))
    if params.crs:
        assign_crs(model, params.crs, Path(params.path).name)
    progress.update(1.0)
    return model


def assign_crs(model: CityModel, crs: str, name: str = "the input") -> str | None:
    """Say that the model's coordinates are in ``crs`` (``--assign-crs``); nothing is reprojected.

    A file that declares no CRS gets ``crs``. A file that declares another one (a wrong code, an
    AdV or local name PROJ does not know) has it replaced, and the returned note (also reported
    in the model's problems, a ``warning:`` line in the CLI) names the CRS that was replaced.

    Raises
    ------
    UsageError : ``crs`` is not a CRS PROJ knows
    """
    new = parse_crs_option("--assign-crs", crs)
    old = model.crs
    model.assign_crs(new)
    if old is None or old == new:
        return None
    note = (f"{name} declares the CRS {old.to_string()!r}; --assign-crs replaced it with {new.to_string()} "
            "(coordinates unchanged, not reprojected)")
    model.problems.report(None, note)
    return note


def parse_crs_option(flag: str, text: str) -> CRS:
    """The CRS an option names (``--crs``, ``--assign-crs``), checked against PROJ before any reading.

    Parameters
    ----------
    flag : the option's name, used in the message (``"--crs"``; the GUI passes its field label)
    text : ``"EPSG:28992"``, ``"EPSG:7415"``, a WKT or PROJ string, ...

    Raises
    ------
    UsageError : ``text`` is empty or not a CRS PROJ knows
    """
    from citytwin.errors import UsageError

    crs = CRS.parse(text)
    if crs is None:
        purpose = _CRS_PURPOSE.get(flag, "a CRS")
        raise UsageError(f"{flag} is empty: give {purpose} (EPSG:28992, ...)")
    try:
        crs.to_pyproj()
    except UsageError as exc:
        raise UsageError(f"{flag} {text!r}: {exc}") from None
    return crs
