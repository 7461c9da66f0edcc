"""Which files a batch runs over, and where each one's output goes.

INPUTS are files, folders (searched recursively for files a reader knows) or glob patterns.
Outputs mirror the input names under OUTDIR: a file found inside a folder argument keeps its
path relative to that folder, a file matched by a glob keeps its path relative to the glob's
leading folder (``tiles/**/*.gml`` -> ``north/t1.gml``), a file given directly keeps its name.
"""

from __future__ import annotations

import glob
import os
from dataclasses import dataclass
from pathlib import Path

from citytwin.errors import InputError, OutputError, UsageError

#: Files in OUTDIR that belong to the batch itself and are never inputs.
REPORT_NAME = "batch-report.json"
SIDECAR_SUFFIX = ".batch.json"


@dataclass(frozen=True)
class BatchInput:
    """One input file and its name relative to OUTDIR.

    Attributes
    ----------
    path : absolute path of the input
    rel : relative path (POSIX string) the outputs are named after, e.g. ``"north/t_12.city.json"``
    size : bytes
    """

    path: Path
    rel: str
    size: int


def _readable_suffixes() -> tuple[str, ...]:
    from citytwin.io.registry import readable_formats

    suf = {e for s in readable_formats() for e in s.extensions}
    return tuple(sorted(suf | {e + ".gz" for e in suf}, key=len, reverse=True))


def _is_batch_file(name: str) -> bool:
    return name.startswith(".") or name == REPORT_NAME or name.endswith(SIDECAR_SUFFIX)


def _walk(folder: Path, suffixes: tuple[str, ...]) -> list[Path]:
    found = []
    for dirpath, dirnames, filenames in os.walk(folder):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for fn in sorted(filenames):
            if not _is_batch_file(fn) and fn.lower().endswith(suffixes):
                found.append(Path(dirpath) / fn)
    return found


def _glob_base(pattern: str) -> Path:
    """The folder a glob pattern starts from: its leading parts without wildcards."""
    parts = Path(pattern).parts
    lead = parts[: next(i for i, p in enumerate(parts) if glob.has_magic(p))]
    return Path(*lead) if lead else Path(".")


def _relative_or_name(path: Path, base: Path) -> str:
    try:
        return path.relative_to(base).as_posix()
    except ValueError:
        return path.name


def expand_inputs(inputs: list[str | Path], outdir: Path | None = None) -> list[BatchInput]:
    """Files named by ``inputs`` (files, folders, globs), in a stable order, without repeats.

    Folders and globs pick only files whose extension a reader knows; a file named directly is
    taken whatever its name (its reader decides). Anything inside ``outdir`` is left out, so a
    batch never reads its own outputs.

    Raises
    ------
    InputError : an input that is neither a file, a folder nor a glob matching something
    UsageError : two inputs that would write the same output name
    """
    suffixes = _readable_suffixes()
    out_resolved = Path(outdir).resolve() if outdir is not None else None
    items: list[tuple[Path, str]] = []
    for raw in inputs:
        p = Path(raw)
        if p.is_dir():
            for f in _walk(p, suffixes):
                items.append((f, f.relative_to(p).as_posix()))
        elif p.is_file():
            items.append((p, p.name))
        elif glob.has_magic(str(raw)):
            hits = sorted(Path(h) for h in glob.glob(str(raw), recursive=True))
            files = [h for h in hits if h.is_file() and not _is_batch_file(h.name)
                     and h.name.lower().endswith(suffixes)]
            if not files:
                raise InputError(raw, "the pattern matches no city model file")
            base = _glob_base(str(raw))
            items.extend((h, _relative_or_name(h, base)) for h in files)
        else:
            raise InputError(raw, "no such file or folder")
    seen: dict[Path, str] = {}
    rels: dict[str, Path] = {}
    out: list[BatchInput] = []
    for path, rel in items:
        ap = path.resolve()
        if ap in seen or (out_resolved is not None and out_resolved in ap.parents):
            continue
        if rel in rels:
            raise UsageError(f"{path} and {rels[rel]} would both write {rel} in the output folder; "
                             "pass their common folder instead so the outputs keep their sub-folders")
        seen[ap] = rel
        rels[rel] = path
        out.append(BatchInput(ap, rel, ap.stat().st_size))
    return distinct_stems(out)


