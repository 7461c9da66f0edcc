"""One streaming pass over a CityGML 1.0 / 2.0 / 3.0 document (or one part of it) into a CityModel.

The file is read with ``lxml.etree.iterparse`` restricted to the top-level member elements
(``cityObjectMember``, ``appearanceMember``, ``gml:featureMember``); each member is turned into
city objects as soon as it is complete (:class:`~citytwin.io.citygml.features.FeatureReader`) and
then cleared, so memory is bounded by the model, not by the file. Every few thousand rings the
objects read so far are built into geometry (:class:`~citytwin.io.citygml.assembly.ModelAssembly`).
XML is parsed safely (:mod:`citytwin.io.xml_safe`).
"""

from __future__ import annotations

from pathlib import Path

from citytwin.io.citygml.assembly import ModelAssembly
from citytwin.io.citygml.features import FeatureReader
from citytwin.io.citygml.geometry import GeometryParser, RingBatch, local
from citytwin.io.citygml.probe import citygml_version
from citytwin.io.citygml.vocab import CITYGML_PREFIX, CORE_VERSIONS, GML31, GML32
from citytwin.io.xml_safe import safe_iterparse
from citytwin.semantics.model import CityModel

#: Rings collected before their coordinates are parsed and the features' geometries built: features
#: are resolved in batches (xlinks resolve within a batch, a feature is never split; a batch with
#: references to ids not seen yet grows, up to 8x, until they appear)
_FLUSH_RINGS = 20000


class CityGMLReader:
    """Reads one CityGML file (or, with ``stream``, one part of it: :mod:`citytwin.io.citygml.split`).

    Parameters
    ----------
    path : the file
    stream : a file-like part of it (top-level members only), else None: the whole file
    global_mode : keep polygon ids for the whole file (top-level appearances may target any);
        None: look whether the file has top-level appearances
    """

    def __init__(self, path: Path, stream=None, global_mode: bool | None = None) -> None:
        self.path = path
        self.stream = stream
        self.version = citygml_version(path)
        self.model = CityModel()
        self.model.source = {"path": str(path), "format": "CityGML", "version": self.version}
        self.batch = RingBatch()
        self.parser = GeometryParser(self.batch)
        self.features = FeatureReader(self.model, self.parser)
        self.assembly = ModelAssembly(self.model, path, self.parser, self.batch, global_mode)

    def read(self) -> CityModel:
        """The whole model (:meth:`parse`, then :meth:`finish`)."""
        self.parse()
        return self.finish()

    def parse(self) -> None:
        """Read every member (of the file or of the part given as ``stream``) and flush the last batch."""
        v = self.version
        core = next(ns for ns, ver in CORE_VERSIONS.items() if ver == v)
        gml = GML32 if v == "3.0" else GML31
        app = f"{CITYGML_PREFIX}appearance/{v}"
        tags = [f"{{{core}}}cityObjectMember", f"{{{core}}}appearanceMember", f"{{{app}}}appearanceMember",
                f"{{{gml}}}featureMember", f"{{{gml}}}featureMembers", f"{{{gml}}}boundedBy",
                f"{{{gml}}}name", f"{{{core}}}versionMember", f"{{{core}}}versionTransitionMember",
                f"{{{core}}}featureMember"]
        root = None
        for _, el in safe_iterparse(self.path, ("end",), tags, stream=self.stream):
            if root is None:
                root = el.getroottree().getroot()
            if el.getparent() is not root:
                continue
            ln = local(el.tag)
            if ln == "boundedBy":
                self.features.srs_from(el)
                continue
            if ln == "name":
                self.model.metadata.setdefault("title", (el.text or "").strip())
                continue
            self.features.member(el)
            n = self.batch.pending_rings()
            # a batch whose references point further on waits for them (up to 8 batches' worth)
            if n >= _FLUSH_RINGS and (n >= 8 * _FLUSH_RINGS or not self.parser.has_forward_refs()):
                self.flush()
            # free what has been read: the member and everything before it
            el.clear()
            while el.getprevious() is not None:
                del root[0]
        self.flush()

    def flush(self) -> None:
        """Build the objects read since the last flush into the model."""
        f = self.features
        members, local_apps = f.members, f.local_apps
        f.members, f.local_apps = [], []
        if members:
            self.assembly.flush(members, local_apps)

    def finish(self) -> CityModel:
        """The model after :meth:`parse` (and, for parts, after merging the other parts)."""
        f = self.features
        return self.assembly.finish(f.global_apps, f.srs, f.extra_features)
