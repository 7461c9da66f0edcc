"""The fusion scene of ``tests/fusion_scene.py`` fused through the CLI and the command, with the
expected matches in the report."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from citytwin.io.registry import read
from citytwin.semantics.fusion import building_footprints
from citytwin.semantics.surfaces import semantic_code
from tests.conftest import shared_path
from tests.fusion_scene import build_fusion_scene


@pytest.fixture(scope="module")
def scene(tmp_path_factory):
    return build_fusion_scene(tmp_path_factory.mktemp("fuse"))


def test_fuse_scene_through_cli(scene):
    out, rep = scene["tmp"] / "fused.city.json", scene["tmp"] / "report.json"
    o = scene["origin"]
    r = subprocess.run([sys.executable, "-m", "citytwin", "fuse", str(scene["base"]), "--ifc", str(scene["ifc"]),
                        "--mesh", str(scene["mesh"]), "--mesh-offset", f"{o[0]},{o[1]},{o[2]}",
                        "-o", str(out), "--report", str(rep), "--ifc-mode", "add", "--quiet"],
                       capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr
    report = json.loads(rep.read_text())
    (ifc,) = report["ifc"]
    assert ifc["georef"] == "IfcMapConversion"
    best = max(ifc["matches"], key=lambda m: m["overlap_of_ifc"])
    assert best["base_building"] == scene["target"]
    assert best["overlap_of_ifc"] > 0.5 and best["centroid_offset_m"] < 1.0
    assert not [f for f in ifc["flags"] if "overlaps no" in f["flag"]]
    (mesh,) = report["mesh"]
    assert set(scene["others"]) <= set(mesh["buildings"])
    # neighbours may catch a few boundary triangles (shared walls, ground edges), no more
    extra = sum(sum(c.values()) for b, c in mesh["buildings"].items() if b not in scene["others"])
    assert extra < 0.02 * mesh["triangles"]
    assert mesh["unassigned"]["terrain_triangles"] > 1000
    fused = read(out)
    assert fused.crs.to_string() == "EPSG:7415"
    tgt = fused.objects[scene["target"]]
    assert any(fused.objects[c].attributes.get("ifc_class") == "IfcWindow" for c in tgt.children)
    assert tgt.attributes.get("ifc_guid")
    for b in scene["others"]:
        assert f"{b}-photogrammetry" in fused.objects[b].children


def test_mesh_labels_agree_with_the_source_semantics(scene):
    from citytwin.semantics.mesh_labels import label_mesh

    base = read(scene["base"])
    ids, fps, gz = building_footprints(base, lod="2.2")
    lab = label_mesh(scene["btris"], fps, gz)
    truth = scene["bsem"]
    assert np.all(np.isin(np.array(ids)[lab.building[lab.building >= 0]], scene["others"]))
    assert (lab.building >= 0).mean() > 0.97
    for name in ("RoofSurface", "WallSurface"):
        sel = truth == semantic_code(name)
        assert (lab.semantic[sel] == semantic_code(name)).mean() > 0.9, name


def test_fuse_replace_keeps_base_attributes(scene):
    from citytwin.app.commands.fuse import FuseParams, run_fuse

    base = read(scene["base"])
    attrs = dict(base.objects[scene["target"]].attributes)
    res = run_fuse(FuseParams(base=scene["base"], output=scene["tmp"] / "rep.city.json", ifc=(scene["ifc"],),
                              ifc_mode="replace"))
    fused = read(res.output)
    t = fused.objects[scene["target"]]
    assert all(t.attributes.get(k) == v for k, v in attrs.items())
    assert any(g.lod == "2.2" and g.type == "Solid" for g in t.geometry)
    assert "RoofSurface" in t.geometry[-1].surface_types()


def test_ifc_far_away_is_flagged(scene):
    from citytwin.app.commands.fuse import FuseParams, run_fuse

    res = run_fuse(FuseParams(base=scene["base"], output=scene["tmp"] / "far.city.json",
                              ifc=(shared_path("ifc", "georef_bonsai", "basic.ifc"),),
                              ifc_georef=(0.0, 0.0, 0.0, 0.0)))
    flags = res.report["ifc"][0]["flags"]
    assert any("overlaps no base building" in f["flag"] for f in flags)


def test_ifc_overlapping_only_a_corner_is_added_not_fused(scene):
    """A 2 m IFC cube placed on a corner of the target (about a quarter of it on the building) is
    a neighbour or a georeferencing mistake: listed as a match, flagged, added as its own building;
    placed on the target's centre, the same file is attached to it."""
    from citytwin.app.commands.fuse import FuseParams, run_fuse

    base = read(scene["base"])
    ids, fps, _ = building_footprints(base)
    target = fps[ids.index(scene["target"])]
    basic = shared_path("ifc", "georef_bonsai", "basic.ifc")  # a 2 x 2 m footprint around its origin
    import shapely

    def share_on_target(x: float, y: float) -> float:
        return shapely.box(x - 1, y - 1, x + 1, y + 1).intersection(target).area / 4.0

    corner = next(c for c in target.exterior.coords if 0.15 < share_on_target(*c) < 0.45)
    cx, cy = target.representative_point().coords[0]
    for where, (e, n) in {"corner": corner, "centre": (cx, cy)}.items():
        res = run_fuse(FuseParams(base=scene["base"], output=scene["tmp"] / f"{where}.city.json",
                                  ifc=(basic,), ifc_georef=(e, n, 0.0, 0.0)))
        (entry,) = res.report["ifc"]
        best = max(entry["matches"] + entry["candidates"], key=lambda m: m["overlap_of_ifc"])
        assert best["base_building"] == scene["target"]
        fused = read(res.output)
        added = [o for o in fused.objects.values() if o.type == "Building" and o.id not in base.objects]
        if where == "corner":
            (ifc_building,) = added
            assert 0.1 <= best["overlap_of_ifc"] < 0.5 and best["overlap_of_base"] < 0.5
            assert entry["matches"] == [] and best in entry["candidates"]  # listed, not fused
            assert any("only weakly" in f["flag"] and "not fused" in f["flag"] for f in entry["flags"])
            assert fused.objects[scene["target"]].children == base.objects[scene["target"]].children
            assert ifc_building.children  # the IFC's elements stay under their own building
        else:
            assert best["overlap_of_ifc"] > 0.9 and not added and entry["matches"] == [{**best, "fused": "add"}]
            assert not [f for f in entry["flags"] if "weakly" in f["flag"]]
            assert len(fused.objects[scene["target"]].children) > len(base.objects[scene["target"]].children)


