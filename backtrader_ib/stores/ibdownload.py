"""Download historical bars from Interactive Brokers to CSV or Parquet.

``backtrader-ib download`` (also ``python -m backtrader_ib.stores.ibdownload``)
and :func:`download` for scripts. The range is split into IB-sized requests,
paced by IB's rules, retried on pacing violations and resumed after a
disconnection: the work of :class:`~backtrader_ib.feeds.IBData` with
``historical=True``, whose bars are written out as they arrive.

Rows are ``datetime,open,high,low,close,volume``; the datetime is the end of
the bar (daily bars: the session end) in the feed's time zone (the
contract's exchange zone, or ``--timezone``), without a zone suffix. The CSV
reads back with ``bt.feeds.GenericCSVData(dataname=..., openinterest=-1)``
plus the bars' ``timeframe`` and ``compression`` when they are not daily
(:func:`readback` writes that call; the command prints it).
"""
from __future__ import annotations

import argparse
import csv
import datetime as _dt
import importlib.util
import logging
import sys
import time
from dataclasses import dataclass, field
from typing import IO, Any, Callable

__all__ = ('COLUMNS', 'Download', 'download', 'write', 'output_format', 'readback', 'main')

UTC = _dt.timezone.utc
COLUMNS = ('datetime', 'open', 'high', 'low', 'close', 'volume')
#: the time frames IB has bar sizes for (``--compression`` picks the size)
TIMEFRAMES = ('Seconds', 'Minutes', 'Days', 'Weeks', 'Months')
#: the clock of ``--ibsim`` when ``--ibsim-start`` is not given: Tuesday 10:00 New York
SIM_START = _dt.datetime(2024, 3, 5, 15, tzinfo=UTC)

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


def _parquet_engine() -> str | None:
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
        if _parquet_engine() is None:
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


class _LibErrorsOff(logging.Filter):
    """Drops the client library's own log line of each IB error while the
    command runs: the store reports the same error (printed once, after)."""

    LOGGERS = ('ib_insync.wrapper', 'ib_async.wrapper')

    def __init__(self) -> None:
        super().__init__()
        for name in self.LOGGERS:
            logging.getLogger(name).addFilter(self)

    def filter(self, record: logging.LogRecord) -> bool:
        return not str(record.msg).startswith(('Error ', 'Warning '))

    def close(self) -> None:
        for name in self.LOGGERS:
            logging.getLogger(name).removeFilter(self)


def _date(text: str) -> _dt.datetime:
    try:
        return _dt.datetime.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f'{text!r} is not a date: use YYYY-MM-DD or YYYY-MM-DDTHH:MM[:SS]') from None


def _tfname(text: str) -> str:
    name = text.capitalize()
    if name not in TIMEFRAMES:
        raise argparse.ArgumentTypeError(f'{text!r}: use one of {", ".join(TIMEFRAMES)}')
    return name


