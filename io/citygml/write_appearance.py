"""CityGML writer, appearance: materials (``app:X3DMaterial``) and textures
(``app:ParameterizedTexture``) of an object's surfaces, per theme.

The appearance half of :mod:`citytwin.io.citygml.writer`, as :mod:`citytwin.io.citygml.appearance`
is the reader's. Texture images are referenced by the relative paths the model holds; copying
them is not the writer's job.
"""

from __future__ import annotations

from xml.sax.saxutils import escape

import numpy as np

from citytwin.semantics.geometry import Geometry
from citytwin.semantics.model import CityModel


def collect_appearance(model: CityModel, g: Geometry, pid: list[str], app: dict) -> None:
    """Add the materials and textures of ``g`` (``pid``: its polygons' gml:ids) to ``app``:
    ``{theme: {"mat": {material: [polygon ids]}, "tex": {texture: [(polygon id, rings)]}}}``."""
    for theme, mm in g.materials.items():
        t = app.setdefault(theme, {"mat": {}, "tex": {}})
        for j, v in enumerate(mm.values.tolist()):
            if v >= 0:
                t["mat"].setdefault(v, []).append(pid[j])
    uvs = model.appearance.texture_vertices
    for theme, tm in g.textures.items():
        t = app.setdefault(theme, {"mat": {}, "tex": {}})
        for j in range(g.n_surfaces):
            r0, r1 = g.surface_offsets[j], g.surface_offsets[j + 1]
            tex = tm.ring_texture[r0]
            if tex < 0:
                continue
            rings = []
            for k in range(r0, r1):
                a, b = g.ring_offsets[k], g.ring_offsets[k + 1]
                uv = tm.uv[a:b]
                if (uv < 0).any():
                    break
                c = uvs[uv]
                c = np.vstack([c, c[:1]])
                rings.append((f"{pid[j]}_{k - r0}", " ".join(f"{x:.6g}" for x in c.ravel().tolist())))
            else:
                t["tex"].setdefault(int(tex), []).append((pid[j], rings))


def appearance_properties(model: CityModel, version: str, app: dict, slot: int, props: list) -> None:
    """One ``app:Appearance`` per theme of ``app`` (:func:`collect_appearance`) as properties at
    schema position ``slot``: X3D materials and parameterized textures targeting the polygons."""
    mats, texs = model.appearance.materials, model.appearance.textures
    sdm = "app:surfaceData" if version == "3.0" else "app:surfaceDataMember"
    for theme, t in app.items():
        items = []
        for mi, targets in sorted(t["mat"].items()):
            mat = mats[mi]
            parts = []
            for k in ("ambientIntensity", "diffuseColor", "emissiveColor", "specularColor", "shininess",
                      "transparency"):
                if k in mat:
                    val = mat[k]
                    s = " ".join(repr(float(x)) for x in val) if isinstance(val, list) else repr(float(val))
                    parts.append(f"<app:{k}>{s}</app:{k}>")
            if "isSmooth" in mat:
                parts.append(f"<app:isSmooth>{'true' if mat['isSmooth'] else 'false'}</app:isSmooth>")
            parts.extend(f"<app:target>#{p}</app:target>" for p in targets)
            items.append(f"<{sdm}><app:X3DMaterial>{''.join(parts)}</app:X3DMaterial></{sdm}>")
        for ti, targets in sorted(t["tex"].items()):
            tex = texs[ti]
            img = tex.get("image", "")
            parts = [f"<app:imageURI>{escape(img)}</app:imageURI>"]
            mime = "image/png" if img.lower().endswith(".png") else "image/jpeg"
            parts.append(f"<app:mimeType>{mime}</app:mimeType>")
            if tex.get("textureType") in ("specific", "typical", "unknown"):
                parts.append(f"<app:textureType>{tex['textureType']}</app:textureType>")
            if tex.get("wrapMode") in ("none", "wrap", "mirror", "clamp", "border"):
                parts.append(f"<app:wrapMode>{tex['wrapMode']}</app:wrapMode>")
            bc = tex.get("borderColor")
            if isinstance(bc, list) and len(bc) == 4:
                parts.append(f"<app:borderColor>{' '.join(repr(float(x)) for x in bc)}</app:borderColor>")
            for poly, rings in targets:
                if version == "3.0":
                    coords = "".join(f"<app:textureCoordinates>{c}</app:textureCoordinates>" for _, c in rings) \
                        + "".join(f"<app:ring>#{rid}</app:ring>" for rid, _ in rings)
                    parts.append(f"<app:textureParameterization><app:TextureAssociation><app:target>#{poly}"
                                 f"</app:target><app:textureParameterization><app:TexCoordList>{coords}"
                                 "</app:TexCoordList></app:textureParameterization></app:TextureAssociation>"
                                 "</app:textureParameterization>")
                else:
                    coords = "".join(f'<app:textureCoordinates ring="#{rid}">{c}</app:textureCoordinates>'
                                     for rid, c in rings)
                    parts.append(f'<app:target uri="#{poly}"><app:TexCoordList>{coords}</app:TexCoordList>'
                                 "</app:target>")
            items.append(f"<{sdm}><app:ParameterizedTexture>{''.join(parts)}</app:ParameterizedTexture></{sdm}>")
        if items:
            wrap = "core:appearance" if version == "3.0" else "app:appearance"
            props.append((slot, f"<{wrap}><app:Appearance><app:theme>{escape(theme)}</app:theme>"
                          f"{''.join(items)}</app:Appearance></{wrap}>"))