def test_mesh_fusion_reports_progress_and_stops_without_changing_the_base(scene, monkeypatch):
    """Cutting and labelling report progress per chunk of triangles; a raise from the callback
    (the app's Cancel) stops the fusion mid-labelling and leaves the base model as it was."""
    import citytwin.semantics.mesh_labels as ml
    from citytwin.semantics.fusion import fuse_mesh

    base = read(scene["base"])
    base.triangulate()
    mesh = read(scene["mesh"], format="mesh", offset=tuple(float(v) for v in scene["origin"]))
    mesh.assign_crs("EPSG:7415")
    monkeypatch.setattr(ml, "_CHUNK", 4096)  # many chunks on this small scene
    seen: list[float] = []
    plain = fuse_mesh(read(scene["base"]), mesh, name="m")
    entry = fuse_mesh(read(scene["base"]), mesh, name="m", on_progress=seen.append)
    assert entry == plain
    assert len(seen) > 20 and all(b >= a for a, b in zip(seen, seen[1:])) and seen[-1] >= 0.95
    labelling = [f for f in seen if 0.45 < f < 0.85]
    assert len(labelling) > 10

    class Stop(Exception):
        pass

    def cancel_in_labelling(f: float) -> None:
        if f > 0.6:
            raise Stop

    n_obj, n_vert, children = len(base), len(base.vertices), {k: list(o.children) for k, o in base.objects.items()}
    version = base.version
    with pytest.raises(Stop):
        fuse_mesh(base, mesh, name="m", on_progress=cancel_in_labelling)
    assert len(base) == n_obj and len(base.vertices) == n_vert and base.version == version
    assert {k: o.children for k, o in base.objects.items()} == children


