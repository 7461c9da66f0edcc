"""glTF family: glTF 2.0 binary (GLB) export, shared by the 3D Tiles writer."""
