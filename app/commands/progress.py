"""Progress and cancellation for commands: the one protocol of :mod:`citytwin.progress`.

Kept so ``from citytwin.app.commands.progress import Progress`` goes on working; the classes
live in :mod:`citytwin.progress`, below every layer (mesh kernels, studies, commands).
"""

from __future__ import annotations

from citytwin.progress import (CallbackProgress, NullProgress, Progress, ProgressArg, ProgressReporter,
                               SubProgress, as_progress)

#: The protocol under its older name.
ProgressLike = ProgressReporter

__all__ = ["Progress", "SubProgress", "NullProgress", "CallbackProgress", "ProgressReporter", "ProgressLike",
           "ProgressArg", "as_progress"]
