"""CityJSONSeq (``.city.jsonl``) reader: a CityJSON header line, then one CityJSONFeature per line.

A broken feature line is reported (with its line number) and skipped, the rest loads; a broken
first line makes the whole file unreadable.
"""

from __future__ import annotations

from pathlib import Path

from citytwin.errors import InputError, ProblemLog
from citytwin.io.cityjson.reader import _read_bytes, loads_json, model_from_document
from citytwin.semantics.model import CityModel


def read_cityjsonseq(path: str | Path, data: bytes | None = None) -> CityModel:
    """Read a CityJSONSeq file into one CityModel (all features share the header's transform)."""
    import orjson

    path = Path(path)
    if data is None:
        data = _read_bytes(path)
    lines = data.splitlines()
    first = next((i for i, ln in enumerate(lines) if ln.strip()), None)
    if first is None:
        raise InputError(path, "the file is empty")
    problems = ProblemLog()
    try:
        header = orjson.loads(lines[first])
    except orjson.JSONDecodeError:
        # maybe one pretty-printed CityJSONFeature
        doc = loads_json(data, path)
        if isinstance(doc, dict) and doc.get("type") == "CityJSONFeature":
            lines = [orjson.dumps(doc)]
            first = -1
            header = None
        else:
            raise InputError(path, "not a CityJSONSeq file: the first line is not a JSON object",
                             f"line {first + 1}") from None
    if header is None or (isinstance(header, dict) and header.get("type") == "CityJSONFeature"):
        problems.report(None, "no CityJSON header line: feature coordinates are taken as they are "
                        "(scale 1, translate 0)")
        header = {"type": "CityJSON", "version": "2.0",
                  "transform": {"scale": [1.0, 1.0, 1.0], "translate": [0.0, 0.0, 0.0]}}
        start = first if first >= 0 else 0
    elif not isinstance(header, dict) or header.get("type") != "CityJSON":
        raise InputError(path, "not a CityJSONSeq file: the first line is not a CityJSON header",
                         f"line {first + 1}")
    else:
        start = first + 1
    header.setdefault("CityObjects", {})
    header.setdefault("vertices", [])
    features: list[dict] = []
    seen: dict[str, int] = {}
    for ln_no in range(start, len(lines)):
        raw = lines[ln_no]
        if not raw.strip():
            continue
        where = f"line {ln_no + 1}"
        try:
            feat = orjson.loads(raw)
        except orjson.JSONDecodeError as exc:
            problems.report(None, f"{where}: malformed JSON ({str(exc).split(':')[0]}); feature skipped",
                            "error")
            continue
        if not isinstance(feat, dict) or feat.get("type") != "CityJSONFeature":
            problems.report(None, f"{where}: not a CityJSONFeature (type "
                            f"{feat.get('type') if isinstance(feat, dict) else None!r}); skipped", "error")
            continue
        cos = feat.get("CityObjects")
        fid = feat.get("id")
        if not isinstance(cos, dict) or not isinstance(feat.get("vertices", []), list):
            problems.report(fid, f"{where}: feature has no CityObjects or vertices; skipped", "error")
            continue
        if fid not in cos:
            problems.report(fid, f"{where}: the feature's id {fid!r} is not one of its CityObjects; skipped",
                            "error")
            continue
        dup = [oid for oid in cos if oid in seen]
        if dup:
            problems.report(dup[0], f"{where}: object id already defined on line {seen[dup[0]]}; "
                            "feature skipped", "error")
            continue
        for oid in cos:
            seen[oid] = ln_no + 1
        features.append(feat)
    model = model_from_document(header, path, features=features, problems=problems)
    model.source["format"] = "CityJSONSeq"
    return model
