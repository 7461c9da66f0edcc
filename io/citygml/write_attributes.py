"""CityGML writer, attributes: simple and complex properties, generic attributes, xAL addresses,
and the schema order properties are written in.

The attribute half of :mod:`citytwin.io.citygml.writer`, as :mod:`citytwin.io.citygml.attributes`
is the reader's: what the reader turns into attributes comes back here as the same CityGML.
"""

from __future__ import annotations

import json
import re
from typing import Any
from xml.sax.saxutils import escape, quoteattr

from citytwin.errors import OutputError, ProblemLog
from citytwin.io.citygml.schema import property_sequence
from citytwin.semantics.model import CityObject

_SIMPLE_TYPES = {"CodeType", "gYear", "date", "dateTime", "integer", "nonNegativeInteger", "positiveInteger",
                 "double", "boolean", "string", "LengthType", "MeasureType", "MeasureOrNullListType",
                 "MeasureOrNilReasonListType", "RelativeToTerrainType", "RelativeToWaterType", "anyURI"}
_TERRAIN = {"entirelyAboveTerrain", "substantiallyAboveTerrain", "substantiallyAboveAndBelowTerrain",
            "substantiallyBelowTerrain", "entirelyBelowTerrain"}
_WATER = {"entirelyAboveWaterSurface", "substantiallyAboveWaterSurface", "substantiallyAboveAndBelowWaterSurface",
          "substantiallyBelowWaterSurface", "entirelyBelowWaterSurface", "temporarilyAboveAndBelowWaterSurface"}
_DATE = re.compile(r"^\d{4}-\d\d-\d\d$")
_DATETIME = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d")
#: attribute noting the JSON types CityGML generic attributes cannot carry: {"name": "boolean" | "json"}
#: for booleans (written as "true" / "false" strings) and lists / values written as JSON text
VALUE_TYPES_ATTRIBUTE = "cityjsonValueTypes"


class PropertyOrder:
    """Per class: property name -> schema position, -> type qname, -> namespace prefix
    (:func:`~citytwin.io.citygml.schema.property_sequence`, cached)."""

    def __init__(self, version: str, ns: dict[str, str]) -> None:
        self.v = version
        self.ns = ns
        self.seq_cache: dict = {}

    def __call__(self, ns: str, el: str) -> tuple[dict[str, int], dict[str, Any], dict[str, str]]:
        """For a class: property name -> schema position, -> type qname, -> namespace prefix."""
        key = (ns, el)
        r = self.seq_cache.get(key)
        if r is None:
            seq = property_sequence(self.v, ns, el)
            if not seq:
                raise OutputError(f"no schema for {el} ({ns}) in CityGML {self.v}")
            rev = {u: p for p, u in self.ns.items()}
            order: dict[str, int] = {}
            types: dict[str, Any] = {}
            pfx: dict[str, str] = {}
            for i, (pns, name, t) in enumerate(seq):
                if name not in order or pfx.get(name) == "gml":
                    order[name] = i
                    types[name] = t
                    pfx[name] = rev.get(pns, "core")
            r = self.seq_cache[key] = (order, types, pfx)
        return r