def test_explicit_ifc_georef_overrides_the_files_ifcsite_with_a_flag(scene):
    """revit2011_wall1.ifc (a real Revit export) has IfcSite latitude/longitude (Boston). --ifc-georef
    places it anyway: its vertices are IfcOpenShell's own world coordinates plus the given origin,
    and the report says the file's IfcSite was overridden."""
    import ifcopenshell
    import ifcopenshell.geom
    import shapely

    from citytwin.app.commands.fuse import FuseParams, report_lines, run_fuse
    from citytwin.io.ifc.georef import UserGeoref

    wall = shared_path("ifc", "ifcopenshell_files", "revit2011_wall1.ifc")
    f = ifcopenshell.open(str(wall))
    s = ifcopenshell.geom.settings()
    s.set("use-world-coords", True)
    world = np.concatenate([np.frombuffer(ifcopenshell.geom.create_shape(s, el).geometry.verts_buffer,
                                          dtype=np.float64).reshape(-1, 3)
                            for el in f.by_type("IfcWall")])
    base = read(scene["base"])
    ids, fps, _ = building_footprints(base)
    c = fps[ids.index(scene["target"])].representative_point()
    e, n = c.x - world[:, 0].mean(), c.y - world[:, 1].mean()  # the wall's middle on the target
    m = read(wall, georef=UserGeoref((e, n, 0.0), 0.0, "EPSG:7415", override=True))
    assert m.source["georef"]["method"] == "user"
    got = np.concatenate([m.vertices[np.unique(o.geometry[0].indices)] for o in m
                          if str(o.attributes.get("ifc_class", "")).startswith("IfcWall")])
    assert np.abs(np.sort(got, axis=0) - np.sort(world + [e, n, 0.0], axis=0)).max() < 1e-6
    res = run_fuse(FuseParams(base=scene["base"], output=scene["tmp"] / "wall.city.json", ifc=(wall,),
                              ifc_georef=(e, n, 0.0, 0.0)))
    (entry,) = res.report["ifc"]
    assert entry["georef"] == "user"
    assert any("overrides the file's own georeference IfcSite (latitude 42.3583" in fl["flag"]
               for fl in entry["flags"])
    assert not [fl for fl in entry["flags"] if "overlaps no base building" in fl["flag"]]
    assert any("warning: --ifc-georef overrides" in line for line in report_lines(res.report))
    assert shapely.Point(c.x, c.y).within(fps[ids.index(scene["target"])])


def test_report_lists_the_fused_match_and_the_other_overlaps_as_candidates(tmp_path):
    """A 2 x 2 m IFC (Bonsai's basic.ifc) placed across the party wall of two row houses of a real
    3D BAG tile (Delft), mostly on one: fused into that one (the only "matches" entry), the other
    listed as a candidate, with overlaps equal to shapely's on the footprints."""
    import shapely

    from citytwin.app.commands.fuse import FuseParams, report_lines, run_fuse

    delft = shared_path("cityjson", "delft_v2.0.city.json")
    base = read(delft)
    ids, fps, _ = building_footprints(base)
    tree = shapely.STRtree(fps)
    pair = None
    for i, fp in enumerate(fps):
        for j in tree.query(fp.buffer(0.05)):
            shared = fp.boundary.intersection(fps[j].buffer(0.05))
            if j != i and shared.length > 4.0:
                pair = (i, int(j), shared)
                break
        if pair:
            break
    assert pair, "the tile has row houses"
    i, j, shared = pair
    seg = max(shapely.get_parts(shapely.line_merge(shared)), key=lambda g: g.length)
    mid = np.array(seg.interpolate(0.5, normalized=True).coords[0])
    best_c = None
    for t in np.linspace(0.05, 1.0, 40):  # moved across the wall until the box lies mostly on i
        for sgn in (1.0, -1.0):
            a, b = np.array(seg.coords[0]), np.array(seg.coords[-1])
            normal = np.array([-(b - a)[1], (b - a)[0]]) / np.linalg.norm(b - a)
            p = mid + sgn * t * normal
            box = shapely.box(p[0] - 1, p[1] - 1, p[0] + 1, p[1] + 1)
            a_i, a_j = box.intersection(fps[i]).area / 4, box.intersection(fps[j]).area / 4
            if 0.6 < a_i < 0.9 and a_j > 0.15:
                best_c = (p, a_i, a_j)
                break
        if best_c:
            break
    assert best_c is not None
    p, a_i, a_j = best_c
    basic = shared_path("ifc", "georef_bonsai", "basic.ifc")  # a 2 x 2 m footprint around its origin
    res = run_fuse(FuseParams(base=delft, output=tmp_path / "across.city.json", ifc=(basic,),
                              ifc_georef=(float(p[0]), float(p[1]), 0.0, 0.0)))
    (entry,) = res.report["ifc"]
    (match,) = entry["matches"]
    assert match["base_building"] == ids[i] and match["fused"] == "add"
    assert abs(match["overlap_of_ifc"] - a_i) < 0.02
    assert [c["base_building"] for c in entry["candidates"]] == [ids[j]]
    assert abs(entry["candidates"][0]["overlap_of_ifc"] - a_j) < 0.02
    assert any(f"also overlaps {ids[j]}" in line and "not fused" in line for line in report_lines(res.report))


