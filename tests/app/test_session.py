"""The Qt-free session (app/session): layers in two CRSs, LoD switch, a solar overlay, selection.

No display and no Qt: the session is what the window shows, driven here directly.
"""

from __future__ import annotations

import logging
from pathlib import Path

import numpy as np
import pytest

ROOT = Path(__file__).resolve().parents[2]
NL = ROOT / "tests" / "data" / "cityjson" / "3dbag_b2_v2.0.city.json"  # EPSG:7415 (RD New + NAP)
DE = ROOT / "tests" / "data" / "citygml" / "sig3d_Building_LOD2_v2.gml"  # EPSG:25832+5783
MULTI_LOD = ROOT / "tests" / "data" / "cityjson" / "multi_lod_v2.0.city.json"  # no CRS


@pytest.fixture(autouse=True)
def _own_triangle_cache(tmp_path, monkeypatch):
    """An empty triangle cache of the test's own (never the user's)."""
    monkeypatch.setenv("CITYTWIN_CACHE_DIR", str(tmp_path / "triangle-cache"))


def _open(session, path: Path):
    return session.open(path)  # build_layer (as the window's worker) + add_layer


def test_session_is_qt_free() -> None:
    """The session imports neither Qt nor pyvistaqt (a fresh interpreter, so earlier tests do not count)."""
    import subprocess
    import sys

    code = ("import sys, citytwin.app.session; "
            "bad = [m for m in sys.modules if m.split('.')[0] in ('PySide6', 'pyvistaqt', 'PyQt5', 'PyQt6')]; "
            "print(bad); sys.exit(1 if bad else 0)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert out.returncode == 0, out.stdout + out.stderr


def test_two_layers_in_different_crs(caplog) -> None:
    """The first layer's CRS becomes the project CRS; the second (German UTM + DHHN92 heights) is
    reprojected to it on the fly. Oracle: pyproj's default transformer between the two compound
    CRSs on the file's own vertices. PROJ knows only a ballpark offset between ETRS89 and
    Amersfoort here (positions off by up to ~100 m): the layer must say so, not hide it."""
    import pyproj

    from citytwin.app.session import Session
    from citytwin.io.registry import read

    s = Session()
    caplog.set_level(logging.INFO, logger="citytwin")
    nl = _open(s, NL)
    assert s.project_crs is not None and s.project_crs == nl.model.crs
    assert "7415" in str(s.project_crs) and "project CRS set to" in caplog.text
    de = _open(s, DE)
    assert de.model.crs == s.project_crs
    assert "reprojected on the fly from" in caplog.text
    raw = read(DE)
    mask = raw.used_vertex_mask()
    t = pyproj.Transformer.from_crs(raw.crs.to_pyproj(), s.project_crs.to_pyproj(), always_xy=True)
    x, y, z = t.transform(*raw.vertices[mask].T)
    got = de.model.vertices[mask]
    assert np.allclose(got[:, 0], x, atol=0.01) and np.allclose(got[:, 1], y, atol=0.01)  # to the centimetre
    assert np.allclose(got[:, 2], z, atol=0.01)
    assert any("ballpark" in p.message and "100 m" in p.message for p in de.model.problems)  # said, once
    # the triangles shown are of the reprojected model, hundreds of km from the first layer
    assert np.allclose(de.tri.vertices.min(axis=0)[:2], got.min(axis=0)[:2], atol=0.01)
    assert np.linalg.norm(de.tri.vertices.mean(axis=0)[:2] - nl.tri.vertices.mean(axis=0)[:2]) > 100_000
    # a session model built before the project CRS existed would be rebuilt; these two are not
    assert not s.needs_rebuild(nl.model) and not s.needs_rebuild(de.model)
    # closing every layer forgets the project CRS (the next layer sets it again)
    s.remove_layer(nl.key)
    assert s.project_crs is not None
    s.remove_layer(de.key)
    assert s.project_crs is None and not s.layers


def test_layer_without_crs_then_assign_crs() -> None:
    """A layer without CRS is shown as is; Assign CRS validates the code and asks for a rebuild
    only when the layer must move (into the project CRS)."""
    from citytwin.app.session import Session
    from citytwin.errors import UsageError

    s = Session()
    bare = _open(s, MULTI_LOD)
    assert bare.model.crs is None and s.project_crs is None
    with pytest.raises(UsageError):
        s.assign_crs(bare.key, "EPSG:999999")
    assert bare.model.crs is None
    assert s.assign_crs(bare.key, "7415") is False  # the first CRS: becomes the project's, nothing moves
    assert str(s.project_crs) == "EPSG:7415"
    assert s.assign_crs(bare.key, "28992") is True  # another CRS than the project's: rebuild it
    with pytest.raises(UsageError, match="metres"):
        s.reproject_all("4326")  # the view needs a projected CRS


def test_switch_lod() -> None:
    """Rebuilding a layer at another LoD (build_layer on a snapshot) gives triangles of that LoD
    only; the session swaps them in and drops the overlays made on the old triangles.
    Oracle: the LoD of each triangle's geometry in the model."""
    from citytwin.app.commands.progress import Progress
    from citytwin.app.session import AnalysisOverlay, Session, build_layer, snapshot

    s = Session()
    layer = _open(s, MULTI_LOD)
    lods = layer.model.lods()
    assert len(lods) >= 2, lods
    lod = lods[0]
    s.add_overlay(layer.key, AnalysisOverlay("x", np.zeros(layer.tri.n_triangles), {}))
    s.set_color_by(layer, "x")
    before = layer.tri.n_triangles
    data = build_layer(snapshot(layer.model), Progress(), name=layer.name, lod=lod,
                       origin=layer.scene.origin, pick_index=False)
    s.set_geometry(layer, data.tri, data.scene, lod)
    assert layer.lod == lod and layer.tri is data.tri and layer.scene is data.scene
    assert 0 < layer.tri.n_triangles != before
    tri = layer.tri
    got = {layer.model.objects[tri.object_ids[o]].geometry[g].lod
           for o, g in set(zip(tri.object_index.tolist(), tri.geometry_index.tolist()))}
    assert got == {lod}
    assert layer.analyses == {} and layer.color_by == "semantic"  # the overlay was per old triangle
    assert np.array_equal(layer.scene.origin, data.scene.origin)
    # back to each object's highest LoD: the triangles the layer was opened with
    s.show_lod(layer.key, None)
    assert layer.lod is None and layer.tri.n_triangles == before


@pytest.mark.slow
def test_apply_solar_and_select() -> None:
    """A solar study applied to the session: values per triangle are those of the study's own
    surface table, per building its kWh / m2, the monthly chart sums to the annual kWh; selecting
    the building gives its parts' triangles and puts the study right under the object."""
    from citytwin.app.commands.solar import SolarOptions, run_solar
    from citytwin.app.session import SOLAR_NAME, Session, snapshot

    s = Session()
    layer = _open(s, NL)
    res = run_solar(snapshot(layer.model), SolarOptions(resolution=2.0, surfaces=("roof",)), source_name=NL.name)
    ov = s.apply_solar(layer.key, res)
    assert layer.analyses[SOLAR_NAME] is ov and SOLAR_NAME in s.color_modes(layer)
    # each triangle carries the value of its own surface row (matched here by object id,
    # geometry and surface index, independently of the overlay's vectorised match)
    tri = layer.tri
    keys = np.asarray(res.surface_keys).reshape(-1, 3)
    row_of = {(res.object_ids[o], g, si): r for r, (o, g, si) in enumerate(keys.tolist())}
    checked = 0
    for t in range(tri.n_triangles):
        r = row_of.get((tri.object_ids[tri.object_index[t]], int(tri.geometry_index[t]), int(tri.surface_index[t])))
        if r is None:
            assert np.isnan(ov.triangle_values[t])
        else:
            assert ov.triangle_values[t] == res.surfaces["annual_kwh_m2"][r]  # the column, unrounded
            checked += 1
    assert checked > 0
    roofs = tri.semantic_type == 1
    assert np.isfinite(ov.triangle_values[roofs]).all() and np.isnan(ov.triangle_values[~roofs]).all()
    # the study is on the model too
    b = "NL.IMBAG.Pand.0503100000031927"
    assert layer.model.objects[b].attributes["solar_annual_kwh"] > 0
    building = next(x for x in res.buildings if x["building_id"] == b)
    assert ov.object_values[b] == pytest.approx(building["annual_kwh"] / building["area_m2"], abs=0.01)
    coloring = s.set_color_by(layer, SOLAR_NAME)
    assert coloring is not None and layer.color_by == SOLAR_NAME
    # selecting the building: its own and its BuildingParts' triangles, the study right under the object
    idx = s.select(layer.key, b)
    assert s.selected == (layer.key, b)
    parts = layer.model.descendants(b)
    family = [layer.object_index(o) for o in [b, *parts]]
    assert parts and sorted(idx) == sorted(i for i in family if i is not None)
    assert layer.object_index(parts[0]) in idx
    sections = s.attribute_sections(layer, b)
    assert [t for t, _ in sections[:2]] == ["Object", "Analysis"]
    assert dict(sections[1][1])[f"{SOLAR_NAME} (object mean)"] == ov.object_values[b]
    title, monthly, unit = s.chart(layer, parts[0])  # a part shows its building's chart
    assert b in title and unit == "kWh" and monthly.shape == (12,)
    assert monthly.sum() == pytest.approx(building["annual_kwh"], abs=0.1)  # rows are rounded to 0.01
    assert monthly[5] > monthly[11]  # June > December
    # picking a roof triangle names its object, and the picked surface's value is shown
    t = int(np.nonzero(roofs & np.isin(tri.object_index, idx))[0][0])
    oid = s.picked_object(layer.key, t)
    assert oid in parts
    rows = dict(dict(s.attribute_sections(layer, oid, t))["Analysis"])
    assert rows[f"{SOLAR_NAME} (picked surface)"] == pytest.approx(ov.triangle_values[t])
    s.remove_layer(layer.key)
    assert s.selected is None


@pytest.mark.slow
def test_apply_shadow_time_steps() -> None:
    """A shadow study on the session: each triangle shows, at each step, the lit fraction of the
    sample points of its surface, and the day's sun hours. Oracle: the means per (object id,
    surface) computed here point by point from the study's own arrays."""
    from collections import defaultdict

    from citytwin.app.commands.shadow import ShadowOptions, run_shadow
    from citytwin.app.session import SHADOW_NAME, Session, snapshot

    s = Session()
    layer = s.open(NL)
    res = run_shadow(snapshot(layer.model), ShadowOptions(date="2024-06-21", start="08:00", end="18:00",
                                                          step_minutes=120, resolution=2.0, surfaces=("roof",),
                                                          grid_cell=0.0))
    ov = s.apply_shadow(layer.key, res)
    assert layer.analyses[SHADOW_NAME] is ov and ov.steps is not None
    points = defaultdict(list)
    for p, (o, si) in enumerate(zip(res.object_index.tolist(), res.surface_index.tolist())):
        points[(res.object_ids[o], si)].append(p)
    tri = layer.tri
    keys = [(tri.object_ids[o], si) for o, si in zip(tri.object_index.tolist(), tri.surface_index.tolist())]
    lit = np.asarray(res.lit, dtype=float)
    assert len(res.times) == 6 and lit[:, :].min() == 0.0 < lit.max()  # some shade, some sun
    for i in range(len(res.times)):
        v = ov.steps.values(i)
        for t, k in enumerate(keys):
            if k in points:
                assert v[t] == pytest.approx(lit[i, points[k]].mean())
            else:
                assert np.isnan(v[t])
    sun = [np.mean(res.sun_hours[points[k]]) if k in points else np.nan for k in keys]
    assert np.allclose(ov.triangle_values, sun, equal_nan=True)
    assert np.isfinite(ov.triangle_values[tri.semantic_type == 1]).all()
