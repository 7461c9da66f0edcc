"""Semantic surface and city object type vocabularies (CityJSON 2.0 / CityGML 3.0).

Semantic types are stored per triangle as small integer codes (``int16``); code 0 means
"no semantics". Extension types (``+NoiseBarrierSurface``) get codes on first use, so a
model never loses a type it does not know.
"""

from __future__ import annotations

import threading

#: Every semantic surface type of CityJSON 2.0 and CityGML 3.0, in code order (code = index).
SEMANTIC_TYPES: list[str] = [
    "",
    "RoofSurface",
    "GroundSurface",
    "WallSurface",
    "ClosureSurface",
    "OuterCeilingSurface",
    "OuterFloorSurface",
    "Window",
    "Door",
    "InteriorWallSurface",
    "CeilingSurface",
    "FloorSurface",
    "WaterSurface",
    "WaterGroundSurface",
    "WaterClosureSurface",
    "TrafficArea",
    "AuxiliaryTrafficArea",
    "TransportationMarking",
    "TransportationHole",
    "GenericThematicSurface",
]
_CODES: dict[str, int] = {name: i for i, name in enumerate(SEMANTIC_TYPES)}
_LOCK = threading.Lock()

#: The semantic types CityJSON 2.0 itself defines (others are written as extensions).
CITYJSON_SEMANTIC_TYPES = frozenset(SEMANTIC_TYPES[1:19])

#: Boundary surfaces of buildings, bridges and tunnels that face the outside.
EXTERIOR_TYPES = frozenset({"RoofSurface", "GroundSurface", "WallSurface", "ClosureSurface",
                            "OuterCeilingSurface", "OuterFloorSurface", "Window", "Door"})

#: First-level city object types of CityJSON 2.0.
FIRST_LEVEL_TYPES = frozenset({
    "Bridge", "Building", "CityFurniture", "CityObjectGroup", "GenericCityObject", "LandUse",
    "OtherConstruction", "PlantCover", "SolitaryVegetationObject", "TINRelief", "TransportSquare",
    "Railway", "Road", "Tunnel", "WaterBody", "Waterway",
})
#: Second-level city object types of CityJSON 2.0 (they need a parent).
SECOND_LEVEL_TYPES = frozenset({
    "BridgePart", "BridgeInstallation", "BridgeConstructiveElement", "BridgeRoom",
    "BridgeFurniture", "BuildingPart", "BuildingInstallation", "BuildingConstructiveElement",
    "BuildingFurniture", "BuildingStorey", "BuildingRoom", "BuildingUnit", "TunnelPart",
    "TunnelInstallation", "TunnelConstructiveElement", "TunnelHollowSpace", "TunnelFurniture",
})
CITYJSON_OBJECT_TYPES = FIRST_LEVEL_TYPES | SECOND_LEVEL_TYPES


def semantic_code(name: str | None) -> int:
    """Return the int16 code of a semantic surface type, registering unknown ones."""
    if not name:
        return 0
    code = _CODES.get(name)
    if code is None:
        with _LOCK:
            code = _CODES.get(name)
            if code is None:
                code = len(SEMANTIC_TYPES)
                SEMANTIC_TYPES.append(name)
                _CODES[name] = code
    return code


def semantic_name(code: int) -> str:
    """Return the type name of a semantic code ("" for 0)."""
    return SEMANTIC_TYPES[int(code)]


def is_extension_type(name: str) -> bool:
    """True for CityJSON extension type names (``+Something``)."""
    return name.startswith("+")
