"""Read a large CityGML file in parts, in parallel processes, split between top-level members.

A CityGML document is a root ``CityModel`` whose children are mostly ``cityObjectMember``
elements, each self-contained in the usual case. The file is cut at byte offsets where a
top-level ``<...cityObjectMember`` starts (found with a regular expression on the memory-mapped
file, as :mod:`citytwin.io.cityjson.json_split` does for JSON). Part ``k`` is parsed as a virtual document:
the prolog and the root start tag, the bytes of its members, the root end tag. This process reads
the first part while worker processes (fresh interpreters) read the others with the same
:class:`~citytwin.io.citygml.document.CityGMLReader`; each child sends back its objects and vertices
(pickled), which are appended with their vertex indices shifted.

The result must be exactly what the one-pass reader gives, so anything that may depend on another
part makes the whole file be read again in one pass (:func:`read_in_parts` returns None): an
unresolved xlink in any part (it may point into another part), top-level appearances, appearances
or implicit geometry templates in a child's part (their indices are per part), generated ids for
objects without ``gml:id`` in a child's part (numbered per part), and any error in a part (the
one-pass read then reports it with the right line). Compressed files are read in one pass.
"""

from __future__ import annotations

import mmap
import os
import pickle
import re
from pathlib import Path
from typing import IO

import numpy as np

_MEMBER = re.compile(rb"<(?:[A-Za-z_][\w.\-]*:)?cityObjectMember[\s>]")
_ROOT = re.compile(rb"<(?:[A-Za-z_][\w.\-]*:)?CityModel[\s>][^>]*>")
_END = re.compile(rb"</(?:[A-Za-z_][\w.\-]*:)?CityModel\s*>\s*\Z")


#: extra share of the file for the first part (read by this process): the workers start an
#: interpreter and pickle their result, but this process unpickles, merges and finishes; measured
#: on the 200 MB bench file the two balance out, hence 0
FIRST_PART_EXTRA = 0.0


def split_offsets(path: Path, parts: int, first_extra: float = FIRST_PART_EXTRA) -> tuple[int, list[int], int] | None:
    """Where to cut a CityGML file into ``parts`` runs of whole top-level members.

    The first run gets ``1 / parts + first_extra`` of the members' bytes, the others share the rest.

    Returns
    -------
    (end of the root start tag, cuts, start of the root end tag) with ``cuts`` the ``parts + 1``
    increasing byte offsets (first member start, ..., root end tag start); None when the file
    does not have that shape or has too few members to cut.
    """
    with open(path, "rb") as f, mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ) as mm:
        root = _ROOT.search(mm, 0, min(len(mm), 1 << 20))
        if root is None:
            return None
        first = _MEMBER.search(mm, root.end())
        tail = mm.rfind(b"</")
        if first is None or tail < first.start() or _END.match(mm, tail) is None:
            return None
        cuts = [first.start()]
        span = tail - first.start()
        share0 = min(0.9, 1.0 / parts + first_extra)
        for k in range(1, parts):
            frac = share0 + (1.0 - share0) * (k - 1) / (parts - 1)
            m = _MEMBER.search(mm, first.start() + int(span * frac), tail)
            if m is None or m.start() <= cuts[-1]:
                return None
            cuts.append(m.start())
        cuts.append(tail)
        return root.end(), cuts, tail


class PartStream:
    """A read-only file-like object over byte ranges of one file (and literal bytes), in order."""

    def __init__(self, path: Path, pieces: list[tuple[int, int]]) -> None:
        self.f = open(path, "rb")
        self.pieces = list(pieces)   # (start, end) byte ranges of the file
        self.k = 0
        self.pos = pieces[0][0] if pieces else 0

    def read(self, n: int = -1) -> bytes:
        out = []
        want = (1 << 62) if n is None or n < 0 else n
        while want > 0 and self.k < len(self.pieces):
            a, b = self.pieces[self.k]
            if self.pos >= b:
                self.k += 1
                if self.k < len(self.pieces):
                    self.pos = self.pieces[self.k][0]
                continue
            take = min(want, b - self.pos)
            self.f.seek(self.pos)
            data = self.f.read(take)
            if not data:
                break
            out.append(data)
            self.pos += len(data)
            want -= len(data)
        return b"".join(out)

    def close(self) -> None:
        self.f.close()


