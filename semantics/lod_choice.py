"""Which LoD each object shows when no LoD is asked for ("highest"): one LoD per object.

An object's highest LoD is not enough when its parts carry a finer LoD than the object itself:
an IFC building gets a generated LoD 2.2 envelope while its walls, slabs, windows and doors are
its LoD 3 children, and drawing both puts the envelope over the windows (coincident faces
z-fight). The rule, per object:

- it shows its own highest LoD, unless
- its descendants carry a higher LoD *and* together span the object in plan (their bounding
  box covers at least :data:`SPAN_SHARE` of the object's width and depth): then the parts are a
  finer version of the whole and the object's own coarser geometry is left out.

A CityGML building with LoD 2 walls and one LoD 3 chimney keeps its LoD 2 geometry (the chimney
does not span it); an IFC building whose LoD 3 elements make up the whole house shows only them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:  # pragma: no cover
    from citytwin.semantics.model import CityModel, CityObject

#: Share of the object's plan extent (in x and in y) the finer parts must cover to replace it.
SPAN_SHARE = 0.9


def _source(model: "CityModel", g):
    """The geometry holding ``g``'s surfaces and LoD (its template for an instance)."""
    return model.templates[g.template] if g.is_instance and g.template is not None and \
        g.template < len(model.templates) else g


def _surface_lods(model: "CityModel", obj: "CityObject") -> list[str]:
    out = []
    for g in obj.geometry:
        gg = _source(model, g)
        if gg.has_surfaces and gg.lod is not None:
            out.append(gg.lod)
    return out


def _plan_box(model: "CityModel", obj: "CityObject", lod: str) -> np.ndarray | None:
    """[minx, miny, maxx, maxy] of ``obj``'s surface geometries of LoD ``lod`` (None if empty)."""
    pts = []
    for g in obj.geometry:
        gg = _source(model, g)
        if gg.lod != lod or not gg.has_surfaces:
            continue
        p = model._instance_used_vertices(g) if g.is_instance else model.geometry_vertices(g)
        if len(p):
            pts.append(np.asarray(p)[:, :2])
    if not pts:
        return None
    a = np.concatenate(pts)
    return np.concatenate([a.min(axis=0), a.max(axis=0)])


def highest_lods(model: "CityModel", ids: list[str] | None = None) -> dict[str, str | None]:
    """The LoD each object shows when "highest" is asked for (None: the object shows nothing).

    Parameters
    ----------
    model : the city model
    ids : objects to decide for (default: all)

    Returns
    -------
    dict object id -> LoD string (its own highest surface LoD) or None (no surface geometry, or
    replaced by finer descendants that span it, see the module docstring).
    """
    from citytwin.semantics.model import _lod_key

    objects = model.objects
    own: dict[str, str | None] = {}
    for oid, o in objects.items():
        lods = _surface_lods(model, o)
        own[oid] = max(lods, key=_lod_key) if lods else None

    # the highest LoD below each object (iterative post-order; cycles are cut)
    below: dict[str, str | None] = {}

    def finest_below(root: str) -> str | None:
        stack = [(root, False)]
        on_path: set[str] = set()
        while stack:
            oid, done = stack.pop()
            if done:
                on_path.discard(oid)
                best = None
                for c in objects[oid].children:
                    if c not in objects or c in on_path:
                        continue
                    for cand in (own.get(c), below.get(c)):
                        if cand is not None and (best is None or _lod_key(cand) > _lod_key(best)):
                            best = cand
                below[oid] = best
                continue
            if oid in below:
                continue
            on_path.add(oid)
            stack.append((oid, True))
            for c in objects[oid].children:
                if c in objects and c not in below and c not in on_path:
                    stack.append((c, False))
        return below.get(root)

    out: dict[str, str | None] = {}
    for oid in (objects.keys() if ids is None else ids):
        mine = own.get(oid)
        if mine is None:
            out[oid] = None
            continue
        if not objects[oid].children:
            out[oid] = mine
            continue
        finer = finest_below(oid)
        if finer is None or _lod_key(finer) <= _lod_key(mine):
            out[oid] = mine
            continue
        out[oid] = None if _spanned(model, oid, mine, finer) else mine
    return out


def _spanned(model: "CityModel", oid: str, mine: str, finer: str) -> bool:
    """Do ``oid``'s descendants of LoD ``finer`` span its own LoD ``mine`` geometry in plan?"""
    box = _plan_box(model, model.objects[oid], mine)
    if box is None:
        return False
    boxes = [b for d in model.descendants(oid) if d in model.objects
             for b in [_plan_box(model, model.objects[d], finer)] if b is not None]
    if not boxes:
        return False
    b = np.array(boxes)
    lo, hi = b[:, :2].min(axis=0), b[:, 2:].max(axis=0)
    size = box[2:] - box[:2]
    covered = np.minimum(hi, box[2:]) - np.maximum(lo, box[:2])
    return bool(np.all(covered >= SPAN_SHARE * size))
