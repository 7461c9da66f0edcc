"""The shadow study: shadowed / lit state of roofs, walls and the ground for a moment, a day or a period.

Times are local clock times of the site (IANA zone found from the location with tzfpy, daylight
saving included) unless ``tz`` is given. The result keeps every time step, for scrubbing.
"""

from __future__ import annotations

import datetime as dt
import time as _time
from dataclasses import dataclass
from typing import Any

import numpy as np

from citytwin.analysis.options import (latitude_option, lod_option, longitude_option, nthreads_option,
                                       offset_option, option, option_error, resolution_option,
                                       surfaces_option)
from citytwin.analysis.results import StudyResult, surface_columns, surface_keys
from citytwin.analysis.shadow import GroundGrid
from citytwin.analysis.table import Table
from citytwin.progress import Progress, ProgressArg, as_progress
from citytwin.errors import OptionError, UsageError
from citytwin.semantics.model import CityModel


@dataclass(frozen=True)
class ShadowOptions:
    """Options of a shadow study.

    Attributes
    ----------
    date : "YYYY-MM-DD" (or a datetime.date)
    time : "HH:MM" for one moment
    start, end : "HH:MM" for a period (default: the whole day 00:00-24:00)
    step_minutes : time step of a period
    tz : IANA zone ("Europe/Amsterdam") or UTC offset ("+01:00"); default: the site's zone
    resolution : metres between sample points on the surfaces
    surfaces : which surfaces get sample points ("roof", "wall", "ground", "all"); () for none
    grid_cell : ground grid step in metres; 0 for no ground grid
    margin : metres of ground around the buildings (default: from the lowest sun, at most 200)
    latitude, longitude : site override (degrees)
    """

    date: Any = option(label="Date", kind="text", batch=True, metavar="YYYY-MM-DD", help="YYYY-MM-DD")
    time: str | None = option(None, label="Time", kind="text", batch=True, metavar="HH:MM",
                              help="HH:MM, one moment")
    start: str | None = option(None, label="From", flag="--from", kind="text", batch=True, metavar="HH:MM",
                               help="HH:MM, start of the period (00:00)")
    end: str | None = option(None, label="To", flag="--to", kind="text", batch=True, metavar="HH:MM",
                             help="HH:MM, end of the period (24:00)")
    step_minutes: float = option(10.0, label="Time step", unit="min", flag="--step", batch=True,
                                 range=(0.0, None), form=(1.0, 240.0, 5.0, 0), help="minutes between time steps")
    tz: str | None = option(None, label="Time zone", kind="text", batch=True,
                            help="time zone (IANA name or +HH:MM); default: the site's")
    resolution: float = resolution_option()
    surfaces: tuple[str, ...] = surfaces_option(("roof", "wall"))
    grid_cell: float = option(1.0, label="Ground grid cell", unit="m", flag="--grid", batch=True,
                              range=(0.0, None), form=(0.0, 100.0, 1.0, 2),
                              help="ground grid cell in metres (0: none)")
    margin: float | None = option(None, label="Ground margin", unit="m", kind="float", batch=True,
                                  range=(0.0, None), help="metres of ground around the buildings "
                                  "(default: from the lowest sun, at most 200)")
    latitude: float | None = latitude_option()
    longitude: float | None = longitude_option()
    offset: float = offset_option()
    lod: str | None = lod_option()
    nthreads: int = nthreads_option()


#: Decimals of each per-surface column as written (CSV).
SURFACE_DIGITS = {"sun_hours": 3, "lit_fraction": 4}


