"""The sky vault: Reinhart subdivision and the Perez sky radiance (Perez 1990 sources or all-weather).

Patch layout follows Radiance's ``reinhart.cal`` / ``gendaymtx`` (Reinhart 2001; 7 Tregenza
bands split MF times in altitude and azimuth, patch 0 faces north, azimuth grows east, one
zenith cap), so ``MF = 4`` gives 2305 sky patches. Two ways to give the patches a radiance:

- :func:`perez1990_sky` (the default of the solar study): the Perez et al. (1990) diffuse model
  that pvlib uses for transposition, read as three light sources (isotropic sky, horizon band,
  circumsolar point source at the sun). Unshaded planes of any tilt and azimuth then receive
  pvlib's ``poa_sky_diffuse`` (within 0.1% a year, Amsterdam IWEC), and shading acts on each
  source where it is in the sky. F1/F2 come from pvlib's own coefficient table.
- :func:`perez_radiance`: the Perez, Seals and Michalsky (1993) all-weather distribution
  (coefficients: their Table 1, as Radiance's gendaymtx), normalised so the patches give back
  exactly the hour's DHI. Its circumsolar region is broad, so against Perez 1990 it gives a
  vertical south wall +6% and a north wall -4% diffuse light (at MF 4 and at MF 12 alike: the
  model, not the discretisation). Written here by hand (pvlib has no all-weather distribution).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

_TREGENZA_COUNTS = (30, 30, 24, 24, 18, 12, 6)


@dataclass(frozen=True)
class SkyPatches:
    """Patches of a hemisphere.

    Attributes
    ----------
    directions : (P, 3) float64, unit vectors to the patch centres (x east, y north, z up)
    solid_angles : (P,) float64, steradians (they sum to 2 pi)
    mf : Reinhart subdivision (1 = Tregenza's 145 patches)
    """

    directions: np.ndarray
    solid_angles: np.ndarray
    mf: int

    def __len__(self) -> int:
        return len(self.solid_angles)

    def flipped(self) -> "SkyPatches":
        """The mirror image below the horizon (for the ground-reflected light)."""
        d = self.directions.copy()
        d[:, 2] *= -1
        return SkyPatches(d, self.solid_angles.copy(), self.mf)


def reinhart(mf: int = 4) -> SkyPatches:
    """Reinhart sky patches with subdivision ``mf`` (1 + 144 * mf**2 patches)."""
    if mf < 1:
        raise ValueError("the Reinhart subdivision must be >= 1")
    alpha = (np.pi / 2) / (7 * mf + 0.5)
    alts, azis, doms = [], [], []
    for i in range(7 * mf):
        n = _TREGENZA_COUNTS[i // mf] * mf
        alts.append(np.full(n, alpha * (i + 0.5)))
        azis.append(2 * np.pi * np.arange(n) / n)
        doms.append(np.full(n, 2 * np.pi * (np.sin(alpha * (i + 1)) - np.sin(alpha * i)) / n))
    alts.append(np.array([np.pi / 2]))
    azis.append(np.array([0.0]))
    doms.append(np.array([2 * np.pi * (1 - np.cos(alpha * 0.5))]))
    alt, azi, dom = np.concatenate(alts), np.concatenate(azis), np.concatenate(doms)
    d = np.stack([np.cos(alt) * np.sin(azi), np.cos(alt) * np.cos(azi), np.sin(alt)], axis=1)
    return SkyPatches(d, dom, mf)


#: Perez et al. (1993) Table 1: per clearness bin, a1..a4, b1..b4, c1..c4, d1..d4, e1..e4.
PEREZ_COEFFS = np.array([
    [1.3525, -0.2576, -0.2690, -1.4366, -0.7670, 0.0007, 1.2734, -0.1233, 2.8000, 0.6004,
     1.2375, 1.0000, 1.8734, 0.6297, 0.9738, 0.2809, 0.0356, -0.1246, -0.5718, 0.9938],
    [-1.2219, -0.7730, 1.4148, 1.1016, -0.2054, 0.0367, -3.9128, 0.9156, 6.9750, 0.1774,
     6.4477, -0.1239, -1.5798, -0.5081, -1.7812, 0.1080, 0.2624, 0.0672, -0.2190, -0.4285],
    [-1.1000, -0.2515, 0.8952, 0.0156, 0.2782, -0.1812, -4.5000, 1.1766, 24.7219, -13.0812,
     -37.7000, 34.8438, -5.0000, 1.5218, 3.9229, -2.6204, -0.0156, 0.1597, 0.4199, -0.5562],
    [-0.5484, -0.6654, -0.2672, 0.7117, 0.7234, -0.6219, -5.6812, 2.6297, 33.3389, -18.3000,
     -62.2500, 52.0781, -3.5000, 0.0016, 1.1477, 0.1062, 0.4659, -0.3296, -0.0876, -0.0329],
    [-0.6000, -0.3566, -2.5000, 2.3250, 0.2937, 0.0496, -5.6812, 1.8415, 21.0000, -4.7656,
     -21.5906, 7.2492, -3.5000, -0.1554, 1.4062, 0.3988, 0.0032, 0.0766, -0.0656, -0.1294],
    [-1.0156, -0.3670, 1.0078, 1.4051, 0.2875, -0.5328, -3.8500, 3.3750, 14.0000, -0.9999,
     -7.1406, 7.5469, -3.4000, -0.1078, -1.0750, 1.5702, -0.0672, 0.4016, 0.3017, -0.4844],
    [-1.0000, 0.0211, 0.5025, -0.5119, -0.3000, 0.1922, 0.7023, -1.6317, 19.0000, -5.0000,
     1.2438, -1.9094, -4.0000, 0.0250, 0.3844, 0.2656, 1.0468, -0.3788, -2.4517, 1.4656],
    [-1.0500, 0.0289, 0.4260, 0.3590, -0.3250, 0.1156, 0.7781, 0.0025, 31.0625, -14.5000,
     -46.1148, 55.3750, -7.2312, 0.4050, 13.3500, 0.6234, 1.5000, -0.6426, 1.8564, 0.5636],
])
_EPS_EDGES = np.array([1.065, 1.230, 1.500, 1.950, 2.800, 4.500, 6.200])


def perez_parameters(zenith_rad: np.ndarray, dni: np.ndarray, dhi: np.ndarray,
                     dni_extra: np.ndarray) -> np.ndarray:
    """Perez all-weather parameters a..e per hour; (H, 5) float64.

    Sky clearness and brightness follow Perez et al. (1990), eqs. 1-2, with Kasten's air mass;
    the clamps are those of Radiance's gendaymtx (sun altitude <= 87 deg, clearness <= 12,
    brightness >= 0.2 for intermediate skies).
    """
    z = np.minimum(zenith_rad, np.radians(87.0))
    z = np.maximum(z, np.radians(3.0))  # keep the circumsolar term off the zenith singularity
    dhi_safe = np.maximum(dhi, 1e-6)
    z3 = 1.041 * z ** 3
    eps = ((dhi_safe + dni) / dhi_safe + z3) / (1 + z3)
    eps = np.clip(eps, 1.0, 12.0)
    am = 1.0 / (np.cos(z) + 0.15 * (93.885 - np.degrees(z)) ** -1.253)
    delta = dhi_safe * am / dni_extra
    idx = np.searchsorted(_EPS_EDGES, eps, side="right")
    delta = np.where((eps > 1.065) & (eps < 2.8), np.maximum(delta, 0.2), delta)
    delta = np.maximum(delta, 0.01)
    c = PEREZ_COEFFS[idx].reshape(-1, 5, 4)
    x = c[:, :, 0] + c[:, :, 1] * z[:, None] + delta[:, None] * (c[:, :, 2] + c[:, :, 3] * z[:, None])
    first = idx == 0
    if first.any():
        cf = c[first]
        zf, df = z[first], delta[first]
        x[first, 2] = np.exp(np.power(df * (cf[:, 2, 0] + cf[:, 2, 1] * zf), cf[:, 2, 2])) - cf[:, 2, 3]
        x[first, 3] = -np.exp(df * (cf[:, 3, 0] + cf[:, 3, 1] * zf)) + cf[:, 3, 2] + df * cf[:, 3, 3]
    return x


def perez_radiance(patches: SkyPatches, sun_vectors: np.ndarray, zenith_deg: np.ndarray,
                   dni: np.ndarray, dhi: np.ndarray, dni_extra: np.ndarray) -> np.ndarray:
    """Diffuse sky radiance of every patch for every hour, W/(m2 sr); (H, P) float64.

    Normalised per hour so that ``sum_p L[h, p] * cos(theta_p) * omega_p == dhi[h]`` exactly
    (zero for hours without diffuse light).
    """
    zr = np.radians(np.asarray(zenith_deg, dtype=np.float64))
    prm = perez_parameters(zr, np.asarray(dni, float), np.asarray(dhi, float), np.asarray(dni_extra, float))
    d = patches.directions
    cosz = np.maximum(d[:, 2], 0.01)  # patch zenith cosine
    s = np.asarray(sun_vectors, dtype=np.float64)
    # keep the sun at least 3 deg above the horizon for the shape (as gendaymtx limits it)
    cosg = np.clip(s @ d.T, -1.0, 1.0)
    gamma = np.arccos(cosg)
    a, b, c, dd, e = (prm[:, i:i + 1] for i in range(5))
    rel = (1 + a * np.exp(b / cosz[None, :])) * (1 + c * np.exp(dd * gamma) + e * cosg ** 2)
    rel = np.maximum(rel, 0.0)
    horiz = rel @ (d[:, 2] * patches.solid_angles)
    with np.errstate(divide="ignore", invalid="ignore"):
        scale = np.where(horiz > 0, np.asarray(dhi, float) / horiz, 0.0)
    return rel * scale[:, None]


def cumulative_sky(patches: SkyPatches, sun_vectors: np.ndarray, zenith_deg: np.ndarray,
                   dni: np.ndarray, dhi: np.ndarray, dni_extra: np.ndarray, groups: np.ndarray,
                   n_groups: int, chunk: int = 1024) -> np.ndarray:
    """Sum of the hourly Perez radiance per group of hours (e.g. month), Wh/(m2 sr).

    Parameters
    ----------
    groups : (H,) int, group index (0..n_groups-1) per hour

    Returns
    -------
    (n_groups, P) float64
    """
    out = np.zeros((n_groups, len(patches)))
    use = np.nonzero(np.asarray(dhi) > 0)[0]
    for i in range(0, len(use), chunk):
        h = use[i:i + chunk]
        rad = perez_radiance(patches, sun_vectors[h], zenith_deg[h], dni[h], dhi[h], dni_extra[h])
        onehot = np.zeros((n_groups, len(h)))
        onehot[groups[h], np.arange(len(h))] = 1.0
        out += onehot @ rad
    return out


#: Sky models of :func:`sky_for_hours`.
SKY_MODELS = ("perez1990", "allweather")
#: Width of the Perez (1990) horizon band, degrees (the original model's 6.5 degrees).
HORIZON_BAND_DEG = 6.5


def perez1990_brightening(zenith_deg: np.ndarray, dni: np.ndarray, dhi: np.ndarray,
                          dni_extra: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Circumsolar and horizon brightening coefficients F1, F2 of Perez et al. (1990); (H,) each.

    Exactly as pvlib's ``irradiance.perez`` computes them (``allsitescomposite1990``
    coefficients, Kasten-Young relative air mass, kappa 1.041), so that our transposition of an
    unshaded plane is pvlib's. Hours without diffuse light or with the sun below the horizon get 0.
    """
    import pvlib

    zen = np.asarray(zenith_deg, float)
    dni = np.asarray(dni, float)
    dhi = np.asarray(dhi, float)
    f1 = np.zeros(len(zen))
    f2 = np.zeros(len(zen))
    ok = (dhi > 0) & (zen < 90.0)
    if not ok.any():
        return f1, f2
    z = np.radians(zen[ok])
    am = np.asarray(pvlib.atmosphere.get_relative_airmass(zen[ok], "kastenyoung1989"), float)
    delta = dhi[ok] * am / np.asarray(dni_extra, float)[ok]
    kz3 = 1.041 * z ** 3
    eps = ((dhi[ok] + dni[ok]) / dhi[ok] + kz3) / (1 + kz3)
    ebin = np.clip(np.digitize(eps, (0., 1.065, 1.23, 1.5, 1.95, 2.8, 4.5, 6.2)) - 1, 0, 7)
    # pvlib keeps its coefficient table in a private helper (stable since pvlib 0.1)
    f1c, f2c = pvlib.irradiance._get_perez_coefficients("allsitescomposite1990")
    f1c, f2c = np.asarray(f1c, float), np.asarray(f2c, float)
    f1[ok] = np.maximum(f1c[ebin, 0] + f1c[ebin, 1] * delta + f1c[ebin, 2] * z, 0.0)
    f2[ok] = f2c[ebin, 0] + f2c[ebin, 1] * delta + f2c[ebin, 2] * z
    return f1, f2


