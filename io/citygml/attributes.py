"""CityGML attributes as JSON values: typed building attributes, generic attributes (1.0 / 2.0
``gen:stringAttribute name=...`` and 3.0 ``gen:StringAttribute`` / ``GenericAttributeSet``), xAL 2.0 /
3.0 addresses flattened into CityJSON address objects, and any other XML property (ADE content)
as nested dicts, so nothing is silently dropped.
"""

from __future__ import annotations

import json
from typing import Any

from citytwin.io.citygml.geometry import gml_id, href, local
from citytwin.io.citygml.vocab import FLOAT_ATTRIBUTES, INT_ATTRIBUTES, module_of

GENERIC_2 = {"stringAttribute": str, "intAttribute": int, "doubleAttribute": float, "dateAttribute": str,
              "uriAttribute": str, "measureAttribute": float}
_GENERIC_3 = {"StringAttribute": str, "IntAttribute": int, "DoubleAttribute": float, "DateAttribute": str,
              "UriAttribute": str, "MeasureAttribute": float, "CodeAttribute": str}
_METRE_UOMS = {"m", "#m", "urn:adv:uom:m", "urn:ogc:def:uom:UCUM::m", "metre", "meter"}
_XAL3_KEYS = {("Country", "NameElement"): "CountryName", ("Locality", "NameElement"): "LocalityName",
              ("Thoroughfare", "NameElement"): "ThoroughfareName", ("Thoroughfare", "Number"): "ThoroughfareNumber",
              ("PostCode", "Identifier"): "PostalCodeNumber", ("AdministrativeArea", "NameElement"):
              "AdministrativeAreaName"}
_SPLIT_CACHE: dict[str, tuple[str, str]] = {}


def split_tag(tag: str) -> tuple[str, str]:
    r = _SPLIT_CACHE.get(tag)
    if r is None:
        if tag[:1] == "{":
            ns, _, ln = tag[1:].partition("}")
        else:
            ns, ln = "", tag
        r = _SPLIT_CACHE[tag] = (ns, ln)
    return r


def add_value(d: dict, key: str, value: Any) -> None:
    """Set ``d[key]``; a repeated key becomes a list."""
    if key in d:
        old = d[key]
        if isinstance(old, list) and key not in _LIST_VALUED:
            old.append(value)
        else:
            d[key] = [old, value]
    else:
        d[key] = value


_LIST_VALUED: set[str] = set()


def _number(text: str) -> Any:
    t = text.strip()
    try:
        return int(t)
    except ValueError:
        pass
    try:
        return float(t)
    except ValueError:
        return t


def typed_value(ln: str, el) -> Any:
    """Value of a simple property, typed by the CityGML schema where known."""
    t = (el.text or "").strip()
    if ln in INT_ATTRIBUTES:
        try:
            return int(float(t))
        except ValueError:
            return t
    if ln in FLOAT_ATTRIBUTES:
        vals = t.split()
        try:
            v: Any = float(vals[0]) if len(vals) == 1 else [float(x) for x in vals]
        except (ValueError, IndexError):
            return t
        uom = el.get("uom")
        if uom and uom not in _METRE_UOMS:
            return {"value": v, "uom": uom}
        return v
    return t


def xml_value(el) -> Any:
    """Any XML element as a JSON value: text (typed when numeric-looking is not guessed) or a dict."""
    children = [c for c in el if isinstance(c.tag, str)]
    if not children:
        h = href(el)
        if h is not None:
            return "#" + h
        t = (el.text or "").strip()
        uom = el.get("uom")
        if uom:
            return {"value": _number(t), "uom": uom}
        return t
    out: dict[str, Any] = {}
    for c in children:
        ns, ln = split_tag(c.tag)
        key = ln if module_of(ns) is not None else f"{c.prefix or ns}:{ln}"
        add_value(out, key, xml_value(c))
    gid = gml_id(el)
    if gid:
        out["gml:id"] = gid
    return out


