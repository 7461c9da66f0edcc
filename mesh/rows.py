"""Unique rows of integer arrays, fast: what ``np.unique(a, axis=0)`` gives, without its cost.

``np.unique(axis=0)`` sorts the rows as a structured dtype, which is an order of magnitude slower
than sorting integers. Here the rows are either packed into one int64 key (when the columns'
ranges allow it, the packing keeps the lexicographic order) or sorted with ``np.lexsort``; both
give exactly ``np.unique(a, axis=0, return_inverse=True, return_counts=True)``.
"""

from __future__ import annotations

import numpy as np


def _packed(a: np.ndarray) -> np.ndarray | None:
    """(n,) int64 keys with the lexicographic order of the rows of ``a`` (n, k), or None when the
    columns' ranges do not fit in 62 bits together."""
    lo = a.min(axis=0)
    span = a.max(axis=0).astype(object) - lo.astype(object) + 1  # Python ints: no overflow
    total = 1
    for s in span:
        total *= int(s)
    if total >= 1 << 62:
        return None
    key = np.zeros(len(a), dtype=np.int64)
    for j in range(a.shape[1]):
        key *= int(span[j])
        key += a[:, j] - lo[j]
    return key


def unique_rows(a: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The unique rows of an integer array and where each row went.

    Parameters
    ----------
    a : (n, k) integer array

    Returns
    -------
    unique : (u, k) the distinct rows, in lexicographic order (as ``np.unique(a, axis=0)``)
    inverse : (n,) int64, ``unique[inverse] == a``
    counts : (u,) int64, how many rows of ``a`` equal each unique row
    """
    a = np.asarray(a)
    n = len(a)
    if n == 0:
        return a[:0].copy(), np.zeros(0, np.int64), np.zeros(0, np.int64)
    key = _packed(a.astype(np.int64, copy=False)) if a.shape[1] else np.zeros(n, np.int64)
    if key is not None:
        order = np.argsort(key)
        sk = key[order]
        new = np.empty(n, dtype=bool)
        new[0] = True
        np.not_equal(sk[1:], sk[:-1], out=new[1:])
    else:
        order = np.lexsort(a.T[::-1])
        sa = a[order]
        new = np.empty(n, dtype=bool)
        new[0] = True
        new[1:] = np.any(sa[1:] != sa[:-1], axis=1)
    first = np.flatnonzero(new)
    inverse = np.empty(n, dtype=np.int64)
    inverse[order] = np.cumsum(new) - 1
    counts = np.diff(np.append(first, n))
    return a[order[first]], inverse, counts
