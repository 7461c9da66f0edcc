"""One registry of studies: every front end is generated from the options' declarations.

An option is written once (its field in SolarOptions / ShadowOptions / SVFOptions, with label,
help, unit, range and flag); the single-command parsers, the batch parsers and the batch options
come from it. Messages from the shared layers name options by label; the CLI says its flags.
"""

from __future__ import annotations

import argparse
import dataclasses

import pytest

from citytwin.analysis.options import option_specs
from citytwin.app.commands.studies import STUDIES, study


def _subparsers() -> dict[str, argparse.ArgumentParser]:
    from citytwin.app.cli import build_parser

    root = build_parser()
    sub = next(a for a in root._actions if isinstance(a, argparse._SubParsersAction))
    out = dict(sub.choices)
    bsub = next(a for a in out["batch"]._actions if isinstance(a, argparse._SubParsersAction))
    out.update({f"batch {k}": v for k, v in bsub.choices.items()})
    return out


@pytest.mark.parametrize("name", sorted(STUDIES))
def test_cli_parser_is_the_options_declaration(name: str) -> None:
    parsers = _subparsers()
    cls = study(name).options_class()
    specs = option_specs(cls)
    flags = {a.dest: a for a in parsers[name]._actions}
    for s in specs:
        if not s.info.cli:
            assert s.name not in flags
            continue
        a = flags[s.name]
        assert s.flag in a.option_strings and a.help.startswith(s.info.help.replace("%", "%%")[:40])
        assert a.default is None  # not given: the dataclass default, written once
        if s.info.choices and s.kind == "text":
            assert tuple(a.choices) == s.info.choices
    # every field of the options (nested PV parameters flattened) is declared
    n_fields = sum(len(dataclasses.fields(f.default_factory())) if f.name == "pv" else 1
                   for f in dataclasses.fields(cls))
    assert len(specs) == n_fields
    for e in study(name).exporters:
        assert f"--{e.name}" in parsers[name]._option_string_actions


@pytest.mark.parametrize("name", ["solar", "shadow"])
def test_batch_parser_and_options_come_from_the_registry(name: str) -> None:
    from citytwin.app.commands.batch_options import analysis_options, batch_fields

    parsers = _subparsers()
    batch = {a.dest for a in parsers[f"batch {name}"]._actions}
    want = {s.name for s in option_specs(study(name).options_class()) if s.info.batch}
    assert want and want <= batch and set(batch_fields(name)) == want
    with pytest.raises(Exception, match="unknown option"):
        analysis_options(name, {"reflections": True})  # not a batch option


def test_cli_options_build_the_same_options_object() -> None:
    from citytwin.analysis.solar import SolarOptions
    from citytwin.app.cli.study_parsers import options_from_args

    args = _subparsers()["solar"].parse_args(
        ["x.city.json", "--albedo", "0.3", "--mf", "6", "--leaf-on", "11-2", "--veg-transmissivity", "0.1,0.6",
         "--reflectance", "WallSurface=0.4", "--pv-losses", "14", "--pv-model", "simple", "--surfaces", "Roof,all"])
    o = options_from_args(SolarOptions, args)
    assert o == dataclasses.replace(
        SolarOptions(), albedo=0.3, sky_mf=6, leaf_on_months=(11, 12, 1, 2), veg_transmissivity=(0.1, 0.6),
        reflectance=(("WallSurface", 0.4),), surfaces=("roof", "all"),
        pv=dataclasses.replace(SolarOptions().pv, losses_percent=14.0, model="simple"))
    assert options_from_args(SolarOptions, _subparsers()["solar"].parse_args(["x"])) == SolarOptions()


def test_messages_name_labels_and_the_cli_says_flags() -> None:
    from citytwin.analysis.solar import SolarOptions, check_options
    from citytwin.app.cli.study_parsers import cli_message
    from citytwin.errors import OptionError

    with pytest.raises(OptionError) as info:
        check_options(SolarOptions(albedo=1.5))
    assert str(info.value) == "Ground albedo must be between 0 and 1 (got 1.5)"
    assert cli_message(info.value, "solar") == "--albedo must be between 0 and 1 (got 1.5)"
    with pytest.raises(OptionError) as info:
        check_options(SolarOptions(sky_mf=6, weather_anywhere=True))
    assert cli_message(info.value, "solar") == "--weather-anywhere needs --weather"
    assert "--" not in str(info.value)


def test_cli_error_line_uses_flags(tmp_path) -> None:
    import subprocess
    import sys
    from pathlib import Path

    src = Path(__file__).resolve().parents[1] / "data" / "cityjson" / "3dbag_b2_v2.0.city.json"
    res = subprocess.run([sys.executable, "-m", "citytwin", "shadow", str(src), "--date", "2025-06-21",
                          "--time", "10:00", "--to", "12:00", "--csv", str(tmp_path / "x.csv")],
                         capture_output=True, text=True)
    assert res.returncode == 2 and res.stderr.strip() == "error: give either --time or --from/--to, not both"
