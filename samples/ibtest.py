#!/usr/bin/env python
"""Live (or historical) data and trading on Interactive Brokers, as backtrader's ibtest sample.

Without --port it starts an in-process ibsim (simulated TWS, clock 60x) so it
runs out of the box; with --port it talks to your TWS / IB Gateway
(7497 TWS paper, 7496 TWS live, 4002 Gateway paper, 4001 Gateway live).

    python samples/ibtest.py                                   # ibsim, 5-s bars, 30 s
    python samples/ibtest.py --rtbar --resample --timeframe Minutes
    python samples/ibtest.py --historical --fromdate 2024-03-01 --timeframe Minutes
    python samples/ibtest.py --broker --trade --exectype Limit --stake 10
    python samples/ibtest.py --port 7497 --data0 EUR.USD-CASH-IDEALPRO --broker --trade
"""
from __future__ import annotations

import argparse
import datetime
import time

import backtrader_ib as bt


class TestStrategy(bt.Strategy):
    """Prints every bar and notification; optionally buys one stake and sells it later."""

    params = (('smaperiod', 5), ('trade', False), ('stake', 10), ('exectype', bt.Order.Market),
              ('stopafter', 0), ('valid', None), ('cancel', 0), ('donotsell', False))

    def __init__(self):
        self.sma = bt.ind.SMA(self.data, period=self.p.smaperiod)
        self.datastatus = 0
        self.orderid = None
        self.liveticks = 0

    def notify_data(self, data, status, *args, **kwargs):
        print('*' * 5, 'DATA NOTIF:', data._getstatusname(status), *args)
        if status == data.LIVE:
            self.datastatus = 1

    def notify_store(self, msg, *args, **kwargs):
        print('*' * 5, 'STORE NOTIF:', msg)

    def notify_order(self, order):
        print('-' * 5, 'ORDER', order.ref, order.getstatusname(), 'executed',
              order.executed.size, '@', round(order.executed.price, 4),
              'comm', round(order.executed.comm, 4))
        if not order.alive():
            self.orderid = None

    def notify_trade(self, trade):
        if trade.isclosed:
            print('-' * 5, 'TRADE pnl', round(trade.pnl, 2), 'net', round(trade.pnlcomm, 2))

    def next(self):
        d = self.data
        print(f'{len(self):5d} {d.datetime.datetime(0)} O {d.open[0]:.4f} H {d.high[0]:.4f} '
              f'L {d.low[0]:.4f} C {d.close[0]:.4f} V {d.volume[0]:.0f} SMA {self.sma[0]:.4f}')
        if not self.datastatus:
            return
        self.liveticks += 1
        if self.p.stopafter and self.liveticks >= self.p.stopafter:
            self.env.runstop()
            return
        if not self.p.trade:
            return
        if not self.position and self.orderid is None and self.liveticks == 2:
            price = d.close[0] * (0.99 if self.p.exectype != bt.Order.Market else 1)
            self.orderid = self.buy(size=self.p.stake, exectype=self.p.exectype, price=price,
                                    valid=self.p.valid)
        elif self.position and not self.p.donotsell and self.orderid is None:
            self.orderid = self.close()
        if self.orderid is not None and self.p.cancel and self.liveticks == 2 + self.p.cancel:
            self.cancel(self.orderid)