def perez1990_sky(patches: SkyPatches, sun_vectors: np.ndarray, zenith_deg: np.ndarray, dni: np.ndarray,
                  dhi: np.ndarray, dni_extra: np.ndarray, beam_traced: np.ndarray, groups: np.ndarray,
                  n_groups: int) -> tuple[np.ndarray, np.ndarray]:
    """The Perez (1990) diffuse model laid on the sky patches, summed per group of hours.

    Perez 1990 transposes DHI onto a plane of tilt ``beta`` as
    ``DHI * ((1 - F1) (1 + cos beta) / 2 + F1 cos(i) / max(cos Z, cos 85) + F2 sin beta)``. Its
    three terms are three light sources, and each is traced as such (so shading applies to each):

    - an isotropic sky of radiance ``l_iso`` on every patch;
    - a horizon band of extra radiance ``l_band`` on the patches whose centre lies below
      :data:`HORIZON_BAND_DEG`; ``l_iso`` and ``l_band`` are solved per hour so that the patches
      give exactly ``(1 - F1) DHI`` on a horizontal plane and ``(1 - F1) DHI / 2 + F2 DHI`` on a
      vertical one (azimuth-averaged), i.e. the discretisation is exact for both;
    - the circumsolar part, a point source at the sun of normal irradiance
      ``F1 DHI / max(cos Z, cos 85)``: returned per hour, to be traced with the sun ray for
      hours where ``beam_traced``; for the other hours (sun up, no beam: overcast) it goes into
      the patch nearest the sun, scaled so a horizontal plane still receives ``F1 DHI cos Z / b``.

    Hours with diffuse light and the sun below the horizon (twilight) get an isotropic sky
    that gives DHI on a horizontal plane (pvlib drops them: about 0.05% of GHI).

    Parameters
    ----------
    sun_vectors : (H, 3) unit vectors to the sun
    zenith_deg, dni, dhi, dni_extra : (H,) degrees and W/m2
    beam_traced : (H,) bool, hours whose sun ray is traced
    groups : (H,) int, group index (0..n_groups-1) per hour (e.g. month)

    Returns
    -------
    sky : (n_groups, P) float64, summed patch radiance, Wh/(m2 sr)
    circumsolar : (H,) float64, W/m2 normal to the sun, non-zero only where ``beam_traced``
    """
    dhi = np.asarray(dhi, float)
    zen = np.asarray(zenith_deg, float)
    f1, f2 = perez1990_brightening(zen, dni, dhi, dni_extra)
    d, om = patches.directions, patches.solid_angles
    sin_alt = d[:, 2]
    cos_alt = np.sqrt(np.maximum(0.0, 1.0 - sin_alt ** 2))
    band = sin_alt < np.sin(np.radians(HORIZON_BAND_DEG))
    hs, vs = float(om @ sin_alt), float(om @ cos_alt) / np.pi  # horizontal, vertical (azimuth mean)
    hb, vb = float(om[band] @ sin_alt[band]), float(om[band] @ cos_alt[band]) / np.pi
    det = hs * vb - hb * vs
    up = zen < 90.0
    want_h = np.where(up, (1 - f1) * dhi, dhi)
    want_v = np.where(up, (1 - f1) * dhi / 2 + f2 * dhi, dhi * vs / hs)
    l_iso = (want_h * vb - hb * want_v) / det
    l_band = (hs * want_v - vs * want_h) / det
    b = np.maximum(np.cos(np.radians(zen)), np.cos(np.radians(85.0)))
    cs = np.where(up & (dhi > 0), f1 * dhi / b, 0.0)
    traced = np.asarray(beam_traced, bool)
    g = np.asarray(groups)
    sky = np.zeros((n_groups, len(patches)))
    sky += np.bincount(g, weights=l_iso, minlength=n_groups)[:, None]
    sky[:, band] += np.bincount(g, weights=l_band, minlength=n_groups)[:, None]
    rest = np.nonzero((cs > 0) & ~traced)[0]
    if len(rest):
        s = np.asarray(sun_vectors, float)[rest]
        near = np.argmax(s @ d.T, axis=1)
        e_h = cs[rest] * np.maximum(s[:, 2], 0.0)  # what a horizontal plane gets from it
        np.add.at(sky, (g[rest], near), e_h / (om[near] * sin_alt[near]))
    return sky, np.where(traced, cs, 0.0)
