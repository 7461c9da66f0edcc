"""Mesh reader (OBJ + MTL + textures, PLY, glTF/GLB, STL) through trimesh, into a CityModel.

Each mesh of the file becomes one ``GenericCityObject`` with an LoD 3 ``MultiSurface`` of its
triangles (unstructured: :mod:`citytwin.semantics.mesh_labels` turns it into buildings, roofs
and walls). Conventions:

- ``up``: glTF/GLB are Y-up by specification and are turned Z-up; OBJ/PLY/STL are taken as Z-up
  unless ``up="y"`` (photogrammetry exports differ: the user says which); ``"-y"`` and ``"-z"``
  turn scans whose up is minus Y or minus Z (a camera frame, an upside-down scan) about the x axis;
- ``offset`` (E, N, H) is added after that (a georeferencing shift), ``crs`` is assigned;
- OBJ textures: the MTL ``map_Kd`` image of each material becomes a model texture with the
  mesh's UVs; a missing MTL or image loads untextured with a warning. glTF/GLB base-colour
  textures (embedded in the GLB buffer, data URIs or files beside a .gltf) are kept the same
  way: the original image bytes are written to a temporary folder that becomes
  ``appearance.base_path`` (:mod:`citytwin.io.gltf.images`), so converting copies them beside
  the output like an OBJ's images;
- triangles with non-finite or out-of-range vertices and zero-area triangles are dropped and
  counted in ``model.problems``; a file with no triangle at all is an InputError;
- ``decimate``: target triangle count for very large meshes (open3d quadric decimation).
"""

from __future__ import annotations

import json
import math
import re
from pathlib import Path
from typing import Any

import numpy as np

from citytwin.errors import InputError, ProblemLog
from citytwin.semantics.crs import CRS
from citytwin.semantics.geometry import Geometry, MaterialMap, TextureMap
from citytwin.semantics.model import CityModel, CityObject

#: glTF Y-up -> Z-up: (x, y, z) -> (x, -z, y)
Y_UP_TO_Z_UP = np.array([[1.0, 0.0, 0.0], [0.0, 0.0, -1.0], [0.0, 1.0, 0.0]])
#: Rotations to Z-up of files whose up is -Y or -Z (scans in a camera frame: Y down, or Z down),
#: turning about the x axis (right-handed, determinant +1): (x, y, z) -> (x, z, -y), (x, -y, -z)
DOWN_TO_Z_UP = {"-y": np.array([[1.0, 0.0, 0.0], [0.0, 0.0, 1.0], [0.0, -1.0, 0.0]]),
                "-z": np.array([[1.0, 0.0, 0.0], [0.0, -1.0, 0.0], [0.0, 0.0, -1.0]])}


def _mtl_images(path: Path, problems: ProblemLog) -> dict[str, str]:
    """Material name -> texture image path (relative to the OBJ folder) from the OBJ's MTL files."""
    out: dict[str, str] = {}
    try:
        text = path.read_text(errors="replace")
    except OSError:
        return out
    from citytwin.io.safe_io import read_input_bytes, resolve_reference

    for lib in re.findall(r"^\s*mtllib\s+(.+?)\s*$", text, re.MULTILINE):
        mtl, why = resolve_reference(path.parent, lib)
        if mtl is None:  # missing, outside the OBJ's folder, a FIFO or a device
            problems.report(None, f"material library {why}; loaded untextured")
            continue
        name = None
        try:
            mtl_text = read_input_bytes(mtl, MAX_SIDE_FILE_BYTES).decode("utf-8", "replace")
        except InputError as exc:
            problems.report(None, f"material library {lib!r} not read: {exc.message}; loaded untextured")
            continue
        for line in mtl_text.splitlines():
            parts = line.strip().split(None, 1)
            if len(parts) < 2:
                continue
            if parts[0] == "newmtl":
                name = parts[1].strip()
            elif parts[0].lower() == "map_kd" and name is not None:
                img = parts[1].strip().split()[-1] if " -" in f" {parts[1]}" else parts[1].strip()
                if (path.parent / img).exists():
                    out[name] = img
                else:
                    problems.report(None, f"texture image {img!r} of material {name!r} not found; "
                                          "that material is loaded untextured")
    return out


