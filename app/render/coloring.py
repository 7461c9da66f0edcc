"""Per-triangle colourings of a triangulated model: semantic, attribute, analysis values.

A :class:`Coloring` says, for each triangle of a :class:`~citytwin.mesh.triangles.TriangleMesh`,
either a direct colour (``rgb``) or a value to push through a colour map (``scalars`` with
``clim``), plus the legend entries or scalar-bar title that explain it. No VTK here: the scene
module hands these arrays to the meshes.
"""

from __future__ import annotations

import os

from dataclasses import dataclass, field
from numbers import Number
from typing import Any

import numpy as np

from citytwin.app.render.palette import (MISSING_COLOR, category_colors, semantic_legend,
                                         semantic_rgb)
from citytwin.mesh.triangles import TriangleMesh
from citytwin.semantics.model import CityModel

#: Categorical attributes with more distinct values than this are shown as "other".
MAX_CATEGORIES = 20


@dataclass(frozen=True)
class Coloring:
    """How to colour the triangles of one layer.

    Attributes
    ----------
    kind : "semantic", "texture", "attribute" (categorical or numeric) or "values" (analysis)
    title : what is coloured (attribute name, "kWh/m2/year", ...)
    rgb : (t, 3) uint8 per-triangle colours, or None when ``scalars`` are used
    scalars : (t,) float64 per-triangle values (NaN = no value), or None
    clim : (min, max) of the colour map for ``scalars``
    cmap : matplotlib colour map name for ``scalars``
    legend : (label, (r, g, b)) entries for categorical colourings
    textured : show textures where the model has them (the other triangles use ``rgb``)
    """

    kind: str
    title: str = ""
    rgb: np.ndarray | None = None
    scalars: np.ndarray | None = None
    clim: tuple[float, float] = (0.0, 1.0)
    cmap: str = "viridis"
    legend: list[tuple[str, tuple[int, int, int]]] = field(default_factory=list)
    textured: bool = False

    @property
    def is_scalar(self) -> bool:
        return self.scalars is not None


def shown_textured(tri: TriangleMesh, texture_paths: list[str | None] | None) -> np.ndarray:
    """(t,) bool: triangles drawn with their texture: they have one and its image file exists
    (the rule :func:`~citytwin.app.render.scene.build_scene` draws by)."""
    out = np.zeros(tri.n_triangles, dtype=bool)
    if tri.texture_index is None or tri.uv is None or not texture_paths:
        return out
    ok = np.array([p is not None and os.path.exists(p) for p in texture_paths], dtype=bool)
    ti = tri.texture_index
    has = (ti >= 0) & (ti < len(ok))
    out[has] = ok[ti[has]]
    return out


def color_semantic(tri: TriangleMesh, textured: bool = False, texture_paths: list[str | None] | None = None
                   ) -> Coloring:
    """Colour by semantic surface type (roofs red, walls light grey, ground dark grey, windows blue).

    ``textured``: textures are shown where the model has them; the legend then explains only the
    colours of the surfaces drawn without a texture (none when every surface has one): those with
    none and, when ``texture_paths`` is given, those whose image file is missing.
    """
    if not textured:
        return Coloring("semantic", "semantic surface type", rgb=semantic_rgb(tri.semantic_type),
                        legend=semantic_legend(tri.semantic_type))
    if texture_paths is not None:
        plain = tri.semantic_type[~shown_textured(tri, texture_paths)]
    else:
        plain = tri.semantic_type if tri.texture_index is None else tri.semantic_type[tri.texture_index < 0]
    return Coloring("texture", "surfaces without texture", rgb=semantic_rgb(tri.semantic_type),
                    legend=semantic_legend(plain), textured=True)


def object_attribute(model: CityModel, object_ids: list[str], name: str) -> list[Any]:
    """Value of attribute ``name`` per object, inherited from the nearest parent that has it.

    (3D BAG keeps attributes on the Building and geometry on its BuildingParts.)
    """
    out: list[Any] = []
    objs = model.objects
    for oid in object_ids:
        o = objs.get(oid)
        val = None
        seen = 0
        while o is not None and seen < 16:
            if name in o.attributes:
                val = o.attributes[name]
                break
            o = objs.get(o.parents[0]) if o.parents else None
            seen += 1
        out.append(val)
    return out


def _is_number(v: Any) -> bool:
    return isinstance(v, Number) and not isinstance(v, bool)


def color_attribute(model: CityModel, tri: TriangleMesh, name: str, cmap: str = "viridis") -> Coloring:
    """Colour by an object attribute: a colour map when its values are numbers, else a palette.

    Objects without the attribute are grey. Raises KeyError when no object has it.
    """
    vals = object_attribute(model, tri.object_ids, name)
    present = [v for v in vals if v is not None]
    if not present:
        raise KeyError(f"no object has the attribute {name!r}")
    if all(_is_number(v) for v in present):
        per_obj = np.array([np.nan if v is None else float(v) for v in vals], dtype=np.float64)
        scal = per_obj[tri.object_index] if len(per_obj) else np.zeros(0)
        finite = per_obj[np.isfinite(per_obj)]
        lo, hi = (float(finite.min()), float(finite.max())) if len(finite) else (0.0, 1.0)
        if hi <= lo:
            hi = lo + 1.0
        return Coloring("attribute", name, scalars=scal, clim=(lo, hi), cmap=cmap)
    labels = [None if v is None else str(v) for v in vals]
    counts: dict[str, int] = {}
    for lab in labels:
        if lab is not None:
            counts[lab] = counts.get(lab, 0) + 1
    cats = sorted(counts, key=lambda k: (-counts[k], k))
    other = len(cats) > MAX_CATEGORIES
    cats = cats[:MAX_CATEGORIES - 1] if other else cats
    colors = category_colors(len(cats) + (1 if other else 0))
    index = {c: i for i, c in enumerate(cats)}
    lut = np.array([*colors, MISSING_COLOR], dtype=np.uint8)
    missing = len(lut) - 1
    other_code = len(cats) if other else missing
    obj_code = np.array([missing if lab is None else index.get(lab, other_code) for lab in labels],
                        dtype=np.int64)
    rgb = lut[obj_code[tri.object_index]] if len(obj_code) else np.zeros((0, 3), np.uint8)
    legend = [(c, colors[i]) for i, c in enumerate(cats)]
    if other:
        legend.append(("(other)", colors[len(cats)]))
    if any(lab is None for lab in labels):
        legend.append(("(missing)", MISSING_COLOR))
    return Coloring("attribute", name, rgb=rgb, legend=legend)


