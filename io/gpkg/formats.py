"""The GeoPackage family's format (collected by :mod:`citytwin.io.registry`)."""

from __future__ import annotations

from citytwin.io.formatspec import FormatSpec

FORMATS = (FormatSpec("gpkg", "GeoPackage (footprints + 3D surfaces)", (".gpkg",), None,
                      "citytwin.io.gpkg.writer:write_gpkg", ("lod",)),)
SNIFFERS = ()
