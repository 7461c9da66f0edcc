"""citytwin: a workbench for 3D city models.

Importing the package is cheap: no Qt, no VTK, no heavy geometry libraries.
"""

from citytwin.json_floats import ensure_exact_json_floats as _exact_json

__version__ = "0.1.0"

_exact_json()  # a library imported before us (cjio) may have made every JSON float 6-decimal
