"""A trading program with a bracket, killed with SIGKILL and started again
(tests/ib/test_ibrestore_links.py runs it as a subprocess).

``--phase place``: buys 10 AAPL with a bracket (a limit that fills at once, a
far protective stop and a far take-profit), and kills itself (SIGKILL) as soon
as the buy has filled and IB works both children.

``--phase restart``: places nothing. Its restored stop is modified above the
market (it triggers and fills; IB cancels the take-profit); it prints every
order and trade notification and stops a few bars after both have ended.
"""
import argparse
import os
import signal
import sys

import backtrader_ib as bt


def die():
    sys.stdout.flush()
    os.kill(os.getpid(), signal.SIGKILL)


class Bracket(bt.Strategy):
    params = (('phase', 'place'), ('after', 5))

    def __init__(self):
        self.orders = {}
        self.placed = self.modified = False
        self.ended = 0

    def notify_order(self, order):
        parent = order.parent.orderRef if order.parent is not None else '-'
        pstatus = order.parent.getstatusname() if order.parent is not None else '-'
        print('ORDER', order.orderRef, order.getstatusname(),
              'restored' if order.restored else 'new', abs(order.executed.size),
              order.getordername(), parent, pstatus, flush=True)
        self.orders[order.orderRef] = order

    def notify_trade(self, trade):
        print('TRADE', trade.status_names[trade.status], trade.size, round(trade.pnl, 6),
              round(trade.pnlcomm, 6), flush=True)

    def next(self):
        if self.data._laststatus != self.data.LIVE:
            return
        alive = [o for o in self.broker.orderbyid.values() if o.alive()]
        if self.p.phase == 'place':
            if not self.placed:
                self.placed = True
                px = self.data.close[0]
                self.buy_bracket(size=10, price=round(px * 1.001, 2), exectype=bt.Order.Limit,
                                 stopprice=round(px * 0.5, 2), limitprice=round(px * 2, 2))
                print('PLACED', flush=True)
            elif (self.position.size == 10 and len(alive) == 2
                  and all(o.status == o.Accepted for o in alive)):
                print('READY', flush=True)
                die()
            return
        stops = [o for o in alive if o.exectype == bt.Order.Stop]
        if not self.modified and len(alive) == 2 and stops and all(
                o.restored and o.status == o.Accepted for o in alive):
            self.modified = True
            px = round(self.data.close[0] * 1.5, 2)
            print('MODIFY', stops[0].orderRef, px, flush=True)
            self.broker.modify(stops[0], price=px)
        elif self.modified and not alive:
            self.ended += 1
            if self.ended >= self.p.after:
                print('DONE', self.position.size, self.broker.getposition(self.data).size,
                      flush=True)
                self.env.runstop()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--port', type=int, required=True)
    ap.add_argument('--client', required=True)
    ap.add_argument('--journal', required=True)
    ap.add_argument('--phase', default='place')
    args = ap.parse_args()
    store = bt.stores.IBStore(port=args.port, client=args.client, journal=args.journal,
                              timeout=0.05, maxbackoff=0.2)
    cerebro = bt.Cerebro()
    data = store.getdata(dataname='AAPL', timeframe=bt.TimeFrame.Seconds, compression=5,
                         rtbar=True, backfill_start=False, qcheck=0.05)
    cerebro.adddata(data)
    cerebro.setbroker(store.getbroker())
    cerebro.addstrategy(Bracket, phase=args.phase)
    cerebro.run()


if __name__ == '__main__':
    main()