def color_values(values: np.ndarray, title: str, cmap: str = "inferno",
                 clim: tuple[float, float] | None = None) -> Coloring:
    """Colour by per-triangle analysis values ((t,) float, NaN where there is no value)."""
    v = np.asarray(values, dtype=np.float64)
    finite = v[np.isfinite(v)]
    if clim is None:
        lo, hi = (float(finite.min()), float(finite.max())) if len(finite) else (0.0, 1.0)
        clim = (lo, hi if hi > lo else lo + 1.0)
    return Coloring("values", title, scalars=v, clim=clim, cmap=cmap)


def surface_values_to_triangles(tri: TriangleMesh, object_index: np.ndarray, surface_index: np.ndarray,
                                values: np.ndarray) -> np.ndarray:
    """Spread per-sample values onto triangles: each triangle gets the mean over its surface.

    Parameters
    ----------
    tri : the triangulated view the samples were taken on
    object_index, surface_index : (n,) int, which object (index into ``tri.object_ids``) and
        surface each sample lies on
    values : (n,) float, the sample values (kWh/m2, hours, ...)

    Returns
    -------
    (t,) float64 per triangle, NaN on surfaces without samples.
    """
    oi = np.asarray(object_index, dtype=np.int64)
    si = np.asarray(surface_index, dtype=np.int64)
    v = np.asarray(values, dtype=np.float64)
    nsurf = int(max(si.max(initial=0), tri.surface_index.max(initial=0))) + 1
    keys = oi * nsurf + si
    uk, inv = np.unique(keys, return_inverse=True)
    sums = np.bincount(inv, weights=v, minlength=len(uk))
    cnt = np.bincount(inv, minlength=len(uk))
    mean = sums / np.maximum(cnt, 1)
    tkeys = tri.object_index.astype(np.int64) * nsurf + tri.surface_index.astype(np.int64)
    pos = np.searchsorted(uk, tkeys)
    pos = np.clip(pos, 0, max(len(uk) - 1, 0))
    out = np.full(len(tkeys), np.nan)
    if len(uk):
        hit = uk[pos] == tkeys
        out[hit] = mean[pos[hit]]
    return out


def coloring_for(model: CityModel, tri: TriangleMesh, color_by: str | None,
                 textured: bool | None = None) -> Coloring:
    """The colouring named by ``color_by``: "semantic", "texture", the orientation mode
    (:data:`~citytwin.app.render.orientation.ORIENTATION_MODE`) or an attribute name.

    ``textured`` (default: when ``color_by`` is None or "texture") shows textures where present.
    Raises KeyError for an attribute no object has.
    """
    from citytwin.app.render.orientation import ORIENTATION_MODE, color_orientation

    if color_by == ORIENTATION_MODE:  # roof-like / wall-like / ground-like from the normals
        return color_orientation(tri)
    if color_by in (None, "", "semantic", "semantics", "texture"):
        tex = (color_by in (None, "", "texture")) if textured is None else textured
        paths = [model.appearance.image_path(i) for i in range(len(model.appearance.textures))]
        return color_semantic(tri, textured=tex and tri.uv is not None, texture_paths=paths)
    return color_attribute(model, tri, color_by)


def match_surfaces(tri: TriangleMesh, object_index: np.ndarray, surface_index: np.ndarray,
                   geometry_index: np.ndarray | None = None) -> np.ndarray:
    """For each triangle, the row of a surface table it belongs to, or -1.

    Parameters
    ----------
    tri : the triangulated view
    object_index, surface_index : (s,) int, the table's surfaces (object index into
        ``tri.object_ids``, surface index within the geometry)
    geometry_index : (s,) int or None; None matches any geometry of the object

    Returns
    -------
    (t,) int64, row per triangle (-1 where no row matches)
    """
    oi = np.asarray(object_index, dtype=np.int64)
    si = np.asarray(surface_index, dtype=np.int64)
    ns = int(max(si.max(initial=0), tri.surface_index.max(initial=0))) + 1
    use_g = geometry_index is not None
    ng = int(max(np.max(geometry_index, initial=0) if use_g else 0, tri.geometry_index.max(initial=0))) + 1
    gi = np.asarray(geometry_index, dtype=np.int64) if use_g else np.zeros_like(oi)
    keys = (oi * ng + gi) * ns + si
    tg = tri.geometry_index.astype(np.int64) if use_g else np.zeros(len(tri), np.int64)
    tkeys = (tri.object_index.astype(np.int64) * ng + tg) * ns + tri.surface_index.astype(np.int64)
    order = np.argsort(keys, kind="stable")
    sk = keys[order]
    out = np.full(len(tkeys), -1, dtype=np.int64)
    if len(sk) == 0:
        return out
    pos = np.clip(np.searchsorted(sk, tkeys), 0, len(sk) - 1)
    hit = sk[pos] == tkeys
    out[hit] = order[pos[hit]]
    return out
