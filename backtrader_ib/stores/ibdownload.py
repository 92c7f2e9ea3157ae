"""Download historical bars from Interactive Brokers to CSV or Parquet.

:func:`download` for scripts, and the ``backtrader-ib download`` command
(its options are in backtrader_ib/cli/download.py). The range is split into
IB-sized requests, paced by IB's rules, retried on pacing violations and
resumed after a disconnection: the work of
:class:`~backtrader_ib.feeds.IBData` with ``historical=True``, whose bars are
written out as they arrive.

Rows are ``datetime,open,high,low,close,volume``; the datetime is the end of
the bar (daily bars: the session end) in the feed's time zone (the
contract's exchange zone, or ``--timezone``), without a zone suffix. The CSV
reads back with ``bt.feeds.GenericCSVData(dataname=..., openinterest=-1)``
plus the bars' ``timeframe`` and ``compression`` when they are not daily
(:func:`readback` writes that call; the command prints it).
"""
from __future__ import annotations

import csv
import datetime as _dt
import importlib.util
import sys
import time
from dataclasses import dataclass, field
from typing import IO, Any, Callable

__all__ = ('COLUMNS', 'Download', 'download', 'write', 'output_format', 'readback', 'ProgressBar')

UTC = _dt.timezone.utc
COLUMNS = ('datetime', 'open', 'high', 'low', 'close', 'volume')
#: the time frames IB has bar sizes for (``--compression`` picks the size)
TIMEFRAMES = ('Seconds', 'Minutes', 'Days', 'Weeks', 'Months')

Progress = Callable[[float, _dt.datetime, int], None]


@dataclass
class Download:
    """What :func:`download` got: the bars, the store's messages, the time taken."""

    rows: list = field(default_factory=list)      # (datetime, open, high, low, close, volume)
    messages: list = field(default_factory=list)  # store notifications (errors, retries), as text
    notes: list = field(default_factory=list)     # information, e.g. a range without data
    seconds: float = 0.0
    timezone: str = ''
    timeframe: str = 'Days'                       # the bars', as a TimeFrame name
    compression: int = 1

    def __len__(self) -> int:
        return len(self.rows)

    def to_frame(self) -> Any:
        """The bars as a pandas DataFrame (columns :data:`COLUMNS`)."""
        import pandas as pd
        df = pd.DataFrame(self.rows, columns=list(COLUMNS))
        df['datetime'] = pd.to_datetime(df['datetime'])
        return df


def _timeframe(value: Any) -> int:
    from ..dataseries import TimeFrame
    if isinstance(value, str):
        name = value.capitalize()
        if name not in TIMEFRAMES:
            raise ValueError(f'timeframe {value!r}: use one of {", ".join(TIMEFRAMES)}')
        return getattr(TimeFrame, name)
    return int(value)


def download(dataname: str, fromdate: _dt.datetime | _dt.date | str,
             todate: _dt.datetime | _dt.date | str | None = None, *,
             timeframe: int | str = 'Days', compression: int = 1, what: str | None = None,
             useRTH: bool = False, timezone: Any = None, progress: Progress | None = None,
             **storekw: Any) -> Download:
    """Download the bars of ``dataname`` (a contract string, see docs/ib.md)
    from ``fromdate`` to ``todate`` (default: the gateway's now).

    ``storekw`` go to the store: ``host``, ``port``, ``clientId``, ``client``
    ('ib_insync' or 'ib_async'), ``cache``, ``histtimeout``, ``pacing``, ...
    There is one store per process: if one is already connected (a running
    live feed or broker) it is used as it is, else a new one is made with
    these params and stopped at the end. ``progress(fraction, last bar's
    datetime, bars so far)`` is called after each bar.
    """
    from ..feeds.ibdata import IBData
    from ..utils.date import date2num
    from .ibstore import IBStore

    def when(value):
        return _dt.datetime.fromisoformat(value) if isinstance(value, str) else value

    existing = IBStore.__dict__.get('_singleton')
    if existing is not None and not (existing.datas or existing.brokers):
        existing.stop()
        IBStore.reset()  # idle: connect with the params given here
        existing = None
    tf = _timeframe(timeframe)
    data = IBData(dataname=dataname, historical=True, what=what, useRTH=useRTH,
                  timeframe=tf, compression=compression,
                  fromdate=when(fromdate), todate=when(todate), tz=timezone, **storekw)
    from ..dataseries import TimeFrame
    result = Download(timeframe=TimeFrame.Names[tf], compression=compression)
    t0 = time.monotonic()
    try:
        data._start()
        lo = data.fromdate
        hi = data.todate
        if hi == float('inf'):
            hi = date2num(data.ib.utcnow().replace(tzinfo=None))
        span = max(hi - lo, 1e-9)
        ln = data.lines
        rows = result.rows
        while data.load():
            dt = data.datetime.datetime(0)
            rows.append((dt, ln.open[0], ln.high[0], ln.low[0], ln.close[0], ln.volume[0]))
            if progress is not None:
                progress(min(1.0, max(0.0, (ln.datetime[0] - lo) / span)), dt, len(rows))
        result.timezone = str(data._tz)
        for msg, *_ in data.ib.get_notifications():
            code = getattr(msg, 'code', None)
            if str(code).startswith('21'):  # farm OK messages
                continue
            if code == 162 and 'returned no data' in str(getattr(msg, 'text', '')):
                # HMDS has no bars for (part of) the range: weekends, holidays
                result.notes.append(f'no bars in part of the range (IB 162: {msg.text})')
            else:
                result.messages.append(str(msg))
    finally:
        data._stop()
        if existing is None:
            IBStore.reset()
    result.seconds = time.monotonic() - t0
    return result


