"""IFC reader (IFC2X3, IFC4, IFC4X3; .ifc, .ifczip, .ifcxml): semantic LoD3 elements + LoD2 envelope.

Geometry comes from ``ifcopenshell.geom``'s multithreaded iterator in world coordinates, run in
a reusable worker process (:mod:`citytwin.io.ifc.process`, :mod:`citytwin.io.ifc.worker`) so
that a crash or a hang of the geometry kernel on one element becomes a reported problem: the
worker is restarted in per-element mode on the elements not yet received, without the one that
crashed or hung. The parent computes the georeference and imports its own libraries while the
worker tessellates.

The model built:

- one ``Building`` per IfcBuilding (attributes: name, guid, property sets) with an LoD 2.2
  ``Solid`` envelope (Roof/Wall/GroundSurface, :mod:`citytwin.io.ifc.envelope`);
- one child per element with an LoD 3 ``MultiSurface`` of its triangles whose semantics follow
  the IFC class (:func:`semantic_for`): ``BuildingConstructiveElement`` (walls, slabs, roofs,
  beams, ...), ``BuildingInstallation`` (windows, doors, stairs, railings, MEP), ``BuildingFurniture``,
  ``BuildingRoom`` (IfcSpace); storeys as ``BuildingStorey`` objects (``elevation`` in metres,
  whatever the project length unit) and an ``ifc_storey`` attribute; property sets as ``"Pset_X.Prop"`` attributes;
- georeferencing by :mod:`citytwin.io.ifc.georef`, the method in ``model.source["georef"]``.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from citytwin.io.ifc.process import GeometryRun, run_geometry  # noqa: F401  (re-exported)

if TYPE_CHECKING:  # heavy modules (numpy, pyproj) are imported in read_ifc, beside the starting worker
    import numpy as np

    from citytwin.io.ifc.georef import Georef, UserGeoref
    from citytwin.semantics.geometry import Geometry
    from citytwin.semantics.model import CityModel

_WALLS = {"IfcWall", "IfcWallStandardCase", "IfcWallElementedCase", "IfcCurtainWall"}
_CONSTRUCTIVE = _WALLS | {"IfcSlab", "IfcSlabStandardCase", "IfcSlabElementedCase", "IfcRoof", "IfcBeam",
                          "IfcBeamStandardCase", "IfcColumn", "IfcColumnStandardCase", "IfcCovering",
                          "IfcMember", "IfcMemberStandardCase", "IfcPlate", "IfcPlateStandardCase",
                          "IfcFooting", "IfcPile", "IfcBuildingElementProxy", "IfcChimney",
                          "IfcShadingDevice", "IfcBuildingElementPart"}
_FURNITURE = {"IfcFurnishingElement", "IfcFurniture", "IfcSystemFurnitureElement"}
#: Classes whose triangles make up the exterior envelope.
ENVELOPE_CLASSES = _CONSTRUCTIVE - {"IfcFooting", "IfcPile"} | {
    "IfcWindow", "IfcWindowStandardCase", "IfcDoor", "IfcDoorStandardCase", "IfcStair", "IfcStairFlight",
    "IfcRamp", "IfcRampFlight", "IfcRailing"}


def semantic_for(cls: str, predefined: str | None, aggregate: str | None) -> str:
    """Semantic surface type of an IFC element's faces ("" for none)."""
    pt = (predefined or "").upper()
    if cls == "IfcRoof" or aggregate == "IfcRoof" or (cls.startswith("IfcSlab") and pt == "ROOF") \
            or (cls == "IfcCovering" and pt == "ROOFING"):
        return "RoofSurface"
    if cls in _WALLS or aggregate in _WALLS:
        return "WallSurface"
    if cls.startswith("IfcSlab"):
        return "GroundSurface" if pt == "BASESLAB" else "FloorSurface"
    if cls.startswith("IfcWindow"):
        return "Window"
    if cls.startswith("IfcDoor"):
        return "Door"
    return ""


