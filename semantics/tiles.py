"""Tiles: splitting a model on a grid, and a tile with its neighbours' objects as context.

A tiled analysis (solar, shadow) needs the buildings just outside a tile as occluders, or the
edges of the tile come out too sunny. :func:`with_context` builds the scene for one tile: the
tile's own objects, unchanged (same objects, same vertex indices), followed by copies of the
neighbouring tiles' objects whose footprint comes within ``buffer`` metres of the tile. The
caller analyses the scene and writes back only the tile's own objects.
"""

from __future__ import annotations

from typing import Iterable

import numpy as np

from citytwin.semantics.geometry import Geometry
from citytwin.semantics.model import CityModel, CityObject


#: Types that stay as they are in a tile's context: the ground itself (terrain, land use, water, roads).
_GROUND_LIKE = frozenset({"TINRelief", "LandUse", "Road", "Railway", "TransportSquare", "WaterBody", "Waterway",
                          "PlantCover"})


def xy_bounds(model: CityModel) -> np.ndarray | None:
    """[xmin, ymin, xmax, ymax] of the model's used vertices (model CRS), or None when empty."""
    b = model.bbox()
    if not np.all(np.isfinite(b)):
        return None
    return np.array([b[0], b[1], b[3], b[4]], dtype=np.float64)


def _root_boxes(model: CityModel) -> dict[str, np.ndarray]:
    """Per top-level object, [minx, miny, minz, maxx, maxy, maxz] of it and its descendants."""
    boxes = model.object_bboxes()
    return {o.id: boxes[o.id] for o in model.roots() if o.id in boxes}


def split_grid(model: CityModel, size: float, origin: tuple[float, float] | None = None
               ) -> dict[tuple[int, int], CityModel]:
    """Split a model into square tiles of ``size`` metres by the centre of each top-level object.

    Parameters
    ----------
    model : the model (projected CRS, metres)
    size : tile edge, metres
    origin : (x, y) of the grid's lower-left corner; default the model's bbox minimum

    Returns
    -------
    (column, row) -> model holding the objects (with their children) whose centre is in the tile;
    the vertex pool is shared with ``model`` (writers keep only the used vertices)
    """
    if size <= 0:
        raise ValueError("the tile size must be positive")
    roots = _root_boxes(model)
    if not roots:
        return {}
    ids = list(roots)
    b = np.array([roots[i] for i in ids])
    cx, cy = (b[:, 0] + b[:, 3]) / 2, (b[:, 1] + b[:, 4]) / 2
    ox, oy = origin if origin is not None else (b[:, 0].min(), b[:, 1].min())
    col = np.floor((cx - ox) / size).astype(np.int64)
    row = np.floor((cy - oy) / size).astype(np.int64)
    tiles: dict[tuple[int, int], list[str]] = {}
    for oid, c, r in zip(ids, col.tolist(), row.tolist()):
        tiles.setdefault((c, r), []).append(oid)
    return {k: model.subset(v, with_relatives=True) for k, v in sorted(tiles.items())}


def translated(model: CityModel, dx: float, dy: float, dz: float = 0.0) -> CityModel:
    """A copy of ``model`` moved by (dx, dy, dz) in its CRS (objects shared, vertices copied).

    Geographic extents stored per object are dropped (the writers recompute the file's).
    """
    m = model.subset(model.objects.keys(), with_relatives=False)
    m.vertices = model.vertices + np.array([dx, dy, dz], dtype=np.float64)
    m.transform = None if model.transform is None else {
        "scale": list(model.transform["scale"]),
        "translate": [t + d for t, d in zip(model.transform["translate"], (dx, dy, dz))]}
    for o in m.objects.values():
        o.geographical_extent = None
    m.metadata.pop("geographicalExtent", None)
    m.touch()
    return m


