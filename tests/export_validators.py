"""Official validators for the export tests: the Khronos glTF validator and the CesiumGS 3D Tiles
validator, both Node.js programs. Tests skip (with the reason) only where they cannot run.

- glTF: ``make node-tools`` installs npm ``gltf-validator`` under ``.tools/`` (run by ``make test``).
- 3D Tiles: not on npm; built from its source outside the repository. Set
  ``CITYTWIN_3DTILES_VALIDATOR`` to its CLI (``.../3d-tiles-validator/build/main.js``).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.conftest import ROOT

GLTF_VALIDATOR = ROOT / ".tools" / "node_modules" / "gltf-validator"
_RUNNER = Path(__file__).with_name("gltf_validate.js")


def _node() -> str:
    node = shutil.which("node")
    if node is None:
        pytest.skip("Node.js is not installed: the official glTF / 3D Tiles validators cannot run")
    return node


def gltf_reports(*paths: Path) -> list[dict]:
    """Khronos glTF validator reports ``{"file", "errors", "warnings", "messages"}`` per file."""
    node = _node()
    if not (GLTF_VALIDATOR / "package.json").exists():
        pytest.skip(f"the glTF validator is not installed at {GLTF_VALIDATOR} (run `make node-tools`)")
    out = subprocess.run([node, str(_RUNNER), str(GLTF_VALIDATOR), *map(str, paths)],
                         capture_output=True, text=True, timeout=600)
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout)


def tiles_report(tileset: Path) -> dict:
    """CesiumGS 3D Tiles validator report of a tileset (its JSON output)."""
    cli = os.environ.get("CITYTWIN_3DTILES_VALIDATOR")
    if not cli:
        pytest.skip("CITYTWIN_3DTILES_VALIDATOR is not set (the CesiumGS 3D Tiles validator is not on npm; "
                    "build it from github.com/CesiumGS/3d-tiles-validator and point this at build/main.js)")
    node = _node()
    out = subprocess.run([node, cli, "--tilesetFile", str(tileset)], capture_output=True, text=True, timeout=600)
    text = out.stdout
    start = text.find("{")
    assert start >= 0, f"no report from the 3D Tiles validator: {out.stdout}\n{out.stderr}"
    return json.loads(text[start:])