class AttributeWriter:
    """CityGML properties for attributes: the class's own simple properties (typed by the schema),
    a few complex ones, generic attributes (2.0 ``gen:*Attribute``, 3.0 ``core:genericAttribute``)
    for the rest with a value-type note where a type would be lost, and xAL addresses."""

    def __init__(self, version: str, problems: ProblemLog) -> None:
        self.v = version
        self.problems = problems
        self.generic_notes: set[tuple[str, str]] = set()

    def generic_slot(self, order: dict) -> int:
        for name in ("genericAttribute", "_GenericApplicationPropertyOfCityObject"):
            if name in order:
                return order[name]
        return len(order)

    def attributes(self, attrs: dict, order: dict, types: dict, pfx: dict, props: list, oid: str | None) -> None:
        gslot = self.generic_slot(order)
        noted: dict[str, str] = {}
        for k, v in attrs.items():
            if v is None:  # a null (CityJSON's "no value"): a generic attribute noted "json"
                props.append((gslot, self.generic(k, v)))
                noted[k] = "json"
                continue
            if k in ("name", "description") and "name" in order:
                for x in (v if isinstance(v, list) else [v]):
                    props.append((order[k], f"<gml:{k}>{escape(str(x))}</gml:{k}>"))
                continue
            if k == "identifier" and self.v == "3.0" and isinstance(v, str):
                props.append((order["identifier"], f'<gml:identifier codeSpace="unknown">{escape(v)}</gml:identifier>'))
                continue
            t = types.get(k)
            if t is not None and t[1] in _SIMPLE_TYPES and k not in ("name", "description", "identifier", "lod"):
                xml = self.simple(pfx[k], k, t[1], v)
                if xml is not None:
                    props.append((order[k], xml))
                    continue
            if t is not None and k in _COMPLEX.get(self.v, {}):
                xml = _complex(pfx[k], k, v, _COMPLEX[self.v][k])
                if xml is not None:
                    props.append((order[k], xml))
                    continue
            if t is not None and t[1] not in _SIMPLE_TYPES and k not in ("name", "description", "identifier", "lod"):
                # a CityGML property of this class (a point cloud, a height of another shape, ...)
                # whose structure we keep but cannot write as its own type: said once per property
                note = (k, t[1])
                if note not in self.generic_notes:
                    self.generic_notes.add(note)
                    self.problems.report(oid, f"property {k!r} ({t[1]}) of CityGML {self.v} is written as a "
                                              "generic attribute (its content is kept, not its CityGML type)")
            kind = _value_type_note(v)
            if kind == "json" and isinstance(v, dict):  # a set that would not read back as it is
                v = json.dumps(v, ensure_ascii=False)
            props.append((gslot, self.generic(k, v)))
            if kind:
                noted[k] = kind
        if noted:
            props.append((gslot, self.generic(VALUE_TYPES_ATTRIBUTE, json.dumps(noted, ensure_ascii=False))))

    def simple(self, prefix: str, k: str, t: str, v: Any) -> str | None:
        vals = v if isinstance(v, list) and t in ("CodeType",) else [v]
        out = []
        for x in vals:
            uom = ""
            if isinstance(x, dict) and "value" in x:
                uom, x = x.get("uom", ""), x["value"]
            if t in ("integer", "nonNegativeInteger", "positiveInteger", "gYear"):
                if not isinstance(x, int) or isinstance(x, bool) or (t != "integer" and x < 0):
                    return None
                s = str(x)
            elif t in ("double", "LengthType", "MeasureType"):
                if not isinstance(x, (int, float)) or isinstance(x, bool):
                    return None
                s = repr(float(x))
                uom = f' uom={quoteattr(uom or "m")}' if t != "double" else ""
            elif t in ("MeasureOrNullListType", "MeasureOrNilReasonListType"):
                xs = x if isinstance(x, list) else [x]
                if not all(isinstance(y, (int, float)) for y in xs):
                    return None
                s = " ".join(repr(float(y)) for y in xs)
                uom = f' uom={quoteattr(uom or "m")}'
            elif t == "date":
                if not (isinstance(x, str) and _DATE.match(x)):
                    return None
                s = x
            elif t == "dateTime":
                if not (isinstance(x, str) and _DATETIME.match(x)):
                    return None
                s = x
            elif t == "RelativeToTerrainType":
                if x not in _TERRAIN:
                    return None
                s = x
            elif t == "RelativeToWaterType":
                if x not in _WATER:
                    return None
                s = x
            elif t == "boolean":
                if not isinstance(x, bool):
                    return None
                s = "true" if x else "false"
            else:
                if isinstance(x, (dict, list)):
                    return None
                s = str(x)
            out.append(f"<{prefix}:{k}{uom}>{escape(s)}</{prefix}:{k}>")
        return "".join(out)

    def generic(self, k: str, v: Any, nested: bool = False) -> str:
        if isinstance(v, list) and v and all(isinstance(x, (str, int, float)) and not isinstance(x, bool) for x in v):
            return "".join(self.generic(k, x, nested) for x in v)
        name = escape(k)
        if self.v == "3.0":
            w = "gen:genericAttribute" if nested else "core:genericAttribute"
            if isinstance(v, dict) and not ("value" in v and "uom" in v):
                inner = "".join(self.generic(kk, vv, True) for kk, vv in v.items() if vv is not None)
                return (f"<{w}><gen:GenericAttributeSet><gen:name>{name}</gen:name>{inner}"
                        f"</gen:GenericAttributeSet></{w}>")
            kind, val, uom = _generic_kind(v)
            uattr = f" uom={quoteattr(uom)}" if kind == "Measure" else ""
            return (f"<{w}><gen:{kind}Attribute><gen:name>{name}</gen:name>"
                    f"<gen:value{uattr}>{escape(val)}</gen:value></gen:{kind}Attribute></{w}>")
        if isinstance(v, dict) and not ("value" in v and "uom" in v):
            inner = "".join(self.generic(kk, vv) for kk, vv in v.items() if vv is not None)
            return f'<gen:genericAttributeSet name={quoteattr(k)}>{inner}</gen:genericAttributeSet>'
        kind, val, uom = _generic_kind(v)
        tag = kind[0].lower() + kind[1:] + "Attribute"
        uattr = f" uom={quoteattr(uom)}" if kind == "Measure" else ""
        return f'<gen:{tag} name={quoteattr(k)}><gen:value{uattr}>{escape(val)}</gen:value></gen:{tag}>'

    def address(self, o: CityObject, pfx: dict, order: dict, props: list) -> None:
        if "address" not in order:
            return
        p = pfx["address"]
        for a in o.address or []:
            x = _xal3(a) if self.v == "3.0" else _xal2(a)
            xml = f"<core:Address><core:xalAddress>{x}</core:xalAddress></core:Address>"
            props.append((order["address"], f"<{p}:address>{xml}</{p}:address>"))


