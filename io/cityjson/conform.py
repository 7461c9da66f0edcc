"""What the CityJSON 2.0 schema accepts, and how the writer makes the rest fit, saying so.

The model holds what the input held (a CityGML 3.0 ``GenericThematicSurface``, a CityJSON 0.2
material, a misspelt city object type), so a CityGML round trip loses nothing; the CityJSON writer
passes each of those through these functions, which return what CityJSON 2.0 can hold and count
what they changed. The writer turns the counts into one ``warning`` per kind (never one per
surface). A test validates the corpus outputs against the official schemas
(``resources/schemas/cityjson/2.0``), so a new kind of invalid output fails it.

Decisions
---------
- Semantic surface types are a fixed list in CityJSON 2.0; an extension type ``+Name`` is valid
  only when an extension defines it. A type outside the list (``GenericThematicSurface``: CityGML
  3.0's "a thematic surface of no particular kind") is written as a surface *without* semantics
  (its value ``null``), which is what a generic surface means, and its semantic attributes are
  dropped, with a warning. ``+Name`` types read from a file are kept as they were.
- A city object type outside CityJSON 2.0 and not ``+Name`` (a typo such as ``Buildng``) is
  written as ``GenericCityObject`` (which accepts every geometry), with a warning naming the
  original type; the reader already lists it as a problem.
- Material and texture members outside the schema (e.g. the OBJ-style ``ambient``/``diffuse``/
  ``specular`` of CityJSON 0.x) are renamed when the meaning is the same (``diffuse`` ->
  ``diffuseColor``, ``specular`` -> ``specularColor``, ``emissive`` -> ``emissiveColor``) and
  dropped otherwise, with a warning.
"""

from __future__ import annotations

import re
from collections import Counter
from typing import Any

from citytwin.semantics.surfaces import CITYJSON_OBJECT_TYPES, CITYJSON_SEMANTIC_TYPES

#: members of a CityJSON 2.0 Material (appearance.schema.json, additionalProperties false)
MATERIAL_MEMBERS = frozenset({"name", "ambientIntensity", "diffuseColor", "emissiveColor",
                              "specularColor", "shininess", "transparency", "isSmooth"})
#: members of a CityJSON 2.0 Texture
TEXTURE_MEMBERS = frozenset({"type", "image", "wrapMode", "textureType", "borderColor"})
#: same meaning, older (CityJSON 0.x / OBJ-style) name -> 2.0 name; RGB triplets both
_MATERIAL_RENAMES = {"diffuse": "diffuseColor", "specular": "specularColor", "emissive": "emissiveColor"}

_EXTENSION_RE = re.compile(r"^\+\w+$")


def is_extension_type(name: str) -> bool:
    """True for an extension type name (``+Name``) as the CityJSON 2.0 schema's pattern allows."""
    return bool(_EXTENSION_RE.match(name))


def semantic_type_ok(name: str) -> bool:
    """True when CityJSON 2.0 accepts ``name`` as a semantic surface type."""
    return name in CITYJSON_SEMANTIC_TYPES or is_extension_type(name)


def object_type(name: str) -> str:
    """The type to write for a city object of type ``name``: itself, or ``GenericCityObject``."""
    return name if name in CITYJSON_OBJECT_TYPES or is_extension_type(name) else "GenericCityObject"


class Conformer:
    """Counts what was changed to fit CityJSON 2.0 while one model is written.

    Attributes
    ----------
    semantics : Counter of semantic types written as surfaces without semantics -> surfaces
    objects : Counter of city object types written as GenericCityObject -> objects
    members : Counter of (kind, member) renamed or dropped in materials/textures -> occurrences
    """

    def __init__(self) -> None:
        self.semantics: Counter[str] = Counter()
        self.objects: Counter[str] = Counter()
        self.members: Counter[tuple[str, str, str]] = Counter()

    def semantics_map(self, surfaces: list[dict], values: list[int]) -> tuple[list[dict], list[int]]:
        """Remove semantic surface objects whose type CityJSON 2.0 does not accept.

        Parameters
        ----------
        surfaces : the geometry's semantic surface objects (``{"type": ..., ...}``)
        values : per-surface index into ``surfaces``, -1 for none, shape (n_surfaces,)

        Returns
        -------
        (surfaces, values) with the rejected objects removed and their surfaces set to -1;
        the inputs themselves when nothing changes.
        """
        bad = [i for i, s in enumerate(surfaces) if not semantic_type_ok(str(s.get("type", "")))]
        if not bad:
            return surfaces, values
        keep = [i for i in range(len(surfaces)) if i not in set(bad)]
        new_index = {old: new for new, old in enumerate(keep)}
        out = []
        for v in values:
            if v is not None and v >= 0 and v not in new_index:
                self.semantics[str(surfaces[v].get("type", ""))] += 1
            out.append(new_index.get(v, -1) if v is not None and v >= 0 else -1)
        # "parent"/"children" of semantic objects refer to indices: remap, dropping removed ones
        kept = []
        for old in keep:
            s = dict(surfaces[old])
            if "parent" in s:
                if s["parent"] in new_index:
                    s["parent"] = new_index[s["parent"]]
                else:
                    del s["parent"]
            if "children" in s:
                ch = [new_index[c] for c in s["children"] if c in new_index]
                if ch:
                    s["children"] = ch
                else:
                    del s["children"]
            kept.append(s)
        return kept, out

    def object_type(self, name: str) -> str:
        new = object_type(name)
        if new != name:
            self.objects[name] += 1
        return new

    def materials(self, materials: list[Any]) -> list[Any]:
        return [self._members(m, "material", MATERIAL_MEMBERS, _MATERIAL_RENAMES) for m in materials]

    def textures(self, textures: list[Any]) -> list[Any]:
        return [self._members(t, "texture", TEXTURE_MEMBERS, {}) for t in textures]

    def _members(self, d: Any, kind: str, allowed: frozenset[str], renames: dict[str, str]) -> Any:
        if not isinstance(d, dict) or (all(k in allowed for k in d) and (kind != "material" or "name" in d)):
            return d
        out = {}
        for k, v in d.items():
            if k in allowed:
                out[k] = v
            elif k in renames and renames[k] not in d:
                out[renames[k]] = v
                self.members[(kind, k, f"renamed {renames[k]!r}")] += 1
            else:
                self.members[(kind, k, "dropped")] += 1
        if kind == "material" and "name" not in out:
            out["name"] = ""
        return out

    def messages(self) -> list[str]:
        """One sentence per kind of change, for ``warning:`` lines."""
        msgs = []
        for t, n in sorted(self.semantics.items()):
            msgs.append(f"{n} surface(s) of semantic type {t!r} written without semantics (CityJSON 2.0 "
                        "has no such semantic type; their semantic attributes are not written)")
        for t, n in sorted(self.objects.items()):
            msgs.append(f"{n} city object(s) of unknown type {t!r} written as GenericCityObject "
                        "(CityJSON 2.0 has no such type)")
        for (kind, k, what), n in sorted(self.members.items()):
            msgs.append(f"{kind} member {k!r} is not CityJSON 2.0: {what} in {n} {kind}(s)")
        return msgs
