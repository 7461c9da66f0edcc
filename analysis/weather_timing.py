"""Is a weather file's irradiance in time with the sun? The lag that best matches the clear sky.

Weather files are stamped in many conventions (hour start, hour end, instantaneous at a satellite
scan time, UTC or local standard time) and a wrong guess moves every hour of sunshine, which turns
the best-lit roofs away from the equator without changing the annual total much. The check here is
independent of the labels: the measured global horizontal irradiance is correlated, over the whole
series, with the hourly mean of ``cos(zenith)`` (the shape of a clear day) shifted by ``lag``
minutes; the lag with the highest correlation, refined by a parabola through its neighbours, is how
far the data are from the sun positions they were given. Clouds lower the correlation but are not
biased in time, so a year of data finds the lag to a few minutes.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

#: Lags searched (minutes): irradiance compared with the sun this much later than assumed.
MAX_LAG_MINUTES = 180
#: Step of the fine clear-sky grid and of the lag search (minutes).
STEP_MINUTES = 5
#: Above this absolute lag a warning names the offset (minutes).
WARN_LAG_MINUTES = 20.0


@dataclass(frozen=True)
class TimeAlignment:
    """The result of :func:`irradiance_lag`.

    Attributes
    ----------
    lag_minutes : float, the data match the sun this many minutes after the time used for them
        (positive: the time stamps are early; add this with ``--weather-time-offset``)
    correlation : float, Pearson correlation of GHI with the shifted clear-sky shape at that lag
    correlation_at_zero : float, the same with no shift
    """

    lag_minutes: float
    correlation: float
    correlation_at_zero: float

    @property
    def off(self) -> bool:
        """True when the data are more than :data:`WARN_LAG_MINUTES` off the sun."""
        return abs(self.lag_minutes) > WARN_LAG_MINUTES


def irradiance_lag(times, ghi: np.ndarray, latitude: float, longitude: float) -> TimeAlignment:
    """The time lag between measured GHI and the sun, over a whole series.

    Parameters
    ----------
    times : pandas.DatetimeIndex, tz-aware, the instants the sun is computed for (mid-hour for
        hourly means), one per row of ``ghi``
    ghi : (H,) float64, W/m2
    latitude, longitude : degrees (WGS 84)

    Returns
    -------
    TimeAlignment
    """
    import pandas as pd
    import pvlib

    ghi = np.asarray(ghi, dtype=np.float64)
    t = pd.DatetimeIndex(times).tz_convert("UTC")
    if len(t) < 48 or not np.isfinite(ghi).all() or ghi.max() <= 0:
        return TimeAlignment(0.0, float("nan"), float("nan"))
    # cos(zenith) on a 5-min grid around every row (rows need not be in order: a TMY mixes years)
    k = int(round(60 / STEP_MINUTES))  # fine samples per hourly window
    n_lag = MAX_LAG_MINUTES // STEP_MINUTES
    offs = np.arange(-n_lag - k // 2, n_lag + k // 2 + 1)  # (F,) in steps
    # Spencer's declination and equation of time per row (they barely change within +-3.5 h), the
    # hour angle advancing 15 degrees an hour across the grid: ~0.1 degree, plenty for timing
    doy = t.dayofyear.to_numpy()
    decl = pvlib.solarposition.declination_spencer71(doy)
    eot = pvlib.solarposition.equation_of_time_spencer71(doy)
    ha = np.radians(pvlib.solarposition.hour_angle(t, longitude, eot))
    ha = ha[:, None] + np.radians(offs[None, :] * STEP_MINUTES * 0.25)
    lat = np.radians(latitude)
    cz = np.sin(lat) * np.sin(decl)[:, None] + np.cos(lat) * np.cos(decl)[:, None] * np.cos(ha)
    cz = np.clip(cz, 0.0, None)
    # window means of k samples centred at +lag: samples (c - k/2 .. c + k/2) with half weight at the ends
    csum = np.concatenate([np.zeros((len(t), 1)), np.cumsum(cz, axis=1)], axis=1)
    lags = np.arange(-n_lag, n_lag + 1) * STEP_MINUTES
    corr = np.empty(len(lags))
    g = ghi - ghi.mean()
    gn = np.sqrt((g * g).sum())
    for i in range(len(lags)):
        c = i + k // 2  # column of the window centre for this lag
        m = (csum[:, c + k // 2 + 1] - csum[:, c - k // 2] - 0.5 * (cz[:, c - k // 2] + cz[:, c + k // 2])) / k
        m = m - m.mean()
        mn = np.sqrt((m * m).sum())
        corr[i] = float((g * m).sum() / (gn * mn)) if mn > 0 else -1.0
    j = int(np.argmax(corr))
    lag = float(lags[j])
    if 0 < j < len(lags) - 1:
        y0, y1, y2 = corr[j - 1], corr[j], corr[j + 1]
        den = y0 - 2 * y1 + y2
        if den < 0:
            lag += float(0.5 * (y0 - y2) / den) * STEP_MINUTES
    zero = int(np.nonzero(lags == 0)[0][0])
    return TimeAlignment(lag_minutes=lag, correlation=float(corr[j]), correlation_at_zero=float(corr[zero]))


def alignment_warning(a: TimeAlignment, applied_offset: float = 0.0) -> str | None:
    """The ``warning:`` text (after the file's name) for a series off the sun, or None when in time.

    Parameters
    ----------
    a : the measured alignment
    applied_offset : minutes already added with ``--weather-time-offset`` (said in the message)
    """
    if not a.off:
        return None
    direction = "later" if a.lag_minutes > 0 else "earlier"
    fix = applied_offset + a.lag_minutes
    already = f" (after the --weather-time-offset {applied_offset:g} given)" if applied_offset else ""
    return (f"irradiance {abs(a.lag_minutes):.0f} min off the sun{already}: it matches the clear-sky "
            f"shape best with the sun {abs(a.lag_minutes):.0f} min {direction} than the time stamps say "
            f"(correlation {a.correlation:.3f}, {a.correlation_at_zero:.3f} as stamped), a time zone or "
            "hour-start/hour-end labelling mistake that turns the best-lit roofs and facades away from "
            f"the equator; correct it with --weather-time-offset {fix:.0f}")
