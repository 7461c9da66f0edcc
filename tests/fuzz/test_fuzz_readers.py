"""Fuzz every reader through the real CLI: mutated real files must give exit 0 or 1, one
``error:`` line naming the file, no traceback, no hang, bounded memory, and nothing at the output
path on failure (see :mod:`tests.fuzz.harness`).

In CI (the default) each format runs a fixed, derandomized set of ``CITYTWIN_FUZZ_EXAMPLES``
cases (8), so a run is reproducible and takes about two minutes on two cores. ``make fuzz`` sets
``CITYTWIN_FUZZ_SECONDS`` (a total time budget, shared by the formats) and runs random cases until
it is spent, printing how many ran. A failing case is saved under ``CITYTWIN_FUZZ_FOUND``
(default: the system temp folder / citytwin-fuzz-found) and named in the failure message, to be
made a regression test in tests/io/test_hostile_*.py.
"""

from __future__ import annotations

import hashlib
import json
import os
import random
import shutil
import sys
import tempfile
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, Phase, given, seed, settings
from hypothesis import strategies as st

sys.path.insert(0, str(Path(__file__).resolve().parent))
from harness import check_invariants, run_call, run_cli, warm  # noqa: E402
from mutate import (mutated_bytes, mutated_gzip, mutated_json, mutated_xml)  # noqa: E402
from seeds import Seed, seeds  # noqa: E402

EXAMPLES = int(os.environ.get("CITYTWIN_FUZZ_EXAMPLES", 8))
SECONDS = float(os.environ.get("CITYTWIN_FUZZ_SECONDS", 0))
FOUND = Path(os.environ.get("CITYTWIN_FUZZ_FOUND", Path(tempfile.gettempdir()) / "citytwin-fuzz-found"))
SEEDS = seeds()
COUNTS: dict[str, int] = {}
FAILURES: dict[str, list[str]] = {}


def _glb_json_mutation(data: bytes):
    """Strategy: a GLB whose JSON chunk is tree-mutated (binary chunk kept)."""
    import struct

    n = struct.unpack_from("<I", data, 12)[0]
    doc = json.loads(data[20:20 + n])
    rest = data[20 + n:]

    def pack(js: bytes) -> bytes:
        js = js + b" " * (-len(js) % 4)
        body = struct.pack("<II", len(js), 0x4E4F534A) + js + rest
        return b"glTF" + struct.pack("<II", 2, 12 + len(body)) + body

    return mutated_json(doc).map(pack)


def _jsonl_mutation(data: bytes):
    lines = data.decode().splitlines()

    @st.composite
    def strat(draw):
        i = draw(st.integers(0, len(lines) - 1))
        new = draw(mutated_json(json.loads(lines[i]))).decode()
        return "\n".join(lines[:i] + [new] + lines[i + 1:]).encode() + b"\n"

    return strat()


def _strategy(family: str, s: Seed):
    """The mutation strategy for one seed."""
    if family in ("cityjson", "tileset", "gltf"):
        return st.one_of(mutated_json(json.loads(s.data)), mutated_bytes(s.data)) if family != "cityjson" \
            else mutated_json(json.loads(s.data))
    if family == "cityjsonseq":
        return st.one_of(_jsonl_mutation(s.data), mutated_bytes(s.data))
    if family == "citygml":
        return mutated_xml(s.data)
    if family == "citygml_gz":
        return st.one_of(mutated_gzip(s.data), mutated_xml(s.data).flatmap(mutated_gzip))
    if family == "glb":
        return st.one_of(mutated_bytes(s.data), _glb_json_mutation(s.data))
    return mutated_bytes(s.data)


def _cases(family: str):
    """Strategy of (seed, mutated bytes, command) for a family."""
    return st.sampled_from(SEEDS[family]).flatmap(
        lambda s: st.tuples(st.just(s), _strategy(family, s),
                            st.sampled_from(["info", "convert"] if family != "epw" else ["weather"])))


def _save(family: str, s: Seed, data: bytes) -> Path:
    FOUND.mkdir(parents=True, exist_ok=True)
    p = FOUND / f"{family}-{hashlib.sha1(data).hexdigest()[:12]}-{s.name}"
    p.write_bytes(data)
    return p


def _read_weather(path: Path) -> int:
    from citytwin.analysis.weather import read_weather
    from citytwin.errors import CityTwinError

    try:
        read_weather(path)
    except CityTwinError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    return 0


def _warm(family: str) -> None:
    """Import what the family's reader needs before forking (see harness.warm)."""
    if family == "epw":
        import citytwin.analysis.weather  # noqa: F401
        return
    with tempfile.TemporaryDirectory(prefix="citytwin-fuzz-warm-") as tmp:
        paths = []
        for s in SEEDS[family]:
            for name, blob in s.side.items():
                (Path(tmp) / name).write_bytes(blob)
            (Path(tmp) / s.name).write_bytes(s.data)
            paths.append(Path(tmp) / s.name)
        warm(paths)


def _one_case(family: str, case) -> None:
    s, data, command = case
    COUNTS[family] = COUNTS.get(family, 0) + 1
    with tempfile.TemporaryDirectory(prefix="citytwin-fuzz-") as tmp:
        folder = Path(tmp) / "in"
        folder.mkdir()
        for name, blob in s.side.items():
            (folder / name).write_bytes(blob)
        path = folder / s.name
        path.write_bytes(data)
        output = Path(tmp) / "out" / "result.city.json"
        if command == "weather":
            out = run_call(lambda: _read_weather(path))
            output = None
        elif command == "info":
            out = run_cli(["info", str(path), "--json"])
            output = None
        else:
            output.parent.mkdir()
            out = run_cli(["convert", str(path), str(output), "--quiet"])
        try:
            check_invariants(out, path, output)
        except AssertionError as exc:
            saved = _save(family, s, data)
            msg = f"{command} on a mutation of {s.name} (saved as {saved}): {exc}"
            if SECONDS:  # a long run goes on and lists every failure at the end
                FAILURES.setdefault(family, []).append(msg)
                return
            raise AssertionError(msg) from None


FAMILIES = sorted(SEEDS)
#: formats whose one case costs seconds (pvlib parses 8760 rows; IFC starts a geometry worker)
SLOW = {"epw", "ifc"}


@pytest.mark.parametrize("family", FAMILIES)
def test_fuzz_reader(family: str) -> None:
    """Mutations of the real files of one format keep the CLI's invariants."""
    _warm(family)

    def body(case):
        _one_case(family, case)

    # no shrinking: a case costs a fork and a read (~0.5-2 s); the failing file is saved as found
    common = dict(deadline=None, database=None, suppress_health_check=list(HealthCheck),
                  phases=[Phase.explicit, Phase.generate])
    t0 = time.monotonic()
    if not SECONDS:
        n = max(2, EXAMPLES // 3) if family in SLOW else EXAMPLES
        settings(max_examples=n, derandomize=True, **common)(given(_cases(family))(body))()
    else:
        end = t0 + SECONDS / len(FAMILIES)
        n = random.randrange(2**32)
        while time.monotonic() < end:
            seed(n)(settings(max_examples=20, **common)(given(_cases(family))(body)))()
            n += 1
    print(f"\nfuzz {family}: {COUNTS.get(family, 0)} cases in {time.monotonic() - t0:.0f} s, "
          f"{len(FAILURES.get(family, []))} failing", file=sys.stderr)
    assert not FAILURES.get(family), "\n\n".join(FAILURES[family])
