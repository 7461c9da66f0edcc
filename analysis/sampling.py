"""Sample points on the surfaces of a triangulated model.

Each chosen triangle is split into ``k * k`` congruent sub-triangles (``k`` so that a
sub-triangle is about ``resolution**2`` in area, at least one) and one point is put at each
sub-triangle's centroid. Every point carries the area it stands for, so sums over points give
exact surface areas and energies. Points are offset along the outward normal (so rays never
start inside their own surface) and sorted along a Morton curve (coherent rays trace faster).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from citytwin.mesh.triangles import TriangleMesh
from citytwin.semantics.surfaces import semantic_code

#: City object types whose surfaces are "buildings" for the default selection.
BUILDING_TYPES = frozenset({"Building", "BuildingPart", "BuildingInstallation",
                            "BuildingConstructiveElement"})
#: City object types that are the ground itself (sampled for "ground", and the reflecting ground).
GROUND_TYPES = frozenset({"TINRelief", "LandUse", "Road", "Railway", "TransportSquare", "WaterBody",
                          "Waterway", "PlantCover"})
#: Names accepted in ``surfaces`` selections.
SURFACE_CHOICES = ("roof", "wall", "ground", "all")

_ROOF = {"RoofSurface", "OuterCeilingSurface"}
_WALL = {"WallSurface", "Window", "Door"}

#: Triangles whose normal is within this cosine of horizontal count as walls when unsemantic.
WALL_NZ = 0.17  # about 10 degrees


@dataclass(frozen=True)
class SamplePoints:
    """Sample points with their identity.

    Attributes
    ----------
    points : (N, 3) float64, model CRS, metres, already offset along the normal
    normals : (N, 3) float64, unit outward normals
    areas : (N,) float64, m2 each point stands for
    triangle : (N,) int64, index of the source triangle in the mesh
    object_index : (N,) int32, index into ``object_ids``
    geometry_index, surface_index : (N,) int32, geometry and surface within the object
    semantic_type : (N,) int16, semantic code (0 where none)
    kind : (N,) int8, 0 roof, 1 wall, 2 ground, 3 other
    object_ids : list of str
    """

    points: np.ndarray
    normals: np.ndarray
    areas: np.ndarray
    triangle: np.ndarray
    object_index: np.ndarray
    geometry_index: np.ndarray
    surface_index: np.ndarray
    semantic_type: np.ndarray
    kind: np.ndarray
    object_ids: list[str]

    def __len__(self) -> int:
        return len(self.points)


KIND_NAMES = ("roof", "wall", "ground", "other")


def footprint_triangles(model, mesh: TriangleMesh) -> np.ndarray:
    """(t,) bool: triangles of LoD 0 geometries of non-ground objects (footprints, roof edges).

    LoD 0 is a 2.5D outline, not a building envelope: a footprint lies at ground level under the
    building, so it is not a surface to analyse unless LoD 0 is asked for explicitly (3D BAG puts an
    LoD 0 footprint on every Building and the 3D envelopes on its BuildingParts).

    Parameters
    ----------
    model : citytwin.semantics.model.CityModel the mesh was triangulated from
    mesh : its triangulated view
    """
    out = np.zeros(len(mesh), bool)
    if len(mesh) == 0:
        return out
    ground = np.array([t in GROUND_TYPES for t in mesh.object_types], bool)
    pairs, inv = np.unique(np.stack([mesh.object_index, mesh.geometry_index], 1).astype(np.int64),
                           axis=0, return_inverse=True)
    zero = np.zeros(len(pairs), bool)
    for i, (oi, gi) in enumerate(pairs.tolist()):
        obj = model.objects.get(mesh.object_ids[oi])
        if obj is None or gi >= len(obj.geometry) or (oi < len(ground) and ground[oi]):
            continue  # terrain, land use, water...: LoD 0 is their real surface
        g = obj.geometry[gi]
        if g.is_instance and g.template is not None and g.template < len(model.templates):
            g = model.templates[g.template]
        zero[i] = _is_lod0(g.lod)
    return zero[inv.reshape(-1)]


def _is_lod0(lod) -> bool:
    """True for LoD "0" (also "lod0", "0.x"); False for None or any other LoD."""
    import re

    m = re.search(r"\d+(\.\d+)?", str(lod)) if lod is not None else None
    return m is not None and float(m.group()) < 1.0


def classify_triangles(mesh: TriangleMesh, footprint: np.ndarray | None = None) -> np.ndarray:
    """Kind of every triangle: 0 roof, 1 wall, 2 ground, 3 other (downward faces, floors...).

    Semantic types decide when present; unsemantic triangles of buildings are classified by
    their normal (walls within ~10 degrees of vertical, roofs facing up); triangles of terrain,
    land use, roads and water objects are ground. Unsemantic triangles marked in ``footprint``
    ((t,) bool, e.g. from :func:`footprint_triangles`) are "other": a footprint without
    semantics is never a roof.
    """
    n = mesh.normals
    kind = np.full(len(mesh), 3, dtype=np.int8)
    roof_codes = [semantic_code(t) for t in _ROOF]
    wall_codes = [semantic_code(t) for t in _WALL]
    st = mesh.semantic_type
    kind[np.isin(st, roof_codes)] = 0
    kind[np.isin(st, wall_codes)] = 1
    unsem = st == 0
    kind[unsem & (np.abs(n[:, 2]) < WALL_NZ)] = 1
    kind[unsem & (n[:, 2] >= WALL_NZ)] = 0
    if footprint is not None:
        kind[unsem & footprint] = 3
    types = np.array(mesh.object_types + [""], dtype=object)
    ground_obj = np.array([t in GROUND_TYPES for t in types[:-1]], dtype=bool)
    if len(ground_obj):
        g = ground_obj[mesh.object_index]
        kind[g] = np.where(n[g, 2] > 0, 2, 3)
    return kind


def select_triangles(mesh: TriangleMesh, surfaces: tuple[str, ...],
                     buildings_only: bool = True, footprint: np.ndarray | None = None) -> np.ndarray:
    """Boolean mask (t,) of triangles to sample for a selection such as ``("roof", "wall")``.

    ``"ground"`` selects the upward faces of terrain-like objects; roofs and walls are taken from
    building objects when ``buildings_only`` (the default), else from every non-ground object.
    ``footprint`` : see :func:`classify_triangles`.
    """
    bad = [s for s in surfaces if s not in SURFACE_CHOICES]
    if bad:
        from citytwin.errors import UsageError

        raise UsageError(f"unknown surface selection {bad[0]!r} (choose from {', '.join(SURFACE_CHOICES)})")
    kind = classify_triangles(mesh, footprint)
    area_ok = mesh.areas > 1e-9
    if "all" in surfaces:
        return area_ok & (kind != 3)
    types = mesh.object_types
    is_bld = np.array([t in BUILDING_TYPES for t in types], dtype=bool)[mesh.object_index] \
        if buildings_only and len(types) else np.ones(len(mesh), bool)
    mask = np.zeros(len(mesh), bool)
    if "roof" in surfaces:
        mask |= (kind == 0) & is_bld
    if "wall" in surfaces:
        mask |= (kind == 1) & is_bld
    if "ground" in surfaces:
        mask |= kind == 2
    return mask & area_ok


def sample_triangles(mesh: TriangleMesh, mask: np.ndarray, resolution: float = 1.0,
                     offset: float = 0.05, max_points: int = 50_000_000,
                     footprint: np.ndarray | None = None) -> SamplePoints:
    """Sample points on the triangles where ``mask`` is True.

    Parameters
    ----------
    mesh : the triangulated model
    mask : (t,) bool, triangles to sample
    resolution : metres, about one point per ``resolution**2`` of area (at least one per triangle)
    offset : metres, shift along the outward normal
    max_points : refuse selections that would produce more points (memory guard)
    footprint : (t,) bool or None, see :func:`classify_triangles`
    """
    if resolution <= 0:
        from citytwin.errors import UsageError

        raise UsageError(f"the resolution must be positive (got {resolution})")
    tri_ids = np.nonzero(mask)[0]
    kind_all = classify_triangles(mesh, footprint)
    normals_all = mesh.normals
    areas_all = mesh.areas
    v = mesh.vertices - mesh.origin
    a = areas_all[tri_ids]
    k = np.maximum(1, np.ceil(np.sqrt(a) / resolution)).astype(np.int64)
    total = int((k * k).sum())
    if total > max_points:
        from citytwin.errors import UsageError

        raise UsageError(f"{total:,} sample points at {resolution} m is more than the limit "
                         f"{max_points:,}; use a coarser --resolution")
    pts_parts, tri_parts, area_parts = [], [], []
    for kk in np.unique(k).tolist():
        sel = tri_ids[k == kk]
        bary = _centroid_barycentrics(kk)  # (kk*kk, 3)
        corners = v[mesh.triangles[sel]]  # (s, 3, 3)
        p = np.einsum("mj,sjc->smc", bary, corners).reshape(-1, 3)
        pts_parts.append(p)
        tri_parts.append(np.repeat(sel, kk * kk))
        area_parts.append(np.repeat(areas_all[sel] / (kk * kk), kk * kk))
    if not pts_parts:
        pts = np.zeros((0, 3))
        tri = np.zeros(0, np.int64)
        areas = np.zeros(0)
    else:
        pts = np.concatenate(pts_parts)
        tri = np.concatenate(tri_parts)
        areas = np.concatenate(area_parts)
    nrm = normals_all[tri]
    pts = pts + nrm * offset
    order = morton_order(pts)
    pts, tri, areas, nrm = pts[order], tri[order], areas[order], nrm[order]
    return SamplePoints(points=pts + mesh.origin, normals=nrm, areas=areas, triangle=tri,
                        object_index=mesh.object_index[tri], geometry_index=mesh.geometry_index[tri],
                        surface_index=mesh.surface_index[tri], semantic_type=mesh.semantic_type[tri],
                        kind=kind_all[tri], object_ids=list(mesh.object_ids))


def _centroid_barycentrics(k: int) -> np.ndarray:
    """Barycentric coordinates (k*k, 3) of the centroids of the k*k sub-triangles of a triangle."""
    out = []
    # upward sub-triangles: corners (i, j), (i+1, j), (i, j+1) in a lattice of step 1/k
    i, j = np.meshgrid(np.arange(k), np.arange(k), indexing="ij")
    up = (i + j) <= k - 1
    iu, ju = i[up], j[up]
    out.append(np.stack([(iu + 1 / 3) / k, (ju + 1 / 3) / k], axis=1))
    down = (i + j) <= k - 2
    idn, jdn = i[down], j[down]
    out.append(np.stack([(idn + 2 / 3) / k, (jdn + 2 / 3) / k], axis=1))
    uv = np.concatenate(out)
    return np.column_stack([1 - uv[:, 0] - uv[:, 1], uv[:, 0], uv[:, 1]])


def morton_order(points: np.ndarray, bits: int = 10) -> np.ndarray:
    """Permutation (n,) sorting points along a 3D Morton (Z-order) curve."""
    if len(points) == 0:
        return np.zeros(0, np.int64)
    lo = points.min(axis=0)
    span = np.maximum(points.max(axis=0) - lo, 1e-9)
    q = ((points - lo) / span * ((1 << bits) - 1)).astype(np.uint64)
    code = np.zeros(len(points), np.uint64)
    for b in range(bits):
        for axis in range(3):
            code |= ((q[:, axis] >> np.uint64(b)) & np.uint64(1)) << np.uint64(3 * b + axis)
    return np.argsort(code, kind="stable")
