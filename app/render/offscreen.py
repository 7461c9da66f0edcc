"""Off-screen VTK rendering on a machine without a display (a server, CI, ``citytwin demo`` over ssh).

VTK 9.4+ picks its OpenGL window at run time: it tries X first and, with no X server, logs a
coloured "bad X server connection" warning before falling back. :func:`prefer_headless_window`
names a headless window class up front through VTK's ``VTK_DEFAULT_OPENGL_WINDOW`` variable: EGL
(GPU or Mesa's EGL) when libEGL is present, else OSMesa when libOSMesa is; otherwise it leaves
VTK's own choice alone.
"""

from __future__ import annotations

import ctypes.util
import os
import sys


def prefer_headless_window() -> str | None:
    """Choose a headless VTK window when there is no display; returns the class chosen, or None.

    Does nothing when a display is set (X11 or Wayland), when the user already chose
    (``VTK_DEFAULT_OPENGL_WINDOW``), or off Linux (Windows and macOS render off-screen natively).
    """
    if not sys.platform.startswith("linux") or os.environ.get("VTK_DEFAULT_OPENGL_WINDOW"):
        return None
    if os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"):
        return None
    for lib, cls in (("EGL", "vtkEGLRenderWindow"), ("OSMesa", "vtkOSOpenGLRenderWindow")):
        if ctypes.util.find_library(lib):
            os.environ["VTK_DEFAULT_OPENGL_WINDOW"] = cls
            return cls
    return None
