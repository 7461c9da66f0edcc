"""Georeferencing of IFC models: from IFC world coordinates (metres) to a projected CRS.

Three methods, tried in this order (the one used is recorded in ``model.source["georef"]``):

1. ``IfcMapConversion`` (IFC4 / IFC4X3; ``ePSet_MapConversion`` in IFC2X3) with its
   ``IfcProjectedCRS``: ``map = (E, N, H) + Scale * R(XAxisAbscissa, XAxisOrdinate) * local``,
   local coordinates in project length units and map coordinates in ``MapUnit`` (the project
   length unit when not given), as the buildingSMART georeferencing guide defines. A Scale
   that contradicts the two units (omitted in a millimetre project with metre map units, as
   exporters often write it) is reconciled with them and reported (:func:`reconcile_scale`).
2. ``IfcSite`` RefLatitude / RefLongitude / RefElevation with the context's ``TrueNorth``: the
   site origin is projected with pyproj into the target CRS (the user's, else the UTM zone of
   the site) and the model is rotated from true north to grid north (meridian convergence) and
   scaled by the projection's point scale factor, both computed by pyproj at the site.
3. A user-given origin / rotation / CRS (:class:`UserGeoref`); with ``override`` it comes first
   and the file's own georeference is named in a problem.

Impossible values (latitude beyond 90 degrees, a zero-length TrueNorth or XAxis, a scale <= 0,
an unknown CRS name) are reported as problems and not used.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from citytwin.semantics.crs import CRS


@dataclass(frozen=True)
class UserGeoref:
    """A georeference given by the user for IFC files that carry none.

    Attributes
    ----------
    origin : (E, N, H) in ``crs`` of the IFC world origin, metres
    rotation : degrees, counter-clockwise from map east to the IFC x axis
    crs : the target CRS (``EPSG:28992``), or None to leave the model without CRS
    override : use it even when the file has its own georeference (IfcMapConversion or IfcSite),
        with a problem naming what it overrides; False: only for files without one
    """

    origin: tuple[float, float, float] = (0.0, 0.0, 0.0)
    rotation: float = 0.0
    crs: str | None = None
    override: bool = False


@dataclass
class Georef:
    """The georeference chosen for one IFC file.

    Attributes
    ----------
    method : "IfcMapConversion", "IfcSite", "user" or "none"
    crs : target CRS, or None (local coordinates)
    matrix : (4, 4) float64 affine map from IFC world metres to target coordinates
    details : values shown by ``citytwin info`` (JSON-friendly)
    problems : sentences about values that were impossible and therefore not used
    """

    method: str
    crs: CRS | None
    matrix: np.ndarray
    details: dict[str, Any] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)

    def apply(self, pts: np.ndarray) -> np.ndarray:
        """Transform (n, 3) float64 IFC world metres to the target CRS (n, 3) float64."""
        pts = np.asarray(pts, dtype=np.float64).reshape(-1, 3)
        return pts @ self.matrix[:3, :3].T + self.matrix[:3, 3]


def compound_angle(parts: list[int] | None) -> float | None:
    """Decimal degrees of an IfcCompoundPlaneAngleMeasure (deg, min, sec, millionths)."""
    if not parts:
        return None
    w = (1.0, 1 / 60, 1 / 3600, 1 / 3.6e9)
    return float(sum(float(p) * w[i] for i, p in enumerate(parts[:4])))


def compound_problem(parts: list[int] | None) -> str | None:
    """Why an IfcCompoundPlaneAngleMeasure is invalid (None when it is fine)."""
    if not parts:
        return None
    if not 3 <= len(parts) <= 4:
        return f"has {len(parts)} components (3 or 4 expected)"
    limits = (360, 60, 60, 1_000_000)
    for p, lim in zip(parts, limits):
        if abs(p) >= lim and not (lim == 360 and abs(p) == 360 and not any(parts[1:])):
            return f"component {p} is out of range (|value| < {lim})"
    signs = {np.sign(p) for p in parts if p != 0}
    if len(signs) > 1:
        return "mixes positive and negative components"
    return None


#: Relative tolerance within which a Scale counts as "the unit conversion" or as "1": wide enough
#: for a combined (grid x elevation) scale factor (UTM: 0.9996..1.001), far below the ratio of
#: any two length units (ft / m = 3.28).
_SCALE_TOL = 0.01
_UNIT_NAMES = {1.0: "m", 0.001: "mm", 0.01: "cm", 0.1: "dm", 1000.0: "km", 0.3048: "ft",
               0.0254: "in", 0.9144: "yd", 1200 / 3937: "US survey ft"}


def unit_name(metres: float) -> str:
    """A short name for a length unit given in metres per unit (``0.001`` -> ``"mm"``)."""
    for v, name in _UNIT_NAMES.items():
        if math.isclose(metres, v, rel_tol=1e-6):
            return name
    return f"{metres:g} m"


def reconcile_scale(unit: float, map_unit: float, declared: float | None, problems: list[str]) -> float:
    """The IfcMapConversion Scale to apply (map units per project unit), given the file's three values.

    The schema says ``Scale`` converts project length units to map units and is 1.0 when
    omitted, so a millimetre project with metre map units needs ``Scale = 0.001``. Many
    exporters omit it anyway (e.g. Revit, autodesk/revit-ifc#784), and the buildingSMART
    georeferencing guide uses it for the combined scale factor (close to 1) instead. Read
    literally, such files come out 1000x too large. So:

    - Scale within :data:`_SCALE_TOL` of the unit conversion ``r = unit / map_unit``: used as
      declared (the unit conversion times a combined scale factor);
    - Scale omitted (or not a positive number) while ``r != 1``: ``r`` is used, with a problem;
    - Scale close to 1 while ``r != 1``: read as a combined scale factor, ``r * Scale`` is used,
      with a problem;
    - any other Scale: used as declared, with a problem saying by how much it scales the model.

    Parameters
    ----------
    unit : metres per project length unit
    map_unit : metres per map unit (``IfcProjectedCRS.MapUnit``, else the project unit)
    declared : the file's Scale, None when omitted
    problems : sentences are appended here
    """
    r = unit / map_unit
    pu, mu = unit_name(unit), unit_name(map_unit)
    if declared is not None and (not math.isfinite(declared) or declared <= 0):
        problems.append(f"IfcMapConversion Scale {declared} is not a positive number; ignored")
        declared = None
    if declared is None:
        if math.isclose(r, 1.0, rel_tol=1e-5):  # same unit (or foot vs US survey foot): nothing to say
            return r
        problems.append(f"IfcMapConversion has no Scale, but the project length unit ({pu}) is not the map "
                        f"unit ({mu}); read literally (Scale 1.0) the model would be {1 / r:g} times too "
                        f"{'large' if r < 1 else 'small'}: the unit conversion {r:g} is used (set Scale in "
                        "the file if that is wrong)")
        return r
    if math.isclose(declared / r, 1.0, rel_tol=_SCALE_TOL):
        return declared
    if math.isclose(declared, 1.0, rel_tol=_SCALE_TOL):
        problems.append(f"IfcMapConversion Scale {declared:g} is close to 1 while the project length unit "
                        f"({pu}) is not the map unit ({mu}): read as a combined scale factor (the buildingSMART "
                        f"georeferencing guide's use), with the unit conversion {r:g} applied too; read "
                        f"literally the model would be {1 / r:g} times too {'large' if r < 1 else 'small'}")
        return r * declared
    problems.append(f"IfcMapConversion Scale {declared:g} is not the unit conversion {r:g} ({pu} -> {mu}): "
                    f"the model is scaled by {declared / r:g} as the file says")
    return declared


def _inside_area_of_use(pcrs, x: float, y: float) -> bool | None:
    """Whether map coordinates (x, y) in CRS units lie in the CRS's area of use (10 % margin), or
    None when pyproj does not know the area."""
    import pyproj

    horizontal = pcrs.sub_crs_list[0] if pcrs.is_compound and pcrs.sub_crs_list else pcrs
    area = horizontal.area_of_use
    if area is None or not horizontal.is_projected:
        return None
    try:
        tr = pyproj.Transformer.from_crs("EPSG:4326", horizontal, always_xy=True)
        x0, y0, x1, y1 = tr.transform_bounds(area.west, area.south, area.east, area.north)
    except Exception:
        return None
    if not all(math.isfinite(v) for v in (x0, y0, x1, y1)):
        return None
    mx, my = 0.1 * (x1 - x0), 0.1 * (y1 - y0)
    return x0 - mx <= x <= x1 + mx and y0 - my <= y <= y1 + my


def implied_map_unit(crs: CRS, e: float, n: float, unit: float, problems: list[str]) -> float:
    """Metres per map unit when ``IfcProjectedCRS.MapUnit`` is omitted.

    The schema then means the project length unit; but the named CRS has its own axis unit
    (metres for nearly all), and exporters of millimetre projects write Eastings/Northings in
    it. When the two differ, the one that puts (Eastings, Northings) inside the CRS's area of
    use is taken (with a problem when that is the CRS's unit); when neither or both do, the
    schema's reading is kept and the ambiguity said.
    """
    try:
        pcrs = crs.to_pyproj()
        horizontal = pcrs.sub_crs_list[0] if pcrs.is_compound and pcrs.sub_crs_list else pcrs
        axis_unit = float(horizontal.axis_info[0].unit_conversion_factor)
    except Exception:
        return unit
    # (foot and US survey foot, 2 ppm apart, count as the same unit)
    if not horizontal.is_projected or math.isclose(axis_unit, unit, rel_tol=1e-5):
        return unit
    in_project = _inside_area_of_use(pcrs, e * unit / axis_unit, n * unit / axis_unit)
    in_axis = _inside_area_of_use(pcrs, e, n)
    pu, au = unit_name(unit), unit_name(axis_unit)
    if in_axis and not in_project:
        problems.append(f"IfcProjectedCRS has no MapUnit; Eastings/Northings ({e:g}, {n:g}) are read in {au}, the "
                        f"unit of {crs} (read in the project unit, {pu}, they would lie outside its area of use)")
        return axis_unit
    if in_project is None or in_project == in_axis:
        problems.append(f"IfcProjectedCRS has no MapUnit: Eastings/Northings are read in the project unit ({pu}) "
                        f"as the schema says, though {crs} is in {au}")
    return unit


def _map_conversion(values: dict, problems: list[str]) -> Georef | None:
    mc = values.get("map_conversion")
    if not mc:
        return None
    unit = float(values.get("length_unit") or 1.0)
    e, n, h = (float(mc.get(k) or 0.0) for k in ("eastings", "northings", "height"))
    if not all(math.isfinite(v) for v in (e, n, h)):
        problems.append("IfcMapConversion has non-finite Eastings/Northings/OrthogonalHeight; not used")
        return None
    xaa, xao = mc.get("xaa"), mc.get("xao")
    if xaa is None and xao is None:
        xaa, xao = 1.0, 0.0
    xaa, xao = float(xaa or 0.0), float(xao or 0.0)
    if math.hypot(xaa, xao) < 1e-12:
        problems.append("IfcMapConversion XAxisAbscissa/XAxisOrdinate is a zero-length vector; "
                        "no rotation assumed")
        xaa, xao = 1.0, 0.0
    name = (mc.get("crs_name") or "").strip()
    crs = None
    if name:
        crs = CRS.parse(name)
        try:
            crs.to_pyproj()
        except Exception:
            problems.append(f"IfcProjectedCRS name {name!r} is not a CRS pyproj knows; "
                            "coordinates are map coordinates in an unnamed CRS")
            crs = None
    else:
        problems.append("IfcProjectedCRS has no name; coordinates are map coordinates in an unnamed CRS")
    declared = mc.get("scale")
    map_unit = mc.get("map_unit") or (implied_map_unit(crs, e, n, unit, problems) if crs is not None else unit)
    scale = reconcile_scale(unit, map_unit, None if declared is None else float(declared), problems)
    theta = math.atan2(xao, xaa)
    c, s = math.cos(theta), math.sin(theta)
    fx, fy, fz = (mc.get("factors") or [1.0, 1.0, 1.0])
    k = map_unit * scale / unit  # IFC world metres -> project units -> map units -> metres
    m = np.eye(4)
    m[:3, :3] = np.array([[c * fx, -s * fy, 0.0], [s * fx, c * fy, 0.0], [0.0, 0.0, fz]]) * k
    m[:3, 3] = np.array([e, n, h]) * map_unit
    details = {"eastings": e, "northings": n, "orthogonal_height": h, "x_axis": [xaa, xao],
               "rotation_deg": round(math.degrees(theta), 9), "scale": scale,
               "scale_declared": "omitted" if declared is None else declared,
               "map_unit_m": map_unit, "crs": name or None, "source": mc.get("source")}
    return Georef("IfcMapConversion", crs, m, details)


def _true_north(values: dict, problems: list[str]) -> np.ndarray:
    tn = values.get("true_north")
    if tn is None:
        return np.array([0.0, 1.0])
    if len(tn) != 2:
        problems.append(f"TrueNorth {tuple(tn)} has {len(tn)} components (a 2D direction is required); "
                        "not trusted, project +Y taken as north")
        return np.array([0.0, 1.0])
    v = np.array(tn[:2], dtype=float)
    if not np.all(np.isfinite(v)) or np.hypot(*v) < 1e-12:
        problems.append("TrueNorth is a zero-length direction; not trusted, project +Y taken as north")
        return np.array([0.0, 1.0])
    return v / np.hypot(*v)


def utm_crs(lon: float, lat: float) -> CRS:
    """The WGS 84 / UTM zone CRS containing a point."""
    zone = min(60, max(1, int(math.floor((lon + 180.0) / 6.0)) + 1))
    return CRS(code=(32600 if lat >= 0 else 32700) + zone)


def _site(values: dict, site_crs: str | None, problems: list[str]) -> Georef | None:
    site = values.get("site") or {}
    bad = False
    for name, key in (("RefLatitude", "lat"), ("RefLongitude", "lon")):
        why = compound_problem(site.get(key))
        if why:
            problems.append(f"IfcSite {name} {tuple(site[key])} {why}; not used")
            bad = True
    lat, lon = compound_angle(site.get("lat")), compound_angle(site.get("lon"))
    if lat is not None and abs(lat) > 90 and not bad:
        problems.append(f"IfcSite RefLatitude {lat:.6f} is beyond 90 degrees; not used")
        bad = True
    if bad or lat is None or lon is None:
        return None
    if not (math.isfinite(lat) and math.isfinite(lon)):
        problems.append("IfcSite RefLatitude/RefLongitude are not finite; not used")
        return None
    if abs(lat) > 90 or abs(lon) > 180:
        problems.append(f"IfcSite RefLatitude {lat:.6f} / RefLongitude {lon:.6f} are out of range "
                        "(|lat| <= 90, |lon| <= 180); not used")
        return None
    if lat == 0 and lon == 0:
        problems.append("IfcSite RefLatitude/RefLongitude are 0/0 (unset); not used")
        return None
    import pyproj

    unit = float(values.get("length_unit") or 1.0)
    elev = float(site.get("elevation") or 0.0) * unit
    north = _true_north(values, problems)
    east = np.array([north[1], -north[0]])  # north turned 90 degrees clockwise
    target = CRS.parse(site_crs) if site_crs else utm_crs(lon, lat)
    tcrs = target.to_pyproj()
    if tcrs.is_geographic:
        problems.append(f"IfcSite georeferencing needs a projected CRS, {target} is geographic; "
                        "the UTM zone is used")
        target = utm_crs(lon, lat)
        tcrs = target.to_pyproj()
    tr = pyproj.Transformer.from_crs("EPSG:4326", tcrs, always_xy=True)
    e0, n0 = tr.transform(lon, lat)
    d = 1e-5  # degrees: grid direction of true north at the site
    e1, n1 = tr.transform(lon, lat + d)
    gn = np.array([e1 - e0, n1 - n0])
    gn /= np.hypot(*gn)
    ge = np.array([gn[1], -gn[0]])
    k = float(pyproj.Proj(tcrs).get_factors(lon, lat).meridional_scale)
    if not math.isfinite(k) or k <= 0:
        k = 1.0
    # local d -> ground (east, north) = (d.east, d.north) -> grid = k (de ge + dn gn)
    a = k * (np.outer(ge, east) + np.outer(gn, north))
    mat = site.get("matrix")
    origin = np.asarray(mat, dtype=float)[:3, 3] * unit if mat is not None else np.zeros(3)
    m = np.eye(4)
    m[:2, :2] = a
    m[:3, 3] = np.array([e0, n0, elev]) - m[:3, :3] @ origin
    conv = math.degrees(math.atan2(-gn[0], gn[1]))
    details = {"latitude": lat, "longitude": lon, "elevation_m": elev,
               "true_north": north.tolist(), "grid_convergence_deg": round(conv, 9),
               "scale_factor": k, "site_origin_m": origin.tolist(), "crs": target.to_string()}
    return Georef("IfcSite", target, m, details)


def file_georef_text(values: dict) -> str | None:
    """What the file's own georeference says, for a person (None when it has none):
    ``"IfcMapConversion (E 155000, N 463000, EPSG:28992)"`` or ``"IfcSite (latitude 42.3583, longitude -71.0604)"``."""
    mc = values.get("map_conversion")
    if mc:
        crs = (mc.get("crs_name") or "").strip()
        return (f"{mc.get('source') or 'IfcMapConversion'} (E {float(mc.get('eastings') or 0):g}, "
                f"N {float(mc.get('northings') or 0):g}{', ' + crs if crs else ''})")
    site = values.get("site") or {}
    lat, lon = compound_angle(site.get("lat")), compound_angle(site.get("lon"))
    if lat is not None and lon is not None and (lat, lon) != (0.0, 0.0):
        return f"IfcSite (latitude {lat:.6f}, longitude {lon:.6f})"
    return None


def _user_georef(user: UserGeoref) -> Georef:
    th = math.radians(user.rotation)
    m = np.eye(4)
    m[:2, :2] = [[math.cos(th), -math.sin(th)], [math.sin(th), math.cos(th)]]
    m[:3, 3] = user.origin
    return Georef("user", CRS.parse(user.crs) if user.crs else None, m,
                  {"origin": list(user.origin), "rotation_deg": user.rotation, "crs": user.crs})


def choose_georef(values: dict, user: UserGeoref | None = None, site_crs: str | None = None) -> Georef:
    """Pick the georeference of an IFC file from its raw values (see the module docstring).

    ``site_crs`` is the projected CRS to place an IfcSite-georeferenced model in (default: the
    UTM zone of the site); ``user`` is used when the file has no usable georeference, or always
    when ``user.override`` (with a problem naming the file's georeference it replaces).
    """
    problems: list[str] = []
    if user is not None and user.override:
        g = _user_georef(user)
        own = file_georef_text(values)
        if own:
            problems.append(f"the given georeference (origin {', '.join(f'{v:g}' for v in user.origin)}, "
                            f"rotation {user.rotation:g} deg{', ' + user.crs if user.crs else ''}) overrides the "
                            f"file's {own}")
            g.details["overrides"] = own
        g.problems.extend(problems)
        return g
    g = _map_conversion(values, problems) or _site(values, site_crs or (user.crs if user else None),
                                                   problems)
    if g is None and user is not None:
        g = _user_georef(user)
    if g is None:
        g = Georef("none", None, np.eye(4), {})
    g.problems.extend(problems)
    return g
