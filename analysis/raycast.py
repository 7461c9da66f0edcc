"""Occlusion tests with Embree through Open3D's ``RaycastingScene``.

The scene is built once from the triangulated model in local coordinates (float32 near the
origin keeps centimetre precision in UTM/RD coordinates); rays are streamed in bounded chunks.
"""

from __future__ import annotations

import time

import numpy as np

from citytwin.errors import MissingDependencyError

#: Rays per ``test_occlusions`` call: 4 M rays = 96 MB of float32 ray data.
RAY_CHUNK = 4_000_000


def _o3d():
    try:
        import open3d as o3d
    except ImportError as exc:  # pragma: no cover - open3d is a dependency
        raise MissingDependencyError("ray casting needs open3d (pip install open3d)") from exc
    return o3d


class OcclusionScene:
    """An Embree scene of triangles for visibility queries.

    Parameters
    ----------
    vertices : (v, 3) float64, local coordinates (already shifted to the local origin)
    triangles : (t, 3) int, vertex indices
    nthreads : Embree threads (0 = all cores)
    """

    def __init__(self, vertices: np.ndarray, triangles: np.ndarray, nthreads: int = 0) -> None:
        o3d = _o3d()
        self.nthreads = nthreads
        self.n_triangles = len(triangles)
        self._scene = o3d.t.geometry.RaycastingScene(nthreads=nthreads)
        if len(triangles):
            self._scene.add_triangles(
                o3d.core.Tensor(np.ascontiguousarray(vertices, dtype=np.float32)),
                o3d.core.Tensor(np.ascontiguousarray(triangles, dtype=np.uint32)))
        self.rays_traced = 0
        #: semi-transparent occluders traced after this scene (vegetation), or None
        self.vegetation: OcclusionScene | None = None
        #: (t,) int64, the source mesh triangle of each primitive (set by :func:`scene_from_mesh`)
        self.triangle_ids: np.ndarray | None = None
        self.trace_seconds = 0.0  # time spent inside Embree calls (the floor for benchmarks)
        self._warm = False

    def warm_up(self) -> None:
        """Build the BVH now (Embree builds it lazily on the first query)."""
        if not self._warm:
            self.occluded(np.zeros((1, 3), np.float32), np.array([[0, 0, 1]], np.float32))
            self._warm = True

    def occluded(self, origins: np.ndarray, directions: np.ndarray,
                 tfar: float = np.inf) -> np.ndarray:
        """True where a ray from ``origins`` along ``directions`` hits a triangle; (n,) bool.

        Parameters
        ----------
        origins, directions : (n, 3) float32 (or (1, 3) to broadcast), local coordinates
        """
        if self.n_triangles == 0:
            n = max(len(origins), len(directions))
            return np.zeros(n, bool)
        o3d = _o3d()
        n = max(len(origins), len(directions))
        rays = np.empty((n, 6), np.float32)
        rays[:, :3] = origins
        rays[:, 3:] = directions
        self.rays_traced += n
        res = self._scene.test_occlusions(o3d.core.Tensor.from_numpy(rays), tfar=float(tfar),
                                          nthreads=self.nthreads)
        return res.numpy().astype(bool, copy=False)

    def occluded_rays(self, rays: np.ndarray, tfar: float = np.inf) -> np.ndarray:
        """Like :meth:`occluded` for a prepared contiguous (n, 6) float32 ray array."""
        if self.n_triangles == 0:
            return np.zeros(len(rays), bool)
        o3d = _o3d()
        self.rays_traced += len(rays)
        t0 = time.perf_counter()
        res = self._scene.test_occlusions(o3d.core.Tensor.from_numpy(rays), tfar=float(tfar),
                                          nthreads=self.nthreads)
        self.trace_seconds += time.perf_counter() - t0
        return res.numpy().astype(bool, copy=False)

    def first_hit(self, origins: np.ndarray, directions: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Distance (n,) float32 (inf = no hit) and triangle id (n,) int64 (-1) of the first hits."""
        o3d = _o3d()
        n = max(len(origins), len(directions))
        if self.n_triangles == 0:
            return np.full(n, np.inf, np.float32), np.full(n, -1, np.int64)
        rays = np.empty((n, 6), np.float32)
        rays[:, :3] = origins
        rays[:, 3:] = directions
        self.rays_traced += n
        ans = self._scene.cast_rays(o3d.core.Tensor.from_numpy(rays), nthreads=self.nthreads)
        t = ans["t_hit"].numpy()
        ids = ans["primitive_ids"].numpy().astype(np.int64)
        ids[~np.isfinite(t)] = -1
        return t, ids


def scene_from_mesh(mesh, mask: np.ndarray | None = None, nthreads: int = 0) -> OcclusionScene:
    """An :class:`OcclusionScene` of a :class:`~citytwin.mesh.triangles.TriangleMesh` (local coords).

    Parameters
    ----------
    mask : (t,) bool, triangles to include (default: all)
    """
    tris = mesh.triangles if mask is None else mesh.triangles[mask]
    used, inv = np.unique(tris, return_inverse=True)
    v = (mesh.vertices[used] - mesh.origin).astype(np.float32)
    scene = OcclusionScene(v, inv.reshape(-1, 3), nthreads=nthreads)
    scene.triangle_ids = np.arange(len(mesh)) if mask is None else np.nonzero(mask)[0]
    return scene
