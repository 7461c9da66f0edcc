"""GeoPackage family: footprints and 3D surfaces as OGC GeoPackage layers (write)."""
