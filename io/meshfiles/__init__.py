"""Mesh-file family: OBJ, PLY, glTF/GLB and STL through trimesh (read) and Wavefront OBJ + MTL (write).

Named ``meshfiles`` so it is not confused with :mod:`citytwin.mesh`, the geometry kernels.
"""
