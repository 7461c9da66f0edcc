"""The triangulated view of a city model: one triangle soup with per-triangle identity arrays.

This is what the viewport renders and the ray caster traces. Every triangle knows its object,
its geometry, its surface and its semantic type, so a pick or an analysis result maps back to
the model without search.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np


@dataclass(frozen=True)
class TriangleMesh:
    """Triangles of a model (read-only snapshot; safe to hand to a worker thread).

    Attributes
    ----------
    vertices : (v, 3) float64, model CRS (metres)
    triangles : (t, 3) int64, indices into ``vertices``, counter-clockwise seen from outside
    object_index : (t,) int32, index into ``object_ids``
    geometry_index : (t,) int32, index into the object's geometry list
    surface_index : (t,) int32, surface index within that geometry
    semantic_type : (t,) int16, code of :data:`citytwin.semantics.surfaces.SEMANTIC_TYPES`
    object_ids : list of str, ids of the objects, in model order
    object_types : list of str, types of the objects (aligned with ``object_ids``)
    origin : (3,) float64, local origin for float32 consumers (the bbox minimum, floored)
    uv : (t, 3, 2) float32 or None, texture coordinates per corner for the chosen theme
    texture_index : (t,) int32 or None, index into the model's textures, -1 where untextured
    material_index : (t,) int32 or None, index into the model's materials, -1 where none
    normals : (t, 3) float64, unit normals (zero for degenerate triangles)
    areas : (t,) float64, m2
    """

    vertices: np.ndarray
    triangles: np.ndarray
    object_index: np.ndarray
    geometry_index: np.ndarray
    surface_index: np.ndarray
    semantic_type: np.ndarray
    object_ids: list[str]
    object_types: list[str] = field(default_factory=list)
    origin: np.ndarray = field(default_factory=lambda: np.zeros(3))
    uv: np.ndarray | None = None
    texture_index: np.ndarray | None = None
    material_index: np.ndarray | None = None

    def __len__(self) -> int:
        return len(self.triangles)

    @property
    def n_triangles(self) -> int:
        return len(self.triangles)

    def local_vertices(self, dtype=np.float32) -> np.ndarray:
        """Vertices shifted to ``origin``, as ``dtype`` (float32 by default) for VTK / Embree."""
        return (self.vertices - self.origin).astype(dtype)

    @property
    def normals(self) -> np.ndarray:
        n = self._cross()
        ln = np.linalg.norm(n, axis=1)
        with np.errstate(invalid="ignore", divide="ignore"):
            return np.where(ln[:, None] > 0, n / ln[:, None], 0.0)

    @property
    def areas(self) -> np.ndarray:
        return 0.5 * np.linalg.norm(self._cross(), axis=1)

    def _cross(self) -> np.ndarray:
        v = self.vertices - self.origin
        t = self.triangles
        return np.cross(v[t[:, 1]] - v[t[:, 0]], v[t[:, 2]] - v[t[:, 0]])

    def select(self, mask: np.ndarray) -> "TriangleMesh":
        """A mesh with only the triangles where ``mask`` (t,) bool is True (vertices shared)."""
        def sub(a):
            return None if a is None else a[mask]
        return TriangleMesh(self.vertices, self.triangles[mask], self.object_index[mask],
                            self.geometry_index[mask], self.surface_index[mask],
                            self.semantic_type[mask], self.object_ids, self.object_types,
                            self.origin, sub(self.uv), sub(self.texture_index), sub(self.material_index))

    def compact(self) -> tuple[np.ndarray, np.ndarray]:
        """Only the used vertices: returns (vertices (u, 3) float64, triangles (t, 3) int64)."""
        used, inv = np.unique(self.triangles, return_inverse=True)
        return self.vertices[used], inv.reshape(-1, 3)


def local_origin(points: np.ndarray) -> np.ndarray:
    """A round local origin for (n, 3) points: the minimum, floored to whole metres."""
    if len(points) == 0:
        return np.zeros(3)
    return np.floor(np.nanmin(points, axis=0))
