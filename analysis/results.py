"""From per-point irradiation to per-surface and per-building tables, PV yield, model attributes.

A *surface* is one polygon of one geometry of one object (object, geometry, surface index), so
results map back to the model exactly; a *building* is the top-level object (BuildingParts roll
up into their Building).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from citytwin.analysis.options import option
from citytwin.analysis.table import Table
from citytwin.semantics.surfaces import semantic_name

KIND_TYPE = ("RoofSurface", "WallSurface", "Ground", "Other")


@dataclass
class StudyResult:
    """What every study result has: sample points, their identity and the per-surface table.

    Each index has one meaning in every study, the same as in
    :class:`~citytwin.mesh.triangles.TriangleMesh` and :class:`~citytwin.analysis.sampling.SamplePoints`:

    Attributes
    ----------
    points : (N, 3) float64, sample points (model CRS, metres, offset along the normal)
    normals : (N, 3) float64, unit normals
    areas : (N,) float64, m2 each point stands for
    object_ids : list of str
    object_index : (N,) int32, the point's object: index into ``object_ids``
    geometry_index : (N,) int32, the geometry within that object
    surface_index : (N,) int32, the surface (polygon) within that geometry
    surface_row : (N,) int64, the point's row in ``surfaces``
    surfaces : :class:`~citytwin.analysis.table.Table`, one row per analysed surface, with at least
        ``object_id``, ``object_index``, ``geometry`` and ``surface`` (the key of the surface)
    info : dict, what the run used and how long it took (weather, location, rays, seconds, ...)

    Every study result also has ``summary() -> dict`` (the ``--json-summary`` object) and
    ``apply_to_model(model)`` (its values as attributes, on the thread that owns the model); its
    tables convert with ``result.surfaces.to_pandas()``.
    """

    points: np.ndarray
    normals: np.ndarray
    areas: np.ndarray
    object_ids: list[str]
    object_index: np.ndarray
    geometry_index: np.ndarray
    surface_index: np.ndarray
    surface_row: np.ndarray
    surfaces: Table
    info: dict[str, Any]

    @property
    def surface_keys(self) -> np.ndarray:
        """(M, 3) int64: (object index, geometry, surface) of each row of ``surfaces``."""
        s = self.surfaces
        if not len(s):
            return np.zeros((0, 3), np.int64)
        return np.stack([s["object_index"], s["geometry"], s["surface"]], axis=1).astype(np.int64)


def surface_columns(keys: np.ndarray, object_ids: list[str]) -> dict[str, np.ndarray]:
    """The key columns of a per-surface table from (M, 3) (object, geometry, surface) keys."""
    ids = np.array(object_ids, dtype=object)
    return {"object_id": ids[keys[:, 0]] if len(keys) else np.zeros(0, object),
            "object_index": keys[:, 0].astype(np.int32), "geometry": keys[:, 1].astype(np.int32),
            "surface": keys[:, 2].astype(np.int32)}


@dataclass(frozen=True)
class PVParams:
    """PV yield: which roof parts count, and the model that turns their irradiation into energy.

    Usable area: a roof point is usable when its annual irradiation is at least ``min_kwh_m2``
    and its slope at most ``max_slope_deg``; a roof surface counts only when its usable area is at
    least ``min_area_m2``; walls are never counted.

    Yield, ``model="pvlib"`` (default): per month, usable irradiation * ``efficiency`` (STC) *
    the monthly performance ratio of an unshaded module of the surface's orientation from pvlib's
    hourly chain (IAM, Faiman cell temperature from the weather, PVWatts DC with ``gamma_pdc``,
    system losses ``losses_percent`` (None: pvlib's PVWatts defaults without shading, 11.4 %),
    PVWatts inverter ``inverter_efficiency``); see :mod:`citytwin.analysis.pv`.
    ``model="simple"``: usable irradiation * ``efficiency`` * ``performance_ratio``.
    """

    efficiency: float = option(0.20, label="PV efficiency", range=(0.0, 1.0),
                               help="PV module efficiency at STC")
    performance_ratio: float = option(0.80, label="PV performance ratio", range=(0.0, 1.0),
                                      help="PV system performance ratio of --pv-model simple")
    min_kwh_m2: float = option(800.0, label="PV least irradiation", unit="kWh/m2", flag="--pv-min-kwh",
                               help="least annual irradiation (kWh/m2) of roof parts usable for PV")
    max_slope_deg: float = option(60.0, label="PV steepest slope", unit="deg", flag="--pv-max-slope",
                                  range=(0.0, 90.0), help="steepest usable roof slope in degrees")
    min_area_m2: float = option(5.0, label="PV least area", unit="m2", flag="--pv-min-area", range=(0.0, None),
                                help="least usable area per roof surface, m2")
    model: str = option("pvlib", label="PV model", choices=("pvlib", "simple"),
                        help="PV yield: pvlib's hourly chain per orientation (cell temperature from the weather, "
                             "IAM, PVWatts DC, losses, inverter; default) or efficiency x performance ratio")
    gamma_pdc: float = option(-0.0037, label="PV temperature coefficient", unit="1/K", flag="--pv-temp-coeff",
                              metavar="PER_K", range=(-0.02, 0.0),
                              help="module power temperature coefficient, 1/K")
    losses_percent: float | None = option(
        None, label="PV losses", unit="%", flag="--pv-losses", metavar="PERCENT", kind="float",
        help="DC system losses in % (default: pvlib's PVWatts defaults without shading, 11.4)")
    inverter_efficiency: float = option(0.96, label="PV inverter efficiency", range=(0.0, 1.0),
                                        help="nominal inverter efficiency")


def type_names(semantic_type: np.ndarray, kind: np.ndarray) -> np.ndarray:
    """Semantic type name per point; unsemantic points are named from their kind (object array)."""
    codes, inv = np.unique(semantic_type, return_inverse=True)
    names = np.array([semantic_name(int(c)) for c in codes], dtype=object)[inv]
    fallback = np.array(KIND_TYPE, dtype=object)[kind]
    return np.where(names == "", fallback, names)


def surface_keys(object_index: np.ndarray, geometry_index: np.ndarray,
                 surface_index: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Unique surfaces: (M, 3) int64 keys (object, geometry, surface) and the (N,) inverse index."""
    k = np.stack([object_index, geometry_index, surface_index], axis=1).astype(np.int64)
    keys, inv = np.unique(k, axis=0, return_inverse=True)
    return keys, inv.reshape(-1)


def weighted_mean(inv: np.ndarray, weights: np.ndarray, values: np.ndarray, m: int) -> np.ndarray:
    """Area-weighted mean of ``values`` per group; (m,) or (m, k) float64."""
    w = np.bincount(inv, weights=weights, minlength=m)
    if values.ndim == 1:
        s = np.bincount(inv, weights=weights * values, minlength=m)
        with np.errstate(invalid="ignore", divide="ignore"):
            return np.where(w > 0, s / w, 0.0)
    out = np.zeros((m, values.shape[1]))
    for j in range(values.shape[1]):
        s = np.bincount(inv, weights=weights * values[:, j], minlength=m)
        with np.errstate(invalid="ignore", divide="ignore"):
            out[:, j] = np.where(w > 0, s / w, 0.0)
    return out


def pv_usable(annual: np.ndarray, normals: np.ndarray, kind: np.ndarray, params: PVParams) -> np.ndarray:
    """(N,) bool: roof points good enough for PV (before the per-surface area threshold)."""
    slope = np.degrees(np.arccos(np.clip(normals[:, 2], -1, 1)))
    return (kind == 0) & (annual >= params.min_kwh_m2) & (slope <= params.max_slope_deg)


def root_objects(parents: dict[str, list[str]], ids: list[str]) -> list[str]:
    """Top-level ancestor id of every id (itself when it has no parent)."""
    out = []
    for oid in ids:
        cur, seen = oid, {oid}
        while parents.get(cur):
            nxt = parents[cur][0]
            if nxt in seen:
                break
            seen.add(nxt)
            cur = nxt
        out.append(cur)
    return out


def tilt_azimuth(normals: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Tilt (0 = facing up, 90 = vertical) and azimuth (clockwise from north) in degrees."""
    n = normals / np.maximum(np.linalg.norm(normals, axis=1, keepdims=True), 1e-12)
    tilt = np.degrees(np.arccos(np.clip(n[:, 2], -1, 1)))
    az = np.degrees(np.arctan2(n[:, 0], n[:, 1])) % 360.0
    return tilt, np.where(tilt < 0.5, 0.0, az)
