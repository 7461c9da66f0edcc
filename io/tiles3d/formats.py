"""The 3D Tiles family's formats and content tests (collected by :mod:`citytwin.io.registry`)."""

from __future__ import annotations

from pathlib import Path

from citytwin.io.formatspec import FormatSpec, Sniffer

FORMATS = (
    FormatSpec("b3dm", "3D Tiles (b3dm, tileset.json)", (".b3dm", "tileset.json"),
               "citytwin.io.tiles3d.reader:read_3dtiles"),
    # export (issue 15): writer only; reading a tileset goes through "b3dm"
    FormatSpec("3dtiles", "3D Tiles 1.1 (tileset.json + GLB)", (".tileset.json", "tileset.json"), None,
               "citytwin.io.tiles3d.writer:write_3dtiles", ("lod",), embeds_textures=True),
)

#: keys of a glTF JSON (or a CityJSON) that a tileset.json does not have at its top
_GLTF_KEYS = (b'"accessors"', b'"meshes"', b'"bufferViews"', b'"scenes"', b'"CityObjects"')


def is_tileset(head: bytes, path: Path) -> bool:
    """A tileset.json: ``asset`` and ``geometricError`` and no ``CityObjects`` (its schema may
    well mention CityJSON, so this runs before the CityJSON test)."""
    return head[:1] == b"{" and b'"geometricError"' in head and b'"asset"' in head \
        and b'"CityObjects"' not in head


def is_b3dm_or_tileset(head: bytes, path: Path) -> bool:
    """A b3dm tile (its magic), or a JSON with ``asset`` and none of a glTF's or CityJSON's keys."""
    return head[:4] == b"b3dm" or (head[:1] == b"{" and b'"asset"' in head
                                   and not any(k in head for k in _GLTF_KEYS))


SNIFFERS = (Sniffer("b3dm", is_tileset, 20), Sniffer("b3dm", is_b3dm_or_tileset))
