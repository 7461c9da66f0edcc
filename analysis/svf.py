"""The sky view factor study: sky view factor of sample points on roofs, walls and ground (cosine-weighted sky)."""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

import numpy as np

from citytwin.analysis.options import (lod_option, nthreads_option, offset_option, option, resolution_option,
                                       surfaces_option)
from citytwin.analysis.results import StudyResult, surface_columns, surface_keys, weighted_mean
from citytwin.analysis.table import Table
from citytwin.progress import Progress, ProgressArg, as_progress
from citytwin.errors import UsageError
from citytwin.semantics.model import CityModel


@dataclass(frozen=True)
class SVFOptions:
    """Options of a sky view factor study.

    Attributes
    ----------
    resolution : metres between sample points
    surfaces : "roof", "wall", "ground", "all"
    mf : Reinhart subdivision of the sky (>= 4; 6 = 5185 patches)
    """

    resolution: float = resolution_option(batch=False)
    surfaces: tuple[str, ...] = surfaces_option(("roof", "wall", "ground"), batch=False)
    mf: int = option(6, label="Sky subdivision (Reinhart MF)", form=(4, 12, 1, 0),
                     help="Reinhart sky subdivision (>= 4; 1 + 144 MF^2 patches, MF 6: 5185)")
    offset: float = offset_option()
    lod: str | None = lod_option()
    nthreads: int = nthreads_option()


#: Decimals of each per-surface column as written (CSV, model attributes).
SURFACE_DIGITS = {"area_m2": 3, "svf": 4}


@dataclass
class SVFResult(StudyResult):
    """Sky view factor per sample point and per surface.

    The point identity (``object_index``, ``geometry_index``, ``surface_index``, ``surface_row``)
    is described in :class:`~citytwin.analysis.results.StudyResult`.

    Attributes
    ----------
    svf : (N,) float64 in [0, 1]
    surfaces : Table, one row per surface: object_id, object_index, geometry, surface, area_m2, svf
        (area-weighted mean)
    """

    svf: np.ndarray

    def summary(self) -> dict[str, Any]:
        a = self.areas.sum()
        return {"points": int(len(self.points)), "surfaces": len(self.surfaces),
                "svf_mean": round(float((self.svf * self.areas).sum() / a), 4) if a > 0 else 0.0,
                **self.info}

    def apply_to_model(self, model: CityModel) -> None:
        """Store the area-weighted mean SVF per object as ``svf`` (and per semantic surface)."""
        cnt = np.bincount(self.object_index, weights=self.areas, minlength=len(self.object_ids))
        tot = np.bincount(self.object_index, weights=self.areas * self.svf, minlength=len(self.object_ids))
        for i in np.nonzero(cnt)[0].tolist():
            o = model.objects.get(self.object_ids[i])
            if o is not None:
                o.attributes["svf"] = round(float(tot[i] / cnt[i]), 4)
        for s in self.surfaces:
            o = model.objects.get(s["object_id"])
            if o is None or s["geometry"] >= len(o.geometry):
                continue
            g = o.geometry[s["geometry"]]
            if g.is_instance or g.semantics is None or s["surface"] >= len(g.semantics.values):
                continue
            k = int(g.semantics.values[s["surface"]])
            if k >= 0 and int((g.semantics.values == k).sum()) == 1:
                g.semantics.surfaces[k]["svf"] = s["svf"]


def svf_study(model: CityModel, options: SVFOptions = SVFOptions(), progress: ProgressArg | None = None,
              source_name: str = "model") -> SVFResult:
    """Sky view factor of every sample point (the model is not changed)."""
    from citytwin.analysis.irradiance import sky_view_factor
    from citytwin.analysis.scene import prepare_scene

    if options.mf < 4:
        raise UsageError(f"the sky subdivision must be at least MF 4 (got {options.mf})")
    progress = as_progress(progress) or Progress()
    t0 = time.perf_counter()
    progress.update(0.0, "sampling surfaces")
    mesh, samples, scene, _ = prepare_scene(model, tuple(options.surfaces), options.resolution,
                                            options.offset, options.lod, options.nthreads, source_name)
    svf = sky_view_factor(samples.points - mesh.origin, samples.normals, scene, options.mf,
                          progress.sub(0.05, 0.98))
    keys, inv = surface_keys(samples.object_index, samples.geometry_index, samples.surface_index)
    m = len(keys)
    table = Table.from_columns({**surface_columns(keys, samples.object_ids),
                                "area_m2": np.bincount(inv, weights=samples.areas, minlength=m),
                                "svf": weighted_mean(inv, samples.areas, svf, m)}, SURFACE_DIGITS, length=m)
    progress.update(1.0)
    return SVFResult(points=samples.points, normals=samples.normals, areas=samples.areas,
                     object_ids=samples.object_ids, object_index=samples.object_index,
                     geometry_index=samples.geometry_index, surface_index=samples.surface_index,
                     surface_row=inv, svf=svf, surfaces=table,
                     info={"sky_patches": 1 + 144 * options.mf ** 2, "rays": scene.rays_traced,
                           "seconds": round(time.perf_counter() - t0, 3)})
