"""Read a CityGML 1.0 / 2.0 / 3.0 file (plain or ``.gml.gz``) into a CityModel: :func:`read_citygml`.

The model follows the CityJSON 2.0 conventions, as the CityJSON reader's does: thematic
surfaces (WallSurface, RoofSurface, Window, ...) become semantic surfaces of the geometries that
use their polygons (through ``xlink:href``) or, when no geometry does, of one MultiSurface per
LoD; BuildingParts, installations, rooms, storeys... become child objects; generic attributes,
building attributes and ADE properties (namespaced, ``prefix:name``) become attributes; xAL
addresses become CityJSON address objects; implicit geometries become templates.

How the work is divided (read in this order):

- :mod:`~citytwin.io.citygml.probe`: what the file is (root element, version);
- :mod:`~citytwin.io.citygml.document`: one streaming pass over the members
  (:class:`~citytwin.io.citygml.document.CityGMLReader`);
- :mod:`~citytwin.io.citygml.features`: objects, attributes and thematic surfaces of a member;
- :mod:`~citytwin.io.citygml.geometry` and :mod:`~citytwin.io.citygml.geometry_build`: GML
  geometry recorded, then built into index arrays a batch at a time;
- :mod:`~citytwin.io.citygml.assembly`: batches built into the model, appearances applied;
- :mod:`~citytwin.io.citygml.appearance`, :mod:`~citytwin.io.citygml.attributes`: their parts;
- :mod:`~citytwin.io.citygml.split`: large files read in parallel parts.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from citytwin.errors import InputError
from citytwin.io.citygml.document import CityGMLReader
from citytwin.semantics.model import CityModel


def read_citygml(path: str | Path, workers: int | None = None, split_min_bytes: int = 48_000_000,
                 **options: Any) -> CityModel:
    """Read a CityGML 1.0, 2.0 or 3.0 file (``.gml``, ``.xml``, ``.gml.gz``) into a CityModel.

    A plain file of at least ``split_min_bytes`` is read in parts by ``workers`` processes (default:
    2 when the machine has 2 cores or more; 1 = always in this process), split between top-level
    ``cityObjectMember`` elements; when a part has anything that could depend on another part
    (unresolved xlinks, appearances, implicit geometry templates, generated ids) the file is read
    again in one pass, so the result is always that of the one-pass reader
    (:mod:`citytwin.io.citygml.split`).

    Raises InputError for files that are not CityGML, malformed or truncated XML, unsafe XML
    (entities) and unknown versions; per-object problems (bad rings, unresolvable xlinks,
    refused texture paths) are in ``model.problems``.
    """
    from citytwin.mesh.gcpause import gc_paused

    path = Path(path)
    if not path.exists():
        raise InputError(path, "no such file")
    with gc_paused():
        if workers != 1:
            from citytwin.io.citygml.split import read_in_parts

            model = read_in_parts(path, workers, split_min_bytes)
            if model is not None:
                return model
        return CityGMLReader(path).read()
