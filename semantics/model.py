"""The semantic city model: one :class:`CityModel` holding :class:`CityObject` s.

Vocabulary and structure follow CityJSON 2.0 / CityGML 3.0. Geometry is stored in numpy arrays
(see :mod:`citytwin.semantics.geometry`): one vertex pool per model, ``vertices`` (n, 3) float64
in the model CRS (metres, or degrees for geographic CRSs, x/y order), shared by all objects.
Nothing a reader does not understand is dropped: unknown members of objects, geometries,
semantic surfaces and the file itself are kept in ``extra`` dicts and written back.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable, Iterable, Iterator

import numpy as np

from citytwin.errors import ProblemLog
from citytwin.progress import ProgressArg
from citytwin.semantics.crs import CRS
from citytwin.semantics.geometry import Geometry


@dataclass
class CityObject:
    """A city object: id, type, attributes, hierarchy and geometries.

    Attributes
    ----------
    id : unique id in the model
    type : CityJSON type name (``Building``, ``BuildingPart``, ``+NoiseBarrier``, ...)
    attributes : free attributes (JSON values), including analysis results
    geometry : geometries, any LoDs
    parents, children : ids of related objects
    geographical_extent : [minx, miny, minz, maxx, maxy, maxz] as given in the file, or None
    address : CityJSON 2.0 address objects (Buildings, Bridges, ...) or None
    extra : every other member of the object (kept and written back)
    """

    id: str
    type: str
    attributes: dict[str, Any] = field(default_factory=dict)
    geometry: list[Geometry] = field(default_factory=list)
    parents: list[str] = field(default_factory=list)
    children: list[str] = field(default_factory=list)
    geographical_extent: list[float] | None = None
    address: list[dict] | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    def lods(self) -> list[str]:
        """LoDs of this object's own geometries, sorted."""
        return sorted({g.lod for g in self.geometry if g.lod is not None}, key=_lod_key)


def _lod_key(lod: str) -> tuple[float, str]:
    try:
        return (float(lod), lod)
    except (TypeError, ValueError):
        return (float("inf"), str(lod))


@dataclass
class Appearance:
    """Materials and textures shared by the model's geometries.

    Attributes
    ----------
    materials : CityJSON material objects (``name``, ``diffuseColor``, ...)
    textures : CityJSON texture objects; ``image`` is the path as written in the file
    texture_vertices : (m, 2) float64 texture coordinates (u, v)
    base_path : folder the image paths are relative to (the input file's folder), or None
    default_theme_material, default_theme_texture : default themes, or None
    extra : other members of ``appearance``
    image_roots : further folders whose images may be copied with the model (the folders of
        meshes a user fused in); images are otherwise read only inside ``base_path``
    """

    materials: list[dict] = field(default_factory=list)
    textures: list[dict] = field(default_factory=list)
    texture_vertices: np.ndarray = field(default_factory=lambda: np.zeros((0, 2)))
    base_path: str | None = None
    default_theme_material: str | None = None
    default_theme_texture: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)
    image_roots: list[str] = field(default_factory=list)

    def is_empty(self) -> bool:
        return not self.materials and not self.textures

    def image_path(self, index: int) -> str | None:
        """Absolute path of a texture image, resolved against ``base_path`` (None if unset)."""
        import os

        img = self.textures[index].get("image")
        if img is None:
            return None
        if os.path.isabs(img) or self.base_path is None or "://" in img:
            return img
        return os.path.normpath(os.path.join(self.base_path, img))


