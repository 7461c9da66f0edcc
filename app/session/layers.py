"""A session's layers and the one pipeline that makes what a layer shows: :func:`build_layer`.

Opening a file, reprojecting a layer, switching its LoD and fusing sources into it all end in the
same steps: (read and) bring the model into the project CRS, triangulate it, build its merged
meshes and its pick index. :func:`build_layer` runs them in a worker on a model the GUI does not
show (a :func:`snapshot`), so nothing it does races the view; the GUI thread then puts the result
into the :class:`~citytwin.app.session.model.Session`.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from citytwin.app.commands.progress import Progress
from citytwin.app.session.crs import needs_reprojection, reproject_logged, show_in_metric_frame
from citytwin.mesh.triangles import TriangleMesh
from citytwin.semantics.crs import CRS
from citytwin.semantics.model import CityModel

if TYPE_CHECKING:  # pragma: no cover
    from citytwin.app.render.picking import PickScene
    from citytwin.app.render.scene import LayerScene
    from citytwin.app.session.overlays import AnalysisOverlay

log = logging.getLogger("citytwin.gui")


@dataclass
class Layer:
    """One opened file (or a model made in the session, e.g. a fused one).

    Attributes
    ----------
    key : the session's handle of the layer
    path : the file it came from (names the layer)
    model : the layer's CityModel, in the project CRS when it has a CRS
    tri : the triangles shown (of ``lod``)
    scene : the merged meshes of ``tri`` (render side)
    color_by : "semantic", "texture", an attribute name or an overlay name
    lod : the LoD shown (None: the highest of each object)
    analyses : overlays by name, each with one value per triangle of ``tri``
    """

    key: int
    path: Path
    model: CityModel
    tri: TriangleMesh
    scene: "LayerScene"
    color_by: str = "semantic"
    lod: str | None = None
    analyses: dict[str, "AnalysisOverlay"] = field(default_factory=dict)

    @property
    def name(self) -> str:
        return self.path.name

    def object_index(self, oid: str) -> int | None:
        """Index of object ``oid`` in ``tri.object_ids``, None when it has no triangles."""
        try:
            return self.tri.object_ids.index(oid)
        except ValueError:
            return None

    def family_indices(self, oid: str) -> list[int]:
        """Triangle-mesh object indices of an object and its descendants (a Building's geometry is
        often in its BuildingParts)."""
        return [i for i in (self.object_index(o) for o in [oid, *self.model.descendants(oid)]) if i is not None]


@dataclass
class LayerData:
    """What :func:`build_layer` makes (in a worker) for the GUI thread to show.

    Attributes
    ----------
    model : the model, in the project CRS
    tri : its triangles at the asked LoD
    scene : their merged meshes
    pick : the Embree pick index of ``scene`` (None when not built: it is built at the first click)
    notes : sentences said about the model on the way (metric frame, reprojection)
    """

    model: CityModel
    tri: TriangleMesh
    scene: "LayerScene"
    pick: "PickScene | None" = None
    notes: list[str] = field(default_factory=list)


def snapshot(model: CityModel) -> CityModel:
    """A shallow copy for a worker: own object shells, triangle cache and problem log; shared
    (read-only) arrays, so a worker never changes what the GUI shows."""
    return model.subset(list(model.objects), with_relatives=False)


def build_layer(source: Path | CityModel, progress: Progress, *, name: str | None = None,
                project_crs: CRS | None = None, lod: str | None = None, origin: np.ndarray | None = None,
                pick_index: bool = True, tri: TriangleMesh | None = None, log_note: bool = False,
                read_options: dict | None = None) -> LayerData:
    """Worker body: the load / reproject / LoD pipeline of one layer.

    Parameters
    ----------
    source : a file to read (an unchanged file opened before with the same project CRS comes from
        the triangle cache, :mod:`citytwin.app.triangle_cache`), or a model (a :func:`snapshot`),
        changed in place
    progress : fraction and message; cancellation
    name : the layer's name in messages (default: the file's name)
    project_crs : the session's CRS: a model in degrees or ECEF goes to a metric frame (this CRS,
        else its UTM zone) and a model in another CRS is reprojected to it; None: kept as it is
    lod : triangulate geometries of this LoD only (None: the highest of each object)
    origin : (3,) float64 local origin of the scene (default: the triangles' own)
    pick_index : build the Embree pick index (False: built at the first click)
    tri : triangles already made for this model and ``lod`` (skips triangulation)
    log_note : also log PROJ's note on a less accurate operation (a layer already shown; a new
        layer's problems, that note among them, are logged when it is added)
    read_options : the reader's options of a file ``source`` (a mesh's up axis, CRS, offset:
        :meth:`~citytwin.app.mesh_open.MeshOpenOptions.reader_options`)

    Returns
    -------
    LayerData
    """
    from citytwin.app.render.scene import model_scene

    given = isinstance(source, CityModel)
    # progress: reading takes the first half of a file's job; a given model starts triangulating at once
    t0, t1, t_pick = (0.0, 0.6, 0.85) if given else (0.6, 0.8, 0.9)
    if given:
        model, name, notes = source, name or "model", []
    else:
        path = Path(source)
        name = name or path.name
        model, tri, notes, cache_key = _read(path, progress, project_crs, lod, read_options)
    if tri is None:
        note = show_in_metric_frame(model, name, project_crs)
        if note:
            notes.append(note)
        if needs_reprojection(model, project_crs):
            progress.update(t0 - 0.1 if t0 else 0.0, f"reprojecting {name} to {project_crs}")
            crs_before = model.crs
            reproject_logged(model, name, project_crs, log_note=log_note)
            notes.append(f"{name}: reprojected on the fly from {crs_before} to the project CRS {project_crs}")
        progress.update(t0, f"triangulating {name}" + (f" at LoD {lod}" if lod else ""))
        tri = model.triangulate(lod=lod, on_progress=progress.sub(t0, t1).update)
        if not given and cache_key is not None:
            from citytwin.app import triangle_cache

            progress.update(t1, f"saving {name}'s triangles in the cache")
            triangle_cache.store(cache_key, (model, tri, notes))
    progress.update(t1, f"building the scene of {name}")
    scene = model_scene(model, tri, origin)
    pick = None
    if pick_index:
        from citytwin.app.render.picking import build_pick_scene

        progress.update(t_pick, f"building the pick index of {name}")
        pick = build_pick_scene(tri, scene.origin)
    progress.update(1.0, f"loaded {name}")
    return LayerData(model, tri, scene, pick, notes)


def _read(path: Path, progress: Progress, project_crs: CRS | None, lod: str | None, read_options: dict | None
          ) -> tuple[CityModel, TriangleMesh | None, list[str], object]:
    """Read a file, from the triangle cache when it holds it: (model, triangles or None, notes
    replayed from the cache, cache key or None)."""
    from citytwin.app import triangle_cache
    from citytwin.app.commands.load import LoadParams, load_model

    key = None
    if lod is None and triangle_cache.cacheable(path):
        progress.update(0.0, f"looking for {path.name} in the triangle cache")
        key = triangle_cache.entry_key(path, project_crs=project_crs, lod=None)
        hit = triangle_cache.load(key)
        if hit is not None:
            model, tri, notes = hit
            for note in notes:
                log.info("%s", note)
            log.info("%s: opened from the triangle cache (file unchanged since it was last opened)", path.name)
            return model, tri, list(notes), None
    options = tuple((read_options or {}).items())
    return load_model(LoadParams(path, options=options), progress.sub(0.0, 0.5)), None, [], key
