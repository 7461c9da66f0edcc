"""glTF 2.0 writer (.glb binary, or .gltf with an embedded buffer) of a city model.

One node per city object, named by its id, with ``extras`` ``{"id", "type", "attributes"}``
(attributes include analysis results stored on the objects); the node tree follows the
object hierarchy (a BuildingPart is a child node of its Building). Each object's mesh has one
primitive per material: its semantic surface type's colour (roofs red, walls light grey, ...)
or its texture image (embedded; TIFF/BMP/... converted to PNG).

Positions are float32 in a local frame: model coordinates minus a round origin near the centre
of the model, turned Y-up (glTF's convention). The origin and the CRS are recorded in
``asset.extras.citytwin`` (``origin``: add it to a position turned back Z-up to get model
coordinates), so a viewer gets small numbers and a GIS can place the model exactly.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import numpy as np

from citytwin.io.gltf.build import (GltfDoc, group_triangles, material_for_key, material_keys,
                                    texture_images, write_groups, z_up_to_y_up)
from citytwin.semantics.model import CityModel


def json_safe(value: Any) -> Any:
    """A JSON value with numpy scalars made plain and non-finite floats made None."""
    if isinstance(value, dict):
        return {str(k): json_safe(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [json_safe(v) for v in value]
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def model_origin(tri) -> np.ndarray:
    """(3,) float64: a whole-metre local origin at the centre of the triangulated vertices."""
    if not len(tri.triangles):
        return np.zeros(3)
    used = tri.vertices[np.unique(tri.triangles)]
    return np.round((used.min(axis=0) + used.max(axis=0)) / 2.0)


def object_forest(model: CityModel) -> tuple[list[str], dict[str, list[str]]]:
    """Roots and children lists forming a forest over the model's objects (each object has at
    most one parent; cycles and dangling parents are broken by making the object a root)."""
    ids = list(model.objects)
    placed: set[str] = set()
    children: dict[str, list[str]] = {i: [] for i in ids}
    roots: list[str] = []

    def visit(root: str) -> None:
        stack = [root]
        placed.add(root)
        while stack:
            oid = stack.pop()
            for c in model.objects[oid].children:
                if c in model.objects and c not in placed:
                    placed.add(c)
                    children[oid].append(c)
                    stack.append(c)

    for oid in ids:
        o = model.objects[oid]
        if not any(p in model.objects for p in o.parents) and oid not in placed:
            roots.append(oid)
            visit(oid)
    for oid in ids:  # left in a cycle
        if oid not in placed:
            roots.append(oid)
            visit(oid)
    return roots, children


def _report_lower_lods(model: CityModel) -> None:
    """Warn (a file-level problem) that only each object's highest LoD is written, naming the
    LoDs of objects with several that are left out."""
    from citytwin.semantics.model import _lod_key

    left: dict[str, int] = {}
    for o in model.objects.values():
        lods = set()
        for g in o.geometry:
            gg = model.templates[g.template] if g.is_instance and g.template is not None and \
                g.template < len(model.templates) else g
            if gg.has_surfaces and gg.lod is not None:
                lods.add(gg.lod)
        if len(lods) > 1:
            top = max(lods, key=_lod_key)
            for lo in lods - {top}:
                left[lo] = left.get(lo, 0) + 1
    if left:
        which = ", ".join(f"LoD {lo} ({n} object{'s' if n > 1 else ''})"
                          for lo, n in sorted(left.items(), key=lambda kv: _lod_key(kv[0])))
        model.problems.report(None, f"glTF holds one LoD per object (its highest): left out {which}; "
                              "give --lod to write another")


def build_gltf(model: CityModel, lod: str | None = None) -> GltfDoc:
    """The glTF document of ``model`` (see the module docstring); problems go to ``model.problems``."""
    tri = model.triangulate(lod=lod)
    if lod is None:
        _report_lower_lods(model)
    origin = model_origin(tri)
    images = texture_images(model, np.unique(tri.texture_index) if tri.texture_index is not None
                            else np.zeros(0), model.problems)
    mat = material_keys(tri, images)
    uv = tri.uv if (tri.uv is not None and images) else None
    groups = group_triangles(tri.triangles, np.stack([tri.object_index, mat], axis=1), uv)
    gd = GltfDoc()
    positions = z_up_to_y_up(tri.vertices[groups.vertex_id] - origin)
    prims = write_groups(gd, groups, positions, textured=groups.keys[:, 1] >= 0)
    by_object: dict[int, list[dict]] = {}
    for i, (oi, key) in enumerate(groups.keys.tolist()):
        p: dict[str, Any] = {"attributes": {"POSITION": prims.position[i]}, "indices": prims.indices[i],
                             "material": material_for_key(gd, key, model, images), "mode": 4}
        if prims.texcoord[i] is not None:
            p["attributes"]["TEXCOORD_0"] = prims.texcoord[i]
        by_object.setdefault(oi, []).append(p)
    tri_index = {oid: k for k, oid in enumerate(tri.object_ids)}
    roots, children = object_forest(model)
    node_of: dict[str, int] = {}
    nodes = gd.doc["nodes"]
    for oid, o in model.objects.items():
        node: dict[str, Any] = {"name": oid, "extras": json_safe({"id": oid, "type": o.type,
                                                                  "attributes": o.attributes})}
        k = tri_index.get(oid)
        if k is not None and k in by_object:
            gd.doc["meshes"].append({"name": oid, "primitives": by_object[k]})
            node["mesh"] = len(gd.doc["meshes"]) - 1
        node_of[oid] = len(nodes)
        nodes.append(node)
    for oid, cs in children.items():
        if cs:
            nodes[node_of[oid]]["children"] = [node_of[c] for c in cs]
    gd.doc["scenes"][0]["nodes"] = [node_of[r] for r in roots]
    gd.doc["asset"]["extras"] = {"citytwin": {
        "origin": [float(x) for x in origin],
        "crs": model.crs.to_string() if model.crs is not None else None,
        "up": "Y",
        "note": "model coordinates = (x, -z, y) of a position + origin",
        "source": Path(str(model.source.get("path", ""))).name or None}}
    return gd


def write_gltf(model: CityModel, path: str | Path, precision: float | None = None,
               lod: str | None = None) -> None:
    """Write ``model`` as .glb (binary) or .gltf (JSON with an embedded buffer), atomically.

    Parameters
    ----------
    precision : ignored (positions are float32 relative to the local origin: about 0.1 mm
        within a few km)
    lod : LoD to write per object (default: each object's highest)
    """
    from citytwin.io.atomic import atomic_write_bytes

    path = Path(path)
    gd = build_gltf(model, lod=lod)
    atomic_write_bytes(path, gd.gltf_json() if path.suffix.lower() == ".gltf" else gd.glb())