#: complex properties written as their own type, per version: property -> (element, children in
#: schema order). con:height (HeightPropertyType) is the one real files carry.
_COMPLEX = {"3.0": {"height": ("Height", ("highReference", "lowReference", "status", "value"))}}


def _complex(prefix: str, k: str, v: Any, spec: tuple[str, tuple[str, ...]]) -> str | None:
    """``<prefix:k><prefix:Element>children</prefix:Element></prefix:k>`` for a value read as
    ``{Element: {child: text | {"value", "uom"}}}``, or None when it has another shape."""
    elem, children = spec
    if not (isinstance(v, dict) and list(v) == [elem] and isinstance(v[elem], dict)):
        return None
    body = v[elem]
    if not set(body) <= set(children):
        return None
    parts = []
    for c in children:
        if c not in body:
            continue
        x = body[c]
        if isinstance(x, dict) and set(x) == {"value", "uom"} and isinstance(x["value"], (int, float)):
            parts.append(f"<{prefix}:{c} uom={quoteattr(str(x['uom']))}>{float(x['value'])!r}</{prefix}:{c}>")
        elif isinstance(x, (str, int, float)) and not isinstance(x, bool):
            parts.append(f"<{prefix}:{c}>{escape(str(x))}</{prefix}:{c}>")
        else:
            return None
    return f"<{prefix}:{k}><{prefix}:{elem}>{''.join(parts)}</{prefix}:{elem}></{prefix}:{k}>"


