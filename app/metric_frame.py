"""The metric frame a layer is shown in when its CRS is geographic (degrees) or geocentric (ECEF).

A viewport draws coordinates as metres: longitude/latitude in degrees would be drawn as a sliver
a few thousandths of a "metre" wide under heights in metres (an empty view), and ECEF (3D Tiles)
puts "up" along the earth's radius, so Top and Front views show the buildings tilted. Such a
layer is reprojected to the UTM zone around its data (the datum's own UTM CRS when the EPSG
database has one, else WGS 84 / UTM), with heights kept: ellipsoidal heights for ECEF, the
layer's own heights (e.g. JGD2011 orthometric for PLATEAU's EPSG:6697) for geographic CRSs.
Up is then the ellipsoid normal at the data, north is grid north (within the UTM zone's
convergence of at most ~3 degrees).

No Qt, no VTK: used in the GUI's loading workers and tested without a display.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from citytwin.errors import UsageError
from citytwin.semantics.crs import CRS
from citytwin.semantics.model import CityModel


@dataclass(frozen=True)
class FrameChange:
    """What :func:`to_metric_frame` did to a model.

    Attributes
    ----------
    source : the model's CRS before (geographic or geocentric)
    target : the UTM CRS it is now in
    message : one Log sentence naming the layer, both CRSs and how heights were kept
    """

    source: CRS
    target: CRS
    message: str


def crs_kind(crs: CRS | None) -> str:
    """"geographic", "geocentric", "projected" (or other metric CRS) or "unknown"."""
    if crs is None or crs.is_local:
        return "unknown"
    try:
        c = crs.to_pyproj()
    except Exception:  # noqa: BLE001 - pyproj raises CRSError, ValueError...
        return "unknown"
    if c.is_geocentric:
        return "geocentric"
    if crs.is_geographic():
        return "geographic"
    return "projected"


def needs_metric_frame(crs: CRS | None) -> bool:
    """True when a layer in ``crs`` cannot be drawn as is (degrees or ECEF)."""
    return crs_kind(crs) in ("geographic", "geocentric")


def _geographic_3d_of(crs: CRS) -> CRS:
    """The 3D geographic CRS (longitude, latitude, ellipsoidal height) of a geocentric CRS's datum."""
    import pyproj
    from pyproj.crs.coordinate_system import Ellipsoidal3DCS

    p = crs.to_pyproj()
    geo = pyproj.crs.GeographicCRS(datum=p.datum, ellipsoidal_cs=Ellipsoidal3DCS())
    code = geo.to_epsg(min_confidence=70)
    return CRS(code=int(code)) if code else CRS(code=4979)


def utm_crs_for(lon: float, lat: float, datum_name: str | None = None) -> CRS:
    """The UTM CRS of the zone containing (lon, lat) degrees: the datum's own when the EPSG
    database has one (``datum_name`` "JGD2011": JGD2011 / UTM zone 54N for EPSG:6697 data),
    else WGS 84 / UTM."""
    from pyproj.aoi import AreaOfInterest
    from pyproj.database import query_utm_crs_info

    aoi = AreaOfInterest(lon, lat, lon, lat)
    for name in ([datum_name] if datum_name else []) + ["WGS 84"]:
        try:
            found = query_utm_crs_info(datum_name=name, area_of_interest=aoi)
        except Exception:  # noqa: BLE001 - an unknown datum name: try WGS 84
            found = []
        if found:
            return CRS(code=int(found[0].code))
    # outside every zone's area of use (the poles): the zone from the longitude, WGS 84
    zone = int(np.clip(np.floor((lon + 180.0) / 6.0) + 1, 1, 60))
    return CRS(code=(32600 if lat >= 0 else 32700) + zone)


def _datum_of(crs: CRS) -> str | None:
    """The short name of a geographic CRS's datum as the EPSG database starts its UTM CRSs'
    names with it ("JGD2011" for EPSG:6697, "ETRS89" for EPSG:4937), or None."""
    try:
        p = crs.to_pyproj()
        if p.is_compound and p.sub_crs_list:
            p = p.sub_crs_list[0]
        name = p.name
    except Exception:  # noqa: BLE001
        return None
    return name.split(" (")[0] if name else None


def metric_frame_for(model: CityModel) -> CRS:
    """The UTM CRS a geographic or geocentric model is shown in (zone of its vertices' centre).

    Raises UsageError when the model has no vertices or its CRS is neither.
    """
    from citytwin.semantics.crs import lonlat_of

    kind = crs_kind(model.crs)
    if kind not in ("geographic", "geocentric") or model.crs is None:
        raise UsageError(f"the CRS {model.crs} is not geographic or geocentric")
    v = np.asarray(model.vertices, dtype=np.float64)
    if len(v) == 0:
        raise UsageError("the model has no vertices to place a metric frame around")
    lo, hi = v.min(axis=0), v.max(axis=0)
    centre = ((lo + hi) / 2.0).reshape(1, 3)
    src = model.crs if kind == "geographic" else _geographic_3d_of(model.crs)
    if kind == "geocentric":
        centre = _geocentric_to_geographic(centre, model.crs, src)
    lon, lat = lonlat_of(centre, src)[0]
    return utm_crs_for(float(lon), float(lat), _datum_of(src))


def _geocentric_to_geographic(points: np.ndarray, source: CRS, target: CRS) -> np.ndarray:
    """(n, 3) ECEF metres -> (n, 3) longitude, latitude (degrees), ellipsoidal height (metres)."""
    import pyproj

    tr = pyproj.Transformer.from_crs(source.to_pyproj(), target.to_pyproj(), always_xy=True)
    x, y, z = tr.transform(points[:, 0], points[:, 1], points[:, 2])
    out = np.column_stack([x, y, z]).astype(np.float64)
    if not np.all(np.isfinite(out)):
        raise UsageError("some vertices cannot be converted from ECEF to longitude/latitude/height")
    return out


def to_metric_frame(model: CityModel, name: str, target: CRS | None = None) -> FrameChange | None:
    """Reproject a geographic or geocentric model in place to a metric CRS (default: the UTM zone
    around its data, :func:`metric_frame_for`). Returns what was done, or None when the model's
    CRS is already metric (or unknown: nothing to do).

    Parameters
    ----------
    model : changed in place (vertices, CRS)
    name : the layer's name, for the message
    target : a projected CRS to use instead of the UTM zone

    Raises UsageError (naming the layer) when PROJ cannot convert it.
    """
    source = model.crs
    kind = crs_kind(source)
    if source is None or kind not in ("geographic", "geocentric"):
        return None
    try:
        tgt = target if target is not None else metric_frame_for(model)
        if kind == "geocentric":
            geo = _geographic_3d_of(source)
            model.vertices = _geocentric_to_geographic(np.asarray(model.vertices, dtype=np.float64), source, geo)
            model.crs = geo
            model.touch()
        model.reproject(tgt)
    except UsageError as exc:
        raise UsageError(f"{name}: cannot show its {kind} CRS {source} in a metric frame: {exc}") from exc
    heights = ("ellipsoidal heights (from ECEF)" if kind == "geocentric"
               else "heights as in the file")
    what = "ECEF (geocentric, up along the earth's radius)" if kind == "geocentric" else "degrees"
    message = (f"{name} is in {source} ({_name(source)}, {what}): shown in {tgt} ({_name(tgt)}, metres, "
               f"{heights}); Layer > Reproject... chooses another CRS")
    return FrameChange(source, tgt, message)


def _name(crs: CRS) -> str:
    try:
        return crs.name
    except Exception:  # noqa: BLE001
        return str(crs)
