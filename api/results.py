"""Results of the public API: tables that convert to pandas, studies that convert to pyvista.

A study function returns a wrapper around the command layer's result (``study.raw``) with
three :class:`Table` views, the same numbers the CLI writes:

- ``study.surfaces``: one row per analysed surface (the CLI's ``--csv``, plus ``building_id``),
- ``study.buildings``: one row per top-level object (the properties of the CLI's ``--geojson``),
- ``study.points``: one row per sample point (coordinates in the model's CRS, metres).

``study.to_pyvista()`` is the model's triangle mesh with the surface values as cell data, for
plotting in a notebook. pandas and pyvista are imported only when asked for.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Iterator

import numpy as np

from citytwin.semantics.model import CityModel

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd
    import pyvista as pv

MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")


def _month_names(name: str) -> list[str]:
    """Column names of a 12-month column: ``monthly_kwh_m2`` -> ``jan_kwh_m2``, ... (as the CLI's CSV)."""
    if "monthly" in name:
        return [name.replace("monthly", m) for m in MONTHS]
    return [f"{name}_{m}" for m in MONTHS]


def _column(values: Any) -> np.ndarray:
    arr = np.asarray(values)
    if arr.dtype.kind in "OU" and arr.ndim == 1:
        return np.asarray(values, dtype=object)
    return arr


class Table:
    """A table of results: named columns of equal length.

    Parameters
    ----------
    columns : name -> (n,) array; 2D (n, 12) columns are split into one column per month
    """

    def __init__(self, columns: dict[str, Any]) -> None:
        self._cols: dict[str, np.ndarray] = {}
        for name, v in columns.items():
            arr = _column(v)
            if arr.ndim == 2 and arr.shape[1] == 12:
                for col, j in zip(_month_names(name), range(12)):
                    self._cols[col] = arr[:, j]
            else:
                self._cols[name] = arr
        lengths = {len(v) for v in self._cols.values()}
        if len(lengths) > 1:
            raise ValueError(f"columns of different lengths: {sorted(lengths)}")

    @classmethod
    def from_rows(cls, rows: list[dict[str, Any]]) -> "Table":
        """From row dicts (the command layer's ``list[dict]`` tables); list values of length 12 are months."""
        names: list[str] = []
        for r in rows:
            names += [k for k in r if k not in names]
        cols = {}
        for k in names:
            vals = [r.get(k) for r in rows]
            if vals and all(isinstance(v, (list, tuple)) and len(v) == 12 for v in vals):
                cols[k] = np.array(vals, dtype=np.float64).reshape(len(vals), 12)
            else:
                cols[k] = vals
        return cls(cols)

    @classmethod
    def from_any(cls, table: Any) -> "Table":
        """From row dicts, a numpy structured array, a pandas DataFrame or anything with ``to_pandas()``."""
        if isinstance(table, Table):
            return table
        if isinstance(table, np.ndarray) and table.dtype.names:
            return cls({n: table[n] for n in table.dtype.names})
        if hasattr(table, "to_pandas") and not hasattr(table, "columns"):
            table = table.to_pandas()
        if hasattr(table, "columns") and hasattr(table, "to_numpy"):  # a DataFrame
            return cls({str(c): table[c].to_numpy() for c in table.columns})
        if isinstance(table, dict):
            return cls(table)
        return cls.from_rows(list(table))

    @property
    def columns(self) -> list[str]:
        return list(self._cols)

    def __len__(self) -> int:
        return len(next(iter(self._cols.values()))) if self._cols else 0

    def __getitem__(self, name: str) -> np.ndarray:
        """The column ``name`` as an array."""
        try:
            return self._cols[name]
        except KeyError:
            raise KeyError(f"no column {name!r}; the columns are {', '.join(self._cols)}") from None

    def __contains__(self, name: object) -> bool:
        return name in self._cols

    def __iter__(self) -> Iterator[dict[str, Any]]:
        """The rows, as dicts of Python values."""
        lists = {k: v.tolist() for k, v in self._cols.items()}
        for i in range(len(self)):
            yield {k: v[i] for k, v in lists.items()}

    def to_pandas(self) -> "pd.DataFrame":
        """A pandas DataFrame with one column per table column (months split into 12 columns)."""
        import pandas as pd

        return pd.DataFrame({k: v for k, v in self._cols.items()})

    def to_numpy(self) -> np.ndarray:
        """A numpy structured array (text columns as Python objects)."""
        dtype = [(k, v.dtype if v.dtype.kind != "U" else object) for k, v in self._cols.items()]
        out = np.empty(len(self), dtype=dtype)
        for k, v in self._cols.items():
            out[k] = v
        return out

    def __repr__(self) -> str:
        return f"<Table: {len(self)} rows; columns {', '.join(self._cols)}>"

    def _repr_html_(self) -> str:  # notebooks show the DataFrame
        return self.to_pandas()._repr_html_()


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
    geom = table["geometry"].astype(np.int64) if "geometry" in table else None
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
    _not_points: tuple[str, ...] = ("surface_keys",)

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
        if "building_id" in table or "object_id" not in table:
            return table
        cols: dict[str, Any] = {}
        for k in table.columns:
            cols[k] = table[k]
            if k == "object_id":
                cols["building_id"] = np.asarray(self._roots(table[k].tolist()), dtype=object)
        return Table(cols)

    def _cached(self, name: str, build) -> Table:
        if name not in self._tables:
            self._tables[name] = build()
        return self._tables[name]

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
        return Table(cols)

    def apply_to_model(self) -> CityModel:
        """Store the results as attributes of the model's objects and surfaces (as ``-o`` does);
        returns the model, ready for :func:`citytwin.write`."""
        self.raw.apply_to_model(self.model)
        return self.model

    def to_pyvista(self, *, local_origin: bool = False) -> "pv.PolyData":
        """The analysed model's triangles (:func:`to_pyvista`) with every numeric column of
        :attr:`surfaces` as cell data (NaN on triangles not analysed) and ``row``, the surface row."""
        lod = getattr(self.options, "lod", None)
        mesh = to_pyvista(self.model, lod=lod, local_origin=local_origin)
        table = self.surfaces
        rows = surface_rows_of_triangles(self.model, table, lod)
        mesh.cell_data["row"] = rows
        hit = rows >= 0
        for name in table.columns:
            v = table[name]
            if name in ("geometry", "surface") or v.dtype.kind not in "fiub":
                continue
            out = np.full(len(rows), np.nan)
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
    def surfaces(self) -> Table:
        """One row per analysed surface: the columns of ``citytwin solar --csv``."""
        return self._cached("surfaces", lambda: self._with_buildings(Table.from_any(self.raw.surfaces)))

    @property
    def buildings(self) -> Table:
        """One row per building: the properties of ``citytwin solar --geojson``."""
        return self._cached("buildings", lambda: Table.from_any(self.raw.buildings))


class SVFStudy(Study):
    """Result of :func:`citytwin.sky_view_factor`: the sky view factor (0..1) per point, surface, building."""

    @property
    def surfaces(self) -> Table:
        """One row per analysed surface: the columns of ``citytwin svf --csv``, plus ``building_id``."""
        return self._cached("surfaces", lambda: self._with_buildings(Table.from_any(self.raw.surfaces)))

    @property
    def buildings(self) -> Table:
        """One row per building, the area-weighted mean ``svf``: the properties of ``svf --geojson``."""
        from citytwin.app.commands.study_export import building_means

        r = self.raw
        return self._cached("buildings", lambda: Table.from_rows(
            building_means(self.model, list(r.object_ids), r.object_index, r.areas, r.svf, "svf")))


class ShadowStudy(Study):
    """Result of :func:`citytwin.shadow`: sun hours over the period per point, surface and building.

    ``raw.lit`` (T, N) bool holds the lit state of every point at every time step ``raw.times``.
    """

    _not_points = ("surface_keys", "lit", "ground_lit", "ground_sun_hours", "sun_vectors", "altitude",
                   "azimuth", "weights")

    @property
    def surfaces(self) -> Table:
        """One row per analysed surface: ``object_id``, ``building_id``, ``surface``, ``points``,
        ``sun_hours`` (mean over its points, hours), as in ``citytwin shadow --csv``."""
        return self._cached("surfaces", self._surface_table)

    def _surface_table(self) -> Table:
        from citytwin.app.commands.study_export import shadow_surfaces

        r = self.raw
        keys, inv = shadow_surfaces(r)
        m = len(keys)
        count = np.bincount(inv, minlength=m)
        sun = np.bincount(inv, weights=r.sun_hours, minlength=m) / np.maximum(count, 1)
        ids = np.asarray(r.object_ids, dtype=object)[keys[:, 0]] if m else np.zeros(0, object)
        return self._with_buildings(Table({"object_id": ids, "surface": keys[:, 1], "points": count,
                                           "sun_hours": sun}))

    @property
    def buildings(self) -> Table:
        """One row per building, the mean ``sun_hours`` of its points: the properties of ``shadow --geojson``."""
        from citytwin.app.commands.study_export import building_means

        r = self.raw
        return self._cached("buildings", lambda: Table.from_rows(
            building_means(self.model, list(r.object_ids), r.object_index, np.ones(len(r.sun_hours)),
                           r.sun_hours, "sun_hours")))
