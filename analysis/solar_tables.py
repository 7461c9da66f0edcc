"""The result of a solar study: per-point arrays, the per-surface and per-building tables.

Both tables are built column-wise from the points (``np.bincount`` per group, no Python loop per
surface or building) and kept unrounded; their rows are rounded to the precision the exports
state (:data:`SURFACE_DIGITS`, :data:`BUILDING_DIGITS`), so the CSV, GeoJSON, report and model
attributes write the same values as before the tables were typed.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

import numpy as np

from citytwin.analysis.results import (PVParams, StudyResult, root_objects, surface_columns, tilt_azimuth,
                                       weighted_mean)
from citytwin.analysis.table import Table
from citytwin.semantics.model import CityModel

#: Decimals of each per-surface column as written (CSV, model attributes).
SURFACE_DIGITS = {"area_m2": 3, "tilt_deg": 2, "azimuth_deg": 2, "annual_kwh_m2": 2, "annual_kwh": 2,
                  "monthly_kwh_m2": 3, "sun_hours": 1, "svf": 4, "pv_area_m2": 2, "pv_kwh": 1,
                  "pv_monthly_kwh": 2}
#: Decimals of each per-building column as written (GeoJSON, report, model attributes).
BUILDING_DIGITS = {"area_m2": 2, "annual_kwh": 1, "roof_area_m2": 2, "roof_kwh_m2": 2, "wall_area_m2": 2,
                   "wall_kwh_m2": 2, "pv_area_m2": 2, "pv_kwh": 1, "sun_hours": 1, "svf": 4, "monthly_kwh": 1,
                   "pv_monthly_kwh": 1}


@dataclass
class SolarResult(StudyResult):
    """Per point, per surface and per building results of a solar study.

    The point identity (``object_index``, ``geometry_index``, ``surface_index``, ``surface_row``)
    is described in :class:`~citytwin.analysis.results.StudyResult`.

    Attributes
    ----------
    semantic_type : (N,) object, semantic type name per point
    annual_kwh_m2 : (N,) float64
    monthly_kwh_m2 : (N, 12) float64
    direct_kwh_m2, diffuse_kwh_m2, reflected_kwh_m2 : (N,) float64, annual parts
    sun_hours : (N,) float64, hours of direct sun per year
    svf : (N,) float64, sky view factor
    pv_usable : (N,) bool
    surfaces : Table, one row per surface: object_id, object_index, geometry, surface, type, area_m2,
        tilt_deg, azimuth_deg, annual_kwh_m2, annual_kwh, monthly_kwh_m2 (12), sun_hours, svf,
        pv_area_m2, pv_kwh, pv_monthly_kwh (12)
    buildings : Table, one row per top-level object: building_id, surfaces, area_m2, annual_kwh,
        roof_area_m2, roof_kwh_m2, wall_area_m2, wall_kwh_m2, pv_area_m2, pv_kwh, sun_hours, svf,
        monthly_kwh (12), pv_monthly_kwh (12)
    info : weather source, location, rays, seconds, problems
    """

    semantic_type: np.ndarray
    annual_kwh_m2: np.ndarray
    monthly_kwh_m2: np.ndarray
    direct_kwh_m2: np.ndarray
    diffuse_kwh_m2: np.ndarray
    reflected_kwh_m2: np.ndarray
    sun_hours: np.ndarray
    svf: np.ndarray
    pv_usable: np.ndarray
    buildings: Table

    def summary(self) -> dict[str, Any]:
        """The ``--json-summary`` object."""
        names = self.semantic_type
        mean = {}
        for t in sorted(set(names.tolist())):
            m = names == t
            a = self.areas[m].sum()
            mean[t] = round(float((self.annual_kwh_m2[m] * self.areas[m]).sum() / a), 2) if a > 0 else 0.0
        return {
            "points": int(len(self.points)),
            "surfaces": len(self.surfaces),
            "buildings": len(self.buildings),
            "area_m2": round(float(self.areas.sum()), 2),
            "annual_kwh_total": round(float((self.annual_kwh_m2 * self.areas).sum()), 1),
            "mean_kwh_m2": mean,
            "pv_kwh_total": round(float(sum(b["pv_kwh"] for b in self.buildings)), 1),
            "sun_hours_mean": round(float(np.average(self.sun_hours, weights=self.areas)), 1)
            if self.areas.sum() > 0 else 0.0,
            **self.info,
        }

    def apply_to_model(self, model: CityModel) -> None:
        """Store results as attributes: per semantic surface and per building (``solar_*``).

        Surface attributes go into the geometry's semantic surface objects (a semantic object
        shared by several analysed surfaces is split so each gets its own values); object
        attributes go into the top-level objects. Run on the thread that owns the model.
        """
        _apply_surfaces(model, self)
        for b in self.buildings:
            o = model.objects.get(b["building_id"])
            if o is None:
                continue
            o.attributes.update({
                "solar_annual_kwh": b["annual_kwh"], "solar_area_m2": b["area_m2"],
                "solar_roof_kwh_m2": b["roof_kwh_m2"], "solar_wall_kwh_m2": b["wall_kwh_m2"],
                "solar_pv_area_m2": b["pv_area_m2"], "solar_pv_kwh": b["pv_kwh"],
                "solar_sun_hours": b["sun_hours"], "solar_svf": b["svf"],
            })
        model.metadata.setdefault("citytwin", {})["solar"] = {
            k: v for k, v in self.info.items() if isinstance(v, (str, int, float))}


def _apply_surfaces(model: CityModel, res: SolarResult) -> None:
    by_geom: dict[tuple[int, int], list[int]] = {}
    for i, (oi, gi, _si) in enumerate(res.surface_keys.tolist()):
        by_geom.setdefault((oi, gi), []).append(i)
    rows = res.surfaces.rows()
    for (oi, gi), idx in by_geom.items():
        obj = model.objects.get(res.object_ids[oi])
        if obj is None or gi >= len(obj.geometry):
            continue
        g = obj.geometry[gi]
        if g.is_instance or g.semantics is None:
            continue  # shared templates and unsemantic surfaces: object attributes only
        sem = g.semantics
        used = np.bincount(sem.values[sem.values >= 0], minlength=len(sem.surfaces))
        for r in idx:
            s = rows[r]
            j = int(s["surface"])
            if j >= len(sem.values) or sem.values[j] < 0:
                continue
            k = int(sem.values[j])
            if used[k] > 1:  # shared semantic object: give this surface its own copy
                new = {kk: vv for kk, vv in sem.surfaces[k].items() if kk != "children"}
                sem.surfaces.append(new)
                used[k] -= 1
                k = len(sem.surfaces) - 1
                sem.values[j] = k
                used = np.append(used, 1)
            sem.surfaces[k].update({
                "solar_annual_kwh_m2": s["annual_kwh_m2"], "solar_annual_kwh": s["annual_kwh"],
                "solar_monthly_kwh_m2": s["monthly_kwh_m2"], "solar_sun_hours": s["sun_hours"],
                "solar_svf": s["svf"], "solar_pv_kwh": s["pv_kwh"],
            })


def surface_table(keys: np.ndarray, inv: np.ndarray, samples, names: np.ndarray, irr, usable: np.ndarray,
                  pv: PVParams, pv_ratio: Callable[[np.ndarray, np.ndarray], np.ndarray]
                  ) -> tuple[Table, np.ndarray, np.ndarray]:
    """The per-surface table, the PV-usable points after the area rule and the PV kWh per month.

    Parameters
    ----------
    keys : (M, 3) int64 (object, geometry, surface) of each surface; inv : (N,) row of each point
    samples : SamplePoints; names : (N,) object semantic type names; irr : Irradiation
    usable : (N,) bool, PV-usable points before the per-surface area rule
    pv_ratio : (tilt (S,), azimuth (S,)) -> (S, 12) monthly performance ratio

    Returns
    -------
    table : Table (:class:`SolarResult` ``surfaces``)
    usable : (N,) bool, after the area rule
    pv_monthly : (M, 12) float64, PV kWh per surface and month
    """
    m = len(keys)
    a = samples.areas
    area = np.bincount(inv, weights=a, minlength=m)
    annual = weighted_mean(inv, a, irr.annual, m)
    monthly = weighted_mean(inv, a, irr.monthly, m)
    sun = weighted_mean(inv, a, irr.sun_hours, m)
    svf = weighted_mean(inv, a, irr.svf, m)
    nsum = np.stack([np.bincount(inv, weights=a * samples.normals[:, j], minlength=m) for j in range(3)], 1)
    tilt, az = tilt_azimuth(nsum)
    pv_area = np.bincount(inv, weights=a * usable, minlength=m)
    ok = pv_area >= pv.min_area_m2
    pv_area = np.where(ok, pv_area, 0.0)
    usable = usable & ok[inv]
    pv_monthly = np.zeros((m, 12))
    if ok.any():
        got = np.nonzero(ok)[0]
        raw = np.stack([np.bincount(inv, weights=a * usable * irr.monthly[:, j], minlength=m)[got]
                        for j in range(12)], 1)  # kWh of usable irradiation per month
        pv_monthly[got] = raw * pv.efficiency * pv_ratio(tilt[got], az[got])
    first = np.zeros(m, np.int64)
    first[inv[::-1]] = np.arange(len(inv))[::-1]
    table = Table.from_columns({
        **surface_columns(keys, samples.object_ids),
        "type": np.asarray(names, dtype=object)[first] if m else np.zeros(0, object),
        "area_m2": area, "tilt_deg": tilt, "azimuth_deg": az, "annual_kwh_m2": annual,
        "annual_kwh": annual * area, "monthly_kwh_m2": monthly.reshape(m, 12), "sun_hours": sun, "svf": svf,
        "pv_area_m2": pv_area, "pv_kwh": pv_monthly.sum(axis=1), "pv_monthly_kwh": pv_monthly,
    }, SURFACE_DIGITS, length=m)
    return table, usable, pv_monthly


def building_table(model: CityModel, samples, surfaces: Table, irr, usable: np.ndarray, names: np.ndarray,
                   pv_monthly: np.ndarray) -> Table:
    """One row per top-level object, summed from the points (not from the rounded surface rows).

    ``usable`` : (N,) bool, PV-usable points after the per-surface area rule;
    ``pv_monthly`` : (M, 12) PV kWh per surface (rows of ``surfaces``) and month.
    """
    parents = {o.id: o.parents for o in model.objects.values()}
    roots = root_objects(parents, samples.object_ids)
    root_names = sorted(set(roots[i] for i in np.unique(samples.object_index).tolist()))
    col = {r: j for j, r in enumerate(root_names)}
    building_of_object = np.array([col.get(r, -1) for r in roots], np.int64)
    bidx = building_of_object[samples.object_index]
    nb = len(root_names)
    a = samples.areas
    e = irr.annual

    def tot(w: np.ndarray) -> np.ndarray:
        return np.bincount(bidx, weights=w, minlength=nb)

    roof = np.isin(names, ["RoofSurface", "OuterCeilingSurface"])
    wall = np.isin(names, ["WallSurface", "Window", "Door"])
    area, kwh = tot(a), tot(a * e)
    roof_a, roof_kwh = tot(a * roof), tot(a * e * roof)
    wall_a, wall_kwh = tot(a * wall), tot(a * e * wall)
    pv_a = tot(a * usable)
    sun, svf = tot(a * irr.sun_hours), tot(a * irr.svf)
    monthly = np.stack([tot(a * irr.monthly[:, j]) for j in range(12)], 1) if nb else np.zeros((0, 12))
    s_b = building_of_object[np.asarray(surfaces["object_index"], np.int64)]
    n_surf = np.bincount(s_b, minlength=nb)
    pv_m = np.stack([np.bincount(s_b, weights=pv_monthly[:, j], minlength=nb) for j in range(12)], 1) \
        if len(surfaces) else np.zeros((nb, 12))

    def ratio(x: np.ndarray, y: np.ndarray) -> np.ndarray:
        return np.where(y > 0, x / np.where(y > 0, y, 1.0), 0.0)

    return Table.from_columns({
        "building_id": np.array(root_names, dtype=object), "surfaces": n_surf.astype(np.int64),
        "area_m2": area, "annual_kwh": kwh, "roof_area_m2": roof_a, "roof_kwh_m2": ratio(roof_kwh, roof_a),
        "wall_area_m2": wall_a, "wall_kwh_m2": ratio(wall_kwh, wall_a), "pv_area_m2": pv_a,
        "pv_kwh": pv_m.sum(axis=1), "sun_hours": ratio(sun, area), "svf": ratio(svf, area),
        "monthly_kwh": monthly.reshape(nb, 12), "pv_monthly_kwh": pv_m.reshape(nb, 12),
    }, BUILDING_DIGITS, length=nb)
