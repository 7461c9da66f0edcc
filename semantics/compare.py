"""Compare two city models: what differs, as readable sentences.

Used to prove round trips lossless (read -> write -> read) and useful to people diffing two
versions of a dataset. Geometry is compared by real coordinates (within a tolerance), so two
files with different vertex order in their pools still compare equal.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from citytwin.semantics.geometry import Geometry
from citytwin.semantics.model import CityModel


def _json_equal(a: Any, b: Any, tol: float) -> bool:
    if isinstance(a, Geometry) or isinstance(b, Geometry):
        return isinstance(a, Geometry) and isinstance(b, Geometry)
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(_json_equal(a[k], b[k], tol) for k in a)
    if isinstance(a, (list, tuple)) and isinstance(b, (list, tuple)):
        return len(a) == len(b) and all(_json_equal(x, y, tol) for x, y in zip(a, b))
    if isinstance(a, bool) or isinstance(b, bool):
        return a == b
    if isinstance(a, (int, float)) and isinstance(b, (int, float)):
        return abs(a - b) <= tol * max(1.0, abs(a))
    return a == b


def _resolved_semantics(sem) -> list:
    """Per-surface semantic object (without the index-valued parent/children), None where absent.

    Two files may order or share semantic objects differently and mean the same thing.
    """
    def clean(d: dict) -> dict:
        c = {k: v for k, v in d.items() if k not in ("parent", "children")}
        if "parent" in d:
            c["parent"] = {k: v for k, v in sem.surfaces[d["parent"]].items() if k not in ("parent", "children")}
        return c
    cleaned = [clean(s) for s in sem.surfaces]
    return [cleaned[v] if v >= 0 else None for v in sem.values.tolist()]


def diff_geometry(ma: CityModel, ga: Geometry, mb: CityModel, gb: Geometry, tol: float) -> list[str]:
    """Differences between two geometries (empty when equal within ``tol`` metres)."""
    out: list[str] = []
    if ga.type != gb.type:
        return [f"type {ga.type} != {gb.type}"]
    if ga.lod != gb.lod:
        out.append(f"lod {ga.lod} != {gb.lod}")
    if ga.is_instance:
        if ga.template != gb.template:
            out.append("template differs")
        if not np.allclose(ga.transformation, gb.transformation, atol=1e-9):
            out.append("transformation differs")
        if not np.allclose(ma.vertices[ga.reference_point], mb.vertices[gb.reference_point], atol=tol):
            out.append("reference point differs")
        return out
    for name in ("ring_offsets", "surface_offsets", "shell_offsets", "solid_offsets"):
        a, b = getattr(ga, name), getattr(gb, name)
        if (a is None) != (b is None) or (a is not None and not np.array_equal(a, b)):
            out.append(f"{name} differ (structure)")
    if len(ga.indices) != len(gb.indices):
        out.append(f"{len(ga.indices)} vs {len(gb.indices)} vertex references")
    else:
        pa, pb = ma.vertices[ga.indices], mb.vertices[gb.indices]
        if len(pa) and np.abs(pa - pb).max() > tol:
            out.append(f"coordinates differ by up to {np.abs(pa - pb).max():.6f}")
    sa, sb = ga.semantics, gb.semantics
    if (sa is None) != (sb is None):
        out.append("semantics present in only one")
    elif sa is not None:
        if _resolved_semantics(sa) != _resolved_semantics(sb):
            out.append("semantic surfaces differ")
    if ga.materials.keys() != gb.materials.keys():
        out.append(f"material themes {sorted(ga.materials)} != {sorted(gb.materials)}")
    else:
        for t in ga.materials:
            if not np.array_equal(ga.materials[t].values, gb.materials[t].values):
                out.append(f"material theme {t!r} differs")
    if ga.textures.keys() != gb.textures.keys():
        out.append(f"texture themes {sorted(ga.textures)} != {sorted(gb.textures)}")
    else:
        ta, tb = ma.appearance.texture_vertices, mb.appearance.texture_vertices
        for t in ga.textures:
            xa, xb = ga.textures[t], gb.textures[t]
            if not np.array_equal(xa.ring_texture, xb.ring_texture):
                out.append(f"texture theme {t!r}: textures differ")
            elif not np.array_equal(xa.uv < 0, xb.uv < 0) or (
                    (xa.uv >= 0).any() and np.abs(ta[xa.uv[xa.uv >= 0]] - tb[xb.uv[xb.uv >= 0]]).max() > 1e-6):
                out.append(f"texture theme {t!r}: texture coordinates differ")
    if not _json_equal(ga.extra, gb.extra, 1e-12):
        out.append("extra geometry members differ")
    return out


def diff_models(a: CityModel, b: CityModel, tol: float = 0.0015, check_metadata: bool = True) -> list[str]:
    """All differences between two models, as sentences (empty list when equivalent).

    Parameters
    ----------
    tol : float, metres: allowed coordinate difference (the precision of the writer, plus rounding)
    check_metadata : compare metadata (minus the derived geographicalExtent), extensions, CRS
    """
    out: list[str] = []
    if a.objects.keys() != b.objects.keys():
        only_a = sorted(set(a.objects) - set(b.objects))[:5]
        only_b = sorted(set(b.objects) - set(a.objects))[:5]
        out.append(f"object ids differ: only in first {only_a}, only in second {only_b}")
    for oid in a.objects.keys() & b.objects.keys():
        oa, ob = a.objects[oid], b.objects[oid]
        pre = f"{oid}: "
        if oa.type != ob.type:
            out.append(pre + f"type {oa.type} != {ob.type}")
        if not _json_equal(oa.attributes, ob.attributes, 1e-12):
            out.append(pre + "attributes differ")
        if oa.parents != ob.parents or oa.children != ob.children:
            out.append(pre + "hierarchy differs")
        if not _json_equal(oa.extra, ob.extra, 1e-12):
            out.append(pre + f"extra members differ ({sorted(oa.extra)} vs {sorted(ob.extra)})")
        if (oa.address is None) != (ob.address is None) or (
                oa.address is not None and not _json_equal(oa.address, ob.address, tol)):
            out.append(pre + "address differs")
        if len(oa.geometry) != len(ob.geometry):
            out.append(pre + f"{len(oa.geometry)} vs {len(ob.geometry)} geometries")
            continue
        for i, (ga, gb) in enumerate(zip(oa.geometry, ob.geometry)):
            out.extend(pre + f"geometry {i}: " + d for d in diff_geometry(a, ga, b, gb, tol))
    if len(a.templates) != len(b.templates):
        out.append(f"{len(a.templates)} vs {len(b.templates)} geometry templates")
    elif a.templates:
        if a.template_vertices.shape != b.template_vertices.shape or (
                len(a.template_vertices) and np.abs(a.template_vertices - b.template_vertices).max() > tol):
            out.append("template vertices differ")
    aa, ab = a.appearance, b.appearance
    if not _json_equal(aa.materials, ab.materials, 1e-9):
        out.append("materials differ")
    if not _json_equal(aa.textures, ab.textures, 1e-12):
        out.append("textures differ")
    if (aa.default_theme_material, aa.default_theme_texture) != (ab.default_theme_material, ab.default_theme_texture):
        out.append("default themes differ")
    if check_metadata:
        ma = {k: v for k, v in a.metadata.items() if k != "geographicalExtent"}
        mb = {k: v for k, v in b.metadata.items() if k != "geographicalExtent"}
        if not _json_equal(ma, mb, 1e-12):
            out.append("metadata differ")
        if not _json_equal(a.extensions, b.extensions, 1e-12):
            out.append("extensions differ")
        if not _json_equal(a.extra, b.extra, 1e-12):
            out.append("extra top-level members differ")
        if (a.crs is None) != (b.crs is None) or (a.crs and a.crs.to_string() != b.crs.to_string()):
            out.append(f"CRS {a.crs} != {b.crs}")
    return out
