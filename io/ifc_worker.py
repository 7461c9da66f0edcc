"""The child-process side of IFC import: parse, describe and tessellate one IFC file.

IfcOpenShell's geometry kernel (OpenCASCADE) can crash the whole process on some inputs
(IfcOpenShell issues are full of segfault reproducers). So :mod:`citytwin.io.ifc_read` runs this
module in a *spawned* child process and talks to it over a :class:`multiprocessing.Pipe`:

1. ``("meta", dict)``: schema, units, georeferencing values, spatial structure and, per product,
   guid / class / name / predefined type / storey / property sets (plain Python values);
2. ``("shapes", [(id, verts, faces), ...])`` in batches, where ``verts`` is (n, 3) float64 in
   metres (world coordinates of the IFC) and ``faces`` (m, 3) int32;
3. ``("start", id)`` before each element in per-element mode, so the parent knows which
   element took the kernel down when the pipe breaks;
4. ``("problem", id, message)`` for an element whose geometry failed without crashing;
5. ``("done", stats)``; or ``("fatal", message)`` when the file cannot be parsed.

If the child dies, the parent restarts it in per-element mode on the elements not yet received,
excluding the one that was being processed (see :func:`citytwin.io.ifc_read.run_geometry`).
Nothing here touches the city model: only plain values and numpy arrays cross the pipe.
"""

from __future__ import annotations

import os
from typing import Any

import numpy as np

#: Products never tessellated: openings are voids, annotations and grids are drawing aids.
SKIPPED_CLASSES = ("IfcOpeningElement", "IfcOpeningStandardCase", "IfcAnnotation", "IfcGrid",
                   "IfcVirtualElement")

_BATCH = 64
#: Test hook: the child aborts (a real SIGABRT, like a kernel segfault) on the element with this
#: GlobalId, so the crash recovery of :func:`citytwin.io.ifc_read.run_geometry` can be tested.
_CRASH_ENV = "CITYTWIN_TEST_IFC_CRASH_GUID"


_crash_guid: str | None = None


def _maybe_crash(f, eid: int) -> None:
    guid = _crash_guid
    if guid and getattr(f.by_id(eid), "GlobalId", None) == guid:
        os.abort()


def geometry_settings():
    """The ``ifcopenshell.geom`` settings citytwin uses (world coordinates, metres)."""
    import ifcopenshell.geom

    s = ifcopenshell.geom.settings()
    s.set("use-world-coords", True)
    return s


def open_ifc(path: str):
    """Open an .ifc / .ifczip / .ifcxml file; returns (file, note or None).

    Release candidates of IFC4X3 (``IFC4X3_RC1`` .. ``RC4``, as in buildingSMART's own unit
    tests) are read with the final IFC4X3_ADD2 schema, with a note. Raises whatever
    IfcOpenShell raises for anything else it cannot read.
    """
    import re

    import ifcopenshell

    try:
        return ifcopenshell.open(path), None
    except Exception as exc:
        if "Unsupported schema" not in str(exc) or not path.lower().endswith(".ifc"):
            raise
        with open(path, "rb") as fh:
            text = fh.read().decode("utf-8", errors="replace")
        m = re.search(r"FILE_SCHEMA\s*\(\s*\(\s*'(IFC4X3_RC\d)'", text, re.IGNORECASE)
        if not m:
            raise
        text = text[:m.start(1)] + "IFC4X3_ADD2" + text[m.end(1):]
        return ifcopenshell.file.from_string(text), (f"schema {m.group(1)} (a release candidate) "
                                                    "read as IFC4X3_ADD2")


def _scalar(v: Any) -> Any:
    """A JSON-friendly version of a property value (None for entity references)."""
    if isinstance(v, (bool, int, str)) or v is None:
        return v
    if isinstance(v, float):
        return v if np.isfinite(v) else None
    if isinstance(v, (tuple, list)):
        out = [_scalar(x) for x in v]
        return out if all(x is not None for x in out) else None
    return None


def _psets(el) -> dict[str, Any]:
    """Property and quantity sets of an element, flattened to ``"Pset.Prop": value``."""
    import ifcopenshell.util.element as ue

    out: dict[str, Any] = {}
    try:
        psets = ue.get_psets(el)
    except Exception:  # a broken pset never stops the import
        return out
    for pname, props in psets.items():
        for k, v in props.items():
            if k == "id":
                continue
            sv = _scalar(v)
            if sv is not None:
                out[f"{pname}.{k}"] = sv
    return out


