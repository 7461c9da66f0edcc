"""Every CityJSON / CityJSONSeq file of the corpus loads with the right contents and round-trips
losslessly to CityJSON 2.0 and CityJSONSeq, and what we write validates against the official
schema."""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path

import jsonschema_rs
import pytest

from citytwin.app.commands.convert import ConvertParams, run_convert
from citytwin.io.registry import read, write
from citytwin.semantics.compare import diff_models
from tests.conftest import SHARED

from tests.conftest import ROOT  # noqa: E402

LOCAL = ROOT / "tests" / "data" / "cityjson"
SCHEMAS = ROOT / "resources" / "schemas" / "cityjson" / "2.0"


def _files() -> list[Path]:
    base = SHARED / "cityjson" if (SHARED / "cityjson").exists() else LOCAL
    return sorted(p for p in base.rglob("*") if p.is_file() and p.name.endswith((".json", ".jsonl"))
                  and p.name != "invariants.json" and not p.name.endswith(".ext.json"))


def _manifest() -> dict[str, str]:
    m = SHARED / "MANIFEST.tsv"
    if not m.exists():
        return {}
    with open(m, newline="") as f:
        return {r["path"]: r["contents"] for r in csv.DictReader(f, delimiter="\t")}


FILES = _files()
IDS = [str(p.relative_to(p.parents[1] if p.parent.name != "cityjson" else p.parent)) for p in FILES]
MANIFEST = _manifest()


@pytest.fixture(scope="module")
def validators():
    doc = jsonschema_rs.validator_for(json.loads((SCHEMAS / "cityjson.min.schema.json").read_text()))
    feat = jsonschema_rs.validator_for(json.loads((SCHEMAS / "cityjsonfeature.min.schema.json").read_text()))
    return doc, feat


def _expected_counts(path: Path) -> dict[str, int] | None:
    try:
        key = str(path.relative_to(SHARED))
    except ValueError:
        return None
    contents = MANIFEST.get(key, "")
    m = re.search(r"objs ([^;]*);", contents)
    if not m:
        return None
    counts: dict[str, int] = {}
    for part in m.group(1).split(","):
        part = part.strip()
        if part:
            name, n = part.rsplit(":", 1)
            name = "GenericCityObject" if name == "+GenericCityObject" else name  # 1.1 -> 2.0
            counts[name] = counts.get(name, 0) + int(n)
    return counts


@pytest.mark.parametrize("path", FILES, ids=IDS)
def test_loads_with_expected_objects(path: Path) -> None:
    model = read(path)
    expected = _expected_counts(path)
    if expected is not None:
        assert model.summary_counts() == expected
    tri = model.triangulate()
    assert len(tri.object_index) == len(tri.triangles)
    if len(tri):
        assert tri.object_index.max() < len(model.objects)


def _schema_errors(validator, doc) -> list[str]:
    """Up to five schema errors (is_valid first: iterating all errors of a very wrong document,
    e.g. CityJSON 1.0 against the 2.0 schema, makes jsonschema-rs take gigabytes)."""
    if validator.is_valid(doc):
        return []
    return [e.message[:200] for e, _ in zip(validator.iter_errors(doc), range(5))]


_CJIO_UPGRADE = """
import json, sys
from cjio import cityjson as cj
try:
    with open(sys.argv[1]) as f:
        cm = cj.CityJSON(file=f)
    ok, _ = cm.upgrade_version("2.0", 3)
except Exception:
    ok = False
print(json.dumps(cm.j if ok else None))
"""


def _cjio_upgraded(path: Path) -> dict | None:
    """The document as cjio upgrades it to CityJSON 2.0, or None when cjio cannot.

    Run in a child process: importing cjio replaces Python's JSON float encoder for the whole
    process (6 decimals), which rounds everything later written with :mod:`json` there,
    pyproj's compound-CRS definitions included (see :mod:`citytwin.json_floats`)."""
    import importlib.util
    import subprocess
    import sys

    if importlib.util.find_spec("cjio") is None:
        pytest.skip("cjio is not installed")
    out = subprocess.run([sys.executable, "-c", _CJIO_UPGRADE, str(path)], capture_output=True, text=True)
    if out.returncode != 0 or not out.stdout.strip():
        return None
    return json.loads(out.stdout.strip().splitlines()[-1])