@dataclass
class ShadowResult(StudyResult):
    """Per time step lit states.

    The point identity (``object_index``, ``geometry_index``, ``surface_index``, ``surface_row``)
    is described in :class:`~citytwin.analysis.results.StudyResult`.

    Attributes
    ----------
    times : pandas.DatetimeIndex (T,), tz-aware local times
    sun_vectors : (T, 3) float64, towards the sun (x east, y north, z up)
    altitude, azimuth : (T,) float64 degrees
    weights : (T,) float64 hours each step stands for (trapezoid; zeros for a moment)
    lit : (T, N) bool
    sun_hours : (N,) float64, hours of direct sun over the period
    surfaces : Table, one row per surface: object_id, object_index, geometry, surface, points,
        sun_hours (mean of its points), lit_fraction (T,) (share of its points lit per time step)
    grid : GroundGrid or None; ground_lit (T, ny, nx) bool; ground_sun_hours (ny, nx) float64
    """

    times: Any
    sun_vectors: np.ndarray
    altitude: np.ndarray
    azimuth: np.ndarray
    weights: np.ndarray
    lit: np.ndarray
    sun_hours: np.ndarray
    grid: GroundGrid | None
    ground_lit: np.ndarray | None
    ground_sun_hours: np.ndarray | None

    def summary(self) -> dict[str, Any]:
        out = {"times": len(self.times), "points": int(len(self.points)),
               "first": str(self.times[0]), "last": str(self.times[-1]),
               "lit_fraction_points": round(float(self.lit.mean()), 4) if self.lit.size else 0.0,
               "sun_hours_mean": round(float(self.sun_hours.mean()), 3) if len(self.sun_hours) else 0.0}
        if self.grid is not None:
            g = ~self.grid.inside
            out["ground_cells"] = int(g.sum())
            out["ground_cell_m"] = self.grid.cell
            out["ground_lit_fraction"] = round(float(self.ground_lit[:, g].mean()), 4) if g.any() else 0.0
            out["ground_sun_hours_mean"] = round(float(self.ground_sun_hours[g].mean()), 3) if g.any() else 0.0
        out.update(self.info)
        return out

    def png(self, step: int | None = None) -> bytes:
        """Top view of the ground grid: sun hours, or the lit state at time step ``step``."""
        from citytwin.analysis.shadow import shadow_png

        if self.grid is None:
            raise UsageError("this shadow study has no ground grid (grid_cell was 0)")
        if step is None and len(self.times) > 1:
            return shadow_png(self.grid, self.ground_sun_hours,
                              f"Sun hours {self.times[0]:%Y-%m-%d %H:%M} - {self.times[-1]:%H:%M %Z}",
                              vmax=max(float(self.weights.sum()), 1e-6))
        i = 0 if step is None else int(step)
        return shadow_png(self.grid, self.ground_lit[i],
                          f"Shadows {self.times[i]:%Y-%m-%d %H:%M %Z} (sun altitude {self.altitude[i]:.1f})")

    def apply_to_model(self, model: CityModel) -> None:
        """Store the mean sun hours of each object's sample points as ``shadow_sun_hours``."""
        if not len(self.points):
            return
        cnt = np.bincount(self.object_index, minlength=len(self.object_ids))
        tot = np.bincount(self.object_index, weights=self.sun_hours, minlength=len(self.object_ids))
        for i in np.nonzero(cnt)[0].tolist():
            o = model.objects.get(self.object_ids[i])
            if o is not None:
                o.attributes["shadow_sun_hours"] = round(float(tot[i] / cnt[i]), 3)


def _parse_hm(text: str, name: str) -> dt.time:
    """``"HH:MM"`` of option ``name`` as a time (``"24:00"``: the end of the day)."""
    try:
        if text in ("24:00", "24"):
            return dt.time(23, 59, 59, 999999)
        h, m = text.split(":")
        return dt.time(int(h), int(m))
    except (ValueError, AttributeError):
        raise option_error(ShadowOptions, "{%s} {v}: expected HH:MM" % name, v=repr(text)) from None


