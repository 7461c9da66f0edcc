"""Layers in different CRSs (QGIS-like project CRS): reprojection on the fly, warnings, zooming."""

from __future__ import annotations

import numpy as np
import pytest

from tests.conftest import shared_path
from tests.gui.conftest import SAMPLE, open_and_wait

pytestmark = pytest.mark.gui

LOD3 = ("citygml", "v2.0", "citygml4j_lod3_testtown_textured", "lod3_building_v2.gml")  # EPSG:3068+5783
IFC = ("ifc", "samples", "Ifc4_SampleHouse.ifc")  # EPSG:32630
NO_CRS = ("invalid", "citygml", "citygml4j_invalid_building_v3.gml")


def _wait_log(qtbot, win, text: str) -> None:
    """Wait until ``text`` shows in the Log panel (worker lines arrive through queued signals)."""
    qtbot.waitUntil(lambda: text in win.log_panel.toPlainText(), timeout=10000)


def _visible_in_view(win, key) -> float:
    """Fraction of the layer's bounding box corners (local frame) that project inside the viewport."""
    b = win.viewport.layer_bounds(key)
    corners = np.array([[x, y, z] for x in b[0:2] for y in b[2:4] for z in b[4:6]])
    r = win.viewport.plotter.renderer
    w, h = r.GetSize()
    inside = 0
    for p in corners:
        r.SetWorldPoint(*p.tolist(), 1.0)
        r.WorldToDisplay()
        x, y, _ = r.GetDisplayPoint()
        inside += 0 <= x <= w and 0 <= y <= h
    return inside / len(corners)


