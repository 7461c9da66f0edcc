"""Readers and writers, one sub-package per format family, and the registry that picks them.

Use :func:`read` and :func:`write`; both pick the format by content and extension
(:mod:`citytwin.io.registry`). Families: :mod:`~citytwin.io.cityjson`, :mod:`~citytwin.io.citygml`,
:mod:`~citytwin.io.ifc`, :mod:`~citytwin.io.tiles3d`, :mod:`~citytwin.io.gltf`,
:mod:`~citytwin.io.meshfiles`, :mod:`~citytwin.io.gpkg`; each declares its formats in its
``formats`` module. Shared here: :mod:`~citytwin.io.atomic` (atomic writes),
:mod:`~citytwin.io.safe_io` (input and reference checks), :mod:`~citytwin.io.xml_safe` (safe XML
parsing), :mod:`~citytwin.io.textures` (texture images beside an output).
"""

from citytwin.io.registry import read, write  # noqa: F401
