"""The worker-process side of IFC import: parse, describe and tessellate IFC files.

IfcOpenShell's geometry kernel (OpenCASCADE) can crash or hang the whole process on some inputs
(IfcOpenShell issues are full of segfault reproducers). So :mod:`citytwin.io.ifc.process` runs
this module as a separate, long-lived Python process (it needs only the standard library and
IfcOpenShell, and is started from its file, see ``ifc_process._BOOT``) and
reuses it across imports: IfcOpenShell is imported once and its schema caches stay warm.

Protocol (framed pickles, see :func:`write_frame`): the worker says ``("ready",)`` once its
imports are done; the parent writes one job dict per import on the worker's stdin; the worker
answers on its stdout with

1. ``("meta", dict)``: schema, units, model precision, georeferencing values, spatial structure and, per product,
   guid / class / name / predefined type / storey / property sets (plain Python values);
2. ``("shapes", ids, n_verts, n_faces, verts, faces)`` in batches: ``ids`` a list of element
   ids, ``n_verts`` / ``n_faces`` the per-element counts, ``verts`` one bytes buffer of float64
   xyz in metres (world coordinates of the IFC), ``faces`` one bytes buffer of int32 triples
   (local to each element): no per-element pickling, the parent slices numpy views;
3. ``("start", id)`` before each element in per-element mode, so the parent knows which
   element took the kernel down (crash) or made no progress (hang);
4. ``("problem", id, message)`` for an element whose geometry failed without crashing;
5. ``("done",)`` at the end of the job; or ``("fatal", message)`` when the file cannot be parsed.

The worker's own fd 1 is redirected to stderr at start, so stray prints of the C++ kernel can
never corrupt the protocol stream. Nothing here touches the city model.
"""

from __future__ import annotations

import math
import os
import pickle
import struct
import sys
import time
from typing import Any, BinaryIO

#: Products never tessellated: openings are voids, annotations and grids are drawing aids.
SKIPPED_CLASSES = ("IfcOpeningElement", "IfcOpeningStandardCase", "IfcAnnotation", "IfcGrid",
                   "IfcVirtualElement")

_BATCH = 64
#: A batch is also sent when this many seconds passed since the last one (progress for the parent).
_BATCH_SECONDS = 0.2
#: Test hook (tests only): the worker aborts (a real SIGABRT, like a kernel segfault) on the element
#: with this GlobalId, so the crash recovery of :func:`citytwin.io.ifc.process.run_geometry` can be tested.
_CRASH_ENV = "CITYTWIN_TEST_IFC_CRASH_GUID"
#: Test hook (tests only): the worker stops making progress (sleeps forever, like a kernel stuck in
#: a boolean operation) on the element with this GlobalId, to test the hang timeout.
_HANG_ENV = "CITYTWIN_TEST_IFC_HANG_GUID"

#: First argument that makes a frozen citytwin application run as the IFC worker (see
#: :func:`citytwin.io.ifc.process.worker_command` and :func:`run_if_requested`).
WORKER_FLAG = "--citytwin-ifc-worker"

_hooks: dict[str, str | None] = {"crash": None, "hang": None}


def _maybe_fail(f, eid: int) -> None:
    """The test hooks: abort or hang on the element named by ``_CRASH_ENV`` / ``_HANG_ENV``."""
    if not (_hooks["crash"] or _hooks["hang"]):
        return
    guid = getattr(f.by_id(eid), "GlobalId", None)
    if guid and guid == _hooks["crash"]:
        os.abort()
    if guid and guid == _hooks["hang"]:
        while True:
            time.sleep(3600)


def write_frame(out: BinaryIO, msg: Any) -> None:
    """Write one message: 8-byte little-endian length, then the pickle (protocol 5)."""
    data = pickle.dumps(msg, protocol=5)
    out.write(struct.pack("<Q", len(data)))
    out.write(data)
    out.flush()


def read_frame(inp: BinaryIO) -> Any:
    """Read one message written by :func:`write_frame`; raises EOFError at the end of the stream."""
    head = inp.read(8)
    if len(head) < 8:
        raise EOFError
    (n,) = struct.unpack("<Q", head)
    data = inp.read(n)
    if len(data) < n:
        raise EOFError
    return pickle.loads(data)


