"""The ``.gml.gz`` pre-scan for top-level appearances (issue 17 items 6-7).

The reader needs to know, before it drops the polygon index of a batch, whether the file has
top-level ``appearanceMember`` elements. That scan decompressed the whole stream before parsing
began, so a file malformed near its start ran a full extra pass (up to the decompression-bomb
limit, 200 times its size) before its one-line error. Now the scan runs when the first batch is
flushed; a file that fails before that never scans. The scan itself streams (4 MB chunks, bounded
by the same limit, linear: 300 MB of real CityGML scanned in 5.3 s where zlib alone took 7.7 s on a
loaded machine).

Input: the real Den Haag CityGML file (tests/data/citygml/DenHaag_1BwBP.gml), its building
repeated to ~40 MB and gzipped, once intact and once with a broken tag in the first building.
"""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest

from citytwin.errors import InputError
from citytwin.io.citygml import probe
from citytwin.io.citygml.reader import read_citygml

SRC = Path(__file__).resolve().parents[1] / "data" / "citygml" / "DenHaag_1BwBP.gml"


def _repeated(path: Path, copies: int, break_first: bool = False) -> Path:
    src = SRC.read_bytes()
    a = src.index(b"<cityObjectMember>")
    b = src.rindex(b"</cityObjectMember>") + len(b"</cityObjectMember>")
    member = src[a:b]
    first = member.replace(b"</bldg:Building>", b"</bldg:Buildin>", 1) if break_first else member
    assert first != member or not break_first
    with gzip.open(path, "wb", compresslevel=1) as f:
        f.write(src[:a] + first + member * (copies - 1) + src[b:])
    return path


@pytest.fixture()
def scans(monkeypatch) -> list[Path]:
    calls: list[Path] = []
    real = probe.has_top_level_appearances

    def counting(path):
        calls.append(path)
        return real(path)

    monkeypatch.setattr(probe, "has_top_level_appearances", counting)
    return calls


def test_malformed_start_fails_without_scanning_the_stream(tmp_path: Path, scans) -> None:
    bad = _repeated(tmp_path / "broken.gml.gz", 650, break_first=True)  # ~40 MB of XML
    with pytest.raises(InputError) as err:
        read_citygml(bad, workers=1)
    assert str(bad) in str(err.value) and "line" in str(err.value)
    assert scans == []


def test_intact_file_is_scanned_once_and_read(tmp_path: Path, scans) -> None:
    good = _repeated(tmp_path / "good.gml.gz", 20)
    model = read_citygml(good, workers=1)
    assert len(scans) == 1
    plain = read_citygml(SRC, workers=1)
    assert set(model.objects) == set(plain.objects)  # the copies share their gml:ids