def object_type_for(cls: str) -> str:
    """CityJSON object type of an IFC element class."""
    if cls == "IfcSpace":
        return "BuildingRoom"
    if cls in _CONSTRUCTIVE:
        return "BuildingConstructiveElement"
    if cls in _FURNITURE:
        return "BuildingFurniture"
    return "BuildingInstallation"


def _triangle_geometry(start: int, faces: np.ndarray, semantic: str, lod: str = "3") -> Geometry:
    """A MultiSurface with one triangle per surface, vertices ``start + faces``."""
    import numpy as np

    from citytwin.semantics.geometry import Geometry, Semantics

    m = len(faces)
    g = Geometry(type="MultiSurface", lod=lod, indices=(faces.astype(np.int64) + start).ravel(),
                 ring_offsets=np.arange(0, 3 * m + 1, 3, dtype=np.int64),
                 surface_offsets=np.arange(m + 1, dtype=np.int64))
    if semantic:
        g.semantics = Semantics([{"type": semantic}], np.zeros(m, dtype=np.int32))
    return g


#: Bounds (metres) of the thickness under which an IFC triangle counts as degenerate: the file's
#: IfcGeometricRepresentationContext.Precision, clamped so that a coarse declared precision never
#: removes real thin geometry (a 5 mm glass edge) and a tiny one still removes zero-area triangles.
DEGENERATE_TOL_RANGE = (1e-9, 1e-5)
#: Used when the file gives no precision.
DEGENERATE_TOL_DEFAULT = 1e-6


def degenerate_tolerance(precision_m: float | None) -> float:
    """Metres: triangles thinner than this are degenerate (see :data:`DEGENERATE_TOL_RANGE`)."""
    lo, hi = DEGENERATE_TOL_RANGE
    if precision_m is None or not precision_m > 0:
        return DEGENERATE_TOL_DEFAULT
    return min(max(float(precision_m), lo), hi)


