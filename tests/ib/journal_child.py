"""A trading program killed with SIGKILL at a chosen point of an order's life,
then started again (tests/ib/test_ibjournal.py runs it as a subprocess).

It buys ``--size`` AAPL with a limit order (partly filled over several seconds
for a large size), then protects the position with a resting stop, and stays
until both are in place (prints STEADY). ``--kill-at``: before_send (the
journal has the order, IB not), sent (IB has it, the journal not its id),
partial (after the first partial fill), filled (IB filled it, the journal did
not record the execution)."""
import argparse
import os
import signal
import sys

import backtrader_ib as bt
from backtrader_ib.stores.ibjournal import OrderJournal
from backtrader_ib.stores.ibstore import IBStore


def die():
    sys.stdout.flush()
    os.kill(os.getpid(), signal.SIGKILL)


class Trader(bt.Strategy):
    params = (('size', 10), ('kill_at', ''), ('steady', 5))

    def __init__(self):
        self.alive = {}
        self.calm = 0

    def notify_order(self, order):
        print('ORDER', order.ref, order.getstatusname(), order.orderRef,
              'restored' if order.restored else 'new', abs(order.executed.size), flush=True)
        if order.alive():
            self.alive[order.ref] = order
        else:
            self.alive.pop(order.ref, None)
        if self.p.kill_at == 'partial' and order.status == order.Partial:
            die()

    def stop(self):
        b = self.broker
        alive = sorted(o.orderRef for o in b.orderbyid.values() if o.alive())
        print('BROKER', b.getposition(self.data).size, ','.join(alive),
              all(o.owner is self for o in b.orderbyid.values() if o.alive()), flush=True)

    def next(self):
        if self.data._laststatus != self.data.LIVE:
            return
        buys = [o for o in self.alive.values() if o.isbuy()]
        stops = [o for o in self.alive.values() if o.issell()]
        pos = self.position.size
        if not pos and not buys:
            px = round(self.data.close[0] * 1.001, 2)
            print('PLACE BUY', self.p.size, px, flush=True)
            self.buy(size=self.p.size, price=px, exectype=bt.Order.Limit)
        elif pos >= self.p.size and not buys and not stops:
            print('PLACE STOP', flush=True)
            self.sell(size=pos, price=round(self.data.close[0] * 0.5, 2), exectype=bt.Order.Stop)
        elif pos >= self.p.size and stops and not buys and all(
                o.status == o.Accepted for o in stops):      # IB works the stop
            self.calm += 1
            if self.calm >= self.p.steady:
                print('STEADY', pos, len(stops), flush=True)
                self.env.runstop()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--port', type=int, required=True)
    ap.add_argument('--client', required=True)
    ap.add_argument('--journal', required=True)
    ap.add_argument('--size', type=float, default=10)
    ap.add_argument('--kill-at', default='')
    args = ap.parse_args()
    if args.kill_at in ('before_send', 'sent'):
        # the store's loop writes the journal, then sends the order (_transmit)
        place = IBStore._transmit

        def place_and_die(self, contract, order, *a, **kw):
            if args.kill_at == 'before_send':
                die()                    # the journal has the order; IB never got it
            place(self, contract, order, *a, **kw)
            # die once IB answers for the order (it has it), before the broker
            # hears of it: its id never reaches the journal (no fixed sleep)
            wrapper, target = self.ib.wrapper, order.orderId
            seen = wrapper.openOrder

            def open_and_die(orderId, *rest):
                if orderId == target:
                    die()
                return seen(orderId, *rest)
            wrapper.openOrder = open_and_die
        IBStore._transmit = place_and_die
    if args.kill_at == 'filled':
        def record_and_die(self, *a, **kw):
            die()                        # IB filled it; the journal never heard
        OrderJournal.execution = record_and_die
    store = bt.stores.IBStore(port=args.port, client=args.client, journal=args.journal,
                              timeout=0.05, maxbackoff=0.2)
    cerebro = bt.Cerebro()
    data = store.getdata(dataname='AAPL', timeframe=bt.TimeFrame.Seconds, compression=5,
                         rtbar=True, backfill_start=False, qcheck=0.05)
    cerebro.adddata(data)
    cerebro.setbroker(store.getbroker())
    cerebro.addstrategy(Trader, size=args.size, kill_at=args.kill_at)
    cerebro.run()
    print('DONE', flush=True)


if __name__ == '__main__':
    main()