def output_format(output: str, fmt: str | None = None) -> str:
    """'csv' or 'parquet': ``fmt`` if given, else from the file suffix."""
    if fmt:
        return fmt
    return 'parquet' if output.lower().endswith(('.parquet', '.pq')) else 'csv'


def readback(path: str, timeframe: str = 'Days', compression: int = 1) -> str:
    """The Python call that reads a downloaded CSV file back as a feed.

    GenericCSVData takes bars as daily unless told: minute bars of one day
    would all fall on that day's end (a duplicate-timestamp error).
    """
    args = [f'dataname={path!r}', 'openinterest=-1']
    if timeframe != 'Days' or compression != 1:
        args += [f'timeframe=bt.TimeFrame.{timeframe}', f'compression={compression}']
    return f'bt.feeds.GenericCSVData({", ".join(args)})'


def parquet_engine() -> str | None:
    """The installed Parquet writer (pyarrow or fastparquet), or None."""
    for name in ('pyarrow', 'fastparquet'):
        if importlib.util.find_spec(name) is not None:
            return name
    return None


def write(result: Download, output: str | IO[str], fmt: str | None = None) -> None:
    """Write the bars to ``output`` (a path, '-' for stdout, or a text file object)."""
    name = output if isinstance(output, str) else ''
    fmt = output_format(name, fmt)
    if fmt == 'parquet':
        if not name or name == '-':
            raise ValueError('Parquet output needs a file name')
        if parquet_engine() is None:
            raise ImportError("Parquet output needs pyarrow: pip install 'backtrader_ib[parquet]'")
        result.to_frame().to_parquet(name, index=False)
        return
    if fmt != 'csv':
        raise ValueError(f'unknown output format {fmt!r}: csv or parquet')
    out = sys.stdout if name == '-' else (open(name, 'w', newline='') if name else output)
    try:
        w = csv.writer(out, lineterminator='\n')  # type: ignore[arg-type]  # csv's own is CRLF
        w.writerow(COLUMNS)
        for dt, *values in result.rows:
            w.writerow([dt.isoformat(sep=' '), *values])
    finally:
        if name and name != '-':
            out.close()  # type: ignore[union-attr]


class ProgressBar:
    """A one-line progress bar on a terminal (``\\r``-redrawn, at most 10 times a second)."""

    def __init__(self, stream: IO[str] | None = None, width: int = 30) -> None:
        self.stream = stream if stream is not None else sys.stderr
        self.width = width
        self._last = 0.0
        self._state: tuple | None = None  # the latest call's arguments
        self._shown: tuple | None = None

    def __call__(self, fraction: float, last: _dt.datetime, nbars: int) -> None:
        self._state = (fraction, last, nbars)
        now = time.monotonic()
        if now - self._last >= 0.1:
            self._last = now
            self._draw()

    def _draw(self) -> None:
        assert self._state is not None
        fraction, last, nbars = self._shown = self._state
        full = int(fraction * self.width)
        self.stream.write(f'\r[{"#" * full}{"." * (self.width - full)}] {fraction:6.1%}  '
                          f'{last:%Y-%m-%d %H:%M}  {nbars} bars')
        self.stream.flush()

    def close(self) -> None:
        """Show the final state and end the line."""
        if self._state is not None:
            if self._shown != self._state:
                self._draw()
            self.stream.write('\n')
            self.stream.flush()


if __name__ == '__main__':  # the command's old entry point
    from backtrader_ib.cli.download import main
    sys.exit(main(prog='python -m backtrader_ib.stores.ibdownload'))