def _length_unit(f) -> float:
    import ifcopenshell.util.unit as uu

    try:
        return float(uu.calculate_unit_scale(f))
    except Exception:
        return 1.0


def _unit_scale(unit) -> float | None:
    """Metres per unit of an IfcNamedUnit (SI or conversion based), or None."""
    if unit is None:
        return None
    try:
        import ifcopenshell.util.unit as uu

        if unit.is_a("IfcSIUnit"):
            return float(uu.get_prefix_multiplier(unit.Prefix)) if unit.Prefix else 1.0
        if unit.is_a("IfcConversionBasedUnit"):
            return float(unit.ConversionFactor.ValueComponent.wrappedValue) * (
                _unit_scale(unit.ConversionFactor.UnitComponent) or 1.0)
    except Exception:
        return None
    return None


def _georef_values(f) -> dict[str, Any]:
    """Raw georeferencing values of the file (interpreted in :mod:`citytwin.io.ifc_georef`)."""
    import ifcopenshell.util.element as ue
    import ifcopenshell.util.placement as up

    g: dict[str, Any] = {"length_unit": _length_unit(f)}
    conv = None
    if f.schema == "IFC2X3":
        projects = f.by_type("IfcProject")
        if projects:
            mc = ue.get_pset(projects[0], "ePSet_MapConversion") or {}
            crs = ue.get_pset(projects[0], "ePSet_ProjectedCRS") or {}
            if mc:
                conv = {"eastings": mc.get("Eastings"), "northings": mc.get("Northings"),
                        "height": mc.get("OrthogonalHeight"), "xaa": mc.get("XAxisAbscissa"),
                        "xao": mc.get("XAxisOrdinate"), "scale": mc.get("Scale"),
                        "crs_name": crs.get("Name"), "map_unit": None, "source": "ePSet_MapConversion"}
    else:
        for op in f.by_type("IfcCoordinateOperation"):
            if op.is_a("IfcMapConversion"):
                crs = op.TargetCRS
                conv = {"eastings": op.Eastings, "northings": op.Northings, "height": op.OrthogonalHeight,
                        "xaa": op.XAxisAbscissa, "xao": op.XAxisOrdinate, "scale": op.Scale,
                        "crs_name": getattr(crs, "Name", None),
                        "map_unit": _unit_scale(getattr(crs, "MapUnit", None)) if crs else None,
                        "source": op.is_a()}
                if op.is_a("IfcMapConversionScaled"):
                    conv["factors"] = [op.FactorX, op.FactorY, op.FactorZ]
                break
    g["map_conversion"] = conv
    sites = f.by_type("IfcSite")
    if sites:
        s = sites[0]
        g["site"] = {
            "lat": list(s.RefLatitude) if s.RefLatitude else None,
            "lon": list(s.RefLongitude) if s.RefLongitude else None,
            "elevation": s.RefElevation,
            "matrix": _placement(s, up),
        }
    tn = None
    for ctx in f.by_type("IfcGeometricRepresentationContext", include_subtypes=False):
        if getattr(ctx, "TrueNorth", None) is not None:
            tn = [float(x) for x in ctx.TrueNorth.DirectionRatios]
            break
    g["true_north"] = tn
    return g


def _placement(el, up) -> list[list[float]] | None:
    """World placement matrix (4x4, project units) of an element, or None."""
    try:
        if el.ObjectPlacement is None:
            return None
        return np.asarray(up.get_local_placement(el.ObjectPlacement), dtype=float).tolist()
    except Exception:
        return None