def _zone(tz: str | None, lat: float, lon: float):
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    if tz is None:
        try:
            from tzfpy import get_tz

            name = get_tz(lon, lat)
        except ImportError:  # pragma: no cover - tzfpy is a dependency
            name = ""
        if name:
            return ZoneInfo(name), name
        hours = round(lon / 15)
        return dt.timezone(dt.timedelta(hours=hours)), f"UTC{hours:+d} (nautical)"
    if tz[:1] in "+-" and ":" in tz:
        sign = -1 if tz[0] == "-" else 1
        h, m = tz[1:].split(":")
        return dt.timezone(sign * dt.timedelta(hours=int(h), minutes=int(m))), tz
    try:
        return ZoneInfo(tz), tz
    except (ZoneInfoNotFoundError, ValueError):
        raise UsageError(f"unknown time zone {tz!r} (use an IANA name like Europe/Amsterdam or +01:00)") \
            from None


def study_times(options: ShadowOptions, lat: float, lon: float):
    """The tz-aware instants of a study and the hours each stands for."""
    import pandas as pd

    from citytwin.analysis.shadow import time_weights

    def bad(template: str, **values: Any) -> OptionError:
        return option_error(ShadowOptions, template, **values)

    try:
        day = options.date if isinstance(options.date, dt.date) else dt.date.fromisoformat(str(options.date))
    except ValueError:
        raise bad("{date} {v}: expected YYYY-MM-DD", v=repr(options.date)) from None
    zone, zone_name = _zone(options.tz, lat, lon)
    if options.time is not None:
        if options.start or options.end:
            raise bad("give either {time} or {start}/{end}, not both")
        t = dt.datetime.combine(day, _parse_hm(options.time, "time"), zone)
        return pd.DatetimeIndex([t]), np.zeros(1), zone_name
    if options.step_minutes <= 0:
        raise bad("{step_minutes} must be positive (got {v})", v=options.step_minutes)
    a = dt.datetime.combine(day, _parse_hm(options.start or "00:00", "start"), zone)
    b = dt.datetime.combine(day, _parse_hm(options.end or "24:00", "end"), zone)
    if b <= a:
        raise bad("{end} {e} is not after {start} {s}", e=options.end, s=options.start)
    step = dt.timedelta(minutes=options.step_minutes)
    n = int((b - a) / step) + 1
    times = pd.DatetimeIndex([a + i * step for i in range(n)])
    return times, time_weights(n, options.step_minutes / 60.0), zone_name