#: the largest side file (MTL, texture image, glTF buffer) read, bytes
MAX_SIDE_FILE_BYTES = 512 * 2**20


def safe_resolver(path: Path):
    """A trimesh resolver that reads only regular files inside ``path``'s folder (or an allowed
    root, :func:`citytwin.io.safe_io.resolve_reference`), of at most :data:`MAX_SIDE_FILE_BYTES`:
    trimesh's own resolver opens whatever an ``mtllib`` or an image URI names (``/dev/zero``,
    ``../../etc``, a FIFO) and swallows even MemoryError while reading it."""
    from trimesh.resolvers import FilePathResolver

    from citytwin.io.safe_io import read_input_bytes, resolve_reference

    class _SafeResolver(FilePathResolver):
        def get(self, name: str) -> bytes:
            real, why = resolve_reference(self.parent, name)
            if real is None:
                raise OSError(why)
            try:
                return read_input_bytes(real, MAX_SIDE_FILE_BYTES)
            except InputError as exc:
                raise OSError(str(exc)) from None

        def namespaced(self, namespace: str):
            return _SafeResolver(str(Path(self.parent) / namespace))

    return _SafeResolver(str(path))


def load_triangle_meshes(path: Path, problems: ProblemLog) -> list[Any]:
    """trimesh meshes of a file with scene transforms applied; InputError when none can be read."""
    import io
    import logging

    import trimesh

    from citytwin.io.safe_io import read_input_bytes

    logging.getLogger("trimesh").setLevel(logging.ERROR)
    data = read_input_bytes(path)
    try:
        kw = {"split_objects": True} if path.suffix.lower() == ".obj" else {}
        scene = trimesh.load(io.BytesIO(data), file_type=path.suffix.lower().lstrip("."), force="scene",
                             process=False, resolver=safe_resolver(path), **kw)
        meshes = scene.dump(concatenate=False) if hasattr(scene, "dump") else [scene]
    except Exception as exc:  # trimesh raises many types for broken files
        msg = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        if path.suffix.lower() == ".obj":
            from citytwin.io.meshfiles.obj_check import obj_index_problem

            msg = obj_index_problem(path) or msg
        raise InputError(path, f"cannot be read as a mesh ({msg})") from None
    return [m for m in meshes if isinstance(m, trimesh.Trimesh) and len(m.faces)]


def obj_object_names(path: Path, meshes: list[Any]) -> list[str | None] | None:
    """The OBJ object (``o`` line) of each trimesh mesh, or None when the file has no ``o`` line.

    trimesh, with ``split_objects``, names a mesh ``<object>`` or ``<object>_<material>``; the
    longest object name that is the mesh's name or its prefix before ``_`` wins; a mesh that
    matches none stays its own object (None).
    """
    try:
        names = {m.decode("utf-8", "replace").strip()
                 for m in re.findall(rb"^o[ \t]+([^\r\n]+)", path.read_bytes(), flags=re.M)}
    except OSError:
        return None
    if not names:
        return None
    ordered = sorted(names, key=len, reverse=True)
    out: list[str | None] = []
    for m in meshes:
        mesh_name = str(m.metadata.get("name") or "")
        out.append(next((o for o in ordered if mesh_name == o or mesh_name.startswith(o + "_")), None))
    return out


def clean_triangles(verts: np.ndarray, faces: np.ndarray) -> tuple[np.ndarray, int]:
    """Keep faces with in-range, finite, non-degenerate corners; returns (mask, dropped count)."""
    faces = np.asarray(faces, dtype=np.int64).reshape(-1, 3)
    ok = np.all((faces >= 0) & (faces < len(verts)), axis=1)
    f = np.where(ok[:, None], faces, 0)
    p = verts[f] if len(verts) else np.zeros((len(f), 3, 3))
    ok &= np.all(np.isfinite(p), axis=(1, 2))
    area2 = np.linalg.norm(np.cross(p[:, 1] - p[:, 0], p[:, 2] - p[:, 0]), axis=1)
    ok &= area2 > 1e-12
    return ok, int((~ok).sum())


