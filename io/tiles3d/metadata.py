"""3D Metadata for 3D Tiles 1.1 / glTF: a schema for city objects and binary property tables
(``EXT_structural_metadata``), written and read.

One class, ``cityobject``: ``object_id`` (semantic ``ID``), ``object_type`` and one property per
attribute found on the objects (analysis results included; units named in the description and
in ``extras.unit``). Each attribute column gets the tightest exact type:

- all booleans -> BOOLEAN; all integers -> INT64; all numbers -> FLOAT64; all strings -> STRING;
- anything else (lists, objects, mixed types, empty strings) -> STRING holding JSON
  (``extras.encoding: "json"``).

Objects without the attribute get the property's ``noData`` value (the lowest INT64 / FLOAT64,
a short string no object uses, ``-`` for JSON); a BOOLEAN column with gaps is written as JSON. Property ids must be
identifiers, so other attribute names are sanitised and the original is kept as ``name``.
Reading inverts all of this, so attribute values come back exactly.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass
from typing import Any

import numpy as np

from citytwin.errors import ProblemLog

CLASS = "cityobject"
ID_PROPERTY, TYPE_PROPERTY = "object_id", "object_type"
_I64_NODATA = -(2 ** 63)
_F64_NODATA = -1.7976931348623157e308
#: noData of plain string columns (the first one no object uses). A string column never holds an
#: empty string: a table whose strings are all empty would need a zero-length bufferView, which
#: glTF forbids; columns with empty strings are written as JSON text ('""').
_STRING_NODATA = ("-", "<no data>", "<none>", "\u2205")
#: noData of JSON columns: not valid JSON, so never the encoding of a value.
_JSON_NODATA = "-"
_IDENT = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")

#: Units of citytwin's analysis results (attribute name suffix or name -> unit, description).
_UNITS: list[tuple[str, str, str]] = [
    ("_kwh_m2", "kWh/m2", "annual solar irradiation per square metre"),
    ("_kwh", "kWh", "annual energy"),
    ("_m2", "m2", "area"),
    ("sun_hours", "h", "hours of direct sun over the study period"),
    ("svf", "1", "sky view factor (0..1)"),
]


def unit_of(name: str) -> tuple[str, str] | None:
    """(unit, description) of a known result attribute name, else None."""
    low = name.lower()
    for suffix, unit, desc in _UNITS:
        if low.endswith(suffix):
            return unit, desc
    return None


@dataclass(frozen=True)
class Column:
    """One attribute column: property id, attribute name, 3D Metadata type, JSON-encoded or not,
    whether some objects lack it (noData used)."""

    pid: str
    name: str
    type: str  # BOOLEAN | INT64 | FLOAT64 | STRING
    json: bool
    gaps: bool
    nodata: Any = None


def _kind(v: Any) -> str:
    if isinstance(v, bool):
        return "b"
    if isinstance(v, int):
        return "i" if -(2 ** 63) < v < 2 ** 63 else "j"
    if isinstance(v, float):
        return "f"
    if isinstance(v, str):
        return "s"
    return "j"


def plan_columns(rows: list[dict[str, Any]], reserved: tuple[str, ...] = (ID_PROPERTY, TYPE_PROPERTY)) -> list[Column]:
    """The columns for attribute dicts ``rows`` (one per feature), in first-seen order; property
    ids in ``reserved`` are not used for attributes."""
    kinds: dict[str, set[str]] = {}
    count: dict[str, int] = {}
    short: dict[str, set[str]] = {}  # the strings that could clash with a noData value
    for r in rows:
        for k, v in r.items():
            kinds.setdefault(k, set()).add(_kind(v))
            count[k] = count.get(k, 0) + 1
            if isinstance(v, str) and (len(v) < 2 or v in _STRING_NODATA):
                short.setdefault(k, set()).add(v)
    used = set(reserved)
    out = []
    for name, ks in kinds.items():
        gaps = count[name] < len(rows)
        pid = name if _IDENT.match(name) else re.sub(r"\W", "_", name, flags=re.ASCII) or "attribute"
        if not _IDENT.match(pid):
            pid = "a_" + pid
        base, n = pid, 1
        while pid in used:
            pid, n = f"{base}_{n}", n + 1
        used.add(pid)
        if ks == {"b"} and not gaps:
            out.append(Column(pid, name, "BOOLEAN", False, False))
        elif ks == {"i"}:
            out.append(Column(pid, name, "INT64", False, gaps, _I64_NODATA if gaps else None))
        elif ks <= {"i", "f"}:
            out.append(Column(pid, name, "FLOAT64", False, gaps, _F64_NODATA if gaps else None))
        elif ks == {"s"} and "" not in short.get(name, set()) and \
                (not gaps or any(c not in short.get(name, set()) for c in _STRING_NODATA)):
            nodata = next(c for c in _STRING_NODATA if c not in short.get(name, set())) if gaps else None
            out.append(Column(pid, name, "STRING", False, gaps, nodata))
        else:
            out.append(Column(pid, name, "STRING", True, gaps, _JSON_NODATA if gaps else None))
    return out


#: Fixed string properties of the surface class (per-surface features).
SURFACE_CLASS = "surface"
SURFACE_FIXED = {
    "object_id": {"name": "object id", "description": "id of the city object the surface belongs to",
                  "type": "STRING", "required": True},
    "building_id": {"name": "building id", "description": "id of its top-level object (the feature of "
                    "the cityobject table)", "type": "STRING", "required": True},
    "semantic_type": {"name": "semantic type", "description": "semantic surface type (RoofSurface, ...; "
                      "NoSemantics when it has none)", "type": "STRING", "required": True},
}


def _properties(columns: list[Column]) -> dict[str, Any]:
    props: dict[str, Any] = {}
    for c in columns:
        p: dict[str, Any] = {"name": c.name, "type": "STRING" if c.json else c.type}
        if c.type in ("INT64", "FLOAT64"):
            p["componentType"] = c.type
            p["type"] = "SCALAR"
        if c.gaps:
            p["noData"] = c.nodata
        extras: dict[str, Any] = {}
        u = unit_of(c.name)
        if u is not None:
            p["description"] = f"{u[1]}, {u[0]}"
            extras["unit"] = u[0]
        if c.json:
            extras["encoding"] = "json"
            p["description"] = (p.get("description", "") + " (JSON text)").strip()
        if extras:
            p["extras"] = extras
        props[c.pid] = p
    return props


def schema(columns: list[Column], surface_columns: list[Column] | None = None) -> dict[str, Any]:
    """The 3D Metadata schema: class ``cityobject`` with ``columns``, and class ``surface`` (one
    feature per surface: its object, building, semantic type and ``surface_columns``) when given."""
    props: dict[str, Any] = {
        ID_PROPERTY: {"name": "object id", "description": "id of the city object (CityJSON / CityGML id)",
                      "type": "STRING", "semantic": "ID", "required": True},
        TYPE_PROPERTY: {"name": "object type", "description": "CityJSON type of the city object",
                        "type": "STRING", "required": True},
        **_properties(columns),
    }
    classes: dict[str, Any] = {CLASS: {"name": "City object", "description": "a city object (building, "
                                       "road, ...) with its attributes and analysis results", "properties": props}}
    if surface_columns is not None:
        classes[SURFACE_CLASS] = {"name": "Surface", "description": "a surface of a city object with its "
                                  "area and per-surface analysis results",
                                  "properties": {**SURFACE_FIXED, **_properties(surface_columns)}}
    return {"id": "citytwin", "name": "citytwin city model", "version": "1.0", "classes": classes}


def _strings(values: list[str]) -> tuple[bytes, bytes]:
    enc = [v.encode("utf-8") for v in values]
    offsets = np.zeros(len(enc) + 1, dtype="<u4")
    if enc:
        offsets[1:] = np.cumsum([len(e) for e in enc])
    return b"".join(enc), offsets.tobytes()


def property_table(gd, fixed: list[tuple[str, list[str]]], rows: list[dict[str, Any]],
                   columns: list[Column], cls: str = CLASS, name: str = "city objects") -> dict[str, Any]:
    """Write a property table of the features into the glTF document ``gd`` (8-byte aligned
    bufferViews); returns the ``propertyTables`` entry.

    ``fixed``: (property id, non-empty strings) columns first (object id and type); ``rows``: the
    attribute dict of each feature, written as ``columns``.
    """
    props: dict[str, Any] = {}

    def strings(pid: str, values: list[str]) -> None:
        data, offs = _strings(values)
        props[pid] = {"values": gd.view(data, align=8), "stringOffsets": gd.view(offs, align=8)}

    for pid, values in fixed:
        strings(pid, values)
    for c in columns:
        vals = [r.get(c.name, _MISSING) for r in rows]
        if c.json:
            strings(c.pid, [c.nodata if v is _MISSING else json.dumps(v, ensure_ascii=False, allow_nan=True)
                            for v in vals])
        elif c.type == "STRING":
            strings(c.pid, [c.nodata if v is _MISSING else v for v in vals])
        elif c.type == "BOOLEAN":
            bits = np.packbits(np.array(vals, dtype=bool), bitorder="little")
            props[c.pid] = {"values": gd.view(bits.tobytes(), align=8)}
        elif c.type == "INT64":
            arr = np.array([c.nodata if v is _MISSING else v for v in vals], dtype="<i8")
            props[c.pid] = {"values": gd.view(arr.tobytes(), align=8)}
        else:
            arr = np.array([c.nodata if v is _MISSING else float(v) for v in vals], dtype="<f8")
            props[c.pid] = {"values": gd.view(arr.tobytes(), align=8)}
    return {"name": name, "class": cls, "count": len(rows), "properties": props}


class _Missing:
    pass


_MISSING = _Missing()

# -- reading --------------------------------------------------------------------------------

_NUMERIC = {"INT8": "<i1", "UINT8": "<u1", "INT16": "<i2", "UINT16": "<u2", "INT32": "<i4",
            "UINT32": "<u4", "INT64": "<i8", "UINT64": "<u8", "FLOAT32": "<f4", "FLOAT64": "<f8"}
#: Row keys the reader adds beside the attributes: the feature's id and type (popped by the
#: 3D Tiles reader when it makes the object).
ID_KEY, TYPE_KEY = "\0id", "\0type"
#: Row key listing the row's attribute names (so the reader keeps exactly those).
KEYS_KEY = "\0keys"


def read_property_table(doc: dict[str, Any], binary: bytes, table_index: int, where: str,
                        problems: ProblemLog) -> list[dict[str, Any]]:
    """The rows (attribute dict per feature) of a glTF's ``EXT_structural_metadata`` property table.

    The property with semantic ``ID`` gives the row's :data:`ID_KEY`, ``object_type`` its
    :data:`TYPE_KEY`; other properties are keyed by their ``name`` (else their id). Scalars,
    strings and booleans are read; other property types are reported and left out.
    """
    ext = (doc.get("extensions") or {}).get("EXT_structural_metadata") or {}
    tables = ext.get("propertyTables") or []
    if not 0 <= table_index < len(tables):
        problems.report(None, f"{where}: property table {table_index} does not exist; features kept without properties")
        return []
    table = tables[table_index]
    cls = ((ext.get("schema") or {}).get("classes") or {}).get(table.get("class"), {})
    defs = cls.get("properties") or {}
    n = int(table.get("count", 0))
    rows: list[dict[str, Any]] = [{} for _ in range(n)]
    views = doc.get("bufferViews") or []

    def view(i: int) -> bytes:
        bv = views[i]
        a = int(bv.get("byteOffset", 0))
        return binary[a:a + int(bv["byteLength"])]

    for pid, p in (table.get("properties") or {}).items():
        d = defs.get(pid, {})
        t, ct = d.get("type"), d.get("componentType")
        try:
            if d.get("array") or t not in ("STRING", "BOOLEAN", "SCALAR"):
                raise ValueError(f"type {t}{' array' if d.get('array') else ''} is not read")
            if t == "STRING":
                otype = _NUMERIC[p.get("stringOffsetType", "UINT32")]
                offs = np.frombuffer(view(p["stringOffsets"]), dtype=otype, count=n + 1).astype(np.int64)
                data = view(p["values"])
                vals: list[Any] = [data[offs[k]:offs[k + 1]].decode("utf-8") for k in range(n)]
            elif t == "BOOLEAN":
                bits = np.unpackbits(np.frombuffer(view(p["values"]), dtype=np.uint8), bitorder="little")[:n]
                vals = [bool(b) for b in bits]
            else:
                vals = np.frombuffer(view(p["values"]), dtype=_NUMERIC[ct], count=n).tolist()
        except (KeyError, IndexError, ValueError, UnicodeDecodeError) as exc:
            problems.report(None, f"{where}: property {pid!r} cannot be read ({exc}); left out")
            continue
        nodata = d.get("noData", _MISSING)
        is_json = ((d.get("extras") or {}).get("encoding") == "json")
        key = ID_KEY if d.get("semantic") == "ID" else TYPE_KEY if pid == TYPE_PROPERTY else d.get("name", pid)
        for row, v in zip(rows, vals):
            if nodata is not _MISSING and (v == nodata or (isinstance(v, float) and isinstance(nodata, float)
                                                           and math.isclose(v, nodata))):
                continue
            if is_json:
                try:
                    v = json.loads(v)
                except json.JSONDecodeError:
                    pass
            row[key] = v
    return rows


def feature_id_attribute(doc: dict[str, Any]) -> tuple[str, int] | None:
    """(vertex attribute name, property table index) of the first attribute feature ID set with
    a property table in the glTF's ``EXT_mesh_features`` primitives, or None."""
    for mesh in doc.get("meshes") or []:
        for prim in mesh.get("primitives") or []:
            ext = (prim.get("extensions") or {}).get("EXT_mesh_features") or {}
            for f in ext.get("featureIds") or []:
                if "attribute" in f and "propertyTable" in f:
                    return f"_FEATURE_ID_{int(f['attribute'])}", int(f["propertyTable"])
    return None
