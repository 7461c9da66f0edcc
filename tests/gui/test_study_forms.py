"""The study forms (Solar / Shadow / SVF dialogs, the Batch dialog's solar and shadow pages) are
generated from the options' declarations: each row's label, range, unit, default and tooltip are
the option's, and the options a form returns are what the CLI builds from the same values."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QFormLayout

from citytwin.analysis.options import option_spec

pytestmark = pytest.mark.gui


def _labels(form: QFormLayout) -> list[str]:
    out = []
    for r in range(form.rowCount()):
        item = form.itemAt(r, QFormLayout.ItemRole.LabelRole)
        if item is not None and item.widget() is not None:
            out.append(item.widget().text())
    return out


def test_solar_dialog_rows_are_the_declared_options(qtbot) -> None:
    from citytwin.analysis.solar import SolarOptions
    from citytwin.app.qt.analysis import SolarDialog

    dlg = SolarDialog()
    qtbot.addWidget(dlg)
    form = dlg.layout().itemAt(0).layout()
    for name in ("resolution", "surfaces", "albedo", "sky_mf", "sky_model"):
        assert option_spec(SolarOptions, name).label in _labels(form)
    albedo = option_spec(SolarOptions, "albedo")
    assert (dlg.albedo.minimum(), dlg.albedo.maximum()) == albedo.info.range
    assert dlg.albedo.value() == albedo.default and dlg.albedo.toolTip() == albedo.info.help
    assert dlg.resolution.suffix() == " m"
    assert [dlg.sky_model.itemText(i) for i in range(dlg.sky_model.count())] == \
        list(option_spec(SolarOptions, "sky_model").info.choices)
    # untouched, the dialog gives the declared defaults (the CLI's when no flag is given)
    assert dlg.options() == SolarOptions()
    dlg.albedo.setValue(0.35)
    dlg.surfaces["wall"].setChecked(False)
    assert dlg.options() == SolarOptions(albedo=0.35, surfaces=("roof",))


def test_svf_and_shadow_dialogs(qtbot) -> None:
    from citytwin.analysis.shadow_study import ShadowOptions
    from citytwin.analysis.svf import SVFOptions
    from citytwin.app.qt.analysis import ShadowDialog, SVFDialog

    svf = SVFDialog()
    qtbot.addWidget(svf)
    assert svf.options() == SVFOptions()
    assert svf.mf.toolTip() == option_spec(SVFOptions, "mf").info.help
    sh = ShadowDialog()
    qtbot.addWidget(sh)
    o = sh.options()
    assert (o.step_minutes, o.grid_cell) == (30.0, 2.0)  # the dialog's own coarser defaults
    assert sh.step.suffix() == " min" and sh.step.maximum() == option_spec(ShadowOptions, "step_minutes").info.form[1]


def test_batch_pages_keep_their_field_names(qtbot) -> None:
    from citytwin.app.qt.batch_pages import ShadowPage, SolarPage

    sp = SolarPage()
    qtbot.addWidget(sp)
    names = {w.objectName() for w in sp.findChildren(object) if hasattr(w, "objectName")}
    assert {"solarAlbedo", "solarSkyMf", "solarSkyModel", "solarResolution", "solarLod",
            "solarSurface_roof", "solarSurface_wall", "solarSurface_ground"} <= names
    assert sp.options() == {"weather": None, "clear_sky": None, "weather_anywhere": None, "resolution": None,
                            "surfaces": None, "albedo": None, "latitude": None, "longitude": None, "lod": None,
                            "sky_mf": None, "sky_model": None, "assign_crs": None}
    hp = ShadowPage()
    qtbot.addWidget(hp)
    names = {w.objectName() for w in hp.findChildren(object) if hasattr(w, "objectName")}
    assert {"shadowStep", "shadowTz", "shadowGrid", "shadowMargin"} <= names
    hp.margin.setText("25")
    assert hp.options()["margin"] == 25.0
