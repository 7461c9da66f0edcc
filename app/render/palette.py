"""Colours: the semantic surface palette, a categorical palette, and colour maps for values.

Colours are ``(r, g, b)`` uint8 triples. The semantic palette follows the habit of CityGML
viewers (FZKViewer, azul, ninja): roofs red, walls light grey, ground dark grey, windows blue.
"""

from __future__ import annotations

import numpy as np

from citytwin.semantics.surfaces import SEMANTIC_TYPES, semantic_code

#: Colour per semantic type name; types not listed get :data:`OTHER_COLOR`.
SEMANTIC_COLORS: dict[str, tuple[int, int, int]] = {
    "RoofSurface": (200, 40, 35),
    "WallSurface": (222, 222, 222),
    "GroundSurface": (80, 80, 80),
    "Window": (60, 120, 230),
    "Door": (150, 100, 60),
    "ClosureSurface": (190, 190, 150),
    "OuterCeilingSurface": (230, 160, 120),
    "OuterFloorSurface": (170, 130, 100),
    "InteriorWallSurface": (245, 245, 220),
    "CeilingSurface": (250, 235, 200),
    "FloorSurface": (190, 160, 120),
    "WaterSurface": (60, 150, 220),
    "WaterGroundSurface": (40, 90, 140),
    "WaterClosureSurface": (120, 180, 220),
    "TrafficArea": (110, 110, 120),
    "AuxiliaryTrafficArea": (140, 170, 110),
    "TransportationMarking": (250, 250, 250),
    "TransportationHole": (30, 30, 30),
    "GenericThematicSurface": (200, 170, 220),
}
#: Colour of surfaces without semantics.
OTHER_COLOR: tuple[int, int, int] = (205, 200, 185)
#: Colour of objects whose attribute is missing (attribute colouring).
MISSING_COLOR: tuple[int, int, int] = (150, 150, 150)
#: Highlight colour of the selected object.
HIGHLIGHT_COLOR: tuple[int, int, int] = (255, 215, 0)

#: Categorical palette (Tableau 10, as in matplotlib's ``tab10``).
CATEGORICAL: list[tuple[int, int, int]] = [
    (31, 119, 180), (255, 127, 14), (44, 160, 44), (214, 39, 40), (148, 103, 189),
    (140, 86, 75), (227, 119, 194), (127, 127, 127), (188, 189, 34), (23, 190, 207),
]


def semantic_lut() -> np.ndarray:
    """(k, 3) uint8: colour per semantic code (index = code), for every code known now."""
    lut = np.array([SEMANTIC_COLORS.get(name, OTHER_COLOR) for name in SEMANTIC_TYPES], dtype=np.uint8)
    return lut


def semantic_rgb(codes: np.ndarray) -> np.ndarray:
    """(t, 3) uint8 colours of (t,) int16 semantic codes."""
    lut = semantic_lut()
    codes = np.asarray(codes, dtype=np.int64)
    out = np.empty((len(codes), 3), np.uint8)
    ok = (codes >= 0) & (codes < len(lut))
    out[ok] = lut[codes[ok]]
    out[~ok] = OTHER_COLOR
    return out


def semantic_legend(codes: np.ndarray) -> list[tuple[str, tuple[int, int, int]]]:
    """Legend entries (label, colour) for the semantic codes present in (t,) ``codes``."""
    present = np.unique(np.asarray(codes))
    out = []
    for c in present.tolist():
        name = SEMANTIC_TYPES[c] if 0 <= c < len(SEMANTIC_TYPES) else ""
        out.append((name or "(no semantics)", SEMANTIC_COLORS.get(name, OTHER_COLOR)))
    return out


def category_colors(n: int) -> list[tuple[int, int, int]]:
    """``n`` distinct colours: Tableau 10 first, then evenly spaced hues."""
    if n <= len(CATEGORICAL):
        return CATEGORICAL[:n]
    import colorsys

    extra = [tuple(int(255 * c) for c in colorsys.hsv_to_rgb(i / (n - 10), 0.55, 0.85))
             for i in range(n - 10)]
    return CATEGORICAL + extra  # type: ignore[return-value]


def code_of(name: str) -> int:
    """Semantic code of a type name (registers extension types)."""
    return semantic_code(name)
