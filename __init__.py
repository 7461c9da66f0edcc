"""citytwin: a workbench for 3D city models.

Importing the package is cheap: no Qt, no VTK, no heavy geometry libraries.
"""

__version__ = "0.1.0"
