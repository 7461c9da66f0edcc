"""Texture images and appearance travel with what is written, once, and only what is used."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

from citytwin.app.commands.convert import ConvertParams, run_convert
from tests.conftest import DATA

ROTTERDAM = DATA / "cityjson" / "rotterdam_textured" / "rotterdam_subset_v2.0.city.json"  # 74 textures, 1 image


def _images_per_object(doc: dict) -> dict[str, Counter]:
    """Image name of every textured ring, per object, walking the JSON (independent of our reader)."""
    images = [t["image"] for t in doc.get("appearance", {}).get("textures", [])]

    def walk(v, out):
        if isinstance(v, list):
            if v and isinstance(v[0], int) and len(v) > 1:  # [texture, uv, uv, ...]
                out[images[v[0]]] += 1
            else:
                for x in v:
                    walk(x, out)

    res = {}
    for oid, o in doc["CityObjects"].items():
        c: Counter = Counter()
        for g in o.get("geometry", []):
            for theme in (g.get("texture") or {}).values():
                walk(theme["values"], c)
        res[oid] = c
    return res


def _uv_ids(v):
    if isinstance(v, list):
        if v and isinstance(v[0], int) and len(v) > 1:
            yield from v[1:]
        else:
            for x in v:
                yield from _uv_ids(x)


def test_bbox_writes_only_the_textures_and_texture_vertices_it_uses(tmp_path):
    """--bbox keeping 4 of 16 buildings wrote all 74 textures and 1000 texture vertices (and
    tried to copy 73 missing images): the subset shared its input's appearance. Now convert's
    filters prune it (semantics.appearance_use): only what the 4 use, each ring's image unchanged."""
    out = tmp_path / "o.city.json"
    res = run_convert(ConvertParams(input=ROTTERDAM, output=out, bbox=(90930, 435615, 90950, 435640)))
    src, doc = json.loads(ROTTERDAM.read_text()), json.loads(out.read_text())
    kept = set(doc["CityObjects"])
    assert len(kept) == 4
    want = _images_per_object(src)
    got = _images_per_object(doc)
    assert {k: want[k] for k in kept} == got
    used_images = set().union(*(set(c) for c in got.values()))
    assert len(doc["appearance"]["textures"]) == len(used_images) < 74
    n_uv = len(doc["appearance"]["vertices-texture"])
    uv_ids = {i for o in doc["CityObjects"].values() for g in o.get("geometry", [])
              for t in (g.get("texture") or {}).values() for i in _uv_ids(t["values"])}
    assert uv_ids == set(range(n_uv)) and n_uv < 1000  # every written texture vertex is used
    missing = [w for w in res.write_problems if "not found" in w]
    assert len(missing) == len(used_images - {"appearances/0320_4_15.jpg"})


def test_missing_texture_image_is_said_once_with_its_reason(tmp_path):
    """The CityGML writer copied the images and convert copied them again: each missing image
    was two warnings. One mechanism now (io.registry.write): one warning per missing image,
    naming where it was looked for; the image that exists is copied."""
    out = tmp_path / "o.gml"
    res = run_convert(ConvertParams(input=ROTTERDAM, output=out))
    missing = [w for w in res.write_problems if "not found" in w]
    assert len(missing) == len(set(missing)) == 73
    assert all("the input's image is missing" in w and str(ROTTERDAM.parent) in w for w in missing)
    assert (tmp_path / "appearances" / "0320_4_15.jpg").stat().st_size == \
        (ROTTERDAM.parent / "appearances" / "0320_4_15.jpg").stat().st_size


def test_writing_from_the_api_copies_images_for_cityjson_too(tmp_path):
    """The GUI's save and other writers of a model got images only for CityGML: they all go
    through the export command now; io.registry.write serializes the model file alone."""
    from citytwin.app.commands.export import export_model
    from citytwin.io.registry import read, write

    m = read(ROTTERDAM)
    res = export_model(m, tmp_path / "o.city.json")
    assert (tmp_path / "appearances" / "0320_4_15.jpg").exists()
    assert res.images == ((tmp_path / "appearances" / "0320_4_15.jpg").resolve(),)
    assert m.appearance.textures[0]["image"].startswith("appearances/")  # the model is unchanged
    (tmp_path / "pure").mkdir()
    write(m, tmp_path / "pure" / "o.city.json")  # the serializer: the model file only
    assert (tmp_path / "pure" / "o.city.json").exists() and not (tmp_path / "pure" / "appearances").exists()
