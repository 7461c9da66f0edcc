"""Wavefront OBJ + MTL writer, for Blender / Rhino / SketchUp users.

Each city object with surfaces is an ``o <id>`` group; each semantic surface type is a material
(``usemtl RoofSurface``, coloured like the viewport: roofs red, walls light grey, ...), and each
texture image a material with ``map_Kd`` (the image path relative to the OBJ, copied beside it by
``convert``). Coordinates are the model's minus a whole-metre origin near its centre (recorded in
the header comment; add it back for model coordinates), Z up as in the model, 0.1 mm
precision by default. Text is formatted with one ``%`` operation per block of lines, not per
vertex.
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np

from citytwin.io.gltf.build import OTHER, SEMANTIC_COLORS, group_triangles
from citytwin.io.gltf.writer import model_origin
from citytwin.semantics.model import CityModel

_BLOCK = 200_000


def _lines(fmt: str, rows: np.ndarray) -> str:
    """``fmt`` applied to every row of ``rows`` (2D), in blocks (one C-level ``%`` per block)."""
    out = []
    flat_width = rows.shape[1]
    for a in range(0, len(rows), _BLOCK):
        block = rows[a:a + _BLOCK]
        out.append((fmt * len(block)) % tuple(block.reshape(-1).tolist()))
    return "".join(out) if flat_width else ""


def _safe(name: str) -> str:
    """An OBJ/MTL name without whitespace (names are whitespace-delimited)."""
    return "_".join(str(name).split()) or "_"


def write_obj(model: CityModel, path: str | Path, precision: float | None = None, lod: str | None = None) -> None:
    """Write ``model`` as ``path`` (.obj) plus ``path`` with ``.mtl``, both atomically.

    Parameters
    ----------
    precision : metres per coordinate step (default 0.0001); sets the decimals written
    lod : LoD to write per object (default: each object's highest)
    """
    from citytwin.io.atomic import atomic_write_text
    from citytwin.semantics.surfaces import semantic_name

    path = Path(path)
    mtl_path = path.with_suffix(".mtl")
    tri = model.triangulate(lod=lod)
    origin = model_origin(tri)
    app = model.appearance
    textured = tri.texture_index is not None and tri.uv is not None
    tex = tri.texture_index.astype(np.int64) if textured else np.full(len(tri.triangles), -1, np.int64)
    key = np.where(tex >= 0, tex, -1 - tri.semantic_type.astype(np.int64))
    groups = group_triangles(tri.triangles, np.stack([tri.object_index, key], axis=1),
                             tri.uv if textured else None, flip_v=False)
    decimals = max(0, min(9, int(round(-np.log10(precision))) if precision else 4))
    f = f"%.{decimals}f"
    local = tri.vertices[groups.vertex_id] - origin

    materials: dict[int, str] = {}
    mtl = ["# citytwin: semantic surface colours and texture images", ""]
    for k in sorted(set(groups.keys[:, 1].tolist())):
        if k >= 0:
            img = str(app.textures[k].get("image", ""))
            name = _safe(f"texture_{k}_{Path(img).stem}")
            src = app.image_path(k)
            rel = img if img and not os.path.isabs(img) and "://" not in img else (src or img)
            mtl += [f"newmtl {name}", "Ka 0 0 0", "Kd 1 1 1", "Ks 0 0 0", "d 1", "illum 1", f"map_Kd {rel}", ""]
        else:
            sem = semantic_name(-1 - k)
            name = _safe(sem or "NoSemantics")
            r, g, b = (c / 255 for c in SEMANTIC_COLORS.get(sem, OTHER))
            mtl += [f"newmtl {name}", "Ka 0 0 0", f"Kd {r:.4f} {g:.4f} {b:.4f}", "Ks 0 0 0", "d 1", "illum 1", ""]
        materials[k] = name

    crs = model.crs.to_string() if model.crs is not None else "unknown"
    head = [f"# citytwin OBJ export of {Path(str(model.source.get('path', ''))).name or 'a city model'}",
            f"# CRS {crs}; Z up; coordinates are model coordinates minus the origin",
            f"# origin {origin[0]:.3f} {origin[1]:.3f} {origin[2]:.3f}",
            f"mtllib {mtl_path.name}", ""]
    body = [_lines(f"v {f} {f} {f}\n", local)]
    has_uv = groups.uv is not None
    if has_uv:
        body.append(_lines("vt %.6f %.6f\n", groups.uv.astype(np.float64)))
    # corner indices, 1-based, global over the file
    tri_group = np.repeat(np.arange(len(groups.keys)), np.diff(groups.tri_start))
    corners = groups.indices.astype(np.int64) + groups.vert_start[:-1][tri_group][:, None] + 1
    plain = _lines("f %d %d %d\n", corners).splitlines(keepends=True)
    with_uv = (_lines("f %d/%d %d/%d %d/%d\n", np.repeat(corners, 2, axis=1)).splitlines(keepends=True)
               if has_uv else plain)
    prev = -1
    for i, (oi, k) in enumerate(groups.keys.tolist()):
        if oi != prev:
            body.append(f"o {_safe(tri.object_ids[oi])}\n")
            prev = oi
        body.append(f"usemtl {materials[k]}\n")
        a, b = int(groups.tri_start[i]), int(groups.tri_start[i + 1])
        body.append("".join((with_uv if k >= 0 else plain)[a:b]))
    atomic_write_text(mtl_path, "\n".join(mtl))
    atomic_write_text(path, "\n".join(head) + "".join(body))
