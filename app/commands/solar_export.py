"""Exports of a solar study: CSV per surface, GeoJSON footprints with building totals, HTML report.

Every file is written atomically. Charts are drawn with matplotlib's Agg canvas (no pyplot, no
GUI backend) and embedded in the HTML as PNG data URIs, so the report is one self-contained file.
"""

from __future__ import annotations

import base64
import csv
import html
import io as _stdio
import json
from pathlib import Path

import numpy as np

from citytwin.app.commands.solar import SolarResult
from citytwin.io.atomic import atomic_write_bytes, atomic_write_text
from citytwin.semantics.model import CityModel

MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")

CSV_COLUMNS = ["object_id", "building_id", "geometry", "surface", "type", "area_m2", "tilt_deg",
               "azimuth_deg", "annual_kwh_m2", "annual_kwh", *[f"{m}_kwh_m2" for m in MONTHS],
               "sun_hours", "svf", "pv_area_m2", "pv_kwh", *[f"pv_{m}_kwh" for m in MONTHS]]


def write_csv(result: SolarResult, path: str | Path, model: CityModel | None = None) -> None:
    """One row per analysed surface (columns :data:`CSV_COLUMNS`)."""
    roots = _roots(result, model)
    buf = _stdio.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(CSV_COLUMNS)
    for s in result.surfaces:
        w.writerow([s["object_id"], roots.get(s["object_id"], s["object_id"]), s["geometry"], s["surface"],
                    s["type"], s["area_m2"], s["tilt_deg"], s["azimuth_deg"], s["annual_kwh_m2"],
                    s["annual_kwh"], *s["monthly_kwh_m2"], s["sun_hours"], s["svf"], s["pv_area_m2"],
                    s["pv_kwh"], *s.get("pv_monthly_kwh", [0.0] * 12)])
    atomic_write_text(path, buf.getvalue())


def _roots(result: SolarResult, model: CityModel | None) -> dict[str, str]:
    if model is None:
        return {}
    from citytwin.analysis.results import root_objects

    parents = {o.id: o.parents for o in model.objects.values()}
    return dict(zip(result.object_ids, root_objects(parents, result.object_ids)))


def footprints(model: CityModel, building_ids: list[str]) -> dict[str, object]:
    """2D footprint (shapely geometry, model CRS) of each building and its parts.

    The union of the plan projections of every non-vertical triangle of the building (so roofs
    overhanging walls are included); written by hand on shapely's ``union_all``.
    """
    import shapely

    mesh = model.triangulate()
    parents = {o.id: o.parents for o in model.objects.values()}
    from citytwin.analysis.results import root_objects

    roots = np.array(root_objects(parents, mesh.object_ids), dtype=object)
    want = {b: i for i, b in enumerate(building_ids)}
    tri_root = roots[mesh.object_index] if len(mesh) else np.zeros(0, object)
    keep = (np.abs(mesh.normals[:, 2]) > 0.05) & np.isin(tri_root, list(want)) if len(mesh) else \
        np.zeros(0, bool)
    out: dict[str, object] = {}
    if not keep.any():
        return out
    v = mesh.vertices[:, :2]
    tris = mesh.triangles[keep]
    polys = shapely.polygons(v[tris])
    owner = tri_root[keep]
    for b in building_ids:
        sel = polys[owner == b]
        if len(sel):
            out[b] = shapely.union_all(shapely.make_valid(sel), grid_size=1e-4)
    return out


def write_geojson(result: SolarResult, model: CityModel, path: str | Path) -> None:
    """Building footprints with their totals (WGS 84 when the model has a CRS, RFC 7946)."""
    write_features_geojson(model, result.buildings, path)


