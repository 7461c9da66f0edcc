"""Where a Wavefront OBJ goes wrong, for the error message when trimesh gives up on it.

trimesh reports a face corner that names a vertex the file does not have as numpy's
"index 8 is out of bounds for axis 0 with size 8"; :func:`obj_index_problem` finds the line.
Only run after a failure, so a plain line scan is fine here.
"""

from __future__ import annotations

from pathlib import Path


def obj_index_problem(path: str | Path) -> str | None:
    """``"line 11: face corner 9 names a vertex the file does not have (it has 8)"``, or None.

    OBJ indices are 1-based, negative ones count back from the last vertex read so far; a
    corner is ``v``, ``v/vt``, ``v//vn`` or ``v/vt/vn`` (only ``v`` is checked).
    """
    nverts = 0
    try:
        with open(path, encoding="utf-8", errors="replace") as fh:
            for lineno, line in enumerate(fh, 1):
                if line.startswith("v ") or line.startswith("v\t"):
                    nverts += 1
                elif line.startswith(("f ", "f\t", "l ", "l\t")):
                    for corner in line.split()[1:]:
                        head = corner.split("/", 1)[0]
                        try:
                            k = int(head)
                        except ValueError:
                            return f"line {lineno}: face corner {corner!r} is not a vertex number"
                        if k == 0 or k > nverts or -k > nverts:
                            return (f"line {lineno}: face corner {k} names a vertex the file does not have "
                                    f"(only {nverts} before it)")
    except OSError:
        return None
    return None
