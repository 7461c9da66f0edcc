"""Build the triangulated view (:class:`~citytwin.mesh.triangles.TriangleMesh`) of a model.

All chosen polygons of the whole model are gathered into one flat polygon soup and
triangulated in one call; problems (degenerate, non-planar polygons) are recorded per object.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from citytwin.progress import ProgressArg, report, scaled
from citytwin.mesh.triangles import TriangleMesh, local_origin
from citytwin.mesh.triangulate import OK, STATUS_MESSAGES, triangulate_polygons
from citytwin.semantics.geometry import Geometry
from citytwin.semantics.orientation import WRONG_ORIENTATION, shell_labels, wrong_shells
from citytwin.semantics.surfaces import semantic_code

if TYPE_CHECKING:  # pragma: no cover
    from citytwin.semantics.model import CityModel


#: Objects gathered between two progress reports (about 50 ms of work).
_REPORT_OBJECTS = 1024
#: Share of the work spent gathering the polygons (the rest: triangulating them), measured on
#: tiled 3D BAG files: about 0.45.
_GATHER_SHARE = 0.45


def choose_geometries(model: "CityModel", obj, lod: str | None,
                      highest: dict[str, str | None] | None = None) -> list[tuple[int, Geometry]]:
    """The (index, geometry) pairs of ``obj`` to triangulate: LoD ``lod``, or the highest one.

    ``highest`` (from :func:`citytwin.semantics.lod_choice.highest_lods`) says which LoD each
    object shows when ``lod`` is None, so that an object whose finer parts replace it shows
    nothing; without it each object takes its own highest LoD.
    """
    from citytwin.semantics.model import _lod_key, _lod_matches

    cands = []
    for i, g in enumerate(obj.geometry):
        gg = model.templates[g.template] if g.is_instance and g.template is not None and \
            g.template < len(model.templates) else g
        if not gg.has_surfaces:
            continue
        cands.append((i, g, gg.lod))
    if not cands:
        return []
    if lod is not None:
        return [(i, g) for i, g, gl in cands if _lod_matches(gl, lod)]
    if highest is not None:
        best = highest.get(obj.id)
        return [] if best is None else [(i, g) for i, g, gl in cands if gl == best]
    best = max((gl for _, _, gl in cands if gl is not None), key=_lod_key, default=None)
    return [(i, g) for i, g, gl in cands if gl == best]


def triangulate_model(model: "CityModel", lod: str | None = None, theme: str | None = None,
                      object_ids: list[str] | None = None,
                      on_progress: ProgressArg | None = None) -> TriangleMesh:
    """Triangulate every surface geometry of the model (one LoD per object).

    Parameters
    ----------
    model : the city model
    lod : LoD to take per object, None for each object's highest (one LoD per object: an object
        whose finer parts span it is left out, see :mod:`citytwin.semantics.lod_choice`)
    theme : texture theme for UVs (default: the appearance's default theme, else the first seen)
    object_ids : restrict to these objects (default: all)
    on_progress : called with the fraction done every ``_REPORT_OBJECTS`` objects while gathering
        the polygons and after each block of the triangulation; it may raise to stop (nothing
        is then added to ``model.problems``)

    Returns
    -------
    TriangleMesh; problems are added to ``model.problems``.
    """
    ids = list(model.objects.keys()) if object_ids is None else list(object_ids)
    if theme is None:
        theme = model.appearance.default_theme_texture
    mat_theme = model.appearance.default_theme_material

    extra_vertices: list[np.ndarray] = []
    n_pool = len(model.vertices)
    parts_idx, parts_ro, parts_so = [], [], []
    surf_obj, surf_geom, surf_local, surf_sem = [], [], [], []
    parts_uv, parts_ringtex, parts_mat = [], [], []
    parts_shell, parts_ext, shell_owner = [], [], []  # shell of each surface; owner (obj, geom)
    n_shell = 0
    any_tex = False
    any_mat = False
    n_corner = n_ring = 0
    object_types = []
    n_ids = max(len(ids), 1)
    highest = None
    if lod is None:
        from citytwin.semantics.lod_choice import highest_lods
        highest = highest_lods(model, ids)
    for oi, oid in enumerate(ids):
        if on_progress is not None and oi % _REPORT_OBJECTS == 0:
            report(on_progress, _GATHER_SHARE * oi / n_ids)
        obj = model.objects[oid]
        object_types.append(obj.type)
        for gi, g in choose_geometries(model, obj, lod, highest):
            if g.is_instance:
                t = model.templates[g.template]
                placed = model.instance_vertices(g)
                extra_vertices.append(placed)
                idx = t.indices + n_pool
                n_pool += len(placed)
                src = t
            else:
                idx = g.indices
                src = g
            if src.surface_offsets is None or src.n_surfaces == 0:
                continue
            ns = src.n_surfaces
            parts_idx.append(idx)
            parts_ro.append(src.ring_offsets[:-1] + n_corner)
            parts_so.append(src.surface_offsets[:-1] + n_ring)
            surf_obj.append(oi)
            surf_geom.append(gi)
            surf_local.append(ns)
            if src.semantics is not None:
                codes = np.array([semantic_code(s.get("type")) for s in src.semantics.surfaces] + [0],
                                 dtype=np.int16)
                surf_sem.append(codes[src.semantics.values])  # -1 -> last entry (0)
            else:
                surf_sem.append(ns)
            tex = None
            if src.textures:
                th = theme if theme in src.textures else (None if theme else next(iter(src.textures)))
                if th is not None:
                    tex = src.textures[th]
                    theme = th
            if tex is not None:
                any_tex = True
                parts_uv.append(tex.uv)
                parts_ringtex.append(tex.ring_texture)
            else:
                parts_uv.append(len(idx))
                parts_ringtex.append(src.n_rings)
            mm = None
            if src.materials:
                mt = mat_theme if mat_theme in src.materials else next(iter(src.materials))
                mm = src.materials[mt]
            if mm is not None:
                any_mat = True
                parts_mat.append(mm.values.astype(np.int32))
            else:
                parts_mat.append(ns)
            lab = shell_labels(src.shell_offsets, src.solid_offsets, ns)
            if lab is None:
                parts_shell.append(ns)
            else:
                parts_shell.append(np.where(lab[0] >= 0, lab[0] + n_shell, -1))
                parts_ext.append(lab[1])
                shell_owner.extend([(oi, gi)] * len(lab[1]))
                n_shell += len(lab[1])
            n_corner += len(idx)
            n_ring += src.n_rings

    vertices = model.vertices if not extra_vertices else np.concatenate([model.vertices, *extra_vertices])
    if not parts_idx:
        return TriangleMesh(vertices, np.zeros((0, 3), np.int64), np.zeros(0, np.int32),
                            np.zeros(0, np.int32), np.zeros(0, np.int32), np.zeros(0, np.int16),
                            ids, object_types, local_origin(vertices[:0]))
    indices = np.concatenate(parts_idx)
    ring_offsets = np.concatenate([*parts_ro, [n_corner]]).astype(np.int64)
    surface_offsets = np.concatenate([*parts_so, [n_ring]]).astype(np.int64)
    counts = np.asarray(surf_local, dtype=np.int64)
    s_obj = np.repeat(np.asarray(surf_obj, dtype=np.int32), counts)
    s_geom = np.repeat(np.asarray(surf_geom, dtype=np.int32), counts)
    starts = np.concatenate([[0], np.cumsum(counts)[:-1]])
    s_local = (np.arange(int(counts.sum()), dtype=np.int64) - np.repeat(starts, counts)).astype(np.int32)
    s_sem = _concat_or_fill(surf_sem, np.int16, 0)

    used = vertices[indices]
    origin = local_origin(used)
    tri = triangulate_polygons(vertices, indices, ring_offsets, surface_offsets, origin=origin,
                               on_progress=scaled(on_progress, _GATHER_SHARE, 0.97))

    bad = np.nonzero(tri.status != OK)[0]
    for j in bad[:5000].tolist():
        code = int(tri.status[j])
        model.problems.report(ids[s_obj[j]], STATUS_MESSAGES[code],
                              "error" if code in (1, 2) else "warning",
                              geometry=int(s_geom[j]), surface=int(s_local[j]))
    if len(bad) > 5000:
        model.problems.report(None, f"{len(bad) - 5000} more polygon problems not listed")

    surf = tri.surface
    if n_shell:
        _orient_shells(model, ids, vertices, indices, tri.corners, origin,
                       _concat_or_fill(parts_shell, np.int64, -1)[surf], np.concatenate(parts_ext),
                       shell_owner)
    uv = tex_idx = mat_idx = None
    if any_tex:
        uv_all = _concat_or_fill(parts_uv, np.int32, -1)
        corner_uv = uv_all[tri.corners]  # (t, 3)
        tv = model.appearance.texture_vertices
        ok = (corner_uv >= 0).all(axis=1)
        uv = np.zeros((len(surf), 3, 2), np.float32)
        if len(tv):
            uv[ok] = tv[corner_uv[ok]]
        ringtex = _concat_or_fill(parts_ringtex, np.int32, -1)
        tex_idx = np.where(ok, ringtex[surface_offsets[:-1][surf]], -1).astype(np.int32)
    if any_mat:
        mat_idx = _concat_or_fill(parts_mat, np.int32, -1)[surf]
    return TriangleMesh(
        vertices=vertices,
        triangles=indices[tri.corners],
        object_index=s_obj[surf],
        geometry_index=s_geom[surf],
        surface_index=s_local[surf],
        semantic_type=s_sem[surf],
        object_ids=ids,
        object_types=object_types,
        origin=origin,
        uv=uv,
        texture_index=tex_idx,
        material_index=mat_idx,
    )


def _orient_shells(model: "CityModel", ids: list[str], vertices: np.ndarray, indices: np.ndarray,
                   corners: np.ndarray, origin: np.ndarray, tri_shell: np.ndarray,
                   exterior: np.ndarray, owner: list[tuple[int, int]]) -> None:
    """Turn (in place) the triangles of closed shells oriented the wrong way; report each.

    ``corners`` (t, 3) int64 are positions into ``indices``; ``tri_shell`` (t,) the shell of each
    triangle (-1 outside solids); ``exterior`` (h,) bool; ``owner`` the (object, geometry) of each
    shell. One problem per wrongly oriented shell plus a file-level count.
    """
    wrong, vol = wrong_shells(vertices - origin, indices[corners], tri_shell, exterior)
    if not wrong.any():
        return
    flip = np.zeros(len(tri_shell), bool)
    ok = tri_shell >= 0
    flip[ok] = wrong[tri_shell[ok]]
    corners[flip] = corners[flip][:, [0, 2, 1]]
    bad = np.nonzero(wrong)[0]
    for h in bad[:5000].tolist():
        oi, gi = owner[h]
        model.problems.report(ids[oi], WRONG_ORIENTATION.format(volume=float(vol[h])), "error",
                              geometry=gi)
    n_solids = len({owner[h] for h in bad.tolist()})
    model.problems.report(None, f"{n_solids} solid(s) ({len(bad)} shell(s)) were oriented "
                          "inside out (signed volume of the wrong sign); their triangles were turned to "
                          "face outward", "warning")


def _concat_or_fill(parts: list, dtype, fill: int) -> np.ndarray:
    """Concatenate arrays, where an int in ``parts`` stands for that many ``fill`` values.

    Runs of ints are merged so that untextured / unsemantic geometries cost nothing per item.
    """
    if all(isinstance(p, (int, np.integer)) for p in parts):
        return np.full(int(sum(parts)), fill, dtype=dtype)
    out = []
    run = 0
    for p in parts:
        if isinstance(p, (int, np.integer)):
            run += int(p)
        else:
            if run:
                out.append(np.full(run, fill, dtype=dtype))
                run = 0
            out.append(np.asarray(p, dtype=dtype))
    if run:
        out.append(np.full(run, fill, dtype=dtype))
    return np.concatenate(out)
