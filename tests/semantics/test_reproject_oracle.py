"""Every reprojection path checked point by point against pyproj's default transformer.

The oracle is ``pyproj.Transformer.from_crs(src, dst, always_xy=True, area_of_interest=aoi)``
with the area of interest computed here, independently, from the data's bounding box
(``transform_bounds``). For each real file's CRS (RD New + NAP, RD New, ETRS89 / UTM 32 + DHHN92,
DHDN / GK 4 + DHHN92, DB_REF / GK 4 + DHHN92 (an IFC map conversion), Lambert CC 46, JGD2011
plane IX, WGS 84 3D, and in the corpus-wide test
every CRS the corpus declares) the vertices go to geographic 2D and 3D, geocentric, projected and
compound targets, and back from geographic 3D and geocentric. The operation must be the one the
oracle uses and the points must agree to 1 mm; heights take part exactly when both CRSs have a
vertical part (or one is geocentric), else they are kept. When the oracle's operation holds a
ballpark step, our notes must say so (the README: never a silent ballpark).
"""

from __future__ import annotations

import warnings
from pathlib import Path

import numpy as np
import pytest

from citytwin.io.registry import read
from citytwin.semantics.crs import CRS
from citytwin.semantics.reproject import reproject_points, transform_points
from tests.conftest import DATA, SHARED

#: real files, one per CRS, copied into tests/data (provenance in each folder's PROVENANCE.md)
LOCAL = {
    "3dbag_7415": DATA / "cityjson" / "3dbag_b2_v2.0.city.json",
    "denhaag_28992": DATA / "citygml" / "DenHaag_1BwBP.gml",
    "sig3d_25832+5783": DATA / "citygml" / "sig3d_Building_LOD2_v2.gml",
    "adv_31468+5783": DATA / "writers" / "Building_CityGML3.0_LOD2_with_several_attributes.gml",
    "lyon_3946": DATA / "crs" / "historicalSuccession_CityGML_3.0_LOD2_Versioning.gml",
    "japan_6677": DATA / "crs" / "japanese.city.json",
    "jefferson_4979": DATA / "citygml" / "JeffersonBuilding_CityGML3.0_LOD1_with_xAL3_CommonTypes.gml",
    "ifc_5834": DATA / "ifc" / "UT_GeoRef_1_IFC4X3.ifc",  # IfcProjectedCRS EPSG:5834 (DB_REF GK 4 + DHHN92)
}

#: targets for any data: geographic 2D and 3D, geocentric, web mercator
GLOBAL_TARGETS = ["EPSG:4326", "EPSG:4979", "EPSG:4978", "EPSG:3857"]


