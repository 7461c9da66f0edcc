"""Build the benchmark models of issues 13 and 18 by tiling real files from the shared corpus.

The outputs are not committed: they are written under a cache folder (``CITYTWIN_BENCH_CACHE``,
default ``~/.cache/citytwin-bench``) and reused while the script and the source file are unchanged
(their hashes are part of the file name). The output is deterministic: the same bytes every run.

Presets (``python tests/bench/make_district.py PRESET [PRESET ...]``, each prints its path):

* ``district``: the real 3D BAG file ``cityjson/3dbag_b2_v2.0.city.json`` (2 Buildings, each with
  one LoD 2.2 BuildingPart with roof/wall/ground semantics, EPSG:7415) tiled 27,296 times on a
  40 m grid: 54,592 buildings, 6.7 million triangles, 282 MB of CityJSON 2.0;
* ``district8``: the same, an eighth of it (6,824 buildings, ~35 MB), for quick runs;
* ``large``: the same tiled to ~1 GB (~190,000 buildings), issue 13's "~1 GB model" (the 3D BAG
  file is richer than the issue's tile: ~5 kB and ~120 triangles per building, not ~1.7 kB and ~44);
* ``textured``: the real textured Rotterdam 3D subset ``cityjson/rotterdam_textured/
  rotterdam_subset_v2.0.city.json`` (16 buildings, 74 textures) tiled to ~100 MB; the copies share
  the appearance (texture coordinates and images) and its one shipped image is copied alongside;
* ``citygml12`` / ``citygml200``: the real CityGML 3.0 ``citygml4j_lod2_buildings_v3.gml``
  (100 LoD2 buildings) with its members repeated, gml:ids made unique, to ~12 MB / ~200 MB.

Each copy of a CityJSON object gets the id ``<id>-t<k>`` (parents/children follow) and its
vertices are shifted by whole grid steps in the file's integer (transformed) coordinates; the
boundaries are the source's plus the copy's vertex offset, so every copy is the real geometry.
``metadata.geographicalExtent`` is recomputed for the tiled model.
"""

from __future__ import annotations

import argparse
import hashlib
import math
import os
import re
import shutil
from pathlib import Path

import numpy as np
import orjson

HERE = Path(__file__).resolve()
ROOT = HERE.parents[2]
SHARED = Path(os.environ.get("CITYTWIN_SHARED_DATA", ROOT.parent / "shared" / "data"))
if not SHARED.exists():
    SHARED = Path("/work/shared/data")
CACHE = Path(os.environ.get("CITYTWIN_BENCH_CACHE", Path.home() / ".cache" / "citytwin-bench"))

BAG = ("cityjson", "3dbag_b2_v2.0.city.json")
TEXTURED = ("cityjson", "rotterdam_textured", "rotterdam_subset_v2.0.city.json")
CITYGML = ("citygml", "v3.0", "citygml4j_lod2_buildings_v3.gml")

#: preset -> (source, how many copies or target MB, grid gap in metres)
PRESETS = {
    "district": (BAG, {"copies": 27_296}),
    "district8": (BAG, {"copies": 3_412}),
    "large": (BAG, {"mb": 1000.0}),
    "textured": (TEXTURED, {"copies": 3_200}),
    "citygml12": (CITYGML, {"mb": 12.0}),
    "citygml200": (CITYGML, {"mb": 200.0}),
}
GAP_M = 12.0


#: bump when the tiling rule changes: the cached outputs are then rebuilt
TILING_VERSION = b"1"


def _stamp(src: Path, opts: dict) -> str:
    """Hash of the tiling rule, the options and the source file: any change makes a new file."""
    h = hashlib.blake2b(digest_size=6)
    h.update(TILING_VERSION + repr(sorted(opts.items())).encode())
    h.update(src.read_bytes())
    return h.hexdigest()


def _boundary_template(boundaries: list) -> tuple[str, np.ndarray]:
    """``boundaries`` as JSON text with every vertex index replaced by ``%d``, and the indices in
    that order: a copy's boundaries are ``template % tuple(indices + offset)``."""
    text = orjson.dumps(boundaries).decode()
    flat = np.array([int(x) for x in re.findall(r"\d+", text)], dtype=np.int64)
    return re.sub(r"\d+", "%d", text), flat


