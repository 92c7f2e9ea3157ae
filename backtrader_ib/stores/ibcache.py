"""An on-disk cache of historical answers, so a repeated backtest does not download again.

One file per request (contract id, bar size, duration, end, whatToShow,
useRTH): Parquet when pyarrow is installed, else CSV. Only answers that can
no longer change are kept: the request ended more than a day ago.
"""
from __future__ import annotations

import datetime as _dt
import os
import re
from typing import NamedTuple

__all__ = ('BarCache', 'CachedBar')

UTC = _dt.timezone.utc


class CachedBar(NamedTuple):
    """A bar read back from the cache (the fields IBData reads from a BarData)."""
    date: object
    open: float
    high: float
    low: float
    close: float
    volume: float


def _parquet() -> bool:
    try:
        import pyarrow  # noqa: F401
    except ImportError:
        return False
    return True


class BarCache:
    """Historical answers under ``directory``."""

    def __init__(self, directory: str | os.PathLike):
        self.directory = os.fspath(directory)
        os.makedirs(self.directory, exist_ok=True)
        self.ext = '.parquet' if _parquet() else '.csv'

    @staticmethod
    def cacheable(end: _dt.datetime, now: _dt.datetime) -> bool:
        return end < now - _dt.timedelta(days=1)

    def path(self, con_id: int, req, what: str, useRTH: bool) -> str:
        name = f'{con_id}_{req.barsize}_{req.duration}_{req.end:%Y%m%d-%H%M%S}_{what}_{int(useRTH)}'
        return os.path.join(self.directory, re.sub(r'[^A-Za-z0-9_.-]', '', name) + self.ext)

    def get(self, path: str) -> list | None:
        if not os.path.exists(path):
            return None
        import pandas as pd
        df = pd.read_parquet(path) if self.ext == '.parquet' else pd.read_csv(path, dtype={'date': str})
        out = []
        for row in df.itertuples(index=False):
            text = str(row.date)
            date = (_dt.datetime.strptime(text, '%Y%m%d').date() if len(text) == 8
                    else _dt.datetime.fromisoformat(text))
            out.append(CachedBar(date, row.open, row.high, row.low, row.close, row.volume))
        return out

    def put(self, path: str, bars: list) -> None:
        import pandas as pd
        rows = [{'date': (b.date.isoformat() if isinstance(b.date, _dt.datetime)
                          else b.date.strftime('%Y%m%d')),
                 'open': b.open, 'high': b.high, 'low': b.low, 'close': b.close,
                 'volume': float(b.volume)} for b in bars]
        df = pd.DataFrame(rows, columns=['date', 'open', 'high', 'low', 'close', 'volume'])
        tmp = path + '.tmp'
        if self.ext == '.parquet':
            df.to_parquet(tmp, index=False)
        else:
            df.to_csv(tmp, index=False)
        os.replace(tmp, path)  # never a half-written file