def read_mesh(path: str | Path, up: str = "auto", offset: tuple[float, float, float] = (0.0, 0.0, 0.0),
              crs: str | None = None, decimate: int | None = None) -> CityModel:
    """Read a mesh file into a CityModel (see the module docstring).

    Parameters
    ----------
    up : "auto" (glTF Y-up, others Z-up), "y", "z", "-y" or "-z"
    offset : (3,) metres added to every vertex after the up-axis change; for a glTF written by
        citytwin (``asset.extras.citytwin``) with ``up="auto"`` and no offset, the recorded origin
    crs : CRS of the (shifted) coordinates (default for such a glTF: the recorded CRS)
    decimate : target number of triangles per mesh (open3d), or None
    """
    path = Path(path)
    if up not in ("auto", "y", "z", *DOWN_TO_Z_UP):
        raise InputError(path, f"up axis {up!r}: choose auto, z, y, -z or -y")
    problems = ProblemLog()
    suffix = path.suffix.lower()
    images = _mtl_images(path, problems) if suffix == ".obj" else {}
    meshes = load_triangle_meshes(path, problems)
    y_up = up == "y" or (up == "auto" and suffix in (".gltf", ".glb"))
    gdoc = _gltf_document(path) if suffix in (".glb", ".gltf") else None
    mesh_images, image_base = (_gltf_textures(path, meshes, problems, gdoc) if gdoc is not None
                               else (None, None))
    frame = _citytwin_frame(gdoc[0]) if gdoc is not None and up == "auto" else None
    if frame is not None and not any(offset):
        offset, recorded_crs = frame
        crs = crs or recorded_crs
    object_of = obj_object_names(path, meshes) if suffix == ".obj" else None
    model = models_from_meshes(meshes, path, problems, y_up, np.asarray(offset, dtype=np.float64),
                               images, decimate, mesh_images=mesh_images, image_base=image_base,
                               object_of=object_of, rotation=DOWN_TO_Z_UP.get(up))
    if crs:
        model.crs = CRS.parse(crs)
    model.source = {"path": str(path), "format": "mesh", "version": suffix.lstrip("."),
                    "mesh_up_axis": up if up in DOWN_TO_Z_UP else ("y" if y_up else "z"), "mesh_offset": [float(x) for x in offset]}
    return model


def _gltf_document(path: Path) -> tuple[dict, bytes | None] | None:
    """The JSON document and binary chunk of a .glb / .gltf, or None for an exotic variant
    (trimesh read it: geometry only)."""
    import json

    from citytwin.io.gltf.images import split_glb

    try:
        data = path.read_bytes()
        doc, binary = split_glb(data) if data[:4] == b"glTF" else (json.loads(data.decode("utf-8")), None)
    except (OSError, ValueError, UnicodeDecodeError):
        return None
    return (doc, binary) if isinstance(doc, dict) else None


def _citytwin_frame(doc: dict) -> tuple[tuple[float, float, float], str | None] | None:
    """(origin, CRS) recorded by citytwin's glTF writer in ``asset.extras.citytwin`` (positions are
    Y-up offsets from ``origin`` in the model CRS), or None when absent or malformed."""
    ct = ((doc.get("asset") or {}).get("extras") or {}).get("citytwin") if isinstance(doc.get("asset"), dict) \
        else None
    if not isinstance(ct, dict) or str(ct.get("up", "Y")).upper() != "Y":
        return None
    o = ct.get("origin")
    try:
        origin = tuple(float(x) for x in o)
    except (TypeError, ValueError):
        return None
    if len(origin) != 3 or not all(math.isfinite(x) for x in origin):
        return None
    crs = ct.get("crs")
    return origin, (crs if isinstance(crs, str) and crs else None)


def _gltf_textures(path: Path, meshes: list[Any], problems: ProblemLog,
                   gdoc: tuple[dict, bytes | None]) -> tuple[list[str | None] | None, str | None]:
    """Image file name per mesh and the folder holding them, for a .glb / .gltf (see gltf_images)."""
    from citytwin.io.gltf.images import texture_images_of

    doc, binary = gdoc
    folder, names = texture_images_of(doc, binary, path.parent, meshes, path.stem, problems)
    return (names, folder) if names else (None, None)


