"""Exports of shadow and sky view factor studies: CSV per surface, GeoJSON footprints, PNG.

Shared by the CLI (``svf --csv``) and the desktop app (File > Export analysis). The GeoJSON
footprints are the same as the solar study's (:func:`~citytwin.app.commands.solar_export.footprints`,
WGS 84 when the model has a CRS). Every file is written atomically.
"""

from __future__ import annotations

import csv
import io as _stdio
from pathlib import Path
from typing import Any

import numpy as np

from citytwin.io.atomic import atomic_write_text
from citytwin.semantics.model import CityModel

SVF_CSV_COLUMNS = ["object_id", "geometry", "surface", "area_m2", "svf"]


def _write_rows(path: str | Path, columns: list[str], rows: list[list[Any]]) -> None:
    buf = _stdio.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(columns)
    w.writerows(rows)
    atomic_write_text(path, buf.getvalue())


def _roots(model: CityModel | None, ids: list[str]) -> list[str]:
    if model is None:
        return list(ids)
    from citytwin.analysis.results import root_objects

    return root_objects({o.id: o.parents for o in model.objects.values()}, ids)


def write_svf_csv(result, path: str | Path) -> None:
    """One row per analysed surface of an SVFResult (columns :data:`SVF_CSV_COLUMNS`)."""
    _write_rows(path, SVF_CSV_COLUMNS, [[s[c] for c in SVF_CSV_COLUMNS] for s in result.surfaces])


def write_shadow_csv(result, path: str | Path, model: CityModel | None = None) -> None:
    """One row per analysed surface of a ShadowResult (its ``surfaces`` table).

    Columns: object_id, building_id, surface, points, sun_hours (mean of the surface's points over
    the period, hours) and, per time step, ``lit_<local time>``: the lit fraction of its points (0..1).
    """
    roots = _roots(model, list(result.object_ids))
    cols = ["object_id", "building_id", "surface", "points", "sun_hours",
            *[f"lit_{t:%H:%M}" for t in result.times]]
    rows = [[s["object_id"], roots[s["object_index"]], s["surface"], s["points"], s["sun_hours"],
             *s["lit_fraction"]] for s in result.surfaces]
    _write_rows(path, cols, rows)


def building_means(model: CityModel | None, object_ids: list[str], object_index: np.ndarray,
                   weights: np.ndarray, values: np.ndarray, name: str) -> list[dict[str, Any]]:
    """Weighted mean of per-point ``values`` per top-level building.

    Parameters
    ----------
    object_ids : ids the points' ``object_index`` (N,) int refers to
    weights : (N,) float, e.g. point areas in m2 (or ones)
    values : (N,) float
    name : key of the mean in each row

    Returns
    -------
    list of dict ``{"building_id", "points", name}``, in order of first appearance.
    """
    roots = np.array(_roots(model, list(object_ids)), dtype=object)
    if not len(object_index):
        return []
    b_of_point = roots[np.asarray(object_index)]
    ids, inv = np.unique(b_of_point.astype(str), return_inverse=True)
    inv = inv.reshape(-1)
    w = np.bincount(inv, weights=weights, minlength=len(ids))
    s = np.bincount(inv, weights=weights * values, minlength=len(ids))
    n = np.bincount(inv, minlength=len(ids))
    return [{"building_id": str(b), "points": int(n[i]), name: round(float(s[i] / w[i]), 4) if w[i] > 0 else None}
            for i, b in enumerate(ids.tolist())]


def write_shadow_geojson(result, model: CityModel, path: str | Path) -> None:
    """Building footprints with the mean sun hours of their sample points."""
    from citytwin.app.commands.solar_export import write_features_geojson

    rows = building_means(model, list(result.object_ids), result.object_index,
                          np.ones(len(result.sun_hours)), result.sun_hours, "sun_hours")
    write_features_geojson(model, rows, path)


def write_svf_geojson(result, model: CityModel, path: str | Path) -> None:
    """Building footprints with the area-weighted mean sky view factor of their sample points."""
    from citytwin.app.commands.solar_export import write_features_geojson

    rows = building_means(model, list(result.object_ids), result.object_index, result.areas, result.svf, "svf")
    write_features_geojson(model, rows, path)


def write_shadow_png(result, path: str | Path, step: int | None = None) -> None:
    """Top view of the ground grid: sun hours over the period, or the shadows at time step ``step``."""
    from citytwin.io.atomic import atomic_write_bytes

    atomic_write_bytes(path, result.png(step))
