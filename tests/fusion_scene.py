"""A fusion scene: a real CityJSON base (3D BAG, RD New), a real IFC house georeferenced onto one of
its buildings with an IfcMapConversion, and a mesh made from three other real buildings (densified,
perturbed, with ground around them). Used by ``tests/semantics/test_fusion.py`` and the GUI fusion test.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from citytwin.io.registry import read, write
from citytwin.semantics.fusion import building_footprints
from tests.conftest import DATA, shared_path


def _subdivide(tris: np.ndarray) -> np.ndarray:
    """Split every triangle (t, 3, 3) into four (midpoints)."""
    a, b, c = tris[:, 0], tris[:, 1], tris[:, 2]
    ab, bc, ca = (a + b) / 2, (b + c) / 2, (c + a) / 2
    return np.concatenate([np.stack(t, axis=1) for t in ((a, ab, ca), (ab, b, bc), (ca, bc, c), (ab, bc, ca))])


def build_fusion_scene(tmp: Path, ground_step: float = 1.0) -> dict:
    """Write base.city.json, house_on_target.ifc and photogrammetry.ply into ``tmp``; returns paths and truths.

    ``ground_step`` (m) is the cell of the ground grid around the mesh buildings (1 m: ~160k triangles).
    """
    import ifcopenshell
    import shapely
    import trimesh

    base = read(DATA / "cityjson" / "multi_lod_v2.0.city.json")
    base.assign_crs("EPSG:7415")  # 3D BAG data in RD New + NAP (the file declares none)
    base_path = tmp / "base.city.json"
    write(base, base_path)
    ids, fps, gz = building_footprints(base, lod="2.2")
    target = ids[int(np.argmax([f.area for f in fps]))]
    # --- the IFC house, with an IfcMapConversion that puts it on the target building
    src = shared_path("ifc", "ifcopenshell_files", "TestModel_IFC4Add2.ifc")
    f = ifcopenshell.open(str(src))
    unit = 0.001  # the file is in millimetres
    ctx = f.by_type("IfcGeometricRepresentationContext", include_subtypes=False)[0]
    crs = f.createIfcProjectedCRS(Name="EPSG:7415")
    world_c = _local_centroid(src)
    tc = shapely.centroid(fps[ids.index(target)])
    e, n = tc.x - world_c[0], tc.y - world_c[1]
    f.createIfcMapConversion(ctx, crs, e / unit, n / unit, float(gz[ids.index(target)]) / unit, 1.0, 0.0, None)
    ifc_path = tmp / "house_on_target.ifc"
    f.write(str(ifc_path))
    # --- the mesh: three other real buildings, densified twice, perturbed, with ground around
    tri = base.triangulate(lod="2.2")
    others = [i for i in ids if i != target][:3]
    pts = tri.vertices[tri.triangles]
    keep = np.isin(np.array(tri.object_ids)[tri.object_index], others)
    btris, bsem = pts[keep], tri.semantic_type[keep]
    btris, bsem = _subdivide(btris), np.tile(bsem, 4)
    btris, bsem = _subdivide(btris), np.tile(bsem, 4)
    rng = np.random.default_rng(4)
    btris = btris + rng.normal(0, 0.02, btris.shape)
    b = np.array([f_.bounds for f_ in fps[[ids.index(o) for o in others]]])
    x0, y0, x1, y1 = b[:, 0].min() - 15, b[:, 1].min() - 15, b[:, 2].max() + 15, b[:, 3].max() + 15
    gx, gy = np.meshgrid(np.arange(x0, x1, ground_step), np.arange(y0, y1, ground_step), indexing="ij")
    z = float(np.min(gz)) - 0.05
    p00 = np.stack([gx[:-1, :-1], gy[:-1, :-1]], -1).reshape(-1, 2)
    d = ground_step
    quads = np.stack([p00, p00 + [d, 0], p00 + [d, d], p00 + [0, d]], axis=1)
    inside = shapely.contains_xy(shapely.union_all(fps), quads[:, :, 0].mean(1), quads[:, :, 1].mean(1))
    quads = quads[~inside]
    q3 = np.concatenate([quads, np.full(quads.shape[:2] + (1,), z)], axis=2)
    q3[:, :, 2] += rng.normal(0, 0.03, q3.shape[:2])
    gtris = np.concatenate([q3[:, [0, 1, 2]], q3[:, [0, 2, 3]]])
    all_tris = np.concatenate([btris, gtris])
    origin = np.floor(all_tris.reshape(-1, 3).min(axis=0))
    v = (all_tris.reshape(-1, 3) - origin)
    perm = rng.permutation(len(all_tris))  # one unstructured soup, no object order
    faces = np.arange(len(v)).reshape(-1, 3)[perm]
    mesh_path = tmp / "photogrammetry.ply"
    trimesh.Trimesh(v, faces, process=False).export(mesh_path)
    return {"tmp": tmp, "base": base_path, "ifc": ifc_path, "mesh": mesh_path, "origin": origin,
            "target": target, "others": others, "bsem": bsem, "btris": btris}


def _local_centroid(src):
    """Centroid (x, y) in IFC world metres of the house's envelope footprint."""
    from citytwin.io.ifc.georef import UserGeoref

    m = read(src, georef=UserGeoref())  # file's own georef wins when present: undo it below
    g = m.source["georef"]
    import shapely

    fp = building_footprints(m.subset([m.by_type("Building")[0].id]), lod="2.2")[1][0]
    c = np.array([shapely.centroid(fp).x, shapely.centroid(fp).y])
    if g["method"] == "IfcSite":
        # invert the 2D affine of the site georeference: p_grid = A (p - o) + t
        import pyproj

        lon, lat = g["longitude"], g["latitude"]
        tr = pyproj.Transformer.from_crs("EPSG:4326", m.crs.to_pyproj(), always_xy=True)
        e0, n0 = tr.transform(lon, lat)
        north = np.array(g["true_north"])
        east = np.array([north[1], -north[0]])
        conv = np.radians(g["grid_convergence_deg"])
        gn = np.array([-np.sin(conv), np.cos(conv)])
        ge = np.array([gn[1], -gn[0]])
        a = g["scale_factor"] * (np.outer(ge, east) + np.outer(gn, north))
        return np.linalg.solve(a, c - [e0, n0]) + np.array(g["site_origin_m"][:2])
    return c
