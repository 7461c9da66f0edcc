"""The triangle cache (Qt-free): keyed by content, bounded, stale and damaged entries ignored."""

from __future__ import annotations

import os
import shutil
import time

import numpy as np
import pytest

from tests.conftest import shared_path


@pytest.fixture(autouse=True)
def _cache(tmp_path, monkeypatch):
    monkeypatch.setenv("CITYTWIN_CACHE_DIR", str(tmp_path / "cache"))


def test_key_follows_content_and_context(tmp_path) -> None:
    from citytwin.app.triangle_cache import entry_key

    f = tmp_path / "a.city.json"
    shutil.copy(shared_path("cityjson", "3dbag_b2_v2.0.city.json"), f)
    k1 = entry_key(f, project_crs=None)
    assert entry_key(f, project_crs=None) == k1
    assert entry_key(f, project_crs="EPSG:32631") != k1
    st = f.stat()
    data = bytearray(f.read_bytes())
    i = data.index(b"1936")
    data[i:i + 4] = b"1937"  # same size, same time stamp: a changed file all the same
    f.write_bytes(bytes(data))
    os.utime(f, ns=(st.st_atime_ns, st.st_mtime_ns))
    assert entry_key(f, project_crs=None) != k1


def test_store_load_roundtrip_of_a_real_model() -> None:
    from citytwin.app import triangle_cache as tc
    from citytwin.io.registry import read

    path = shared_path("cityjson", "delft_v2.0.city.json")
    model = read(path)
    tri = model.triangulate()
    key = tc.entry_key(path, project_crs=None)
    assert tc.load(key) is None
    assert tc.store(key, (model, tri, ["note"])) is not None
    m2, t2, notes = tc.load(key)
    assert notes == ["note"] and len(m2) == len(model)
    assert np.array_equal(t2.triangles, tri.triangles) and np.array_equal(t2.vertices, tri.vertices)
    assert t2.object_ids == tri.object_ids


def test_damaged_entry_is_dropped() -> None:
    from citytwin.app import triangle_cache as tc

    tc.store("k", {"a": np.arange(1000)})
    p = tc.cache_dir() / "k.pickle"
    p.write_bytes(p.read_bytes()[:50])  # truncated
    assert tc.load("k") is None and not p.exists()


def test_bounded_least_recently_used_go_first() -> None:
    from citytwin.app import triangle_cache as tc

    blob = np.zeros(100_000, dtype=np.uint8)  # ~100 kB per entry
    for k in ("a", "b", "c"):
        tc.store(k, blob)
        time.sleep(0.02)
    old = time.time() - 100
    os.utime(tc.cache_dir() / "a.pickle", (old, old))
    os.utime(tc.cache_dir() / "b.pickle", (old + 10, old + 10))
    assert tc.load("a") is not None  # used: now the most recent
    assert tc.evict(220_000) == 1
    assert {p.stem for p in tc.cache_dir().glob("*.pickle")} == {"a", "c"}


def test_only_self_contained_formats(tmp_path) -> None:
    from citytwin.app.triangle_cache import cacheable

    assert cacheable(shared_path("cityjson", "delft_v2.0.city.json"))
    assert not cacheable(shared_path("mesh", "3dtiles", "1.1", "MetadataGranularities", "tileset.json"))
    assert not cacheable(tmp_path)
