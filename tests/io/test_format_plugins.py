"""Format families: every built-in family declares its formats, and a third-party package adds a
format through the ``citytwin.formats`` entry-point group without editing the registry.

The plug-in is a real (if tiny) installed distribution: a package and a ``.dist-info`` folder with
``entry_points.txt`` on ``sys.path``, found by :mod:`importlib.metadata` as pip-installed ones are.
"""

from __future__ import annotations

import importlib
import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np
import pytest

from citytwin.io import registry
from citytwin.io.formatspec import FormatSpec, Sniffer

ROOT = Path(__file__).resolve().parents[2]

#: a toy format: "TOYCITY" then one "x y z" line per vertex; every 3 vertices make a triangle
TOY_FORMATS = '''
from citytwin.io.formatspec import FormatSpec, Sniffer

FORMATS = (FormatSpec("toy", "Toy triangles", (".toy",), "toycity_plugin.reader:read_toy"),)
SNIFFERS = (Sniffer("toy", lambda head, path: head.startswith(b"TOYCITY")),)
'''
TOY_READER = '''
from pathlib import Path

import numpy as np

from citytwin.semantics.geometry import Geometry
from citytwin.semantics.model import CityModel, CityObject


def read_toy(path, **options):
    rows = Path(path).read_text().split("\\n")[1:]
    v = np.array([[float(x) for x in r.split()] for r in rows if r.strip()], dtype=np.float64)
    n = len(v) // 3
    m = CityModel()
    m.vertices = v
    g = Geometry(type="MultiSurface", lod="1", indices=np.arange(3 * n, dtype=np.int64),
                 ring_offsets=np.arange(0, 3 * n + 1, 3, dtype=np.int64),
                 surface_offsets=np.arange(n + 1, dtype=np.int64))
    m.objects["toy1"] = CityObject("toy1", "GenericCityObject", {"source": "toy"}, geometry=[g])
    m.source = {"path": str(path), "format": "toy"}
    m.touch()
    return m
'''


def install_fake_distribution(site: Path, entry_points: str, package: dict[str, str] | None = None) -> None:
    """A distribution as pip leaves it: the package and ``<name>-<version>.dist-info``."""
    if package:
        pkg = site / "toycity_plugin"
        pkg.mkdir(parents=True)
        for name, text in package.items():
            (pkg / name).write_text(textwrap.dedent(text))
    info = site / "toycity_plugin-0.1.dist-info"
    info.mkdir(parents=True)
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: toycity-plugin\nVersion: 0.1\n")
    (info / "entry_points.txt").write_text(entry_points)


@pytest.fixture
def clean_registry(monkeypatch):
    """The registry's tables as they are now, restored after the test (plug-ins forgotten)."""
    monkeypatch.setattr(registry, "FORMATS", dict(registry.FORMATS))
    monkeypatch.setattr(registry, "_SNIFFERS", list(registry._SNIFFERS))
    monkeypatch.setattr(registry, "_plugins", {"loaded": False})
    yield registry
    for mod in [m for m in sys.modules if m.split(".")[0] == "toycity_plugin"]:
        del sys.modules[mod]


def toy_file(tmp_path: Path, name: str = "scene.txt") -> Path:
    p = tmp_path / name
    p.write_text("TOYCITY\n0 0 0\n1 0 0\n0 1 0\n0 0 1\n1 0 1\n0 1 1\n")
    return p


def test_builtin_families_declare_every_format():
    """Each family's ``formats`` module declares its formats; the registry holds exactly those."""
    declared = {}
    for fam in registry.BUILTIN_FAMILIES:
        mod = importlib.import_module(fam)
        assert mod.FORMATS, fam
        for spec in mod.FORMATS:
            assert isinstance(spec, FormatSpec)
            for target in (spec.reader, spec.writer):
                if target:  # every "module:function" names a module of the same family
                    assert target.startswith(fam.rsplit(".", 1)[0] + "."), (fam, target)
            declared[spec.name] = spec
        assert all(isinstance(s, Sniffer) for s in getattr(mod, "SNIFFERS", ()))
    builtin = {k: v for k, v in registry.FORMATS.items() if k in declared}
    assert builtin == declared
    assert set(declared) >= {"cityjson", "cityjsonseq", "citygml", "ifc", "mesh", "b3dm", "gltf", "obj",
                             "gpkg", "3dtiles"}


