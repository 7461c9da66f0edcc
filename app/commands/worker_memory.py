"""The C allocator of a Dask worker process: fast while a file is processed, trimmed after it.

Why this exists (measured, see ``tests/bench/bench_batch.py``): a Dask nanny starts its worker
with ``MALLOC_TRIM_THRESHOLD_=65536`` (Dask's default ``distributed.nanny.pre-spawn-environ``)
so that freed memory goes back to the OS. Setting any glibc malloc parameter turns glibc's
*dynamic* mmap threshold off, so every buffer over 128 KiB (numpy arrays, JSON text) is
``mmap``-ed and ``munmap``-ed again, and every page of it faults on first touch. Converting 50
CityJSON tiles then costs 1.19 million page faults and 4.2 s of system time instead of 3,000 and
0.4 s: 16.4-18.3 s of CPU instead of 12.3-12.8 s in the same process without the variable
(+30-40%), which was most of the "Dask overhead" of a batch.

:func:`tune_allocator` (once per worker process) sets the thresholds glibc's dynamic scheme
would reach anyway (mmap threshold 32 MiB, trim threshold 64 MiB); :func:`release_memory`
(after each file) returns the freed pages to the OS with ``malloc_trim(0)`` (about 1 ms), so a
worker between files is as small as with Dask's setting (77 MB vs 84 MB without trimming on the
benchmark tiles). Both work however the worker was started (``LocalCluster``, ``dask worker`` on
another machine) and are no-ops where the C library is not glibc (macOS, Windows, musl).
"""

from __future__ import annotations

import ctypes
import ctypes.util
import sys
from functools import lru_cache

_M_TRIM_THRESHOLD = -1
_M_MMAP_THRESHOLD = -3
#: glibc's largest dynamic mmap threshold on 64-bit (DEFAULT_MMAP_THRESHOLD_MAX) and twice it,
#: the trim threshold glibc sets together with it
MMAP_THRESHOLD = 32 * 2**20
TRIM_THRESHOLD = 2 * MMAP_THRESHOLD


@lru_cache(maxsize=1)
def _glibc():
    if not sys.platform.startswith("linux"):
        return None
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        libc.gnu_get_libc_version  # only glibc has it (musl has mallopt as a stub)
        libc.mallopt.argtypes, libc.malloc_trim.argtypes = [ctypes.c_int, ctypes.c_int], [ctypes.c_size_t]
    except (OSError, AttributeError):
        return None
    return libc


@lru_cache(maxsize=1)
def tune_allocator() -> bool:
    """Set glibc's mmap and trim thresholds to their dynamic maxima (once per process).

    Returns True when the thresholds were set (glibc), False elsewhere.
    """
    libc = _glibc()
    if libc is None:
        return False
    return bool(libc.mallopt(_M_MMAP_THRESHOLD, MMAP_THRESHOLD)) and \
        bool(libc.mallopt(_M_TRIM_THRESHOLD, TRIM_THRESHOLD))


def release_memory() -> None:
    """Give the pages freed by the last file back to the OS (``malloc_trim(0)``; glibc only)."""
    libc = _glibc()
    if libc is not None:
        libc.malloc_trim(0)
