"""``solar``: the command glue of the solar study (:mod:`citytwin.analysis.solar`).

The study itself (scene, weather, tracing, tables) lives in :mod:`citytwin.analysis`; this module
gives it a cancellable :class:`~citytwin.progress.Progress` and keeps the names the CLI, the GUI
and the batch runner import.
"""

from __future__ import annotations

from citytwin.analysis.results import KIND_TYPE, PVParams
from citytwin.analysis.solar import (CLEAR_SKY_NOTE, CLEAR_SKY_WARNING, SolarOptions, SolarResult,
                                     solar_study)
from citytwin.progress import Progress, ProgressArg
from citytwin.semantics.model import CityModel


def run_solar(model: CityModel, options: SolarOptions = SolarOptions(), progress: ProgressArg | None = None,
              source_name: str = "model") -> SolarResult:
    """Compute the solar study of ``model`` (the model is not changed).

    Parameters
    ----------
    model : the city model (read only)
    options : :class:`~citytwin.analysis.solar.SolarOptions`
    progress : reporter (a new :class:`~citytwin.progress.Progress` when None)
    source_name : the input's name, used in messages

    Raises
    ------
    UsageError, InputError : bad options, weather or scene (see :func:`~citytwin.analysis.solar.solar_study`)
    Cancelled : when ``progress`` was cancelled
    """
    return solar_study(model, options, progress or Progress(), source_name=source_name)


__all__ = ["SolarOptions", "SolarResult", "PVParams", "run_solar", "KIND_TYPE", "CLEAR_SKY_WARNING",
           "CLEAR_SKY_NOTE"]