def models_from_meshes(meshes: list[Any], path: Path, problems: ProblemLog, y_up: bool,
                       offset: np.ndarray, images: dict[str, str] | None = None,
                       decimate: int | None = None, lod: str = "3",
                       mesh_images: list[str | None] | None = None, image_base: str | None = None,
                       object_of: list[str | None] | None = None,
                       mesh_attributes: list[dict[str, Any]] | None = None,
                       rotation: np.ndarray | None = None) -> CityModel:
    """One GenericCityObject per trimesh mesh (or per ``object_of`` name); InputError when no
    valid triangle remains. ``rotation`` (3, 3), applied after the Y-up turn and before the
    offset, turns a file whose up is -Y or -Z upright (:data:`DOWN_TO_Z_UP`).

    Textures: ``images`` maps OBJ material names to image paths relative to the input's folder;
    ``mesh_images`` gives the image of each mesh directly (glTF), relative to ``image_base``.
    ``object_of``: the object name of each mesh (an OBJ ``o`` split per material into several
    meshes); meshes with the same name become one object whose MultiSurface holds all their
    triangles, each keeping its own texture. ``None`` entries stay one object per mesh.
    ``mesh_attributes``: extra attributes of each mesh's object (e.g. a b3dm batch table row).
    """
    model = CityModel(problems=problems)
    model.appearance.base_path = image_base or str(path.parent)
    images = images or {}
    tex_index: dict[str, int] = {}
    mat_index: dict[str, int] = {}
    uv_parts: list[np.ndarray] = []
    n_uv = 0
    parts: list[np.ndarray] = []
    n = 0
    # object id -> pieces: (faces (m, 3) global, texture index or -1, uv faces (m, 3) or None,
    # material index or -1)
    pieces: dict[str, list[tuple[np.ndarray, int, np.ndarray | None, int]]] = {}
    attrs: dict[str, dict[str, Any]] = {}
    for k, m in enumerate(meshes):
        if decimate and len(m.faces) > decimate:
            m = _decimate(m, decimate)
        v = np.asarray(m.vertices, dtype=np.float64)
        f = np.asarray(m.faces, dtype=np.int64)
        if v.ndim != 2 or v.shape[1] != 3:  # e.g. an OBJ vertex with two coordinates (trimesh keeps them)
            raise InputError(path, f"vertices are not (x, y, z): a vertex has {v.shape[-1] if v.ndim == 2 else '?'} "
                             "coordinates")
        ok, dropped = clean_triangles(v, f)
        group = object_of[k] if object_of is not None else None
        if group is not None and group in pieces:
            oid = group
        else:
            name = group or str(m.metadata.get("name") or f"mesh-{k}")
            oid = name if name not in model.objects and name not in pieces else f"{name}-{k}"
        if dropped:
            problems.report(oid, f"{dropped} degenerate or broken triangles dropped")
        f = f[ok]
        if not len(f):
            continue
        if y_up:
            v = v @ Y_UP_TO_Z_UP.T
        if rotation is not None:
            v = v @ rotation.T
        v = v + offset
        mat = getattr(getattr(m.visual, "material", None), "name", None)
        uv = getattr(m.visual, "uv", None)
        img = mesh_images[k] if mesh_images is not None else images.get(mat)
        tex, uvf = -1, None
        if img is not None and uv is not None and len(uv) == len(m.vertices):
            if img not in tex_index:
                tex_index[img] = len(model.appearance.textures)
                model.appearance.textures.append({"type": "PNG" if img.lower().endswith(".png") else "JPG",
                                                  "image": img})
            tex, uvf = tex_index[img], f + n_uv
            uv_parts.append(np.asarray(uv, dtype=np.float64)[:, :2])
            n_uv += len(uv)
        if oid not in pieces:
            attrs[oid] = {"source": path.name, **(mesh_attributes[k] if mesh_attributes is not None else {})}
        matd = cityjson_material(getattr(m.visual, "material", None), k)
        mi = -1
        if matd is not None:
            key = json.dumps(matd, sort_keys=True)
            if key not in mat_index:
                mat_index[key] = len(model.appearance.materials)
                model.appearance.materials.append(matd)
            mi = mat_index[key]
        pieces.setdefault(oid, []).append((f + n, tex, uvf, mi))
        parts.append(v)
        n += len(v)
    if not parts:
        raise InputError(path, "contains no valid triangle (empty, points or lines only, or broken indices)")
    for oid, obj_pieces in pieces.items():
        model.objects[oid] = CityObject(oid, "GenericCityObject", attrs[oid],
                                        geometry=[_triangle_surfaces(obj_pieces, lod)])
    model.vertices = np.concatenate(parts)
    if uv_parts:
        model.appearance.texture_vertices = np.concatenate(uv_parts)
        model.appearance.default_theme_texture = "default"
    if model.appearance.materials:
        model.appearance.default_theme_material = "default"
    model.touch()
    return model


