"""Fusion of IFC models and photogrammetry meshes into a base city model.

- :func:`building_footprints`: per top-level building of a model, the union of its ground
  triangles projected on the plane (all its triangles when it has no GroundSurface), and its
  lowest z;
- :func:`fuse_ifc`: match each IFC building to base buildings by footprint overlap, then either
  replace them (keeping their attributes) or add the IFC elements as their LoD 3 children;
- :func:`fuse_mesh`: cut a mesh per base building (:mod:`citytwin.semantics.mesh_labels`) and
  attach the labelled parts as ``BuildingPart`` children; the rest becomes terrain and
  unassigned objects.

Every step appends to a report dict (the match each IFC building was fused into, the other
overlapping base buildings as candidates, georeferencing sanity, unassigned parts) that the
``fuse`` command writes as JSON.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from citytwin.progress import ProgressArg, report, scaled
from citytwin.semantics.geometry import Geometry, Semantics
from citytwin.semantics.model import CityModel, CityObject
from citytwin.semantics.surfaces import semantic_code, semantic_name

#: An IFC whose footprint centroid is further than this from its matched base building is flagged.
OFFSET_LIMIT_M = 3.0
#: Footprints overlapping by at least ``min_overlap`` (0.1) of either are listed as matches; the IFC
#: is fused into (attached to or replacing) its best match only when the overlap is at least this
#: share of the IFC's or of the base building's footprint. A weaker overlap is a neighbour or a
#: georeferencing mistake: the IFC is added as its own building and flagged.
FUSE_MIN_OVERLAP = 0.5


#: A source whose extent lies further than this from the base model's (metres, in the plane) is
#: flagged: nothing of it can be matched or cut per building.
FAR_FROM_BASE_M = 1000.0


def extent_gap(a: np.ndarray, b: np.ndarray) -> float:
    """Distance in the plane between the bounding boxes of two point sets ((n, 3) float64, metres);
    0 when they overlap or either is empty."""
    if not len(a) or not len(b):
        return 0.0
    alo, ahi = a[:, :2].min(axis=0), a[:, :2].max(axis=0)
    blo, bhi = b[:, :2].min(axis=0), b[:, :2].max(axis=0)
    d = np.maximum(0.0, np.maximum(alo - bhi, blo - ahi))
    return float(np.hypot(*d))


def _root(model: CityModel, oid: str) -> str:
    seen = set()
    while model.objects[oid].parents and oid not in seen:
        seen.add(oid)
        p = model.objects[oid].parents[0]
        if p not in model.objects:
            break
        oid = p
    return oid


def building_footprints(model: CityModel, types: tuple[str, ...] = ("Building",),
                        lod: str | None = None, on_progress: ProgressArg | None = None
                        ) -> tuple[list[str], np.ndarray, np.ndarray]:
    """Footprints of the model's buildings.

    ``on_progress`` (:class:`~citytwin.progress.ProgressReporter` or ``fn(fraction)``) is told while triangulating and every ``_REPORT_BUILDINGS``
    buildings; it may raise to stop.

    Returns
    -------
    ids : building ids
    polygons : (b,) object array of shapely geometries (ground plane, model CRS)
    ground_z : (b,) float64 lowest z of each building, metres
    """
    import shapely

    tri = model.triangulate(lod=lod, on_progress=scaled(on_progress, 0.0, 0.5))
    want = [o.id for o in model.objects.values() if o.type in types and not o.parents]
    if not len(tri) or not want:
        return [], np.zeros(0, dtype=object), np.zeros(0)
    # the triangles of each wanted building, grouped in one sort (not one full scan per building)
    slot = {bid: k for k, bid in enumerate(want)}
    obj_slot = np.array([slot.get(_root(model, oid), -1) for oid in tri.object_ids], dtype=np.int64)
    tslot = obj_slot[tri.object_index]
    order = np.argsort(tslot, kind="stable")
    bounds = np.searchsorted(tslot[order], np.arange(len(want) + 1))
    ground_code = semantic_code("GroundSurface")
    ids, polys, gz = [], [], []
    for k, bid in enumerate(want):
        if k % _REPORT_BUILDINGS == 0:
            report(on_progress, 0.5 + 0.5 * k / len(want))
        sel = order[bounds[k]:bounds[k + 1]]
        if not len(sel):
            continue
        pts = tri.vertices[tri.triangles[sel]]
        g = tri.semantic_type[sel] == ground_code
        use = pts[g] if g.any() else pts
        xy = use[:, :, :2]
        a2 = np.abs((xy[:, 1, 0] - xy[:, 0, 0]) * (xy[:, 2, 1] - xy[:, 0, 1])
                    - (xy[:, 2, 0] - xy[:, 0, 0]) * (xy[:, 1, 1] - xy[:, 0, 1]))
        xy = xy[a2 > 1e-9]
        if not len(xy):
            continue
        fp = shapely.union_all(shapely.polygons(np.concatenate([xy, xy[:, :1]], axis=1)), grid_size=1e-3)
        ids.append(bid)
        polys.append(fp)
        gz.append(float(pts[:, :, 2].min()))
    return ids, np.array(polys, dtype=object), np.array(gz)


#: Buildings handled between two progress reports.
_REPORT_BUILDINGS = 64


def _append_objects(dst: CityModel, src: CityModel, ids: list[str], rename: dict[str, str]) -> None:
    """Copy objects ``ids`` of ``src`` (with their geometry and vertices) into ``dst``."""
    offset = dst.add_vertices(src.vertices)
    for oid in ids:
        o = src.objects[oid]
        geoms = []
        for g in o.geometry:
            c = g.copy()
            c.indices = c.indices + offset
            geoms.append(c)
        nid = rename.get(oid, oid)
        dst.objects[nid] = CityObject(nid, o.type, dict(o.attributes), geoms,
                                      [rename.get(p, p) for p in o.parents],
                                      [rename.get(c, c) for c in o.children])


def fuse_ifc(base: CityModel, ifc: CityModel, mode: str = "add", name: str = "ifc",
             min_overlap: float = 0.1, on_progress: ProgressArg | None = None) -> dict[str, Any]:
    """Bring one IFC model into ``base`` (both in the same CRS); returns the report entry.

    ``on_progress`` (:class:`~citytwin.progress.ProgressReporter` or ``fn(fraction)``) is told while the base footprints are made and per IFC building;
    when it raises (cancellation) before the first IFC building is merged, ``base`` is unchanged.
    """
    import shapely

    entry: dict[str, Any] = {"source": name, "georef": ifc.source.get("georef", {}).get("method"),
                             "matches": [], "candidates": [], "flags": []}
    b_ids, b_fps, _ = building_footprints(base, on_progress=scaled(on_progress, 0.0, 0.7))
    tree = shapely.STRtree(b_fps) if len(b_fps) else None
    ifc_buildings = ifc.by_type("Building")
    for kb, ib in enumerate(ifc_buildings):
        report(on_progress, 0.7 + 0.3 * kb / len(ifc_buildings))
        sub = ifc.subset([ib.id])
        i_ids, i_fps, _ = building_footprints(sub, lod="2.2") if any(g.lod == "2.2" for g in ib.geometry) \
            else building_footprints(sub)
        if not i_ids:
            entry["flags"].append({"ifc_building": ib.id, "flag": "no footprint"})
            continue
        fp = i_fps[0]
        cands = tree.query(fp, predicate="intersects") if tree is not None else []
        matches = []
        for k in cands:
            inter = shapely.area(shapely.intersection(fp, b_fps[k]))
            r_ifc, r_base = inter / fp.area, inter / b_fps[k].area
            if max(r_ifc, r_base) >= min_overlap:
                off = shapely.distance(shapely.centroid(fp), shapely.centroid(b_fps[k]))
                matches.append({"ifc_building": ib.id, "base_building": b_ids[k],
                                "overlap_of_ifc": round(float(r_ifc), 4), "overlap_of_base": round(float(r_base), 4),
                                "centroid_offset_m": round(float(off), 3)})
        matches.sort(key=lambda m: -m["overlap_of_ifc"])
        best = matches[0] if matches else None
        if best is None:
            standalone = "overlaps no base building (wrong georeferencing?)"
        elif max(best["overlap_of_ifc"], best["overlap_of_base"]) < FUSE_MIN_OVERLAP:
            standalone = (f"overlaps {best['base_building']} only weakly ({best['overlap_of_ifc']:.0%} of the "
                          f"IFC footprint, {best['overlap_of_base']:.0%} of the base building's, under "
                          f"{FUSE_MIN_OVERLAP:.0%}): added as its own building, not fused (wrong georeferencing?)")
        else:
            standalone = None
        if standalone is not None:  # kept as its own building, flagged
            entry["candidates"].extend(matches)
            entry["flags"].append({"ifc_building": ib.id, "flag": standalone})
            _append_objects(base, sub, [ib.id, *sub.descendants(ib.id)], {})
            continue
        if best["centroid_offset_m"] > OFFSET_LIMIT_M:
            entry["flags"].append({"ifc_building": ib.id, "flag": f"centroid {best['centroid_offset_m']} m "
                                   f"from {best['base_building']} (more than {OFFSET_LIMIT_M} m)"})
        # the one match the IFC building is fused into; other overlaps are candidates only
        entry["matches"].append({**best, "fused": mode})
        entry["candidates"].extend(matches[1:])
        target = best["base_building"]
        kept = dict(base.objects[target].attributes)
        children = sub.descendants(ib.id)
        if mode == "replace":
            for d in [target, *base.descendants(target)]:
                base.objects.pop(d, None)
            _append_objects(base, sub, [ib.id, *children], {ib.id: target})
            base.objects[target].attributes = {**kept, **{f"ifc_{k}" if k in kept else k: v
                                                        for k, v in ib.attributes.items()}}
        else:
            _append_objects(base, sub, children, {ib.id: target})
            base.objects[target].children.extend(c for c in ib.children if c not in base.objects[target].children)
            base.objects[target].attributes["ifc_guid"] = ib.attributes.get("ifc_guid")
    base.touch()
    return entry


def fuse_mesh(base: CityModel, mesh: CityModel, name: str = "mesh", on_progress: ProgressArg | None = None,
              **label_options) -> dict[str, Any]:
    """Cut ``mesh`` per base building, label it and attach the parts; returns the report entry.

    ``on_progress`` (:class:`~citytwin.progress.ProgressReporter` or ``fn(fraction)``) is told while triangulating, making the footprints, and cutting and
    labelling (per chunk of triangles); when it raises (cancellation), ``base`` is unchanged:
    the parts are attached after the last call.
    """
    tri = mesh.triangulate(on_progress=scaled(on_progress, 0.0, 0.25))
    tris = tri.vertices[tri.triangles]
    b_ids, b_fps, gz = building_footprints(base, on_progress=scaled(on_progress, 0.25, 0.45))
    from citytwin.semantics.mesh_labels import label_mesh

    lab = label_mesh(tris, b_fps, gz, on_progress=scaled(on_progress, 0.45, 0.85), **label_options)
    entry: dict[str, Any] = {"source": name, "triangles": int(len(tris)), "buildings": {}, "unassigned": {}}
    order = np.argsort(lab.building, kind="stable")
    bsorted = lab.building[order]
    starts = np.searchsorted(bsorted, np.arange(-1, len(b_ids) + 1))
    # plan every new object first: (id, type, triangle selection, semantics?, parent)
    plan: list[tuple[str, str, np.ndarray, bool, str | None]] = []
    for k in range(-1, len(b_ids)):
        sel = order[starts[k + 1]:starts[k + 2]]
        if not len(sel):
            continue
        if k >= 0:
            plan.append((f"{b_ids[k]}-{name}", "BuildingPart", sel, True, b_ids[k]))
            entry["buildings"][b_ids[k]] = _sem_counts(lab.semantic[sel])
        else:
            ground = lab.semantic[sel] == semantic_code("GroundSurface")
            if ground.any():
                plan.append((f"{name}-terrain", "TINRelief", sel[ground], False, None))
            if (~ground).any():
                plan.append((f"{name}-unassigned", "GenericCityObject", sel[~ground], True, None))
            entry["unassigned"] = {"terrain_triangles": int(ground.sum()), "other_triangles": int((~ground).sum())}
    report(on_progress, 0.95)
    # then change ``base`` with no more progress calls (a cancel cannot leave it half-fused), and
    # append the vertices of all new objects at once (not one vertex-pool copy per building)
    if plan:
        order_all = np.concatenate([p[2] for p in plan])
        start = base.add_vertices(tris[order_all].reshape(-1, 3))
        tex = _bring_textures(base, mesh, tri, order_all)
        if tex is not None:
            entry["textured_triangles"] = int((tex[1] >= 0).sum())
        done = 0
        for oid, typ, sel, with_sem, parent in plan:
            obj = _mesh_object(base, oid, typ, start, len(sel), lab.semantic[sel] if with_sem else None, parent)
            if tex is not None:
                _texture_object(obj, tex, done, len(sel))
            start += 3 * len(sel)
            done += len(sel)
            if parent is not None:
                base.objects[parent].children.append(oid)
            elif typ == "GenericCityObject":
                obj.attributes["note"] = "mesh triangles outside every base building footprint"
    base.touch()
    return entry


def _bring_textures(base: CityModel, mesh: CityModel, tri, order: np.ndarray
                    ) -> tuple[str, np.ndarray, int] | None:
    """Add the mesh's textures used by triangles ``order`` (in that order) to ``base``'s appearance.

    Images keep working from the base: a relative image is made absolute against the mesh's folder
    when the base's folder differs (the export command, :func:`citytwin.app.commands.export.export_model`,
    copies it beside the output). Texture coordinates of the triangles are appended to
    ``base.appearance.texture_vertices``, three per triangle in ``order``.

    Returns
    -------
    (theme, texture (k,) int32 base texture index per triangle of ``order`` or -1, first texture
    vertex index), or None when none of these triangles is textured.
    """
    import os

    if tri.texture_index is None or tri.uv is None:
        return None
    t_idx = tri.texture_index[order]
    if not (t_idx >= 0).any():
        return None
    app, mapp = base.appearance, mesh.appearance
    used = np.unique(t_idx[t_idx >= 0])
    remap = np.full(len(mapp.textures), -1, dtype=np.int32)
    for i in used:
        t = dict(mapp.textures[i])
        src = mapp.image_path(int(i))
        img = t.get("image")
        if src and img and "://" not in img and not os.path.isabs(img) and mapp.base_path != app.base_path:
            t["image"] = os.path.abspath(src)
            if mapp.base_path and mapp.base_path not in app.image_roots:
                app.image_roots.append(mapp.base_path)  # the user gave this mesh: its folder's images may travel
        remap[i] = len(app.textures)
        app.textures.append(t)
    uv0 = len(app.texture_vertices)
    app.texture_vertices = np.concatenate([np.asarray(app.texture_vertices, dtype=np.float64).reshape(-1, 2),
                                           tri.uv[order].reshape(-1, 2).astype(np.float64)])
    theme = app.default_theme_texture or mapp.default_theme_texture or "default"
    app.default_theme_texture = theme
    return theme, np.where(t_idx >= 0, remap[np.maximum(t_idx, 0)], -1).astype(np.int32), uv0


def _texture_object(obj: CityObject, tex: tuple[str, np.ndarray, int], done: int, m: int) -> None:
    """Texture the single triangle geometry of ``obj``, whose triangles are ``done .. done + m`` of
    the order given to :func:`_bring_textures`."""
    from citytwin.semantics.geometry import TextureMap

    theme, t_idx, uv0 = tex
    ring = t_idx[done:done + m]
    if not (ring >= 0).any():
        return
    uv = (uv0 + 3 * (done + np.arange(m)))[:, None] + np.arange(3)
    uv = np.where(ring[:, None] >= 0, uv, -1).astype(np.int32).ravel()
    obj.geometry[0].textures[theme] = TextureMap(ring.copy(), uv)


def _sem_counts(sem: np.ndarray) -> dict[str, int]:
    vals, cnt = np.unique(sem, return_counts=True)
    return {semantic_name(v): int(c) for v, c in zip(vals, cnt)}


def _mesh_object(model: CityModel, oid: str, typ: str, start: int, m: int, sem: np.ndarray | None,
                 parent: str | None = None) -> CityObject:
    """Add an object of ``m`` triangles whose corners are pool vertices ``start .. start + 3m``."""
    g = Geometry(type="CompositeSurface" if typ == "TINRelief" else "MultiSurface", lod="3" if typ != "TINRelief" else "2",
                 indices=np.arange(start, start + 3 * m, dtype=np.int64),
                 ring_offsets=np.arange(0, 3 * m + 1, 3, dtype=np.int64),
                 surface_offsets=np.arange(m + 1, dtype=np.int64))
    if sem is not None:
        codes, inv = np.unique(sem, return_inverse=True)
        g.semantics = Semantics([{"type": semantic_name(c)} for c in codes], inv.astype(np.int32))
    obj = CityObject(oid, typ, {"source": "mesh"}, [g], parents=[parent] if parent else [])
    model.objects[oid] = obj
    return obj
