"""Options for opening mesh files (OBJ, PLY, STL, glTF/GLB) from the GUI: up axis, CRS, offset.

The same placement the fusion dialog asks for a fused mesh (``FuseParams.mesh_up``, ``mesh_crs``,
``mesh_offset``), checked here without Qt so that a bad value gives one sentence naming the
dialog's field and the file, and turned into the keyword options of
:func:`citytwin.io.meshfiles.reader.read_mesh`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

from citytwin.errors import UsageError

#: Suffixes read by the mesh reader (3D Tiles and b3dm have their own frame: no options).
MESH_SUFFIXES = frozenset({".obj", ".ply", ".stl", ".glb", ".gltf"})
#: Up-axis choices: the fusion dialog's, and minus Z / minus Y for scans that open upside down.
UP_AXES = ("auto", "z", "y", "-z", "-y")


def is_mesh_file(path: str | Path) -> bool:
    """Is ``path`` a mesh file the open options apply to (by its suffix)?"""
    return Path(path).suffix.lower() in MESH_SUFFIXES


@dataclass(frozen=True)
class MeshOpenOptions:
    """How to place a mesh when opening it.

    Attributes
    ----------
    up : "auto" (glTF/GLB Y-up, OBJ/PLY/STL Z-up), "z", "y", or "-z" / "-y" (a scan upside down,
        or in a camera frame with Y down)
    crs : CRS of the coordinates after the offset ("" for none)
    offset : (east, north, height) metres added after the up-axis change
    """

    up: str = "auto"
    crs: str = ""
    offset: tuple[float, float, float] = (0.0, 0.0, 0.0)

    def check(self, files: list[str | Path]) -> None:
        """Raise UsageError (one sentence naming the field and the file) when a value is unusable."""
        names = ", ".join(Path(f).name for f in files) or "the mesh"
        if self.up not in UP_AXES:
            raise UsageError(f"Up axis {self.up!r} for {names}: choose one of {', '.join(UP_AXES)}")
        if not all(math.isfinite(v) for v in self.offset):
            raise UsageError(f"Offset E, N, H for {names} must be finite numbers of metres")
        if self.crs.strip():
            from citytwin.semantics.crs import CRS

            try:
                CRS.parse(self.crs.strip()).to_pyproj()
            except (UsageError, ValueError) as exc:
                why = getattr(exc, "message", None) or str(exc)
                raise UsageError(f"CRS {self.crs.strip()!r} for {names} is not a CRS PROJ knows "
                                 f"(give a code such as EPSG:28992): {why}") from None

    def reader_options(self) -> dict:
        """Keyword options of :func:`~citytwin.io.meshfiles.reader.read_mesh`."""
        out: dict = {"up": self.up, "offset": tuple(float(v) for v in self.offset)}
        if self.crs.strip():
            out["crs"] = self.crs.strip()
        return out
