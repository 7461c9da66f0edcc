"""``batch solar`` and ``batch shadow``: one task per tile, neighbouring tiles as occluders.

Planning (on the client): the 2D bounds of every tile are read once (in parallel on the cluster)
and cached in ``OUTDIR/.batch-tiles.json`` keyed by path, size and mtime; a tile's context is
every other tile (same CRS) whose bounds come within ``context_buffer`` metres of its own
(an R-tree query, shapely's STRtree). The context files are part of the tile's resume record:
a changed neighbour redoes the tile.

On the worker (:func:`solar_tile`): the tile and its neighbours are read, the scene is the
tile plus the neighbours' objects within the buffer (:func:`~citytwin.semantics.tiles.with_context`),
the single-file command (``run_solar`` / ``run_shadow`` of the solar issue) runs on the scene,
its result is applied to the scene, and only the tile's own objects are written.
"""

from __future__ import annotations

import dataclasses
import json
import os
from pathlib import Path
from typing import Any

from citytwin.app.commands.batch_inputs import BatchInput, output_name, strip_model_suffix
from citytwin.app.commands.batch_tasks import FileJob
from citytwin.app.commands.progress import ProgressLike
from citytwin.app.commands.studies import STUDIES
from citytwin.errors import UsageError

INDEX_NAME = ".batch-tiles.json"
#: options of the batch itself, not of the analysis
BATCH_ONLY = ("context_buffer", "assign_crs", "format", "png", "csv", "geojson", "report", "weather_hash")
#: per-tile exports: option -> suffix of the file written beside the tile's output (solar only
#: for csv/geojson/report, as ``citytwin solar --csv/--geojson/--report``; shadow only for png)
EXPORTS = {e.name: e.suffix for name in ("solar", "shadow") for e in STUDIES[name].exporters if e.suffix}


# -- planning (client side) -----------------------------------------------------------------------
def tile_bounds(path: str) -> dict[str, Any] | None:
    """``{"bounds": [xmin, ymin, xmax, ymax], "crs": str|None}`` of a tile, None if unreadable."""
    from citytwin.io.registry import read
    from citytwin.semantics.tiles import xy_bounds

    try:
        m = read(path)
    except Exception:  # noqa: BLE001 - the tile's own task reports the error
        return None
    b = xy_bounds(m)
    if b is None:
        return None
    return {"bounds": [float(x) for x in b], "crs": m.crs.to_string() if m.crs else None}


def _load_index(path: Path) -> dict[str, Any]:
    try:
        return json.loads(path.read_text())
    except (OSError, ValueError):
        return {}


def index_tiles(inputs: list[BatchInput], outdir: Path, conn=None) -> list[dict[str, Any] | None]:
    """Bounds and CRS of every input (cached in OUTDIR/.batch-tiles.json by path, size, mtime)."""
    from citytwin.io.atomic import atomic_write_text

    cache_path = outdir / INDEX_NAME
    cache = _load_index(cache_path)
    stamps = {}
    for inp in inputs:
        st = os.stat(inp.path)
        stamps[str(inp.path)] = [st.st_size, st.st_mtime_ns]
    missing = [str(i.path) for i in inputs if cache.get(str(i.path), {}).get("stamp") != stamps[str(i.path)]]
    if missing:
        if conn is None or conn.inline:
            found = [tile_bounds(p) for p in missing]
        else:
            client = conn.get()
            found = client.gather(client.map(tile_bounds, missing, pure=False))
        for p, f in zip(missing, found):
            cache[p] = {"stamp": stamps[p], "tile": f}
        outdir.mkdir(parents=True, exist_ok=True)
        atomic_write_text(cache_path, json.dumps(cache, sort_keys=True))
    return [cache[str(i.path)]["tile"] for i in inputs]


def neighbours(tiles: list[dict[str, Any] | None], buffer: float) -> list[list[int]]:
    """For each tile, the indices of the other tiles (same CRS) within ``buffer`` of its bounds."""
    import shapely

    ok = [i for i, t in enumerate(tiles) if t is not None]
    out: list[list[int]] = [[] for _ in tiles]
    if not ok:
        return out
    boxes = [shapely.box(*tiles[i]["bounds"]) for i in ok]
    tree = shapely.STRtree(boxes)
    grown = [shapely.box(*(b[0] - buffer, b[1] - buffer, b[2] + buffer, b[3] + buffer))
             for b in (tiles[i]["bounds"] for i in ok)]
    src, dst = tree.query(grown, predicate="intersects")
    for s, d in zip(src.tolist(), dst.tolist()):
        a, b = ok[s], ok[d]
        if a != b and tiles[a]["crs"] == tiles[b]["crs"]:
            out[a].append(b)
    return [sorted(n) for n in out]


