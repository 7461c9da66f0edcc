"""CityGML model assembly: batches of read objects built into geometry, appearances applied.

:class:`~citytwin.io.citygml.features.FeatureReader` records objects and their GML structure;
here a batch of them (:meth:`ModelAssembly.flush`) gets its coordinates parsed in one numpy call,
its xlinks resolved (within the batch and back into earlier ones), thematic surfaces' semantics
lent to the geometries that use their polygons (leftovers become one MultiSurface per LoD, taken
back if a later batch's geometry uses them), implicit geometries turned into templates and
instances, and appearances applied to the polygons they target. :meth:`ModelAssembly.finish`
completes the model (CRS and axis order, object links, ids written by citytwin).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from citytwin.io.citygml.appearance import AppearanceApplier, AppearanceRec
from citytwin.io.citygml.attributes import VALUE_TYPES_ATTRIBUTE, apply_value_types
from citytwin.io.citygml.geometry import GeometryParser, GeomRec, Poly, Ref, RingBatch
from citytwin.io.citygml.geometry_build import build_geometries, build_geometry, resolve_entries, semantics_of
from citytwin.semantics.crs import CRS
from citytwin.semantics.geometry import Geometry, MaterialMap, TextureMap
from citytwin.semantics.model import CityModel, CityObject


class ModelAssembly:
    """Builds the model from batches of read objects (:meth:`flush`) and finishes it (:meth:`finish`).

    Holds what outlives a batch: the vertex chunks, every batch's rings, the polygons and aggregates
    of earlier batches (for xlinks back into them), where each polygon was built (for appearances
    targeting it) and the implicit geometry templates by id.
    """

    def __init__(self, model: CityModel, path: Path, parser: GeometryParser, batch: RingBatch,
                 global_mode: bool | None) -> None:
        self.model = model
        self.path = path
        self.parser = parser
        self.batch = batch
        self._global_mode = global_mode  # None: scanned for when first needed (see global_mode)
        self.chunks: list[np.ndarray] = []
        self.nverts = 0
        # where each polygon was built, by gml:id (or by the Poly itself when it has none)
        self.locate: dict[str | Poly, tuple[Geometry, int, Poly]] = {}
        self.applier = AppearanceApplier(model.appearance, path.parent, model.problems)
        model.appearance.base_path = str(path.parent)
        self.templates_by_id: dict[str, int] = {}
        self.missing_refs = 0
        # every batch's rings (global vertex start, vertex count), for references back into them
        self.ring_start: list[np.ndarray] = []
        self.ring_length: list[np.ndarray] = []
        self.bad_rings: dict[int, str] = {}
        self.earlier_polys: dict[str, Poly] = {}
        self.earlier_groups: dict[str, list] = {}
        # appearance of retracted thematic polygons, waiting for the geometry that now holds them
        self.moving = MovingAppearance(self.applier)
        parser.earlier = (self.earlier_polys, self.earlier_groups)

    @property
    def global_mode(self) -> bool:
        """Does the file have top-level appearances (polygon ids then stay locatable to the end)?

        Scanned for when the first batch is flushed, not before parsing: a file that is
        malformed, truncated or a decompression bomb near its start stops at once with its
        error, instead of after a full extra pass over the (decompressed) stream."""
        if self._global_mode is None:
            from citytwin.io.citygml.probe import has_top_level_appearances

            self._global_mode = has_top_level_appearances(self.path)
        return self._global_mode

    def flush(self, members: list, local_apps: list[AppearanceRec]) -> None:
        """Build the geometries of a batch of objects (``members``: their records) and apply the
        batch's own appearances: coordinates parsed in one call, xlinks resolved (also back into
        earlier batches), thematic leftovers written as MultiSurfaces."""
        base = self.batch.base
        coords, start, length = self.batch.flush(self.nverts)
        if len(coords):
            self.chunks.append(coords)
            self.nverts += len(coords)
        self.ring_start.append(start)
        self.ring_length.append(length)
        self.bad_rings.update(self.batch.bad)
        polys, groups = self.parser.polys, self.parser.groups
        earlier = (self.earlier_polys, self.earlier_groups)
        problems = self.model.problems
        bad = self.batch.bad
        # thematic surfaces that point at polygons of a geometry lend them their semantics
        for st in members:
            for sem, lod, entries in st.thematic:
                for e in entries:
                    if isinstance(e, Ref):
                        missing: list[str] = []
                        # (only lends semantics: the polygon stays where it is, in a geometry or
                        # in its own thematic surface's MultiSurface, so mark=False)
                        for q in resolve_entries([e], polys, groups, missing, 0, earlier, mark=False):
                            if q.sem is None:
                                q.sem = sem
                        for mid in missing:
                            problems.report(st.obj.id, f"unresolvable xlink:href '#{mid}' in a {sem['type']} "
                                            "(skipped)", "error")
        # polygon ids are located only when an appearance may target them
        locate = self.locate if self.global_mode else ({} if local_apps else None)
        jobs: list[tuple[CityObject, GeomRec, list[str]]] = []
        fresh: list[Poly] = []    # polygons of earlier batches first used by a geometry of this one
        for st in members:
            obj = st.obj
            for rec in st.geoms:
                missing = []
                if rec.type != "MultiPoint" and rec.type != "MultiLineString":
                    rec.solids = [[resolve_entries(sh, polys, groups, missing, 0, earlier, True, fresh)
                                   for sh in so] for so in rec.solids]
                    self.missing_refs += len(missing)
                    if not any(sh for so in rec.solids for sh in so):
                        jobs.append((obj, None, missing))    # nothing left to build
                        continue
                jobs.append((obj, rec, missing))
        if fresh:
            self._retract(fresh)
        n_geometry_jobs = len(jobs)
        referable: list[bool] = []   # per thematic leftover job
        # thematic polygons no geometry uses: one MultiSurface per LoD with the semantics
        for st in members:
            if not st.thematic:
                continue
            by_lod: dict[str, list[Poly]] = {}
            for sem, lod, entries in st.thematic:
                for e in entries:
                    if e.__class__ is Poly and not e.used:
                        by_lod.setdefault(lod, []).append(e)
            for lod, ps in by_lod.items():
                jobs.append((st.obj, GeomRec("MultiSurface", lod, [[ps]]), []))
                # can a later batch reference these polygons (by their id or an aggregate's)?
                referable.append(st.grouped or any(p.id is not None for p in ps))
        built = iter(build_geometries([j[1] for j in jobs if j[1] is not None], start, length, base, bad,
                                      self._all_rings))
        for k, (obj, rec, missing) in enumerate(jobs):
            for mid in missing:
                problems.report(obj.id, f"unresolvable xlink:href '#{mid}' (that surface is skipped, "
                                "the rest is kept)", "error", geometry=len(obj.geometry))
            if rec is not None:
                g = self._add_built(obj, rec, next(built), locate)
                if k >= n_geometry_jobs and g is not None and referable[k - n_geometry_jobs]:
                    # a later batch may still take them back (see _retract)
                    ps = rec.solids[0][0]
                    home = [obj, g, ps]
                    for p in ps:
                        p.home = home
        for st in members:
            for lod, matrix, tmpl, tref, rp in st.implicit:
                self._add_instance(st.obj, lod, matrix, tmpl, tref, rp, start, length, base, bad, locate)
        for rec in local_apps:
            self.missing_refs += self.applier.apply(rec, locate, self.batch.ring_ids, self._group_polys)
        self.moving.clear()
        # polygons and aggregates stay findable by id for references back from later batches
        self.earlier_polys.update(polys)
        self.earlier_groups.update(groups)
        self.parser.reset()
        if not self.global_mode:
            self.batch.ring_ids = {}
        self.batch.bad = {}

    def _retract(self, fresh: list[Poly]) -> None:
        """Take thematic polygons that an earlier batch wrote to their owner's MultiSurface (no geometry
        used them then) back out of it, now that a geometry of this batch uses them: each polygon
        is then in the model once, in the referencing geometry, as when both are in one batch.
        A MultiSurface left with no polygon is removed from its object."""
        homes = {id(h): h for h in (getattr(p, "home", None) for p in fresh) if h is not None}
        for h in homes.values():
            obj, g, ps = h
            keep = np.fromiter((not p.used for p in ps), dtype=bool, count=len(ps))
            kept = [p for p, k in zip(ps, keep.tolist()) if k]
            h[2] = kept
            self.moving.keep(g, ps, keep)
            locate = self.locate
            if locate:   # the geometry now holding a removed polygon replaces its entry when built
                for p, k in zip(ps, keep.tolist()):
                    loc = None if k else locate.get(p if p.id is None else p.id)
                    if loc is not None and loc[0] is g:
                        del locate[p if p.id is None else p.id]
            if not kept:
                obj.geometry = [x for x in obj.geometry if x is not g]
                self.applier.moved(g, {})
                continue
            surf_rings = np.diff(g.surface_offsets)
            ring_keep = np.repeat(keep, surf_rings)
            ring_len = np.diff(g.ring_offsets)
            vkeep = np.repeat(ring_keep, ring_len)
            g.indices = g.indices[vkeep]
            g.ring_offsets = np.concatenate([[0], np.cumsum(ring_len[ring_keep])]).astype(np.int64)
            g.surface_offsets = np.concatenate([[0], np.cumsum(surf_rings[keep])]).astype(np.int64)
            g.semantics = semantics_of(kept)
            for mm in g.materials.values():
                mm.values = mm.values[keep]
            for tm in g.textures.values():
                tm.ring_texture, tm.uv = tm.ring_texture[ring_keep], tm.uv[vkeep]
            new_j = {id(p): j for j, p in enumerate(kept)}
            self.applier.moved(g, new_j)
            if locate:   # surface indices of the kept polygons shifted
                for j, p in enumerate(kept):
                    key = p if p.id is None else p.id
                    loc = locate.get(key)
                    if loc is not None and loc[0] is g:
                        locate[key] = (g, j, p)

    def _group_polys(self, gid: str) -> list[Poly] | None:
        """The polygons of the aggregate (MultiSurface, CompositeSurface, Shell, Solid...) with gml:id
        ``gid``, of this batch or an earlier one, or None when no aggregate has that id."""
        entries = self.parser.groups.get(gid)
        if entries is None:
            entries = self.earlier_groups.get(gid)
        if entries is None:
            return None
        return resolve_entries(entries, self.parser.polys, self.parser.groups, [], 0,
                               (self.earlier_polys, self.earlier_groups), mark=False)

    def _all_rings(self) -> tuple[np.ndarray, np.ndarray, dict[int, str]]:
        """(start, length, bad) of the rings of every batch so far, indexed by ring serial."""
        if len(self.ring_start) > 1:
            self.ring_start = [np.concatenate(self.ring_start)]
            self.ring_length = [np.concatenate(self.ring_length)]
        return self.ring_start[0], self.ring_length[0], self.bad_rings

    def _add_built(self, obj: CityObject, rec: GeomRec, built: tuple, locate: dict | None) -> Geometry | None:
        g, polys, problem = built
        gi = len(obj.geometry)
        if g is None:
            self.model.problems.report(obj.id, f"a {rec.type} of LoD {rec.lod} was skipped: {problem}", "error",
                                       geometry=gi)
            return None
        if problem:
            self.model.problems.report(obj.id, problem, "error", geometry=gi)
        obj.geometry.append(g)
        if self.moving.pending:
            self.moving.give(g, polys)
        if locate is not None:   # by gml:id, or by the polygon itself (reached through an aggregate's id)
            for j, p in enumerate(polys):
                locate[p if p.id is None else p.id] = (g, j, p)
        return g

    def _add_instance(self, obj, lod, matrix, tmpl, tref, rp, start, length, base, bad, locate) -> None:
        model = self.model
        if tmpl is not None:
            if tmpl.type not in ("MultiPoint", "MultiLineString"):
                missing: list[str] = []
                tmpl.solids = [[resolve_entries(sh, self.parser.polys, self.parser.groups, missing)
                                for sh in so] for so in tmpl.solids]
            g, _, problem = build_geometry(tmpl, start, length, base, bad)
            if g is None:
                model.problems.report(obj.id, f"an implicit geometry's template was skipped: {problem}", "error")
                return
            # move the template's coordinates into the template vertex pool
            chunk = self.chunks[-1]
            pts = chunk[g.indices - (self.nverts - len(chunk))]
            tb = len(model.template_vertices)
            model.template_vertices = np.concatenate([model.template_vertices, pts]) if tb else pts.copy()
            g.indices = np.arange(tb, tb + len(pts), dtype=np.int64)
            ti = len(model.templates)
            model.templates.append(g)
            if tmpl.id:
                self.templates_by_id[tmpl.id] = ti
        else:
            ti = self.templates_by_id.get(tref)
            if ti is None:
                model.problems.report(obj.id, f"implicit geometry refers to an unknown template '#{tref}' (skipped)",
                                      "error")
                self.missing_refs += 1
                return
        gi = Geometry("GeometryInstance", lod, template=ti, reference_point=int(start[rp - base]),
                      transformation=matrix)
        obj.geometry.append(gi)

    def finish(self, global_apps: list[AppearanceRec], srs: str | None, extra_features: list[dict]) -> CityModel:
        """The model once every batch is flushed: vertices joined, the top-level appearances
        applied, the CRS set, parent / child links completed and ids restored."""
        model = self.model
        model.vertices = np.concatenate(self.chunks) if self.chunks else np.zeros((0, 3))
        self.chunks = []
        for rec in global_apps:
            self.missing_refs += self.applier.apply(rec, self.locate, self.batch.ring_ids, self._group_polys)
        self.applier.finish(model.vertices)
        self.locate = {}
        set_crs(model, srs, self.parser.srs_names)
        link_objects(model)
        restore_ids(model)
        if extra_features:
            model.extra["+citygmlFeatures"] = extra_features
        if self.missing_refs:
            model.source["unresolved_references"] = self.missing_refs
        model.touch()
        return model


class MovingAppearance:
    """Materials, textures and georeferenced textures of polygons taken back out of an earlier
    batch's MultiSurface (:meth:`ModelAssembly._retract`), until the geometry now holding each
    polygon is built and gets them (as when the appearance is applied after both are built)."""

    def __init__(self, applier: AppearanceApplier) -> None:
        self.applier = applier
        self.pending: dict[int, tuple] = {}   # id(Poly) -> (poly, materials, textures, georeferenced)

    def clear(self) -> None:
        self.pending = {}

    def keep(self, g: Geometry, ps: list[Poly], keep: np.ndarray) -> None:
        """Remember the materials, textures and queued georeferenced textures of the surfaces of ``g``
        about to be retracted (``keep`` False), to give them to the geometry that now holds each
        polygon (:meth:`give`), as when the appearance is applied after both are built."""
        geo = {id(q[2]): q for q in self.applier.georeferenced if q[0] is g}
        for j in np.flatnonzero(~keep).tolist():
            p = ps[j]
            mats = {t: int(mm.values[j]) for t, mm in g.materials.items() if mm.values[j] >= 0}
            k0, k1 = int(g.surface_offsets[j]), int(g.surface_offsets[j + 1])
            a, b = int(g.ring_offsets[k0]), int(g.ring_offsets[k1])
            texs = {t: (tm.ring_texture[k0:k1].copy(), tm.uv[a:b].copy()) for t, tm in g.textures.items()
                    if (tm.ring_texture[k0:k1] >= 0).any()}
            q = geo.get(id(p))
            if mats or texs or q is not None:
                self.pending[id(p)] = (p, mats, texs, q)

    def give(self, g: Geometry, polys: list[Poly]) -> None:
        """Materials / textures of retracted polygons (see :meth:`keep`) that ``g`` now holds."""
        moving = self.pending
        for j, p in enumerate(polys):
            m = moving.pop(id(p), None)
            if m is None:
                continue
            _, mats, texs, q = m
            for t, mi in mats.items():
                mm = g.materials.get(t)
                if mm is None:
                    mm = g.materials[t] = MaterialMap(np.full(g.n_surfaces, -1, dtype=np.int32))
                mm.values[j] = mi
            k0, k1 = int(g.surface_offsets[j]), int(g.surface_offsets[j + 1])
            a, b = int(g.ring_offsets[k0]), int(g.ring_offsets[k1])
            for t, (rt, uv) in texs.items():
                tm = g.textures.get(t)
                if tm is None:
                    tm = g.textures[t] = TextureMap(np.full(g.n_rings, -1, dtype=np.int32),
                                                    np.full(len(g.indices), -1, dtype=np.int32))
                if len(rt) == k1 - k0 and len(uv) == b - a:
                    tm.ring_texture[k0:k1] = rt
                    tm.uv[a:b] = uv
            if q is not None:
                self.applier.georeferenced.append((g, j, p) + q[3:])


def set_crs(model: CityModel, srs: str | None, srs_names: list[str]) -> None:
    """The model's CRS from the file's ``srsName`` (the envelope's, else the first geometry's);
    other names are reported; latitude-first axis order is swapped for URN / URL spellings."""
    srs = srs or (srs_names[0] if srs_names else None)
    if srs:
        model.crs = CRS.parse(srs)
        model.source["srsName"] = srs
        others = {s for s in srs_names if s != srs}
        if others:
            model.problems.report(None, f"geometries use other srsName values too ({', '.join(sorted(others))}); "
                                  f"all coordinates are taken as {srs}")
        # official (latitude-first) axis order applies to URN / URL spellings; the short
        # "EPSG:4979" form is conventionally written longitude first (as this corpus' files are)
        official = srs.lower().startswith(("urn:", "http://", "https://"))
        if official and model.crs is not None and model.crs.is_latitude_first() and len(model.vertices):
            model.vertices[:, [0, 1]] = model.vertices[:, [1, 0]]
            model.source["axis_swapped"] = True


def link_objects(model: CityModel) -> None:
    """Children get their parents, missing children are reported; generic objects written by
    citytwin get back their CityJSON type and value types."""
    objs = model.objects
    for o in list(objs.values()):
        for c in o.children:
            co = objs.get(c)
            if co is None:
                model.problems.report(o.id, f"refers to a missing child '#{c}'", "error")
            elif o.type != "CityObjectGroup" and o.id not in co.parents:
                co.parents.append(o.id)
        o.children = list(dict.fromkeys(o.children))
    for o in objs.values():  # types CityGML has no class for, written by citytwin as generic objects
        if VALUE_TYPES_ATTRIBUTE in o.attributes:
            apply_value_types(o.attributes)
        t = o.attributes.get("cityjsonType")
        if isinstance(t, str) and o.type == "GenericCityObject":
            o.type = t
            del o.attributes["cityjsonType"]


def restore_ids(model: CityModel) -> None:
    """Object ids that are not XML names were written by citytwin with a ``cityjsonId`` attribute."""
    objs = model.objects
    ren = {o.id: o.attributes.pop("cityjsonId") for o in objs.values()
           if isinstance(o.attributes.get("cityjsonId"), str) and o.attributes["cityjsonId"] not in objs}
    if not ren:
        return
    new: dict[str, CityObject] = {}
    for oid, o in objs.items():
        o.id = ren.get(oid, oid)
        o.parents = [ren.get(p, p) for p in o.parents]
        o.children = [ren.get(c, c) for c in o.children]
        new[o.id] = o
    model.objects = new
