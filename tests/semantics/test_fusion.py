"""The fusion scene of ``tests/fusion_scene.py`` fused through the CLI and the command, with the
expected matches in the report."""

from __future__ import annotations

import json
import subprocess
import sys

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
        best = max(entry["matches"], key=lambda m: m["overlap_of_ifc"])
        assert best["base_building"] == scene["target"]
        fused = read(res.output)
        added = [o for o in fused.objects.values() if o.type == "Building" and o.id not in base.objects]
        if where == "corner":
            (ifc_building,) = added
            assert 0.1 <= best["overlap_of_ifc"] < 0.5 and best["overlap_of_base"] < 0.5
            assert any("only weakly" in f["flag"] and "not fused" in f["flag"] for f in entry["flags"])
            assert fused.objects[scene["target"]].children == base.objects[scene["target"]].children
            assert ifc_building.children  # the IFC's elements stay under their own building
        else:
            assert best["overlap_of_ifc"] > 0.9 and not added
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