def build_parser(prog: str = 'backtrader-ib download', data: str | None = None,
                 fromdate: str | None = None, sim_without_port: bool = False
                 ) -> argparse.ArgumentParser:
    """The command's parser; ``data``/``fromdate`` make those options optional
    with that default, ``sim_without_port`` uses ibsim when no --port is given
    (samples/ib_download.py)."""
    ap = argparse.ArgumentParser(
        prog=prog, formatter_class=argparse.RawDescriptionHelpFormatter,
        description='Download historical bars from Interactive Brokers (TWS or IB Gateway) '
                    'to CSV or Parquet.',
        epilog='''\
The range is split into IB-sized requests, paced by IB's rules (60 requests
per 10 minutes for small bars: long minute downloads take time), retried on
pacing violations and resumed after a disconnection. Rows are
datetime,open,high,low,close,volume; datetime is the end of each bar in the
feed's time zone (the exchange's, or --timezone). Store messages (errors,
retries) and a summary go to stderr. Exit status: 0 with bars, 1 without,
2 for a usage error.

examples:
  backtrader-ib download --port 7497 --data AAPL --timeframe minutes \\
      --fromdate 2024-03-01 --todate 2024-03-08 -o aapl.csv
  backtrader-ib download --port 4002 --data EUR.USD-CASH-IDEALPRO --what MIDPOINT \\
      --fromdate 2020-01-01 -o eurusd.parquet
  backtrader-ib download --ibsim --data AAPL --timeframe minutes --fromdate 2024-03-04 -o -
''')
    g = ap.add_argument_group('what to download')
    g.add_argument('--data', required=data is None, default=data, metavar='CONTRACT',
                   help="contract string, e.g. AAPL, AAPL-STK-SMART-USD, EUR.USD-CASH-IDEALPRO, "
                        "ES-202412-CME (see docs/ib.md)"
                        + (' (required)' if data is None else f' (default: {data})'))
    g.add_argument('--fromdate', required=fromdate is None,
                   default=None if fromdate is None else _date(fromdate), type=_date,
                   metavar='DATE', help='first bar, YYYY-MM-DD[THH:MM[:SS]], in the feed time zone'
                   + (' (required)' if fromdate is None else f' (default: {fromdate})'))
    g.add_argument('--todate', type=_date, metavar='DATE',
                   help="last bar, same format (default: the gateway's now)")
    g.add_argument('--timeframe', type=_tfname, default='Days', metavar='TF',
                   help=f'bar time frame: {", ".join(TIMEFRAMES)} (default: Days; any case)')
    g.add_argument('--compression', type=int, default=1, metavar='N',
                   help='bars of N time frame units, an IB bar size (e.g. minutes: 1 2 3 5 10 '
                        '15 20 30; seconds: 1 5 10 15 30) (default: 1)')
    g.add_argument('--what', metavar='WHAT',
                   help='TRADES, MIDPOINT, BID, ASK, BID_ASK, ADJUSTED_LAST, ... '
                        '(default: TRADES, BID for forex and CFDs)')
    g.add_argument('--useRTH', action='store_true', help='regular trading hours only')
    g.add_argument('--timezone', metavar='ZONE',
                   help="time zone of the dates and the output, e.g. UTC, Europe/Berlin "
                        "(default: the contract's exchange zone)")
    g = ap.add_argument_group('output')
    g.add_argument('-o', '--output', default='-', metavar='FILE',
                   help="file to write; .parquet/.pq means Parquet (needs pyarrow), anything "
                        "else CSV; '-' is CSV on stdout (default)")
    g.add_argument('--format', choices=('csv', 'parquet'), help='force the output format')
    g.add_argument('--progress', action=argparse.BooleanOptionalAction, default=None,
                   help='progress bar on stderr (default: when stderr is a terminal)')
    g.add_argument('-q', '--quiet', action='store_true',
                   help='no summary line (store messages are still shown)')
    g = ap.add_argument_group('connection')
    g.add_argument('--host', default='127.0.0.1', help='TWS/Gateway host (default: 127.0.0.1)')
    g.add_argument('--port', type=int,
                   help='TWS/Gateway API port: TWS 7496 live / 7497 paper, Gateway 4001 live / '
                        '4002 paper ' + ('(default: none: ibsim, a simulated gateway in this process, answers)'
                                         if sim_without_port else '(required unless --ibsim)'))
    g.add_argument('--clientId', type=int, metavar='ID',
                   help='API client id (default: a random free one)')
    g.add_argument('--client', choices=('ib_insync', 'ib_async'),
                   help='client library (default: whichever is installed, ib_insync first)')
    g.add_argument('--cache', metavar='DIR',
                   help='keep downloaded answers in DIR and reuse them (only those ending more '
                        'than a day ago)')
    g.add_argument('--histtimeout', type=float, default=60.0, metavar='S',
                   help='seconds without an answer before a request is given up (default: 60)')
    g.add_argument('--ibsim', action='store_true',
                   help='answer from an in-process simulated gateway (synthetic prices; no TWS '
                        'needed): a demo and test mode')
    g.add_argument('--ibsim-start', type=_date, metavar='DATETIME',
                   help=f"the simulated gateway's clock, ISO format, UTC unless given "
                        f"(default: {SIM_START.isoformat()})")
    return ap


def main(argv: list[str] | None = None, prog: str = 'backtrader-ib download',
         **defaults: Any) -> int:
    """The command; ``defaults`` go to :func:`build_parser`."""
    ap = build_parser(prog, **defaults)
    args = ap.parse_args(argv)
    if args.port is None and not args.ibsim:
        if not defaults.get('sim_without_port'):
            ap.error('give --port (the TWS/Gateway API port) or --ibsim')
        args.ibsim = True
    fmt = output_format(args.output, args.format)
    if fmt == 'parquet':
        if args.output == '-':
            ap.error('Parquet output needs a file: -o FILE.parquet')
        if _parquet_engine() is None:
            ap.error("Parquet output needs pyarrow: pip install 'backtrader_ib[parquet]'")

    storekw: dict = dict(host=args.host, port=args.port, clientId=args.clientId,
                         client=args.client, cache=args.cache, histtimeout=args.histtimeout)
    sim = None
    if args.ibsim:
        from ..ibsim import IBSim
        start = args.ibsim_start or SIM_START
        if start.tzinfo is None:
            start = start.replace(tzinfo=UTC)
        # a stepped clock stands still: its pacing (and ours) would only wait
        sim = IBSim(start=start, pacing=False).start()
        storekw.update(host='127.0.0.1', port=sim.port, pacing=False)
    show = sys.stderr.isatty() if args.progress is None else args.progress
    bar = ProgressBar() if show else None
    quiet_lib = _LibErrorsOff()  # IB's errors come once, from the store, below
    try:
        result = download(args.data, args.fromdate, args.todate, timeframe=args.timeframe,
                          compression=args.compression, what=args.what, useRTH=args.useRTH,
                          timezone=args.timezone, progress=bar, **storekw)
    finally:
        quiet_lib.close()
        if bar is not None:
            bar.close()
        if sim is not None:
            sim.stop()
    for msg in result.messages:
        print('store:', msg, file=sys.stderr)
    for note in dict.fromkeys(result.notes):  # once each, with a count
        times = result.notes.count(note)
        print('note:', note + (f' (x{times})' if times > 1 else ''), file=sys.stderr)
    if result.rows:
        write(result, args.output, fmt)
    if not args.quiet:
        where = '' if args.output == '-' else f' to {args.output}'
        print(f'{len(result)} bars{where} in {result.seconds:.1f} s (bar times: end of bar, '
              f'{result.timezone})', file=sys.stderr)
        if result.rows and fmt == 'csv' and args.output != '-':
            print('read it back with:', readback(args.output, result.timeframe,
                                                 result.compression), file=sys.stderr)
    return 0 if result.rows else 1


if __name__ == '__main__':
    sys.exit(main(prog='python -m backtrader_ib.stores.ibdownload'))
