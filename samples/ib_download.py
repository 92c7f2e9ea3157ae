#!/usr/bin/env python
"""Download historical bars from Interactive Brokers into a CSV file.

The range is split into IB-sized requests, paced by IB's rules, retried on
pacing violations and resumed after a disconnection. Without --port an
in-process ibsim (simulated TWS) answers, so it runs out of the box.

    python samples/ib_download.py --data AAPL --timeframe Minutes --fromdate 2024-03-01 -o aapl.csv
    python samples/ib_download.py --port 4002 --data EUR.USD-CASH-IDEALPRO --what MIDPOINT \\
        --timeframe Days --fromdate 2020-01-01 -o eurusd.csv
"""
from __future__ import annotations

import argparse
import csv
import datetime
import sys
import time

import backtrader_ib as bt


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--host', default='127.0.0.1')
    ap.add_argument('--port', type=int, default=None, help='TWS/Gateway port (none: ibsim)')
    ap.add_argument('--clientId', type=int, default=None)
    ap.add_argument('--client', choices=['ib_insync', 'ib_async'], default=None)
    ap.add_argument('--data', default='AAPL', help='contract string')
    ap.add_argument('--what', default=None, help='TRADES, MIDPOINT, BID, ASK, ...')
    ap.add_argument('--useRTH', action='store_true', help='regular trading hours only')
    ap.add_argument('--timeframe', default='Days', choices=bt.TimeFrame.Names[1:])
    ap.add_argument('--compression', type=int, default=1)
    ap.add_argument('--fromdate', required=False, default='2024-01-01')
    ap.add_argument('--todate', default=None)
    ap.add_argument('--timezone', default=None, help='zone of the dates and the output')
    ap.add_argument('-o', '--output', default='-', help='CSV file (default: stdout)')
    args = ap.parse_args(argv)

    sim = None
    port = args.port
    if port is None:
        from backtrader_ib.ibsim import IBSim
        sim = IBSim(start=datetime.datetime(2024, 3, 5, 15, tzinfo=datetime.timezone.utc)).start()
        port = sim.port
    try:
        data = bt.feeds.IBData(
            dataname=args.data, historical=True, what=args.what, useRTH=args.useRTH,
            timeframe=getattr(bt.TimeFrame, args.timeframe), compression=args.compression,
            fromdate=datetime.datetime.fromisoformat(args.fromdate),
            todate=datetime.datetime.fromisoformat(args.todate) if args.todate else None,
            tz=args.timezone, host=args.host, port=port, clientId=args.clientId,
            client=args.client)
        t0 = time.monotonic()
        data._start()
        out = sys.stdout if args.output == '-' else open(args.output, 'w', newline='')
        n = 0
        try:
            w = csv.writer(out)
            w.writerow(['datetime', 'open', 'high', 'low', 'close', 'volume'])
            while data.load():
                ln = data.lines
                w.writerow([data.datetime.datetime(0).isoformat(sep=' '), ln.open[0],
                            ln.high[0], ln.low[0], ln.close[0], ln.volume[0]])
                n += 1
        finally:
            if out is not sys.stdout:
                out.close()
        for msg, *_ in data.ib.get_notifications():
            if not str(getattr(msg, 'code', '')).startswith('21'):  # farm OK messages
                print('store:', msg, file=sys.stderr)
        print(f'{n} bars in {time.monotonic() - t0:.1f} s (bar times: end of bar, '
              f'{data._tz})', file=sys.stderr)
        data._stop()
        return 0 if n else 1
    finally:
        if sim is not None:
            sim.stop()


if __name__ == '__main__':
    sys.exit(main())
