"""The layer-CRS policy of a session, as in QGIS: the first layer with a CRS sets the project CRS;
a later layer in another CRS is reprojected on the fly (in the loading worker); a layer in degrees
or ECEF is shown in a metric frame; a layer without a CRS is shown as is, with a warning.

No Qt here: these run in worker threads (logging is thread-safe: the Log panel's handler posts
its lines to the GUI thread through a queued signal).
"""

from __future__ import annotations

import logging

from citytwin.errors import UsageError
from citytwin.semantics.crs import CRS
from citytwin.semantics.model import CityModel

log = logging.getLogger("citytwin.gui")


def usable_crs(crs: CRS | None) -> CRS | None:
    """``crs`` when pyproj can use it (not None, not a local engineering CRS), else None."""
    if crs is None or crs.is_local:
        return None
    try:
        crs.to_pyproj()
    except Exception:  # noqa: BLE001 - pyproj raises CRSError, ValueError...
        return None
    return crs


def same_crs(a: CRS, b: CRS) -> bool:
    """True when two CRSs are the same (same spelling, or equal for pyproj: EPSG:7415 is 28992+5709)."""
    if a == b:
        return True
    try:
        return bool(a.to_pyproj().equals(b.to_pyproj()))
    except Exception:  # noqa: BLE001 - an unknown definition is not equal
        return False


def needs_reprojection(model: CityModel, project_crs: CRS | None) -> bool:
    """True when the model has a usable CRS and it differs from the (usable) project CRS."""
    own = usable_crs(model.crs)
    return own is not None and project_crs is not None and not same_crs(own, project_crs)


def reproject_logged(model: CityModel, name: str, project_crs: CRS, log_note: bool = False) -> None:
    """Reproject ``model`` in place to the project CRS and say so in the Log (worker thread).

    PROJ's note on a less accurate operation is recorded in ``model.problems`` (the window logs
    those of a new layer) and logged here only with ``log_note``.

    Raises UsageError (one sentence naming the layer) when PROJ cannot reproject it.
    """
    source = model.crs
    try:
        note = model.reproject(project_crs)
    except UsageError as exc:
        raise UsageError(f"{name}: cannot reproject from {source} to the project CRS {project_crs}: {exc}") from exc
    log.info("%s: reprojected on the fly from %s (%s) to the project CRS %s", name, source,
             source.name if source else "?", project_crs)
    if note and log_note:
        log.warning("%s: %s", name, note)


def show_in_metric_frame(model: CityModel, name: str, project_crs: CRS | None) -> str | None:
    """Worker step: a model in degrees or ECEF cannot be drawn as is; reproject it to the project
    CRS, or (no project CRS yet) to the UTM zone around it, and say so in the Log (the sentence is
    returned too, None when nothing was done)."""
    from citytwin.app.metric_frame import needs_metric_frame, to_metric_frame

    if needs_metric_frame(model.crs):
        target = project_crs if project_crs is not None and not needs_metric_frame(project_crs) else None
        change = to_metric_frame(model, name, target)
        if change is not None:
            log.info("%s", change.message)
            return change.message
    return None


def parse_epsg(text: str) -> CRS:
    """A CRS from what a person types in "Assign CRS" (``3068``, ``EPSG:3068``, ``EPSG:25832+5783``).

    Raises UsageError when pyproj does not know it.
    """
    t = text.strip()
    if not t:
        raise UsageError("give an EPSG code, e.g. 25832 or EPSG:25832+5783")
    plus = t.upper().removeprefix("EPSG:").split("+")
    if len(plus) == 2 and all(p.strip().isdigit() for p in plus):
        crs = CRS(horizontal=int(plus[0]), vertical=int(plus[1]))
    else:
        crs = CRS.parse(t)
    if crs is None or usable_crs(crs) is None:
        raise UsageError(f"'{t}' is not a CRS pyproj knows: give an EPSG code, e.g. 25832 or EPSG:25832+5783")
    return crs