def write_features_geojson(model: CityModel, rows: list[dict], path: str | Path) -> None:
    """One footprint feature per row (``row["building_id"]``), the row as its properties.

    Coordinates in WGS 84 when the model has a CRS (RFC 7946), else in the model's own units with
    a ``note``. Shared by the solar, shadow and sky view factor exports.
    """
    import shapely

    ids = [b["building_id"] for b in rows]
    fp = footprints(model, ids)
    transform = None
    if model.crs is not None and not model.crs.is_local:
        from citytwin.semantics.crs import CRS, transform_points

        def transform(xy: np.ndarray) -> np.ndarray:
            pts = np.column_stack([xy, np.zeros(len(xy))])
            return transform_points(pts, model.crs, CRS(code=4326))[:, :2]
    feats = []
    for b in rows:
        g = fp.get(b["building_id"])
        geom = None
        if g is not None and not g.is_empty:
            if transform is not None:
                g = shapely.transform(g, transform)
            geom = json.loads(shapely.to_geojson(shapely.set_precision(g, 1e-8 if transform else 1e-3)))
        props = {k: v for k, v in b.items()}
        feats.append({"type": "Feature", "id": b["building_id"], "geometry": geom, "properties": props})
    doc = {"type": "FeatureCollection", "features": feats}
    if transform is None:
        doc["note"] = "coordinates in the model's own (unknown) CRS"
    atomic_write_text(path, json.dumps(doc, separators=(",", ":")))


# -- HTML report -------------------------------------------------------------------------------

def _figure(w: float = 6.4, h: float = 3.4):
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(figsize=(w, h), dpi=100, layout="constrained")
    FigureCanvasAgg(fig)
    return fig


def _png(fig) -> str:
    buf = _stdio.BytesIO()
    fig.savefig(buf, format="png")
    return base64.b64encode(buf.getvalue()).decode("ascii")


def monthly_chart(result: SolarResult) -> str:
    """Stacked bars of monthly irradiation (MWh) per surface type; PNG as base64."""
    fig = _figure()
    ax = fig.add_subplot()
    bottom = np.zeros(12)
    for t in sorted(set(result.semantic_type.tolist())):
        m = result.semantic_type == t
        mwh = (result.monthly_kwh_m2[m] * result.areas[m, None]).sum(axis=0) / 1000
        ax.bar(np.arange(12), mwh, bottom=bottom, label=t)
        bottom += mwh
    ax.set_xticks(np.arange(12), [m.capitalize() for m in MONTHS])
    ax.set_ylabel("irradiation (MWh)")
    ax.set_title("Monthly irradiation on the analysed surfaces")
    ax.legend(fontsize=8)
    return _png(fig)


def histogram_chart(result: SolarResult) -> str:
    """Area-weighted histogram of annual irradiation per m2, per surface type; PNG as base64."""
    fig = _figure()
    ax = fig.add_subplot()
    hi = float(np.percentile(result.annual_kwh_m2, 99.9)) if len(result.annual_kwh_m2) else 1.0
    bins = np.linspace(0, max(hi, 1.0), 40)
    for t in sorted(set(result.semantic_type.tolist())):
        m = result.semantic_type == t
        ax.hist(result.annual_kwh_m2[m], bins=bins, weights=result.areas[m], alpha=0.6, label=t)
    ax.set_xlabel("annual irradiation (kWh/m2)")
    ax.set_ylabel("area (m2)")
    ax.set_title("Distribution of annual irradiation")
    ax.legend(fontsize=8)
    return _png(fig)


