"""CityGML 1.0 / 2.0 / 3.0 vocabulary: namespaces, city object classes, thematic surfaces.

Maps CityGML element names to the CityJSON 2.0 names the model uses, for the reader, and back,
for the writer. Element names are compared by local name within a CityGML module namespace;
names CityJSON does not know keep their CityGML name prefixed with ``+`` (extension style), so
nothing is lost.
"""

from __future__ import annotations

GML31 = "http://www.opengis.net/gml"
GML32 = "http://www.opengis.net/gml/3.2"
XLINK = "http://www.w3.org/1999/xlink"
XAL2 = "urn:oasis:names:tc:ciq:xsdschema:xAL:2.0"
XAL3 = "urn:oasis:names:tc:ciq:xal:3"
CITYGML_PREFIX = "http://www.opengis.net/citygml/"
INDOORGML_PREFIX = "http://www.opengis.net/indoorgml/"

#: Version of CityGML per core namespace.
CORE_VERSIONS = {
    "http://www.opengis.net/citygml/1.0": "1.0",
    "http://www.opengis.net/citygml/2.0": "2.0",
    "http://www.opengis.net/citygml/3.0": "3.0",
}


_MODULE_CACHE: dict[str | None, str | None] = {}


def module_of(ns: str | None) -> str | None:
    """CityGML module of a namespace (``building``, ``core``, ``gml``, ``xal``, ...) or None (ADE/other)."""
    try:
        return _MODULE_CACHE[ns]
    except KeyError:
        m = _MODULE_CACHE[ns] = _module_of(ns)
        return m


def _module_of(ns: str | None) -> str | None:
    if not ns:
        return None
    if ns in (GML31, GML32):
        return "gml"
    if ns.startswith(CITYGML_PREFIX):
        rest = ns[len(CITYGML_PREFIX):].split("/")
        if len(rest) == 1 or rest[0] in ("1.0", "2.0", "3.0"):
            return "core"
        return rest[0].lower()
    if ns in (XAL2, XAL3) or ns.startswith("urn:oasis:names:tc:ciq"):
        return "xal"
    return None


#: CityGML city object class (local name) -> CityJSON type.
OBJECT_TYPES: dict[str, str] = {
    "Building": "Building", "BuildingPart": "BuildingPart",
    "BuildingInstallation": "BuildingInstallation", "IntBuildingInstallation": "BuildingInstallation",
    "BuildingConstructiveElement": "BuildingConstructiveElement",
    "Room": "BuildingRoom", "BuildingRoom": "BuildingRoom", "BuildingFurniture": "BuildingFurniture",
    "Storey": "BuildingStorey", "BuildingUnit": "BuildingUnit",
    "Bridge": "Bridge", "BridgePart": "BridgePart", "BridgeInstallation": "BridgeInstallation",
    "IntBridgeInstallation": "BridgeInstallation", "BridgeConstructionElement": "BridgeConstructiveElement",
    "BridgeConstructiveElement": "BridgeConstructiveElement", "BridgeRoom": "BridgeRoom",
    "BridgeFurniture": "BridgeFurniture",
    "Tunnel": "Tunnel", "TunnelPart": "TunnelPart", "TunnelInstallation": "TunnelInstallation",
    "IntTunnelInstallation": "TunnelInstallation", "TunnelConstructiveElement": "TunnelConstructiveElement",
    "HollowSpace": "TunnelHollowSpace", "TunnelFurniture": "TunnelFurniture",
    "TINRelief": "TINRelief", "Road": "Road", "Railway": "Railway", "Square": "TransportSquare",
    "Waterway": "Waterway", "WaterBody": "WaterBody", "LandUse": "LandUse", "PlantCover": "PlantCover",
    "SolitaryVegetationObject": "SolitaryVegetationObject", "CityFurniture": "CityFurniture",
    "GenericCityObject": "GenericCityObject", "GenericOccupiedSpace": "GenericCityObject",
    "GenericUnoccupiedSpace": "GenericCityObject", "GenericLogicalSpace": "GenericCityObject",
    "CityObjectGroup": "CityObjectGroup", "OtherConstruction": "OtherConstruction",
    # CityGML classes without a CityJSON 2.0 type: kept as extension types
    "Track": "+Track", "Section": "+Section", "Intersection": "+Intersection",
    "MassPointRelief": "+MassPointRelief", "BreaklineRelief": "+BreaklineRelief",
    "RasterRelief": "+RasterRelief", "HoleSurface": "+HoleSurface",
}

#: Thematic (boundary) surface classes -> CityJSON semantic surface type.
SEMANTIC_TYPES: dict[str, str] = {
    "RoofSurface": "RoofSurface", "WallSurface": "WallSurface", "GroundSurface": "GroundSurface",
    "ClosureSurface": "ClosureSurface", "OuterCeilingSurface": "OuterCeilingSurface",
    "OuterFloorSurface": "OuterFloorSurface", "Window": "Window", "Door": "Door",
    "WindowSurface": "Window", "DoorSurface": "Door",
    "InteriorWallSurface": "InteriorWallSurface", "CeilingSurface": "CeilingSurface",
    "FloorSurface": "FloorSurface", "WaterSurface": "WaterSurface",
    "WaterGroundSurface": "WaterGroundSurface", "WaterClosureSurface": "WaterClosureSurface",
    "TrafficArea": "TrafficArea", "AuxiliaryTrafficArea": "AuxiliaryTrafficArea",
    "Marking": "TransportationMarking", "Hole": "TransportationHole", "HoleSurface": "TransportationHole",
    "GenericThematicSurface": "GenericThematicSurface",
}