def parse_args(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--host', default='127.0.0.1')
    ap.add_argument('--port', type=int, default=None, help='TWS/Gateway port (none: ibsim)')
    ap.add_argument('--clientId', type=int, default=None)
    ap.add_argument('--client', choices=['ib_insync', 'ib_async'], default=None)
    ap.add_argument('--data0', default='AAPL', help='contract string, e.g. AAPL-STK-SMART-USD')
    ap.add_argument('--data1', default=None)
    ap.add_argument('--timezone', default=None)
    ap.add_argument('--what', default=None)
    ap.add_argument('--marketdatatype', default=1, help='realtime, frozen, delayed, ...')
    ap.add_argument('--rtbar', action='store_true', help='5-second real-time bars')
    ap.add_argument('--historical', action='store_true')
    ap.add_argument('--fromdate', default=None, help='YYYY-MM-DD[THH:MM:SS]')
    ap.add_argument('--todate', default=None)
    ap.add_argument('--timeframe', default='Seconds', choices=bt.TimeFrame.Names[1:])
    ap.add_argument('--compression', type=int, default=5)
    ap.add_argument('--resample', action='store_true')
    ap.add_argument('--replay', action='store_true')
    ap.add_argument('--rtimeframe', default='Minutes', choices=bt.TimeFrame.Names[1:])
    ap.add_argument('--rcompression', type=int, default=1)
    ap.add_argument('--no-backfill_start', dest='backfill_start', action='store_false')
    ap.add_argument('--no-backfill', dest='backfill', action='store_false')
    ap.add_argument('--latethrough', action='store_true')
    ap.add_argument('--qcheck', type=float, default=0.5)
    ap.add_argument('--reconnect', type=int, default=3)
    ap.add_argument('--timeout', type=float, default=3.0)
    ap.add_argument('--notifyall', action='store_true')
    ap.add_argument('--debug', action='store_true')
    ap.add_argument('--broker', action='store_true', help='trade through IB, not BackBroker')
    ap.add_argument('--trade', action='store_true')
    ap.add_argument('--donotsell', action='store_true')
    ap.add_argument('--exectype', default='Market', choices=bt.Order.ExecTypes[:-1])
    ap.add_argument('--stake', type=int, default=10)
    ap.add_argument('--valid', default=None, help='seconds the order stays valid (0: DAY)')
    ap.add_argument('--cancel', type=int, default=0, help='cancel the order after N bars')
    ap.add_argument('--smaperiod', type=int, default=5)
    ap.add_argument('--stopafter', type=int, default=30, help='live bars before stopping')
    return ap.parse_args(argv)


def _date(text):
    return datetime.datetime.fromisoformat(text) if text else None


def main(argv=None):
    args = parse_args(argv)
    sim = None
    port = args.port
    if port is None:
        from backtrader_ib.ibsim import IBSim
        sim = IBSim(start=datetime.datetime(2024, 3, 5, 15, tzinfo=datetime.timezone.utc),
                    speed=60).start()
        port = sim.port
        print(f'ibsim listening on 127.0.0.1:{port} (clock 60x)')
    try:
        store = bt.stores.IBStore(host=args.host, port=port, clientId=args.clientId,
                                  client=args.client, notifyall=args.notifyall,
                                  _debug=args.debug, reconnect=args.reconnect,
                                  timeout=args.timeout, marketdatatype=args.marketdatatype,
                                  # a fresh in-process ibsim: no order journal to keep
                                  journal=None if sim is not None else 'ib_journal.sqlite')
        cerebro = bt.Cerebro()
        if args.broker:
            cerebro.setbroker(store.getbroker())
        cerebro.addstore(store)
        tf = getattr(bt.TimeFrame, args.timeframe)
        fromdate = _date(args.fromdate)  # None: backfill one request of the longest duration
        datakw = dict(timeframe=tf, compression=args.compression, historical=args.historical,
                      fromdate=fromdate, todate=_date(args.todate), rtbar=args.rtbar,
                      what=args.what, tz=args.timezone, qcheck=args.qcheck,
                      backfill_start=args.backfill_start, backfill=args.backfill,
                      latethrough=args.latethrough)
        if sim is not None and fromdate is None and not args.historical:
            datakw['fromdate'] = datetime.datetime(2024, 3, 5, 9, 55)  # a short backfill
        for name in filter(None, [args.data0, args.data1]):
            data = store.getdata(dataname=name, **datakw)
            rkw = dict(timeframe=getattr(bt.TimeFrame, args.rtimeframe),
                       compression=args.rcompression)
            if args.replay:
                cerebro.replaydata(data, **rkw)
            elif args.resample:
                cerebro.resampledata(data, **rkw)
            else:
                cerebro.adddata(data)
        valid = None
        if args.valid is not None:
            valid = bt.Order.DAY if float(args.valid) == 0 else \
                datetime.timedelta(seconds=float(args.valid))
        cerebro.addstrategy(TestStrategy, smaperiod=args.smaperiod, trade=args.trade,
                            stake=args.stake, exectype=bt.Order.ExecType(args.exectype),
                            stopafter=args.stopafter, valid=valid, cancel=args.cancel,
                            donotsell=args.donotsell)
        t0 = time.monotonic()
        strat = cerebro.run()[0]
        print(f'{len(strat)} bars in {time.monotonic() - t0:.1f} s; broker value '
              f'{cerebro.broker.getvalue():.2f}')
        return strat
    finally:
        if sim is not None:
            sim.stop()


if __name__ == '__main__':
    main()