def _triangle_surfaces(pieces: list[tuple[np.ndarray, int, np.ndarray | None, int]], lod: str) -> Geometry:
    """One MultiSurface of triangles from (faces (m, 3), texture index or -1, uv faces or None,
    material index or -1) pieces; textured (with a material) when any piece is (others get -1)."""
    f = np.concatenate([p[0] for p in pieces])
    count = len(f)
    g = Geometry(type="MultiSurface", lod=lod, indices=f.ravel(),
                 ring_offsets=np.arange(0, 3 * count + 1, 3, dtype=np.int64),
                 surface_offsets=np.arange(count + 1, dtype=np.int64))
    if any(p[1] >= 0 for p in pieces):
        ring_tex = np.concatenate([np.full(len(p[0]), p[1], dtype=np.int32) for p in pieces])
        uv = np.concatenate([(p[2] if p[2] is not None else np.full(p[0].shape, -1)).ravel()
                             for p in pieces]).astype(np.int32)
        g.textures["default"] = TextureMap(ring_tex, uv)
    if any(p[3] >= 0 for p in pieces):
        vals = np.concatenate([np.full(len(p[0]), p[3], dtype=np.int32) for p in pieces])
        g.materials["default"] = MaterialMap(vals, uniform=bool((vals == vals[0]).all()))
    return g


def cityjson_material(mat: Any, k: int) -> dict | None:
    """A CityJSON material (X3D) from a trimesh material, or None when it carries no colour.

    glTF (``PBRMaterial``): ``baseColorFactor`` RGB -> ``diffuseColor``, its alpha ->
    ``transparency`` (1 - alpha), ``emissiveFactor`` -> ``emissiveColor``; OBJ/MTL
    (``SimpleMaterial``): Kd -> ``diffuseColor``, Ks -> ``specularColor``, d -> ``transparency``.
    trimesh holds colours as 8-bit, so values are multiples of 1/255.
    """
    if mat is None:
        return None
    out: dict[str, Any] = {"name": str(getattr(mat, "name", None) or f"material-{k}")}
    base = getattr(mat, "baseColorFactor", None)
    diffuse = base if base is not None else getattr(mat, "diffuse", None)
    if diffuse is None:
        return None
    rgba = np.asarray(diffuse, dtype=np.float64).ravel()
    if rgba.max() > 1.0 or np.asarray(diffuse).dtype == np.uint8:
        rgba = rgba / 255.0
    out["diffuseColor"] = [round(float(x), 6) for x in rgba[:3]]
    if len(rgba) > 3 and rgba[3] < 1.0:
        out["transparency"] = round(1.0 - float(rgba[3]), 6)
    em = getattr(mat, "emissiveFactor", None)
    if em is not None and np.any(np.asarray(em, dtype=np.float64) > 0):
        out["emissiveColor"] = [round(float(x), 6) for x in np.asarray(em, dtype=np.float64).ravel()[:3]]
    spec = getattr(mat, "specular", None) if base is None else None
    if spec is not None:
        sp = np.asarray(spec, dtype=np.float64).ravel()
        out["specularColor"] = [round(float(x) / (255.0 if np.asarray(spec).dtype == np.uint8 or sp.max() > 1
                                                   else 1.0), 6) for x in sp[:3]]
    return out


def _decimate(m, target: int):
    """Quadric decimation of a trimesh mesh to about ``target`` triangles (open3d)."""
    import open3d as o3d
    import trimesh

    om = o3d.geometry.TriangleMesh(o3d.utility.Vector3dVector(np.asarray(m.vertices)),
                                   o3d.utility.Vector3iVector(np.asarray(m.faces, dtype=np.int32)))
    om = om.simplify_quadric_decimation(int(target))
    return trimesh.Trimesh(np.asarray(om.vertices), np.asarray(om.triangles), process=False,
                           metadata=dict(m.metadata))
