"""Progress callbacks for the core kernels (triangulation, mesh cutting and labelling).

The core layers cannot import the app's :class:`~citytwin.app.commands.progress.Progress`, so a
long kernel takes a plain callable ``on_progress(fraction) -> None`` (fraction in [0, 1] of that
kernel's work) and calls it between blocks of numpy work, never per polygon or per triangle. The
callable may raise (the app's ``Progress.update`` raises ``Cancelled`` once Cancel was pressed):
the kernel then stops there and leaves nothing half-done behind (no cache entry, no model change).
"""

from __future__ import annotations

from typing import Callable

#: ``on_progress(fraction)``, fraction of the work done in [0, 1]; may raise to stop the work.
ProgressFn = Callable[[float], None]


def scaled(on_progress: ProgressFn | None, start: float, stop: float) -> ProgressFn | None:
    """A callback mapping [0, 1] onto [start, stop] of ``on_progress`` (None stays None)."""
    if on_progress is None:
        return None
    span = stop - start

    def sub(fraction: float) -> None:
        on_progress(start + span * min(1.0, max(0.0, fraction)))

    return sub


def report(on_progress: ProgressFn | None, fraction: float) -> None:
    """Call ``on_progress(fraction)`` when there is one."""
    if on_progress is not None:
        on_progress(fraction)