def _unsaid(diffs: list[str], model) -> list[str]:
    """The differences the writer did not announce: an ``extensions`` entry it left out with a
    warning (no version, which CityJSON 2.0 requires) is a said loss, not a silent one."""
    said = any(p.message.startswith("extension ") and "left out" in p.message for p in model.problems)
    return [d for d in diffs if not (said and d == "extensions differ")]


@pytest.mark.parametrize("path", FILES, ids=IDS)
def test_roundtrip_is_lossless_and_valid(path: Path, tmp_path: Path, validators) -> None:
    doc_v, feat_v = validators
    model = read(path)
    source_valid = True
    if path.suffix == ".json":
        src = json.loads(path.read_bytes())
        if src.get("version") != "2.0":  # judged after cjio's (independent) upgrade to 2.0
            src = _cjio_upgraded(path)
        source_valid = src is not None and doc_v.is_valid(src)
    out = tmp_path / "out.city.json"
    write(model, out)
    back = read(out)
    assert _unsaid(diff_models(model, back), model) == []
    if source_valid:  # a file that was valid stays valid
        assert _schema_errors(doc_v, json.loads(out.read_bytes())) == []
    seq = tmp_path / "out.city.jsonl"
    write(model, seq)
    back = read(seq)
    assert _unsaid(diff_models(model, back), model) == []
    if source_valid:
        lines = seq.read_text().splitlines()
        assert _schema_errors(doc_v, json.loads(lines[0])) == []
        for ln in lines[1:]:
            assert _schema_errors(feat_v, json.loads(ln)) == []


@pytest.mark.parametrize("path", [p for p in FILES if p.name.endswith(".city.json")],
                         ids=[i for p, i in zip(FILES, IDS) if p.name.endswith(".city.json")])
def test_convert_command_is_lossless(path: Path, tmp_path: Path) -> None:
    """``convert`` (which may take the cityjson-lib fast path) keeps the same model."""
    out = tmp_path / "conv.city.json"
    res = run_convert(ConvertParams(path, out))
    said = any(str(w).startswith("extension ") and "left out" in str(w) for w in res.write_problems)
    diffs = diff_models(read(path), read(out))
    assert [d for d in diffs if not (said and d == "extensions differ")] == []


def test_fast_path_is_taken_for_plain_cityjson_2_only_when_asked(tmp_path: Path) -> None:
    src = LOCAL / "multi_lod_v2.0.city.json"
    res = run_convert(ConvertParams(src, tmp_path / "o.city.json"))
    assert not res.fast_path  # the default gives the full reader's result (issue 17 item 5)
    res = run_convert(ConvertParams(src, tmp_path / "o.city.json", fast_path=True))
    assert res.fast_path and res.objects == 10
    res = run_convert(ConvertParams(LOCAL / "rotterdam_textured" / "rotterdam_subset_v2.0.city.json",
                                    tmp_path / "t.city.json", fast_path=True))
    assert not res.fast_path  # textures take the full path


def test_upgrade_matches_cjio(tmp_path: Path) -> None:
    """Our 1.0/1.1 -> 2.0 upgrade agrees with cjio's on ids, types and LoDs."""
    for name in ("denhaag_DH_01_subs_v1.1.city.json", "geomtemplate_1_v1.0.city.json"):
        src = LOCAL / name
        ref = _cjio_upgraded(src)
        assert ref is not None
        ours = read(src)
        assert set(ours.objects) == set(ref["CityObjects"])
        for oid, co in ref["CityObjects"].items():
            assert ours.objects[oid].type == co["type"]
            templates = ref.get("geometry-templates", {}).get("templates", [])
            expected = [g.get("lod") if g["type"] != "GeometryInstance" else templates[g["template"]].get("lod")
                        for g in co.get("geometry", [])]  # an instance has the LoD of its template
            assert [g.lod for g in ours.objects[oid].geometry] == expected


def test_textures_resolve_relative_to_the_file() -> None:
    m = read(LOCAL / "rotterdam_textured" / "rotterdam_subset_v2.0.city.json")
    paths = [m.appearance.image_path(i) for i in range(len(m.appearance.textures))]
    assert any(p and Path(p).exists() for p in paths)
    tri = m.triangulate()
    assert tri.uv is not None and (tri.texture_index >= 0).any()
    uv = tri.uv[tri.texture_index >= 0]
    assert uv.min() >= -0.01 and uv.max() <= 1.01
