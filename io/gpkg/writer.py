"""GeoPackage writer (GDAL through pyogrio), for QGIS and other GIS users.

Two layers, both in the model's CRS:

- ``footprints``: one MultiPolygon per top-level city object (a Building and its parts): the
  union of the plan projections of its non-vertical triangles (so overhanging roofs count), with
  ``object_id``, ``object_type`` and every attribute of the object (analysis results such as
  ``solar_annual_kwh`` included);
- ``surfaces``: one PolygonZ per surface of the written LoD (holes kept), with ``object_id``,
  ``building_id`` (its top-level object), ``object_type``, ``lod``, ``geometry``, ``surface``,
  ``semantic_type``, ``area_m2`` and the semantic surface's own attributes (per-surface results
  such as ``solar_annual_kwh_m2``).

Attribute columns get the tightest type (boolean, integer, real, text); lists, objects and mixed
types are written as JSON text; missing values are NULL. The file is written beside the target
and renamed into place.
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Any

import numpy as np
import pyogrio.raw  # this module is imported only when a GeoPackage is written (registry)

from citytwin.errors import OutputError
from citytwin.io.gltf.writer import json_safe, object_forest
from citytwin.semantics.model import CityModel

_SKIP_SURFACE_KEYS = ("type", "parent", "children")


def _columns(rows: list[dict[str, Any]], reserved: set[str]) -> dict[str, tuple[np.ndarray, np.ndarray | None]]:
    """Column name -> (values, null mask or None) of attribute dicts ``rows``."""
    names: list[str] = []
    seen: set[str] = set()
    for r in rows:
        for k in r:
            if k not in seen:
                seen.add(k)
                names.append(k)
    out: dict[str, tuple[np.ndarray, np.ndarray | None]] = {}
    for name in names:
        col = name if name not in reserved else f"attr_{name}"
        vals = [r.get(name) for r in rows]
        present = [v for v in vals if v is not None]
        mask = np.array([v is None for v in vals]) if len(present) < len(vals) else None
        kinds = {type(v) for v in present}
        if kinds == {bool}:
            arr = np.array([bool(v) if v is not None else False for v in vals])
        elif kinds == {int} and all(-(2 ** 63) <= v < 2 ** 63 for v in present):
            arr = np.array([v if v is not None else 0 for v in vals], dtype=np.int64)
        elif kinds and kinds <= {int, float} and bool not in kinds:
            arr = np.array([float(v) if v is not None else np.nan for v in vals], dtype=np.float64)
        elif kinds == {str}:
            arr = np.array([v if v is not None else "" for v in vals], dtype=object)
        else:
            arr = np.array([json.dumps(v, ensure_ascii=False) if v is not None else "" for v in vals], dtype=object)
        out[col] = (arr, mask)
    return out


def _write_layer(path: str, layer: str, geoms, base: dict[str, np.ndarray], rows: list[dict[str, Any]],
                 geometry_type: str, crs_wkt: str | None, append: bool) -> None:
    import shapely

    cols = _columns(rows, set(base))
    fields = list(base) + list(cols)
    data = list(base.values()) + [c[0] for c in cols.values()]
    masks = [None] * len(base) + [c[1] for c in cols.values()]
    pyogrio.raw.write(path, shapely.to_wkb(geoms, output_dimension=3 if "Z" in geometry_type else 2),
                      data, fields, field_mask=masks, layer=layer, driver="GPKG",
                      geometry_type=geometry_type, crs=crs_wkt, append=append,
                      promote_to_multi=False, nan_as_null=True)


def _footprints(model: CityModel, tri, roots: list[str], feature_of_obj: np.ndarray):
    """MultiPolygon per root object (None where it has no non-vertical triangle)."""
    import shapely

    out: list[Any] = [None] * len(roots)
    if not len(tri.triangles):
        return out
    keep = np.abs(tri.normals[:, 2]) > 0.05
    feat = feature_of_obj[tri.object_index][keep]
    polys = shapely.polygons(tri.vertices[:, :2][tri.triangles[keep]])
    order = np.argsort(feat, kind="stable")
    starts = np.searchsorted(feat[order], np.arange(len(roots) + 1))
    for k in range(len(roots)):
        sel = polys[order[starts[k]:starts[k + 1]]]
        if len(sel):
            u = shapely.union_all(shapely.make_valid(sel), grid_size=1e-4)
            parts = [g for g in shapely.get_parts(u) if g.geom_type == "Polygon"]
            out[k] = shapely.multipolygons(parts) if parts else None
    return out


def _surfaces(model: CityModel, lod: str | None, root_of: dict[str, str], tri):
    """(PolygonZ array, base columns, per-surface attribute rows) of every surface written."""
    import shapely

    from citytwin.semantics.lod_choice import highest_lods
    from citytwin.semantics.triangulated import choose_geometries

    highest = highest_lods(model) if lod is None else None
    coords, ring_len, surf_rings = [], [], []
    oid_col, bid_col, type_col, lod_col, gi_col, si_col, sem_col, rows = [], [], [], [], [], [], [], []
    for oid, o in model.objects.items():
        for gi, g in choose_geometries(model, o, lod, highest):
            src = model.templates[g.template] if g.is_instance else g
            if src.surface_offsets is None or src.n_surfaces == 0:
                continue
            pts = model.instance_vertices(g)[src.indices] if g.is_instance else model.vertices[src.indices]
            coords.append(pts)
            ring_len.append(np.diff(src.ring_offsets))
            surf_rings.append(np.diff(src.surface_offsets))
            ns = src.n_surfaces
            sem = src.semantics
            for j in range(ns):
                k = int(sem.values[j]) if sem is not None and j < len(sem.values) else -1
                s = sem.surfaces[k] if k >= 0 else {}
                sem_col.append(str(s.get("type", "")))
                rows.append(json_safe({kk: v for kk, v in s.items() if kk not in _SKIP_SURFACE_KEYS}))
            oid_col += [oid] * ns
            bid_col += [root_of[oid]] * ns
            type_col += [o.type] * ns
            lod_col += [str(src.lod or "")] * ns
            gi_col += [gi] * ns
            si_col += list(range(ns))
    if not coords:
        return None, {}, []
    xyz = np.concatenate(coords)
    rl = np.concatenate(ring_len)
    sr = np.concatenate(surf_rings)
    ring_ok = rl >= 3
    ring_id = np.repeat(np.arange(len(rl)), rl)
    surf_of_ring = np.repeat(np.arange(len(sr)), sr)
    keep_corner = ring_ok[ring_id]
    ok_rings = np.flatnonzero(ring_ok)
    rings = np.full(len(rl), None, dtype=object)
    if len(ok_rings):  # shapely wants contiguous ring numbers
        rings[ok_rings] = shapely.linearrings(xyz[keep_corner],
                                              indices=np.searchsorted(ok_rings, ring_id[keep_corner]))
    # a surface whose outer ring is broken is left out (reported); broken holes are dropped
    first_ring = np.concatenate([[0], np.cumsum(sr)[:-1]])
    surf_ok = (sr > 0) & ring_ok[np.minimum(first_ring, len(rl) - 1)]
    use = ring_ok & surf_ok[surf_of_ring]
    polys = np.full(len(sr), None, dtype=object)
    if use.any():
        used_surfs, sidx = np.unique(surf_of_ring[use], return_inverse=True)
        polys[used_surfs] = shapely.polygons(rings[use], indices=sidx)
    bad = int(np.count_nonzero(~surf_ok))
    if bad:
        model.problems.report(None, f"{bad} surfaces with fewer than 3 corners are not in the surfaces layer")
    # area per (object, geometry, surface) from the triangulated view, m2
    area = np.zeros(len(sr))
    if len(tri.triangles):
        key_index = {(o, g, s): i for i, (o, g, s) in enumerate(zip(oid_col, gi_col, si_col))}
        ids = tri.object_ids
        k = np.array([key_index.get((ids[o], g, s), -1) for o, g, s in
                      zip(tri.object_index.tolist(), tri.geometry_index.tolist(), tri.surface_index.tolist())])
        ok = k >= 0
        area = np.bincount(k[ok], weights=tri.areas[ok], minlength=len(sr))
    base = {"object_id": np.array(oid_col, dtype=object), "building_id": np.array(bid_col, dtype=object),
            "object_type": np.array(type_col, dtype=object), "lod": np.array(lod_col, dtype=object),
            "geometry": np.array(gi_col, dtype=np.int32), "surface": np.array(si_col, dtype=np.int32),
            "semantic_type": np.array(sem_col, dtype=object), "area_m2": np.round(area, 4)}
    sel = np.flatnonzero(surf_ok)
    return polys[sel], {k: v[sel] for k, v in base.items()}, [rows[i] for i in sel]


def write_gpkg(model: CityModel, path: str | Path, precision: float | None = None, lod: str | None = None) -> None:
    """Write ``model`` as a GeoPackage with the layers ``footprints`` and ``surfaces``.

    Parameters
    ----------
    precision : ignored (coordinates are written as doubles)
    lod : LoD of the surfaces layer and the footprints (default: each object's highest)
    """
    path = Path(path)
    tri = model.triangulate(lod=lod)
    roots, children = object_forest(model)
    root_of: dict[str, str] = {}
    for r in roots:
        stack = [r]
        while stack:
            oid = stack.pop()
            root_of[oid] = r
            stack.extend(children[oid])
    pos = {r: k for k, r in enumerate(roots)}
    feature_of_obj = np.array([pos[root_of[o]] for o in tri.object_ids], dtype=np.int64)
    crs_wkt = None
    if model.crs is not None and not model.crs.is_local:
        crs_wkt = model.crs.to_pyproj().to_wkt()
    else:
        model.problems.report(None, "the model has no CRS: the GeoPackage layers have none either")
    fps = _footprints(model, tri, roots, feature_of_obj)
    have = [k for k, g in enumerate(fps) if g is not None]
    if len(have) < len(roots):
        model.problems.report(None, f"{len(roots) - len(have)} top-level objects have no footprint (no "
                                    "non-vertical surface) and are not in the footprints layer")
    polys, base, rows = _surfaces(model, lod, root_of, tri)
    if not have and polys is None:
        raise OutputError(f"{path}: the model has no surface geometry to write as a GeoPackage")
    if not path.parent.is_dir():
        path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part.gpkg", dir=path.parent)
    os.close(fd)
    os.unlink(tmp)  # GDAL creates the file itself
    try:
        appended = False
        if have:
            _write_layer(tmp, "footprints", np.array([fps[k] for k in have], dtype=object),
                         {"object_id": np.array([roots[k] for k in have], dtype=object),
                          "object_type": np.array([model.objects[roots[k]].type for k in have], dtype=object)},
                         [json_safe(model.objects[roots[k]].attributes) for k in have],
                         "MultiPolygon", crs_wkt, append=False)
            appended = True
        if polys is not None and len(polys):
            _write_layer(tmp, "surfaces", polys, base, rows, "Polygon Z", crs_wkt, append=appended)
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise
