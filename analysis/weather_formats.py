"""Weather files as people download them: which format a file is, and readers for PVGIS TMY
(CSV, JSON) and generic hourly CSV tables. EPW and TMY3 are read in :mod:`citytwin.analysis.weather`.

Every reader returns a :class:`RawSeries`: irradiance columns with the *instants the sun is
computed for* (tz-aware), the station, and notes to say (``warning:``) about how it was read.

Time conventions (what a row's time stamp means):

- PVGIS TMY (CSV, JSON): stamps in UTC; PVGIS-SARAH irradiance is the instantaneous value at the
  stamp plus the file's "irradiance time offset" (e.g. 0.1761 h, the satellite scan time); the
  sun is taken there. The series is shown in the site's nautical time zone (longitude / 15).
- Generic CSV: the stamp starts the hour (the row is the mean over the following hour), so the sun
  is taken 30 min later; a column named ``period_end`` (Solcast) ends the hour (sun 30 min
  earlier), ``period_start`` starts it. Stamps with a UTC offset keep it; stamps without one are
  read as UTC and that is said.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from citytwin.errors import InputError


@dataclass(frozen=True)
class RawSeries:
    """Irradiance read from a file, before the sun positions are added.

    Attributes
    ----------
    times : pandas.DatetimeIndex, tz-aware, the instant each row's sun is computed for
    ghi, dni, dhi : (H,) float64, W/m2 (NaN where the file has no such column)
    latitude, longitude : degrees, the station (None when the file does not say)
    tz_hours : UTC offset of ``times``
    place : station name for messages
    notes : things to say as ``warning:`` lines (assumptions made while reading)
    temp_air, wind_speed : (H,) float64 or None, degC and m/s (for PV cell temperature)
    """

    times: object
    ghi: np.ndarray
    dni: np.ndarray
    dhi: np.ndarray
    latitude: float | None
    longitude: float | None
    tz_hours: float
    place: str = ""
    notes: tuple[str, ...] = ()
    temp_air: np.ndarray | None = None
    wind_speed: np.ndarray | None = None
    extra: dict = field(default_factory=dict)


def sniff(path: Path) -> str:
    """The format of a weather file from its first bytes and name.

    Returns one of ``"epw"``, ``"tmy3"``, ``"pvgis-csv"``, ``"pvgis-json"``, ``"csv"`` (a generic
    table), ``"umep"`` (recognised, not supported) or ``"unknown"``.
    """
    try:
        with open(path, "rb") as fh:
            head = fh.read(4096).lstrip(b"\xef\xbb\xbf").lstrip()
    except OSError:
        return "unknown"
    if head.startswith(b"Latitude (decimal degrees):"):
        return "pvgis-csv"
    if head.startswith(b"{"):
        if b'"inputs"' in head and (b"tmy_hourly" in head or b"meteo_data" in head or b"months_selected" in head):
            return "pvgis-json"
        return "unknown"
    if head.startswith(b"LOCATION,"):
        return "epw"
    if head.startswith(b"iy id it imin"):
        return "umep"
    lines = head.splitlines()
    if len(lines) > 1 and lines[1].startswith(b"Date (MM/DD/YYYY)"):
        return "tmy3"
    suffix = path.suffix.lower()
    if suffix == ".epw":
        return "epw"
    if suffix in (".csv", ".txt", ".tsv") or (lines and _header_columns(lines[0].decode("utf-8", "replace"))):
        return "csv"
    return "unknown"


# -- PVGIS -------------------------------------------------------------------------------------

def read_pvgis(path: Path, fmt: str) -> RawSeries:
    """A PVGIS TMY in its CSV or JSON format (through :func:`pvlib.iotools.read_pvgis_tmy`)."""
    import pandas as pd
    import pvlib

    try:
        data, meta = pvlib.iotools.read_pvgis_tmy(str(path), pvgis_format=fmt.split("-")[1],
                                                  map_variables=True)
    except Exception as exc:  # pvlib raises a zoo of parser errors
        msg = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise InputError(path, f"not a readable PVGIS TMY {fmt.split('-')[1].upper()} file ({msg[:200]})") \
            from None
    ok = ~pd.isna(data.index)
    if not ok.all() or len(data) < 8760:
        raise InputError(path, f"the PVGIS TMY is truncated: {int(ok.sum())} of 8760 hourly rows")
    bad = ~np.isfinite(data[["ghi", "dni", "dhi"]].to_numpy(np.float64)).all(axis=1) \
        if {"ghi", "dni", "dhi"} <= set(data.columns) else np.zeros(len(data), bool)
    if bad.any():
        row = int(np.nonzero(bad)[0][0])
        raise InputError(path, f"irradiance missing or unreadable at {data.index[row]}")
    inputs = meta.get("inputs", {}) if isinstance(meta, dict) else {}
    loc = inputs.get("location", inputs)
    try:
        lat, lon = float(loc["latitude"]), float(loc["longitude"])
    except (KeyError, TypeError, ValueError):
        raise InputError(path, "the PVGIS file gives no latitude/longitude") from None
    offset_h = loc.get("irradiance_time_offset", loc.get("irradiance time offset"))
    notes = []
    if offset_h is None:
        offset_h = 0.0
        notes.append(f"{path.name}: no irradiance time offset in the PVGIS file: the values are taken "
                     "at their UTC time stamps")
    for col in ("ghi", "dni", "dhi"):
        if col not in data.columns:
            raise InputError(path, f"the PVGIS file has no {col.upper()} column")
    idx = pd.DatetimeIndex(data.index)
    if idx.tz is None:
        idx = idx.tz_localize("UTC")
    tz_hours = float(round(lon / 15.0))
    from citytwin.analysis.weather import fixed_tz

    times = (idx + pd.Timedelta(hours=float(offset_h))).tz_convert(fixed_tz(tz_hours))
    db = meta.get("inputs", {}).get("meteo_data", {}).get("radiation_db", "") if isinstance(meta, dict) else ""
    return RawSeries(times=times, ghi=_col(data, "ghi"), dni=_col(data, "dni"), dhi=_col(data, "dhi"),
                     latitude=lat, longitude=lon, tz_hours=tz_hours,
                     place=f"PVGIS TMY {lat:.3f}, {lon:.3f}" + (f" ({db})" if db else ""),
                     notes=tuple(notes), temp_air=_col(data, "temp_air", None),
                     wind_speed=_col(data, "wind_speed", None),
                     extra={"irradiance_time_offset_h": float(offset_h)})


def _col(data, name: str, default=np.nan):
    if name not in data.columns:
        return None if default is None else np.full(len(data), default)
    return data[name].to_numpy(dtype=np.float64)


# -- generic CSV -------------------------------------------------------------------------------

#: Accepted column names (lower case, units in brackets removed) for each quantity.
COLUMN_ALIASES: dict[str, tuple[str, ...]] = {
    "time": ("time", "timestamp", "datetime", "date_time", "date", "time(utc)", "time_utc", "utc",
             "period_start", "period_end", "valid_time"),
    "ghi": ("ghi", "global_horizontal", "global_horizontal_irradiance", "g(h)", "gh", "globhor"),
    "dni": ("dni", "bni", "direct_normal", "direct_normal_irradiance", "gb(n)", "dirnor"),
    "dhi": ("dhi", "dif", "diffuse", "diffuse_horizontal", "diffuse_horizontal_irradiance", "gd(h)", "difhor"),
    "temp_air": ("temp_air", "t2m", "air_temp", "air_temperature", "temperature", "tamb", "t_amb", "temp"),
    "wind_speed": ("wind_speed", "ws10m", "wind", "windspeed", "ws"),
}


def _norm(name: str) -> str:
    n = name.strip().strip('"').strip().lower()
    n = re.sub(r"\s*\[[^\]]*\]\s*$", "", n)  # "GHI [W/m2]"
    if not n.startswith(("g(", "gb(", "gd(", "time(")):
        n = re.sub(r"\s*\([^)]*\)\s*$", "", n)  # "GHI (W/m2)"
    return re.sub(r"[\s\-]+", "_", n)


def _header_columns(line: str) -> dict[str, str]:
    """{quantity: column} for a header line that names a time and a GHI column; {} otherwise."""
    sep = "\t" if "\t" in line else ("," if "," in line else ";")
    cols = [c for c in line.split(sep)]
    found: dict[str, str] = {}
    for c in cols:
        n = _norm(c)
        for q, names in COLUMN_ALIASES.items():
            if n in names and q not in found:
                found[q] = c.strip().strip('"')
    return found if "time" in found and "ghi" in found else {}


def read_generic_csv(path: Path) -> RawSeries:
    """An hourly table with named columns (see :data:`COLUMN_ALIASES`): time and GHI at least.

    DNI and DHI complete each other through the sun position when one is missing; with GHI alone
    they come from pvlib's Erbs decomposition (said in a note).
    """
    import pandas as pd

    with open(path, encoding="utf-8-sig", errors="replace") as fh:
        first = fh.readline()
    cols = _header_columns(first)
    if not cols:
        raise InputError(path, "a weather CSV needs a header naming a time column (time, timestamp, "
                         "period_end...) and a GHI column; recognised: "
                         + ", ".join(f"{q}: {'/'.join(n[:4])}" for q, n in COLUMN_ALIASES.items()), "line 1")
    sep = "\t" if "\t" in first else ("," if "," in first else ";")
    try:
        df = pd.read_csv(path, sep=sep, skipinitialspace=True, encoding="utf-8-sig")
    except Exception as exc:
        raise InputError(path, f"not a readable CSV table ({str(exc).splitlines()[0][:200]})") from None
    df.columns = [str(c).strip().strip('"') for c in df.columns]
    notes = []
    tcol = cols["time"]
    try:
        stamps = pd.to_datetime(df[tcol].astype(str).str.strip(), utc=False, format="mixed")
    except Exception:
        bad = _first_bad_time(df[tcol])
        raise InputError(path, f"time stamp {bad!r} is not a date and time", f"column {tcol!r}") from None
    idx = pd.DatetimeIndex(stamps)
    naive = idx.tz is None
    if naive:
        idx = idx.tz_localize("UTC")
        notes.append(f"{path.name}: the time stamps carry no UTC offset: read as UTC (write them as "
                     "2025-06-21T12:00+02:00, or correct with --weather-time-offset)")
    if len(idx) < 24:
        raise InputError(path, f"only {len(idx)} rows; hourly rows are needed")
    minutes = np.median(np.diff(idx.as_unit("ns").asi8)) / 6e10
    if abs(minutes - 60) > 0.5:
        raise InputError(path, f"the rows are {minutes:g} minutes apart; hourly rows are needed (resample "
                         "to hourly means)")
    label = _norm(tcol)
    shift = -30 if label == "period_end" else 30
    times = idx + pd.Timedelta(minutes=shift)
    tz_hours = times[0].utcoffset().total_seconds() / 3600.0
    from citytwin.analysis.weather import fixed_tz

    times = times.tz_convert(fixed_tz(tz_hours))

    def num(q):
        if q not in cols:
            return None
        v = pd.to_numeric(df[cols[q]], errors="coerce").to_numpy(np.float64)
        if q in ("ghi", "dni", "dhi"):
            bad = ~np.isfinite(v) | (v < -10) | (v > 1500)
            if bad.any():
                row = int(np.nonzero(bad)[0][0])
                raise InputError(path, f"{q.upper()} value {df[cols[q]].iloc[row]!r} is missing or out of "
                                 "range (0..1500 W/m2)", f"line {row + 2}")
            v = np.clip(v, 0.0, None)  # small negative night offsets of sensors
        return v

    ghi, dni, dhi = num("ghi"), num("dni"), num("dhi")
    n = len(ghi)
    return RawSeries(times=times, ghi=ghi, dni=dni if dni is not None else np.full(n, np.nan),
                     dhi=dhi if dhi is not None else np.full(n, np.nan), latitude=None, longitude=None,
                     tz_hours=tz_hours, place=path.name, notes=tuple(notes), temp_air=num("temp_air"),
                     wind_speed=num("wind_speed"), extra={"utc_assumed": naive})


def _first_bad_time(col) -> str:
    import pandas as pd

    for v in col.astype(str):
        try:
            pd.Timestamp(v.strip())
        except Exception:
            return v
    return str(col.iloc[0])


def complete_components(ghi: np.ndarray, dni: np.ndarray, dhi: np.ndarray, zenith: np.ndarray,
                        times, source: str) -> tuple[np.ndarray, np.ndarray, np.ndarray, list[str]]:
    """Fill a missing DNI or DHI (NaN columns) from the others and the sun; Erbs for GHI alone.

    Parameters
    ----------
    ghi, dni, dhi : (H,) float64, W/m2, NaN where missing
    zenith : (H,) float64, degrees
    times : the instants (for the Erbs model's extraterrestrial irradiance)

    Returns
    -------
    (ghi, dni, dhi, notes)
    """
    notes = []
    cz = np.cos(np.radians(zenith))
    up = (zenith < 87.0) & (cz > 0)
    no_dni, no_dhi = np.isnan(dni).all(), np.isnan(dhi).all()
    if no_dni and no_dhi:
        import pvlib

        e = pvlib.irradiance.erbs(ghi, zenith, times)
        dni = np.nan_to_num(np.asarray(e["dni"], float))
        dhi = np.nan_to_num(np.asarray(e["dhi"], float))
        notes.append(f"{source}: no DNI/DHI columns: split from GHI with the Erbs model (hourly beam and "
                     "diffuse uncertain by ~20%; give measured or modelled DNI and DHI for better figures)")
    elif no_dni:
        dni = np.where(up, np.clip(ghi - dhi, 0, None) / np.where(up, cz, 1.0), 0.0)
        dni = np.minimum(dni, 1400.0)
    elif no_dhi:
        dhi = np.clip(ghi - dni * np.clip(cz, 0, None), 0, None)
    return ghi, dni, dhi, notes