def plan_tile_jobs(params, inputs: list[BatchInput], outdir: Path, conn=None) -> list[FileJob]:
    """Jobs of a ``batch solar|shadow`` run: output names, options and context tiles."""
    from citytwin.app.commands.batch_resume import options_key

    if params.context_buffer < 0:
        raise UsageError(f"--context-buffer must be 0 or more (got {params.context_buffer})")
    opts = {**dict(params.options), "context_buffer": float(params.context_buffer)}
    analysis_options(params.command, opts)  # bad options fail here, before any work
    if opts.get("png") and opts.get("grid_cell") is not None and opts["grid_cell"] <= 0:  # None: 1 m default
        raise UsageError("--png needs a ground grid: give --grid CELL (metres)")
    for name in ("csv", "geojson", "report") if params.command == "shadow" else ("png",):
        if opts.get(name):
            raise UsageError(f"batch {params.command} writes no per-tile {name}")
    if opts.get("weather"):
        from citytwin.app.commands.batch_resume import file_hash

        if not Path(opts["weather"]).is_file():
            raise UsageError(f"--weather {opts['weather']}: no such file")
        opts["weather_hash"] = file_hash(opts["weather"])  # another weather file redoes every tile
    key = options_key(params.command, opts)
    # ray-casting threads do not change results, so they stay out of the key: one per task on a
    # cluster (the workers fill the cores), all cores without Dask
    opts["nthreads"] = 0 if params.workers == 0 and params.scheduler is None else 1
    tiles = index_tiles(inputs, outdir, conn) if params.context_buffer > 0 and len(inputs) > 1 else []
    near = neighbours(tiles, params.context_buffer) if tiles else [[] for _ in inputs]
    jobs = []
    for i, inp in enumerate(inputs):
        rel, _fmt = output_name(inp.rel, opts.get("format"))
        ctx = tuple(str(inputs[j].path) for j in near[i])
        stem = strip_model_suffix(inp.rel)
        extra = tuple(str(outdir / (stem + suffix)) for name, suffix in EXPORTS.items() if opts.get(name))
        jobs.append(FileJob(i, params.command, str(inp.path), str(outdir / rel), opts, key, context=ctx,
                            extra_outputs=extra))
    return jobs


# -- the analysis options -------------------------------------------------------------------------
def _options_class(command: str):
    return STUDIES[command].options_class()


def analysis_options(command: str, opts: dict[str, Any], nthreads: int = 1):
    """Build SolarOptions / ShadowOptions from the batch options (JSON values).

    Option names are the dataclass's fields; lists become tuples, ``weather`` a Path,
    comma-separated ``surfaces`` a tuple. Ray casting runs on ``nthreads`` threads unless the
    options say otherwise (on a cluster the workers already fill the cores).
    """
    cls = _options_class(command)
    fields = {f.name for f in dataclasses.fields(cls)}
    kw: dict[str, Any] = {}
    for k, v in opts.items():
        if k in BATCH_ONLY or v is None:
            continue
        name = k
        if name not in fields:
            raise UsageError(f"batch {command}: option {k!r} is not an option of {cls.__name__}")
        if name == "weather":
            v = Path(v)
        elif name == "surfaces" and isinstance(v, str):
            v = tuple(s.strip() for s in v.split(",") if s.strip())
        elif isinstance(v, list):
            v = tuple(v)
        kw[name] = v
    if "nthreads" in fields and "nthreads" not in kw:
        kw["nthreads"] = nthreads
    try:
        return cls(**kw)
    except (TypeError, ValueError) as exc:
        raise UsageError(f"batch {command}: {exc}") from None


