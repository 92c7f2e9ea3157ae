"""A progress bar over the runs (tqdm: count, rate and ETA), or none."""
from __future__ import annotations

import sys
from typing import Any

__all__ = ('progress_bar',)


class _NoBar:
    def update(self, n: int = 1) -> None:
        pass

    def close(self) -> None:
        pass


def progress_bar(total: int, enabled: bool | None, desc: str) -> Any:
    """A tqdm bar when ``enabled`` (None: when stderr is a terminal) and tqdm is
    installed; otherwise an object whose ``update``/``close`` do nothing."""
    if enabled is None:
        enabled = sys.stderr.isatty()
    if not enabled:
        return _NoBar()
    try:
        from tqdm.auto import tqdm
    except ImportError:
        return _NoBar()
    return tqdm(total=total, desc=desc, unit='run', dynamic_ncols=True)
