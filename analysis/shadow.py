"""Shadow study: lit / shadowed state of sample points and of a ground grid, per time step.

Everything is precomputed for every time step (``lit`` arrays of shape (T, N)), so a viewer can
scrub through a day without tracing again. Sun hours integrate the lit state over the period
with the trapezoidal rule (error below one time step).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from citytwin.analysis.irradiance import visible_rays
from citytwin.analysis.raycast import OcclusionScene
from citytwin.progress import ProgressArg, report


@dataclass(frozen=True)
class GroundGrid:
    """A regular grid of ground points around the buildings.

    Attributes
    ----------
    x, y : (nx,), (ny,) float64, cell centres (model CRS)
    z : (ny, nx) float64, ground height under each cell (terrain, else the model's lowest point)
    inside : (ny, nx) bool, cells covered by a building (not ground: no result)
    cell : metres
    """

    x: np.ndarray
    y: np.ndarray
    z: np.ndarray
    inside: np.ndarray
    cell: float

    @property
    def shape(self) -> tuple[int, int]:
        return self.z.shape

    def points(self) -> np.ndarray:
        """(ny*nx, 3) float64 cell centres on the ground, row-major (y outer)."""
        xx, yy = np.meshgrid(self.x, self.y)
        return np.column_stack([xx.ravel(), yy.ravel(), self.z.ravel()])


def time_weights(n: int, step_hours: float) -> np.ndarray:
    """Trapezoidal weights (hours) of ``n`` equally spaced instants ``step_hours`` apart."""
    if n <= 1:
        return np.zeros(n)
    w = np.full(n, step_hours)
    w[0] = w[-1] = step_hours / 2
    return w


def lit_points(scene: OcclusionScene, origins: np.ndarray, normals: np.ndarray | None,
               sun_vectors: np.ndarray, progress: ProgressArg | None = None) -> np.ndarray:
    """Lit state (T, N) bool of points for each sun vector.

    A point is lit when the sun is above the horizon, faces the point's surface (``normals``;
    None for ground points that see the whole sky) and the ray towards it escapes the scene.
    """
    o = np.ascontiguousarray(origins, dtype=np.float32)
    s = np.asarray(sun_vectors, dtype=np.float64)
    up = s[:, 2] > 0
    if normals is None:
        mask = np.broadcast_to(up[None, :], (len(o), len(s)))
    else:
        mask = (np.asarray(normals, float) @ s.T > 0) & up[None, :]
    out = np.zeros((len(s), len(o)), bool)
    step = max(1, 4_000_000 // max(len(s), 1))
    for a in range(0, len(o), step):
        b = min(len(o), a + step)
        out[:, a:b] = visible_rays(scene, o[a:b], s.astype(np.float32), mask[a:b].T)
        report(progress, b / max(len(o), 1))
    return out


def ground_grid(scene: OcclusionScene, origin: np.ndarray, xy_box: tuple[float, float, float, float],
                cell: float, z_top: float, z_base: float, ground_triangle: np.ndarray | None,
                max_cells: int = 4_000_000) -> GroundGrid:
    """Build the ground grid over ``xy_box`` (model CRS) by casting rays straight down.

    Parameters
    ----------
    scene : the whole scene (local coordinates, ``origin`` subtracted)
    xy_box : (xmin, ymin, xmax, ymax)
    cell : grid step in metres (coarsened when the grid would exceed ``max_cells``)
    z_top : a height above everything; z_base : ground height where nothing is hit
    ground_triangle : (t,) bool, which scene triangles are terrain (None: there is no terrain)
    """
    xmin, ymin, xmax, ymax = xy_box
    nx = max(1, int(np.ceil((xmax - xmin) / cell)))
    ny = max(1, int(np.ceil((ymax - ymin) / cell)))
    while nx * ny > max_cells:
        cell *= 1.5
        nx = max(1, int(np.ceil((xmax - xmin) / cell)))
        ny = max(1, int(np.ceil((ymax - ymin) / cell)))
    x = xmin + (np.arange(nx) + 0.5) * cell
    y = ymin + (np.arange(ny) + 0.5) * cell
    xx, yy = np.meshgrid(x, y)
    o = np.column_stack([xx.ravel() - origin[0], yy.ravel() - origin[1],
                         np.full(xx.size, z_top - origin[2])]).astype(np.float32)
    down = np.broadcast_to(np.array([[0, 0, -1]], np.float32), o.shape)
    t, tri = scene.first_hit(o, down)
    hit = np.isfinite(t)
    z = np.full(xx.size, z_base, float)
    inside = np.zeros(xx.size, bool)
    if ground_triangle is not None and len(ground_triangle):
        on_ground = hit & ground_triangle[np.maximum(tri, 0)]
        z[on_ground] = z_top - t[on_ground]
        inside = hit & ~on_ground
    else:
        inside = hit & ((z_top - t) > z_base + 0.2)
        z[hit & ~inside] = z_top - t[hit & ~inside]
    return GroundGrid(x, y, z.reshape(ny, nx), inside.reshape(ny, nx), cell)


def shadow_png(grid: GroundGrid, values: np.ndarray, title: str, vmax: float | None = None) -> bytes:
    """Top view PNG of the ground grid: ``values`` (ny, nx) coloured, buildings dark grey.

    Drawn with matplotlib's Agg canvas (no GUI, no VTK).
    """
    import io

    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.colors import ListedColormap
    from matplotlib.figure import Figure

    ny, nx = grid.shape
    aspect = ny / max(nx, 1)
    fig = Figure(figsize=(7, max(2.5, min(12, 7 * aspect) + 0.6)), dpi=110, layout="constrained")
    FigureCanvasAgg(fig)
    ax = fig.add_subplot()
    ext = (grid.x[0] - grid.cell / 2, grid.x[-1] + grid.cell / 2, grid.y[0] - grid.cell / 2,
           grid.y[-1] + grid.cell / 2)
    v = np.ma.masked_array(values, grid.inside)
    if values.dtype == bool:
        im = ax.imshow(v.astype(float), origin="lower", extent=ext, cmap=ListedColormap(["#3b4a6b", "#ffd966"]),
                       vmin=0, vmax=1, interpolation="nearest")
        cb = fig.colorbar(im, ax=ax, ticks=[0.25, 0.75], shrink=0.8)
        cb.ax.set_yticklabels(["shadow", "sun"])
    else:
        im = ax.imshow(v, origin="lower", extent=ext, cmap="inferno", vmin=0, vmax=vmax,
                       interpolation="nearest")
        fig.colorbar(im, ax=ax, label="hours of direct sun", shrink=0.8)
    ax.imshow(np.ma.masked_array(np.ones_like(values, float), ~grid.inside), origin="lower", extent=ext,
              cmap=ListedColormap(["#555555"]), interpolation="nearest")
    ax.set_title(title, fontsize=10)
    ax.set_xlabel("x (m)")
    ax.set_ylabel("y (m)")
    ax.ticklabel_format(useOffset=False, style="plain")
    buf = io.BytesIO()
    fig.savefig(buf, format="png")
    return buf.getvalue()
