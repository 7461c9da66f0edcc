"""A layer's VTK scene: the triangulated model as a few large merged meshes (no Qt).

One mesh per semantic class (roofs, walls, ground, openings, other) and one per texture image,
not one actor per building: 100k actors stall any renderer, a handful of big ones does not.
Every mesh carries the cell array ``tri`` (index of the triangle in the layer's
:class:`~citytwin.mesh.triangles.TriangleMesh`), so a picked cell maps back to its object
and surface without search. Points are shifted to a shared local origin and stored as
float32 (large RD/UTM coordinates would lose centimetres otherwise).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np

from citytwin.app.render.coloring import Coloring
from citytwin.mesh.triangles import TriangleMesh
from citytwin.semantics.surfaces import semantic_code

if TYPE_CHECKING:  # pragma: no cover
    import pyvista as pv

    from citytwin.semantics.model import CityModel

#: Semantic classes that get their own merged mesh (name, semantic types); the rest is "other".
GROUPS: list[tuple[str, tuple[str, ...]]] = [
    ("roofs", ("RoofSurface",)),
    ("walls", ("WallSurface",)),
    ("ground", ("GroundSurface",)),
    ("openings", ("Window", "Door")),
]


@dataclass
class SceneGroup:
    """One merged mesh of a layer.

    Attributes
    ----------
    name : "roofs", "walls", "ground", "openings", "other" or "texture:<i>"
    mesh : pyvista.PolyData, float32 points in the scene's local frame, cell array ``tri``
    tri_index : (c,) int64, triangle index (in the layer's TriangleMesh) of each cell
    texture_path : image file for textured groups, else None
    """

    name: str
    mesh: "pv.PolyData"
    tri_index: np.ndarray
    texture_path: str | None = None


@dataclass
class LayerScene:
    """All merged meshes of one layer, plus what is needed to map picks back."""

    tri: TriangleMesh
    origin: np.ndarray
    groups: list[SceneGroup] = field(default_factory=list)

    @property
    def n_cells(self) -> int:
        return sum(g.mesh.n_cells for g in self.groups)

    def group(self, name: str) -> SceneGroup | None:
        return next((g for g in self.groups if g.name == name), None)


def _compact_mesh(local: np.ndarray, tris: np.ndarray) -> "pv.PolyData":
    """PolyData of ``tris`` (c, 3) over the used subset of ``local`` (v, 3) float32 points."""
    import pyvista as pv

    used = np.zeros(len(local), dtype=bool)
    used[tris.ravel()] = True
    remap = np.cumsum(used, dtype=np.int64) - 1
    pts = local[used]
    return pv.PolyData.from_regular_faces(pts, remap[tris])


def _textured_mesh(local: np.ndarray, tris: np.ndarray, uv: np.ndarray) -> "pv.PolyData":
    """PolyData with its own 3 points per triangle, so each corner keeps its texture coordinate."""
    import pyvista as pv

    pts = local[tris.ravel()]
    faces = np.arange(len(pts), dtype=np.int64).reshape(-1, 3)
    mesh = pv.PolyData.from_regular_faces(pts, faces)
    mesh.active_texture_coordinates = uv.reshape(-1, 2).astype(np.float32)
    return mesh


def texture_paths(model: "CityModel") -> list[str | None]:
    """Absolute image path per texture of the model's appearance (None when unknown)."""
    return [model.appearance.image_path(i) for i in range(len(model.appearance.textures))]


def model_scene(model: "CityModel", tri: TriangleMesh, origin: np.ndarray | None = None) -> LayerScene:
    """The merged meshes of ``model``'s triangles ``tri``, textured with the model's images
    (:func:`build_scene` with :func:`texture_paths`): the one way a model becomes a scene, for the
    viewport (:func:`citytwin.app.session.layers.build_layer`) and off-screen renders alike."""
    return build_scene(tri, origin=origin, texture_paths=texture_paths(model))


def build_scene(tri: TriangleMesh, origin: np.ndarray | None = None, texture_paths: list[str | None] | None = None
                ) -> LayerScene:
    """Build the merged meshes of a triangulated model.

    Parameters
    ----------
    tri : the layer's triangles
    origin : (3,) float64 local origin of the viewport (default: ``tri.origin``); every layer
        of one viewport must use the same one
    texture_paths : image path per texture index of the model's appearance (None entries and
        missing files fall back to colours)

    Returns
    -------
    LayerScene
    """
    origin = np.asarray(tri.origin if origin is None else origin, dtype=np.float64)
    local = (tri.vertices - origin).astype(np.float32)
    scene = LayerScene(tri=tri, origin=origin)
    n = tri.n_triangles
    if n == 0:
        return scene
    group_of = np.full(n, len(GROUPS), dtype=np.int64)  # default: "other"
    code_to_group = np.full(max(256, int(tri.semantic_type.max(initial=0)) + 1), len(GROUPS), np.int64)
    for gi, (_, types) in enumerate(GROUPS):
        for t in types:
            c = semantic_code(t)
            if c < len(code_to_group):
                code_to_group[c] = gi
    group_of = code_to_group[tri.semantic_type.astype(np.int64)]

    textured = np.zeros(n, dtype=bool)
    if tri.uv is not None and tri.texture_index is not None and texture_paths:
        ok_tex = np.array([p is not None and os.path.exists(p) for p in texture_paths], dtype=bool)
        ti = tri.texture_index
        textured = (ti >= 0) & (ti < len(ok_tex))
        textured[textured] = ok_tex[ti[textured]]
        if textured.any():
            for t in np.unique(ti[textured]).tolist():
                idx = np.nonzero(textured & (ti == t))[0]
                mesh = _textured_mesh(local, tri.triangles[idx], tri.uv[idx])
                mesh.cell_data["tri"] = idx.astype(np.int32)
                scene.groups.append(SceneGroup(f"texture:{t}", mesh, idx, texture_paths[t]))

    order = np.argsort(group_of, kind="stable")
    bounds = np.searchsorted(group_of[order], np.arange(len(GROUPS) + 2))
    names = [g[0] for g in GROUPS] + ["other"]
    for gi, name in enumerate(names):
        idx = order[bounds[gi]:bounds[gi + 1]]
        if textured.any():
            idx = idx[~textured[idx]]
        if len(idx) == 0:
            continue
        idx = np.sort(idx)
        mesh = _compact_mesh(local, tri.triangles[idx])
        mesh.cell_data["tri"] = idx.astype(np.int32)
        scene.groups.insert(len([g for g in scene.groups if not g.texture_path]),
                            SceneGroup(name, mesh, idx))
    return scene


def apply_coloring(scene: LayerScene, coloring: Coloring) -> None:
    """Put the colouring's per-cell arrays (``rgb`` uint8 or ``values`` float) on every mesh."""
    for g in scene.groups:
        cd = g.mesh.cell_data
        for key in ("rgb", "values"):
            if key in cd:
                del cd[key]
        if coloring.scalars is not None:
            cd["values"] = coloring.scalars[g.tri_index].astype(np.float32)
        elif coloring.rgb is not None:
            cd["rgb"] = coloring.rgb[g.tri_index]


def add_scene(plotter, scene: LayerScene, coloring: Coloring, prefix: str = "layer",
              opacity: float = 1.0, scalar_bar: bool = True, visible_groups: set[str] | None = None
              ) -> dict[str, object]:
    """Add the scene's meshes to a pyvista plotter; returns actors by group name.

    The meshes' colour arrays are (re)set from ``coloring``. With a scalar colouring, a scalar
    bar titled ``coloring.title`` is added once (``scalar_bar``).
    """
    import pyvista as pv

    apply_coloring(scene, coloring)
    actors: dict[str, object] = {}
    bar_done = False
    for g in scene.groups:
        kw: dict = dict(name=f"{prefix}:{g.name}", opacity=opacity, pickable=True,
                        show_scalar_bar=False, reset_camera=False, smooth_shading=False,
                        ambient=0.3, diffuse=0.7, specular=0.0, render=False)
        if coloring.textured and g.texture_path:
            tex = pv.read_texture(g.texture_path)
            actor = plotter.add_mesh(g.mesh, texture=tex, **kw)
        elif coloring.scalars is not None:
            show_bar = scalar_bar and not bar_done
            actor = plotter.add_mesh(g.mesh, scalars="values", preference="cell", cmap=coloring.cmap,
                                     clim=coloring.clim, nan_color=(0.6, 0.6, 0.6),
                                     **{**kw, "show_scalar_bar": show_bar},
                                     scalar_bar_args=dict(title=coloring.title, vertical=True,
                                                          position_x=0.84, position_y=0.1, height=0.75,
                                                          width=0.07, fmt="%.4g", title_font_size=14,
                                                          label_font_size=12))
            if show_bar:
                _round_bar_labels(plotter.scalar_bars[coloring.title], coloring.clim)
            bar_done = bar_done or show_bar
        else:
            actor = plotter.add_mesh(g.mesh, scalars="rgb", rgb=True, preference="cell", **kw)
        if visible_groups is not None:
            actor.SetVisibility(g.name.split(":")[0] in visible_groups or g.name in visible_groups)
        actors[g.name] = actor
    return actors


def recolor_in_place(plotter, scene: LayerScene, actors: dict[str, object], old: Coloring, new: Coloring) -> bool:
    """Write ``new``'s colours into the meshes' existing cell arrays, when the actors of a scene
    added with ``old`` can show them as they are: both per-triangle colours, or both values with
    the same title and colour map (the range may change); no textures. Returns False (nothing
    changed) otherwise: the caller adds the scene again.

    No actor, mapper or mesh is rebuilt: a shadow-slider step or a new study's values on a layer
    already coloured by that study cost a copy of one array per mesh.
    """
    if not actors or old.textured or new.textured or old.is_scalar != new.is_scalar:
        return False
    if new.is_scalar and (old.title != new.title or old.cmap != new.cmap):
        return False
    name = "values" if new.is_scalar else "rgb"
    src = new.scalars if new.is_scalar else new.rgb
    if src is None or any(g.name not in actors or name not in g.mesh.cell_data for g in scene.groups):
        return False
    for g in scene.groups:
        arr = g.mesh.cell_data[name]
        arr[...] = src[g.tri_index]
        g.mesh.GetCellData().GetArray(name).Modified()
        if new.is_scalar:
            actors[g.name].GetMapper().SetScalarRange(*new.clim)
    bar = plotter.scalar_bars[new.title] if new.is_scalar and new.title in plotter.scalar_bars.keys() else None
    if bar is not None and tuple(old.clim) != tuple(new.clim):
        _round_bar_labels(bar, new.clim)
    return True


def nice_ticks(lo: float, hi: float, target: int = 5) -> np.ndarray:
    """About ``target`` round values (1, 2, 2.5 or 5 times a power of ten apart) in [lo, hi]."""
    if not (np.isfinite(lo) and np.isfinite(hi)) or hi <= lo:
        return np.array([lo])
    raw = (hi - lo) / target
    mag = 10.0 ** np.floor(np.log10(raw))
    step = mag * min((m for m in (1.0, 2.0, 2.5, 5.0, 10.0) if m * mag >= raw), default=10.0)
    first = np.ceil(lo / step - 1e-9) * step
    ticks = np.arange(first, hi + step * 1e-6, step)
    return np.round(ticks, 10) + 0.0  # no "-0"


def _round_bar_labels(bar, clim: tuple[float, float]) -> None:
    """Label a vtkScalarBarActor at round values (0, 2.5, 5, ...) instead of the range split in
    equal parts (2.918, 5.836, ...), which people read as noise."""
    from vtk.util.numpy_support import numpy_to_vtk

    ticks = nice_ticks(float(clim[0]), float(clim[1]))
    if len(ticks) < 2:
        return
    bar.SetUseCustomLabels(True)
    bar.SetCustomLabels(numpy_to_vtk(ticks.astype(np.float64), deep=True))
    bar.SetLabelFormat("%g")


#: Legend layout, in pixels: row height, swatch size, margin from the viewport corner.
LEGEND_ROW_PX, LEGEND_SWATCH_PX, LEGEND_MARGIN_PX = 16, 8, 8
#: Generous width of one label character at the legend's font size, in pixels, and the aspect
#: (width / height) a character adds to a label at VTK's reference size.
LEGEND_CHAR_PX, LEGEND_ASPECT_PER_CHAR = 8.0, 0.45


def _swatch(rgb: tuple[int, int, int], n: int = LEGEND_SWATCH_PX, outline: bool = True):
    """An n x n vtkImageData of colour ``rgb`` with a dark grey outline (light colours stay visible)."""
    import vtk
    from vtk.util.numpy_support import numpy_to_vtk

    px = np.empty((n, n, 3), np.uint8)
    px[:] = rgb
    if outline:
        px[0, :] = px[-1, :] = px[:, 0] = px[:, -1] = (90, 90, 90)
    img = vtk.vtkImageData()
    img.SetDimensions(n, n, 1)
    arr = numpy_to_vtk(px.reshape(-1, 3), deep=True, array_type=vtk.VTK_UNSIGNED_CHAR)
    img.GetPointData().SetScalars(arr)
    return img


def add_legend(plotter, coloring: Coloring, max_entries: int = 12):
    """A compact legend box for categorical colourings (semantic types, categorical attributes).

    Dark text on a white box in the upper left corner of the viewport: the
    colouring's title, then a colour swatch per entry, sized in pixels (rows of ``LEGEND_ROW_PX``) so it stays small whatever the
    window size and keeps its corner when the window is resized. Returns the vtkLegendBoxActor
    (None when the colouring has no legend).
    """
    import vtk

    entries = coloring.legend[:max_entries]
    if not entries or coloring.scalars is not None:
        return None
    more = len(coloring.legend) - len(entries)
    rows: list[tuple[str, tuple[int, int, int] | None]] = [(coloring.title, None)] if coloring.title else []
    rows += [(f"  {label}", rgb) for label, rgb in entries]
    if more > 0:
        rows.append((f"  ... {more} more", None))
    labels = [text for text, _ in rows]
    leg = vtk.vtkLegendBoxActor()
    leg.SetNumberOfEntries(len(rows))
    for i, (text, rgb) in enumerate(rows):
        if rgb is None:  # the title, "... more": a swatch of the box's colour (VTK lays out
            leg.SetEntry(i, _swatch((255, 255, 255), outline=False), text, (0.12, 0.12, 0.12))  # icons alike)
        else:
            leg.SetEntry(i, _swatch(rgb), text, (0.12, 0.12, 0.12))  # the colour is the text's
    leg.SetUseBackground(True)
    leg.SetBackgroundColor(1.0, 1.0, 1.0)
    leg.SetBackgroundOpacity(1.0)
    leg.SetBorder(True)
    leg.GetBoxProperty().SetColor(0.65, 0.65, 0.65)
    leg.SetPadding(3)
    tp = leg.GetEntryTextProperty()
    tp.SetFontFamilyToArial()
    tp.SetBold(False)
    tp.SetItalic(False)
    tp.SetShadow(False)
    # VTK gives the swatches the fraction 1 / (1 + a) of the width, a = the aspect (width /
    # height) of the longest label, and fits the font to the row height and the rest of the width:
    # make the width ample so the row height sets the font (the box then shrinks to the text)
    chars = max(len(t) for t in labels)
    w = LEGEND_CHAR_PX * chars * (1.0 + 1.0 / (LEGEND_ASPECT_PER_CHAR * chars)) + 8
    h = LEGEND_ROW_PX * len(labels) + 8
    # the box's lower left corner is placed relative to the viewport's upper left corner, its
    # size in pixels: it keeps its place and size when the window is resized
    corner = vtk.vtkCoordinate()
    corner.SetCoordinateSystemToNormalizedViewport()
    corner.SetValue(0.0, 1.0)
    pos = leg.GetPositionCoordinate()
    pos.SetCoordinateSystemToDisplay()
    pos.SetReferenceCoordinate(corner)
    pos.SetValue(LEGEND_MARGIN_PX, -(h + LEGEND_MARGIN_PX))
    size = leg.GetPosition2Coordinate()
    size.SetCoordinateSystemToDisplay()
    size.SetValue(w, h)
    plotter.add_actor(leg, reset_camera=False, name="legend", pickable=False, render=False)
    return leg


def remove_legend(plotter) -> None:
    """Remove the legend added by :func:`add_legend`, if any."""
    plotter.remove_actor("legend", render=False)


def object_highlight_mesh(scene: LayerScene, object_index) -> "pv.PolyData | None":
    """The triangles of some objects (an index or a list of indices) as one mesh in the scene frame."""
    import pyvista as pv

    tri = scene.tri
    idx = np.nonzero(np.isin(tri.object_index, np.atleast_1d(np.asarray(object_index, dtype=np.int64))))[0]
    if len(idx) == 0:
        return None
    local = (tri.vertices - scene.origin).astype(np.float32)
    t = tri.triangles[idx]
    used = np.unique(t)
    remap = np.searchsorted(used, t)
    return pv.PolyData.from_regular_faces(local[used], remap)