def sun_path_chart(latitude: float, longitude: float, tz_hours: float, year: int = 2025) -> str:
    """Polar sun-path diagram (solstices, equinox, hourly analemmas); PNG as base64."""
    import pandas as pd
    import pvlib

    from citytwin.analysis.weather import fixed_tz

    tz = fixed_tz(tz_hours)
    fig = _figure(5.0, 5.0)
    ax = fig.add_subplot(projection="polar")
    ax.set_theta_zero_location("N")
    ax.set_theta_direction(-1)
    ax.set_rlim(0, 90)
    ax.set_yticks([0, 30, 60, 90], ["90", "60", "30", "0"])
    for day, style in ((f"{year}-06-21", "-"), (f"{year}-03-20", "--"), (f"{year}-12-21", ":")):
        t = pd.date_range(f"{day} 00:00", f"{day} 23:59", freq="5min", tz=tz)
        sp = pvlib.solarposition.get_solarposition(t, latitude, longitude)
        up = sp["apparent_elevation"] > 0
        ax.plot(np.radians(sp["azimuth"][up]), sp["apparent_zenith"][up], style, color="tab:orange",
                label=day[5:])
    days = pd.date_range(f"{year}-01-01", f"{year}-12-31", freq="7D", tz=tz)
    for hour in range(24):
        sp = pvlib.solarposition.get_solarposition(days + pd.Timedelta(hours=hour), latitude, longitude)
        up = sp["apparent_elevation"] > 0
        if up.any():
            ax.plot(np.radians(sp["azimuth"][up]), sp["apparent_zenith"][up], ".", ms=1.5, color="grey")
    ax.set_title(f"Sun path, lat {latitude:.2f} lon {longitude:.2f}", fontsize=10)
    ax.legend(fontsize=7, loc="lower right")
    return _png(fig)


def write_report(result: SolarResult, path: str | Path, title: str = "Solar study") -> None:
    """A self-contained HTML report: summary, monthly chart, histogram, sun path, building table."""
    s = result.summary()
    rows = "".join(f"<tr><th>{html.escape(str(k))}</th><td>{html.escape(json.dumps(v))}</td></tr>"
                   for k, v in s.items())
    top = sorted(result.buildings, key=lambda b: -b["annual_kwh"])[:200]
    cols = ["building_id", "area_m2", "annual_kwh", "roof_kwh_m2", "wall_kwh_m2", "pv_area_m2", "pv_kwh",
            "sun_hours", "svf"]
    brows = "".join("<tr>" + "".join(f"<td>{html.escape(str(b[c]))}</td>" for c in cols) + "</tr>" for b in top)
    info = result.info
    charts = [("Monthly irradiation", monthly_chart(result)),
              ("Histogram", histogram_chart(result)),
              ("Sun path", sun_path_chart(info["latitude"], info["longitude"], info["tz_hours"]))]
    imgs = "".join(f'<figure><img alt="{html.escape(t)}" src="data:image/png;base64,{b}"/>'
                   f"<figcaption>{html.escape(t)}</figcaption></figure>" for t, b in charts)
    sky_text = ("the Perez all-weather radiance (as Radiance's gendaymtx)" if info.get("sky_model") == "allweather"
                else "the Perez (1990) model traced as isotropic sky, horizon band and circumsolar source")
    doc = f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"/><title>{html.escape(title)}</title>
<style>body{{font-family:sans-serif;margin:2em;max-width:70em}}table{{border-collapse:collapse}}
td,th{{border:1px solid #ccc;padding:2px 6px;text-align:left;font-size:90%}}figure{{display:inline-block}}</style>
</head><body><h1>{html.escape(title)}</h1>
<h2>Summary</h2><table>{rows}</table>
<h2>Charts</h2>{imgs}
<h2>Buildings (top {len(top)} by annual irradiation)</h2>
<table><tr>{''.join(f'<th>{c}</th>' for c in cols)}</tr>{brows}</table>
<p>Method: direct sun traced per hour to the real sun position; diffuse light from a Reinhart sky
({info.get('sky_patches', 2305)} patches) with {sky_text}; ground reflection with albedo
{info.get('albedo')}. Ray casting: Embree (Open3D). PV yield: {html.escape(str(info.get('pv_model', '')))}.</p></body></html>"""
    atomic_write_text(path, doc)


def write_png(data: bytes, path: str | Path) -> None:
    """Write PNG bytes atomically."""
    atomic_write_bytes(path, data)