def near(model: CityModel, box: np.ndarray) -> list[str]:
    """Ids of top-level objects whose 2D bounding box overlaps ``box`` [xmin, ymin, xmax, ymax]."""
    out = []
    for oid, b in _root_boxes(model).items():
        if b[0] <= box[2] and b[3] >= box[0] and b[1] <= box[3] and b[4] >= box[1]:
            out.append(oid)
    return out


def _shifted_copy(g: Geometry, vmap: np.ndarray, template_base: int) -> Geometry:
    """A copy of ``g`` without appearance, vertex indices mapped through ``vmap``."""
    c = g.copy()
    c.materials, c.textures = {}, {}
    if c.is_instance:
        c.reference_point = int(vmap[c.reference_point])
        c.template = c.template + template_base
    elif len(c.indices):
        c.indices = vmap[c.indices]
    return c


def with_context(model: CityModel, context: Iterable[CityModel], buffer: float,
                 context_type: str | None = None) -> tuple[CityModel, list[str]]:
    """The scene of one tile: its own objects plus its neighbours' objects near it.

    Parameters
    ----------
    model : the tile
    context : neighbouring tiles (reprojected to ``model``'s CRS when both declare one)
    buffer : metres around the tile's 2D bounding box; neighbour objects (with their children)
        whose bounding box overlaps the enlarged box are added, without appearance
    context_type : type given to the added objects except ground-like ones, or None to keep
        theirs; ``"GenericCityObject"`` keeps an analysis that samples buildings only from
        sampling the neighbours, which still occlude

    Returns
    -------
    (scene, own_ids) : a new model whose first objects and vertices are exactly the tile's (its
    CityObjects and geometries are the tile's own, not copies), and the ids of the tile's objects.
    A neighbour object whose id the tile already has is left out (it straddles the edge and the
    tile holds it).
    """
    own = list(model.objects)
    box = xy_bounds(model)
    objects = dict(model.objects)
    verts = [model.vertices]
    tverts = [model.template_vertices]
    templates = list(model.templates)
    nv, ntv = len(model.vertices), len(model.template_vertices)
    if box is not None:
        box = box + np.array([-buffer, -buffer, buffer, buffer])
        for ctx in context:
            if ctx.crs is not None and model.crs is not None and ctx.crs != model.crs:
                ctx = ctx.subset(ctx.objects.keys(), with_relatives=False)
                ctx.reproject(model.crs)
            keep = ctx.subset(near(ctx, box), with_relatives=True)
            keep_ids = [i for i in keep.objects if i not in objects]
            if not keep_ids:
                continue
            keep = keep.subset(keep_ids, with_relatives=False)
            used = keep.used_vertex_mask()
            vmap = np.full(len(keep.vertices), -1, dtype=np.int64)
            vmap[used] = nv + np.arange(int(used.sum()))
            verts.append(keep.vertices[used])
            nv += int(used.sum())
            tbase = len(templates)
            for t in keep.templates:
                tc = t.copy()
                tc.materials, tc.textures = {}, {}
                tc.indices = tc.indices + ntv
                templates.append(tc)
            if len(keep.templates):
                tverts.append(keep.template_vertices)
                ntv += len(keep.template_vertices)
            for oid, o in keep.objects.items():
                objects[oid] = CityObject(
                    id=oid, type=o.type if context_type is None or o.type in _GROUND_LIKE else context_type,
                    attributes=dict(o.attributes),
                    geometry=[_shifted_copy(g, vmap, tbase) for g in o.geometry],
                    parents=list(o.parents), children=list(o.children))
    scene = CityModel(objects=objects, vertices=np.concatenate(verts) if len(verts) > 1 else model.vertices,
                      crs=model.crs, metadata=dict(model.metadata), transform=model.transform,
                      appearance=model.appearance, templates=templates,
                      template_vertices=np.concatenate(tverts) if len(tverts) > 1 else model.template_vertices,
                      extensions=model.extensions, extra=model.extra, source=dict(model.source))
    scene.problems.extend(model.problems)
    return scene, own
