"""b3dm features: split a tile's glTF meshes by their ``_BATCHID`` vertex attribute and attach the
batch table row of each feature (3D Tiles 1.0 Batch Table).

A Batched 3D Model batches several models (features: usually buildings) into one glTF; each
vertex names its feature with ``_BATCHID`` and the batch table holds per-feature properties,
either JSON arrays or binary-body references (``{"byteOffset", "componentType", "type"}``).
Here every feature becomes its own mesh (so its own city object, textures and UVs kept) with
its properties as attributes. The splitting is numpy per mesh and a loop per feature only.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from citytwin.errors import ProblemLog

_COMPONENT = {"BYTE": "<i1", "UNSIGNED_BYTE": "<u1", "SHORT": "<i2", "UNSIGNED_SHORT": "<u2",
              "INT": "<i4", "UNSIGNED_INT": "<u4", "FLOAT": "<f4", "DOUBLE": "<f8"}
_WIDTH = {"SCALAR": 1, "VEC2": 2, "VEC3": 3, "VEC4": 4}
#: Batch table properties that name a feature (first one with unique string/int values wins).
_ID_KEYS = ("id", "gml_id", "gmlid", "ID", "identificatie", "UUID", "uuid", "name", "Name")


def batch_rows(table: dict[str, Any], binary: bytes, n: int, where: str,
               problems: ProblemLog) -> list[dict[str, Any]]:
    """The batch table as one attribute dict per feature (``n`` = BATCH_LENGTH).

    A property that is neither an array of ``n`` values nor a readable binary reference is
    reported and left out; ``extensions`` / ``extras`` are not per-feature and are skipped.
    """
    rows: list[dict[str, Any]] = [{} for _ in range(n)]
    for key, val in table.items():
        if key in ("extensions", "extras"):
            continue
        values = None
        if isinstance(val, list) and len(val) == n:
            values = val
        elif isinstance(val, dict) and "byteOffset" in val:
            try:
                w = _WIDTH[val["type"]]
                arr = np.frombuffer(binary, dtype=_COMPONENT[val["componentType"]], count=n * w,
                                    offset=int(val["byteOffset"]))
                values = arr.tolist() if w == 1 else arr.reshape(n, w).tolist()
            except (KeyError, TypeError, ValueError):
                values = None
        if values is None:
            problems.report(None, f"{where}: batch table property {key!r} is not {n} values; left out")
            continue
        for row, v in zip(rows, values):
            row[key] = v
    return rows


def _feature_names(rows: list[dict[str, Any]], stem: str) -> list[str]:
    for key in _ID_KEYS:
        vals = [r.get(key) for r in rows]
        if all(isinstance(v, (str, int)) and not isinstance(v, bool) and str(v) for v in vals) \
                and len({str(v) for v in vals}) == len(vals):
            return [str(v) for v in vals]
    return [f"{stem}-feature-{b}" for b in range(len(rows))]


def _sub_mesh(m, faces_idx: np.ndarray, name: str):
    """A trimesh mesh of the faces ``faces_idx`` of ``m`` (vertices and UVs compacted)."""
    import trimesh

    faces = np.asarray(m.faces)[faces_idx]
    used, inverse = np.unique(faces, return_inverse=True)
    visual = None
    uv = getattr(m.visual, "uv", None)
    if uv is not None and len(uv) == len(m.vertices):
        visual = trimesh.visual.TextureVisuals(uv=np.asarray(uv)[used], material=m.visual.material)
    return trimesh.Trimesh(np.asarray(m.vertices)[used], inverse.reshape(-1, 3), visual=visual,
                           process=False, metadata={**m.metadata, "name": name})


def split_features(meshes: list[Any], images: list[str | None], rows: list[dict[str, Any]], stem: str,
                   where: str, problems: ProblemLog, id_attribute: str = "_BATCHID",
                   names: list[str] | None = None) -> tuple[list[Any], list[str | None], list[dict[str, Any]]]:
    """Split meshes by ``_BATCHID`` into one mesh per feature; returns (meshes, image per mesh,
    attributes per mesh). Without features (``rows`` empty) or ``_BATCHID``, meshes are kept whole.
    ``id_attribute``: the vertex attribute naming the feature (``_FEATURE_ID_0`` for 3D Tiles 1.1
    ``EXT_mesh_features``); ``names``: the feature names (default: from an id-like property).

    A triangle is given the feature of its first vertex; triangles whose vertices disagree, and
    ids outside ``0 .. len(rows) - 1``, are counted in ``problems`` (the latter stay unbatched).
    """
    n = len(rows)
    names = (names if names is not None else _feature_names(rows, stem)) if n else []
    out_m: list[Any] = []
    out_i: list[str | None] = []
    out_a: list[dict[str, Any]] = []
    mixed = outside = 0
    for m, img in zip(meshes, images):
        ids = (getattr(m, "vertex_attributes", None) or {}).get(id_attribute)
        if not n or ids is None or len(ids) != len(m.vertices):
            out_m.append(m)
            out_i.append(img)
            out_a.append({})
            continue
        vid = np.rint(np.asarray(ids, dtype=np.float64).reshape(-1)).astype(np.int64)
        fid = vid[np.asarray(m.faces)]
        mixed += int(np.count_nonzero((fid != fid[:, :1]).any(axis=1)))
        face_batch = fid[:, 0]
        bad = (face_batch < 0) | (face_batch >= n)
        outside += int(np.count_nonzero(bad))
        face_batch = np.where(bad, n, face_batch)  # n: unbatched
        order = np.argsort(face_batch, kind="stable")
        batches, starts = np.unique(face_batch[order], return_index=True)
        ends = np.append(starts[1:], len(order))
        for b, a, e in zip(batches.tolist(), starts.tolist(), ends.tolist()):
            name = names[b] if b < n else f"{stem}-unbatched"
            out_m.append(_sub_mesh(m, np.sort(order[a:e]), name))
            out_i.append(img)
            out_a.append({"batch_id": b, **rows[b]} if b < n else {})
    if mixed:
        problems.report(None, f"{where}: {mixed} triangles join vertices of different features; "
                              "each was given the feature of its first vertex")
    if outside:
        problems.report(None, f"{where}: {outside} triangles have a {id_attribute} outside 0..{n - 1}; "
                              "kept as an unbatched object")
    return out_m, out_i, out_a