def _part_pieces(path: Path, split: tuple[int, list[int], int], k: int) -> list[tuple[int, int]]:
    root_end, cuts, tail = split
    size = os.path.getsize(path)
    head = (0, cuts[0]) if k == 0 else (0, root_end)   # part 0 keeps what precedes the members
    return [head, (cuts[k], cuts[k + 1]), (tail, size)]


_PACKED = ("indices", "ring_offsets", "surface_offsets", "shell_offsets", "solid_offsets")


def _pack_arrays(objects: dict) -> dict[str, np.ndarray]:
    """Move the index arrays of every geometry into one array per field (pickling tens of thousands
    of small arrays costs more than the parse); each geometry keeps (start, end) per field."""
    parts: dict[str, list[np.ndarray]] = {f: [] for f in _PACKED}
    sizes = {f: 0 for f in _PACKED}
    sems: list[np.ndarray] = []
    nsem = 0
    for o in objects.values():
        for g in o.geometry:
            spans = []
            for f in _PACKED:
                a = getattr(g, f)
                if a is None:
                    spans.append(None)
                    continue
                parts[f].append(a)
                spans.append((sizes[f], sizes[f] + len(a)))
                sizes[f] += len(a)
                setattr(g, f, None)
            if g.semantics is not None:
                v = g.semantics.values
                sems.append(v)
                spans.append((nsem, nsem + len(v)))
                nsem += len(v)
                g.semantics.values = None
            g.extra["_packed"] = spans
    out = {f: np.concatenate(parts[f]) if parts[f] else np.zeros(0, np.int64) for f in _PACKED}
    out["semantics"] = np.concatenate(sems) if sems else np.zeros(0, np.int32)
    return out


def _unpack_arrays(objects: dict, packed: dict[str, np.ndarray], shift: int) -> None:
    """Give every geometry its arrays back (views of the packed ones; vertex indices + ``shift``)."""
    packed["indices"] += shift
    sem = packed["semantics"]
    for o in objects.values():
        for g in o.geometry:
            spans = g.extra.pop("_packed")
            for f, sp in zip(_PACKED, spans):
                if sp is not None:
                    setattr(g, f, packed[f][sp[0]:sp[1]])
            if g.semantics is not None:
                a, b = spans[len(_PACKED)]
                g.semantics.values = sem[a:b]


def _payload(reader) -> dict:
    """What a part contributes to the merged model (only for parts that are self-contained)."""
    m = reader.model
    return {
        "packed": _pack_arrays(m.objects),
        "objects": m.objects,
        "vertices": np.concatenate(reader.assembly.chunks) if reader.assembly.chunks else np.zeros((0, 3)),
        "problems": m.problems.items, "dropped": m.problems.dropped,
        "srs": reader.features.srs, "srs_names": list(dict.fromkeys(reader.parser.srs_names)),
        "extra_features": reader.features.extra_features,
    }


def _not_self_contained(reader, first: bool) -> str | None:
    """Why a part's result could differ from the one-pass reader's (None: it cannot)."""
    m = reader.model
    if reader.assembly.missing_refs:
        return "unresolved references"
    if reader.features.global_apps:
        return "top-level appearances"
    if first:
        return None
    if m.templates or any(g.type == "GeometryInstance" for o in m.objects.values() for g in o.geometry):
        return "implicit geometries"
    if not m.appearance.is_empty() or len(m.appearance.texture_vertices):
        return "appearances"
    if reader.features.counter:
        return "objects without gml:id"
    return None