#: 3.0 spaces whose boundaries belong to the enclosing object in CityJSON (transparent containers).
TRANSPARENT_SPACES = frozenset({"TrafficSpace", "AuxiliaryTrafficSpace", "ClearanceSpace"})

#: Relief container: its components become top-level TINRelief objects.
RELIEF_FEATURE = "ReliefFeature"

#: Attributes with a numeric type in the CityGML schemas.
INT_ATTRIBUTES = frozenset({"yearOfConstruction", "yearOfDemolition", "storeysAboveGround",
                            "storeysBelowGround", "lod"})
FLOAT_ATTRIBUTES = frozenset({"measuredHeight", "averageHeight", "storeyHeightsAboveGround",
                              "storeyHeightsBelowGround", "height", "trunkDiameter", "crownDiameter",
                              "rootBallDiameter", "maxDepth"})

#: CityJSON type -> (module, element) for the writer, per CityGML version.
WRITE_CLASSES_2 = {
    "Building": ("bldg", "Building"), "BuildingPart": ("bldg", "BuildingPart"),
    "BuildingInstallation": ("bldg", "BuildingInstallation"), "BuildingRoom": ("bldg", "Room"),
    "BuildingFurniture": ("bldg", "BuildingFurniture"),
    "Bridge": ("brid", "Bridge"), "BridgePart": ("brid", "BridgePart"),
    "BridgeInstallation": ("brid", "BridgeInstallation"),
    "BridgeConstructiveElement": ("brid", "BridgeConstructionElement"), "BridgeRoom": ("brid", "BridgeRoom"),
    "BridgeFurniture": ("brid", "BridgeFurniture"),
    "Tunnel": ("tun", "Tunnel"), "TunnelPart": ("tun", "TunnelPart"),
    "TunnelInstallation": ("tun", "TunnelInstallation"), "TunnelHollowSpace": ("tun", "HollowSpace"),
    "TunnelFurniture": ("tun", "TunnelFurniture"),
    "TINRelief": ("dem", "TINRelief"), "Road": ("tran", "Road"), "Railway": ("tran", "Railway"),
    "TransportSquare": ("tran", "Square"), "+Track": ("tran", "Track"), "WaterBody": ("wtr", "WaterBody"),
    "LandUse": ("luse", "LandUse"), "PlantCover": ("veg", "PlantCover"),
    "SolitaryVegetationObject": ("veg", "SolitaryVegetationObject"),
    "CityFurniture": ("frn", "CityFurniture"), "GenericCityObject": ("gen", "GenericCityObject"),
    "CityObjectGroup": ("grp", "CityObjectGroup"),
}
WRITE_CLASSES_3 = {
    "Building": ("bldg", "Building"), "BuildingPart": ("bldg", "BuildingPart"),
    "BuildingInstallation": ("bldg", "BuildingInstallation"), "BuildingRoom": ("bldg", "BuildingRoom"),
    "BuildingFurniture": ("bldg", "BuildingFurniture"),
    "BuildingConstructiveElement": ("bldg", "BuildingConstructiveElement"),
    "BuildingStorey": ("bldg", "Storey"), "BuildingUnit": ("bldg", "BuildingUnit"),
    "Bridge": ("brid", "Bridge"), "BridgePart": ("brid", "BridgePart"),
    "BridgeInstallation": ("brid", "BridgeInstallation"),
    "BridgeConstructiveElement": ("brid", "BridgeConstructiveElement"), "BridgeRoom": ("brid", "BridgeRoom"),
    "BridgeFurniture": ("brid", "BridgeFurniture"),
    "Tunnel": ("tun", "Tunnel"), "TunnelPart": ("tun", "TunnelPart"),
    "TunnelInstallation": ("tun", "TunnelInstallation"), "TunnelHollowSpace": ("tun", "HollowSpace"),
    "TunnelFurniture": ("tun", "TunnelFurniture"),
    "TunnelConstructiveElement": ("tun", "TunnelConstructiveElement"),
    "TINRelief": ("dem", "TINRelief"), "Road": ("tran", "Road"), "Railway": ("tran", "Railway"),
    "TransportSquare": ("tran", "Square"), "+Track": ("tran", "Track"), "+Section": ("tran", "Section"),
    "+Intersection": ("tran", "Intersection"), "Waterway": ("tran", "Waterway"),
    "WaterBody": ("wtr", "WaterBody"), "LandUse": ("luse", "LandUse"), "PlantCover": ("veg", "PlantCover"),
    "SolitaryVegetationObject": ("veg", "SolitaryVegetationObject"),
    "CityFurniture": ("frn", "CityFurniture"), "GenericCityObject": ("gen", "GenericOccupiedSpace"),
    "CityObjectGroup": ("grp", "CityObjectGroup"), "OtherConstruction": ("con", "OtherConstruction"),
}

#: Semantic type -> CityGML element name per version (2.0 / 3.0).
WRITE_SEMANTICS_2 = {"Window": "Window", "Door": "Door", "TransportationMarking": None,
                     "TransportationHole": None, "GenericThematicSurface": None}
WRITE_SEMANTICS_3 = {"Window": "WindowSurface", "Door": "DoorSurface", "TransportationMarking": "Marking",
                     "TransportationHole": "HoleSurface"}
