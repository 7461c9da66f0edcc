"""Scene preparation and site location, shared by the solar, shadow and sky view factor studies.

:func:`prepare_scene` triangulates the model, checks it (geographic CRS, nothing to analyse,
objects with only an LoD 0 footprint, sample points under the terrain), samples the chosen
surfaces and builds the Embree scenes; :func:`site_location` finds the site's latitude and
longitude from the options or the model's CRS.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from citytwin.errors import InputError, OptionError, UsageError
from citytwin.semantics.model import CityModel

#: Labels of the site options, named in messages (each front end says them in its words).
SITE_LABELS = {"latitude": "Latitude", "longitude": "Longitude"}
#: Labels of the sampling options the scene's messages name.
SCENE_LABELS = {"lod": "LoD", "surfaces": "Surfaces"}


class StudyScene(NamedTuple):
    """What :func:`prepare_scene` builds (unpacks as ``mesh, samples, scene, ground_scene``).

    Attributes
    ----------
    mesh : TriangleMesh of the model (``mesh.origin`` subtracted before tracing)
    samples : SamplePoints on the chosen surfaces
    scene : OcclusionScene of every opaque triangle (``scene.vegetation``: the semi-transparent one)
    ground_scene : occluders of ground-reflected light (``scene`` when there is no terrain)
    """

    mesh: object
    samples: object
    scene: object
    ground_scene: object


def site_location(model: CityModel, options_lat: float | None = None,
                  options_lon: float | None = None) -> tuple[float, float, str] | None:
    """(latitude, longitude, source) of the site: the options, else the model's centre, else None.

    Raises
    ------
    OptionError : only one of latitude and longitude given
    InputError : latitude or longitude out of range
    """
    if options_lat is not None or options_lon is not None:
        if options_lat is None or options_lon is None:
            raise OptionError("give both {latitude} and {longitude}", SITE_LABELS)
        from citytwin.analysis.weather import validate_location

        validate_location(options_lat, options_lon)
        return float(options_lat), float(options_lon), "given"
    if model.crs is None or model.crs.is_local:
        return None
    from citytwin.semantics.crs import lonlat_of

    b = model.bbox()
    if not np.all(np.isfinite(b)):
        return None
    centre = np.array([[(b[0] + b[3]) / 2, (b[1] + b[4]) / 2, (b[2] + b[5]) / 2]])
    try:
        lon, lat = lonlat_of(centre, model.crs)[0]
    except UsageError:  # the file's coordinates do not fit its own CRS: a problem of the input
        raise InputError(model.source.get("path", "the model"), f"its centre ({centre[0, 0]:.6g}, {centre[0, 1]:.6g}) "
                         f"is outside the area of its CRS {model.crs}, so the site cannot be located; give "
                         "the site's latitude and longitude, or assign the CRS of its coordinates") from None
    return float(lat), float(lon), f"model CRS {model.crs}"


def require_site(model: CityModel, latitude: float | None, longitude: float | None, source_name: str,
                 other: str = "") -> tuple[float, float, str]:
    """:func:`site_location`, or an OptionError saying how to give the site (``other``: another way)."""
    loc = site_location(model, latitude, longitude)
    if loc is None:
        name = source_name.replace("{", "{{").replace("}", "}}")
        raise OptionError(f"{name}: the model has no CRS and no location was given; give "
                          "{latitude}/{longitude}" + (f", {other}," if other else "") + " or assign a CRS",
                          SITE_LABELS)
    return loc


def prepare_scene(model: CityModel, surfaces: tuple[str, ...], resolution: float, offset: float,
                  lod: str | None, nthreads: int, source_name: str = "model", split_vegetation: bool = False):
    """Triangulate, check, sample and build the Embree scenes.

    With ``lod`` None (each object's highest LoD) LoD 0 geometries (footprints, roof edges) are
    neither sampled nor traced: they are 2.5D outlines, not envelopes (3D BAG gives every Building
    an LoD 0 footprint and its BuildingParts the 3D shapes). An object left with nothing but LoD 0
    and no analysed part is reported as a warning. With ``lod="0"`` they are analysed, but an
    LoD 0 surface without semantics is never a roof (nor a wall).

    With ``split_vegetation`` the vegetation (:data:`~citytwin.analysis.sampling.VEGETATION_TYPES`)
    is left out of ``scene`` and built as ``scene.vegetation`` (an OcclusionScene, None without
    vegetation), for the solar study to trace as semi-transparent; otherwise trees are opaque.

    Returns
    -------
    StudyScene (mesh, samples, scene, ground_scene)

    Raises
    ------
    InputError : geographic CRS, no surfaces, an empty selection
    """
    from citytwin.analysis.raycast import scene_from_mesh
    from citytwin.analysis.sampling import VEGETATION_TYPES
    from citytwin.analysis.sampling import (classify_triangles, footprint_triangles, sample_triangles,
                                            select_triangles)

    if model.crs is not None and not model.crs.is_local and model.crs.is_geographic():
        raise InputError(source_name, f"the model is in a geographic CRS ({model.crs}, degrees); "
                         "reproject it to a projected CRS in metres first (citytwin convert --crs)")
    mesh = model.triangulate(lod=lod)
    if len(mesh) == 0:
        raise InputError(source_name, "the model has no surfaces to analyse")
    footprint = footprint_triangles(model, mesh)
    keep = ~footprint if lod is None else np.ones(len(mesh), bool)
    if lod is None and footprint.any():
        report_lod0_only(model, mesh, footprint)
    mask = select_triangles(mesh, tuple(surfaces), footprint=footprint) & keep
    if not mask.any():
        hint = ""
        if lod is None and footprint.any():
            hint = ("; LoD 0 surfaces (footprints, roof edges) are not analysed unless asked for: "
                    "give {lod} 0")
        elif footprint.any():
            hint = "; LoD 0 surfaces without semantics are footprints, never roofs or walls"
        try_all = "" if "all" in surfaces else "; try {surfaces} all"
        raise InputError(source_name, f"no {'/'.join(surfaces)} surfaces found (the selection is "
                         f"empty{try_all}{hint})", names=SCENE_LABELS)
    samples = sample_triangles(mesh, mask, resolution, offset, footprint=footprint)
    veg = np.zeros(len(mesh), bool)
    if split_vegetation and mesh.object_types:
        veg = np.array([t in VEGETATION_TYPES for t in mesh.object_types], bool)[mesh.object_index] & keep
    opaque = keep & ~veg
    scene = scene_from_mesh(mesh, None if opaque.all() else opaque, nthreads=nthreads)
    scene.vegetation = scene_from_mesh(mesh, veg, nthreads=nthreads) if veg.any() else None
    kind = classify_triangles(mesh, footprint)
    from citytwin.analysis.sampling import GROUND_TYPES

    is_ground_obj = np.array([t in GROUND_TYPES for t in mesh.object_types], bool)[mesh.object_index] \
        if mesh.object_types else np.zeros(len(mesh), bool)
    ground_scene = scene
    if is_ground_obj.any():
        ground_scene = scene_from_mesh(mesh, ~is_ground_obj & keep, nthreads=nthreads)
        check_below_terrain(model, mesh, samples, scene_from_mesh(mesh, is_ground_obj & (kind == 2) & keep,
                                                                   nthreads=nthreads))
    scene.warm_up()
    return StudyScene(mesh, samples, scene, ground_scene)


def report_lod0_only(model: CityModel, mesh, footprint: np.ndarray) -> None:
    """Warn about objects whose only surfaces are LoD 0 and that have no analysed descendant."""
    from citytwin.analysis.results import root_objects

    n_obj = len(mesh.object_ids)
    has_fp = np.bincount(mesh.object_index[footprint], minlength=n_obj) > 0
    has_3d = np.bincount(mesh.object_index[~footprint], minlength=n_obj) > 0
    parents = {o.id: o.parents for o in model.objects.values()}
    roots = root_objects(parents, list(mesh.object_ids))
    analysed_roots = {roots[i] for i in np.nonzero(has_3d)[0].tolist()}
    for i in np.nonzero(has_fp & ~has_3d)[0].tolist():
        if roots[i] not in analysed_roots:
            model.problems.report(mesh.object_ids[i], "only an LoD 0 footprint: not analysed for solar "
                                  "(give --lod 0 to analyse LoD 0 surfaces)", "warning")


def check_below_terrain(model: CityModel, mesh, samples, terrain_scene) -> None:
    """Report objects with sample points under the terrain surface (a ray up hits terrain)."""
    o = (samples.points - mesh.origin).astype(np.float32)
    up = np.array([[0, 0, 1]], np.float32)
    notground = samples.kind != 2
    hit = np.zeros(len(o), bool)
    idx = np.nonzero(notground)[0]
    if len(idx):
        hit[idx] = terrain_scene.occluded(o[idx], np.broadcast_to(up, (len(idx), 3)))
    if hit.any():
        counts = np.bincount(samples.object_index[hit], minlength=len(samples.object_ids))
        for oi in np.nonzero(counts)[0].tolist():
            model.problems.report(samples.object_ids[oi], f"{counts[oi]} solar sample points lie below "
                                  "the terrain surface (they receive no light)", "warning")
