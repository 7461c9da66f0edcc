"""3D Tiles 1.1 writer: ``tileset.json`` plus GLB tile contents (``tiles/*.glb``).

- Features are the top-level city objects (a Building with its BuildingParts is one feature).
  Each tile's glTF has ``EXT_mesh_features`` (vertex attribute ``_FEATURE_ID_0``) and
  ``EXT_structural_metadata``: a property table with the object id, type, attributes and
  analysis results (schema: :mod:`citytwin.io.tiles3d.metadata`, units named). When semantic
  surfaces carry attributes (a solar study's per-surface results), a second feature ID set
  (``_FEATURE_ID_1``) and property table (class ``surface``) give every surface its object,
  building, semantic type, area and results.
- Tiling: a quadtree over the features' centres, split until a tile holds at most
  ``max_features`` features and ``max_triangles`` triangles. Leaves carry the content
  (geometric error 0); an inner tile's geometric error is its diagonal / 16, so a viewer loads the
  buildings when the tile spans a few hundred pixels. Refinement is ``ADD`` (no coarser copies).
- Georeference: every vertex goes model CRS -> ECEF (EPSG:4978, pyproj, 3D) -> a local
  east-north-up frame at the model's centre; the root ``transform`` is that frame's ENU -> ECEF
  matrix and each leaf's ``transform`` a translation to its centre, so glTF positions are small
  float32 numbers (Y-up, as 3D Tiles wants). A model without a CRS is written in its own
  coordinates (not placed on the globe), with a warning.
- The tileset names the CRS, the source file and the origin in ``metadata`` (class ``tileset``)
  and ``asset.extras.citytwin``; the 3D Tiles reader uses them to come back to the model CRS.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from citytwin.errors import OutputError
from citytwin.io.gltf.build import (GltfDoc, group_triangles, material_for_key, material_keys,
                                    texture_images, write_groups, z_up_to_y_up)
from citytwin.io.gltf.writer import json_safe, object_forest
from citytwin.io.tiles3d.metadata import (ID_PROPERTY, SURFACE_CLASS, SURFACE_FIXED, TYPE_PROPERTY, plan_columns,
                                          property_table, schema)
from citytwin.semantics.model import CityModel

ECEF_CODE = 4978


def enu_frame(ecef_origin: np.ndarray) -> np.ndarray:
    """(3, 3) matrix whose columns are the east, north, up unit vectors (ECEF) at a point."""
    x, y, z = ecef_origin
    lon = np.arctan2(y, x)
    # geodetic latitude of the point (WGS 84), by Bowring's closed form: exact to ~1e-10 rad
    a, f = 6378137.0, 1 / 298.257223563
    b = a * (1 - f)
    e2, ep2 = f * (2 - f), (a * a - b * b) / (b * b)
    p = np.hypot(x, y)
    th = np.arctan2(z * a, p * b)
    lat = np.arctan2(z + ep2 * b * np.sin(th) ** 3, p - e2 * a * np.cos(th) ** 3)
    sl, cl, sp, cp = np.sin(lon), np.cos(lon), np.sin(lat), np.cos(lat)
    return np.array([[-sl, -sp * cl, cp * cl], [cl, -sp * sl, cp * sl], [0.0, cp, sp]])


def to_ecef(model: CityModel, points: np.ndarray) -> np.ndarray:
    """(n, 3) model-CRS points -> (n, 3) float64 ECEF metres (3D transformation; a CRS without
    a vertical part has its heights taken as ellipsoidal, reported in ``model.problems``)."""
    from citytwin.semantics.crs import CRS, transformation

    tr, note = transformation(model.crs, CRS(code=ECEF_CODE))
    if note:
        model.problems.report(None, note)
    if not model.crs.has_vertical():
        model.problems.report(None, f"the model CRS {model.crs} has no vertical datum: heights are written "
                                    "as ellipsoidal heights (a viewer may show the model above or below "
                                    "its terrain by the geoid height)")
    x, y, z = tr.transform(points[:, 0], points[:, 1], points[:, 2])
    out = np.stack([x, y, z], axis=1)
    if not np.all(np.isfinite(out)):
        raise OutputError(f"some vertices cannot be placed on the globe from {model.crs} "
                          "(outside the CRS's area of use?)")
    return out


@dataclass
class _Node:
    features: np.ndarray  # feature indices
    lo: np.ndarray  # (3,) ENU min of its triangles' vertices
    hi: np.ndarray
    children: list["_Node"]
    leaf_id: int = -1


def _split(feat: np.ndarray, centre: np.ndarray, ntri: np.ndarray, max_features: int,
           max_triangles: int, depth: int = 0) -> list[np.ndarray] | None:
    """Quadtree split of features ``feat`` by their ``centre`` (n, 2); None when it stays a leaf."""
    if (len(feat) <= max_features and ntri[feat].sum() <= max_triangles) or len(feat) <= 1 or depth >= 16:
        return None
    c = centre[feat]
    mid = (c.min(axis=0) + c.max(axis=0)) / 2
    quad = (c[:, 0] > mid[0]).astype(int) + 2 * (c[:, 1] > mid[1]).astype(int)
    parts = [feat[quad == q] for q in range(4) if np.any(quad == q)]
    return parts if len(parts) > 1 else None


def _build(feat, centre, ntri, flo, fhi, max_features, max_triangles, leaves, depth=0) -> _Node:
    parts = _split(feat, centre, ntri, max_features, max_triangles, depth)
    node = _Node(feat, flo[feat].min(axis=0), fhi[feat].max(axis=0), [])
    if parts is None:
        node.leaf_id = len(leaves)
        leaves.append(node)
    else:
        node.children = [_build(p, centre, ntri, flo, fhi, max_features, max_triangles, leaves, depth + 1)
                         for p in parts]
    return node


def _box(lo: np.ndarray, hi: np.ndarray, centre: np.ndarray) -> list[float]:
    c = (lo + hi) / 2 - centre
    h = np.maximum((hi - lo) / 2, 0.01)
    return [float(c[0]), float(c[1]), float(c[2]), float(h[0]), 0.0, 0.0, 0.0, float(h[1]), 0.0, 0.0, 0.0, float(h[2])]


def _tile_json(node: _Node, uri_of) -> dict[str, Any]:
    if node.leaf_id >= 0:
        centre = np.round((node.lo + node.hi) / 2, 3)
        t = np.eye(4)
        t[:3, 3] = centre
        return {"boundingVolume": {"box": _box(node.lo, node.hi, centre)}, "geometricError": 0.0,
                "transform": t.T.ravel().tolist(), "content": {"uri": uri_of(node.leaf_id)}}
    diag = float(np.linalg.norm(node.hi - node.lo))
    return {"boundingVolume": {"box": _box(node.lo, node.hi, np.zeros(3))}, "geometricError": round(diag / 16, 3),
            "refine": "ADD", "children": [_tile_json(c, uri_of) for c in node.children]}


def write_3dtiles(model: CityModel, path: str | Path, precision: float | None = None, lod: str | None = None,
                  max_features: int = 256, max_triangles: int = 300_000) -> None:
    """Write ``model`` as a 3D Tiles 1.1 tileset (see the module docstring).

    Parameters
    ----------
    path : the ``tileset.json`` to write (a path without ``.json`` is taken as the folder);
        contents go to ``tiles/`` beside it (``x_tiles/`` for ``x.json``, so several tilesets
        can share a folder). Every file is written atomically.
    precision : ignored (positions are float32 within their tile: about 0.01 mm)
    lod : LoD to write per object (default: each object's highest)
    max_features, max_triangles : leaf tile limits
    """
    from citytwin.io.atomic import atomic_write_bytes, atomic_write_text

    path = Path(path)
    if path.suffix.lower() != ".json":
        path = path / "tileset.json"
    tri = model.triangulate(lod=lod)
    roots, children = object_forest(model)
    root_pos = {r: k for k, r in enumerate(roots)}
    feature_of: dict[str, int] = {}
    for r in roots:
        stack = [r]
        while stack:
            oid = stack.pop()
            feature_of[oid] = root_pos[r]
            stack.extend(children[oid])
    obj_feature = np.array([feature_of[o] for o in tri.object_ids], dtype=np.int64)
    tri_feature = obj_feature[tri.object_index] if len(tri.object_ids) else np.zeros(0, np.int64)

    # -- georeference: model CRS -> ECEF -> ENU at the centre --------------------------------
    used, inv = np.unique(tri.triangles, return_inverse=True)
    tris = inv.reshape(-1, 3)
    pts = tri.vertices[used]
    centre = np.round((pts.min(axis=0) + pts.max(axis=0)) / 2) if len(pts) else np.zeros(3)
    georef = model.crs is not None and not model.crs.is_local
    if georef:
        both = to_ecef(model, np.concatenate([pts, centre[None, :]]))
        ecef, origin = both[:-1], both[-1]
        rot = enu_frame(origin)
        enu = (ecef - origin) @ rot
        root_transform = np.eye(4)
        root_transform[:3, :3], root_transform[:3, 3] = rot, origin
    else:
        model.problems.report(None, "the model has no (usable) CRS: the tileset is written in model "
                                    "coordinates about its centre and is not placed on the globe")
        origin, enu, root_transform = centre, pts - centre, None

    # -- the quadtree over features ------------------------------------------------------------
    nf = len(roots)
    has = np.zeros(nf, bool)
    has[tri_feature] = True
    flo = np.full((nf, 3), np.inf)
    fhi = np.full((nf, 3), -np.inf)
    corner_f = np.repeat(tri_feature, 3)
    cv = enu[tris.reshape(-1)]
    np.minimum.at(flo, corner_f, cv)
    np.maximum.at(fhi, corner_f, cv)
    ntri = np.bincount(tri_feature, minlength=nf)
    feat = np.flatnonzero(has)
    if not len(feat):
        raise OutputError(f"{path}: the model has no surface geometry to write as 3D Tiles")
    if len(feat) < nf:
        model.problems.report(None, f"{nf - len(feat)} top-level objects have no surface geometry "
                                    f"(e.g. {roots[int(np.flatnonzero(~has)[0])]}) and are not in the tileset")
    leaves: list[_Node] = []
    root = _build(feat, ((flo + fhi) / 2)[:, :2], ntri, flo, fhi, max_features, max_triangles, leaves)

    images = texture_images(model, np.unique(tri.texture_index) if tri.texture_index is not None
                            else np.zeros(0), model.problems)
    mat = material_keys(tri, images)
    attrs = [json_safe(model.objects[r].attributes) for r in roots]
    columns = plan_columns([attrs[f] for f in feat])
    surfaces = _surface_features(model, tri, roots, obj_feature)
    sch = schema(columns, surfaces.columns if surfaces is not None else None)

    # -- contents: one GLB per leaf ------------------------------------------------------------
    leaf_of_feature = np.full(nf, -1, np.int64)
    for lf in leaves:
        leaf_of_feature[lf.features] = lf.leaf_id
    tri_leaf = leaf_of_feature[tri_feature]
    order = np.argsort(tri_leaf, kind="stable")
    bounds = np.searchsorted(tri_leaf[order], np.arange(len(leaves) + 1))
    # OUT/tileset.json -> OUT/tiles/; OUT/x.tileset.json (batch) -> OUT/x.tileset_tiles/
    folder = "tiles" if path.name.lower() == "tileset.json" else path.name[:-5] + "_tiles"
    name = lambda k: f"{folder}/{k}.glb"  # noqa: E731
    for lf in leaves:
        sel = order[bounds[lf.leaf_id]:bounds[lf.leaf_id + 1]]
        tile_centre = np.round((lf.lo + lf.hi) / 2, 3)
        glb = _tile_glb(model, sel, tris, enu, tile_centre, tri, tri_feature, lf.features, mat, images,
                        roots, attrs, columns, sch, surfaces)
        atomic_write_bytes(path.parent / name(lf.leaf_id), glb)

    root_json = _tile_json(root, name)
    if root_json.get("content"):  # a single leaf: keep the root as a parent of it
        root_json = {"boundingVolume": root_json["boundingVolume"], "geometricError": 0.0,
                     "refine": "ADD", "children": [root_json]}
        root_json["boundingVolume"] = {"box": _box(root.lo, root.hi, np.zeros(3))}
    root_json["refine"] = "ADD"
    if root_transform is not None:
        root_json["transform"] = root_transform.T.ravel().tolist()
    crs_text = model.crs.to_string() if model.crs is not None else ""
    source = Path(str(model.source.get("path", ""))).name
    info = {"crs": crs_text, "source": source, "origin": [float(x) for x in centre],
            "originEcef": [float(x) for x in origin] if georef else None, "features": int(len(feat))}
    tileset_schema = {**sch, "classes": {**sch["classes"], "tileset": {
        "name": "Tileset", "properties": {
            "crs": {"type": "STRING", "description": "CRS of the source model (vertices were transformed "
                                                     "from it to ECEF, EPSG:4978)"},
            "source": {"type": "STRING", "description": "file the model was read from"},
            "origin": {"type": "VEC3", "componentType": "FLOAT64",
                       "description": "centre of the model in its CRS (the ENU frame's origin)"}}}}}
    tileset = {
        "asset": {"version": "1.1", "generator": "citytwin", "extras": {"citytwin": info}},
        "geometricError": max(round(float(np.linalg.norm(root.hi - root.lo)) / 16, 3), 1.0),
        "schema": tileset_schema,
        "metadata": {"class": "tileset", "properties": {"crs": crs_text, "source": source,
                                                        "origin": info["origin"]}},
        "root": root_json,
    }
    import json

    atomic_write_text(path, json.dumps(tileset, indent=1, ensure_ascii=False))


@dataclass
class _Surfaces:
    """Per-surface features (written when some semantic surface carries attributes, e.g. results).

    Attributes
    ----------
    of_triangle : (t,) int64, surface feature of each triangle of the triangulated view
    fixed : per surface feature (object id, building id, semantic type)
    rows : per surface feature, its attribute row (geometry, surface, area_m2, surface attributes)
    columns : the planned attribute columns
    """

    of_triangle: np.ndarray
    fixed: list[tuple[str, str, str]]
    rows: list[dict[str, Any]]
    columns: list


_SKIP_SURFACE_KEYS = ("type", "parent", "children")


def _surface_features(model: CityModel, tri, roots: list[str], obj_feature: np.ndarray) -> _Surfaces | None:
    """The per-surface features of the model, or None when no semantic surface has attributes."""
    from citytwin.semantics.surfaces import semantic_name

    if not any(set(d) - set(_SKIP_SURFACE_KEYS) for o in model.objects.values() for g in o.geometry
               if g.semantics is not None for d in g.semantics.surfaces):
        return None
    g_n = int(tri.geometry_index.max()) + 1 if len(tri.triangles) else 1
    s_n = int(tri.surface_index.max()) + 1 if len(tri.triangles) else 1
    key = (tri.object_index.astype(np.int64) * g_n + tri.geometry_index) * s_n + tri.surface_index
    _u, first, inv = np.unique(key, return_index=True, return_inverse=True)
    area = np.bincount(inv.reshape(-1), weights=tri.areas)
    fixed, rows = [], []
    for k, j in enumerate(first.tolist()):
        oi, gi, si = int(tri.object_index[j]), int(tri.geometry_index[j]), int(tri.surface_index[j])
        oid = tri.object_ids[oi]
        g = model.objects[oid].geometry[gi]
        src = model.templates[g.template] if g.is_instance else g
        sem = src.semantics
        d = sem.surfaces[int(sem.values[si])] if sem is not None and si < len(sem.values) and sem.values[si] >= 0 else {}
        fixed.append((oid, roots[int(obj_feature[oi])], semantic_name(int(tri.semantic_type[j])) or "NoSemantics"))
        rows.append({"geometry": gi, "surface": si, "area_m2": round(float(area[k]), 4),
                     **json_safe({kk: v for kk, v in d.items() if kk not in _SKIP_SURFACE_KEYS})})
    return _Surfaces(inv.reshape(-1), fixed, rows, plan_columns(rows, reserved=tuple(SURFACE_FIXED)))


def _tile_glb(model, sel, tris, enu, tile_centre, tri, tri_feature, features, mat, images, roots, attrs,
              columns, sch, surfaces: _Surfaces | None) -> bytes:
    """The GLB of one leaf tile: triangles ``sel`` of the features ``features`` (sorted); positions
    are ``enu`` minus the tile's centre. With ``surfaces``, a second feature ID set names each
    triangle's surface (property table 1, class ``surface``)."""
    t = tris[sel]
    fid = np.searchsorted(features, tri_feature[sel])
    # a vertex shared by two features (or surfaces) becomes two vertices: its feature ID differs
    if surfaces is not None:
        s_glob, sfid = np.unique(surfaces.of_triangle[sel], return_inverse=True)
        sfid = sfid.reshape(-1)
        feature_of_s = np.zeros(len(s_glob), np.int64)
        feature_of_s[sfid] = fid
        unit = sfid
    else:
        unit = fid
    nv = int(t.max()) + 1 if len(t) else 1
    pair_key = np.repeat(unit, 3).astype(np.int64) * nv + t.reshape(-1)
    ukeys, pinv = np.unique(pair_key, return_inverse=True)
    v_unit, v_vertex = ukeys // nv, ukeys % nv
    t2 = pinv.reshape(-1, 3)
    uv = tri.uv[sel] if (tri.uv is not None and images) else None
    groups = group_triangles(t2, mat[sel][:, None], uv)
    vu, vv = v_unit[groups.vertex_id], v_vertex[groups.vertex_id]
    attrs_v = {"_FEATURE_ID_0": (feature_of_s[vu] if surfaces is not None else vu).astype(np.float32)}
    id_sets = [{"featureCount": int(len(features)), "attribute": 0, "propertyTable": 0}]
    if surfaces is not None:
        attrs_v["_FEATURE_ID_1"] = vu.astype(np.float32)
        id_sets.append({"featureCount": int(len(s_glob)), "attribute": 1, "propertyTable": 1})
    gd = GltfDoc()
    prims = write_groups(gd, groups, z_up_to_y_up(enu[vv] - tile_centre), textured=groups.keys[:, 0] >= 0,
                         vertex_attributes=attrs_v)
    primitives = []
    for i, (key,) in enumerate(groups.keys.tolist()):
        p: dict[str, Any] = {"attributes": {"POSITION": prims.position[i],
                                            **{k: prims.extra[k][i] for k in attrs_v}},
                             "indices": prims.indices[i], "material": material_for_key(gd, key, model, images),
                             "mode": 4, "extensions": {"EXT_mesh_features": {"featureIds": id_sets}}}
        if prims.texcoord[i] is not None:
            p["attributes"]["TEXCOORD_0"] = prims.texcoord[i]
        primitives.append(p)
    gd.doc["meshes"].append({"primitives": primitives})
    gd.doc["nodes"].append({"mesh": 0})
    gd.doc["scenes"][0]["nodes"] = [0]
    tables = [property_table(gd, [(ID_PROPERTY, [roots[f] for f in features]),
                                  (TYPE_PROPERTY, [model.objects[roots[f]].type for f in features])],
                             [attrs[f] for f in features], columns)]
    if surfaces is not None:
        sg = s_glob.tolist()
        tables.append(property_table(
            gd, [(pid, [surfaces.fixed[k][c] for k in sg]) for c, pid in enumerate(SURFACE_FIXED)],
            [surfaces.rows[k] for k in sg], surfaces.columns, cls=SURFACE_CLASS, name="surfaces"))
    gd.doc["extensionsUsed"] = ["EXT_mesh_features", "EXT_structural_metadata"]
    gd.doc["extensions"] = {"EXT_structural_metadata": {"schema": sch, "propertyTables": tables}}
    return gd.glb()