def test_a_format_registered_through_an_entry_point_is_read(tmp_path, monkeypatch, clean_registry):
    site = tmp_path / "site"
    install_fake_distribution(site, "[citytwin.formats]\ntoy = toycity_plugin.formats\n",
                              {"__init__.py": "", "formats.py": TOY_FORMATS, "reader.py": TOY_READER})
    monkeypatch.syspath_prepend(str(site))
    importlib.invalidate_caches()
    assert "toy" not in clean_registry.FORMATS  # nothing loaded before the registry is used
    path = toy_file(tmp_path)  # a .txt name: found by its content (the plug-in's sniffer)
    assert clean_registry.detect_format(path).name == "toy"
    assert "toy" in [s.name for s in clean_registry.readable_formats()]
    m = clean_registry.read(path)
    assert list(m.objects) == ["toy1"]
    g = m.objects["toy1"].geometry[0]
    assert g.n_surfaces == 2
    np.testing.assert_array_equal(m.vertices[g.indices[3:6]], [[0, 0, 1], [1, 0, 1], [0, 1, 1]])
    # and by extension when the content says nothing
    other = tmp_path / "b.toy"
    other.write_text("something else\n")
    assert clean_registry.detect_format(other).name == "toy"


def test_entry_point_format_works_from_the_command_line(tmp_path):
    """End to end in a fresh process: `citytwin info` reads the plug-in's format."""
    site = tmp_path / "site"
    install_fake_distribution(site, "[citytwin.formats]\ntoy = toycity_plugin.formats\n",
                              {"__init__.py": "", "formats.py": TOY_FORMATS, "reader.py": TOY_READER})
    path = toy_file(tmp_path)
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(site)] + [p for p in sys.path if p])
    res = subprocess.run([sys.executable, "-m", "citytwin", "info", "--json", str(path)], capture_output=True,
                         text=True, env=env, timeout=300)
    assert res.returncode == 0, res.stderr
    info = json.loads(res.stdout)
    assert info["format"] == "toy"
    assert (info["objects"], info["vertices"], info["triangles"]) == (1, 6, 2)


def test_a_broken_plugin_is_skipped_with_a_warning(tmp_path, monkeypatch, clean_registry):
    site = tmp_path / "site"
    install_fake_distribution(site, "[citytwin.formats]\nbroken = toycity_plugin_missing.formats\n")
    monkeypatch.syspath_prepend(str(site))
    importlib.invalidate_caches()
    with pytest.warns(registry.FormatPluginWarning, match="broken.*toycity_plugin_missing"):
        names = [s.name for s in clean_registry.readable_formats()]
    assert "cityjson" in names  # the built-in formats still work
    sample = ROOT / "resources" / "sample" / "3dbag_b2_v2.0.city.json"
    assert clean_registry.detect_format(sample).name == "cityjson"


def test_a_plugin_may_not_take_over_a_builtin_format(tmp_path, monkeypatch, clean_registry):
    site = tmp_path / "site"
    takeover = TOY_FORMATS.replace('FormatSpec("toy"', 'FormatSpec("cityjson"')
    install_fake_distribution(site, "[citytwin.formats]\nthief = toycity_plugin.formats\n",
                              {"__init__.py": "", "formats.py": takeover, "reader.py": TOY_READER})
    monkeypatch.syspath_prepend(str(site))
    importlib.invalidate_caches()
    before = clean_registry.FORMATS["cityjson"]
    with pytest.warns(registry.FormatPluginWarning, match="'cityjson' is already registered"):
        clean_registry.load_plugins()
    assert clean_registry.FORMATS["cityjson"] is before