def degenerate_triangles(verts: np.ndarray, faces: np.ndarray, tol: float) -> np.ndarray:
    """Which triangles have (almost) zero area: height over the longest edge below ``tol``.

    Parameters
    ----------
    verts : (n, 3) float64, metres
    faces : (m, 3) int, indices into ``verts``
    tol : metres

    Returns
    -------
    (m,) bool, True where the triangle is degenerate (also for non-finite corners)
    """
    import numpy as np

    p = verts[np.asarray(faces, dtype=np.int64)]  # (m, 3, 3)
    e = p[:, [1, 2, 0]] - p  # the three edges
    longest = np.sqrt((e * e).sum(axis=2).max(axis=1))
    area2 = np.linalg.norm(np.cross(e[:, 0], -e[:, 2]), axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        bad = ~(area2 > tol * longest)  # height = area2 / longest; NaN counts as degenerate
    return bad | (longest == 0)


def drop_degenerate(shapes: dict[int, tuple[np.ndarray, np.ndarray]], tol: float
                    ) -> tuple[dict[int, tuple[np.ndarray, np.ndarray]], int, list[int]]:
    """The shapes without their degenerate triangles, in one vectorised pass over all elements.

    Returns
    -------
    shapes : element id -> (verts (n, 3) float64, faces (m', 3) int32)
    dropped : number of triangles removed
    emptied : ids of elements that had triangles and lost all of them
    """
    import numpy as np

    ids = [i for i, (_, f) in shapes.items() if len(f)]
    if not ids:
        return dict(shapes), 0, []
    nv = np.array([len(shapes[i][0]) for i in ids], dtype=np.int64)
    nf = np.array([len(shapes[i][1]) for i in ids], dtype=np.int64)
    voff = np.concatenate([[0], np.cumsum(nv)[:-1]])
    verts = np.concatenate([shapes[i][0] for i in ids])
    faces = np.concatenate([shapes[i][1] for i in ids]).astype(np.int64) + np.repeat(voff, nf)[:, None]
    bad = degenerate_triangles(verts, faces, tol)
    dropped = int(bad.sum())
    if not dropped:
        return dict(shapes), 0, []
    out = dict(shapes)
    foff = np.concatenate([[0], np.cumsum(nf)])
    bad_per = np.add.reduceat(bad.astype(np.int64), foff[:-1])
    emptied = []
    for k in np.flatnonzero(bad_per):  # only the elements that lost triangles
        i = ids[k]
        v, f = shapes[i]
        keep = ~bad[foff[k]:foff[k + 1]]
        out[i] = (v, f[keep])
        if not keep.any():
            emptied.append(i)
    return out, dropped, emptied


def _unique_id(guid: str | None, eid: int, used: set[str]) -> str:
    oid = guid or f"ifc-{eid}"
    if oid in used:
        oid = f"{oid}-{eid}"
    used.add(oid)
    return oid


def read_ifc(path: str | Path, georef: UserGeoref | None = None, site_crs: str | None = None,
             threads: int | None = None, envelope: bool = True,
             hang_timeout: float | None = None) -> CityModel:
    """Read an IFC file into a CityModel (see the module docstring).

    Parameters
    ----------
    path : .ifc, .ifczip or .ifcxml file
    georef : origin/rotation/CRS to use when the file carries no usable georeference
    site_crs : projected CRS for IfcSite lat/lon georeferencing (default: the site's UTM zone)
    threads : geometry threads (default: all cores)
    envelope : derive the LoD 2.2 envelope per building
    hang_timeout : seconds the geometry worker may go without progress before it is killed and the
        element it was on is reported (default: ``CITYTWIN_IFC_HANG_TIMEOUT`` or 120 s)
    """
    from citytwin.errors import InputError

    path = Path(path)
    if not path.exists():
        raise InputError(path, "no such file")
    early: dict[str, Any] = {}

    def on_started() -> None:
        """Runs while the new worker imports IfcOpenShell (one core): the parent's own imports."""
        import numpy  # noqa: F401
        import pyproj  # noqa: F401  (georeferencing: almost every real IFC needs it)

        import citytwin.io.ifc.georef  # noqa: F401
        import citytwin.semantics.model  # noqa: F401
        if envelope:
            import shapely  # noqa: F401

            import citytwin.io.ifc.envelope  # noqa: F401

    def on_meta(meta: dict[str, Any]) -> None:
        """Runs while the worker tessellates: the georeference is ready when the geometry is."""
        from citytwin.io.ifc.georef import choose_georef

        early["georef"] = choose_georef(meta["georef"], georef, site_crs)

    run = run_geometry(path, threads, hang_timeout=hang_timeout, on_meta=on_meta, on_started=on_started)
    import numpy as np

    from citytwin.errors import ProblemLog
    from citytwin.semantics.model import CityModel, CityObject

    meta = run.meta
    gr = early.get("georef")
    if gr is None:
        from citytwin.io.ifc.georef import choose_georef

        gr = choose_georef(meta["georef"], georef, site_crs)
    problems = ProblemLog()
    for p in gr.problems:
        problems.report(None, p)
    model = CityModel(crs=gr.crs, problems=problems)
    used: set[str] = set()

    # buildings and storeys
    bld_ids: dict[int | None, str] = {}
    for b in meta["buildings"]:
        oid = _unique_id(b["guid"], b["id"], used)
        bld_ids[b["id"]] = oid
        attrs = {"name": b["name"], "ifc_guid": b["guid"], "ifc_class": "IfcBuilding", **b["attributes"]}
        model.objects[oid] = CityObject(oid, "Building", {k: v for k, v in attrs.items() if v is not None})
    length_unit = float(meta["georef"].get("length_unit") or 1.0)  # metres per project unit
    storey_names: dict[int, str | None] = {}
    storey_oids: dict[int, str] = {}
    for st in meta["storeys"]:
        storey_names[st["id"]] = st["name"]
        bid = bld_ids.get(st["building"])
        if bid is None:
            continue
        oid = _unique_id(st["guid"], st["id"], used)
        storey_oids[st["id"]] = oid
        elevation = st["elevation"] * length_unit if st["elevation"] is not None else None  # metres
        attrs = {"name": st["name"], "ifc_guid": st["guid"], "elevation": elevation, **st["attributes"]}
        model.objects[oid] = CityObject(oid, "BuildingStorey", {k: v for k, v in attrs.items() if v is not None},
                                        parents=[bid])
        model.objects[bid].children.append(oid)

    # elements
    shapes, dropped, emptied = drop_degenerate(run.shapes, degenerate_tolerance(meta.get("precision_m")))
    verts_parts: list[np.ndarray] = []
    faces_parts: list[np.ndarray] = []
    part_oids: list[str] = []  # the object of each part
    n_verts = 0
    env_parts: dict[str, list[int]] = {}
    for eid, info in meta["products"].items():
        shape = shapes.get(eid)
        if shape is None or len(shape[1]) == 0:
            continue
        v, f = shape
        if info["cls"] == "IfcSite":  # the site's own shape is terrain
            oid = _unique_id(info["guid"], eid, used)
            g = _triangle_geometry(n_verts, f, "", lod="2")
            g.type = "CompositeSurface"
            attrs = {"name": info["name"], "ifc_guid": info["guid"], "ifc_class": "IfcSite", **info["attributes"]}
            model.objects[oid] = CityObject(oid, "TINRelief", {k: x for k, x in attrs.items() if x is not None},
                                            geometry=[g])
            verts_parts.append(v)
            faces_parts.append(f)
            part_oids.append(oid)
            n_verts += len(v)
            continue
        bid = bld_ids.get(info["building"])
        if bid is None:
            bid = bld_ids.get(None)
            if bid is None:  # elements outside any IfcBuilding go into one synthetic building
                bid = _unique_id("ifc-building", -1, used)
                bld_ids[None] = bid
                model.objects[bid] = CityObject(bid, "Building", {"note": "elements not contained in an "
                                                                  "IfcBuilding"})
        sem = semantic_for(info["cls"], info["predefined"], info["decomposes"])
        oid = _unique_id(info["guid"], eid, used)
        attrs = {"name": info["name"], "ifc_guid": info["guid"], "ifc_class": info["cls"],
                 "ifc_predefined_type": info["predefined"], "ifc_storey": storey_names.get(info["storey"]),
                 **info["attributes"]}
        obj = CityObject(oid, object_type_for(info["cls"]), {k: x for k, x in attrs.items() if x is not None},
                         geometry=[_triangle_geometry(n_verts, f, sem)], parents=[bid])
        model.objects[oid] = obj
        model.objects[bid].children.append(oid)
        if info["cls"] in ENVELOPE_CLASSES:
            env_parts.setdefault(bid, []).append(len(verts_parts))
        verts_parts.append(v)
        faces_parts.append(f)
        part_oids.append(oid)
        n_verts += len(v)

    guid_of = {eid: (info["guid"] or f"#{eid}") for eid, info in meta["products"].items()}
    for eid, msg in run.problems:
        problems.report(guid_of.get(eid) if eid is not None else None, msg,
                        "error" if eid is not None else "warning")
    missing = [eid for eid in meta["products"] if eid not in run.shapes
               and meta["products"][eid]["cls"] != "IfcSpace" and eid not in {e for e, _ in run.problems}]
    for eid in missing[:200]:
        problems.report(guid_of[eid], f"{meta['products'][eid]['cls']} produced no body geometry")
    for eid in emptied[:200]:
        problems.report(guid_of.get(eid, f"#{eid}"), "every triangle of this element is degenerate "
                        "(zero area); element left without geometry")
    if dropped:
        tol = degenerate_tolerance(meta.get("precision_m"))
        problems.report(None, f"{dropped} degenerate triangle(s) (zero area: thinner than {tol:g} m, the "
                        "file's geometric precision) dropped from the IFC geometry")

    world = np.concatenate(verts_parts) if verts_parts else np.zeros((0, 3))
    model.vertices = gr.apply(world)
    far = _report_implausible(model, part_oids, [len(v) for v in verts_parts])
    if envelope:
        env_parts = {bid: [k for k in parts if k not in far] for bid, parts in env_parts.items()}
        _add_envelopes(model, {bid: parts for bid, parts in env_parts.items() if parts}, verts_parts,
                       faces_parts)
    model.source = {"path": str(path), "format": "ifc", "version": meta["schema"],
                    "georef": _georef_summary(gr), "ifc_restarts": run.restarts,
                    "ifc_hang_wait_s": round(run.waited, 3)}
    model.metadata = {"title": (meta["project"] or [None])[0] or path.stem}
    model.touch()
    return model


#: Metres: no georeferenced or local coordinate of a building on Earth is farther from its origin
#: (projected eastings with a zone prefix reach ~6e7, geocentric z ~6.4e6).
IMPLAUSIBLE_HORIZONTAL = 1e8
IMPLAUSIBLE_VERTICAL = 1e7


def _report_implausible(model: CityModel, part_oids: list[str], part_sizes: list[int]) -> set[int]:
    """Report every object with a coordinate beyond :data:`IMPLAUSIBLE_HORIZONTAL` /
    :data:`IMPLAUSIBLE_VERTICAL` metres, or not finite (a unit or placement error of the file);
    returns the indices of their parts (kept out of the envelope)."""
    import numpy as np

    v = model.vertices
    if not len(v):
        return set()
    with np.errstate(invalid="ignore"):
        ok = (np.abs(v[:, :2]) <= IMPLAUSIBLE_HORIZONTAL).all(axis=1) & (np.abs(v[:, 2]) <= IMPLAUSIBLE_VERTICAL)
    if ok.all():
        return set()
    part = np.repeat(np.arange(len(part_sizes)), part_sizes)
    bad_parts = np.unique(part[~ok])
    for k in bad_parts[:50]:
        pts = v[part == k]
        far = float(np.nanmax(np.abs(pts))) if np.isfinite(pts).any() else float("nan")
        model.problems.report(part_oids[k], f"implausible coordinates: up to {far:.3g} m from the origin "
                              f"(more than {IMPLAUSIBLE_HORIZONTAL:g} m horizontally or {IMPLAUSIBLE_VERTICAL:g} "
                              "m vertically, or not finite); a unit or placement error in the file?", "error")
    if len(bad_parts) > 50:
        model.problems.report(None, f"{len(bad_parts) - 50} more objects with implausible coordinates", "error")
    return {int(k) for k in bad_parts}


def _georef_summary(gr: Georef) -> dict[str, Any]:
    return {"method": gr.method, "crs": gr.crs.to_string() if gr.crs else None, **gr.details,
            "problems": list(gr.problems)}


def _add_envelopes(model: CityModel, env_parts: dict[str, list[int]], verts_parts: list[np.ndarray],
                   faces_parts: list[np.ndarray]) -> None:
    """Give each building an LoD 2.2 envelope made from its envelope elements' triangles."""
    import numpy as np

    from citytwin.io.ifc.envelope import envelope_geometry

    # triangle soups per building, already georeferenced (vertex pool offsets of each part)
    offsets = np.zeros(len(verts_parts) + 1, dtype=np.int64)
    np.cumsum([len(v) for v in verts_parts], out=offsets[1:])
    for bid, parts in env_parts.items():
        tris = np.concatenate([model.vertices[faces_parts[k].astype(np.int64) + offsets[k]] for k in parts])
        try:
            geom, pts = envelope_geometry(tris, start=len(model.vertices))
        except ValueError as exc:
            model.problems.report(bid, f"no envelope derived ({exc})")
            continue
        model.add_vertices(pts)
        model.objects[bid].geometry.append(geom)
