"""``svf``: the command glue of the sky view factor study (:mod:`citytwin.analysis.svf`)."""

from __future__ import annotations

from citytwin.analysis.svf import SVFOptions, SVFResult, svf_study
from citytwin.progress import Progress, ProgressArg
from citytwin.semantics.model import CityModel


def run_svf(model: CityModel, options: SVFOptions = SVFOptions(), progress: ProgressArg | None = None,
            source_name: str = "model") -> SVFResult:
    """Sky view factor of every sample point (the model is not changed); see
    :func:`~citytwin.analysis.svf.svf_study`."""
    return svf_study(model, options, progress or Progress(), source_name=source_name)


__all__ = ["SVFOptions", "SVFResult", "run_svf"]
