"""``shell_labels``: the one-shell Solid shortcut gives what the general path gives for the same
shell (a solid list ``[0, 1]`` says the same as no solid list)."""

from __future__ import annotations

import numpy as np

from citytwin.semantics.orientation import shell_labels


def test_one_shell_shortcut_equals_the_general_path() -> None:
    for n in (0, 1, 39):
        short = shell_labels(np.array([0, n]), None, n)
        general = shell_labels(np.array([0, n]), np.array([0, 1]), n)
        assert all(np.array_equal(a, b) and a.dtype == b.dtype for a, b in zip(short, general))
        assert short[0].tolist() == [0] * n and short[1].tolist() == [True]
    # surfaces outside the shell keep -1 (not the shortcut)
    shell, ext = shell_labels(np.array([0, 3]), None, 5)
    assert shell.tolist() == [0, 0, 0, -1, -1] and ext.tolist() == [True]
