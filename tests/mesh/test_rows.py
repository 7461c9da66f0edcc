"""``unique_rows`` gives exactly ``np.unique(a, axis=0, return_inverse=True, return_counts=True)``
(the oracle), on both of its paths: rows packed into one int64 key, and the lexsort fallback when
the columns' ranges do not fit in 62 bits together."""

from __future__ import annotations

import numpy as np
import pytest

from citytwin.mesh.rows import unique_rows


@pytest.mark.parametrize("lo, hi, shape", [
    (-5, 5, (20000, 3)),            # packed: small ranges, negative values, many repeats
    (0, 2**40, (5000, 3)),          # lexsort: 3 x 40 bits do not pack
    (-(2**62), 2**62, (3000, 2)),   # lexsort, extreme values (spans past int64)
    (-3, 3, (5000, 4)),             # 4 columns
    (0, 3, (100, 1)),
])
def test_unique_rows_equals_numpy_unique_axis0(lo, hi, shape) -> None:
    rng = np.random.default_rng(42)
    a = rng.integers(lo, hi, shape, dtype=np.int64)
    u, inv, cnt = np.unique(a, axis=0, return_inverse=True, return_counts=True)
    u2, inv2, cnt2 = unique_rows(a)
    assert np.array_equal(u, u2)
    assert np.array_equal(inv.reshape(-1), inv2)
    assert np.array_equal(cnt, cnt2)
    assert np.array_equal(u2[inv2], a)


def test_unique_rows_of_nothing_and_of_one_row() -> None:
    u, inv, cnt = unique_rows(np.zeros((0, 3), np.int64))
    assert u.shape == (0, 3) and len(inv) == 0 and len(cnt) == 0
    u, inv, cnt = unique_rows(np.array([[7, -1, 2]]))
    assert u.tolist() == [[7, -1, 2]] and inv.tolist() == [0] and cnt.tolist() == [1]
