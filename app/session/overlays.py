"""Analysis overlays: a study's result laid on a layer's triangles (Qt-free maths).

A study (solar, shadow, sky view factor) samples points on surfaces; an overlay gives each
triangle of the layer's current :class:`~citytwin.mesh.triangles.TriangleMesh` the value of the
surface it belongs to (NaN where nothing was sampled), each object its area- or count-weighted
mean, and (solar) each building its monthly values, for the colouring, the attribute panel and the
chart. :func:`solar_overlay`, :func:`shadow_overlay` and :func:`svf_overlay` compute them;
:meth:`Session.add_overlay <citytwin.app.session.model.Session.add_overlay>` attaches one.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

from citytwin.app.render.coloring import match_surfaces

if TYPE_CHECKING:  # pragma: no cover
    from citytwin.app.session.layers import Layer

SOLAR_NAME = "solar: kWh/m2/year"
SHADOW_NAME = "shadow: sun hours"
SVF_NAME = "svf: sky view factor"


@dataclass
class AnalysisOverlay:
    """An analysis result shown on a layer.

    Attributes
    ----------
    name : colour-mode name ("solar: kWh/m2/year")
    triangle_values : (t,) float per triangle of the layer's current TriangleMesh (NaN: none)
    object_values : value per object id (e.g. mean annual kWh/m2), for the attribute panel
    unit : unit string
    monthly : per object id, (12,) monthly values (for the chart), optional
    cmap : colour map
    result : the command's result object (SolarResult, ShadowResult), for exports
    monthly_unit : unit of ``monthly`` (kWh per month for buildings)
    clim : fixed colour range (sky view factor: 0..1), or None for the values' range
    steps : per time step values (a shadow study's time slider), or None
    """

    name: str
    triangle_values: np.ndarray
    object_values: dict[str, float]
    unit: str = ""
    monthly: dict[str, np.ndarray] = field(default_factory=dict)
    cmap: str = "inferno"
    result: Any = None
    monthly_unit: str = ""
    clim: tuple[float, float] | None = None
    steps: "ShadowSteps | None" = None


@dataclass(frozen=True)
class ShadowSteps:
    """The lit fraction of each surface at each time step of a shadow study, on a layer's triangles.

    Attributes
    ----------
    tri_rows : (t,) int64, the surface row of each triangle (-1: not sampled)
    lit_by_surface : (k, m) float, lit fraction (0..1) of surface row m at step k
    """

    tri_rows: np.ndarray
    lit_by_surface: np.ndarray

    def values(self, i: int) -> np.ndarray:
        """(t,) lit fraction per triangle at step ``i`` (NaN where not sampled)."""
        v = np.full(len(self.tri_rows), np.nan)
        ok = self.tri_rows >= 0
        v[ok] = self.lit_by_surface[i, self.tri_rows[ok]]
        return v


def remap_objects(layer: "Layer", ids: list[str], index: np.ndarray) -> np.ndarray:
    """Object indices into ``ids`` -> object indices into the layer's ``tri.object_ids`` (-1: absent)."""
    pos = {oid: i for i, oid in enumerate(layer.tri.object_ids)}
    lut = np.array([pos.get(oid, -1) for oid in ids], dtype=np.int64)
    return lut[np.asarray(index, dtype=np.int64)]


def surface_table_on_triangles(layer: "Layer", res, column: str) -> np.ndarray:
    """(t,) float: ``res.surfaces[row][column]`` on each triangle of the layer (NaN: not analysed).

    ``res`` has ``surface_keys`` (m, 3) (object, geometry, surface) and ``surfaces`` (a table of m
    rows whose ``column`` gives (m,) values).
    """
    keys = np.asarray(res.surface_keys, dtype=np.int64).reshape(-1, 3)
    rows = match_surfaces(layer.tri, remap_objects(layer, res.object_ids, keys[:, 0]), keys[:, 2], keys[:, 1])
    per_surface = np.asarray(res.surfaces[column], dtype=np.float64)
    return np.where(rows >= 0, per_surface[np.maximum(rows, 0)], np.nan)


def object_area_means(res, values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Sample area (m2) and area-weighted mean of per-point ``values`` per object of ``res.object_ids``."""
    n = len(res.object_ids)
    area = np.bincount(res.object_index, weights=res.areas, minlength=n)
    return area, np.bincount(res.object_index, weights=res.areas * values, minlength=n) / np.maximum(area, 1e-12)


def solar_overlay(layer: "Layer", res) -> AnalysisOverlay:
    """A solar study (``SolarResult``) on a layer: kWh/m2/year per triangle, the area-weighted mean
    per analysed object and per building, monthly kWh per building (the chart)."""
    tri_values = surface_table_on_triangles(layer, res, "annual_kwh_m2")
    n = len(res.object_ids)
    a = res.areas
    area, mean = object_area_means(res, res.annual_kwh_m2)
    monthly_obj = np.stack([np.bincount(res.object_index, weights=a * res.monthly_kwh_m2[:, m], minlength=n)
                            for m in range(12)], axis=1)
    obj_values: dict[str, float] = {}
    monthly: dict[str, np.ndarray] = {}
    for i in np.nonzero(area > 0)[0].tolist():
        obj_values[res.object_ids[i]] = round(float(mean[i]), 2)
        monthly[res.object_ids[i]] = monthly_obj[i]
    for b in res.buildings:
        if b["area_m2"] > 0:
            obj_values[b["building_id"]] = round(b["annual_kwh"] / b["area_m2"], 2)
        monthly[b["building_id"]] = np.asarray(b["monthly_kwh"], dtype=float)
    return AnalysisOverlay(SOLAR_NAME, tri_values, obj_values, unit="kWh/m2/year", monthly=monthly,
                           cmap="inferno", result=res, monthly_unit="kWh")


def shadow_overlay(layer: "Layer", res) -> AnalysisOverlay:
    """A shadow study (``ShadowResult``) on a layer: the day's sun hours per triangle (mean over
    each surface's points) and per object, and the lit fraction of each step (``steps``)."""
    oi = remap_objects(layer, res.object_ids, res.object_index)
    si = np.asarray(res.surface_index, dtype=np.int64)
    ukeys, inv = np.unique(np.stack([oi, si], axis=1), axis=0, return_inverse=True)
    inv = inv.ravel()
    m = len(ukeys)
    cnt = np.maximum(np.bincount(inv, minlength=m), 1)
    lit = np.asarray(res.lit, dtype=np.float64)
    lit_by_surface = np.stack([np.bincount(inv, weights=lit[t], minlength=m) / cnt for t in range(len(lit))])
    sun_by_surface = np.bincount(inv, weights=res.sun_hours, minlength=m) / cnt
    rows = match_surfaces(layer.tri, ukeys[:, 0], ukeys[:, 1])
    tri_sun = np.where(rows >= 0, sun_by_surface[np.maximum(rows, 0)], np.nan)
    n = len(res.object_ids)
    c = np.maximum(np.bincount(res.object_index, minlength=n), 1)
    obj_mean = np.bincount(res.object_index, weights=res.sun_hours, minlength=n) / c
    present = np.bincount(res.object_index, minlength=n) > 0
    obj_values = {res.object_ids[i]: round(float(obj_mean[i]), 2) for i in np.nonzero(present)[0].tolist()}
    return AnalysisOverlay(SHADOW_NAME, tri_sun, obj_values, unit="h", cmap="cividis", result=res,
                           steps=ShadowSteps(rows, lit_by_surface))


def svf_overlay(layer: "Layer", res) -> AnalysisOverlay:
    """A sky view factor study (``SVFResult``) on a layer: 0..1 per triangle, area-weighted mean per object."""
    tri_values = surface_table_on_triangles(layer, res, "svf")
    area, mean = object_area_means(res, res.svf)
    obj_values = {res.object_ids[i]: round(float(mean[i]), 4) for i in np.nonzero(area > 0)[0].tolist()}
    return AnalysisOverlay(SVF_NAME, tri_values, obj_values, unit="", cmap="viridis", result=res, clim=(0.0, 1.0))
