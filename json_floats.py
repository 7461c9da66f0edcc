"""Python's JSON encoder kept exact when another library has replaced it.

cjio (``import cjio.cityjson`` or ``cjio.cjio``) replaces the standard library's JSON float
encoder for the whole process at import: every float becomes ``format(x, ".6f")`` and the C
encoder is switched off. Everything that goes through :mod:`json` afterwards is silently rounded:
the accessor bounds citytwin writes into glTF, tileset transforms, reports, and pyproj's
``CompoundCRS`` / ``CRS.from_json_dict`` (which build their PROJJSON with :func:`json.dumps`), so a
compound CRS built in that process loses its datum identification and PROJ falls back to ballpark
operations (metres to ~100 m off).

:func:`ensure_exact_json_floats` detects that replacement and puts the standard encoder back,
warning once (:class:`RuntimeWarning`) that it did. citytwin calls it when it is imported and
before it builds CRSs or writes files, so it also catches a cjio imported after citytwin.
"""

from __future__ import annotations

import builtins
import json.encoder
import warnings

try:
    from _json import make_encoder as _C_MAKE_ENCODER
except ImportError:  # pragma: no cover - CPython always has it
    _C_MAKE_ENCODER = None

_warned = False

MESSAGE = ("another library (cjio does this at import) replaced Python's JSON float encoder with "
           "6-decimal rounding, which rounds CRS definitions and written coordinates; citytwin "
           "restored the standard encoder for this process")


def json_floats_patched() -> bool:
    """True when :mod:`json.encoder` no longer writes floats exactly (see the module docstring)."""
    enc = vars(json.encoder)
    replaced_float = "float" in enc and enc["float"] is not builtins.float
    c_off = _C_MAKE_ENCODER is not None and enc.get("c_make_encoder") is not _C_MAKE_ENCODER
    return replaced_float or c_off


def ensure_exact_json_floats() -> bool:
    """Restore the standard JSON encoder if it was replaced; True when something was restored.

    Warns once per process (``RuntimeWarning``) the first time it restores.
    """
    global _warned
    if not json_floats_patched():
        return False
    enc = vars(json.encoder)
    if "float" in enc and enc["float"] is not builtins.float:
        del json.encoder.float  # the module normally has no name "float": builtins again
    if _C_MAKE_ENCODER is not None:
        json.encoder.c_make_encoder = _C_MAKE_ENCODER
    if not _warned:
        _warned = True
        warnings.warn(MESSAGE, RuntimeWarning, stacklevel=2)
    return True