# -- the task (worker side) -----------------------------------------------------------------------
def solar_tile(job: FileJob, progress: ProgressLike | None = None) -> dict[str, Any]:
    """Run solar or shadow on one tile with its context; write the tile's own objects.

    ``progress`` (in-process runs) is checked while the tiles load and, inside the study, between
    ray chunks and time steps; a cancel raises Cancelled before any output is written.

    Returns the counts for the report: the tile's objects, sample points and buildings analysed,
    the context tiles and objects used as occluders, and the tile's annual kWh (solar).
    """
    import numpy as np

    from citytwin.app.commands.load import LoadParams, load_model
    from citytwin.app.commands.progress import Progress
    from citytwin.app.commands.export import export_model
    from citytwin.semantics.tiles import with_context

    progress = progress if progress is not None else Progress()
    assign = job.options.get("assign_crs")
    n_in = 1 + len(job.context)
    model = load_model(LoadParams(Path(job.input), None, assign), progress.sub(0.0, 0.05 / n_in))
    context = [load_model(LoadParams(Path(c), None, assign), progress.sub(0.05 * (i + 1) / n_in,
                                                                           0.05 * (i + 2) / n_in))
               for i, c in enumerate(job.context)]
    # neighbours become GenericCityObjects in the scene: they occlude, but a roof/wall selection
    # (buildings only) does not sample them, so a tile costs about its own surfaces
    scene, own = with_context(model, context, float(job.options.get("context_buffer", 0.0)),
                              context_type="GenericCityObject")
    del context
    options = analysis_options(job.command, job.options)
    if job.command == "solar":
        from citytwin.app.commands.solar import run_solar as run
    else:
        from citytwin.app.commands.shadow import run_shadow as run
    import inspect

    named = {"source_name": job.input} if "source_name" in inspect.signature(run).parameters else {}
    result = run(scene, options, progress.sub(0.05, 0.95), **named)
    progress.update(0.95, f"writing {Path(job.output).name}")  # the last cancel point: writing follows
    result.apply_to_model(scene)
    out = scene.subset(own, with_relatives=False)
    export_model(out, job.output, format=job.options.get("format"))
    if job.extra_outputs:
        write_exports(job.extra_outputs, result, out, set(own), title=f"Solar study of {Path(job.input).name}")
    counts: dict[str, Any] = {"objects": len(own), "context_tiles": len(job.context),
                              "context_objects": len(scene) - len(own)}
    ids = getattr(result, "object_ids", None)
    oi = getattr(result, "object_index", None)
    if ids is not None and oi is not None:
        own_set = set(own)
        mine = np.array([i in own_set for i in ids], dtype=bool)[np.asarray(oi)] if len(ids) else \
            np.zeros(0, bool)
        counts["points"] = int(mine.sum())
        areas, annual = getattr(result, "areas", None), getattr(result, "annual_kwh_m2", None)
        if areas is not None and annual is not None:
            counts["annual_kwh"] = round(float((np.asarray(annual) * np.asarray(areas))[mine].sum()), 1)
    buildings = getattr(result, "buildings", None)
    if buildings is not None:
        own_set = set(own)
        counts["buildings"] = sum(1 for b in buildings if b.get("building_id") in own_set)
    return counts


def write_exports(paths: tuple[str, ...], result, out, own: set[str], title: str = "Solar study") -> None:
    """Write a tile's per-tile exports (by suffix, :data:`EXPORTS`) for its own objects only.

    Parameters
    ----------
    paths : where to write; ``.shadow.png`` (the ground grid), ``.solar.csv`` (one row per
        surface, as ``citytwin solar --csv``), ``.solar.geojson`` (building footprints with their
        totals, as ``citytwin solar --geojson``), ``.solar.html`` (the report with charts, as
        ``citytwin solar --report``, titled ``title``)
    result : the SolarResult / ShadowResult of the scene (tile + context)
    out : the tile's own objects, with the results applied (the model that is written)
    own : ids of the tile's own objects: rows, features, points of context objects are left out
    """
    from citytwin.app.commands.studies import export

    by_suffix = {e.suffix: (name, e.name) for name in ("solar", "shadow") for e in STUDIES[name].exporters
                 if e.suffix}
    mine = None
    for path in paths:
        hit = next(((name, ex) for suffix, (name, ex) in by_suffix.items() if path.endswith(suffix)), None)
        if hit is None:  # pragma: no cover - plan_tile_jobs only makes the registry's suffixes
            raise ValueError(f"unknown per-tile export {path}")
        name, ex = hit
        if name == "shadow":  # the ground grid: the scene's, not per object
            export(name, ex, result, path, out)
            continue
        if mine is None:
            mine = own_result(result, own)
        export(name, ex, mine, path, out, title=title)


def own_result(result, own: set[str]):
    """The SolarResult of the tile's own objects: their points, surfaces and buildings only.

    Per-point arrays (N, ...) keep the points of ``own`` objects (a context object sampled with
    ``--surfaces all`` would otherwise count in the tile's report); ``surface_row`` is
    renumbered into the kept surfaces. ``object_ids`` stay as they are (``object_index`` points
    into them), ``info`` (rays, seconds) is that of the whole scene.
    """
    import numpy as np

    ids = result.object_ids
    own_obj = np.array([i in own for i in ids], dtype=bool)
    keep_pt = own_obj[np.asarray(result.object_index)] if len(ids) else np.zeros(len(result.points), bool)
    keep_sf = own_obj[np.asarray(result.surfaces["object_index"], np.int64)] if len(ids) else \
        np.zeros(len(result.surfaces), bool)
    renumber = np.cumsum(keep_sf) - 1
    per_point = {f.name: getattr(result, f.name)[keep_pt] for f in dataclasses.fields(result)
                 if isinstance(getattr(result, f.name), np.ndarray)
                 and len(getattr(result, f.name)) == len(keep_pt)}
    per_point["surface_row"] = renumber[np.asarray(result.surface_row)[keep_pt]] if keep_sf.any() \
        else np.zeros(int(keep_pt.sum()), np.int64)
    own_b = np.array([b in own for b in result.buildings["building_id"].tolist()], dtype=bool)
    return dataclasses.replace(result, **per_point, surfaces=result.surfaces.where(keep_sf),
                               buildings=result.buildings.where(own_b))
