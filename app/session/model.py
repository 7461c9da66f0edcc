"""The session: what a person has open and looks at, without any widget (napari's ``ViewerModel``).

A :class:`Session` holds the layers (each a model, its triangles at one LoD and their scene), the
project CRS and its policy, the selected object, and the analysis overlays of each layer. The
desktop window (:mod:`citytwin.app.qt`) shows a session and forwards what the person does to it;
tests drive a session directly, with no display.

Work that takes time (reading, reprojecting, triangulating) runs in a worker through
:func:`~citytwin.app.session.layers.build_layer`; the methods here are quick and run on the thread
that owns the session (the GUI thread).
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import numpy as np

from citytwin.app.commands.progress import Progress
from citytwin.app.render.coloring import Coloring, color_values, coloring_for
from citytwin.app.session.crs import needs_reprojection, parse_epsg, same_crs, usable_crs
from citytwin.app.session.layers import Layer, LayerData, build_layer, snapshot
from citytwin.app.session.overlays import AnalysisOverlay, shadow_overlay, solar_overlay, svf_overlay
from citytwin.errors import UsageError
from citytwin.semantics.crs import CRS
from citytwin.semantics.model import CityModel
from citytwin.semantics.surfaces import semantic_name

log = logging.getLogger("citytwin.gui")

#: colour modes of a textured layer before its attributes and overlays
BASE_COLOR_MODES = ("semantic", "texture")


class Session:
    """Layers, project CRS, selection and analysis overlays of one workbench.

    Attributes
    ----------
    layers : open layers by key, in opening order
    project_crs : the CRS every layer is shown in: set by the first layer with a CRS (as in QGIS)
    selected : (layer key, object id) of the selected object, or None
    """

    def __init__(self) -> None:
        self.layers: dict[int, Layer] = {}
        self.project_crs: CRS | None = None
        self.selected: tuple[int, str] | None = None
        self._next_key = 1

    # ------------------------------------------------------------------ layers
    def open(self, path: str | Path, progress: Progress | None = None, pick_index: bool = False) -> Layer:
        """Read a file into a new layer here and now (scripts, notebooks, tests; the window runs
        :func:`build_layer` in a worker and then :meth:`add_layer`)."""
        data = build_layer(Path(path), progress or Progress(), project_crs=self.project_crs, pick_index=pick_index)
        return self.add_layer(Path(path), data)

    def show_lod(self, key: int, lod: str | None, progress: Progress | None = None) -> LayerData:
        """Show another LoD of layer ``key`` here and now (None: each object's highest); returns
        what :func:`build_layer` made (the window runs that part in a worker)."""
        layer = self.layers[key]
        data = build_layer(snapshot(layer.model), progress or Progress(), name=layer.name, lod=lod,
                           origin=layer.scene.origin, pick_index=False)
        self.set_geometry(layer, data.tri, data.scene, lod)
        return data

    def add_layer(self, path: Path, data: LayerData) -> Layer:
        """A new layer of ``data`` named by ``path``; the first layer with a CRS sets the project
        CRS, a layer without one is shown as is (said in the Log)."""
        key = self._next_key
        self._next_key += 1
        color_by = "texture" if data.tri.uv is not None else "semantic"
        layer = Layer(key, Path(path), data.model, data.tri, data.scene, color_by=color_by)
        self.layers[key] = layer
        self._check_layer_crs(layer)
        return layer

    def _check_layer_crs(self, layer: Layer) -> None:
        own = usable_crs(layer.model.crs)
        if own is None:
            what = f"a local CRS ({layer.model.crs})" if layer.model.crs is not None else "no CRS"
            log.warning("%s has %s: shown as is, its coordinates taken as %s (Layer > Assign CRS... "
                        "to declare it)", layer.name, what,
                        f"project CRS {self.project_crs}" if self.project_crs else "they are")
        elif self.project_crs is None:
            self.set_project_crs(own, layer.name)
        elif needs_reprojection(layer.model, self.project_crs):  # a model added without the worker
            log.warning("%s is in %s, not in the project CRS %s: shown as is", layer.name, own, self.project_crs)

    def set_project_crs(self, crs: CRS, by: str) -> None:
        """Make ``crs`` the project CRS because of layer ``by`` (said in the Log)."""
        self.project_crs = crs
        log.info("project CRS set to %s (%s) by %s", crs, crs.name, by)

    def remove_layer(self, key: int) -> Layer:
        """Close a layer: its selection goes, and with the last layer the project CRS (the next
        layer sets it again)."""
        layer = self.layers.pop(key)
        if self.selected and self.selected[0] == key:
            self.selected = None
        if not self.layers:
            self.project_crs = None
        return layer

    def needs_rebuild(self, model: CityModel) -> bool:
        """True when a model built in a worker must go to the project CRS first (another file set
        the project CRS while it loaded)."""
        return needs_reprojection(model, self.project_crs)

    def set_geometry(self, layer: Layer, tri, scene, lod: str | None = None) -> None:
        """New triangles of a layer (another LoD, reprojected): the overlays go (their values were
        per triangle of the old ones), and so does a colouring by one of them."""
        layer.tri, layer.scene, layer.lod = tri, scene, lod
        layer.analyses.clear()
        from citytwin.app.render.orientation import ORIENTATION_MODE

        kept = ("semantic", "texture", ORIENTATION_MODE)  # these follow any triangles
        if layer.color_by not in kept and layer.color_by not in layer.model.attribute_names():
            layer.color_by = "semantic"

    def take_reprojected(self, layer: Layer, model: CityModel, data: LayerData) -> None:
        """Take a reprojected snapshot ``model`` of ``layer``'s model and its ``data``; a project
        without CRS takes the layer's new one."""
        layer.model.vertices, layer.model.crs = model.vertices, model.crs
        layer.model.touch()
        if self.project_crs is None and usable_crs(model.crs) is not None:
            self.set_project_crs(model.crs, layer.name)
        if self.selected and self.selected[0] == layer.key:
            self.selected = None
        self.set_geometry(layer, data.tri, data.scene, layer.lod)

    # ------------------------------------------------------------------ CRS actions
    def assign_crs(self, key: int, text: str) -> bool:
        """Declare layer ``key``'s CRS (an EPSG code, validated by pyproj; its coordinates do not
        change). True when the layer must then be rebuilt toward the project CRS
        (:func:`~citytwin.app.session.layers.build_layer`): a geographic or geocentric CRS goes to a
        metric frame, a CRS other than the project's is reprojected. The first CRS sets the
        project's."""
        from citytwin.app.metric_frame import needs_metric_frame

        layer = self.layers[key]
        crs = parse_epsg(text)
        layer.model.assign_crs(crs)
        log.info("%s: CRS assigned: %s (%s)", layer.name, crs, crs.name)
        if needs_metric_frame(crs):
            return True
        if self.project_crs is None:
            self.set_project_crs(crs, layer.name)
            return False
        return needs_reprojection(layer.model, self.project_crs)

    def reproject_all(self, text: str) -> list[Layer]:
        """Make ``text`` (an EPSG code of a projected CRS) the project CRS; returns the layers with a
        CRS that must be rebuilt in it."""
        from citytwin.app.metric_frame import crs_kind, needs_metric_frame

        crs = parse_epsg(text)
        if needs_metric_frame(crs):
            raise UsageError(f"{crs} ({crs.name}) is {crs_kind(crs)}: the view needs metres; give a projected "
                             "CRS, e.g. the UTM zone of the data")
        self.project_crs = crs
        log.info("project CRS set to %s (%s): reprojecting the layers", crs, crs.name)
        return [layer for layer in list(self.layers.values())
                if usable_crs(layer.model.crs) is not None and not same_crs(layer.model.crs, crs)]

    # ------------------------------------------------------------------ colouring
    def color_modes(self, layer: Layer) -> list[str]:
        """What a layer can be coloured by: texture (when it has some), semantics, its overlays and
        its attributes."""
        from citytwin.app.render.orientation import ORIENTATION_MODE

        modes = list(BASE_COLOR_MODES) if layer.tri.uv is not None else ["semantic"]
        modes.append(ORIENTATION_MODE)  # roof-like / wall-like / ground-like from the normals (meshes)
        return modes + list(layer.analyses) + layer.model.attribute_names()

    def coloring(self, layer: Layer) -> Coloring:
        """Colours (or scalars) of the layer's triangles for its ``color_by``."""
        if layer.color_by in layer.analyses:
            a = layer.analyses[layer.color_by]
            return color_values(a.triangle_values, a.name, cmap=a.cmap, clim=a.clim)
        from citytwin.app.render.orientation import ORIENTATION_MODE, color_orientation

        if layer.color_by == ORIENTATION_MODE:
            return color_orientation(layer.tri)
        return coloring_for(layer.model, layer.tri, layer.color_by)

    def set_color_by(self, layer: Layer, color_by: str) -> Coloring:
        """Colour a layer by "semantic", "texture", an attribute or an overlay; returns the colouring.

        Raises KeyError (and keeps the old mode) for an attribute no object has.
        """
        old = layer.color_by
        layer.color_by = color_by
        try:
            return self.coloring(layer)
        except KeyError:
            layer.color_by = old
            raise

    # ------------------------------------------------------------------ overlays
    def add_overlay(self, key: int, overlay: AnalysisOverlay) -> Layer:
        """Attach an overlay to layer ``key`` (replacing one of the same name)."""
        layer = self.layers[key]
        layer.analyses[overlay.name] = overlay
        return layer

    def apply_solar(self, key: int, res) -> AnalysisOverlay:
        """Store a solar study on layer ``key``'s model (its attributes) and as an overlay."""
        return self._apply(key, res, solar_overlay)

    def apply_shadow(self, key: int, res) -> AnalysisOverlay:
        """Store a shadow study on layer ``key``'s model and as an overlay (with its time steps)."""
        return self._apply(key, res, shadow_overlay)

    def apply_svf(self, key: int, res) -> AnalysisOverlay:
        """Store a sky view factor study on layer ``key``'s model and as an overlay."""
        return self._apply(key, res, svf_overlay)

    def _apply(self, key: int, res, make) -> AnalysisOverlay:
        layer = self.layers[key]
        res.apply_to_model(layer.model)
        overlay = make(layer, res)
        self.add_overlay(key, overlay)
        return overlay

    def shown_overlay(self, layer: Layer, name: str | None = None) -> AnalysisOverlay | None:
        """The overlay called ``name`` (default: the one the layer is coloured by, else the latest)."""
        if name is None:
            if not layer.analyses:
                return None
            name = layer.color_by if layer.color_by in layer.analyses else list(layer.analyses)[-1]
        return layer.analyses.get(name)

    # ------------------------------------------------------------------ selection
    def select(self, key: int, oid: str) -> list[int]:
        """Select object ``oid`` of layer ``key``; returns the object indices of its triangles (its
        own and its descendants': a Building's geometry is often in its BuildingParts)."""
        layer = self.layers[key]
        if oid not in layer.model.objects:
            raise UsageError(f"{layer.name} has no object {oid!r}")
        self.selected = (key, oid)
        return layer.family_indices(oid)

    def clear_selection(self) -> None:
        self.selected = None

    def selected_layer(self) -> Layer | None:
        """The layer of the selected object (None: nothing selected)."""
        return self.layers.get(self.selected[0]) if self.selected else None

    def picked_object(self, key: int, triangle: int) -> str:
        """Id of the object triangle ``triangle`` of layer ``key`` belongs to."""
        tri = self.layers[key].tri
        return tri.object_ids[int(tri.object_index[triangle])]

    def chart(self, layer: Layer, oid: str) -> tuple[str, np.ndarray, str] | None:
        """(title, (12,) values, unit) of the monthly chart of ``oid`` (its own values, else its
        top-level parent's), or None when no overlay has monthly values for it.

        The overlay the layer is coloured by; none when that study has no monthly values
        (shadow); colouring by something else: the latest study with monthly values.
        """
        chain = [oid]
        o = layer.model.objects.get(oid)
        while o is not None and o.parents and len(chain) < 16:
            chain.append(o.parents[0])
            o = layer.model.objects.get(o.parents[0])
        if layer.color_by in layer.analyses:
            studies = [layer.analyses[layer.color_by]]
        else:
            studies = list(reversed(layer.analyses.values()))
        for a in studies:
            for cid in reversed(chain):  # the building first
                if cid in a.monthly:
                    unit = a.monthly_unit or a.unit
                    return (f"{a.name.split(':')[0].capitalize()} per month ({unit})\n{cid}", a.monthly[cid], unit)
        return None

    def attribute_sections(self, layer: Layer, oid: str, triangle: int | None = None
                           ) -> list[tuple[str, list[tuple[str, Any]]]]:
        """What the attribute panel shows of object ``oid``: (section title, (name, value) rows),
        the analysis values right under the object, then its attributes, its parent's, and the
        picked surface (``triangle``: a triangle of ``layer.tri``)."""
        o = layer.model.objects[oid]
        obj_rows: list[tuple[str, Any]] = [("id", o.id), ("type", o.type), ("layer", layer.name)]
        if o.parents:
            obj_rows.append(("parents", ", ".join(o.parents)))
        if o.children:
            obj_rows.append(("children", ", ".join(o.children)))
        lods = o.lods()
        if lods:
            obj_rows.append(("LoDs", ", ".join(lods)))
        sections = [("Object", obj_rows), ("Attributes", sorted(o.attributes.items()))]
        inherited = []
        for p in o.parents:
            po = layer.model.objects.get(p)
            if po is not None:
                inherited += [(k, v) for k, v in sorted(po.attributes.items()) if k not in o.attributes]
        if inherited:
            sections.append((f"Attributes of parent {o.parents[0]}", inherited))
        if triangle is not None:
            sections.append(("Picked surface", _surface_rows(layer, o, triangle)))
        analysis_rows: list[tuple[str, Any]] = []
        for a in layer.analyses.values():
            if oid in a.object_values:
                analysis_rows.append((f"{a.name} (object mean)", a.object_values[oid]))
            if triangle is not None and np.isfinite(a.triangle_values[triangle]):
                analysis_rows.append((f"{a.name} (picked surface)", float(a.triangle_values[triangle])))
            if oid in a.monthly:
                m = a.monthly[oid]
                analysis_rows.append((f"{a.name} monthly", ", ".join(f"{v:.1f}" for v in m)))
        if analysis_rows:  # right under the object: what the person ran the analysis for
            sections.insert(1, ("Analysis", analysis_rows))
        return sections


def _surface_rows(layer: Layer, o, triangle: int) -> list[tuple[str, Any]]:
    """Semantic type, geometry, surface index, semantic attributes and normal of a picked triangle."""
    tri = layer.tri
    gi, si = int(tri.geometry_index[triangle]), int(tri.surface_index[triangle])
    g = o.geometry[gi] if gi < len(o.geometry) else None
    rows: list[tuple[str, Any]] = [("semantic type", semantic_name(tri.semantic_type[triangle]) or "(none)"),
                                   ("geometry", f"{gi} ({g.type if g else '?'}, LoD {g.lod if g else '?'})"),
                                   ("surface", si)]
    if g is not None and g.semantics is not None and si < len(g.semantics.values):
        sv = int(g.semantics.values[si])
        if sv >= 0:
            rows += [(k, v) for k, v in g.semantics.surfaces[sv].items() if k != "type"]
    normal = tri.normals[triangle]
    rows.append(("normal", f"{normal[0]:.3f}, {normal[1]:.3f}, {normal[2]:.3f}"))
    return rows