def describe(f) -> dict[str, Any]:
    """Everything but geometry: spatial structure, products, property sets, georeferencing."""
    import ifcopenshell.util.element as ue

    buildings = [{"id": b.id(), "guid": b.GlobalId, "name": b.Name, "attributes": _psets(b)}
                 for b in f.by_type("IfcBuilding")]
    storeys = []
    for st in f.by_type("IfcBuildingStorey"):
        cont = ue.get_aggregate(st)
        storeys.append({"id": st.id(), "guid": st.GlobalId, "name": st.Name,
                        "elevation": getattr(st, "Elevation", None),
                        "building": cont.id() if cont is not None and cont.is_a("IfcBuilding") else None,
                        "attributes": _psets(st)})
    products: dict[int, dict[str, Any]] = {}
    for el in f.by_type("IfcProduct"):
        if el.is_a("IfcSpatialStructureElement") and not el.is_a("IfcSpace") and not el.is_a("IfcSite"):
            continue
        if el.is_a() in SKIPPED_CLASSES or getattr(el, "Representation", None) is None:
            continue
        container = ue.get_container(el) or ue.get_aggregate(el)
        storey = building = None
        c = container
        for _ in range(8):  # walk up the spatial tree: element -> (part) -> storey -> building
            if c is None:
                break
            if c.is_a("IfcBuildingStorey") and storey is None:
                storey = c.id()
            if c.is_a("IfcBuilding"):
                building = c.id()
                break
            c = ue.get_container(c) or ue.get_aggregate(c)
        try:
            ptype = ue.get_predefined_type(el)
        except Exception:
            ptype = None
        products[el.id()] = {"guid": getattr(el, "GlobalId", None), "cls": el.is_a(),
                             "name": getattr(el, "Name", None), "predefined": ptype,
                             "storey": storey, "building": building,
                             "decomposes": _aggregate_class(el, ue),
                             "attributes": _psets(el)}
    return {"schema": f.schema, "georef": _georef_values(f), "buildings": buildings,
            "storeys": storeys, "products": products,
            "project": [p.Name for p in f.by_type("IfcProject")]}


def _aggregate_class(el, ue) -> str | None:
    agg = ue.get_aggregate(el)
    return agg.is_a() if agg is not None else None


def _arrays(shape) -> tuple[np.ndarray, np.ndarray]:
    g = shape.geometry
    verts = np.frombuffer(g.verts_buffer, dtype=np.float64).reshape(-1, 3).copy()
    faces = np.frombuffer(g.faces_buffer, dtype=np.int32).reshape(-1, 3).copy()
    return verts, faces


def iterate(f, conn, threads: int, sent: set[int]) -> set[int]:
    """Tessellate every product with the multithreaded iterator, streaming batches."""
    import ifcopenshell.geom

    it = ifcopenshell.geom.iterator(geometry_settings(), f, max(1, threads))
    batch: list = []
    if it.initialize():
        while True:
            sh = it.get()
            if sh.type not in SKIPPED_CLASSES:
                _maybe_crash(f, int(sh.id))
                v, fa = _arrays(sh)
                batch.append((int(sh.id), v, fa))
                sent.add(int(sh.id))
                if len(batch) >= _BATCH:
                    conn.send(("shapes", batch))
                    batch = []
            if not it.next():
                break
    if batch:
        conn.send(("shapes", batch))
    return sent


def per_element(f, conn, ids: list[int]) -> None:
    """Tessellate elements one by one, announcing each first (used after a kernel crash)."""
    import ifcopenshell.geom

    settings = geometry_settings()
    for i in ids:
        conn.send(("start", i))
        _maybe_crash(f, i)
        try:
            sh = ifcopenshell.geom.create_shape(settings, f.by_id(i))
        except Exception as exc:  # a per-element failure the kernel survived
            conn.send(("problem", i, f"no geometry ({str(exc).strip() or type(exc).__name__})"))
            continue
        v, fa = _arrays(sh)
        conn.send(("shapes", [(i, v, fa)]))


def child_main(conn, path: str, mode: str, ids: list[int] | None, threads: int,
               with_meta: bool, crash_guid: str | None = None) -> None:
    """Entry point of the child process (``crash_guid``: the test hook, see ``_CRASH_ENV``)."""
    global _crash_guid
    _crash_guid = crash_guid
    try:
        try:
            f, note = open_ifc(path)
        except Exception as exc:
            conn.send(("fatal", str(exc).strip() or type(exc).__name__))
            return
        if note and with_meta:
            conn.send(("problem", None, note))
        meta = describe(f) if with_meta or mode == "iterator" else None
        if with_meta:
            conn.send(("meta", meta))
        if mode == "iterator":
            sent: set[int] = set()
            try:
                iterate(f, conn, threads, sent)
            except Exception as exc:  # the iterator refused the file: go element by element
                conn.send(("problem", None, "the geometry iterator failed "
                           f"({str(exc).strip() or type(exc).__name__}); elements tessellated one by one"))
                per_element(f, conn, [i for i in meta["products"] if i not in sent])
        else:
            per_element(f, conn, ids or [])
        conn.send(("done", {}))
    finally:
        conn.close()


def default_threads() -> int:
    return os.cpu_count() or 1
