"""Validation matches vertices by 1 mm in the model's own units: a model in degrees is judged
like the same model in metres (it was snapped to 1e-3 degree, about 100 m, merging vertices)."""

from __future__ import annotations

from citytwin.io.registry import read, write
from citytwin.semantics.validate import validate_model
from tests.conftest import DATA


def test_model_written_in_degrees_validates_like_the_source(tmp_path):
    src = read(DATA / "cityjson" / "3dbag_b2_v2.0.city.json")
    assert validate_model(src) == []
    src.reproject("EPSG:4979")
    out = tmp_path / "deg.city.json"
    write(src, out)  # quantised at ~1e-8 degrees
    back = read(out)
    assert back.crs.to_string().startswith("EPSG:4979")
    assert [p.message for p in validate_model(back)] == []