@dataclass
class CityModel:
    """A whole city model in one CRS.

    Attributes
    ----------
    objects : city objects by id, in file order
    vertices : (n, 3) float64, the shared vertex pool in the model CRS
    crs : the CRS, or None when unknown (assign one with :meth:`assign_crs`)
    metadata : CityJSON metadata (``referenceSystem`` is kept in ``crs`` instead)
    transform : the quantisation the source used (``{"scale": [...], "translate": [...]}``),
        kept as the default precision for writing, or None
    appearance : materials and textures
    templates : geometry templates (GeometryInstance targets)
    template_vertices : (k, 3) float64 vertices of the templates (template-local coordinates)
    extensions : CityJSON extensions (name -> {"url", "version"})
    extra : unknown top-level members (kept and written back)
    source : where the model was read from, with format and version
    problems : per-object problems found while reading or processing
    """

    objects: dict[str, CityObject] = field(default_factory=dict)
    vertices: np.ndarray = field(default_factory=lambda: np.zeros((0, 3)))
    crs: CRS | None = None
    metadata: dict[str, Any] = field(default_factory=dict)
    transform: dict[str, list[float]] | None = None
    appearance: Appearance = field(default_factory=Appearance)
    templates: list[Geometry] = field(default_factory=list)
    template_vertices: np.ndarray = field(default_factory=lambda: np.zeros((0, 3)))
    extensions: dict[str, Any] = field(default_factory=dict)
    extra: dict[str, Any] = field(default_factory=dict)
    source: dict[str, Any] = field(default_factory=dict)
    problems: ProblemLog = field(default_factory=ProblemLog)
    _version: int = 0
    _cache: dict = field(default_factory=dict, repr=False)

    # -- change tracking --------------------------------------------------------------------
    def touch(self) -> None:
        """Mark the model changed: derived views (triangles) are rebuilt on next use."""
        self._version += 1
        self._cache.clear()

    @property
    def version(self) -> int:
        """Counter bumped by :meth:`touch`; derived caches are keyed on it."""
        return self._version

    # -- access -----------------------------------------------------------------------------
    def __len__(self) -> int:
        return len(self.objects)

    def __iter__(self) -> Iterator[CityObject]:
        return iter(self.objects.values())

    def __contains__(self, oid: str) -> bool:
        return oid in self.objects

    def get(self, oid: str) -> CityObject | None:
        """The object with id ``oid``, or None."""
        return self.objects.get(oid)

    def add_object(self, obj: CityObject) -> None:
        """Add (or replace) an object."""
        self.objects[obj.id] = obj
        self.touch()

    def add_vertices(self, pts: np.ndarray) -> int:
        """Append (k, 3) vertices to the pool; returns the index of the first one."""
        pts = np.asarray(pts, dtype=np.float64).reshape(-1, 3)
        start = len(self.vertices)
        self.vertices = np.concatenate([self.vertices, pts]) if start else pts.copy()
        return start

    # -- queries ----------------------------------------------------------------------------
    def by_type(self, *types: str) -> list[CityObject]:
        """Objects whose type is one of ``types``."""
        want = set(types)
        return [o for o in self.objects.values() if o.type in want]

    def by_lod(self, lod: str) -> list[CityObject]:
        """Objects with at least one geometry of LoD ``lod`` (``"2"`` matches 2, 2.0, 2.1, 2.2)."""
        return [o for o in self.objects.values() if any(_lod_matches(g.lod, lod) for g in o.geometry)]

    def by_attribute(self, name: str, value: Any = None,
                     predicate: Callable[[Any], bool] | None = None) -> list[CityObject]:
        """Objects that have attribute ``name`` (equal to ``value``, or passing ``predicate``)."""
        out = []
        for o in self.objects.values():
            if name not in o.attributes:
                continue
            v = o.attributes[name]
            if predicate is not None and not predicate(v):
                continue
            if value is not None and predicate is None and v != value:
                continue
            out.append(o)
        return out

    def in_bbox(self, xmin: float, ymin: float, xmax: float, ymax: float) -> list[CityObject]:
        """Objects whose 2D bounding box centre lies in the box (children follow their parent)."""
        boxes = self.object_bboxes()
        out = []
        for oid, b in boxes.items():
            cx, cy = (b[0] + b[3]) / 2, (b[1] + b[4]) / 2
            if xmin <= cx <= xmax and ymin <= cy <= ymax:
                out.append(self.objects[oid])
        return out

    def lods(self) -> list[str]:
        """All LoDs present, sorted."""
        s = {g.lod for o in self.objects.values() for g in o.geometry if g.lod is not None}
        return sorted(s, key=_lod_key)

    def roots(self) -> list[CityObject]:
        """Objects without parents (top-level)."""
        return [o for o in self.objects.values() if not o.parents]

    def descendants(self, oid: str) -> list[str]:
        """Ids of all children, grandchildren, ... of ``oid`` (depth first, no repeats)."""
        out: list[str] = []
        seen = {oid}
        stack = list(reversed(self.objects[oid].children)) if oid in self.objects else []
        while stack:
            c = stack.pop()
            if c in seen or c not in self.objects:
                continue
            seen.add(c)
            out.append(c)
            stack.extend(reversed(self.objects[c].children))
        return out

    def geometry_vertices(self, g: Geometry) -> np.ndarray:
        """Real coordinates (m, 3) of a geometry's vertices (instances resolved)."""
        if g.is_instance:
            return self.instance_vertices(g)
        return self.vertices[g.indices]

    def instance_vertices(self, g: Geometry) -> np.ndarray:
        """Template vertices of a GeometryInstance, transformed and placed; (m, 3) float64.

        The result is aligned with the template's ``indices`` remapped to 0..m-1 order of
        ``template_vertices`` (the whole template vertex pool is transformed).
        """
        m = np.asarray(g.transformation, dtype=np.float64).reshape(4, 4)
        tv = self.template_vertices
        h = np.c_[tv, np.ones(len(tv))] @ m.T
        return h[:, :3] + self.vertices[g.reference_point]

    def bbox(self) -> np.ndarray:
        """[minx, miny, minz, maxx, maxy, maxz] of all vertices used by objects (float64)."""
        used = self.used_vertex_mask()
        pts = [self.vertices[used]] if used.any() else []
        for o in self.objects.values():
            for g in o.geometry:
                if g.is_instance and self.templates:
                    pts.append(self._instance_used_vertices(g))
        if not pts or sum(len(p) for p in pts) == 0:
            return np.full(6, np.nan)
        allp = np.concatenate(pts)
        return np.concatenate([allp.min(axis=0), allp.max(axis=0)])

    def _instance_used_vertices(self, g: Geometry) -> np.ndarray:
        t = self.templates[g.template]
        pv = self.instance_vertices(g)
        return pv[np.unique(t.indices)] if len(t.indices) else pv[:0]

    def used_vertex_mask(self) -> np.ndarray:
        """(n,) bool, True for pool vertices referenced by some object's geometry."""
        mask = np.zeros(len(self.vertices), dtype=bool)
        for o in self.objects.values():
            for g in o.geometry:
                if g.is_instance:
                    if g.reference_point is not None:
                        mask[g.reference_point] = True
                elif len(g.indices):
                    mask[g.indices] = True
        return mask

    def object_bboxes(self) -> dict[str, np.ndarray]:
        """Per object id, [minx, miny, minz, maxx, maxy, maxz] of its own and its descendants' vertices."""
        own: dict[str, np.ndarray] = {}
        for o in self.objects.values():
            pts = [self.geometry_vertices(g) if not g.is_instance else self._instance_used_vertices(g)
                   for g in o.geometry]
            pts = [p for p in pts if len(p)]
            if pts:
                a = np.concatenate(pts)
                own[o.id] = np.concatenate([a.min(axis=0), a.max(axis=0)])
        out: dict[str, np.ndarray] = {}
        for o in self.objects.values():
            boxes = [own[i] for i in [o.id, *self.descendants(o.id)] if i in own]
            if boxes:
                b = np.array(boxes)
                out[o.id] = np.concatenate([b[:, :3].min(axis=0), b[:, 3:].max(axis=0)])
        return out

    # -- editing ----------------------------------------------------------------------------
    def subset(self, ids: Iterable[str], with_relatives: bool = True) -> "CityModel":
        """A new model with only the given objects (plus children and parents when asked).

        The vertex pool is shared (not copied); writers drop unused vertices.
        """
        keep = set(ids)
        if with_relatives:
            for oid in list(keep):
                keep.update(self.descendants(oid))
            stack = list(keep)
            while stack:
                o = self.objects.get(stack.pop())
                for p in (o.parents if o else []):
                    if p not in keep and p in self.objects:
                        keep.add(p)
                        stack.append(p)
        objs = {}
        for oid, o in self.objects.items():
            if oid in keep:
                objs[oid] = CityObject(
                    id=o.id, type=o.type, attributes=o.attributes, geometry=o.geometry,
                    parents=[p for p in o.parents if p in keep],
                    children=[c for c in o.children if c in keep],
                    geographical_extent=o.geographical_extent, address=o.address, extra=o.extra)
        m = CityModel(objects=objs, vertices=self.vertices, crs=self.crs, metadata=dict(self.metadata),
                      transform=self.transform, appearance=self.appearance, templates=self.templates,
                      template_vertices=self.template_vertices, extensions=self.extensions,
                      extra=self.extra, source=dict(self.source))
        m.problems.extend(p for p in self.problems if p.object_id is None or p.object_id in keep)
        return m

    def filter_lod(self, lod: str) -> "CityModel":
        """A new model where each object keeps only its geometries of LoD ``lod``."""
        m = self.subset(self.objects.keys(), with_relatives=False)
        for o in m.objects.values():
            o.geometry = [g for g in o.geometry if _lod_matches(g.lod, lod)
                          or (g.is_instance and _lod_matches(self.templates[g.template].lod, lod))]
        return m

    def assign_crs(self, crs: CRS | str | int) -> None:
        """Declare the CRS of a model whose coordinates are already in it (no reprojection)."""
        self.crs = crs if isinstance(crs, CRS) else CRS.parse(crs)
        self.touch()

    def reproject(self, target: CRS | str | int) -> str | None:
        """Reproject every vertex to ``target`` (horizontal and, when both have one, vertical).

        Raises UsageError when the model has no CRS. Template vertices are local (relative to
        each instance's reference point) and are not reprojected. Returns a note (also recorded
        in :attr:`problems`) when PROJ had to use a less accurate operation for lack of a grid.
        """
        from citytwin.errors import UsageError
        from citytwin.semantics.crs import transform_points

        tgt = target if isinstance(target, CRS) else CRS.parse(target)
        if self.crs is None:
            raise UsageError("the model has no CRS: assign one before reprojecting")
        if tgt is None:
            raise UsageError("no target CRS given")
        notes: list[str] = []
        self.vertices = transform_points(self.vertices, self.crs, tgt, notes)
        for note in notes:
            self.problems.report(None, note)
        self.crs = tgt
        self.transform = None
        for o in self.objects.values():
            o.geographical_extent = None
        self.metadata.pop("geographicalExtent", None)
        self.touch()
        return " ".join(notes) if notes else None

    # -- derived views ----------------------------------------------------------------------
    def triangulate(self, lod: str | None = None, theme: str | None = None,
                    on_progress: ProgressArg | None = None):
        """The triangulated view (cached until :meth:`touch`).

        Parameters
        ----------
        lod : LoD to use per object; None takes each object's highest LoD
        theme : texture theme for per-corner UVs (None: the default theme, if any)
        on_progress : a :class:`~citytwin.progress.ProgressReporter` (or ``fn(fraction)``), told every
            thousand objects and after
            each block of polygons while triangulating (not when the view is cached); when it
            raises (cancellation) the exception propagates and nothing is cached

        Returns
        -------
        citytwin.mesh.triangles.TriangleMesh
        """
        key = ("tri", lod, theme)
        if key not in self._cache:
            from citytwin.mesh.gcpause import gc_paused
            from citytwin.semantics.triangulated import triangulate_model

            with gc_paused():
                self._cache[key] = triangulate_model(self, lod=lod, theme=theme, on_progress=on_progress)
        return self._cache[key]

    def summary_counts(self) -> dict[str, int]:
        """Number of objects per type."""
        counts: dict[str, int] = {}
        for o in self.objects.values():
            counts[o.type] = counts.get(o.type, 0) + 1
        return counts

    def semantic_counts(self) -> dict[str, int]:
        """Number of semantic surfaces per type over all geometries (templates counted once per instance).

        One ``bincount`` over the semantic values of all geometries (each offset into the list of
        all their surfaces), not a ``np.unique`` per geometry.
        """
        names: list[str] = []  # the surfaces of every geometry, one after the other
        values, bases, sizes = [], [], []
        for o in self.objects.values():
            for g in o.geometry:
                gg = self.templates[g.template] if g.is_instance and self.templates else g
                if gg.semantics is None or not len(gg.semantics.values):
                    continue
                values.append(gg.semantics.values)
                bases.append(len(names))
                names.extend(s.get("type", "") for s in gg.semantics.surfaces)
                sizes.append(len(names) - bases[-1])
        if not values:
            return {}
        lens = [len(v) for v in values]
        allv = np.concatenate(values).astype(np.int64)
        ok = (allv >= 0) & (allv < np.repeat(np.asarray(sizes, np.int64), lens))
        pos = allv + np.repeat(np.asarray(bases, np.int64), lens)
        used = np.bincount(pos[ok], minlength=len(names))
        counts: dict[str, int] = {}
        for name, n in zip(names, used.tolist()):
            if n:
                counts[name] = counts.get(name, 0) + n
        return counts

    def attribute_names(self) -> list[str]:
        """All attribute names used by objects, sorted."""
        names: set[str] = set()
        for o in self.objects.values():
            names.update(o.attributes.keys())
        return sorted(names)


def _lod_matches(have: str | None, want: str) -> bool:
    if have is None:
        return False
    if have == want:
        return True
    return "." not in want and have.split(".")[0] == want
