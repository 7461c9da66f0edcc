"""Which parts of a model's appearance its geometries use, and a model cut down to those.

A model from ``subset``/``filter_lod`` (``convert --bbox``, ``--types``, ``--lod``) shares its
input's appearance, as it shares the vertex pool: written as it is, 4 of 16 textured buildings
carried all 74 textures and 1000 texture vertices of the file (and their images were looked
for). :func:`prune_appearance` gives such a model its own appearance with only what its objects
use, renumbered. Writers write a model's appearance whole (a file converted as a whole keeps
even its unused materials: lossless).
"""

from __future__ import annotations

import numpy as np

from citytwin.semantics.geometry import Geometry, MaterialMap, TextureMap
from citytwin.semantics.model import Appearance, CityModel


def appearance_use(model: CityModel, geometries: list[Geometry] | None = None
                   ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Which textures, materials and texture vertices ``geometries`` use.

    Parameters
    ----------
    model : the model whose ``appearance`` the geometries index
    geometries : default: every geometry of every object; the templates count when an instance
        is among them

    Returns
    -------
    (textures (t,) bool, materials (m,) bool, texture vertices (u,) bool)
    """
    a = model.appearance
    if geometries is None:
        geometries = [g for o in model.objects.values() for g in o.geometry]
    tex = np.zeros(len(a.textures), dtype=bool)
    mat = np.zeros(len(a.materials), dtype=bool)
    uv = np.zeros(len(a.texture_vertices), dtype=bool)
    geoms = list(geometries)
    if any(g.is_instance for g in geoms):
        geoms += list(model.templates)
    for g in geoms:
        for mm in g.materials.values():
            mat[mm.values[(mm.values >= 0) & (mm.values < len(mat))]] = True
        for tm in g.textures.values():
            tex[tm.ring_texture[(tm.ring_texture >= 0) & (tm.ring_texture < len(tex))]] = True
            uv[tm.uv[(tm.uv >= 0) & (tm.uv < len(uv))]] = True
    return tex, mat, uv


def _remap(used: np.ndarray) -> np.ndarray:
    """Old index -> new index (-1 when unused), with one extra slot so that -1 maps to -1."""
    r = np.full(len(used) + 1, -1, dtype=np.int64)
    r[np.nonzero(used)[0]] = np.arange(int(used.sum()))
    return r


def _apply(r: np.ndarray, v: np.ndarray) -> np.ndarray:
    return r[np.where((v >= 0) & (v < len(r) - 1), v, -1)].astype(v.dtype)


def prune_appearance(model: CityModel) -> tuple[int, int, int]:
    """Give ``model`` an appearance with only what its objects use, in place.

    The geometries that carry materials or textures are replaced by remapped copies (the input
    model they may be shared with is left as it was). Returns the numbers of textures,
    materials and texture vertices left out.
    """
    a = model.appearance
    if a.is_empty() and not len(a.texture_vertices):
        return 0, 0, 0
    tex, mat, uv = appearance_use(model)
    if tex.all() and mat.all() and uv.all():
        return 0, 0, 0
    rt, rm, ru = _remap(tex), _remap(mat), _remap(uv)

    def remapped(g: Geometry) -> Geometry:
        if not g.materials and not g.textures:
            return g
        c = g.copy()
        c.materials = {k: MaterialMap(_apply(rm, m.values), m.uniform) for k, m in g.materials.items()}
        c.textures = {k: TextureMap(_apply(rt, t.ring_texture), _apply(ru, t.uv)) for k, t in g.textures.items()}
        return c

    for o in model.objects.values():
        if any(g.materials or g.textures for g in o.geometry):
            o.geometry = [remapped(g) for g in o.geometry]
    if model.templates and any(g.materials or g.textures for g in model.templates):
        model.templates = [remapped(g) for g in model.templates]
    model.appearance = Appearance(
        materials=[m for m, k in zip(a.materials, mat) if k], textures=[t for t, k in zip(a.textures, tex) if k],
        texture_vertices=a.texture_vertices[uv], base_path=a.base_path, image_roots=list(a.image_roots),
        default_theme_material=a.default_theme_material, default_theme_texture=a.default_theme_texture,
        extra=dict(a.extra))
    model.touch()  # the cached triangulated view holds texture indices
    return int((~tex).sum()), int((~mat).sum()), int((~uv).sum())
