"""``backtrader-ib download``: IB history to CSV or Parquet.

The options, the progress bar and the summary on stderr; the download itself
is :func:`backtrader_ib.stores.ibdownload.download` (usable from Python).
"""
from __future__ import annotations

import argparse
import datetime as _dt
import logging
import sys
from typing import Any

from ..stores.ibdownload import (TIMEFRAMES, ProgressBar, download, output_format,
                                 parquet_engine, readback, write)

UTC = _dt.timezone.utc

#: the clock of ``--ibsim`` when ``--ibsim-start`` is not given: Tuesday 10:00 New York
SIM_START = _dt.datetime(2024, 3, 5, 15, tzinfo=UTC)


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
    g.add_argument('--ticks', type=str.upper, choices=('TRADES', 'BID_ASK', 'MIDPOINT'),
                   metavar='WHAT', help='historical ticks instead of bars: TRADES (datetime,'
                   'price,size), BID_ASK (datetime,bid,ask,bidsize,asksize) or MIDPOINT '
                   '(datetime,price); --timeframe/--compression/--what do not apply')
    g.add_argument('--resume', action='store_true',
                   help='with --ticks: go on from the last tick of an existing --output file '
                        '(appending; nothing lost or repeated)')
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
        if parquet_engine() is None:
            ap.error("Parquet output needs pyarrow: pip install 'backtrader_ib[parquet]'")

    storekw: dict = dict(host=args.host, port=args.port, clientId=args.clientId,
                         client=args.client, cache=args.cache, histtimeout=args.histtimeout)
    sim = None
    if args.ibsim:
        from ..ibsim import IBSim  # only --ibsim needs the simulator
        start = args.ibsim_start or SIM_START
        if start.tzinfo is None:
            start = start.replace(tzinfo=UTC)
        # a stepped clock stands still: its pacing (and ours) would only wait
        sim = IBSim(start=start, pacing=False).start()
        storekw.update(host='127.0.0.1', port=sim.port, pacing=False)
    show = sys.stderr.isatty() if args.progress is None else args.progress
    if args.ticks:
        return _ticks(ap, args, fmt, storekw, sim, show)
    if args.resume:
        ap.error('--resume works with --ticks')
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


class TickProgressBar(ProgressBar):
    """The progress bar of ``--ticks``, counting ticks."""

    def _draw(self) -> None:
        assert self._state is not None
        fraction, last, n = self._shown = self._state
        full = int(fraction * self.width)
        self.stream.write(f'\r[{"#" * full}{"." * (self.width - full)}] {fraction:6.1%}  '
                          f'{last:%Y-%m-%d %H:%M:%S}  {n} ticks')
        self.stream.flush()


def _ticks(ap: argparse.ArgumentParser, args: Any, fmt: str, storekw: dict, sim: Any,
           show: bool) -> int:
    """``--ticks``: historical ticks to CSV/Parquet."""
    from ..stores.ibticks import download_ticks, resume_point, write_ticks
    fromdate, skip, append = args.fromdate, 0, False
    if args.resume:
        if args.output == '-':
            ap.error('--resume needs a file: -o FILE')
        point = resume_point(args.output, None)
        if point is not None:
            fromdate, skip = point
            append = True
    bar = TickProgressBar() if show else None
    quiet_lib = _LibErrorsOff()
    try:
        result = download_ticks(args.data, fromdate, args.todate, what=args.ticks,
                                useRTH=args.useRTH, timezone=args.timezone, skip=skip,
                                progress=bar, **storekw)
    finally:
        quiet_lib.close()
        if bar is not None:
            bar.close()
        if sim is not None:
            sim.stop()
    for msg in result.messages:
        print('store:', msg, file=sys.stderr)
    if result.rows or not append:
        write_ticks(result, args.output, fmt, append=append)
    if not args.quiet:
        where = '' if args.output == '-' else f' to {args.output}'
        more = '' if result.complete else ' (incomplete: see the store messages; --resume goes on)'
        print(f'{len(result)} {args.ticks} ticks{where} in {result.seconds:.1f} s (times in '
              f'{result.timezone}){more}', file=sys.stderr)
    return 0 if result.rows and result.complete else 1
