"""The mesh-file family's formats (collected by :mod:`citytwin.io.registry`).

Mesh files are recognised by extension only (trimesh tells OBJ, PLY, glTF and STL apart itself).
"""

from __future__ import annotations

from citytwin.io.formatspec import FormatSpec

FORMATS = (
    FormatSpec("mesh", "Mesh (OBJ, PLY, glTF/GLB, STL)", (".obj", ".ply", ".glb", ".gltf", ".stl"),
               "citytwin.io.meshfiles.reader:read_mesh"),
    # export (issue 15): writer only; reading an OBJ goes through "mesh"
    FormatSpec("obj", "Wavefront OBJ + MTL", (".obj",), None, "citytwin.io.meshfiles.obj_writer:write_obj",
               ("lod",)),
)
SNIFFERS = ()
