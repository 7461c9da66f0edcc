"""citytwin.app.session: the Qt-free session a workbench shows (napari's ``ViewerModel``).

``model`` (:class:`Session`: layers, project CRS, selection, overlays), ``layers`` (:class:`Layer`
and :func:`build_layer`, the one load / reproject / LoD pipeline), ``overlays`` (analysis results
on a layer's triangles), ``crs`` (the layer-CRS policy). No Qt here: tests drive a session with no
display, and :mod:`citytwin.app.qt` only shows one.
"""

from citytwin.app.session.layers import Layer, LayerData, build_layer, snapshot
from citytwin.app.session.model import Session
from citytwin.app.session.overlays import SHADOW_NAME, SOLAR_NAME, SVF_NAME, AnalysisOverlay

__all__ = ["AnalysisOverlay", "Layer", "LayerData", "SHADOW_NAME", "SOLAR_NAME", "SVF_NAME", "Session",
           "build_layer", "snapshot"]
