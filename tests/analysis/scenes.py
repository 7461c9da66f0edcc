"""Synthetic scenes with known answers (boxes, panels, walls, canyons) as real CityModels.

Coordinates are Dutch RD New (EPSG:28992) near Amsterdam Schiphol, so the model's CRS gives
the site, and the copied Amsterdam EPW is the matching weather.
"""

from __future__ import annotations

import numpy as np

from citytwin.semantics.crs import CRS
from citytwin.semantics.geometry import make_surface_geometry
from citytwin.semantics.model import CityModel, CityObject

#: RD New coordinates close to the EPW station (52.30 N, 4.77 E).
X0, Y0 = 111000.0, 481000.0


def model_of(objects: list[tuple[str, str, list[tuple[np.ndarray, str]]]], crs: int | None = 28992) -> CityModel:
    """A model from ``(id, type, [(ring (k, 3) array, semantic type), ...])`` entries."""
    m = CityModel()
    for oid, otype, polys in objects:
        rings = []
        for ring, _ in polys:
            start = m.add_vertices(np.asarray(ring, float))
            rings.append([np.arange(start, start + len(ring))])
        g = make_surface_geometry("MultiSurface", "2", rings, semantic_types=[s for _, s in polys])
        m.objects[oid] = CityObject(id=oid, type=otype, geometry=[g])
    if crs is not None:
        m.assign_crs(crs)
    m.touch()
    return m


def box_faces(x0: float, y0: float, w: float, d: float, h: float, z0: float = 0.0) -> list[tuple[np.ndarray, str]]:
    """The six outward-facing faces of an axis-aligned box (counter-clockwise from outside)."""
    x1, y1, z1 = x0 + w, y0 + d, z0 + h
    return [
        (np.array([[x0, y0, z1], [x1, y0, z1], [x1, y1, z1], [x0, y1, z1]]), "RoofSurface"),
        (np.array([[x0, y0, z0], [x0, y1, z0], [x1, y1, z0], [x1, y0, z0]]), "GroundSurface"),
        (np.array([[x0, y0, z0], [x1, y0, z0], [x1, y0, z1], [x0, y0, z1]]), "WallSurface"),
        (np.array([[x1, y0, z0], [x1, y1, z0], [x1, y1, z1], [x1, y0, z1]]), "WallSurface"),
        (np.array([[x1, y1, z0], [x0, y1, z0], [x0, y1, z1], [x1, y1, z1]]), "WallSurface"),
        (np.array([[x0, y1, z0], [x0, y0, z0], [x0, y0, z1], [x0, y1, z1]]), "WallSurface"),
    ]


def panel(centre: np.ndarray, tilt_deg: float, azimuth_deg: float, size: float = 4.0) -> np.ndarray:
    """A square panel ring (4, 3) whose outward normal has the given tilt and azimuth."""
    t, a = np.radians(tilt_deg), np.radians(azimuth_deg)
    n = np.array([np.sin(t) * np.sin(a), np.sin(t) * np.cos(a), np.cos(t)])
    u = np.array([np.cos(a), -np.sin(a), 0.0])  # horizontal, perpendicular to the azimuth
    v = np.cross(n, u)
    h = size / 2
    c = np.asarray(centre, float)
    ring = np.array([c - h * u - h * v, c + h * u - h * v, c + h * u + h * v, c - h * u + h * v])
    assert np.dot(np.cross(ring[1] - ring[0], ring[2] - ring[0]), n) > 0
    return ring
