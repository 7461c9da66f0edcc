"""3D Tiles family: tileset.json 1.0 / 1.1 and Batched 3D Model (.b3dm) tiles (read), 3D Tiles 1.1 (write)."""
