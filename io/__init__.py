"""Readers and writers: one module per format and a registry (:mod:`citytwin.io.registry`).

Use :func:`read` and :func:`write`; both pick the format by content and extension.
"""

from citytwin.io.registry import read, write  # noqa: F401