def tile_cityjson(src: Path, out: Path, copies: int | None = None, mb: float | None = None) -> Path:
    """Write ``copies`` grid copies of the CityJSON ``src`` (or as many as make ~``mb`` MB) to ``out``.

    Streams the output (constant memory whatever the number of copies); atomic (``.part`` then
    rename). Returns ``out``.
    """
    doc = orjson.loads(src.read_bytes())
    if "transform" not in doc:
        raise ValueError(f"{src}: tiling needs a transformed (integer) CityJSON")
    scale = np.asarray(doc["transform"]["scale"], dtype=float)
    translate = np.asarray(doc["transform"]["translate"], dtype=float)
    verts = np.asarray(doc["vertices"], dtype=np.int64)
    n = len(verts)
    lo, hi = verts.min(axis=0), verts.max(axis=0)
    step = (hi - lo)[:2] + np.round(GAP_M / scale[:2]).astype(np.int64)
    if copies is None:
        copies = max(1, math.ceil(mb * 1e6 / src.stat().st_size))
    side = math.ceil(math.sqrt(copies))

    marker = "\x00B%d\x00"
    objs = []  # (id, json bytes with markers, [(template, flat indices)], relations)
    for oid, obj in doc["CityObjects"].items():
        o = dict(obj)
        temps = []
        if "geometry" in o:
            geoms = []
            for g in o["geometry"]:
                temps.append(_boundary_template(g["boundaries"]))
                geoms.append(dict(g, boundaries=marker % (len(temps) - 1)))
            o["geometry"] = geoms
        objs.append((oid, o, temps))

    head = {k: v for k, v in doc.items() if k not in ("CityObjects", "vertices", "metadata")}
    meta = dict(doc.get("metadata") or {})
    last = np.array([min(copies, side) - 1, (copies - 1) // side])  # the farthest grid cell used
    ext_lo = lo * scale + translate
    ext_hi = (hi + np.r_[step * last, 0]) * scale + translate
    meta["geographicalExtent"] = [round(float(x), 3) for x in (*ext_lo, *ext_hi)]
    head["metadata"] = meta

    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(out.name + ".part")
    with open(tmp, "wb") as f:
        f.write(orjson.dumps(head)[:-1] + b',"CityObjects":{')
        for k in range(copies):
            off = k * n
            for j, (oid, o, temps) in enumerate(objs):
                c = dict(o)
                for rel in ("parents", "children"):
                    if rel in c:
                        c[rel] = [f"{r}-t{k}" for r in c[rel]]
                text = orjson.dumps(c)
                for i, (tmpl, flat) in enumerate(temps):
                    text = text.replace(orjson.dumps(marker % i), (tmpl % tuple((flat + off).tolist())).encode())
                sep = b"" if k == 0 and j == 0 else b","
                f.write(sep + orjson.dumps(f"{oid}-t{k}") + b":" + text)
        f.write(b'},"vertices":[')
        for k in range(copies):
            shift = np.array([(k % side) * step[0], (k // side) * step[1], 0], dtype=np.int64)
            chunk = orjson.dumps(verts + shift, option=orjson.OPT_SERIALIZE_NUMPY)[1:-1]
            f.write((b"," if k else b"") + chunk)
        f.write(b"]}")
    os.replace(tmp, out)
    return out


def tile_citygml(src: Path, out: Path, mb: float) -> Path:
    """Repeat the ``cityObjectMember`` elements of ``src`` with unique gml:ids (and references to
    them) until the file is ~``mb`` MB. The copies are not shifted (the reader does not care)."""
    text = src.read_text(encoding="utf-8")
    m = re.search(r"<(\w+:)?cityObjectMember>", text)
    a = m.start()
    b = text.rindex("</")
    head, body, tail = text[:a], text[a:b], text[b:]
    n = max(1, int(mb * 1e6 / len(body.encode())))
    pat = re.compile(r'(gml:id="|xlink:href="#|uri="#|ring="#|>#)([^"<]+)(["<])')
    tmp = out.with_name(out.name + ".part")
    out.parent.mkdir(parents=True, exist_ok=True)
    with open(tmp, "w", encoding="utf-8") as f:
        f.write(head)
        for k in range(n):
            f.write(pat.sub(lambda mm: f"{mm.group(1)}{mm.group(2)}_{k}{mm.group(3)}", body))
        f.write(tail)
    os.replace(tmp, out)
    return out


def build(preset: str, cache: Path = CACHE) -> Path:
    """Path of the model ``preset`` under ``cache``, built first when missing."""
    parts, opts = PRESETS[preset]
    src = SHARED.joinpath(*parts)
    if not src.exists():
        raise FileNotFoundError(f"{src}: the shared corpus is needed to build the benchmark models")
    ext = ".gml" if src.suffix == ".gml" else ".city.json"
    out = cache / f"{preset}-{_stamp(src, opts)}{ext}"
    if out.exists():
        return out
    for old in cache.glob(f"{preset}-*{ext}"):  # an earlier rule's output
        old.unlink()
    if ext == ".gml":
        tile_citygml(src, out, opts["mb"])
    else:
        tile_cityjson(src, out, **opts)
        images = src.parent / "appearances"
        if images.is_dir():  # the texture images sit next to the file, as in the source
            dst = cache / "appearances"
            dst.mkdir(parents=True, exist_ok=True)
            for img in sorted(images.iterdir()):
                if not (dst / img.name).exists():
                    shutil.copyfile(img, dst / img.name)
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("presets", nargs="*", default=["district"], choices=list(PRESETS))
    ap.add_argument("--cache", type=Path, default=CACHE)
    args = ap.parse_args()
    for p in args.presets:
        path = build(p, args.cache)
        print(f"{p}: {path} ({path.stat().st_size / 1e6:.1f} MB)")


if __name__ == "__main__":
    main()
