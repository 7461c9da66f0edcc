"""Coordinate reference systems: parsing every common spelling, pyproj objects, reprojection.

A :class:`CRS` keeps the horizontal (or 3D) part and the vertical part apart, so a
reprojection never drops the height system. Vertices in a :class:`~citytwin.semantics.model.CityModel`
are always in *x/y order* (easting, northing; or longitude, latitude for geographic CRSs):
readers of latitude-first formats swap axes on the way in and writers swap them back.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

import numpy as np

from citytwin.errors import UsageError

if TYPE_CHECKING:  # pragma: no cover
    import pyproj

_EPSG_RE = re.compile(r"EPSG(?:[/:][\d.]*)?[:/]+(\d+)\s*$", re.IGNORECASE)
_EPSG_PAIR_RE = re.compile(r"^\s*(?:EPSG:)?(\d+)\s*\+\s*(?:EPSG:)?(\d+)\s*$", re.IGNORECASE)


@dataclass(frozen=True)
class CRS:
    """A CRS as an EPSG code (possibly compound) or a pair horizontal + vertical, or a WKT/PROJ string.

    Attributes
    ----------
    code : EPSG code of the whole CRS when it has one (7415 for RD New + NAP, 4979, ...)
    horizontal : EPSG code of the horizontal (or geographic 3D) part when given separately
    vertical : EPSG code of the vertical part when given separately
    definition : any other definition pyproj understands (WKT, PROJ string, URN), or a local name
    """

    code: int | None = None
    horizontal: int | None = None
    vertical: int | None = None
    definition: str | None = None

    # -- constructors ---------------------------------------------------------------------
    @classmethod
    def parse(cls, text: str | int | None) -> "CRS | None":
        """Parse a CRS from any usual spelling; None for empty input.

        Understands ``EPSG:7415``, ``7415``, ``urn:ogc:def:crs:EPSG::7415``,
        ``urn:ogc:def:crs:EPSG:6.12:3068``, ``https://www.opengis.net/def/crs/EPSG/0/7415``,
        compound URNs ``urn:ogc:def:crs,crs:EPSG::25832,crs:EPSG::5783``, OGC compound URLs
        ``http://www.opengis.net/def/crs-compound?1=...&2=...``, ``EPSG:25832+5783`` and the
        German AdV URNs ``urn:adv:crs:DE_DHDN_3GK4*DE_DHN92_NH`` (:data:`ADV_CODES`); anything
        else is kept as a definition for pyproj.
        """
        if text is None:
            return None
        if isinstance(text, int):
            return cls(code=text)
        s = str(text).strip()
        if not s:
            return None
        if s.isdigit():
            return cls(code=int(s))
        low = s.lower()
        if "crs-compound" in low:
            parts = re.findall(r"=([^&]+)", s)
            codes = [c for c in (cls.parse(p) for p in parts) if c is not None]
            if len(codes) == 2 and codes[0].code and codes[1].code:
                return cls(horizontal=codes[0].code, vertical=codes[1].code)
        if low.startswith("urn:ogc:def:crs,"):
            parts = [p for p in s.split(",")[1:] if p]
            codes = []
            for p in parts:
                m = _EPSG_RE.search(p)
                if not m:
                    break
                codes.append(int(m.group(1)))
            if len(codes) == 2:
                return cls(horizontal=codes[0], vertical=codes[1])
            if len(codes) == 1:
                return cls(code=codes[0])
        if low.startswith("urn:adv:crs:") or "*" in s:
            adv = _parse_adv(s[len("urn:adv:crs:"):] if low.startswith("urn:adv:crs:") else s)
            if adv is not None:
                return adv
        m = _EPSG_PAIR_RE.match(s)
        if m:  # EPSG:25832+5783 (PROJ's spelling of a horizontal + vertical pair)
            return cls(horizontal=int(m.group(1)), vertical=int(m.group(2)))
        m = _EPSG_RE.search(s)
        if m:
            return cls(code=int(m.group(1)))
        return cls(definition=s)

    # -- descriptions -----------------------------------------------------------------------
    @property
    def epsg(self) -> int | None:
        """The single EPSG code of the CRS (the horizontal one for a pair)."""
        return self.code if self.code is not None else self.horizontal

    @property
    def is_local(self) -> bool:
        """True for an engineering/local CRS that pyproj cannot use (``#local-CRS-1``)."""
        return self.code is None and self.horizontal is None and (
            self.definition is None or self.definition.startswith("#"))

    def to_string(self) -> str:
        """Short display form: ``EPSG:7415`` or ``EPSG:25832+5783``."""
        if self.code is not None:
            return f"EPSG:{self.code}"
        if self.horizontal is not None:
            return f"EPSG:{self.horizontal}+{self.vertical}" if self.vertical else f"EPSG:{self.horizontal}"
        return self.definition or ""

    def to_cityjson(self) -> str:
        """The OGC URL CityJSON 2.0 allows in ``metadata.referenceSystem``, or "" when there is none.

        CityJSON 2.0 only accepts ``http(s)://www.opengis.net/def/crs/...`` (a single code), so a
        horizontal + vertical pair is written as the registered EPSG compound CRS when one exists
        (25832 + 5783 -> 5555), else as its horizontal CRS alone; a local CRS is left out.
        :meth:`cityjson_note` says what was lost.
        """
        return self._cityjson()[0]

    def cityjson_note(self) -> str | None:
        """One sentence when :meth:`to_cityjson` cannot say everything this CRS says, else None."""
        return self._cityjson()[1]

    def _cityjson(self) -> tuple[str, str | None]:
        return _cityjson_reference(self)

    def to_urn(self) -> str:
        """The URN form used by CityGML ``srsName``."""
        if self.code is not None:
            return f"urn:ogc:def:crs:EPSG::{self.code}"
        if self.horizontal is not None and self.vertical is not None:
            return f"urn:ogc:def:crs,crs:EPSG::{self.horizontal},crs:EPSG::{self.vertical}"
        if self.horizontal is not None:
            return f"urn:ogc:def:crs:EPSG::{self.horizontal}"
        return self.definition or ""

    def __str__(self) -> str:
        return self.to_string()

    def axis_metres(self) -> np.ndarray:
        """Metres per CRS unit along x, y, z (model order; z in metres when there is no vertical axis).

        Angular axes (degrees) count one unit as its length along the equator (111 319.5 m per
        degree), so a precision in metres becomes about 9e-9 degrees per millimetre; feet axes
        count 0.3048 m. Local or unknown CRSs are taken as metres. Shape (3,), float64.
        """
        return _axis_metres(self)

    # -- pyproj ------------------------------------------------------------------------------
    def to_pyproj(self) -> "pyproj.CRS":
        """The pyproj CRS (compound when horizontal and vertical are given apart)."""
        from citytwin.json_floats import ensure_exact_json_floats

        ensure_exact_json_floats()  # pyproj builds compound CRSs through json.dumps
        return _to_pyproj(self)

    @property
    def name(self) -> str:
        """Human-readable name from the EPSG database, or the code when unknown."""
        try:
            return self.to_pyproj().name
        except Exception:
            return self.to_string()

    def is_geographic(self) -> bool:
        """True when the horizontal part is geographic (degrees)."""
        try:
            c = self.to_pyproj()
        except Exception:
            return False
        sub = c.sub_crs_list[0] if c.is_compound and c.sub_crs_list else c
        return bool(sub.is_geographic)

    def is_latitude_first(self) -> bool:
        """True when the CRS's official axis order starts with latitude (EPSG:4979, 6697)."""
        try:
            c = self.to_pyproj()
        except Exception:
            return False
        if c.is_compound and c.sub_crs_list:
            c = c.sub_crs_list[0]
        axes = c.axis_info
        return bool(axes) and axes[0].direction.lower() == "north" and c.is_geographic

    def has_vertical(self) -> bool:
        """True when heights are tied to a vertical CRS (compound or 3D)."""
        if self.vertical is not None:
            return True
        try:
            c = self.to_pyproj()
        except Exception:
            return False
        return bool(c.is_compound or len(c.axis_info) == 3)


_EARTH_RADIUS = 6378137.0  # metres, GRS80/WGS 84 semi-major axis


@lru_cache(maxsize=64)
def _axis_metres(crs: CRS) -> np.ndarray:
    out = np.ones(3)
    try:
        c = crs.to_pyproj()
    except Exception:
        return out
    axes = list(c.axis_info)
    if c.is_compound and c.sub_crs_list:
        axes = [a for sub in c.sub_crs_list for a in sub.axis_info]
    horizontal = [a for a in axes if a.direction.lower() not in ("up", "down")]
    vertical = [a for a in axes if a.direction.lower() in ("up", "down")]
    for i, a in enumerate(horizontal[:2]):
        f = float(a.unit_conversion_factor or 1.0)
        angular = "degree" in a.unit_name.lower() or "radian" in a.unit_name.lower() or "grad" in a.unit_name.lower()
        out[i] = f * _EARTH_RADIUS if angular else f
    if vertical:
        out[2] = float(vertical[0].unit_conversion_factor or 1.0)
    if horizontal and c.is_geographic and len(horizontal) >= 2:
        # pyproj lists latitude first for EPSG geographic CRSs; the model is x/y (longitude first)
        out[0], out[1] = out[1], out[0]
    return out


def steps_for(crs: "CRS | None", precision_m: float) -> np.ndarray:
    """Quantisation steps (3,) in CRS units along x, y, z for a precision in metres.

    Linear axes get ``precision_m / metres_per_unit``; other axes get the power of ten next to
    ``precision_m / metres_per_unit`` so coordinates print with whole decimals (1 mm on a degree axis -> 1e-8 deg, about
    1.1 mm). Without a CRS the precision is used as is.
    """
    if crs is None:
        return np.full(3, float(precision_m))
    raw = float(precision_m) / crs.axis_metres()
    out = np.full(3, float(precision_m))
    for i, r in enumerate(raw):
        if abs(r - precision_m) > 1e-12 * precision_m:  # not metres: snap to a power of ten,
            out[i] = 10.0 ** math.floor(math.log10(r) + 0.1)  # at most ~25 % coarser than asked
    return out


@lru_cache(maxsize=64)
def _compound_epsg(horizontal: int, vertical: int) -> int | None:
    """The registered EPSG compound CRS made of exactly these two parts, if any (25832+5783 -> 5555)."""
    import pyproj

    try:
        c = _to_pyproj(CRS(horizontal=horizontal, vertical=vertical))
        matches = c.list_authority(min_confidence=70)
    except Exception:
        return None
    for m in matches:
        if m.auth_name != "EPSG":
            continue
        try:
            found = pyproj.CRS.from_epsg(int(m.code))
        except Exception:
            continue
        subs = [s.to_epsg() for s in found.sub_crs_list]
        if subs == [horizontal, vertical]:
            return int(m.code)
    return None


def _cityjson_reference(crs: CRS) -> tuple[str, str | None]:
    url = "https://www.opengis.net/def/crs/EPSG/0/{}"
    if crs.code is not None:
        return url.format(crs.code), None
    if crs.horizontal is not None and crs.vertical is not None:
        code = _compound_epsg(crs.horizontal, crs.vertical)
        if code is not None:
            return url.format(code), None
        return url.format(crs.horizontal), (
            f"CRS EPSG:{crs.horizontal}+{crs.vertical} has no registered EPSG compound code and CityJSON "
            f"2.0 takes a single one: referenceSystem is the horizontal EPSG:{crs.horizontal}, the "
            f"vertical CRS EPSG:{crs.vertical} is not recorded (heights are unchanged)")
    if crs.horizontal is not None:
        return url.format(crs.horizontal), None
    d = crs.definition or ""
    if re.match(r"^https?://www\.opengis\.net/def/crs/", d):
        return d, None
    if not d:
        return "", None
    try:
        code = crs.to_pyproj().to_epsg(min_confidence=90) if not crs.is_local else None
    except Exception:
        code = None
    if code is not None:
        return url.format(code), None
    what = "local CRS" if crs.is_local else "CRS"
    return "", (f"{what} {d!r} has no EPSG code that CityJSON 2.0 can name: metadata.referenceSystem "
                "is left out (coordinates are unchanged)")


#: AdV (German surveying authorities) CRS names in ``urn:adv:crs:...`` -> EPSG codes, as the
#: AdV CRS register (GeoInfoDok, chapter 7) and the 3DCityDB spell them. Gauss-Krüger names map
#: to the EPSG CRSs whose easting carries the zone number (4 490 663 m in zone 4), as CityGML
#: files do. Vertical: DHHN92 / DHHN2016 normal heights, DHHN85 / DHHN12 normal-orthometric
#: heights; ``DE_DHN92_NH`` is the 3DCityDB's (and Bavaria's) spelling of DHHN92.
ADV_CODES = {
    "ETRS89_UTM31": 25831, "ETRS89_UTM32": 25832, "ETRS89_UTM33": 25833, "ETRS89_3GK3": 8395,
    "ETRS89_LAT-LON": 4258, "DE_DHDN_LAT-LON": 4314, "DE_DHDN_3GK2": 31466, "DE_DHDN_3GK3": 31467,
    "DE_DHDN_3GK4": 31468, "DE_DHDN_3GK5": 31469, "DE_DHHN92_NH": 5783, "DE_DHN92_NH": 5783,
    "DE_DHHN2016_NH": 7837, "DE_DHHN85_NOH": 5784, "DE_DHHN12_NOH": 7699,
}


def _adv_code(name: str) -> int | None:
    """One AdV name (``DE_DHDN_3GK4``, ``ETRS89_UTM32``, ``DE_ETRS89_UTM32``) or an EPSG code part."""
    key = name.strip().upper()
    if key in ADV_CODES:
        return ADV_CODES[key]
    if key.startswith("DE_") and key[3:] in ADV_CODES:  # DE_ETRS89_UTM32
        return ADV_CODES[key[3:]]
    m = _EPSG_RE.search(key)
    if m:  # urn:adv:crs:EPSG::25832*DE_DHN92_NH
        return int(m.group(1))
    return int(key) if key.isdigit() else None


def _parse_adv(name: str) -> "CRS | None":
    """``ETRS89_UTM32*DE_DHHN2016_NH`` (horizontal*vertical) or a single AdV name; None if unknown."""
    parts = [p.strip() for p in name.split("*") if p.strip()]
    codes = [_adv_code(p) for p in parts]
    if not parts or len(parts) > 2 or any(c is None for c in codes):
        return None
    if len(codes) == 2:
        return CRS(horizontal=codes[0], vertical=codes[1])
    return CRS(code=codes[0])


@lru_cache(maxsize=64)
def _to_pyproj(crs: CRS) -> "pyproj.CRS":
    import pyproj
    from pyproj.crs import CompoundCRS

    try:
        if crs.code is not None:
            return pyproj.CRS.from_epsg(crs.code)
        if crs.horizontal is not None and crs.vertical is not None:
            h = pyproj.CRS.from_epsg(crs.horizontal)
            v = pyproj.CRS.from_epsg(crs.vertical)
            return CompoundCRS(name=f"{h.name} + {v.name}", components=[h, v])
        if crs.horizontal is not None:
            return pyproj.CRS.from_epsg(crs.horizontal)
        if crs.definition and not crs.definition.startswith("#"):
            return pyproj.CRS.from_user_input(crs.definition)
    except pyproj.exceptions.CRSError as exc:
        m = re.search(r"proj_create: ([^)]*)", str(exc))  # PROJ's reason, without its internals
        why = f" ({m.group(1).strip()})" if m else ""
        raise UsageError(f"unknown coordinate reference system {crs.to_string()!r}{why}") from None
    raise UsageError(f"coordinate reference system {crs.to_string()!r} is local and cannot be used by pyproj")


def transformation(source: CRS, target: CRS, points: np.ndarray | None = None):
    """The pyproj transformer from ``source`` to ``target`` for ``points``, and a note when approximate.

    The operation is chosen for the points' area of interest (see
    :mod:`citytwin.semantics.reproject`; when the data spans several operation areas this is the
    one used for most points, and :func:`transform_points` uses each where it applies); the
    note names what is approximate (a missing grid, a ballpark step, heights left unchanged),
    None when the result is exact.

    Returns
    -------
    (pyproj.Transformer, str | None)
    """
    from citytwin.semantics.reproject import plan

    r = plan(source, target, points)
    return r.transformer, (" ".join(r.notes) if r.notes else None)


def transform_points(points: np.ndarray, source: CRS, target: CRS,
                     notes: list[str] | None = None) -> np.ndarray:
    """Reproject points from ``source`` to ``target`` (see :func:`citytwin.semantics.reproject.transform_points`).

    Parameters
    ----------
    points : (n, 3) float64, x/y order (longitude first for geographic CRSs), heights in metres
    source, target : CRSs; heights are converted when both have a vertical part, else kept
    notes : when given, one sentence is appended for each thing that is approximate

    Returns
    -------
    (n, 3) float64 in ``target``, x/y order.
    """
    from citytwin.semantics.reproject import transform_points as _transform

    return _transform(points, source, target, notes)


def lonlat_of(points: np.ndarray, crs: CRS) -> np.ndarray:
    """Longitude/latitude (degrees, WGS 84) of points given in ``crs``; (n, 2) float64."""
    out = transform_points(np.asarray(points, dtype=np.float64).reshape(-1, 3), crs, CRS(code=4326))
    return out[:, :2]
