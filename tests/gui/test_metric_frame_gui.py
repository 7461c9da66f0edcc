"""Layers in degrees (EPSG:4979, PLATEAU's EPSG:6697) or ECEF (3D Tiles) are shown upright in
metres (issue 14 items 1 and 2), on the real window under Xvfb, checked on the pixels.

Before, the viewport drew degrees as metres (a 0.0015 "m" wide, 9 m tall sliver: an empty view)
and 3D Tiles in ECEF with "up" along the earth's radius (tilted in Top and Front views).
"""

from __future__ import annotations

import json
import shutil

import numpy as np
import pytest

from tests.conftest import shared_path
from tests.gui.conftest import open_and_wait

pytestmark = pytest.mark.gui

JEFFERSON = ("citygml", "v3.0", "JeffersonBuilding_CityGML3.0_LOD1_with_xAL3_CommonTypes.gml")  # EPSG:4979
TILESET = ("mesh", "3dtiles", "1.1", "MetadataGranularities")


def _wait_log(qtbot, win, text: str) -> None:
    qtbot.waitUntil(lambda: text in win.log_panel.toPlainText(), timeout=10000)


def _model_pixels(img: np.ndarray) -> np.ndarray:
    """(h, w) bool: pixels that differ from the background gradient of their row."""
    img = img.astype(int)
    bg = img[:, -3:-2, :]  # the right edge of each row is background (legend and axes are on the left)
    return np.abs(img - bg).sum(axis=2) > 40