def _suffix_tag(rel: str) -> str:
    """``"a/x.city.jsonl"`` -> ``"jsonl"``, ``"x.city.json.gz"`` -> ``"json-gz"``, ``"x.gml"`` -> ``"gml"``:
    the input's model extension as a name part (``city.`` and the dots dropped)."""
    suffix = rel[len(strip_model_suffix(rel)):].lstrip(".").lower()
    return suffix.removeprefix("city.").replace(".", "-") or "file"


def distinct_stems(inputs: list[BatchInput]) -> list[BatchInput]:
    """Give inputs that differ only by extension (``a/x.city.json``, ``a/x.city.jsonl``) distinct names.

    Outputs are named after the input without its extension, so such inputs would all write the
    same output (``a/x.city.jsonl`` with ``--format cityjsonseq``) and each rerun would redo one of
    them. Every member of such a group keeps its extension in its name instead:
    ``a/x.city.json`` -> ``a/x.json.city.json``, ``a/x.city.jsonl`` -> ``a/x.jsonl.city.jsonl`` (so
    ``--format cityjsonseq`` writes ``a/x.json.city.jsonl`` and ``a/x.jsonl.city.jsonl``). The names
    depend only on the inputs, never on their order, so reruns find their outputs again.

    Raises
    ------
    UsageError : two inputs that still share a name after that (``x.city.json`` beside ``x.json.city.json``)
    """
    groups: dict[str, list[int]] = {}
    for i, inp in enumerate(inputs):
        groups.setdefault(strip_model_suffix(inp.rel), []).append(i)
    out = list(inputs)
    for members in groups.values():
        if len(members) < 2:
            continue
        for i in members:
            rel = inputs[i].rel
            stem = strip_model_suffix(rel)
            out[i] = BatchInput(inputs[i].path, f"{stem}.{_suffix_tag(rel)}{rel[len(stem):]}", inputs[i].size)
    by_stem: dict[str, BatchInput] = {}
    for inp in out:
        other = by_stem.setdefault(strip_model_suffix(inp.rel), inp)
        if other is not inp:
            raise UsageError(f"{inp.path} and {other.path} would both write {strip_model_suffix(inp.rel)}.* in "
                             "the output folder; rename one of them")
    return out


def strip_model_suffix(name: str) -> str:
    """``"a/t1.city.json.gz"`` -> ``"a/t1"``: the name without a known model extension."""
    low = name.lower()
    for suf in _readable_suffixes():
        base = name[: len(name) - len(suf)]
        if low.endswith(suf) and base and not base.endswith(("/", "\\")):
            return name[: len(name) - len(suf)]
    # a suffix that is the whole file name ("tileset.json"): drop only the last extension, so the
    # outputs are "tileset.city.json" / "tileset.info.json", never hidden ".info.json" files
    return name.rsplit(".", 1)[0] if "." in Path(name).name.lstrip(".") else name


def output_name(rel: str, format_name: str | None) -> tuple[str, str]:
    """Output name and format for an input named ``rel``.

    With ``format_name`` the output takes that format's first extension; without, an input whose
    extension a writer knows keeps its name and format, anything else becomes CityJSON.

    Returns
    -------
    (relative output name, format name)
    """
    from citytwin.io.registry import FORMATS, format_for_output

    if format_name is not None:
        spec = format_for_output("x", format_name)
        return strip_model_suffix(rel) + spec.extensions[0], spec.name
    plain = rel[:-3] if rel.lower().endswith(".gz") else rel
    try:
        spec = format_for_output(plain)
    except OutputError:  # no writer for this extension
        spec = None
    # kept in its own format when that format is read and written alike; export-only formats
    # (glTF, OBJ, ...) and 3D Tiles become CityJSON (never written into a file named tileset.json)
    if spec is not None and spec.reader is not None and spec.name != "3dtiles" \
            and _reader_by_name(plain) in (None, spec.name):
        return plain, spec.name
    return strip_model_suffix(rel) + FORMATS["cityjson"].extensions[0], "cityjson"


def _reader_by_name(name: str) -> str | None:
    """The readable format whose longest extension ends ``name`` (None when none does)."""
    from citytwin.io.registry import FORMATS

    low = name.lower()
    best = max(((len(e), s.name) for s in FORMATS.values() if s.reader for e in s.extensions if low.endswith(e)),
               default=None)
    return best[1] if best else None
