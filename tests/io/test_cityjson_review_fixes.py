"""CityJSON reading/writing fixes from the new-user review, on real files: a CityJSONSeq feature's
own appearance, and an ``extensions`` entry the 2.0 schema rejects."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema_rs
import pytest

from citytwin.app.cli import main
from citytwin.io.registry import read
from tests.conftest import ROOT, shared_path

LOCAL = ROOT / "tests" / "data" / "cityjson"
SCHEMAS = ROOT / "resources" / "schemas" / "cityjson" / "2.0"
SEQ = LOCAL / "val3dity_denhaag_random_5.city.jsonl"


@pytest.fixture(scope="module")
def schema():
    return jsonschema_rs.validator_for(json.loads((SCHEMAS / "cityjson.min.schema.json").read_text()))


def _material_names_per_surface(doc_objects: dict, materials: list[dict]) -> dict:
    """{(object id, geometry, theme): [material name or None per surface]} (Solid geometries)."""
    out = {}
    for oid, co in doc_objects.items():
        for gi, g in enumerate(co.get("geometry", [])):
            for theme, m in (g.get("material") or {}).items():
                assert g["type"] == "Solid"
                vals = [v for shell in m["values"] for v in shell]
                out[(oid, gi, theme)] = [None if v is None else json.dumps(materials[v], sort_keys=True)
                                         for v in vals]
    return out


def _raw_feature_materials(path: Path) -> dict:
    out = {}
    for line in path.read_text(encoding="utf-8").splitlines()[1:]:
        f = json.loads(line)
        out.update(_material_names_per_surface(f["CityObjects"], f.get("appearance", {}).get("materials", [])))
    return out


def test_feature_appearance_is_read(capsys):
    counts = [len(json.loads(ln).get("appearance", {}).get("materials", []))
              for ln in SEQ.read_text(encoding="utf-8").splitlines()[1:]]
    assert counts == [9, 3, 9, 3, 18]
    model = read(SEQ)
    assert len(model.appearance.materials) == sum(counts)
    assert not [p for p in model.problems if "material" in p.message]
    assert main(["info", str(SEQ)]) == 0
    assert "missing material" not in capsys.readouterr().out


def test_feature_materials_survive_conversion(tmp_path, schema):
    out = tmp_path / "dh.city.json"
    assert main(["convert", str(SEQ), str(out)]) == 0
    doc = json.loads(out.read_text(encoding="utf-8"))
    assert schema.is_valid(doc), [e.message[:200] for e, _ in zip(schema.iter_errors(doc), range(5))]
    want = _raw_feature_materials(SEQ)
    assert want  # the oracle: each surface's material as the feature itself says
    got = _material_names_per_surface(doc["CityObjects"], doc["appearance"]["materials"])
    assert got == want


def test_extension_without_version_is_left_out_with_a_warning(tmp_path, schema, capsys):
    src = LOCAL / "cjval_potatoes_v2.0.city.json"
    assert "version" not in json.loads(src.read_text())["extensions"]["Potatoe"]
    out = tmp_path / "p.city.json"
    assert main(["convert", str(src), str(out)]) == 0
    err = capsys.readouterr().err
    assert "warning:" in err and "extension 'Potatoe' left out" in err
    doc = json.loads(out.read_text(encoding="utf-8"))
    assert "Potatoe" not in doc.get("extensions", {})
    assert [e.message for e in schema.iter_errors(doc)] == []


def test_extension_with_version_is_kept(tmp_path, schema):
    d = json.loads((LOCAL / "cjval_potatoes_v2.0.city.json").read_text())
    d["extensions"]["Potatoe"]["version"] = "1.0"
    d["transform"]["scale"] = [0.001, 0.001, 0.001]
    src = tmp_path / "v.city.json"
    src.write_text(json.dumps(d))
    out = tmp_path / "p.city.json"
    assert main(["convert", str(src), str(out)]) == 0
    doc = json.loads(out.read_text(encoding="utf-8"))
    assert doc["extensions"] == d["extensions"]