def _read_part(path: str, pieces: list[tuple[int, int]]) -> bytes:
    """Read one part in this (worker) process: the pickled payload, or why not."""
    from citytwin.io.citygml.document import CityGMLReader
    from citytwin.mesh.gcpause import gc_paused

    try:
        with gc_paused():
            stream = PartStream(Path(path), pieces)
            try:
                reader = CityGMLReader(Path(path), stream=stream, global_mode=False)
                reader.parse()
            finally:
                stream.close()
            why = _not_self_contained(reader, first=False)
            msg = ("fallback", why) if why else ("ok", _payload(reader))
            return pickle.dumps(msg, protocol=pickle.HIGHEST_PROTOCOL)
    except BaseException as exc:  # noqa: BLE001 -- any failure: the parent reads the file in one pass
        return pickle.dumps(("fallback", f"{type(exc).__name__}: {exc}"))


def worker_main() -> None:
    """Entry point of a worker process: (path, byte ranges) pickled on stdin, the result on stdout."""
    import sys

    path, pieces = pickle.load(sys.stdin.buffer)
    out = _read_part(path, pieces)
    sys.stdout.buffer.write(out)
    sys.stdout.buffer.flush()


def _start_worker(path: Path, pieces: list[tuple[int, int]]):
    """A worker as a fresh interpreter running :func:`worker_main` (not multiprocessing: its spawn
    re-runs the caller's main script, which a script without a ``__main__`` guard does not survive)."""
    import subprocess
    import sys

    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in sys.path if p)
    cmd = [sys.executable, "-c", "from citytwin.io.citygml.split import worker_main; worker_main()"]
    proc = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env)
    try:
        proc.stdin.write(pickle.dumps((str(path), pieces)))
        proc.stdin.close()
    except OSError:
        pass
    return proc


def read_in_parts(path: Path, workers: int | None, min_bytes: int):
    """The model of ``path`` read in ``workers`` parallel parts, or None (read it in one pass instead)."""
    from citytwin.errors import InputError
    from citytwin.io.citygml.document import CityGMLReader
    from citytwin.io.citygml.probe import has_top_level_appearances

    if workers is None:
        workers = min(2, os.cpu_count() or 1)
    if workers < 2 or path.name.lower().endswith(".gz") or path.stat().st_size < max(min_bytes, 1):
        return None
    if has_top_level_appearances(path):
        return None
    split = split_offsets(path, workers)
    if split is None:
        return None
    import sys

    if not sys.executable:
        return None
    procs = [_start_worker(path, _part_pieces(path, split, k)) for k in range(1, workers)]
    try:
        stream = PartStream(path, _part_pieces(path, split, 0))
        try:
            reader = CityGMLReader(path, stream=stream, global_mode=False)
            reader.parse()
        except InputError:
            return None
        finally:
            stream.close()
        if _not_self_contained(reader, first=True):
            return None
        payloads = []
        for p in procs:
            try:
                data = p.stdout.read()
                p.wait()
                status, body = pickle.loads(data)
            except (EOFError, OSError, pickle.UnpicklingError, ValueError):
                return None
            del data
            if status != "ok":
                return None
            payloads.append(body)
        for body in payloads:
            _merge(reader, body)
        model = reader.finish()
        model.source["parts"] = workers
        return model
    finally:
        for p in procs:
            if p.poll() is None:
                p.kill()
            p.wait()
            if p.stdout is not None:
                p.stdout.close()


def _merge(reader, body: dict) -> None:
    """Append a child's part to the reader's (objects after its own, vertex indices shifted)."""
    model = reader.model
    objs = model.objects
    _unpack_arrays(body["objects"], body["packed"], reader.assembly.nverts)
    for oid, o in body["objects"].items():
        if oid in objs:
            model.problems.report(oid, "duplicate gml:id; the later object replaces the earlier", "error")
        objs[oid] = o
    model.problems.extend(body["problems"])
    model.problems.dropped += body["dropped"]
    v = body["vertices"]
    if len(v):
        reader.assembly.chunks.append(v)
        reader.assembly.nverts += len(v)
    if reader.features.srs is None and body["srs"] is not None:
        reader.features.srs = body["srs"]
    reader.parser.srs_names.extend(body["srs_names"])
    reader.features.extra_features.extend(body["extra_features"])