def test_second_layer_in_other_crs_is_reprojected_and_in_view(qtbot, window, caplog) -> None:
    from citytwin.io.registry import read
    from citytwin.semantics.crs import CRS, transform_points

    lod3 = open_and_wait(qtbot, window, shared_path(*LOD3), timeout=90000)
    assert str(window.project_crs) == str(lod3.model.crs) and "3068" in window.crs_label.text()
    ifc = open_and_wait(qtbot, window, shared_path(*IFC), timeout=90000)
    assert ifc.model.crs == window.project_crs  # reprojected on the fly
    _wait_log(qtbot, window, "reprojected on the fly from EPSG:32630")
    # the expected place: the IFC's own vertices reprojected here with pyproj, independently of the GUI
    raw = read(shared_path(*IFC))
    assert raw.crs == CRS(code=32630)
    used = raw.vertices[raw.used_vertex_mask()]
    expected = transform_points(used, raw.crs, window.project_crs)
    lo, hi = expected.min(axis=0), expected.max(axis=0)
    b = window.viewport.layer_bounds(ifc.key).reshape(3, 2) + window.viewport.origin[:, None]
    # to the centimetre: the layer keeps its own local origin, 1000+ km from the first layer's
    assert np.allclose(b[:2, 0], lo[:2], atol=0.01) and np.allclose(b[:2, 1], hi[:2], atol=0.01)
    # the second was out of sight and ~900 km away, where "Zoom to all" would show two specks:
    # the view frames it alone and the Log says how to see both
    _wait_log(qtbot, window, "km from the other layers: zoomed to it")
    assert _visible_in_view(window, ifc.key) == 1.0 and _visible_in_view(window, lod3.key) == 0.0
    # and it is drawn: with the far layer setting the far plane, VTK's default near plane (0.001 x
    # far, ~780 m) clipped the house away and the view was empty
    window.viewport.set_view("iso", ifc.key)  # as `citytwin gui A B --screenshot` frames it
    img = window.viewport.grab_image().astype(int)
    h, w, _ = img.shape
    background = img[:, -1:, :]  # the right edge: the sky gradient of each row
    drawn = np.abs(img - background).sum(axis=2) > 40
    assert drawn[h // 4: 3 * h // 4, w // 4: 3 * w // 4].mean() > 0.05
    window.actions["fit"].trigger()  # View > Zoom to all
    assert _visible_in_view(window, lod3.key) == 1.0 and _visible_in_view(window, ifc.key) == 1.0
    # zoom to layer frames the IFC house alone: the Berlin building is then out of the view
    window.layers_panel.list.setCurrentRow(1)
    menu = window.layers_panel.list  # its right-click menu offers the Layer menu's actions
    assert window.actions["zoom_layer"] in menu.actions() and window.actions["assign_crs"] in menu.actions()
    window.actions["zoom_layer"].trigger()
    assert _visible_in_view(window, ifc.key) == 1.0 and _visible_in_view(window, lod3.key) == 0.0
    # picking on the far layer hits the surface drawn there
    t = int(np.argmax(ifc.tri.areas))
    centroid = ifc.tri.vertices[ifc.tri.triangles[t]].mean(axis=0)
    p = window.viewport.pick_display(*window.viewport.world_to_display(centroid))
    assert p is not None and p.key == ifc.key
    hit = ifc.tri.vertices[ifc.tri.triangles[p.triangle]]  # (may be a surface in front of ``t``)
    n = np.cross(hit[1] - hit[0], hit[2] - hit[0])
    assert abs(np.dot(p.point + window.viewport.origin - hit[0], n / np.linalg.norm(n))) < 0.01  # on it
    window.actions["fit"].trigger()  # View > Zoom to all
    assert _visible_in_view(window, lod3.key) == 1.0 and _visible_in_view(window, ifc.key) == 1.0


def test_layer_without_crs_warns_and_assign_crs_reprojects(qtbot, window) -> None:
    from citytwin.errors import UsageError

    first = open_and_wait(qtbot, window, SAMPLE)  # EPSG:7415
    bare = open_and_wait(qtbot, window, shared_path(*NO_CRS))
    assert bare.model.crs is None
    _wait_log(qtbot, window, "has no CRS: shown as is")
    assert window.project_crs == first.model.crs
    before = window.viewport.layer_bounds(bare.key).copy()
    with pytest.raises(UsageError, match="not a CRS pyproj knows"):
        window.assign_crs(bare.key, "EPSG:999999")
    assert bare.model.crs is None
    # declare its coordinates as ETRS89 / UTM 32N: they are then reprojected to the project CRS
    with qtbot.waitSignal(window.job_finished, timeout=30000):
        window.assign_crs(bare.key, "25832")
    assert bare.model.crs == window.project_crs
    after = window.viewport.layer_bounds(bare.key)
    assert not np.allclose(before, after)
    _wait_log(qtbot, window, "reprojected on the fly from EPSG:25832")


def test_closing_every_layer_resets_project_crs(qtbot, window) -> None:
    layer = open_and_wait(qtbot, window, shared_path(*NO_CRS))
    assert window.project_crs is None and window.crs_label.text() == "CRS: unknown"
    window.assign_crs(layer.key, "EPSG:25832+5783")
    assert str(window.project_crs) == "EPSG:25832+5783" and "25832" in window.crs_label.text()
    window.remove_layer(layer.key)
    assert window.project_crs is None and window.crs_label.text() == "CRS: unknown"


def test_files_opened_together_end_in_one_crs_and_unreprojectable_file_fails_cleanly(qtbot, window) -> None:
    from tests.gui.conftest import DATA

    keys = []
    window.layer_loaded.connect(lambda layer: keys.append(layer.key))
    window.open_files([shared_path(*LOD3), SAMPLE])  # EPSG:3068+5783 and 7415, both read before either is shown
    qtbot.waitUntil(lambda: len(keys) == 2, timeout=120000)
    crs = {str(window.layers[k].model.crs) for k in keys}
    assert crs == {str(window.project_crs)}  # the later one was reprojected after loading
    _wait_log(qtbot, window, "(reprojecting)")  # in a worker, whichever came second
    # a file whose coordinates lie outside its CRS's area: an error naming it, the layers unchanged
    fake = DATA / "cityjson" / "cityjson_fake_complete.city.json"  # EPSG:2355
    with qtbot.waitSignal(window.load_failed, timeout=30000) as blocker:
        window.open_files([fake])
    assert fake.name in blocker.args[1] and "cannot reproject" in blocker.args[1]
    assert sorted(window.layers) == sorted(keys)
