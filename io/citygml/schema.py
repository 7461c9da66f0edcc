"""The CityGML XML schemas bundled in ``resources/schemas/citygml``: validation and property order.

* :func:`validate_file` validates a CityGML document offline with lxml: a small wrapper schema
  ``xs:import`` s, for each namespace the document uses, the local XSD whose ``targetNamespace``
  it is (the bundled XSDs import each other by relative paths; nothing reaches the network).
* :func:`property_sequence` gives a class's properties in schema order (following the
  ``xs:extension`` chain down to ``gml:AbstractFeatureType``), which the writer uses to emit
  properties in the order the schema demands, for every class, without a hand-written table.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from citytwin.io.citygml.vocab import GML31, GML32

XS = "http://www.w3.org/2001/XMLSchema"
SCHEMA_DIR = Path(__file__).resolve().parents[2] / "resources" / "schemas" / "citygml"

#: The properties of gml:AbstractFeatureType / AbstractGMLType, per GML version.
_GML_FEATURE = {
    GML31: ["metaDataProperty", "description", "name", "boundedBy", "location"],
    GML32: ["metaDataProperty", "description", "descriptionReference", "identifier", "name", "boundedBy",
            "location"],
}


def _parser():
    from lxml import etree

    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)


@lru_cache(maxsize=1)
def namespace_index() -> dict[str, Path]:
    """targetNamespace -> the main local XSD file of that namespace."""
    from lxml import etree

    out: dict[str, Path] = {}
    preferred = {GML31: SCHEMA_DIR / "gml" / "3.1" / "base" / "gml.xsd",
                 GML32: SCHEMA_DIR / "gml" / "3.2" / "gml.xsd"}
    for p in sorted(SCHEMA_DIR.rglob("*.xsd")):
        try:
            root = etree.parse(str(p), _parser()).getroot()
        except etree.XMLSyntaxError:
            continue
        ns = root.get("targetNamespace")
        if ns and ns not in out:
            out[ns] = p
    out.update({k: v for k, v in preferred.items() if v.exists()})
    return out


@lru_cache(maxsize=16)
def _schema(namespaces: frozenset[str]):
    from lxml import etree

    idx = namespace_index()
    imports = "".join(f'<xs:import namespace="{ns}" schemaLocation="{idx[ns].as_uri()}"/>'
                      for ns in sorted(namespaces) if ns in idx)
    wrapper = (f'<xs:schema xmlns:xs="{XS}" targetNamespace="urn:citytwin:wrapper" '
               f'elementFormDefault="qualified">{imports}</xs:schema>')
    doc = etree.fromstring(wrapper.encode(), _parser(), base_url=SCHEMA_DIR.as_uri() + "/")
    return etree.XMLSchema(doc)


def validate_file(path: str | Path, max_errors: int = 20) -> list[str]:
    """Validate a CityGML file against the bundled XSDs; returns error messages (empty: valid)."""
    from citytwin.io.xml_safe import parse_tree

    tree = parse_tree(path)
    namespaces = {el.tag[1:].split("}")[0] for el in tree.iter() if isinstance(el.tag, str) and el.tag[:1] == "{"}
    unknown = sorted(ns for ns in namespaces if ns not in namespace_index())
    schema = _schema(frozenset(namespaces))
    errors = [] if schema.validate(tree) else [
        f"line {e.line}: {e.message}" for e in list(schema.error_log)[:max_errors]]
    if unknown:
        errors.append(f"namespaces without a bundled schema: {', '.join(unknown)}")
    return errors


# -- property order ---------------------------------------------------------------------------------
@lru_cache(maxsize=4)
def _declarations(version: str):
    """Global elements and complex types of one CityGML version's XSDs."""
    from lxml import etree

    elements: dict[tuple[str, str], object] = {}
    types: dict[tuple[str, str], object] = {}
    for p in sorted((SCHEMA_DIR / "citygml" / version).glob("*.xsd")):
        root = etree.parse(str(p), _parser()).getroot()
        tns = root.get("targetNamespace")
        for el in root:
            if el.tag == f"{{{XS}}}element" and el.get("name"):
                elements[(tns, el.get("name"))] = el
            elif el.tag == f"{{{XS}}}complexType" and el.get("name"):
                types[(tns, el.get("name"))] = el
    return elements, types


def _qname(el, text: str) -> tuple[str, str]:
    prefix, _, name = text.rpartition(":")
    return el.nsmap.get(prefix or None), name


def property_sequence(version: str, ns: str, element: str) -> list[tuple[str, str, tuple[str, str] | None]]:
    """Properties of a CityGML class in schema order.

    Returns
    -------
    list of (namespace, local name, type qname or None) from the base type down.
    """
    return list(_sequence(version, ns, element))


@lru_cache(maxsize=256)
def _sequence(version: str, ns: str, element: str) -> tuple:
    elements, types = _declarations(version)
    decl = elements.get((ns, element))
    if decl is None or decl.get("type") is None:
        return ()
    tq = _qname(decl, decl.get("type"))
    return tuple(_type_sequence(version, tq))


def _type_sequence(version: str, tq: tuple[str, str]) -> list:
    elements, types = _declarations(version)
    if tq[0] in (GML31, GML32):
        gml = tq[0]
        return [(gml, n, None) for n in _GML_FEATURE[gml]]
    ct = types.get(tq)
    if ct is None:
        return []
    out: list = []
    for ext in ct.iter(f"{{{XS}}}extension"):
        out.extend(_type_sequence(version, _qname(ext, ext.get("base"))))
        for e in ext.findall(f"{{{XS}}}sequence/{{{XS}}}element"):
            if e.get("ref"):
                rns, rname = _qname(e, e.get("ref"))
                rd = elements.get((rns, rname))
                t = _qname(rd, rd.get("type")) if rd is not None and rd.get("type") else None
                out.append((rns, rname, t))
            elif e.get("name"):
                tns = ct.getroottree().getroot().get("targetNamespace")
                t = _qname(e, e.get("type")) if e.get("type") else None
                out.append((tns, e.get("name"), t))
        break
    return out
