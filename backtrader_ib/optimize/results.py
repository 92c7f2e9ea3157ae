"""Where finished runs go: optcallback callbacks, an optional file, the result list.

Files: a name ending in ``.jsonl`` gets one JSON object per run (strategy
name, params, analyses; lossy but readable anywhere); any other name gets a
pickle stream of ``(run number, result)`` records, read back with
:func:`read_results`.
"""
from __future__ import annotations

import datetime
import json
import math
import os
import pickle
from typing import Any, Iterator

from . import shipping

__all__ = ('ResultSink', 'read_results', 'to_json')


class ResultSink:
    """Hands each finished run to the callbacks and the file, and keeps it if asked."""

    def __init__(self, callbacks: list, total: int, keep: bool = True,
                 output: str | os.PathLike | None = None) -> None:
        self.callbacks = list(callbacks)
        self.keep = keep
        self._results: list = [None] * total if keep else []
        self._file = None
        self._json = False
        if output is not None:
            self._json = os.fspath(output).endswith('.jsonl')
            self._file = open(output, 'w' if self._json else 'wb')

    def put(self, index: int, result: list) -> None:
        for cb in self.callbacks:
            cb(result)
        if self._file is not None:
            if self._json:
                self._file.write(json.dumps(to_json(index, result)) + '\n')
            else:
                self._file.write(shipping.dumps((index, result)))
            self._file.flush()
        if self.keep:
            self._results[index] = result

    def close(self) -> None:
        if self._file is not None:
            self._file.close()
            self._file = None

    def results(self) -> list:
        """The runs in grid order (empty when ``keep=False``)."""
        return self._results


def read_results(path: str | os.PathLike) -> Iterator[tuple[int, list]]:
    """Yield ``(run number, result)`` from a pickle stream written by a run."""
    with open(path, 'rb') as fh:
        while True:
            try:
                yield pickle.load(fh)
            except EOFError:
                return


def to_json(index: int, result: list) -> dict:
    """One run as plain JSON data: each strategy's params and analyses."""
    strategies = []
    for item in result:
        cls = getattr(item, 'strategycls', type(item))
        analyzers = {}
        for name, analyzer in item.analyzers.getitems():
            analyzers[name or type(analyzer).__name__.lower()] = _plain(analyzer.get_analysis())
        strategies.append({'strategy': cls.__name__,
                           'params': _plain(dict(item.params._getkwargs())),
                           'analyzers': analyzers})
    return {'run': index, 'strategies': strategies}


def _plain(value: Any) -> Any:
    """Nested analysis dicts as JSON values: string keys, ISO dates, None for NaN."""
    if isinstance(value, dict):
        return {_key(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, bool) or value is None or isinstance(value, str):
        return value
    if isinstance(value, (datetime.date, datetime.time)):
        return value.isoformat()
    if isinstance(value, int):
        return value
    if hasattr(value, '__float__'):
        f = float(value)
        return None if math.isnan(f) or math.isinf(f) else f
    return str(value)


def _key(key: Any) -> str:
    if isinstance(key, (datetime.date, datetime.time)):
        return key.isoformat()
    return str(key)
