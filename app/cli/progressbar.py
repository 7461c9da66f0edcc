"""A tqdm progress bar on stderr driven by a :class:`~citytwin.app.commands.progress.Progress`."""

from __future__ import annotations

import sys
from contextlib import contextmanager
from typing import Iterator

from citytwin.app.commands.progress import Progress


@contextmanager
def cli_progress(label: str, enabled: bool = True) -> Iterator[Progress]:
    """Yield a Progress that draws a bar (only when stderr is a terminal and ``enabled``)."""
    if not enabled or not sys.stderr.isatty():
        yield Progress()
        return
    from tqdm import tqdm

    bar = tqdm(total=1000, desc=label, unit="", leave=False, file=sys.stderr,
               bar_format="{desc}: {percentage:3.0f}%|{bar}| {elapsed}<{remaining} {postfix}")

    def cb(fraction: float, message: str | None) -> None:
        bar.n = int(fraction * 1000)
        if message:
            bar.set_postfix_str(message, refresh=False)
        bar.refresh()

    try:
        yield Progress(cb)
    finally:
        bar.close()
