"""Hourly weather for solar analysis: EPW, TMY3, PVGIS TMY (CSV, JSON) and generic hourly CSV
files (pvlib's readers where they fit, :mod:`citytwin.analysis.weather_formats`), or a clear-sky year.

Every series is brought to one shape, :class:`Weather`: hourly rows with irradiance (W/m2, i.e.
Wh/m2 per hour) and the sun position at the *middle* of each hour, computed by pvlib.

Every file's irradiance is then checked against the sun (:mod:`citytwin.analysis.weather_timing`):
the lag that best matches the clear-sky shape over the series is kept in ``Weather.timing`` and
said when it exceeds ~20 min. ``time_offset_minutes`` (``--weather-time-offset``) moves the
instants the sun is computed for.

Timestamp labelling (the classic off-by-one of weather files):

- EPW: pvlib's ``read_epw`` labels each row with the hour *start* (EPW hour 1 -> 00:00), and the
  values are the integral over the following hour, so the sun is taken at label + 30 min.
- TMY3: pvlib's ``read_tmy3`` keeps the file's hour *ending* label (01:00 covers 00:00-01:00),
  so the sun is taken at label - 30 min.
- PVGIS TMY and generic CSV: see :mod:`citytwin.analysis.weather_formats`.
- Clear sky: pvlib's Ineichen model with the Linke turbidity climatology, evaluated at the
  middle of every hour of a non-leap year.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np

from citytwin.errors import InputError, MissingDependencyError, UsageError


@dataclass(frozen=True)
class Weather:
    """An hourly irradiance series with sun positions.

    Attributes
    ----------
    times : pandas.DatetimeIndex, tz-aware, middle of each hour (local standard time)
    ghi, dni, dhi : (H,) float64, W/m2 averaged over the hour (= Wh/m2 for that hour)
    zenith, azimuth : (H,) float64, degrees, apparent sun zenith and azimuth (clockwise from north)
    latitude, longitude : degrees (WGS 84)
    tz_hours : UTC offset of the series in hours
    source : file name or ``"clear-sky (Ineichen)"``
    dni_extra : (H,) float64, extraterrestrial normal irradiance, W/m2 (for the Perez sky)
    place : the station named in the file's header (``"AMSTERDAM, NLD"``), "" when unnamed
    timing : TimeAlignment or None, how far the irradiance is from the sun (files only)
    notes : tuple of str, assumptions made while reading, to be said as warnings
    temp_air, wind_speed : (H,) float64 or None, degC and m/s when the file has them
    time_offset_minutes : the correction added to the file's times (``--weather-time-offset``)
    """

    times: object
    ghi: np.ndarray
    dni: np.ndarray
    dhi: np.ndarray
    zenith: np.ndarray
    azimuth: np.ndarray
    latitude: float
    longitude: float
    tz_hours: float
    source: str
    dni_extra: np.ndarray
    place: str = ""
    timing: object = None
    notes: tuple = ()
    temp_air: np.ndarray | None = None
    wind_speed: np.ndarray | None = None
    time_offset_minutes: float = 0.0

    def __len__(self) -> int:
        return len(self.ghi)

    @property
    def months(self) -> np.ndarray:
        """(H,) int, month 1..12 of each row."""
        return np.asarray(self.times.month, dtype=np.int64)

    def sun_vectors(self) -> np.ndarray:
        """(H, 3) float64 unit vectors towards the sun (x east, y north, z up)."""
        return sun_vector(self.zenith, self.azimuth)

    @property
    def sun_up(self) -> np.ndarray:
        """(H,) bool, sun above the horizon at mid-hour."""
        return self.zenith < 90.0


def sun_vector(zenith_deg: np.ndarray, azimuth_deg: np.ndarray) -> np.ndarray:
    """Unit vectors (k, 3) towards the sun from zenith and azimuth (degrees, azimuth from north, clockwise)."""
    z = np.radians(np.asarray(zenith_deg, dtype=np.float64))
    a = np.radians(np.asarray(azimuth_deg, dtype=np.float64))
    return np.stack([np.sin(z) * np.sin(a), np.sin(z) * np.cos(a), np.cos(z)], axis=-1)


def _pvlib():
    try:
        import pvlib
    except ImportError as exc:  # pragma: no cover - pvlib is a dependency
        raise MissingDependencyError("solar analysis needs pvlib (pip install pvlib)") from exc
    return pvlib


def read_weather(path: str | Path, latitude: float | None = None,
                 longitude: float | None = None, time_offset_minutes: float = 0.0,
                 default_location: tuple[float, float] | None = None) -> Weather:
    """Read a weather file: EPW, TMY3 CSV, PVGIS TMY CSV/JSON or a generic hourly CSV.

    Parameters
    ----------
    path : weather file (the format is sniffed from its first bytes, see
        :func:`citytwin.analysis.weather_formats.sniff`)
    latitude, longitude : override the file's location (degrees); needed for a generic CSV
    time_offset_minutes : added to the instants the sun is computed for (corrects files whose
        time stamps are off, e.g. 60 for UTC stamps labelled one hour early)
    default_location : (latitude, longitude) used when the file does not say (generic CSV)

    Raises
    ------
    InputError : unreadable or malformed file, missing or impossible irradiance values, a
        generic CSV without a location
    """
    import pandas as pd

    from citytwin.analysis.weather_formats import (complete_components, read_generic_csv, read_pvgis,
                                                   sniff)
    from citytwin.analysis.weather_timing import irradiance_lag

    path = Path(path)
    if not path.is_file():
        raise InputError(path, "weather file not found")
    if not np.isfinite(time_offset_minutes) or abs(time_offset_minutes) > 24 * 60:
        raise UsageError(f"--weather-time-offset must be within +-1440 minutes (got {time_offset_minutes})")
    fmt = sniff(path)
    if fmt == "umep":
        raise InputError(path, "is a UMEP/SUEWS meteorological forcing file, which is not supported "
                         "(supported: EPW, TMY3, PVGIS TMY CSV/JSON, hourly CSV with named columns)")
    if fmt in ("epw", "tmy3"):
        w = _read_epw_tmy3(path, fmt, latitude, longitude, time_offset_minutes)
    elif fmt in ("pvgis-csv", "pvgis-json", "csv"):
        raw = read_pvgis(path, fmt) if fmt.startswith("pvgis") else read_generic_csv(path)
        lat = raw.latitude if latitude is None else float(latitude)
        lon = raw.longitude if longitude is None else float(longitude)
        if (lat is None or lon is None) and default_location is not None:
            lat, lon = (float(x) for x in default_location)
        if lat is None or lon is None:
            raise InputError(path, "a CSV weather table does not say where it was recorded: give the "
                             "site (--latitude/--longitude), or use the model's CRS")
        if not (-90 <= lat <= 90 and -180 <= lon <= 180):
            raise InputError(path, f"location latitude {lat}, longitude {lon} is out of range")
        times = raw.times + pd.Timedelta(minutes=float(time_offset_minutes))
        tz_hours = raw.tz_hours
        if raw.extra.get("utc_assumed"):  # shown in the site's nautical time zone
            tz_hours = float(round(lon / 15.0))
            times = times.tz_convert(fixed_tz(tz_hours))
        if raw.ghi.sum() <= 0:
            raise InputError(path, "the GHI column is all zero")
        tmp = with_sun(times, raw.ghi, np.zeros_like(raw.ghi), np.zeros_like(raw.ghi), lat, lon,
                       tz_hours, path.name)
        ghi, dni, dhi, more = complete_components(raw.ghi, raw.dni, raw.dhi, tmp.zenith, times, path.name)
        w = replace(tmp, dni=dni, dhi=dhi, place=raw.place, notes=raw.notes + tuple(more),
                    temp_air=raw.temp_air, wind_speed=raw.wind_speed,
                    time_offset_minutes=float(time_offset_minutes))
    else:
        raise InputError(path, "unknown weather file format (supported: EnergyPlus .epw, NREL TMY3 .csv, "
                         "PVGIS TMY .csv/.json, an hourly .csv with named time and GHI columns)")
    timing = irradiance_lag(w.times, w.ghi, w.latitude, w.longitude)
    return replace(w, timing=timing)


def _read_epw_tmy3(path: Path, fmt: str, latitude, longitude, time_offset_minutes: float) -> Weather:
    import pandas as pd

    pvlib = _pvlib()
    suffix = ".epw" if fmt == "epw" else ".csv"
    try:
        if fmt == "epw":
            data, meta = pvlib.iotools.read_epw(str(path))
            shift = pd.Timedelta(minutes=30)
        else:
            data, meta = pvlib.iotools.read_tmy3(str(path), map_variables=True)
            shift = pd.Timedelta(minutes=-30)
        lat, lon, tz = meta.get("latitude"), meta.get("longitude"), meta.get("TZ")
    except Exception as exc:  # pvlib raises a zoo of parser errors
        msg = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise InputError(path, f"not a readable {'EPW' if suffix == '.epw' else 'TMY3'} weather file "
                         f"({msg[:200]})") from None
    try:
        lat = float(lat) if latitude is None else float(latitude)
        lon = float(lon) if longitude is None else float(longitude)
        tz = float(tz)
    except (TypeError, ValueError):
        raise InputError(path, "the header has no usable latitude, longitude or time zone", "line 1") \
            from None
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        raise InputError(path, f"location latitude {lat}, longitude {lon} is out of range", "line 1")
    for col in ("ghi", "dni", "dhi"):
        if col not in data.columns:
            raise InputError(path, f"no {col.upper()} column")
    irr = data[["ghi", "dni", "dhi"]].to_numpy(dtype=np.float64)
    bad = ~np.isfinite(irr) | (irr < 0) | (irr > 1500)
    if bad.any():
        row = int(np.nonzero(bad.any(axis=1))[0][0])
        col = ["GHI", "DNI", "DHI"][int(np.nonzero(bad[row])[0][0])]
        first_data_line = 9 if suffix == ".epw" else 3
        raise InputError(path, f"{col} value {float(irr[row, ['GHI', 'DNI', 'DHI'].index(col)]):g} is missing or "
                         "out of range (0..1500 W/m2)", f"line {first_data_line + row}")
    if len(irr) < 24:
        raise InputError(path, f"only {len(irr)} hourly rows")
    if irr[:, 0].sum() <= 0:
        raise InputError(path, "the GHI column is all zero")
    times = data.index + shift + pd.Timedelta(minutes=float(time_offset_minutes))
    w = with_sun(times, irr[:, 0], irr[:, 1], irr[:, 2], lat, lon, tz, path.name)

    def opt(name):
        return data[name].to_numpy(np.float64) if name in data.columns else None

    return replace(w, place=_place_name(meta), temp_air=opt("temp_air"), wind_speed=opt("wind_speed"),
                   time_offset_minutes=float(time_offset_minutes))


def _place_name(meta: dict) -> str:
    """``"AMSTERDAM, NLD"`` / ``"SAND POINT, AK"`` from pvlib's EPW / TMY3 header; "" when unnamed."""
    parts = [meta.get("city"), meta.get("country")] if "city" in meta else [meta.get("Name"), meta.get("State")]
    parts = [str(p).strip().strip('"').strip() for p in parts if p is not None]
    parts = [p for p in parts if p and p.lower() not in ("-", "na", "unknown", "none")]
    return ", ".join(parts)


