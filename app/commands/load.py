"""Loading models through the registry, with options common to every command."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from citytwin.app.commands.progress import Progress
from citytwin.semantics.model import CityModel


@dataclass(frozen=True)
class LoadParams:
    """What to read and how.

    Attributes
    ----------
    path : input file
    format : format name to force (default: detected from content and extension)
    crs : CRS to assign when the file declares none (``EPSG:7415``)
    """

    path: Path
    format: str | None = None
    crs: str | None = None


def load_model(params: LoadParams, progress: Progress | None = None) -> CityModel:
    """Read a model; assign ``params.crs`` when the file has no CRS."""
    from citytwin.io.registry import read

    progress = progress or Progress()
    progress.update(0.0, f"reading {Path(params.path).name}")
    model = read(params.path, format=params.format)
    if params.crs and model.crs is None:
        model.assign_crs(params.crs)
    progress.update(1.0)
    return model
