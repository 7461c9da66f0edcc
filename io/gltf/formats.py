"""The glTF family's format (collected by :mod:`citytwin.io.registry`); .glb files are read as meshes."""

from __future__ import annotations

from citytwin.io.formatspec import FormatSpec

FORMATS = (FormatSpec("gltf", "glTF 2.0 (GLB)", (".glb", ".gltf"), None, "citytwin.io.gltf.writer:write_gltf",
                      ("lod",), embeds_textures=True),)
SNIFFERS = ()