def clear_sky_year(latitude: float, longitude: float, altitude: float = 0.0, year: int = 2025,
                   tz_hours: float | None = None) -> Weather:
    """A year of hourly clear-sky irradiance (pvlib Ineichen, Linke turbidity climatology).

    The time zone, when not given, is the nautical one ``round(longitude / 15)`` hours.
    """
    import pandas as pd

    pvlib = _pvlib()
    if tz_hours is None:
        tz_hours = float(round(longitude / 15.0))
    tz = fixed_tz(tz_hours)
    times = pd.date_range(f"{year}-01-01 00:30", f"{year}-12-31 23:30", freq="1h", tz=tz)
    # the times carry their own offset; the Location's zone only serves naive times, and pvlib
    # (>= 0.11, zoneinfo) cannot name a fixed offset such as UTC+01:00, so it stays UTC
    loc = pvlib.location.Location(latitude, longitude, tz="UTC", altitude=altitude)
    cs = loc.get_clearsky(times, model="ineichen")
    return with_sun(times, cs["ghi"].to_numpy(float), cs["dni"].to_numpy(float),
                     cs["dhi"].to_numpy(float), latitude, longitude, tz_hours, "clear-sky (Ineichen)")


def fixed_tz(hours: float):
    """A fixed-offset tzinfo of ``hours`` east of UTC."""
    import datetime as dt

    return dt.timezone(dt.timedelta(hours=hours))


