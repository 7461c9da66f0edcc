"""PV yield of roof surfaces with pvlib's models: monthly performance ratio per orientation.

The ray tracer gives the irradiation each usable roof point receives, month by month, with its
real shading (direct sun per hour, sky and ground per month). Turning that into AC energy needs
the hourly weather: cell temperature, module efficiency at that temperature, the inverter's part
load, the angle of incidence on the glass. This module runs pvlib's chain hourly for an
*unshaded* module of each orientation (tilt and azimuth binned to 5 degrees):

1. plane-of-array irradiance: pvlib ``get_total_irradiance`` (Perez 1990, the file's albedo);
2. reflection losses of the glass: pvlib ``iam.physical`` (n = 1.526, K = 4/m, L = 2 mm) on the
   beam; diffuse light is not reduced (pvlib ModelChain's convention; Marion's diffuse IAM would
   take ~2-3 % more in a cloudy climate);
3. cell temperature: pvlib ``temperature.faiman`` (U0 = 25 W/m2K, U1 = 6.84 W/m3sK) from the air
   temperature and wind speed of the weather file (20 degC / 1 m/s when it has none, said);
4. DC power: pvlib ``pvwatts_dc`` with the temperature coefficient ``gamma_pdc`` (default
   -0.37 %/K, crystalline silicon);
5. system losses: pvlib ``pvwatts_losses`` defaults without shading (soiling 2, mismatch 2,
   wiring 2, connections 0.5, light-induced degradation 1.5, nameplate 1, availability 3 %:
   11.4 %), since shading is traced;
6. inverter: pvlib ``inverter.pvwatts`` (nominal efficiency 0.96, DC/AC ratio 1.1).

The monthly performance ratio ``PR_m = AC energy / (POA irradiation * STC efficiency)`` of that
unshaded module is applied to the shaded irradiation of the roof points of that orientation:
``yield_m = PR_m * efficiency * sum(usable area * irradiation_m)``. What this leaves out: a
shaded hour is usually a low-light hour, where the inverter runs less efficiently and the cells
run cooler; both are second order (about 1 %) next to the shading itself.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

#: Orientation bin width, degrees.
BIN_DEG = 5.0


@dataclass(frozen=True)
class PVSystem:
    """pvlib model parameters (see the module docstring for the chain)."""

    gamma_pdc: float = -0.0037
    losses_percent: float | None = None  # None: pvlib pvwatts_losses defaults without shading
    inverter_efficiency: float = 0.96
    dc_ac_ratio: float = 1.1
    u0: float = 25.0
    u1: float = 6.84


def system_losses_percent(system: PVSystem) -> float:
    """The DC system losses in percent (pvlib ``pvwatts_losses``, shading 0)."""
    if system.losses_percent is not None:
        return float(system.losses_percent)
    import pvlib

    return float(pvlib.pvsystem.pvwatts_losses(shading=0.0))


def monthly_performance_ratio(weather, tilt_deg: np.ndarray, azimuth_deg: np.ndarray, albedo: float,
                              system: PVSystem = PVSystem()) -> tuple[np.ndarray, list[str]]:
    """Monthly performance ratio of an unshaded module for each orientation.

    Parameters
    ----------
    weather : citytwin.analysis.weather.Weather
    tilt_deg, azimuth_deg : (S,) float64, degrees (azimuth clockwise from north)
    albedo : ground reflectance
    system : model parameters

    Returns
    -------
    (S, 12) float64 performance ratios (AC kWh per kWh/m2 of plane-of-array irradiation and per
    unit STC efficiency and m2; 0 for a month without light), and notes to say.
    """
    import pvlib

    notes: list[str] = []
    tilt = np.asarray(tilt_deg, float)
    az = np.asarray(azimuth_deg, float)
    tb = np.clip(np.round(tilt / BIN_DEG) * BIN_DEG, 0.0, 90.0)
    ab = np.where(tb == 0, 180.0, np.round(az / BIN_DEG) * BIN_DEG % 360.0)
    keys = np.stack([tb, ab], 1)
    uniq, inv = np.unique(keys, axis=0, return_inverse=True) if len(keys) else (np.zeros((0, 2)), np.zeros(0, int))
    months = weather.months - 1
    temp = weather.temp_air
    wind = weather.wind_speed
    if temp is None or not np.isfinite(temp).any():
        temp = np.full(len(weather), 20.0)
        notes.append("the weather has no air temperature: PV cells modelled at 20 degC air, 1 m/s wind")
        wind = np.full(len(weather), 1.0)
    temp = np.where(np.isfinite(temp), temp, np.nanmean(temp))
    if wind is None or not np.isfinite(wind).any():
        wind = np.full(len(weather), 1.0)
    wind = np.where(np.isfinite(wind), wind, 1.0)
    am = pvlib.atmosphere.get_relative_airmass(weather.zenith)
    loss = system_losses_percent(system)
    p_dc0 = 1000.0  # W for 1 kW/m2 (per m2 at 100 % efficiency; the efficiency scales out)
    p_ac0 = p_dc0 / system.dc_ac_ratio
    out = np.zeros((len(uniq), 12))
    for i, (t, a) in enumerate(uniq.tolist()):
        poa = pvlib.irradiance.get_total_irradiance(t, a, weather.zenith, weather.azimuth, weather.dni,
                                                    weather.ghi, weather.dhi, dni_extra=weather.dni_extra,
                                                    airmass=am, model="perez", albedo=albedo)
        poa_tot = np.nan_to_num(np.asarray(poa["poa_global"], float))
        aoi = pvlib.irradiance.aoi(t, a, weather.zenith, weather.azimuth)
        iam_b = np.nan_to_num(np.asarray(pvlib.iam.physical(aoi), float))
        eff = (np.nan_to_num(np.asarray(poa["poa_direct"], float)) * iam_b
               + np.nan_to_num(np.asarray(poa["poa_diffuse"], float)))
        tcell = pvlib.temperature.faiman(poa_tot, temp, wind, u0=system.u0, u1=system.u1)
        pdc = pvlib.pvsystem.pvwatts_dc(eff, tcell, p_dc0, system.gamma_pdc) * (1 - loss / 100.0)
        pac = np.nan_to_num(np.asarray(pvlib.inverter.pvwatts(pdc, p_ac0 / system.inverter_efficiency * 1.0,
                                                              eta_inv_nom=system.inverter_efficiency),
                                       float))
        pac = np.clip(pac, 0.0, None)
        e_ac = np.bincount(months, weights=pac, minlength=12)
        e_poa = np.bincount(months, weights=poa_tot, minlength=12)
        with np.errstate(invalid="ignore", divide="ignore"):
            out[i] = np.where(e_poa > 0, e_ac / e_poa, 0.0)
    return out[inv.reshape(-1)] if len(keys) else np.zeros((0, 12)), notes