def _regional_targets(lon: float, lat: float) -> list[str]:
    """Projected, compound and national targets for data at (lon, lat)."""
    zone = int((lon + 180) // 6) + 1
    out = [f"EPSG:{32600 + zone if lat >= 0 else 32700 + zone}"]
    if 3 < lon < 7.5 and 50.5 < lat < 53.7:  # the Netherlands
        out += ["EPSG:28992", "EPSG:7415", "EPSG:7931", "EPSG:4258"]
    if 5.8 < lon < 15 and 47.2 < lat < 55:  # Germany
        out += ["EPSG:25832", "EPSG:25833", "EPSG:31468", "EPSG:25832+5783", "EPSG:25832+7837", "EPSG:4937"]
    if -5 < lon < 10 and 41 < lat < 51.5:  # France
        out += ["EPSG:2154", "EPSG:3946", "EPSG:4171"]
    if 122 < lon < 154 and 20 < lat < 46:  # Japan
        out += ["EPSG:6668", "EPSG:6697", "EPSG:6677"]
    if 112 < lon < 154 and -44 < lat < -10:  # Australia
        out += ["EPSG:7855", "EPSG:28355", "EPSG:7844"]
    if -125 < lon < -66 and 24 < lat < 50:  # USA
        out += ["EPSG:26918", "EPSG:6318"]
    return out


def _crs(text: str) -> CRS:
    c = CRS.parse(text)
    assert c is not None
    return c


def _oracle(points: np.ndarray, src: CRS, dst: CRS, probes: tuple[int, ...] = ()) -> tuple[np.ndarray, list[str], bool]:
    """pyproj's default transformer for the points' area: (points out, the operation it used at
    each point of ``probes``, heights used)."""
    import pyproj
    from pyproj.aoi import AreaOfInterest

    s, d = src.to_pyproj(), dst.to_pyproj()
    geocentric = s.is_geocentric or d.is_geocentric
    three_d = geocentric or (_has_vertical(s) and _has_vertical(d))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        if s.is_geocentric:
            lon, lat, _ = pyproj.Transformer.from_crs(s, "EPSG:4979", always_xy=True).transform(
                points[:, 0], points[:, 1], points[:, 2])
            west, south, east, north = np.min(lon), np.min(lat), np.max(lon), np.max(lat)
        else:
            h = s.sub_crs_list[0] if s.is_compound else s
            lo, hi = points[:, :2].min(axis=0), points[:, :2].max(axis=0)
            west, south, east, north = pyproj.Transformer.from_crs(h, "EPSG:4326", always_xy=True).transform_bounds(
                lo[0], lo[1], hi[0], hi[1], densify_pts=21)
        aoi = AreaOfInterest(float(west), float(south), float(east), float(north))
        tr = pyproj.Transformer.from_crs(s, d, always_xy=True, area_of_interest=aoi)
        out = points.copy()
        if three_d:
            out[:, 0], out[:, 1], out[:, 2] = tr.transform(points[:, 0], points[:, 1], points[:, 2])
        else:
            out[:, 0], out[:, 1] = tr.transform(points[:, 0], points[:, 1])
        used = []
        for i in probes:  # a vectorised call records no operation: one point at a time does
            tr.transform(*(points[i] if three_d else points[i, :2]))
            try:
                used.append(tr.get_last_used_operation().description)
            except pyproj.exceptions.ProjError:  # a single operation (no alternatives): the transformer
                used.append(tr.description)
    return out, used, three_d


def _has_vertical(c) -> bool:
    return bool(c.is_compound or len(c.axis_info) == 3)


def _metres(diff: np.ndarray, crs: CRS) -> np.ndarray:
    """Differences (n, 3) in CRS units -> metres per axis (degrees counted along the equator)."""
    return np.abs(diff) * crs.axis_metres()


def _check_path(points: np.ndarray, src: CRS, dst: CRS) -> None:
    ours, chosen = reproject_points(points, src, dst)
    notes = chosen.notes
    probes = tuple(sorted({0, len(points) // 2, len(points) - 1}))  # the operation PROJ uses at a few points
    expected, used_at, three_d = _oracle(points, src, dst, probes)
    where = f"{src} -> {dst}"
    for i, used_i in zip(probes, used_at):
        op = chosen.transformer if chosen.assignment is None else chosen.operations[chosen.assignment[i]]
        assert op.description == used_i, f"{where}, point {i}: we use {op.description!r}, PROJ's default {used_i!r}"
    assert chosen.three_d == three_d, where
    used = " ".join(used_at)
    err = _metres(ours - expected, dst)
    assert err[:, :2].max() < 1e-3, f"{where}: {err[:, :2].max():.4f} m from pyproj's default"
    if three_d:
        assert err[:, 2].max() < 1e-3, f"{where}: heights {err[:, 2].max():.4f} m from pyproj's default"
    else:
        assert np.array_equal(ours[:, 2], points[:, 2]), f"{where}: heights changed without a vertical CRS"
    said = " ".join(notes).lower()
    if "ballpark geographic offset" in used.lower():
        assert "ballpark" in said, f"{where}: ballpark horizontal step used silently"
    if three_d and "ballpark vertical" in used.lower():
        assert "heights were not transformed" in said, f"{where}: ballpark vertical step used silently"


def _paths_for(model) -> list[tuple[CRS, CRS, np.ndarray]]:
    """(source, target, points) for every target from the model's CRS and back from 3D / geocentric."""
    src = model.crs
    pts = np.unique(model.vertices, axis=0)
    lonlat = transform_points(pts[:1], src, _crs("EPSG:4326"))[0]
    out = []
    regional = _regional_targets(lonlat[0], lonlat[1])
    for t in GLOBAL_TARGETS + regional:
        dst = _crs(t)
        if dst == src:
            continue
        out.append((src, dst, pts))
    # back to the file's CRS from geographic 3D, geocentric, and the national geographic and
    # compound CRSs (JGD2011 + height 6697 as PLATEAU writes, ETRS89 / UTM + DHHN2016, ...)
    sources = ["EPSG:4979", "EPSG:4978"] + [t for t in regional if _crs(t).is_geographic() or _crs(t).has_vertical()]
    for back in sources:
        b = _crs(back)
        if b == src:
            continue
        there, _, _ = _oracle(pts, src, b)
        out.append((b, src, there))
    return out


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(LOCAL))
def test_every_path_agrees_with_pyproj_default(name: str) -> None:
    model = read(LOCAL[name])
    assert model.crs is not None and model.crs.to_string() == _local_crs(name), name
    for src, dst, pts in _paths_for(model):
        _check_path(pts, src, dst)


def _local_crs(name: str) -> str:
    """The CRS a LOCAL file declares, from its key ("sig3d_25832+5783" -> "EPSG:25832+5783")."""
    return "EPSG:" + name.rsplit("_", 1)[1]


def _corpus_files_per_crs() -> dict[str, Path]:
    """The smallest CityJSON/CityGML file of the corpus for each CRS declared there."""
    import csv

    manifest = SHARED / "MANIFEST.tsv"
    if not manifest.exists():
        return {}
    rows = list(csv.DictReader(manifest.open(encoding="utf-8"), delimiter="\t"))
    found: dict[str, tuple[int, Path]] = {}
    for r in rows:
        p = SHARED / r["path"]
        if not (r["path"].split("/")[0] in ("citygml", "cityjson") and p.suffix in (".gml", ".json", ".jsonl")
                and p.exists() and p.stat().st_size < 2_000_000):
            continue
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                m = read(p)
        except Exception:  # noqa: BLE001 - bad-input suites are tested elsewhere
            continue
        if m.crs is None or m.crs.is_local or not len(m.vertices):
            continue
        try:  # made-up coordinates outside the CRS's area (EPSG:2355 conformance files) are not data
            transform_points(m.vertices[:1], m.crs, CRS(code=4326))
        except Exception:  # noqa: BLE001
            continue
        key = m.crs.to_string()
        size = p.stat().st_size
        if key not in found or size < found[key][0]:
            found[key] = (size, p)
    return {k: v[1] for k, v in found.items()}


@pytest.mark.slow
@pytest.mark.corpus
def test_every_corpus_crs_agrees_with_pyproj_default(shared_data: Path) -> None:
    """Each CRS the corpus declares that tests/data does not: every path against the oracle
    (WGS 84 / UTM 55S Melbourne, DHDN / Soldner Berlin with and without DHHN92). The EPSG:3068
    files' placeholder coordinates (0..100 m) count too; the EPSG:2355 conformance files' made-up
    vertices, which PROJ cannot place at all, are left out."""
    files = _corpus_files_per_crs()
    assert {"EPSG:7415", "EPSG:28992", "EPSG:25832+5783", "EPSG:3946", "EPSG:32755"} <= set(files), files
    covered = {_local_crs(n) for n in LOCAL}  # checked on the same CRS by the test above
    failures = []
    for key, path in sorted(files.items()):
        if key in covered:
            continue
        model = read(path)
        for src, dst, pts in _paths_for(model):
            try:
                _check_path(pts, src, dst)
            except AssertionError as exc:
                failures.append(f"{path.name}: {exc}")
    assert not failures, "\n".join(failures)