def _extent(mask: np.ndarray) -> tuple[int, int]:
    """(width, height) in pixels of the True region (legend and axes corners excluded)."""
    h, w = mask.shape
    m = mask.copy()
    m[: h // 5, : 3 * w // 5] = False  # legend (upper left)
    m[3 * h // 4:, : w // 5] = False  # orientation axes (lower left)
    m[:120, w - 100:] = False  # north arrow (upper right)
    m[h - 45:, w - 220:] = False  # scale bar (lower right)
    ys, xs = np.nonzero(m)
    if len(xs) == 0:
        return 0, 0
    return int(xs.max() - xs.min()), int(ys.max() - ys.min())


def test_geographic_layer_shown_in_utm_upright(qtbot, window, tmp_path) -> None:
    from citytwin.io.registry import read
    from citytwin.semantics.crs import CRS, transform_points

    path = shared_path(*JEFFERSON)
    layer = open_and_wait(qtbot, window, path)
    _wait_log(qtbot, window, "shown in EPSG:32618")
    assert str(window.project_crs) == "EPSG:32618" and "UTM zone 18N" in window.crs_label.text()
    # oracle: pyproj's default transformer from the file's own coordinates
    raw = read(path)
    expect = transform_points(raw.vertices, raw.crs, CRS(code=32618))
    assert np.allclose(layer.model.vertices, expect, atol=1e-6)
    # a building of about 135 x 145 m, 9.3 m high: seen from the front it is wide and low ...
    window.view_front()
    front = _model_pixels(window.viewport.grab_image())
    window.save_screenshot(tmp_path / "jefferson_front.png")
    w, h = _extent(front)
    assert w > 200 and 0 < h < w / 5, (w, h)
    # ... from the top it fills the view (degrees drawn as metres were an invisible sliver)
    window.view_top()
    top = _model_pixels(window.viewport.grab_image())
    w, h = _extent(top)
    assert w > 200 and h > 200, (w, h)
    window.save_screenshot(tmp_path / "jefferson_top.png")


def test_plateau_epsg6697_layer_in_its_datum_utm_zone(qtbot, window, tmp_path) -> None:
    """PLATEAU publishes EPSG:6697 (JGD2011 latitude, longitude + JGD2011 height): a real Japanese
    CityJSON (EPSG:6677) written in EPSG:6697 opens in JGD2011 / UTM zone 54N (EPSG:6691)."""
    from citytwin.io.registry import read, write
    from citytwin.semantics.crs import CRS, transform_points

    model = read(shared_path("cityjson", "cjval", "japanese.city.json"))
    model.reproject("EPSG:6697")
    src = tmp_path / "plateau_like_6697.city.json"
    write(model, src)
    layer = open_and_wait(qtbot, window, src)
    _wait_log(qtbot, window, "shown in EPSG:6691")
    assert str(window.project_crs) == "EPSG:6691"
    back = read(src)
    assert str(back.crs).startswith("EPSG:6697")
    expect = transform_points(back.vertices, back.crs, CRS(code=6691))
    assert np.allclose(layer.model.vertices, expect, atol=1e-6)
    window.set_color_by("semantic")
    window.view_top()
    img = window.viewport.grab_image()
    window.save_screenshot(tmp_path / "plateau_top.png")
    red = (img[..., 0] > 140) & (img[..., 1] < 80) & (img[..., 2] < 80)
    red[:120, :220] = False  # the legend's swatch
    assert red.sum() > 50  # roofs seen from above (drawn in degrees: nothing to see)
    window.view_front()
    w, h = _extent(_model_pixels(window.viewport.grab_image()))
    assert w > 100 and 0 < h < w / 4, (w, h)  # two buildings ~100 m apart, ~10 m high


def _georeferenced_tileset(tmp_path, lon: float, lat: float) -> "Path":
    """The Cesium sample tileset (local metres, no transform) placed on the earth the way
    producers do: a root ``transform`` from east-north-up at (lon, lat, 0) to ECEF."""
    import pyproj

    src = shared_path(*TILESET)
    dst = tmp_path / "tiles"
    shutil.copytree(src, dst)
    ts = json.loads((dst / "tileset.json").read_text())
    x0, y0, z0 = pyproj.Transformer.from_crs(4979, 4978, always_xy=True).transform(lon, lat, 0.0)
    lo, la = np.radians(lon), np.radians(lat)
    east = [-np.sin(lo), np.cos(lo), 0.0]
    north = [-np.sin(la) * np.cos(lo), -np.sin(la) * np.sin(lo), np.cos(la)]
    up = [np.cos(la) * np.cos(lo), np.cos(la) * np.sin(lo), np.sin(la)]
    ts["root"]["transform"] = [*east, 0.0, *north, 0.0, *up, 0.0, x0, y0, z0, 1.0]  # column-major
    (dst / "tileset.json").write_text(json.dumps(ts))
    return dst / "tileset.json"


def test_3dtiles_in_ecef_shown_upright(qtbot, window, tmp_path) -> None:
    from citytwin.io.registry import read

    path = _georeferenced_tileset(tmp_path, 4.4777, 51.9244)  # Rotterdam
    local = read(shared_path(*TILESET, "tileset.json"))  # the same tiles in their own local frame
    layer = open_and_wait(qtbot, window, path)
    # the 3D Tiles reader itself puts a tileset on the Earth with no named CRS in a local
    # east-north-up frame (io/tiles3d/reader.py, upright=True); the GUI's metric frame is then not needed
    v = layer.model.vertices
    # upright: heights are the local ones (0..9 m) to the millimetre, not tilted ECEF
    assert np.isclose(v[:, 2].min(), local.vertices[:, 2].min(), atol=0.01)
    assert np.isclose(v[:, 2].max(), local.vertices[:, 2].max(), atol=0.01)
    # and the footprint keeps its size (UTM scale factor ~0.9997, convergence < 1 degree here)
    span = np.ptp(v[:, :2], axis=0)
    assert np.allclose(sorted(span), sorted(np.ptp(local.vertices[:, :2], axis=0)), rtol=0.02)
    window.view_front()
    img = window.viewport.grab_image()
    window.save_screenshot(tmp_path / "tiles_front.png")
    w, h = _extent(_model_pixels(img))
    # the houses and trees are about 33 m wide and 9 m high: wide and low in the front view
    assert w > 150 and 0 < h < 0.6 * w, (w, h)
    window.save_screenshot(tmp_path / "tiles_front.png")


def test_layer_reproject_action(qtbot, window) -> None:
    """Layer > Reproject... (beside Assign CRS): every layer to a projected CRS; degrees refused."""
    from citytwin.errors import UsageError
    from citytwin.io.registry import read
    from citytwin.semantics.crs import CRS, transform_points
    from tests.gui.conftest import SAMPLE

    layer_menu = next(a.menu() for a in window.menuBar().actions() if a.text() == "&Layer")
    names = [a.objectName() for a in layer_menu.actions()]
    assert names.index("action_reproject") == names.index("action_assign_crs") + 1
    layer = open_and_wait(qtbot, window, SAMPLE)
    with pytest.raises(UsageError, match="needs metres"):
        window.reproject_layers("4326")
    assert str(window.project_crs) == "EPSG:7415"
    with qtbot.waitSignal(window.job_finished, timeout=30000) as blocker:
        jobs = window.reproject_layers("EPSG:32631")
    assert len(jobs) == 1 and blocker.args[1] == "ok"
    assert str(window.project_crs) == "EPSG:32631" and "UTM zone 31N" in window.crs_label.text()
    raw = read(SAMPLE)
    assert np.allclose(layer.model.vertices, transform_points(raw.vertices, raw.crs, CRS(code=32631)), atol=1e-6)
    assert window.viewport.layers[layer.key].scene.tri is layer.tri  # the view shows the new triangles
    img = window.viewport.grab_image()
    assert _model_pixels(img).mean() > 0.05  # framed, not an empty view


def test_assign_geographic_crs_shows_the_layer_in_utm(qtbot, window, tmp_path) -> None:
    """Layer > Assign CRS with a geographic CRS on a layer that had none: the layer is then shown
    in its UTM zone (not drawn in degrees), and the project takes that CRS."""
    from citytwin.io.registry import read, write
    from citytwin.semantics.crs import CRS, transform_points

    model = read(shared_path(*JEFFERSON))
    model.crs = None
    src = tmp_path / "jefferson_no_crs.city.json"
    write(model, src)
    lonlat = read(src).vertices  # as the layer reads them (the writer orders and rounds them)
    layer = open_and_wait(qtbot, window, src)
    assert window.project_crs is None
    with qtbot.waitSignal(window.job_finished, timeout=30000) as blocker:
        job = window.assign_crs(layer.key, "4979")
    assert job is not None and blocker.args[1] == "ok"
    assert str(window.project_crs) == "EPSG:32618" and str(layer.model.crs) == "EPSG:32618"
    expect = transform_points(lonlat, CRS(code=4979), CRS(code=32618))
    assert np.allclose(layer.model.vertices, expect, atol=1e-6)
    window.view_top()
    w, h = _extent(_model_pixels(window.viewport.grab_image()))
    assert w > 200 and h > 200, (w, h)
