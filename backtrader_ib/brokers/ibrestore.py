"""The broker's side of the order journal: orders of earlier runs at start,
orders IB ended during an outage (a mixin of IBBroker, strategy thread).

At start the journal's open orders that IB still works come back as orders;
those that ended meanwhile are closed in the journal; open orders at IB that
are not in the journal are reported. See docs/ib.md, "Running unattended".
"""
from __future__ import annotations

import collections
from typing import TYPE_CHECKING, Any

from ..order import OrderBase
from ..trade import Trade
from ..stores.iborders import ORDER_TYPES
from ..stores.ibevents import OpenOrderEvent
from ..stores.ibjournal import parse_ref

__all__ = ('OrderRestorer',)

IB_EXECTYPES = {v: k for k, v in ORDER_TYPES.items()}


class OrderRestorer:
    """Reconciliation of the journal with IB's orders (mixed into IBBroker)."""

    ib: Any
    orderbyid: dict
    _byperm: dict
    _done_execs: set
    _contracts: dict
    _journal: Any
    _restore_due: bool
    _ocagroups: dict
    _restored_now: list
    _modifying: dict
    positions: Any
    _placing: dict

    if TYPE_CHECKING:  # IBBroker's, used here
        def _order_class(self, action: str) -> type: ...
        def getcommissioninfo(self, data: Any) -> Any: ...
        def notify(self, order: Any) -> None: ...
        def _pending_fills(self, order: Any) -> bool: ...
        def _close(self, order: Any, status: str) -> None: ...
        def _modify_answer(self, order: Any, ev: Any) -> bool: ...
        def _modify_refused(self, order: Any, code: int, text: str) -> None: ...

    def _snapshot(self) -> dict | None:
        try:
            return self.ib.call(self.ib.order_snapshot(), timeout=40)
        except Exception as e:  # a timeout, a drop: never taken for "no orders"
            self.ib.put_notification(f'IBBroker: could not ask IB for its orders ({e!r})')
            return None

    def _restore_orders(self) -> None:
        """At start: the journal's open orders that IB still works come back as
        orders (notified); those that ended meanwhile are closed in the journal;
        open orders at IB that are not in the journal are reported."""
        journal = self._journal
        assert journal is not None
        snap = self._snapshot()
        if snap is None:
            self._restore_due = True  # ask again at the next bar
            return
        self._restored_now: list = []
        openref = {o['orderRef']: o for o in snap['open'] if o['orderRef']}
        doneref = {o['orderRef']: o for o in snap['completed'] if o['orderRef']}
        fills: dict = collections.defaultdict(list)
        for f in snap['fills']:
            fills[f['orderRef']].append(f)
        # this broker's orders: sent, or still queued to the loop (no id yet)
        own = {o.orderRef for o in self.orderbyid.values()}
        own |= {o.orderRef for o in self._placing.values()}
        for row in journal.orders(alive_only=True):
            ref = row['orderRef']
            if ref in own:
                continue  # placed by this broker (a broker started again, or just now)
            ib = openref.pop(ref, None)
            if ib is not None:
                self._restore_safely(row, ib, fills.get(ref, []))
            else:
                self._ended_while_away(row, doneref.get(ref), fills.get(ref, []))
        for ref, o in openref.items():
            if ref in own:
                continue
            known = journal.order(ref)
            if known is not None:  # the journal had it as ended: IB says open
                self._restore_safely(known, o, fills.get(ref, []))
                continue
            self.ib.put_notification(
                f'IBBroker: an open order at IB was not placed by this program: client '
                f'{o["clientId"]} order {o["orderId"]} {o["action"]} {o["totalQuantity"]:g} '
                f'conId={o["conId"]} {o["orderType"]} (orderRef {o["orderRef"]!r}); left as it is')
        self._restored_done()
        for o in snap['open']:
            if not o['orderRef']:
                self.ib.put_notification(
                    f'IBBroker: an open order at IB was not placed by this program: client '
                    f'{o["clientId"]} order {o["orderId"]} {o["action"]} {o["totalQuantity"]:g} '
                    f'conId={o["conId"]} {o["orderType"]} (no orderRef); left as it is')

    @staticmethod
    def _owner_of(ref: str, data):
        """The running strategy of the class the orderRef names (None: Cerebro
        hands the notifications to the first strategy)."""
        parsed = parse_ref(ref)
        env = getattr(data, '_env', None)
        if parsed is None or env is None:
            return None
        return next((s for s in getattr(env, 'runningstrats', []) or []
                     if type(s).__name__ == parsed[0]), None)

    def _data_for(self, conId: int):
        for d in self.ib.datas:
            c = getattr(d, 'tradecontract', None)
            if c is not None and c.conId == conId:
                return d
        return None

    def _restore_safely(self, row: dict, ib: dict, fills: list) -> None:
        try:
            self._restore_one(row, ib, fills)
        except Exception as e:  # one odd order must not end the run
            self.ib.put_notification(f'IBBroker: order {row["orderRef"]} of an earlier run is '
                                     f'open at IB but could not be restored ({e!r}); left as '
                                     'it is')

    def _make_order(self, d: dict, data, ref: str):
        """A backtrader order for IB order fields ``d`` (action, totalQuantity,
        orderType, lmtPrice, auxPrice: an open order's, or a journal row's)."""
        et = IB_EXECTYPES.get(d['orderType'], OrderBase.Market)
        price = d['lmtPrice'] if et == OrderBase.Limit else d['auxPrice']
        plimit = d['lmtPrice'] if et in (OrderBase.StopLimit, OrderBase.StopTrailLimit) else None
        trail = d['auxPrice'] if et in (OrderBase.StopTrail, OrderBase.StopTrailLimit) else None
        if et in (OrderBase.StopTrail, OrderBase.StopTrailLimit):
            price = None
        size = d['totalQuantity'] if 'totalQuantity' in d else d['size']
        cls = self._order_class(d['action'])
        order = cls(owner=self._owner_of(ref, data), data=data, size=size, price=price,
                    pricelimit=plimit, exectype=et, trailamount=trail)
        order.orderRef, order.restored = ref, True
        order.tif = d['tif'] or 'GTC'
        order.addcomminfo(self.getcommissioninfo(data))
        order.addinfo(restored_from=ref)
        return order

    def _restore_one(self, row: dict, ib: dict, fills: list) -> None:
        """Rebuild one order of an earlier run that IB still works (notified once
        the whole snapshot is rebuilt, see ``_restored_done``)."""
        journal = self._journal
        assert journal is not None
        ref = row['orderRef']
        data = self._data_for(ib['conId'])
        if data is None:
            self.ib.put_notification(
                f'IBBroker: order {ref} of an earlier run is open at IB (conId={ib["conId"]}) '
                'but no feed of this run trades that contract; left as it is')
            return
        order = self._make_order(ib, data, ref)
        order.iborder = ib['order']
        order.orderId, order.permId = ib['orderId'], ib['permId']
        self._contracts[ib['conId']] = ib['contract']
        order.submit(self)
        order.accept(self)
        # earlier fills are in IB's position already: only the order learns them
        for f in fills:
            self._done_execs.add(f['execId'])
            journal.execution(f['execId'], ref, f['orderId'], f['permId'], f['conId'],
                              f['side'], f['shares'], f['price'], f['time'],
                              f['commission'])
            size = f['shares'] if f['side'] == 'BOT' else -f['shares']
            order.execute(order.data.datetime[0] if len(order.data) else 0.0, size, f['price'],
                          closed=0.0, opened=size, openedvalue=abs(size) * f['price'],
                          openedcomm=f['commission'], margin=0.0, psize=0.0)
        if order.executed.size:
            order.partial()
        if ib['clientId'] == self.ib.clientId:  # its statuses come to this client
            self.orderbyid[order.orderId] = order
        else:
            self.ib.put_notification(
                f'IBBroker: order {ref} was placed by client {ib["clientId"]}, this is client '
                f'{self.ib.clientId}: its fills are followed, but only client '
                f'{ib["clientId"]} can cancel it (use clientId={ib["clientId"]})')
        if order.permId:
            self._byperm[order.permId] = order
        self._restored_now.append((order, ib))

    def _restored_done(self) -> None:
        """The snapshot's orders are rebuilt: link brackets and OCA groups, give
        the strategies their open trades, then notify each order once."""
        restored = self._restored_now
        self._restored_now = []
        orders = [o for o, _ in restored]
        ended: dict = {}  # (clientId, orderId) -> a parent that ended: one object for all
        try:  # links and trades are a help: never a reason to lose the orders
            for order, ib in restored:
                self._relink(order, ib, orders, ended)
            self._seed_trades(orders)
        except Exception as e:
            self.ib.put_notification(f'IBBroker: the links or the open trade of restored '
                                     f'orders could not be rebuilt ({e!r}); the orders are '
                                     'restored without them')
        for order, ib in restored:
            self.notify(order)
            links = ''
            if order.parent is not None:
                links += f', child of order ref {order.parent.ref}'
            if order.oco is not None:
                links += f', OCA with order ref {order.oco.ref}'
            self.ib.put_notification(
                f'IBBroker: order {order.orderRef} of an earlier run is open at IB: restored '
                f'as order ref {order.ref} ({order.getstatusname()}, '
                f'{abs(order.executed.size):g} of {ib["totalQuantity"]:g} filled{links})')

    def _relink(self, order, ib: dict, restored: list, ended: dict) -> None:
        """Bracket and OCA links of a restored order, as IB has them: ``parent``
        (restored, or rebuilt ended from the journal), ``oco`` (the group's first
        order), and the OCA group that later ``oco=order`` joins."""
        iborder = ib['order']
        pid = getattr(iborder, 'parentId', 0) or 0
        client = ib['clientId']
        if pid:
            parent = next((o for o in restored if o.orderId == pid
                           and o.iborder.clientId == client), None)
            if parent is None:
                if (client, pid) not in ended:
                    ended[client, pid] = self._ended_parent(pid, client, order.data)
                parent = ended[client, pid]
            order.parent = parent
        group = getattr(iborder, 'ocaGroup', '') or ''
        if group:
            self._ocagroups[order.ref] = group
            head = next(o for o in restored if getattr(o.iborder, 'ocaGroup', '') == group)
            if head is not order:
                order.oco = head

    def _ended_parent(self, orderId: int, clientId: int, data):
        """The journal's order ``orderId`` of ``clientId`` (a bracket parent that
        filled in an earlier run) as an ended order, or None."""
        journal = self._journal
        row = next((r for r in journal.orders() if r['orderId'] == orderId
                    and r['clientId'] == clientId), None)
        if row is None:
            return None
        parent = self._make_order(row, data, row['orderRef'])
        parent.orderId, parent.permId = orderId, row['permId']
        st = row['status']
        parent.status = OrderBase.Status.index(st) if st in OrderBase.Status else OrderBase.Completed
        return parent

    def _seed_trades(self, orders: list) -> None:
        """The position IB holds of a restored order's contract is the open trade
        of that order's strategy (opened by the earlier run): a restored stop
        that fills then closes it (notify_trade), rather than opening a new one.
        Not notified; the trade id is 0; fills the restored orders carry count."""
        seen = set()
        for order in orders:
            data = order.data
            strat = order.owner or next(iter(getattr(getattr(data, '_env', None),
                                                     'runningstrats', None) or []), None)
            con = data.tradecontract.conId
            if strat is None or (id(strat), con) in seen:
                continue
            seen.add((id(strat), con))
            pos = self.positions[con]
            carried = sum(o.executed.size for o in orders
                          if o.data is data and (o.owner or strat) is strat)
            size = pos.size - carried
            tradedata = data._compensate if data._compensate is not None else data
            trades = strat._trades[tradedata][0]
            if abs(size) < 1e-9 or size * pos.size < 0 or (trades and trades[-1].isopen):
                continue  # nothing left beside the restored fills (or they overshoot)
            ci = self.getcommissioninfo(data)
            # the entry as the journal's fills have it (IB's average cost holds the
            # commissions); else IB's
            price, comm = self._entry(con, size) or (pos.price, 0.0)
            trade = Trade(data=tradedata, tradeid=0, historyon=strat._tradehistoryon,
                          size=size, price=price, value=ci.getvaluesize(size, price),
                          commission=comm)
            trade.pnlcomm = -comm
            # open since the earlier run (its opening was notified there): no notification
            trade.isopen, trade.status, trade.long = True, Trade.Open, size > 0
            trade.baropen = len(tradedata)
            trade.dtopen = tradedata.datetime[0] if len(tradedata) else 0.0
            trades.append(trade)

    def _entry(self, conId: int, size: float) -> tuple[float, float] | None:
        """(average price, commission) of the open position ``size`` of ``conId``
        rebuilt from the journal's executions, or None if they do not add up to it."""
        pos = avg = comm = 0.0
        for e in self._journal.executions():
            if e['conId'] != conId:
                continue
            q = e['shares'] if e['side'] in ('BOT', 'BUY') else -e['shares']
            c = e['commission'] or 0.0
            if pos * q >= 0:                    # opens or adds
                avg = (avg * pos + e['price'] * q) / (pos + q)
                pos, comm = pos + q, comm + c
            elif abs(q) <= abs(pos) + 1e-9:     # reduces or closes
                pos, comm = pos + q, comm + c
                if abs(pos) < 1e-9:
                    pos = avg = comm = 0.0
            else:                               # reverses: the rest opens a new trade
                left = pos + q
                pos, avg, comm = left, e['price'], c * abs(left / q)
        return (avg, comm) if abs(pos - size) < 1e-9 and pos else None

    def _ended_while_away(self, row: dict, done: dict | None, fills: list) -> None:
        """A journal order IB no longer works: record how it ended."""
        journal = self._journal
        assert journal is not None
        ref = row['orderRef']
        filled = sum(f['shares'] for f in fills)
        if done is not None:
            status = 'Completed' if done['status'] == 'Filled' else 'Canceled'
        elif fills:
            status = 'Completed' if filled >= (row['size'] or 0) - 1e-9 else 'Canceled'
        elif not row['orderId']:
            status = 'NotSent'  # the process ended before sending it: never resent
        else:
            status = 'Gone'     # IB reports nothing of it (an earlier day?)
        for f in fills:
            journal.execution(f['execId'], ref, f['orderId'], f['permId'], f['conId'],
                              f['side'], f['shares'], f['price'], f['time'], f['commission'])
        journal.order_update(ref, status=status, filled=max(filled, row['filled'] or 0))
        self.ib.put_notification(f'IBBroker: order {ref} of an earlier run ended while this '
                                 f'program was not running: {status} ({filled:g} of '
                                 f'{row["size"]:g} filled); IB\'s position includes it')

    def _modify_settled(self, order, now: dict) -> None:
        """A modification sent before the connection dropped: IB's open order
        says whether it took it (notified once) or not (the old values back)."""
        ev = OpenOrderEvent(order.orderId, now['permId'], now['status'], now['clientId'],
                            totalQuantity=now['totalQuantity'], lmtPrice=now['lmtPrice'],
                            auxPrice=now['auxPrice'])
        if not self._modify_answer(order, ev):
            self._modify_refused(order, 0, 'IB did not take it before the connection dropped')

    def _recheck_orders(self) -> None:
        """After a reconnection: orders IB cancelled meanwhile (no status came) end."""
        alive = [o for o in self.orderbyid.values() if o.alive() and o.orderId is not None]
        if not alive or self.ib.p.readonly:
            return
        snap = self._snapshot()
        if snap is None:
            return
        openids = {(o['clientId'], o['orderId']): o for o in snap['open']}
        openperm = {o['permId'] for o in snap['open']}
        done = {o['permId']: o for o in snap['completed']}
        for order in alive:
            now = openids.get((self.ib.clientId, order.orderId))
            if now is not None and order.orderId in self._modifying:
                self._modify_settled(order, now)
            if now is not None or order.permId in openperm:
                continue
            if self._pending_fills(order):
                continue
            d = done.get(order.permId)
            if d is not None and d['status'] in ('Cancelled', 'ApiCancelled', 'Inactive'):
                self._close(order, 'Cancelled')
