"""Garbage-collector tuning for the duration of backtest runs.

A run keeps its long-lived objects (feeds, indicators) out of the collector's
scans (``gc.freeze``) and collects young objects less often. Both settings
are process-wide, and runs may overlap (threads, a Dask worker running
several tasks): the first run to start saves the settings, the last one to
finish restores them.
"""
from __future__ import annotations

import contextlib
import gc
import threading
from typing import Iterator

__all__ = ('tuned_gc', 'active_runs')

_lock = threading.Lock()
_active = 0
_saved: tuple = ()


def active_runs() -> int:
    """How many runs are inside :func:`tuned_gc` now."""
    return _active


@contextlib.contextmanager
def tuned_gc(young: int) -> Iterator[None]:
    """Young-generation threshold at least ``young`` (unless the collector
    is off: threshold 0) and the objects alive now frozen, while inside."""
    global _active, _saved
    with _lock:
        if _active == 0:
            _saved = gc.get_threshold()
            if 0 < _saved[0] < young:
                gc.set_threshold(young, *_saved[1:])
        _active += 1
        gc.freeze()  # this run's setup objects too
    try:
        yield
    finally:
        with _lock:
            _active -= 1
            if _active == 0:
                gc.set_threshold(*_saved)
                gc.unfreeze()
