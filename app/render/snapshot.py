"""Off-screen rendering of a model to a PNG (used by ``citytwin demo`` and tests; no Qt)."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from citytwin.semantics.model import CityModel

#: Background gradient of the viewport (bottom, top), as in CAD viewers.
BACKGROUND = ((0.93, 0.94, 0.96), (0.70, 0.76, 0.85))


def set_view(plotter, view: str = "iso") -> None:
    """Standard views: "iso" (south-west, from above), "top", "bottom", "front", "back", "left", "right"."""
    if view == "top":
        plotter.view_xy(render=False)
    elif view == "bottom":
        plotter.view_xy(negative=True, render=False)
    elif view == "front":
        plotter.view_xz(render=False)
    elif view == "back":
        plotter.view_xz(negative=True, render=False)
    elif view == "left":
        plotter.view_yz(negative=True, render=False)
    elif view == "right":
        plotter.view_yz(render=False)
    else:
        plotter.view_isometric(render=False)
        cam = plotter.camera
        # look from the south-west and from above (isometric in pyvista is from +x+y+z)
        fx, fy, fz = cam.focal_point
        px, py, pz = cam.position
        d = np.linalg.norm([px - fx, py - fy, pz - fz])
        direction = np.array([-0.55, -0.75, 0.65])
        direction /= np.linalg.norm(direction)
        cam.position = (fx + d * direction[0], fy + d * direction[1], fz + d * direction[2])
        cam.up = (0.0, 0.0, 1.0)
    plotter.reset_camera(render=False)  # the caller renders once (the viewport: one render per action)


def style_plotter(plotter) -> None:
    """Background, light and axes widget shared by the viewport and off-screen renders."""
    plotter.set_background(BACKGROUND[0], top=BACKGROUND[1])
    import warnings

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # OSMesa/EGL builds fall back to SSAA and say so
            plotter.enable_anti_aliasing("fxaa")
    except Exception:  # noqa: BLE001 - not every GL context offers it
        pass


def render_model_png(model: CityModel, out: str | Path, color_by: str | None = "semantic",
                     size: tuple[int, int] = (1400, 900), view: str = "iso", legend: bool = True,
                     values=None, values_title: str = "") -> Path:
    """Render ``model`` off-screen and save a PNG.

    Parameters
    ----------
    model : the model
    out : PNG path
    color_by : "semantic", "texture" or an attribute name
    size : (width, height) pixels
    view : standard view name (see :func:`set_view`)
    legend : draw the legend / scalar bar
    values : optional (t,) per-triangle analysis values (override ``color_by``)

    Returns
    -------
    Path of the written PNG (written atomically).
    """
    import pyvista as pv

    from citytwin.app.render.coloring import color_values, coloring_for
    from citytwin.app.render.offscreen import prefer_headless_window
    from citytwin.app.render.scene import add_legend, add_scene, model_scene

    tri = model.triangulate()
    scene = model_scene(model, tri)
    coloring = color_values(values, values_title) if values is not None else coloring_for(model, tri, color_by)
    prefer_headless_window()  # no display: EGL/OSMesa straight away, not X first and a warning
    plotter = pv.Plotter(off_screen=True, window_size=list(size))
    try:
        style_plotter(plotter)
        add_scene(plotter, scene, coloring, scalar_bar=legend)
        if legend:
            add_legend(plotter, coloring)
        set_view(plotter, view)
        img = plotter.screenshot(None, return_img=True)
    finally:
        plotter.close()
    return save_png(img, out)


def save_png(img: np.ndarray, out: str | Path) -> Path:
    """Write an (h, w, 3|4) uint8 image as PNG, atomically."""
    import io

    from PIL import Image

    from citytwin.io.atomic import atomic_write_bytes

    buf = io.BytesIO()
    Image.fromarray(np.ascontiguousarray(img)).save(buf, format="PNG")
    out = Path(out)
    atomic_write_bytes(out, buf.getvalue())
    import os

    umask = os.umask(0)
    os.umask(umask)
    os.chmod(out, 0o666 & ~umask)  # the temporary file was created 0600
    return out
