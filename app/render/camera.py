"""Camera states without Qt: read, apply, switch projection, and bookmarks in model coordinates.

The viewport draws every layer shifted to a local origin (float32 precision), so a camera state
read from VTK is in those shifted coordinates; a *bookmark* stores it in the project CRS (the
origin added back) with the CRS's name, so that it still points at the same place after the
layers are closed and opened again (another origin), and is refused in another CRS.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field

import numpy as np


@dataclass(frozen=True)
class CameraState:
    """A camera (metres in the coordinates it was read in).

    Attributes
    ----------
    position, focal_point : (3,) camera position and the point it looks at
    view_up : (3,) unit up vector
    view_angle : degrees, vertical field of view of the perspective projection
    parallel : orthographic (parallel) projection
    parallel_scale : metres, half the height of the view in the orthographic projection
    """

    position: tuple[float, float, float]
    focal_point: tuple[float, float, float]
    view_up: tuple[float, float, float]
    view_angle: float = 30.0
    parallel: bool = False
    parallel_scale: float = 1.0

    def shifted(self, delta) -> "CameraState":
        """The same camera with ``delta`` (3,) added to its position and focal point."""
        d = np.asarray(delta, dtype=np.float64)
        return CameraState(tuple((np.asarray(self.position) + d).tolist()),
                           tuple((np.asarray(self.focal_point) + d).tolist()),
                           self.view_up, self.view_angle, self.parallel, self.parallel_scale)

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, d: dict) -> "CameraState":
        return cls(tuple(map(float, d["position"])), tuple(map(float, d["focal_point"])),
                   tuple(map(float, d["view_up"])), float(d.get("view_angle", 30.0)),
                   bool(d.get("parallel", False)), float(d.get("parallel_scale", 1.0)))


def get_camera(renderer) -> CameraState:
    """The state of a VTK renderer's active camera."""
    c = renderer.GetActiveCamera()
    return CameraState(tuple(c.GetPosition()), tuple(c.GetFocalPoint()), tuple(c.GetViewUp()),
                       float(c.GetViewAngle()), bool(c.GetParallelProjection()), float(c.GetParallelScale()))


def set_camera(renderer, state: CameraState) -> None:
    """Apply ``state`` to a VTK renderer's active camera (no render)."""
    c = renderer.GetActiveCamera()
    c.SetPosition(*state.position)
    c.SetFocalPoint(*state.focal_point)
    c.SetViewUp(*state.view_up)
    c.SetViewAngle(state.view_angle)
    c.SetParallelProjection(state.parallel)
    c.SetParallelScale(state.parallel_scale)
    renderer.ResetCameraClippingRange()


def set_parallel(renderer, parallel: bool) -> None:
    """Switch between perspective and orthographic keeping the size of things at the focal point:
    the orthographic half-height equals the perspective's half-height at the focal distance."""
    c = renderer.GetActiveCamera()
    if bool(c.GetParallelProjection()) == parallel:
        return
    d = c.GetDistance()
    half = d * math.tan(math.radians(c.GetViewAngle()) / 2)
    if parallel:
        c.SetParallelScale(half)
    else:  # move along the view direction so that the focal plane keeps its size
        d_new = c.GetParallelScale() / math.tan(math.radians(c.GetViewAngle()) / 2)
        f = np.asarray(c.GetFocalPoint())
        direction = np.asarray(c.GetDirectionOfProjection())
        c.SetPosition(*(f - direction * d_new))
    c.SetParallelProjection(parallel)
    renderer.ResetCameraClippingRange()


def metres_per_pixel(renderer) -> float:
    """Metres one pixel spans at the camera's focal point (the whole view when orthographic)."""
    c = renderer.GetActiveCamera()
    h = max(renderer.GetSize()[1], 1)
    if c.GetParallelProjection():
        return 2.0 * c.GetParallelScale() / h
    return 2.0 * c.GetDistance() * math.tan(math.radians(c.GetViewAngle()) / 2) / h


@dataclass
class Bookmarks:
    """Named camera states in project-CRS coordinates (``crs``: the CRS they were set in)."""

    items: dict[str, dict] = field(default_factory=dict)  # name -> {"crs": str, "camera": CameraState dict}

    def add(self, name: str, state: CameraState, origin, crs: str | None) -> None:
        """Store ``state`` (viewport coordinates, local ``origin`` (3,)) under ``name``."""
        real = state.shifted(np.zeros(3) if origin is None else origin)
        self.items[name] = {"crs": crs or "", "camera": real.to_dict()}

    def camera_for(self, name: str, origin, crs: str | None) -> CameraState:
        """The bookmark ``name`` in viewport coordinates (local ``origin``).

        Raises
        ------
        KeyError : no such bookmark
        ValueError : the bookmark was set in another CRS than ``crs`` (one sentence saying which)
        """
        item = self.items[name]
        if item["crs"] and crs and item["crs"] != crs:
            raise ValueError(f"the bookmark {name!r} was set in {item['crs']}; the layers are shown in {crs}")
        real = CameraState.from_dict(item["camera"])
        return real.shifted(-(np.zeros(3) if origin is None else np.asarray(origin, dtype=np.float64)))

    def to_json(self) -> str:
        import json

        return json.dumps(self.items)

    @classmethod
    def from_json(cls, text: str | None) -> "Bookmarks":
        import json

        try:
            items = json.loads(text) if text else {}
        except ValueError:
            items = {}
        ok = {k: v for k, v in items.items() if isinstance(v, dict) and isinstance(v.get("camera"), dict)} \
            if isinstance(items, dict) else {}
        return cls(ok)