def _value_type_note(v: Any) -> str | None:
    """``"boolean"`` / ``"json"`` for a generic attribute value that would read back as a string."""
    if isinstance(v, bool):
        return "boolean"
    if isinstance(v, list):
        if v and all(isinstance(x, (str, int, float)) and not isinstance(x, bool) for x in v):
            return "list" if len(v) == 1 else None   # repeated attributes, read back as a list (of 2+)
        return "json"
    if isinstance(v, dict) and "value" in v and "uom" in v:
        return None
    if isinstance(v, dict):  # a generic attribute set: only if every member reads back as it is
        return None if all(_set_member_ok(x) for x in v.values()) else "json"
    if isinstance(v, (str, int, float)):
        return None
    return "json"


def _set_member_ok(v: Any) -> bool:
    """True when ``v``, inside a generic attribute set, reads back as it is (the value-type note
    covers top-level attributes only): a string, number, measure, list of 2+ of those, or a set
    of such. A bool, a null, a one-element list, a list of sets (an ADE's repeated
    elements) would come back as strings or scalars."""
    if isinstance(v, bool) or v is None:
        return False
    if isinstance(v, (str, int, float)):
        return True
    if isinstance(v, dict):
        return ("value" in v and "uom" in v) or all(_set_member_ok(x) for x in v.values())
    if isinstance(v, list):
        return len(v) >= 2 and all(isinstance(x, (str, int, float)) and not isinstance(x, bool) for x in v)
    return False


def _generic_kind(v: Any) -> tuple[str, str, str]:
    if isinstance(v, dict) and "value" in v and "uom" in v:
        return "Measure", repr(float(v["value"])), str(v["uom"])
    if isinstance(v, bool):
        return "String", "true" if v else "false", ""
    if isinstance(v, int):
        return "Int", str(v), ""
    if isinstance(v, float):
        return "Double", repr(v), ""
    if isinstance(v, str):
        return "String", v, ""
    return "String", json.dumps(v, ensure_ascii=False), ""


def _xal2(a: dict) -> str:
    def el(tag: str, key: str, attr: str = "") -> str:
        return f"<xAL:{tag}{attr}>{escape(str(a[key]))}</xAL:{tag}>" if key in a else ""

    thor = ""
    if "ThoroughfareNumber" in a or "ThoroughfareName" in a:
        thor = f'<xAL:Thoroughfare Type="Street">{el("ThoroughfareNumber", "ThoroughfareNumber")}' \
               f'{el("ThoroughfareName", "ThoroughfareName")}</xAL:Thoroughfare>'
    post = f"<xAL:PostalCode>{el('PostalCodeNumber', 'PostalCodeNumber')}</xAL:PostalCode>" \
        if "PostalCodeNumber" in a else ""
    loc = f'<xAL:Locality Type="Town">{el("LocalityName", "LocalityName")}{thor}{post}</xAL:Locality>' \
        if (thor or post or "LocalityName" in a) else ""
    country = f"<xAL:Country>{el('CountryName', 'CountryName')}{loc}</xAL:Country>"
    return f"<xAL:AddressDetails>{country}</xAL:AddressDetails>"


def _xal3(a: dict) -> str:
    def ne(key: str, tag: str = "NameElement") -> str:
        return f"<xAL:{tag}>{escape(str(a[key]))}</xAL:{tag}>" if key in a else ""

    parts = []
    if "CountryName" in a:
        parts.append(f"<xAL:Country>{ne('CountryName')}</xAL:Country>")
    if "LocalityName" in a:
        parts.append(f"<xAL:Locality>{ne('LocalityName')}</xAL:Locality>")
    if "ThoroughfareName" in a or "ThoroughfareNumber" in a:
        parts.append(f"<xAL:Thoroughfare>{ne('ThoroughfareName')}{ne('ThoroughfareNumber', 'Number')}</xAL:Thoroughfare>")
    if "PostalCodeNumber" in a:
        parts.append(f"<xAL:PostCode>{ne('PostalCodeNumber', 'Identifier')}</xAL:PostCode>")
    return f"<xAL:Address>{''.join(parts)}</xAL:Address>"