def generic_attribute_2(el, attrs: dict) -> None:
    """CityGML 1.0/2.0 ``gen:stringAttribute name="..."`` (and sets) into ``attrs``."""
    ln = local(el.tag)
    name = el.get("name") or ln
    if ln == "genericAttributeSet":
        sub: dict[str, Any] = {}
        for c in el:
            if isinstance(c.tag, str):
                generic_attribute_2(c, sub)
        attrs[name] = sub
        return
    conv = GENERIC_2.get(ln, str)
    val = None
    uom = None
    for c in el:
        if isinstance(c.tag, str) and local(c.tag) == "value":
            val = (c.text or "").strip()
            uom = c.get("uom")
    if val is None:
        return
    try:
        v: Any = conv(val) if conv is not str else val
    except ValueError:
        v = val
    add_value(attrs, name, {"value": v, "uom": uom} if uom else v)


def generic_attribute_3(el, attrs: dict) -> None:
    """CityGML 3.0 ``gen:StringAttribute`` / ``gen:GenericAttributeSet`` into ``attrs``."""
    ln = local(el.tag)
    name = None
    val: Any = None
    uom = None
    sub: dict[str, Any] = {}
    for c in el:
        if not isinstance(c.tag, str):
            continue
        cl = local(c.tag)
        if cl == "name":
            name = (c.text or "").strip()
        elif cl == "value":
            val = (c.text or "").strip()
            uom = c.get("uom")
        elif cl == "genericAttribute":
            for g in c:
                if isinstance(g.tag, str):
                    generic_attribute_3(g, sub)
    if name is None:
        return
    if ln == "GenericAttributeSet":
        attrs[name] = sub
        return
    conv = _GENERIC_3.get(ln, str)
    try:
        v: Any = conv(val) if (val is not None and conv is not str) else val
    except ValueError:
        v = val
    add_value(attrs, name, {"value": v, "uom": uom} if uom else v)


def xal_address(prop) -> dict:
    """An xAL 2.0 / 3.0 address as a flat CityJSON address object."""
    out: dict[str, Any] = {}
    for el in prop.iter():
        if not isinstance(el.tag, str):
            continue
        if any(isinstance(c.tag, str) for c in el):
            continue
        t = (el.text or "").strip()
        if not t:
            continue
        ln = local(el.tag)
        par = el.getparent()
        pl = local(par.tag) if par is not None else ""
        key = _XAL3_KEYS.get((pl, ln), ln)
        if ln in ("pos", "posList"):
            continue
        if key in out:
            key = f"{pl}{ln}"
        out[key] = t
    return out


#: see citytwin.io.citygml.write_attributes.VALUE_TYPES_ATTRIBUTE
VALUE_TYPES_ATTRIBUTE = "cityjsonValueTypes"


def apply_value_types(attrs: dict) -> None:
    """Restore the JSON types noted by citytwin's writer (``cityjsonValueTypes``) in ``attrs``.

    ``"boolean"``: ``"true"`` / ``"false"`` back to True / False; ``"json"``: JSON text back to its
    value; ``"list"``: a single value back to a one-element list. Anything that does not match
    is left as read.
    """
    note = attrs.pop(VALUE_TYPES_ATTRIBUTE, None)
    if not isinstance(note, str):
        if note is not None:
            attrs[VALUE_TYPES_ATTRIBUTE] = note
        return
    try:
        kinds = json.loads(note)
    except ValueError:
        attrs[VALUE_TYPES_ATTRIBUTE] = note
        return
    if not isinstance(kinds, dict):
        attrs[VALUE_TYPES_ATTRIBUTE] = note
        return
    for k, kind in kinds.items():
        if k not in attrs:
            continue
        v = attrs[k]
        if kind == "boolean" and v in ("true", "false"):
            attrs[k] = v == "true"
        elif kind == "json" and isinstance(v, str):
            try:
                attrs[k] = json.loads(v)
            except ValueError:
                pass
        elif kind == "list" and not isinstance(v, list):
            attrs[k] = [v]