class _Sender:
    """Sends messages on the protocol stream and batches shapes (by count and by time)."""

    def __init__(self, out: BinaryIO):
        self.out = out
        self._clear()

    def _clear(self) -> None:
        self.ids: list[int] = []
        self.nv: list[int] = []
        self.nf: list[int] = []
        self.vb: list[bytes] = []
        self.fb: list[bytes] = []
        self.last = time.monotonic()

    def send(self, msg: tuple) -> None:
        write_frame(self.out, msg)

    def shape(self, eid: int, shape) -> None:
        g = shape.geometry
        vb, fb = g.verts_buffer, g.faces_buffer
        self.ids.append(eid)
        self.nv.append(len(vb) // 24)
        self.nf.append(len(fb) // 12)
        self.vb.append(vb)
        self.fb.append(fb)
        if len(self.ids) >= _BATCH or time.monotonic() - self.last > _BATCH_SECONDS:
            self.flush()

    def flush(self) -> None:
        if self.ids:
            write_frame(self.out, ("shapes", self.ids, self.nv, self.nf, b"".join(self.vb), b"".join(self.fb)))
        self._clear()


def geometry_settings():
    """The ``ifcopenshell.geom`` settings citytwin uses (world coordinates, metres)."""
    import ifcopenshell.geom

    s = ifcopenshell.geom.settings()
    s.set("use-world-coords", True)
    return s


def _sibling(name: str):
    """A standard-library-only module beside this one, loaded by its file (this worker runs
    without the citytwin package, see the module docstring)."""
    import importlib.util

    spec = importlib.util.spec_from_file_location(
        f"citytwin_ifc_{name}", os.path.join(os.path.dirname(os.path.abspath(__file__)), f"{name}.py"))
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


_files = _sibling("files")
#: see :mod:`citytwin.io.ifc.files`
UNZIP_PREFIX = _files.UNZIP_PREFIX
remove_stale_unzip_dirs = _files.remove_stale_unzip_dirs
open_ifc = _files.open_ifc


def parse_error_text(path: str, exc: Exception) -> str:
    """IfcOpenShell's "Syntax error during parse, check logs" with the place from its log:
    ``"syntax error at line 8, column 22: unexpected 'p'"`` (the log gives a byte offset)."""
    import re

    import ifcopenshell

    text = str(exc).strip() or type(exc).__name__
    if "check logs" not in text:
        return text
    hits = re.findall(r"Unexpected (.+?) at offset (\d+)", ifcopenshell.get_log() or "")
    if not hits:
        return text
    what, offset = hits[-1][0], int(hits[-1][1])
    try:
        with open(path, "rb") as fh:
            head = fh.read(offset)
    except OSError:
        return f"syntax error at byte {offset}: unexpected {what}"
    line, column = head.count(b"\n") + 1, offset - head.rfind(b"\n")
    return f"syntax error at line {line}, column {column}: unexpected {what}"


def _scalar(v: Any) -> Any:
    """A JSON-friendly version of a property value (None for entity references)."""
    if isinstance(v, (bool, int, str)) or v is None:
        return v
    if isinstance(v, float):
        return v if math.isfinite(v) else None
    if isinstance(v, (tuple, list)):
        out = [_scalar(x) for x in v]
        return out if all(x is not None for x in out) else None
    return None


#: Quantity classes and measure types whose values are lengths, areas, volumes (in the project's
#: units unless the property names its own): converted to metres, m2, m3.
_MEASURE_KIND = {"IfcQuantityLength": "LENGTHUNIT", "IfcLengthMeasure": "LENGTHUNIT",
                 "IfcPositiveLengthMeasure": "LENGTHUNIT", "IfcNonNegativeLengthMeasure": "LENGTHUNIT",
                 "IfcQuantityArea": "AREAUNIT", "IfcAreaMeasure": "AREAUNIT",
                 "IfcQuantityVolume": "VOLUMEUNIT", "IfcVolumeMeasure": "VOLUMEUNIT"}


def project_scales(f) -> dict[str, float]:
    """SI factor of the project's length, area and volume units (``{"LENGTHUNIT": 0.001, ...}``)."""
    import ifcopenshell.util.unit as uu

    out = {}
    for kind in ("LENGTHUNIT", "AREAUNIT", "VOLUMEUNIT"):
        try:
            out[kind] = float(uu.calculate_unit_scale(f, kind))
        except Exception:
            out[kind] = 1.0
    return out


def _si_value(f, d: dict, scales: dict[str, float]) -> Any:
    """The plain value of a verbose ``get_psets`` entry, lengths / areas / volumes in SI units."""
    v = d.get("value")
    kind = _MEASURE_KIND.get(d.get("class")) or _MEASURE_KIND.get(d.get("value_type") or "")
    if kind is None or isinstance(v, bool) or not isinstance(v, (int, float)):
        return v
    k = scales.get(kind, 1.0)
    try:
        unit = getattr(f.by_id(d["id"]), "Unit", None) if d.get("id") else None
        if unit is not None:
            import ifcopenshell.util.unit as uu

            k = float(uu.get_unit_scale(unit))
    except Exception:
        pass
    return v * k


def _psets(el, scales: dict[str, float] | None = None) -> dict[str, Any]:
    """Property and quantity sets of an element, flattened to ``"Pset.Prop": value``; lengths,
    areas and volumes in metres, m2, m3 whatever the project units (``scales``:
    :func:`project_scales`)."""
    import ifcopenshell.util.element as ue

    out: dict[str, Any] = {}
    f = el.file
    scales = scales if scales is not None else project_scales(f)
    try:
        psets = ue.get_psets(el, verbose=True)
    except Exception:  # a broken pset never stops the import
        return out
    for pname, props in psets.items():
        for k, v in props.items():
            if k == "id":
                continue
            if isinstance(v, dict):
                if "value" not in v or "properties" in v:  # complex properties: not kept (as before)
                    continue
                v = _si_value(f, v, scales)
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


def _model_precision(f) -> float | None:
    """``IfcGeometricRepresentationContext.Precision`` of the 3D model context in metres (points
    closer than this are the same point), or None when the file gives none."""
    best = None
    for ctx in f.by_type("IfcGeometricRepresentationContext", include_subtypes=False):
        prec = getattr(ctx, "Precision", None)
        if prec is None or not isinstance(prec, float) or not math.isfinite(prec) or prec <= 0:
            continue
        if getattr(ctx, "ContextType", None) == "Model" or best is None:
            best = prec
    return best * _length_unit(f) if best is not None else None


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
    """Raw georeferencing values of the file (interpreted in :mod:`citytwin.io.ifc.georef`)."""
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
        import numpy as np

        return np.asarray(up.get_local_placement(el.ObjectPlacement), dtype=float).tolist()
    except Exception:
        return None


def describe(f) -> dict[str, Any]:
    """Everything but geometry: spatial structure, products, property sets, georeferencing."""
    import ifcopenshell.util.element as ue

    scales = project_scales(f)
    buildings = [{"id": b.id(), "guid": b.GlobalId, "name": b.Name, "attributes": _psets(b, scales)}
                 for b in f.by_type("IfcBuilding")]
    storeys = []
    for st in f.by_type("IfcBuildingStorey"):
        cont = ue.get_aggregate(st)
        storeys.append({"id": st.id(), "guid": st.GlobalId, "name": st.Name,
                        "elevation": getattr(st, "Elevation", None),
                        "building": cont.id() if cont is not None and cont.is_a("IfcBuilding") else None,
                        "attributes": _psets(st, scales)})
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
                             "attributes": _psets(el, scales)}
    return {"schema": f.schema, "georef": _georef_values(f), "precision_m": _model_precision(f),
            "buildings": buildings,
            "storeys": storeys, "products": products,
            "project": [p.Name for p in f.by_type("IfcProject")]}


def _aggregate_class(el, ue) -> str | None:
    """The class of the element ``el`` is a part of (None: not a part), ``"IfcRoof"`` when any
    element it is (transitively) a part of is a roof: an IfcRoof, an IfcSlab of type ROOF or an
    IfcCovering of type ROOFING (a roof's slabs, and their own parts, are roof)."""
    agg = ue.get_aggregate(el)
    if agg is None:
        return None
    direct = agg.is_a()
    a = agg
    for _ in range(8):  # roof -> slab -> part at most, in practice
        if a is None or a.is_a("IfcSpatialElement") or a.is_a("IfcSpatialStructureElement"):
            break
        if a.is_a("IfcRoof"):
            return "IfcRoof"
        try:
            pt = (ue.get_predefined_type(a) or "").upper()
        except Exception:
            pt = ""
        if (a.is_a("IfcSlab") and pt == "ROOF") or (a.is_a("IfcCovering") and pt == "ROOFING"):
            return "IfcRoof"
        a = ue.get_aggregate(a)
    return direct


def start_iterator(f, threads: int):
    """A multithreaded ``ifcopenshell.geom`` iterator, initialised: returns (iterator, has shapes).

    ``initialize()`` returns once the first shapes are ready while the kernel's C++ threads go on
    tessellating, so the caller can describe the file (Python, under the GIL) meanwhile.
    """
    import ifcopenshell.geom

    it = ifcopenshell.geom.iterator(geometry_settings(), f, max(1, threads))
    return it, bool(it.initialize())


def iterate(f, it, ok: bool, out: _Sender, sent: set[int]) -> set[int]:
    """Stream the shapes of an initialised iterator in batches; ``sent`` collects element ids."""
    if ok:
        while True:
            sh = it.get()
            if sh.type not in SKIPPED_CLASSES:
                eid = int(sh.id)
                _maybe_fail(f, eid)
                out.shape(eid, sh)
                sent.add(eid)
            if not it.next():
                break
    out.flush()
    return sent


def per_element(f, out: _Sender, ids: list[int]) -> None:
    """Tessellate elements one by one, announcing each first (used after a kernel crash or hang)."""
    import ifcopenshell.geom

    settings = geometry_settings()
    for i in ids:
        out.send(("start", i))
        _maybe_fail(f, i)
        try:
            sh = ifcopenshell.geom.create_shape(settings, f.by_id(i))
        except Exception as exc:  # a per-element failure the kernel survived
            out.send(("problem", i, f"no geometry ({str(exc).strip() or type(exc).__name__})"))
            continue
        out.shape(i, sh)
        out.flush()


def run_job(out: _Sender, path: str, mode: str, ids: list[int] | None, threads: int,
            with_meta: bool, crash_guid: str | None = None, hang_guid: str | None = None,
            unzip_limit: int | None = None) -> None:
    """One import: ``mode`` "iterator" (all products) or "elements" (``ids``, or all products when
    None, one by one); ``unzip_limit``: bytes an .ifczip member may unpack to."""
    _hooks["crash"], _hooks["hang"] = crash_guid, hang_guid
    try:
        f, note = open_ifc(path, unzip_limit)
    except Exception as exc:
        out.send(("fatal", parse_error_text(path, exc)))
        return
    if note and with_meta:
        out.send(("problem", None, note))
    if mode == "iterator":
        # geometry first: the kernel's threads tessellate while this thread describes the file
        it, ok, failure = None, False, None
        try:
            it, ok = start_iterator(f, threads)
        except Exception as exc:
            failure = exc
        meta = describe(f)
        if with_meta:
            out.send(("meta", meta))
        sent: set[int] = set()
        if it is not None:
            try:
                iterate(f, it, ok, out, sent)
            except Exception as exc:
                failure = exc
        del it
        if failure is not None:  # the iterator refused the file: go element by element
            out.flush()
            out.send(("problem", None, "the geometry iterator failed "
                      f"({str(failure).strip() or type(failure).__name__}); elements tessellated one by one"))
            per_element(f, out, [i for i in meta["products"] if i not in sent])
    else:
        if with_meta or ids is None:
            meta = describe(f)
            if with_meta:
                out.send(("meta", meta))
            if ids is None:  # every product (the iterator crashed or hung before the description)
                ids = list(meta["products"])
        per_element(f, out, ids)
    out.send(("done",))


def serve(inp: BinaryIO, out: BinaryIO) -> None:
    """The worker loop: one job dict per frame on ``inp`` until EOF or ``None``."""
    import gc

    sender = _Sender(out)
    while True:
        try:
            job = read_frame(inp)
        except EOFError:
            return
        if job is None:
            return
        try:
            run_job(sender, **job)
        except Exception as exc:  # a Python-level bug must not leave the parent waiting
            sender.send(("fatal", f"internal error in the IFC worker: {type(exc).__name__}: {exc}"))
        sender._clear()
        gc.collect()


def main() -> None:
    """Entry point of the worker process: protocol on the original stdout, jobs on stdin."""
    proto = os.dup(1)
    try:
        os.dup2(2, 1)  # anything printed to fd 1 from now on (C++ kernel messages) goes to stderr
    except OSError:  # no stderr (a windowed frozen build): discard instead
        os.dup2(os.open(os.devnull, os.O_WRONLY), 1)
    sys.stdout = sys.stderr
    inp = sys.stdin.buffer if sys.stdin is not None else os.fdopen(0, "rb", closefd=False)
    import signal

    def _term(signum, frame):  # SIGTERM: leave through the finally blocks (the .ifczip folder)
        raise SystemExit(143)

    signal.signal(signal.SIGTERM, _term)
    import ifcopenshell  # noqa: F401  (imported before the first job arrives: the worker is warm)
    import ifcopenshell.geom  # noqa: F401  (ifcopenshell.util.*: imported by describe(), which runs
    # beside the geometry threads, so they are not on the start-up path)

    try:
        with os.fdopen(proto, "wb") as out:
            write_frame(out, ("ready",))
            serve(inp, out)
    except (BrokenPipeError, KeyboardInterrupt):  # the parent went away (or was interrupted): just stop
        remove_stale_unzip_dirs(pid=os.getpid())
        os._exit(0)


def run_if_requested(argv: list[str]) -> bool:
    """Run the worker (until its parent closes the pipe) when ``argv[1]`` is :data:`WORKER_FLAG`;
    False otherwise. Called first thing by the application's entry point, for frozen builds."""
    if argv[1:2] != [WORKER_FLAG]:
        return False
    main()
    return True


def default_threads() -> int:
    return os.cpu_count() or 1


if __name__ == "__main__":
    main()
