"""citytwin: a workbench for 3D city models.

Importing the package is cheap: no Qt, no VTK, no numpy, no heavy geometry libraries. The public
Python API (``citytwin.read``, ``citytwin.solar``, ...; see :mod:`citytwin.api`) is loaded on
first use of one of its names, as pyvista and scipy load theirs.
"""

import importlib as _importlib

from citytwin.json_floats import ensure_exact_json_floats as _exact_json

__version__ = "0.1.0"

_exact_json()  # a library imported before us (cjio) may have made every JSON float 6-decimal

#: The public names, all defined in :mod:`citytwin.api`.
_API = ("CityModel", "read", "write", "formats", "info", "convert", "fuse", "solar", "shadow", "sky_view_factor",
        "to_pyvista", "Table")

__all__ = ["__version__", *_API]

# Type checkers and IDEs read the names from __init__.pyi. The import below is dynamic so the
# import contracts see no arrow from the package root (which every layer imports for
# __version__) up to the API.


def __getattr__(name: str) -> object:
    if name in _API:
        value = getattr(_importlib.import_module("citytwin.api"), name)
        globals()[name] = value  # later look-ups skip this function
        return value
    raise AttributeError(f"module 'citytwin' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted({k for k in globals() if not k.startswith("_")} | {"__version__", *_API})
