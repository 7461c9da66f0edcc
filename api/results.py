"""Results of the public API: tables that convert to pandas, studies that convert to pyvista.

A study function returns a wrapper around the command layer's result (``study.raw``) with
three typed tables (:class:`~citytwin.analysis.table.Table`: columns as numpy arrays,
``rows()`` rounded as exported, ``to_pandas()`` unrounded), the same numbers the CLI writes:

- ``study.surfaces``: one row per analysed surface (the CLI's ``--csv``, plus ``building_id``),
- ``study.buildings``: one row per top-level object (the properties of the CLI's ``--geojson``),
- ``study.points``: one row per sample point (coordinates in the model's CRS, metres).

``study.to_pyvista()`` is the model's triangle mesh with the surface values as cell data, for
plotting in a notebook. pandas and pyvista are imported only when asked for.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from citytwin.analysis.table import Table
from citytwin.semantics.model import CityModel

if TYPE_CHECKING:  # pragma: no cover
    import pyvista as pv

def rows_table(rows: list[dict[str, Any]]) -> Table:
    """A :class:`~citytwin.analysis.table.Table` from row dicts (text columns as objects)."""
    names: list[str] = []
    for r in rows:
        names += [k for k in r if k not in names]
    cols = {}
    for k in names:
        vals = [r.get(k) for r in rows]
        arr = np.asarray(vals)
        cols[k] = np.asarray(vals, dtype=object) if arr.dtype.kind in "OUS" or arr.ndim != 1 else arr
    return Table.from_columns(cols, length=len(rows))


# -- pyvista -----------------------------------------------------------------------------------

def to_pyvista(model: CityModel, *, lod: str | None = None, local_origin: bool = False) -> "pv.PolyData":
    """The model's triangles as a pyvista mesh, with per-triangle cell data.

    Parameters
    ----------
    model : the city model
    lod : LoD to show (default: each object's highest)
    local_origin : subtract the model's local origin (``mesh.field_data["origin"]``, metres) from
        the points; useful to render large projected coordinates (UTM, RD) in float32 without
        jitter. Default: the model's own coordinates (float64, its CRS)

    Returns
    -------
    pyvista.PolyData : (t,) triangles; cell data ``object_id``, ``object_type``, ``semantic_type``
    (names), ``object_index``, ``geometry``, ``surface`` (index of the polygon in the object's
    geometry), ``triangle_area_m2``; field data ``origin`` (3,) float64 and ``crs`` (when known)
    """
    import pyvista as pv

    from citytwin.semantics.surfaces import semantic_name

    tri = model.triangulate(lod=None if lod is None else str(lod))
    origin = np.asarray(tri.origin if local_origin else np.zeros(3), dtype=np.float64)
    mesh = pv.PolyData.from_regular_faces(np.asarray(tri.vertices, np.float64) - origin,
                                          np.asarray(tri.triangles, np.int64))
    ids = np.asarray(tri.object_ids, dtype=str)
    types = np.asarray(tri.object_types or [""] * len(tri.object_ids), dtype=str)
    codes, inv = np.unique(tri.semantic_type, return_inverse=True)
    names = np.asarray([semantic_name(int(c)) for c in codes], dtype=str)
    oi = np.asarray(tri.object_index, np.int64)
    mesh.cell_data["object_id"] = ids[oi] if len(ids) else np.zeros(0, str)
    mesh.cell_data["object_type"] = types[oi] if len(types) else np.zeros(0, str)
    mesh.cell_data["semantic_type"] = names[inv.reshape(-1)] if len(names) else np.zeros(0, str)
    mesh.cell_data["object_index"] = oi.astype(np.int32)
    mesh.cell_data["geometry"] = np.asarray(tri.geometry_index, np.int32)
    mesh.cell_data["surface"] = np.asarray(tri.surface_index, np.int32)
    mesh.cell_data["triangle_area_m2"] = np.asarray(tri.areas, np.float64)
    mesh.field_data["origin"] = origin
    if model.crs is not None:
        mesh.field_data["crs"] = np.array([model.crs.to_string()])
    return mesh


def surface_rows_of_triangles(model: CityModel, table: Table, lod: str | None) -> np.ndarray:
    """(t,) int64: the row of ``table`` (``object_id``, ``surface`` and, if present, ``geometry``
    columns) each triangle of ``model.triangulate(lod)`` belongs to, -1 where none."""
    from citytwin.app.render.coloring import match_surfaces

    tri = model.triangulate(lod=lod)
    pos = {oid: i for i, oid in enumerate(tri.object_ids)}
    if not len(table):
        return np.full(len(tri), -1, np.int64)
    oi = np.array([pos.get(o, -1) for o in table["object_id"].tolist()], np.int64)
    geom = table["geometry"].astype(np.int64) if "geometry" in table.columns else None
    return match_surfaces(tri, oi, table["surface"].astype(np.int64), geom)


class Study:
    """A study's result: tables, a summary, a pyvista mesh, and the model it was computed on.

    Attributes
    ----------
    raw : the command layer's result (``SolarResult``, ``ShadowResult``, ``SVFResult``)
    model : the CityModel analysed (not changed by the study; see :meth:`apply_to_model`)
    options : the options dataclass the study ran with
    """

    #: arrays of ``raw`` whose first axis is not the sample points
    _not_points: tuple[str, ...] = ()

    def __init__(self, raw: Any, model: CityModel, options: Any) -> None:
        self.raw, self.model, self.options = raw, model, options
        self._tables: dict[str, Table] = {}

    def summary(self) -> dict[str, Any]:
        """The object ``--json-summary`` prints."""
        return self.raw.summary()

    def _roots(self, ids: list[str]) -> list[str]:
        from citytwin.analysis.results import root_objects

        return root_objects({o.id: o.parents for o in self.model.objects.values()}, list(ids))

    def _with_buildings(self, table: Table) -> Table:
        """``table`` with a ``building_id`` column (the top-level object) after ``object_id``."""
        if "building_id" in table.columns or "object_id" not in table.columns:
            return table
        cols: dict[str, Any] = {}
        for k in table.columns:
            cols[k] = table[k]
            if k == "object_id":
                cols["building_id"] = np.asarray(self._roots(table[k].tolist()), dtype=object)
        return Table.from_columns(cols, table.digits, length=len(table))

    def _cached(self, name: str, build) -> Table:
        if name not in self._tables:
            self._tables[name] = build()
        return self._tables[name]

    @property
    def surfaces(self) -> Table:
        """One row per analysed surface (the study's table, as its ``--csv`` writes it, plus
        ``building_id``); ``object_index``, ``geometry``, ``surface`` locate it in the model."""
        return self._cached("surfaces", lambda: self._with_buildings(self.raw.surfaces))

    @property
    def points(self) -> Table:
        """One row per sample point: ``object_id``, ``x``, ``y``, ``z`` (model CRS), ``nx``, ``ny``,
        ``nz`` and every per-point array of the result (``areas`` in m2, values with their units
        in their names)."""
        return self._cached("points", self._point_table)

    def _point_table(self) -> Table:
        raw = self.raw
        n = len(raw.points)
        cols: dict[str, Any] = {"object_id": np.asarray(raw.object_ids, dtype=object)[raw.object_index]
                                if n else np.zeros(0, object)}
        for name in getattr(raw, "__dataclass_fields__", vars(raw)):
            v = getattr(raw, name)
            if name in self._not_points or not isinstance(v, np.ndarray) or v.ndim == 0 or v.shape[0] != n:
                continue
            if name in ("points", "normals"):
                for j, axis in enumerate("xyz"):
                    cols[axis if name == "points" else f"n{axis}"] = v[:, j]
            elif v.ndim == 1 or (v.ndim == 2 and v.shape[1] == 12):
                cols[name] = v
        return Table.from_columns(cols, length=n)

    def apply_to_model(self) -> CityModel:
        """Store the results as attributes of the model's objects and surfaces (as ``-o`` does);
        returns the model, ready for :func:`citytwin.write`."""
        self.raw.apply_to_model(self.model)
        return self.model

    def to_pyvista(self, *, local_origin: bool = False) -> "pv.PolyData":
        """The analysed model's triangles (:func:`to_pyvista`) with every numeric column of
        :attr:`surfaces` as cell data (NaN on triangles not analysed; a (12,) monthly column as a
        12-component array) and ``row``, the surface row (-1: not analysed)."""
        lod = getattr(self.options, "lod", None)
        mesh = to_pyvista(self.model, lod=lod, local_origin=local_origin)
        table = self.surfaces
        rows = surface_rows_of_triangles(self.model, table, lod)
        mesh.cell_data["row"] = rows
        hit = rows >= 0
        for name in table.columns:
            v = table[name]
            if name in ("object_index", "geometry", "surface") or v.dtype.kind not in "fiub":
                continue
            out = np.full((len(rows), *v.shape[1:]), np.nan)
            out[hit] = v[rows[hit]].astype(np.float64)
            mesh.cell_data[name] = out
        return mesh

    def points_to_pyvista(self) -> "pv.PolyData":
        """The sample points as a pyvista point cloud (model CRS, float64) with every column of
        :attr:`points` as point data."""
        import pyvista as pv

        t = self.points
        cloud = pv.PolyData(np.column_stack([t["x"], t["y"], t["z"]]).astype(np.float64))
        for name in t.columns:
            if name not in ("x", "y", "z"):
                v = t[name]
                cloud.point_data[name] = v.astype(str) if v.dtype.kind == "O" else v
        return cloud

    def __repr__(self) -> str:
        return f"<{type(self).__name__}: {len(self.raw.points)} points, {len(self.surfaces)} surfaces, " \
               f"{len(self.buildings)} buildings>"


class SolarStudy(Study):
    """Result of :func:`citytwin.solar`: irradiation in kWh/m2 (per year and month), PV yield in
    kWh, sun hours, sky view factor, per point, surface and building."""

    @property
    def buildings(self) -> Table:
        """One row per building: the properties of ``citytwin solar --geojson``."""
        return self.raw.buildings


class SVFStudy(Study):
    """Result of :func:`citytwin.sky_view_factor`: the sky view factor (0..1) per point, surface, building."""

    @property
    def buildings(self) -> Table:
        """One row per building, the area-weighted mean ``svf``: the properties of ``svf --geojson``."""
        from citytwin.app.commands.study_export import building_means

        r = self.raw
        return self._cached("buildings", lambda: rows_table(
            building_means(self.model, list(r.object_ids), r.object_index, r.areas, r.svf, "svf")))


class ShadowStudy(Study):
    """Result of :func:`citytwin.shadow`: sun hours over the period per point, surface and building.

    ``raw.lit`` (T, N) bool holds the lit state of every point at every time step ``raw.times``;
    ``surfaces["lit_fraction"]`` (M, T) the share of each surface's points lit at each step.
    """

    _not_points = ("lit", "ground_lit", "ground_sun_hours", "sun_vectors", "altitude",
                   "azimuth", "weights")

    @property
    def buildings(self) -> Table:
        """One row per building, the mean ``sun_hours`` of its points: the properties of ``shadow --geojson``."""
        from citytwin.app.commands.study_export import building_means

        r = self.raw
        return self._cached("buildings", lambda: rows_table(
            building_means(self.model, list(r.object_ids), r.object_index, np.ones(len(r.sun_hours)),
                           r.sun_hours, "sun_hours")))