def with_sun(times, ghi, dni, dhi, lat, lon, tz_hours, source) -> Weather:
    """A :class:`Weather` from irradiance columns, with pvlib sun positions at ``times`` for the site."""
    pvlib = _pvlib()
    sp = pvlib.solarposition.get_solarposition(times, lat, lon)
    extra = pvlib.irradiance.get_extra_radiation(times).to_numpy(np.float64)
    return Weather(times=times, ghi=np.asarray(ghi, float), dni=np.asarray(dni, float),
                   dhi=np.asarray(dhi, float), zenith=sp["apparent_zenith"].to_numpy(np.float64),
                   azimuth=sp["azimuth"].to_numpy(np.float64), latitude=float(lat), longitude=float(lon),
                   tz_hours=float(tz_hours), source=source, dni_extra=extra)


#: A weather file further than this from the site is refused (km, great circle).
MAX_WEATHER_DISTANCE_KM = 500.0
#: A weather file whose UTC offset differs from the site's solar time (longitude / 15) by more
#: than this is refused (hours). Civil time zones stray up to ~2.9 h from it on land (western
#: China keeps UTC+8 at longitude 76 E), so the bound is 3 h: a file for the right place with a
#: wrong or missing time zone (0 instead of -5, or the sign flipped) still fails.
MAX_TZ_MISMATCH_HOURS = 3.0


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in km between two WGS 84 points (haversine, mean radius 6371.0088 km)."""
    p1, p2 = np.radians(lat1), np.radians(lat2)
    dp, dl = p2 - p1, np.radians(lon2 - lon1)
    h = np.sin(dp / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(dl / 2) ** 2
    return float(2 * 6371.0088 * np.arcsin(np.sqrt(min(1.0, h))))


def check_site(weather: Weather, latitude: float, longitude: float, path: str | Path | None = None,
               site: str = "the model") -> None:
    """Refuse a weather file recorded far from the site, or whose time zone cannot be the site's.

    Parameters
    ----------
    weather : the series read from the file (its header's location and UTC offset)
    latitude, longitude : the site, degrees (WGS 84)
    path : the weather file, for the message
    site : what the site is (``"the model (model CRS EPSG:7415)"``), for the message

    Raises
    ------
    InputError : the file's station is more than :data:`MAX_WEATHER_DISTANCE_KM` from the site, or
        its UTC offset is more than :data:`MAX_TZ_MISMATCH_HOURS` from ``longitude / 15``
    """
    where = weather.place or "an unnamed station"
    d = distance_km(weather.latitude, weather.longitude, latitude, longitude)
    if d > MAX_WEATHER_DISTANCE_KM:
        other = weather.latitude * latitude < 0 and min(abs(weather.latitude), abs(latitude)) > 2.0
        raise InputError(path or weather.source,
                         f"the weather is for {where} (latitude {weather.latitude:.2f}, longitude "
                         f"{weather.longitude:.2f}), {d:,.0f} km from {site} at latitude {latitude:.2f}, "
                         f"longitude {longitude:.2f}{' in another hemisphere' if other else ''}; give a "
                         f"weather file for the site (within "
                         f"{MAX_WEATHER_DISTANCE_KM:.0f} km), or choose to use it all the same "
                         "(--weather-anywhere; in the GUI: 'Use the weather file even when...')")
    solar_tz = longitude / 15.0
    off = (weather.tz_hours - solar_tz + 12.0) % 24.0 - 12.0  # across the date line: UTC+13 ~ UTC-11
    if abs(off) > MAX_TZ_MISMATCH_HOURS:
        raise InputError(path or weather.source,
                         f"the file's time zone UTC{weather.tz_hours:+g} cannot be that of {site} at "
                         f"longitude {longitude:.2f} (about UTC{solar_tz:+.0f}); the hours would not match "
                         "the sun: fix the header's time zone, or choose to use it all the same "
                         "(--weather-anywhere; in the GUI: 'Use the weather file even when...')", "line 1")


def validate_location(latitude: float, longitude: float) -> None:
    """Raise UsageError for latitude/longitude outside the valid range."""
    if not (-90 <= latitude <= 90) or not (-180 <= longitude <= 180):
        raise UsageError(f"latitude {latitude} / longitude {longitude} out of range")
