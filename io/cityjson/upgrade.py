"""Upgrade CityJSON 1.0 and 1.1 documents to 2.0 semantics, in place.

The rules are cjio's (``CityJSON.upgrade_version_v10_v11`` and ``upgrade_version_v11_v20``),
with one difference: 1.0 metadata members that 1.1 dropped are kept (renamed ones renamed),
because we never lose information; and we do not quantise here (the writer does).
"""

from __future__ import annotations

from typing import Any

SUPPORTED_VERSIONS = ("1.0", "1.1", "2.0")

_V11_METADATA = {
    "citymodelIdentifier": "identifier",
    "datasetPointOfContact": "pointOfContact",
    "datasetTitle": "title",
    "datasetReferenceDate": "referenceDate",
}


def upgrade_document(doc: dict[str, Any]) -> list[str]:
    """Upgrade ``doc`` to CityJSON 2.0 in place; returns notes on what changed."""
    notes: list[str] = []
    v = str(doc.get("version", ""))[:3]
    if v == "1.0":
        _v10_v11(doc, notes)
        v = "1.1"
    if v == "1.1":
        _v11_v20(doc, notes)
    doc["version"] = "2.0"
    return notes


def _v10_v11(doc: dict, notes: list[str]) -> None:
    cos = doc.get("CityObjects") or {}
    for oid, co in cos.items():
        if not isinstance(co, dict):
            continue
        for g in co.get("geometry") or []:
            if isinstance(g, dict) and g.get("type") != "GeometryInstance" and "lod" in g:
                g["lod"] = _lod_str(g["lod"])
        if co.get("type") == "CityObjectGroup" and "members" in co:
            co["children"] = co.pop("members")
            for ch in co["children"]:
                child = cos.get(ch)
                if isinstance(child, dict):
                    parents = child.setdefault("parents", [])
                    if oid not in parents:
                        parents.append(oid)
        if co.get("type") == "BridgeConstructionElement":
            co["type"] = "BridgeConstructiveElement"
        if "address" in co and isinstance(co["address"], dict):
            co["address"] = [co["address"]]
        if "geometry" in co and isinstance(co["geometry"], list) and not co["geometry"]:
            del co["geometry"]
    gt = doc.get("geometry-templates")
    if isinstance(gt, dict):
        for t in gt.get("templates") or []:
            if isinstance(t, dict) and "lod" in t:
                t["lod"] = _lod_str(t["lod"])
    meta = doc.get("metadata")
    if isinstance(meta, dict):
        for old, new in _V11_METADATA.items():
            if old in meta:
                meta[new] = meta.pop(old)
    ext = doc.get("extensions")
    if isinstance(ext, dict):
        for k, val in list(ext.items()):
            if isinstance(val, str):
                ext[k] = {"url": val, "version": "0.1"}
    notes.append("upgraded from CityJSON 1.0 to 2.0")


def _v11_v20(doc: dict, notes: list[str]) -> None:
    meta = doc.get("metadata")
    if isinstance(meta, dict):
        poc = meta.get("pointOfContact")
        if isinstance(poc, dict) and isinstance(poc.get("address"), str):
            poc["address"] = {"address": poc["address"]}
    ext = doc.get("extensions") or {}
    gen = ext.get("Generic") if isinstance(ext, dict) else None
    cos = doc.get("CityObjects") or {}
    has_plus_generic = any(isinstance(c, dict) and c.get("type") == "+GenericCityObject" for c in cos.values())
    if has_plus_generic and (gen is None or "generic.ext.json" in str(gen.get("url", ""))):
        for co in cos.values():
            if isinstance(co, dict) and co.get("type") == "+GenericCityObject":
                co["type"] = "GenericCityObject"
        if gen is not None:
            del ext["Generic"]
        notes.append("\"+GenericCityObject\" (1.1 extension) became \"GenericCityObject\" (2.0)")
    if not any(n.startswith("upgraded") for n in notes):
        notes.append("upgraded from CityJSON 1.1 to 2.0")


def _lod_str(lod: Any) -> str:
    if isinstance(lod, float) and lod.is_integer():
        return str(int(lod))
    return str(lod)
