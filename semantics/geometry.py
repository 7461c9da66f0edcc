"""Geometries of city objects, stored as flat numpy arrays.

A geometry is one of the CityJSON 2.0 types. Its boundaries are a hierarchy
solids -> shells -> surfaces -> rings -> vertex indices, stored flat:

``indices``          (n,) int64, vertex indices into the model's vertex pool, ring after ring
``ring_offsets``     (r+1,) int64, ring k is ``indices[ring_offsets[k]:ring_offsets[k+1]]``
``surface_offsets``  (s+1,) int64, surface j owns rings ``surface_offsets[j]:surface_offsets[j+1]``
                     (the first is the exterior ring, the others are holes)
``shell_offsets``    (h+1,) int64, shell i owns surfaces ``shell_offsets[i]:shell_offsets[i+1]``
                     (Solid, MultiSolid, CompositeSolid only)
``solid_offsets``    (d+1,) int64, solid m owns shells ``solid_offsets[m]:solid_offsets[m+1]``
                     (MultiSolid, CompositeSolid only)

MultiPoint uses ``indices`` only (one entry per point); MultiLineString uses ``indices`` and
``ring_offsets`` (one "ring" per line string). Per-surface information (semantics, materials,
textures) is flat in surface order, so a triangle that knows its surface index knows everything.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

#: Geometry types whose primitives are surfaces.
SURFACE_TYPES = frozenset({"MultiSurface", "CompositeSurface"})
SOLID_TYPES = frozenset({"Solid"})
MULTI_SOLID_TYPES = frozenset({"MultiSolid", "CompositeSolid"})
GEOMETRY_TYPES = frozenset({"MultiPoint", "MultiLineString", "MultiSurface", "CompositeSurface",
                            "Solid", "MultiSolid", "CompositeSolid", "GeometryInstance"})

_EMPTY = np.zeros(0, dtype=np.int64)
_ZERO = np.zeros(1, dtype=np.int64)


def _offsets(a: np.ndarray | None) -> np.ndarray:
    return _ZERO if a is None else a


@dataclass
class Semantics:
    """Semantic surfaces of one geometry.

    Attributes
    ----------
    surfaces : list of dict
        CityJSON semantic objects (``{"type": "RoofSurface", ...attributes, "parent": i,
        "children": [...]}``), kept whole so no attribute is lost.
    values : (s,) int32
        Index into ``surfaces`` per surface of the geometry (per point / line string for
        MultiPoint / MultiLineString); -1 where a primitive has no semantics.
    """

    surfaces: list[dict]
    values: np.ndarray

    def type_names(self) -> list[str]:
        """Semantic type name of every surface ("" where none)."""
        names = [s.get("type", "") for s in self.surfaces]
        return [names[v] if v >= 0 else "" for v in self.values.tolist()]


@dataclass
class MaterialMap:
    """Materials of one theme: ``values`` (s,) int32 index into the model's materials, -1 none.

    ``uniform`` records that the file gave one ``value`` for the whole geometry.
    """

    values: np.ndarray
    uniform: bool = False


@dataclass
class TextureMap:
    """Textures of one theme.

    Attributes
    ----------
    ring_texture : (r,) int32
        Index into the model's textures per ring, -1 where the ring is not textured.
    uv : (n,) int32
        Index into the model's texture vertices per ring vertex (aligned with
        ``Geometry.indices``), -1 where not textured.
    """

    ring_texture: np.ndarray
    uv: np.ndarray


@dataclass
class Geometry:
    """One geometry of a city object (or a geometry template).

    ``lod`` is a string as in CityJSON 2.0 ("2", "2.2"). For a ``GeometryInstance``,
    ``template`` is the index into the model's templates, ``reference_point`` the vertex index
    of the anchor and ``transformation`` the (4, 4) row-major matrix.
    """

    type: str
    lod: str | None = None
    indices: np.ndarray = field(default_factory=lambda: _EMPTY)
    ring_offsets: np.ndarray | None = None
    surface_offsets: np.ndarray | None = None
    shell_offsets: np.ndarray | None = None
    solid_offsets: np.ndarray | None = None
    semantics: Semantics | None = None
    materials: dict[str, MaterialMap] = field(default_factory=dict)
    textures: dict[str, TextureMap] = field(default_factory=dict)
    template: int | None = None
    reference_point: int | None = None
    transformation: np.ndarray | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    # -- sizes ------------------------------------------------------------------------------
    @property
    def n_rings(self) -> int:
        return 0 if self.ring_offsets is None else len(self.ring_offsets) - 1

    @property
    def n_surfaces(self) -> int:
        """Number of surfaces (points for MultiPoint, line strings for MultiLineString)."""
        if self.type == "MultiPoint":
            return len(self.indices)
        if self.type == "MultiLineString":
            return self.n_rings
        return 0 if self.surface_offsets is None else len(self.surface_offsets) - 1

    @property
    def n_shells(self) -> int:
        return 0 if self.shell_offsets is None else len(self.shell_offsets) - 1

    @property
    def n_solids(self) -> int:
        return 0 if self.solid_offsets is None else len(self.solid_offsets) - 1

    @property
    def is_instance(self) -> bool:
        return self.type == "GeometryInstance"

    @property
    def has_surfaces(self) -> bool:
        return self.type in SURFACE_TYPES or self.type in SOLID_TYPES or self.type in MULTI_SOLID_TYPES

    def surface_types(self) -> list[str]:
        """Semantic type name per surface ("" without semantics)."""
        if self.semantics is None:
            return [""] * self.n_surfaces
        return self.semantics.type_names()

    def ring(self, k: int) -> np.ndarray:
        """Vertex indices (m,) int64 of ring ``k``."""
        return self.indices[self.ring_offsets[k]:self.ring_offsets[k + 1]]

    def surface_rings(self, j: int) -> list[np.ndarray]:
        """Rings of surface ``j``, exterior first."""
        a, b = self.surface_offsets[j], self.surface_offsets[j + 1]
        return [self.ring(k) for k in range(a, b)]

    def copy(self) -> "Geometry":
        """A deep copy (arrays copied, dicts shallow-copied per surface)."""
        return Geometry(
            type=self.type, lod=self.lod, indices=self.indices.copy(),
            ring_offsets=None if self.ring_offsets is None else self.ring_offsets.copy(),
            surface_offsets=None if self.surface_offsets is None else self.surface_offsets.copy(),
            shell_offsets=None if self.shell_offsets is None else self.shell_offsets.copy(),
            solid_offsets=None if self.solid_offsets is None else self.solid_offsets.copy(),
            semantics=None if self.semantics is None else Semantics(
                [dict(s) for s in self.semantics.surfaces], self.semantics.values.copy()),
            materials={k: MaterialMap(v.values.copy(), v.uniform) for k, v in self.materials.items()},
            textures={k: TextureMap(v.ring_texture.copy(), v.uv.copy()) for k, v in self.textures.items()},
            template=self.template, reference_point=self.reference_point,
            transformation=None if self.transformation is None else self.transformation.copy(),
            extra=dict(self.extra),
        )


def make_surface_geometry(type_: str, lod: str | None, surfaces: list[list[np.ndarray]],
                          shells: list[int] | None = None, solids: list[int] | None = None,
                          semantic_types: list[str] | None = None) -> Geometry:
    """Build a surface-based geometry from rings given as index arrays.

    Parameters
    ----------
    type_ : "MultiSurface", "CompositeSurface", "Solid", "MultiSolid" or "CompositeSolid"
    surfaces : list (s) of list of (m,) int arrays: each surface's rings, exterior first
    shells : number of surfaces per shell (solids), in order
    solids : number of shells per solid (multi/composite solids), in order
    semantic_types : semantic type name per surface ("" for none); identical types share one
        semantic object
    """
    rings = [r for s in surfaces for r in s]
    ring_len = np.fromiter((len(r) for r in rings), dtype=np.int64, count=len(rings))
    ring_offsets = np.zeros(len(rings) + 1, dtype=np.int64)
    np.cumsum(ring_len, out=ring_offsets[1:])
    surf_len = np.fromiter((len(s) for s in surfaces), dtype=np.int64, count=len(surfaces))
    surface_offsets = np.zeros(len(surfaces) + 1, dtype=np.int64)
    np.cumsum(surf_len, out=surface_offsets[1:])
    indices = np.concatenate(rings).astype(np.int64) if rings else _EMPTY
    g = Geometry(type=type_, lod=lod, indices=indices, ring_offsets=ring_offsets,
                 surface_offsets=surface_offsets)
    if shells is not None:
        g.shell_offsets = np.concatenate([[0], np.cumsum(shells)]).astype(np.int64)
    if solids is not None:
        g.solid_offsets = np.concatenate([[0], np.cumsum(solids)]).astype(np.int64)
    if semantic_types is not None:
        kinds: dict[str, int] = {}
        vals = np.full(len(surfaces), -1, dtype=np.int32)
        for j, t in enumerate(semantic_types):
            if t:
                vals[j] = kinds.setdefault(t, len(kinds))
        if kinds:
            g.semantics = Semantics([{"type": t} for t in kinds], vals)
    return g
