"""Architecture: the import contracts hold and the CLI starts without Qt or VTK."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def test_import_contracts() -> None:
    exe = Path(sys.executable).parent / "lint-imports"
    if not exe.exists():
        found = shutil.which("lint-imports")
        if not found:
            pytest.fail("import-linter is not installed")
        exe = Path(found)
    res = subprocess.run([str(exe)], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert res.returncode == 0, res.stdout[-3000:]
    assert "broken" not in res.stdout.lower() or " 0 broken" in res.stdout.lower()
    # the app's own layers are checked too: qt above session above render | cli above commands
    assert "App sub-layers: qt above session above render and cli above commands KEPT" in res.stdout


def test_cli_help_imports_no_gui_or_heavy_libraries() -> None:
    """`citytwin --help` must stay fast on servers: no Qt, VTK, open3d or ifcopenshell imported."""
    code = (
        "import sys\n"
        "from citytwin.app.cli import main\n"
        "try:\n    main(['--help'])\nexcept SystemExit:\n    pass\n"
        "heavy = ('PySide6', 'vtk', 'vtkmodules', 'pyvista', 'pyvistaqt', 'open3d', 'ifcopenshell')\n"
        "bad = sorted({m.split('.')[0] for m in sys.modules if m.split('.')[0] in heavy})\n"
        "print('HEAVY=' + ','.join(bad))\n"
    )
    res = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert res.returncode == 0, res.stderr
    line = [ln for ln in res.stdout.splitlines() if ln.startswith("HEAVY=")][-1]
    assert line == "HEAVY=", f"citytwin --help imported heavy libraries: {line[6:]}"


def test_app_sub_layers_are_a_contract() -> None:
    """app.qt -> app.session -> app.render | app.cli -> app.commands is one of the checked contracts
    (issue 12; the session model sits between the GUI and the scene it builds)."""
    import tomllib

    contracts = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]["contracts"]
    layers = [c["layers"] for c in contracts if c["type"] == "layers"]
    sub = [c for c in contracts if c["type"] == "layers" and c.get("containers") == ["citytwin.app"]]
    assert [c["layers"] for c in sub] == [["qt", "session", "render : cli", "commands"]], layers
