"""``--crs`` (convert) and ``--assign-crs`` (every command) are parsed by one function,
:func:`citytwin.app.commands.load.parse_crs_option`, checked against pyproj (the oracle)."""

from __future__ import annotations

import pytest

from citytwin.errors import UsageError


@pytest.mark.parametrize("flag", ["--crs", "--assign-crs"])
def test_parse_crs_option_agrees_with_pyproj(flag: str) -> None:
    import pyproj

    from citytwin.app.commands.load import parse_crs_option

    crs = parse_crs_option(flag, "EPSG:7415")
    assert crs.to_pyproj().equals(pyproj.CRS.from_user_input("EPSG:7415"))
    with pytest.raises(UsageError, match=f"^{flag} is empty: give "):
        parse_crs_option(flag, " ")
    with pytest.raises(UsageError, match=f"^{flag} 'EPSG:999999': "):
        parse_crs_option(flag, "EPSG:999999")


def test_convert_and_assign_share_the_parser(tmp_path, monkeypatch) -> None:
    """Both commands go through parse_crs_option with their own flag (no second copy)."""
    from citytwin.app.commands import convert, load
    from citytwin.semantics.model import CityModel

    seen: list[str] = []
    real = load.parse_crs_option

    def spy(flag: str, text: str):
        seen.append(flag)
        return real(flag, text)

    monkeypatch.setattr(load, "parse_crs_option", spy)
    monkeypatch.setattr(convert, "parse_crs_option", spy)
    load.assign_crs(CityModel(), "EPSG:28992")
    src = tmp_path / "in.city.json"
    src.write_text('{"type":"CityJSON","version":"2.0","transform":{"scale":[1,1,1],"translate":[0,0,0]},'
                   '"CityObjects":{},"vertices":[]}')
    with pytest.raises(UsageError, match="--crs 'nonsense'"):
        convert.run_convert(convert.ConvertParams(src, tmp_path / "out.city.json", crs="nonsense"))
    assert seen == ["--assign-crs", "--crs"]
    assert not hasattr(convert, "_target_crs")
