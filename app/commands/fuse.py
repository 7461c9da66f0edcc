"""``fuse``: bring IFC models and meshes into a base city model and write a report.

:func:`run_fuse` (CLI) reads the base from a file and writes the result; :func:`fuse_into` (GUI)
fuses into a model already in memory.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from citytwin.app.commands.load import LoadParams, load_model
from citytwin.app.commands.progress import Progress
from citytwin.errors import UsageError
from citytwin.semantics.model import CityModel


@dataclass(frozen=True)
class FuseParams:
    """Options of a fusion.

    Attributes
    ----------
    base : the base city model (its CRS is the output CRS)
    ifc, mesh : IFC files and mesh files to bring in
    output : the fused model; report : JSON report path, or None
    ifc_mode : "replace" the matched base buildings, or "add" the IFC elements as their LoD 3 children
    ifc_georef : (E, N, H, rotation_deg) of the IFC world origin, in ``ifc_crs``; it overrides the
        file's own georeferencing (IfcMapConversion, IfcSite), with a flag saying so
    ifc_crs : CRS of ``ifc_georef`` (default: the base CRS)
    mesh_crs : CRS of the mesh coordinates (default: the base CRS); mesh_up : "auto", "y", "z"
    mesh_offset : (E, N, H) added to mesh coordinates
    ifc_timeout : seconds without progress of the IFC geometry kernel before the element is skipped
        (None: ``CITYTWIN_IFC_HANG_TIMEOUT`` or 120 s)
    """

    base: Path
    output: Path
    ifc: tuple[Path, ...] = ()
    mesh: tuple[Path, ...] = ()
    report: Path | None = None
    ifc_mode: str = "add"
    ifc_georef: tuple[float, float, float, float] | None = None
    ifc_crs: str | None = None
    mesh_crs: str | None = None
    mesh_up: str = "auto"
    mesh_offset: tuple[float, float, float] = (0.0, 0.0, 0.0)
    ifc_timeout: float | None = None


@dataclass(frozen=True)
class FuseResult:
    output: Path
    objects: int
    report: dict[str, Any] = field(default_factory=dict)


def _to_base_crs(model, base, name: str, entry: dict) -> None:
    if base.crs is None or model.crs is None:
        if model.crs is None:
            entry.setdefault("flags", []).append({"flag": f"{name} has no CRS; used as if in the base CRS"})
        return
    if model.crs.to_string() != base.crs.to_string():
        model.reproject(base.crs)
        entry["reprojected_from"] = entry.get("crs")


def run_fuse(params: FuseParams, progress: Progress | None = None) -> FuseResult:
    """Read the base, fuse the sources into it (:func:`fuse_into`), write the model and the report."""
    progress = progress or Progress()
    check_sources(params)
    base = load_model(LoadParams(Path(params.base)), progress.sub(0, 0.2))
    report = fuse_into(base, params, progress.sub(0.2, 0.9), base_name=str(params.base))
    progress.update(0.9, f"writing {Path(params.output).name}")
    from citytwin.app.commands.export import export_model

    export_model(base, params.output)  # texture images (the base's and the meshes') travel with it
    if params.report is not None:
        write_report(report, params.report)
    progress.update(1.0)
    return FuseResult(Path(params.output), len(base), report)


def check_sources(params: FuseParams) -> None:
    """UsageError when the mode is unknown or there is nothing to fuse."""
    if params.ifc_mode not in ("replace", "add"):
        raise UsageError(f"--ifc-mode must be replace or add, not {params.ifc_mode!r}")
    if not params.ifc and not params.mesh:
        raise UsageError("give at least one IFC or mesh file to fuse (--ifc, --mesh)")
    if params.ifc_timeout is not None and not params.ifc_timeout > 0:
        raise UsageError(f"--ifc-timeout must be a positive number of seconds, not {params.ifc_timeout:g}")


def write_report(report: dict[str, Any], path: str | Path) -> None:
    """Write a fusion report as indented JSON (atomically)."""
    from citytwin.io.atomic import atomic_write_text

    atomic_write_text(Path(path), json.dumps(report, indent=1, ensure_ascii=False))


def fuse_into(base: CityModel, params: FuseParams, progress: Progress | None = None,
              base_name: str = "base") -> dict[str, Any]:
    """Fuse the IFC and mesh files of ``params`` into ``base`` (changed in place); returns the report.

    ``params.base``, ``params.output`` and ``params.report`` are not used: the GUI fuses into the
    model of a layer already open. The report has ``ifc`` entries (``matches``: the base building
    each IFC building was fused into, with overlap ratios and centroid offset; ``candidates``: the
    other base buildings it overlaps, not fused; flags) and ``mesh`` entries (triangles per building, unassigned triangles).
    """
    from citytwin.io.ifc.georef import UserGeoref
    from citytwin.io.registry import read
    from citytwin.semantics.fusion import FAR_FROM_BASE_M, extent_gap, fuse_ifc, fuse_mesh

    progress = progress or Progress()
    check_sources(params)
    crs = base.crs.to_string() if base.crs else None
    report: dict[str, Any] = {"base": base_name, "crs": crs, "ifc": [], "mesh": []}
    n = len(params.ifc) + len(params.mesh)
    for k, path in enumerate(params.ifc):
        progress.update(k / n, f"fusing {Path(path).name}")
        user = None
        if params.ifc_georef is not None:
            e, nn, h, rot = params.ifc_georef
            user = UserGeoref((e, nn, h), rot, params.ifc_crs or crs, override=True)
        ifc = read(path, format="ifc", georef=user, site_crs=crs, hang_timeout=params.ifc_timeout)
        entry: dict[str, Any] = {"crs": ifc.crs.to_string() if ifc.crs else None}
        overridden = (ifc.source.get("georef") or {}).get("overrides")
        if overridden:
            entry["flags"] = [{"flag": f"--ifc-georef overrides the file's own georeference {overridden}"}]
        _to_base_crs(ifc, base, Path(path).name, entry)
        step = progress.sub(k / n, (k + 1) / n)
        step.update(0.5, f"matching {Path(path).name} to the base buildings")
        res = fuse_ifc(base, ifc, params.ifc_mode, name=Path(path).name, on_progress=step.sub(0.5, 1.0).update)
        res["flags"] = entry.get("flags", []) + res["flags"]
        res["georef_details"] = ifc.source.get("georef")
        res["problems"] = [p.to_dict() for p in list(ifc.problems)[:100]]
        report["ifc"].append(res)
    for k, path in enumerate(params.mesh):
        progress.update((len(params.ifc) + k) / n, f"fusing {Path(path).name}")
        opts: dict[str, Any] = {}
        fmt = None
        if Path(path).suffix.lower() in (".obj", ".ply", ".glb", ".gltf", ".stl"):
            fmt, opts = "mesh", {"up": params.mesh_up, "offset": params.mesh_offset}
        mesh = read(path, format=fmt, **opts)
        entry = {"flags": []}
        if mesh.crs is None and params.mesh_crs:
            mesh.assign_crs(params.mesh_crs)
        elif mesh.crs is None and crs:  # an IFC without georeferencing is flagged: so is this
            mesh.assign_crs(crs)
            entry["flags"].append({"flag": f"{Path(path).name} has no CRS; used as if in the base CRS {crs} "
                                           "(give --mesh-crs)"})
        entry["crs"] = mesh.crs.to_string() if mesh.crs else None
        _to_base_crs(mesh, base, Path(path).name, entry)
        gap = extent_gap(mesh.vertices, base.vertices)
        if gap > FAR_FROM_BASE_M:
            entry["flags"].append({"flag": f"{Path(path).name} lies {gap / 1000:.3g} km from the base model's "
                                           "extent: nothing can be fused (wrong CRS or --mesh-offset?)"})
        step = progress.sub((len(params.ifc) + k) / n, (len(params.ifc) + k + 1) / n)
        step.update(0.3, f"cutting and labelling {Path(path).name}")
        res = fuse_mesh(base, mesh, name=Path(path).stem, on_progress=step.sub(0.3, 1.0).update)
        res["flags"] = entry["flags"]
        res["problems"] = [p.to_dict() for p in list(mesh.problems)[:100]]
        report["mesh"].append(res)
    progress.update(1.0)
    return report


def report_lines(report: dict[str, Any]) -> list[str]:
    """The report for a person, one line per match, flag and mesh source (CLI stderr, GUI log)."""
    lines = []
    for e in report.get("ifc", []):
        for m in e["matches"]:
            lines.append(f"{e['source']}: {m['ifc_building']} -> {m['base_building']} "
                         f"(overlap {m['overlap_of_ifc']:.2f} of IFC, {m['overlap_of_base']:.2f} of base, "
                         f"offset {m['centroid_offset_m']} m)")
        for m in e.get("candidates", []):
            lines.append(f"{e['source']}: {m['ifc_building']} also overlaps {m['base_building']} "
                         f"({m['overlap_of_ifc']:.2f} of IFC, {m['overlap_of_base']:.2f} of base): not fused")
        for f in e["flags"]:
            lines.append(f"{e['source']}: warning: {f['flag']}")
    for e in report.get("mesh", []):
        lines.append(f"{e['source']}: {len(e['buildings'])} buildings got mesh parts, unassigned {e['unassigned']}")
        for f in e.get("flags", []):
            lines.append(f"{e['source']}: warning: {f['flag']}")
    return lines
