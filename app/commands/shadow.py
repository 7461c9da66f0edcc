"""``shadow``: the command glue of the shadow study (:mod:`citytwin.analysis.shadow_study`)."""

from __future__ import annotations

from citytwin.analysis.shadow_study import ShadowOptions, ShadowResult, shadow_study, study_times
from citytwin.progress import Progress, ProgressArg
from citytwin.semantics.model import CityModel


def run_shadow(model: CityModel, options: ShadowOptions, progress: ProgressArg | None = None,
               source_name: str = "model") -> ShadowResult:
    """Compute the shadow study (the model is not changed); see
    :func:`~citytwin.analysis.shadow_study.shadow_study`."""
    return shadow_study(model, options, progress or Progress(), source_name=source_name)


__all__ = ["ShadowOptions", "ShadowResult", "run_shadow", "study_times"]