def shadow_study(model: CityModel, options: ShadowOptions, progress: ProgressArg | None = None,
                 source_name: str = "model") -> ShadowResult:
    """Compute the shadow study (the model is not changed)."""
    import pvlib

    from citytwin.analysis.sampling import GROUND_TYPES
    from citytwin.analysis.shadow import ground_grid, lit_points
    from citytwin.analysis.weather import sun_vector
    from citytwin.analysis.scene import prepare_scene, require_site

    progress = as_progress(progress) or Progress()
    t0 = _time.perf_counter()
    lat, lon, loc_src = require_site(model, options.latitude, options.longitude, source_name)
    times, weights, zone_name = study_times(options, lat, lon)
    sp = pvlib.solarposition.get_solarposition(times, lat, lon)
    zen = sp["apparent_zenith"].to_numpy(float)
    azi = sp["azimuth"].to_numpy(float)
    sunv = sun_vector(zen, azi)
    progress.update(0.05, "sampling surfaces")
    surfaces = tuple(options.surfaces)
    if surfaces:
        mesh, samples, scene, _ = prepare_scene(model, surfaces, options.resolution, options.offset,
                                                options.lod, options.nthreads, source_name)
        pts, nrm, areas = samples.points, samples.normals, samples.areas
        oidx, gidx, sidx, ids = samples.object_index, samples.geometry_index, samples.surface_index, \
            samples.object_ids
    else:
        from citytwin.analysis.raycast import scene_from_mesh

        mesh = model.triangulate(lod=options.lod)
        if len(mesh) == 0:
            from citytwin.errors import InputError

            raise InputError(source_name, "the model has no surfaces")
        scene = scene_from_mesh(mesh, nthreads=options.nthreads)
        pts = nrm = np.zeros((0, 3))
        areas = np.zeros(0)
        oidx = gidx = sidx = np.zeros(0, np.int32)
        ids = list(mesh.object_ids)
    progress.update(0.1, f"tracing {len(pts):,} points x {len(times)} times")
    lit = lit_points(scene, pts - mesh.origin, nrm, sunv, progress.sub(0.1, 0.6))
    sun_hours = weights @ lit if len(pts) else np.zeros(0)
    grid = glit = gsun = None
    if options.grid_cell > 0:
        progress.update(0.6, "ground grid")
        is_ground = np.array([t in GROUND_TYPES for t in mesh.object_types], bool)[mesh.object_index] \
            if mesh.object_types else np.zeros(len(mesh), bool)
        v = mesh.vertices[np.unique(mesh.triangles)]
        nong = v if not is_ground.any() else mesh.vertices[np.unique(mesh.triangles[~is_ground])]
        base = float(v[:, 2].min())
        height = float(nong[:, 2].max()) - base
        up = sunv[:, 2] > 0
        if options.margin is not None:
            margin = float(options.margin)
        else:
            alt = np.degrees(np.arcsin(np.clip(sunv[up, 2], -1, 1))) if up.any() else np.array([90.0])
            margin = float(np.clip(height / np.tan(np.radians(max(alt.min(), 10.0))), 10.0, 200.0))
        box = (nong[:, 0].min() - margin, nong[:, 1].min() - margin,
               nong[:, 0].max() + margin, nong[:, 1].max() + margin)
        grid = ground_grid(scene, mesh.origin, box, options.grid_cell, float(v[:, 2].max()) + 10.0, base,
                           is_ground if is_ground.any() else None)
        gp = grid.points()
        gp[:, 2] += options.offset
        keep = ~grid.inside.ravel()
        gl = np.zeros((len(times), gp.shape[0]), bool)
        gl[:, keep] = lit_points(scene, gp[keep] - mesh.origin, None, sunv, progress.sub(0.6, 0.98))
        glit = gl.reshape(len(times), *grid.shape)
        gsun = np.tensordot(weights, glit.astype(np.float64), axes=1)
    info = {"tz": zone_name, "latitude": round(lat, 5), "longitude": round(lon, 5), "location_source": loc_src,
            "step_minutes": options.step_minutes if options.time is None else 0,
            "period_hours": float(weights.sum()), "seconds": round(_time.perf_counter() - t0, 3)}
    keys, row = surface_keys(oidx, gidx, sidx)
    table = surface_table(keys, row, ids, lit, sun_hours)
    progress.update(1.0)
    return ShadowResult(times=times, sun_vectors=sunv, altitude=90.0 - zen, azimuth=azi, weights=weights,
                        points=pts, normals=nrm, areas=areas, object_ids=ids, object_index=oidx,
                        geometry_index=gidx, surface_index=sidx, surface_row=row, surfaces=table,
                        lit=lit, sun_hours=sun_hours, grid=grid, ground_lit=glit, ground_sun_hours=gsun,
                        info=info)


def surface_table(keys: np.ndarray, row: np.ndarray, object_ids: list[str], lit: np.ndarray,
                  sun_hours: np.ndarray) -> Table:
    """Per surface: its points, their mean sun hours and the share of them lit per time step.

    Parameters
    ----------
    keys : (M, 3) int64 (object, geometry, surface); row : (N,) the row of each point
    lit : (T, N) bool; sun_hours : (N,) float64 hours
    """
    m = len(keys)
    n = np.bincount(row, minlength=m)
    cnt = np.maximum(n, 1)
    lit_f = np.stack([np.bincount(row, weights=r, minlength=m) / cnt for r in np.asarray(lit, np.float64)],
                     axis=1) if m else np.zeros((0, len(lit)))
    return Table.from_columns({**surface_columns(keys, object_ids), "points": n.astype(np.int64),
                               "sun_hours": np.bincount(row, weights=sun_hours, minlength=m) / cnt,
                               "lit_fraction": lit_f.reshape(m, len(lit))}, SURFACE_DIGITS, length=m)
