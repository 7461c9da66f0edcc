"""Per-surface data of CityJSON geometries: semantics, materials and textures, and the
``appearance`` (materials, textures, texture vertices) their indices point into.

Nested per-surface values (one level per boundary depth) are flattened to one array per
geometry and checked against the surfaces and the appearance; anything malformed is dropped
with an error in ``model.problems`` (kept verbatim in ``geometry.extra`` where writing it back
matters), never an exception.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from citytwin.errors import InputError, ProblemLog
from citytwin.semantics.geometry import Geometry, MaterialMap, Semantics, TextureMap
from citytwin.semantics.model import Appearance, CityModel


def parse_appearance(app: Any, path, problems: ProblemLog) -> Appearance:
    if not app:
        return Appearance()
    if not isinstance(app, dict):
        raise InputError(path, "\"appearance\" is not an object")
    lists = {}
    for key in ("materials", "textures"):
        items = app.get(key) or []
        if not isinstance(items, list) or not all(isinstance(x, dict) for x in items):
            problems.report(None, f"\"appearance.{key}\" is not a list of objects; all {key} ignored", "error")
            items = []
        lists[key] = list(items)
    a = Appearance(materials=lists["materials"], textures=lists["textures"],
                   default_theme_material=app.get("default-theme-material"),
                   default_theme_texture=app.get("default-theme-texture"),
                   extra={k: v for k, v in app.items() if k not in {
                       "materials", "textures", "vertices-texture", "default-theme-material",
                       "default-theme-texture"}})
    tv = app.get("vertices-texture") or []
    try:
        a.texture_vertices = np.asarray(tv, dtype=np.float64).reshape(-1, 2)
        if not np.all(np.isfinite(a.texture_vertices)) or (
                len(a.texture_vertices) and np.abs(a.texture_vertices).max() > 1e6):
            raise ValueError("not finite")
    except (ValueError, TypeError, OverflowError):
        problems.report(None, "\"vertices-texture\" is not a list of [u, v] finite numbers; textures ignored",
                        "error")
        a.texture_vertices = np.zeros((0, 2))
        a.textures = []
    return a


class SurfaceData:
    """Reads the ``semantics``, ``material`` and ``texture`` of CityJSON geometries into arrays.

    Attributes
    ----------
    model : the model being read (its problems and appearance)
    bases : (materials, textures, texture vertices) before the CityJSONFeature being read: its own
        appearance indices are offset by these
    """

    def __init__(self, model: CityModel) -> None:
        self.model = model
        self.bases: tuple[int, int, int] = (0, 0, 0)

    def attach(self, geom: Geometry, g: dict, nsurf: int, rings: list, surfaces: list | None,
                        oid: str, gi: int, typ: str) -> None:
        depth = {"MultiLineString": 1, "MultiSurface": 1, "CompositeSurface": 1, "Solid": 2,
                 "MultiSolid": 3, "CompositeSolid": 3}[typ]
        if "semantics" in g:
            geom.semantics = self.semantics(g["semantics"], nsurf, oid, gi, depth, None)
        for theme, m in self._themes(g, "material", oid, gi).items():
            mm = self._material(m, nsurf, depth, oid, gi, theme)
            if mm is not None:
                geom.materials[theme] = mm
            else:  # kept verbatim so writing the model back loses nothing
                geom.extra.setdefault("material", {})[theme] = m
        for theme, t in self._themes(g, "texture", oid, gi).items():
            tm = self._texture(t, surfaces if surfaces is not None else [[r] for r in rings], rings,
                               depth, oid, gi, theme)
            if tm is not None:
                geom.textures[theme] = tm
            else:
                geom.extra.setdefault("texture", {})[theme] = t

    def _themes(self, g: dict, key: str, oid: str, gi: int) -> dict:
        """The ``material``/``texture`` member of geometry ``g`` as ``{theme: object}``.

        Since CityJSON 0.3 both are objects of themes. A flat list of per-surface material indices
        (the 0.2 encoding, found in files that declare 1.0) is read as one theme, named by the
        file's ``default-theme-material`` or ``"default"``, with a warning; anything else that is
        not an object is dropped with an error problem (never an exception).
        """
        v = g.get(key)
        if v is None or isinstance(v, dict):
            return v or {}
        if key == "material" and isinstance(v, list) and all(
                x is None or (isinstance(x, int) and not isinstance(x, bool)) for x in v):
            theme = self.model.appearance.default_theme_material or "default"
            self.model.problems.report(
                oid, f"material is a list (the CityJSON 0.2 encoding, invalid since 0.3): read as "
                f"theme {theme!r}", "warning", geometry=gi)
            return {theme: {"values": v}}
        self.model.problems.report(oid, f"{key} is not an object of themes (dropped)", "error", geometry=gi)
        return {}

    def _flatten_values(self, values: Any, depth: int, counts: list[int] | None) -> list:
        """Flatten nested per-surface values to a list (None -> -1)."""
        if depth == 1:
            return [(-1 if v is None else v) for v in values]
        out: list = []
        for v in values:
            if v is None:
                raise ValueError("null in the place of a list")
            out.extend(self._flatten_values(v, depth - 1, None))
        return out

    def semantics(self, sem: Any, n: int, oid: str, gi: int, depth: int, counts) -> Semantics | None:
        problems = self.model.problems
        if not isinstance(sem, dict) or not isinstance(sem.get("surfaces", []), list):
            problems.report(oid, "semantics are malformed (dropped)", "error", geometry=gi)
            return None
        surfaces = [dict(s) if isinstance(s, dict) else {"type": str(s)} for s in sem.get("surfaces") or []]
        for s in surfaces:
            if not isinstance(s.get("type"), str):  # e.g. true: every later step sorts or looks types up
                problems.report(oid, f"semantic surface type {s.get('type')!r} is not a string (kept as text)",
                                "error", geometry=gi)
                s["type"] = str(s.get("type"))
        values = sem.get("values")
        try:
            flat = [-1] * n if values is None else self._flatten_values(values, depth, counts)
            vals = np.asarray(flat, dtype=np.int32)
        except (TypeError, ValueError, OverflowError):
            problems.report(oid, "semantic values are malformed or out of range (dropped)", "error", geometry=gi)
            return None
        if len(vals) != n:
            problems.report(oid, f"semantic values give {len(vals)} entries for {n} surfaces (dropped)",
                            "error", geometry=gi)
            return None
        if len(vals) and (vals.max() >= len(surfaces) or vals.min() < -1):
            problems.report(oid, "semantic value refers to a missing semantic surface (dropped)", "error",
                            geometry=gi)
            return None
        return Semantics(surfaces, vals)

    def _material(self, m: Any, n: int, depth: int, oid: str, gi: int, theme: str) -> MaterialMap | None:
        problems = self.model.problems
        nmat = len(self.model.appearance.materials)
        if not isinstance(m, dict):
            problems.report(oid, f"material theme {theme!r} is malformed (dropped)", "error", geometry=gi)
            return None
        try:
            if "value" in m:
                v = m["value"]
                vals = np.full(n, -1 if v is None else int(v), dtype=np.int32)
                uniform = True
            else:
                vals = np.asarray(self._flatten_values(m.get("values") or [], depth, None), dtype=np.int32)
                uniform = False
        except (TypeError, ValueError, OverflowError):
            problems.report(oid, f"material theme {theme!r} has malformed values (dropped)", "error",
                            geometry=gi)
            return None
        if self.bases[0]:
            vals = np.where(vals >= 0, vals + self.bases[0], vals)
        if len(vals) != n:
            problems.report(oid, f"material theme {theme!r} gives {len(vals)} values for {n} surfaces "
                            "(dropped)", "error", geometry=gi)
            return None
        if len(vals) and (vals.max() >= nmat or vals.min() < -1):
            problems.report(oid, f"material theme {theme!r} refers to a missing material (dropped)",
                            "error", geometry=gi)
            return None
        return MaterialMap(vals, uniform)

    def _texture(self, t: Any, surfaces: list, rings: list, depth: int, oid: str, gi: int,
                 theme: str) -> TextureMap | None:
        problems = self.model.problems
        app = self.model.appearance
        ntex, nuv = len(app.textures), len(app.texture_vertices)
        try:
            surf_vals = self._flatten_values(t["values"], depth, None)
        except (TypeError, KeyError, ValueError):
            problems.report(oid, f"texture theme {theme!r} is malformed (dropped)", "error", geometry=gi)
            return None
        if len(surf_vals) != len(surfaces):
            problems.report(oid, f"texture theme {theme!r} gives {len(surf_vals)} surfaces for "
                            f"{len(surfaces)} (dropped)", "error", geometry=gi)
            return None
        ring_tex = np.full(len(rings), -1, dtype=np.int32)
        uv: list[int] = []
        k = 0
        for sv, surf in zip(surf_vals, surfaces):
            if sv == -1 or sv is None or (isinstance(sv, list) and len(sv) == 1 and len(surf) > 1
                                          and (not sv[0] or sv[0][0] is None)):
                sv = [[None]] * len(surf)  # an untextured surface, holes included
            if not isinstance(sv, list) or len(sv) != len(surf):
                problems.report(oid, f"texture theme {theme!r}: a surface has {len(sv) if isinstance(sv, list) else 0}"
                                f" ring values for {len(surf)} rings (dropped)", "error", geometry=gi)
                return None
            for rv, ring in zip(sv, surf):
                if not rv or rv[0] is None:
                    uv.extend([-1] * len(ring))
                    k += 1
                    continue
                if len(rv) != len(ring) + 1 or not all(isinstance(x, int) and not isinstance(x, bool)
                                                        for x in rv):
                    problems.report(oid, f"texture theme {theme!r}: ring {k} has {len(rv) - 1} texture "
                                    f"coordinates for {len(ring)} vertices or non-integer values (dropped)",
                                    "error", geometry=gi)
                    return None
                ring_tex[k] = rv[0]
                uv.extend(rv[1:])
                k += 1
        uva = np.asarray(uv, dtype=np.int32)
        if self.bases[1] or self.bases[2]:
            ring_tex = np.where(ring_tex >= 0, ring_tex + self.bases[1], ring_tex).astype(np.int32)
            uva = np.where(uva >= 0, uva + self.bases[2], uva).astype(np.int32)
        if (len(ring_tex) and (ring_tex.max() >= ntex)) or (len(uva) and uva.max() >= nuv):
            problems.report(oid, f"texture theme {theme!r} refers to a missing texture or texture "
                            "vertex (dropped)", "error", geometry=gi)
            return None
        return TextureMap(ring_tex, uva)