def test_mesh_without_crs_far_from_the_base_is_flagged(scene):
    """The scene's PLY (no CRS, coordinates relative to ``origin``) fused without --mesh-offset lands
    ~|origin| away from the 3D BAG base: both the missing CRS and the distance are flagged, the
    distance equal to the gap between the two bounding boxes computed here."""
    import trimesh

    from citytwin.app.commands.fuse import FuseParams, report_lines, run_fuse

    res = run_fuse(FuseParams(base=scene["base"], output=scene["tmp"] / "nocrs.city.json", mesh=(scene["mesh"],)))
    (entry,) = res.report["mesh"]
    flags = [f["flag"] for f in entry["flags"]]
    assert any("has no CRS; used as if in the base CRS EPSG:7415" in f for f in flags), flags
    far = next(f for f in flags if "km from the base model's extent" in f)
    mv = np.asarray(trimesh.load(scene["mesh"], process=False).vertices)
    bv = read(scene["base"]).vertices
    d = np.maximum(0, np.maximum(mv[:, :2].min(0) - bv[:, :2].max(0), bv[:, :2].min(0) - mv[:, :2].max(0)))
    km = float(far.split(" lies ")[1].split(" km")[0])
    assert km > 100 and abs(km - np.hypot(*d) / 1000) / km < 0.01
    assert sum("warning:" in line for line in report_lines(res.report)) >= 2
    # with the offset it is where the base is: only the missing CRS is said
    o = scene["origin"]
    res = run_fuse(FuseParams(base=scene["base"], output=scene["tmp"] / "nocrs2.city.json", mesh=(scene["mesh"],),
                              mesh_offset=tuple(float(v) for v in o)))
    flags = [f["flag"] for f in res.report["mesh"][0]["flags"]]
    assert len(flags) == 1 and "has no CRS" in flags[0]


def test_mesh_textures_travel_through_fuse(scene, tmp_path):
    """A real textured OBJ (fuze.obj, 1,000 triangles, one JPG) fused onto a base building keeps every
    triangle's texture coordinates (compared with trimesh's own UVs of the file) and its image is
    written beside the output, byte for byte."""
    import trimesh

    from citytwin.app.commands.fuse import FuseParams, run_fuse

    obj = shared_path("mesh", "obj_fuze_textured", "fuze.obj")
    base = read(scene["base"])
    ids, fps, gz = building_footprints(base)
    k = ids.index(scene["target"])
    c = fps[k].representative_point()
    out = tmp_path / "out" / "fused.city.json"
    out.parent.mkdir()
    res = run_fuse(FuseParams(base=scene["base"], output=out, mesh=(obj,), mesh_crs="EPSG:7415",
                              mesh_offset=(c.x, c.y, float(gz[k]) + 1.0)))
    assert res.report["mesh"][0]["textured_triangles"] == 1000
    fused = read(out)
    tri = fused.triangulate()
    mine = np.isin(np.array(tri.object_ids)[tri.object_index],
                   [o.id for o in fused if o.attributes.get("source") == "mesh"])
    assert mine.sum() == 1000 and (tri.texture_index[mine] >= 0).all()
    tm = trimesh.load(obj, process=False, force="mesh")
    want = np.asarray(tm.visual.uv)[np.asarray(tm.faces)]  # (1000, 3, 2)
    got = tri.uv[mine].astype(np.float64)
    key = lambda a: a.reshape(len(a), -1)[np.lexsort(np.round(a.reshape(len(a), -1), 5).T[::-1])]
    assert np.abs(key(got) - key(want)).max() < 1e-5
    img = fused.appearance.image_path(int(tri.texture_index[mine][0]))
    assert Path(img).parent.parent == out.parent and Path(img).read_bytes() == (obj.parent / "fuze uv.jpg").read_bytes()
