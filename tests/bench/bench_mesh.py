"""Benchmark: mesh cutting per building + roof/wall/ground labelling, in triangles per second.

Run as ``python tests/bench/bench_mesh.py [--triangles 2000000]``. The scene is made from real
buildings (the 10 LoD 2.2 buildings of multi_lod_v2.0 from the 3D BAG), repeated on a grid to
make a district, densified by subdivision to the requested triangle count, perturbed by 2 cm
noise, plus a 2 m terrain grid around them: one unstructured soup. Prints and writes
``tests/bench/results/mesh.json``:

* citytwin: :func:`citytwin.semantics.mesh_labels.label_mesh` (cut + label) -- target >= 1 M triangles/s;
* floor: computing triangle centroids and normal z alone (the same numpy code; any labelling needs them);
* peer: the textbook approach, a shapely ``STRtree.query(points, predicate="within")`` of the
  triangle centroids against the footprints (cutting only, no labelling).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
SHARED = Path(os.environ.get("CITYTWIN_SHARED_DATA", ROOT.parent / "shared" / "data"))
if not SHARED.exists():
    SHARED = Path("/work/shared/data")


def _subdivide(t: np.ndarray) -> np.ndarray:
    a, b, c = t[:, 0], t[:, 1], t[:, 2]
    ab, bc, ca = (a + b) / 2, (b + c) / 2, (c + a) / 2
    return np.concatenate([np.stack(x, axis=1) for x in ((a, ab, ca), (ab, b, bc), (ca, bc, c), (ab, bc, ca))])


def scene(n_target: int):
    import shapely

    from citytwin.io.registry import read
    from citytwin.semantics.fusion import building_footprints

    base = read(ROOT / "tests" / "data" / "cityjson" / "multi_lod_v2.0.city.json")
    ids, fps, gz = building_footprints(base, lod="2.2")
    tri = base.triangulate(lod="2.2")
    t0 = tri.vertices[tri.triangles]
    bx = np.array(shapely.bounds(fps))
    w, h = bx[:, 2].max() - bx[:, 0].min() + 20, bx[:, 3].max() - bx[:, 1].min() + 20
    reps = 2
    shifts = [(i * w, j * h) for i in range(reps) for j in range(reps)]
    all_fps = np.array([shapely.affinity.translate(f, dx, dy) for dx, dy in shifts for f in fps], dtype=object)
    all_gz = np.tile(gz, len(shifts))
    tris = np.concatenate([t0 + [dx, dy, 0.0] for dx, dy in shifts])
    while len(tris) * 4 <= n_target * 0.75:
        tris = _subdivide(tris)
    x0, y0 = bx[:, 0].min() - 10, bx[:, 1].min() - 10
    gx, gy = np.meshgrid(np.arange(x0, x0 + reps * w, 2.0), np.arange(y0, y0 + reps * h, 2.0), indexing="ij")
    p = np.stack([gx, gy], -1).reshape(-1, 2)
    z = float(gz.min()) - 0.05
    q = np.stack([p, p + [2, 0], p + [2, 2], p + [0, 2]], 1)
    q3 = np.concatenate([q, np.full(q.shape[:2] + (1,), z)], 2)
    ground = np.concatenate([q3[:, [0, 1, 2]], q3[:, [0, 2, 3]]])
    rng = np.random.default_rng(1)
    allt = np.concatenate([tris, ground])
    allt = allt + rng.normal(0, 0.02, allt.shape)
    return allt[rng.permutation(len(allt))], all_fps, all_gz


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--triangles", type=int, default=2_000_000)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    sys.path.insert(0, str(ROOT.parent))
    import shapely

    from citytwin.semantics.mesh_labels import centroids_and_nz, label_mesh

    tris, fps, gz = scene(args.triangles)
    n = len(tris)
    label_mesh(tris[:200_000], fps, gz)  # warm-up (imports scipy.spatial, shapely caches)
    best = min(_timed(lambda: label_mesh(tris, fps, gz)) for _ in range(args.repeat))
    floor = min(_timed(lambda: centroids_and_nz(tris)) for _ in range(args.repeat))

    def peer():
        c = tris.mean(axis=1)
        shapely.STRtree(fps).query(shapely.points(c[:, :2]), predicate="within")

    peer_t = min(_timed(peer) for _ in range(max(1, args.repeat - 1)))
    lab = label_mesh(tris, fps, gz)
    res = {"benchmark": "mesh", "triangles": n, "buildings": len(fps),
           "citytwin_s": round(best, 4), "citytwin_triangles_per_s": round(n / best),
           "target_triangles_per_s": 1_000_000,
           "floor_normals_centroids_s": round(floor, 4), "ratio_vs_floor": round(best / floor, 2),
           "peer_strtree_within_s": round(peer_t, 4), "ratio_vs_peer": round(best / peer_t, 3),
           "assigned_fraction": round(float((lab.building >= 0).mean()), 4)}
    print(f"{n} triangles, {len(fps)} buildings: cut+label {best:.3f} s = {n / best / 1e6:.2f} M tri/s "
          f"(target >= 1 M/s); floor (centroids+normals) {floor:.3f} s -> {best / floor:.1f}x; "
          f"peer STRtree 'within' cutting only {peer_t:.3f} s -> {best / peer_t:.2f}x")
    out = HERE / "results" / "mesh.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(res, indent=1))
    print(f"wrote {out}")
    return 0


def _timed(fn) -> float:
    t = time.perf_counter()
    fn()
    return time.perf_counter() - t


if __name__ == "__main__":
    raise SystemExit(main())
