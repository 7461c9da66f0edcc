"""The sky vault: Reinhart subdivision and the Perez all-weather sky radiance.

Patch layout follows Radiance's ``reinhart.cal`` / ``gendaymtx`` (Reinhart 2001; 7 Tregenza
bands split MF times in altitude and azimuth, patch 0 faces north, azimuth grows east, one
zenith cap), so ``MF = 4`` gives 2305 sky patches. The relative radiance of each patch per hour
is the Perez, Seals and Michalsky (1993) all-weather model (coefficients: their Table 1),
normalised so the patches give back exactly the hour's diffuse horizontal irradiance.
Written here by hand (pvlib has the Perez *transposition*, not the all-weather sky distribution).
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
