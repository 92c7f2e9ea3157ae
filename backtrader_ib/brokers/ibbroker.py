"""IBBroker: orders, fills, cash, value and positions at Interactive Brokers.

Order events arrive on the store's loop thread and are queued as plain
tuples; ``next()`` (the strategy thread, every bar) turns them into order
status changes and notifications, so order objects are only ever touched by
the strategy thread and nothing blocks on IB.

Fills come from execDetails + commissionReport (one execution each, counted
once by execId, including executions replayed after a reconnection), not
from portfolio updates. Partial/Completed follow the executed size. Status
mapping (table f.2, defects fixed): Submitted/PreSubmitted -> Accepted;
Cancelled -> Canceled (Expired when a DAY/GTD order ends without a cancel
from us); Inactive -> Rejected; error 202 -> Canceled; informational codes
(399, 404, 2100-2199, ...) never reject an order.
"""
from __future__ import annotations

import collections
import datetime as _dt
import time
import uuid
import warnings
from typing import Any

from ..broker import BrokerBase
from ..comminfo import CommInfoBase
from ..order import OrderBase
from ..position import Position
from ..stores.ibcontracts import describe_contract
from ..stores.ibchecks import OrderCheckError, check_order, increment_at
from ..stores.ibrules import MarketRules, rule_id_for
from ..stores.ibevents import (CommissionEvent, ErrorEvent, ExecutionEvent, OpenOrderEvent,
                               OrderStatusEvent, PlaceFailedEvent, PlacedEvent, PositionEvent,
                               PositionsEvent)
from ..stores.iborders import order_fields
from ..stores.ibjournal import OrderJournal, order_ref
from .ibmodify import OrderModifier
from .ibrestore import OrderRestorer
from ..stores.ibstore import ORDER_INFO_CODES, IBStore
from ..utils.date import date2num

__all__ = ('IBBroker', 'IBOrder', 'IBBuyOrder', 'IBSellOrder', 'ReadOnlyError')


# IB order fields kept in the journal (enough to rebuild the order)
JOURNAL_FIELDS = ('action', 'totalQuantity', 'orderType', 'lmtPrice', 'auxPrice', 'tif',
                  'goodTillDate', 'ocaGroup', 'ocaType', 'parentId', 'transmit', 'account',
                  'trailStopPrice', 'trailingPercent', 'lmtPriceOffset', 'orderRef',
                  'outsideRth')


class ReadOnlyError(RuntimeError):
    """Orders were sent through a read-only store."""


class IBOrder(OrderBase):
    """An order sent to IB (IBBuyOrder / IBSellOrder)."""

    __slots__ = ('iborder', 'orderId', 'permId', 'usercancel', 'ibstatus', 'tif', 'orderRef',
                 'restored')

    def __init__(self, **kwargs: Any) -> None:
        self.orderRef = ''      # sent to IB: names the strategy, the run and the ref
        self.restored = False   # brought back from the journal at start
        self.orderId: int | None = None
        self.permId: int | None = None
        self.iborder = None
        self.usercancel = False
        self.ibstatus = ''
        self.tif = 'GTC'
        super().__init__(**kwargs)

    def clone(self) -> 'IBOrder':
        obj: IBOrder = super().clone()  # type: ignore[assignment]
        for name in IBOrder.__slots__:  # the notified copy carries the IB ids too
            setattr(obj, name, getattr(self, name))
        return obj


class IBBuyOrder(IBOrder):
    __slots__ = ()
    ordtype = OrderBase.Buy


class IBSellOrder(IBOrder):
    __slots__ = ()
    ordtype = OrderBase.Sell


class IBCommInfo(CommInfoBase):
    """Value and cost of IB positions: the contract's multiplier, commissions from IB."""

    params = (('commission', 0.0), ('percabs', True))

    def getvaluesize(self, size: float, price: float) -> float:
        return abs(size) * price * self.p.mult

    def getoperationcost(self, size: float, price: float) -> float:
        return abs(size) * price * self.p.mult


class IBBroker(OrderModifier, OrderRestorer, BrokerBase):
    """Live broker on IBStore (see docs/ib.md for the order mapping)."""

    params = (
        # seconds to wait for an execution's commission report before filling
        # it with commission 0 (and a store notification saying so)
        ('commwait', 10.0),
        # seconds a change of IB's position may wait for the fills explaining it
        # before it counts as a difference (notified, IB's taken)
        ('poswait', 2.0),
        ('placetimeout', 10.0),  # seconds before a notification says an order is still unsent
        ('maxsize', None),       # refuse orders above this size
        ('maxnotional', None),   # refuse orders worth more (size x price x multiplier)
        # put prices on IB's price grid (market rules); False: an off-grid price is refused
        ('roundprices', True),
    )

    def __init__(self, **kwargs: Any) -> None:
        storekw = {k: v for k, v in kwargs.items() if k in IBStore.params._getkeys()}
        unknown = set(kwargs) - set(storekw)
        if unknown:
            raise TypeError(f'IBBroker: unknown parameter(s) {", ".join(sorted(unknown))}')
        super().__init__()
        self.ib = IBStore(**storekw)
        self._events: collections.deque = collections.deque()  # filled by the loop thread
        self.orderbyid: dict = {}
        self._byperm: dict = {}
        self._execs: dict = {}       # execId -> exec event, waiting for its commission
        self._execs_seen: dict = {}  # execId -> (arrival, orderId)
        self._comms: dict = {}       # execId -> commission event, waiting for its exec
        self._done_execs: set = set()
        self._ocagroups: dict = {}   # order ref -> OCA group
        self._cancel_after_fills: set = set()  # cancelled while fills were in flight
        self._filled_groups: set = set()  # OCA groups / bracket parents with a fill
        self._pos_pending: dict = {}  # conId -> when IB's position of it changed
        self._contracts: dict = {}    # conId -> contract (for messages)
        self._journal: OrderJournal | None = None  # the store's, from start
        self._restore_due = False     # bring the journal's open orders back at next()
        self._placing: dict = {}      # order ref -> order sent, its id not yet known
        self._placed_at: dict = {}    # order ref -> when it was queued to the loop
        # OCA group names: one random part per broker, then the order ref (uuid4 for
        # every order read the OS's random source, a system call in buy())
        self._ocabase = uuid.uuid4().hex[:16]
        self._modifying: dict = {}    # orderId -> the IB fields before a modify IB has not confirmed
        self._rules = MarketRules(self.ib)  # price increments by IB's market rules
        self._handlers = {
            OrderStatusEvent: self._ev_status, OpenOrderEvent: self._ev_open,
            ExecutionEvent: self._ev_exec, CommissionEvent: self._ev_comm,
            ErrorEvent: self._ev_error, PositionsEvent: self._ev_sync,
            PositionEvent: self._ev_position, PlacedEvent: self._ev_placed,
            PlaceFailedEvent: self._ev_place_failed}
        self.positions: collections.defaultdict = collections.defaultdict(Position)
        self.startingcash = self.cash = self.value = 0.0

    # -- life cycle -------------------------------------------------------------------
    def start(self) -> None:
        super().start()
        self.ib.start(broker=self)
        self.cash = self.getcash()
        self.value = self.getvalue()
        self.startingcash = self.cash
        acct = self.ib.account
        store = self.ib
        self._rules.prefetch(store.datas)
        # IB's positions include every execution seen so far: those are never
        # applied again (a reconnection replays the day's executions)
        seen, ibpos = store.call(lambda: (set(store.exec_ids), store.positions_of(acct)))
        self._done_execs |= seen
        if not store.p.readonly and store.isconnected():
            self._journal = store.open_journal()
        if self._journal is not None:
            self._journal.set('clientId', str(store.clientId))
            self._done_execs |= self._journal.exec_ids()
            self._restore_due = True  # once the feeds run: orders need their data
        # a broker started again compares what it had with IB; a new one just takes IB's
        known = any(p.size for p in self.positions.values())
        self._reconcile(ibpos, 'at start', notify=known)
        if acct and not acct.startswith('D'):
            if self.ib.p.live:
                msg = (f'IBBroker: account {acct} is a LIVE (non-paper) account: orders trade '
                       'real money (live=True)')
            else:
                msg = (f'IBBroker: account {acct} is a LIVE (non-paper) account and live=True '
                       'was not given: every order is refused (Rejected, nothing sent)')
            warnings.warn(msg, stacklevel=2)
            self.ib.put_notification(msg)

    def stop(self) -> None:
        self.ib.release(self)

    def push_event(self, event) -> None:
        """Called by the store's loop thread with one order event."""
        self._events.append(event)

    # -- money ---------------------------------------------------------------------------
    def _acct(self, *tags: str) -> float | None:
        for tag in tags:
            v = self.ib.base_value(tag)
            if v is not None:
                return v
        return None

    def getcash(self) -> float:
        v = self._acct('TotalCashBalance', 'TotalCashValue', 'CashBalance')
        if v is not None:
            self.cash = v
        return self.cash

    def getvalue(self, datas=None) -> float:
        if datas:
            total = 0.0
            for d in datas:
                pos = self.getposition(d)
                total += self.getcommissioninfo(d).getvaluesize(pos.size, d.close[0])
            return total
        v = self._acct('NetLiquidation')
        if v is not None:
            self.value = v
        return self.value

    get_cash, get_value = getcash, getvalue

    def getposition(self, data) -> Position:
        return self.positions[self._conid(data)]

    @staticmethod
    def _conid(data) -> int:
        c = getattr(data, 'tradecontract', None)
        if c is None:
            raise ValueError(f'IBBroker: data {data!r} has no IB contract (use IBData)')
        return c.conId

    def getcommissioninfo(self, data) -> CommInfoBase:
        name = getattr(data, '_name', None)
        if name in self.comminfo:
            return self.comminfo[name]
        c = getattr(data, 'tradecontract', None)
        mult = float(getattr(c, 'multiplier', '') or 1.0) if c is not None else 1.0
        stocklike = getattr(c, 'secType', 'STK') not in ('FUT', 'OPT', 'FOP')
        ci = IBCommInfo(mult=mult, stocklike=stocklike)
        self.comminfo[name] = ci
        return ci

    # -- orders -----------------------------------------------------------------------------
    def buy(self, owner, data, size, price=None, plimit=None, exectype=None, valid=None,
            tradeid=0, oco=None, trailamount=None, trailpercent=None, parent=None,
            transmit=True, **kwargs):
        return self._order(OrderBase.Buy, owner, data, size, price, plimit, exectype, valid,
                           tradeid, oco, trailamount, trailpercent, parent, transmit, kwargs)

    def sell(self, owner, data, size, price=None, plimit=None, exectype=None, valid=None,
             tradeid=0, oco=None, trailamount=None, trailpercent=None, parent=None,
             transmit=True, **kwargs):
        return self._order(OrderBase.Sell, owner, data, size, price, plimit, exectype, valid,
                           tradeid, oco, trailamount, trailpercent, parent, transmit, kwargs)

    def _order(self, action, owner, data, size, price, plimit, exectype, valid, tradeid, oco,
               trailamount, trailpercent, parent, transmit, kwargs):
        if self.ib.p.readonly:
            raise ReadOnlyError('IBBroker: the IB store was opened with readonly=True; '
                                'orders are refused (open it with readonly=False to trade)')
        cls = IBBuyOrder if action == OrderBase.Buy else IBSellOrder
        order = cls(owner=owner, data=data, size=size, price=price,
                    pricelimit=plimit, exectype=exectype, valid=valid, tradeid=tradeid,
                    oco=oco, trailamount=trailamount, trailpercent=trailpercent,
                    parent=parent, transmit=transmit)
        try:
            self._check_account()
            fields = self._checked_fields(order, valid)
        except OrderCheckError as e:
            return self._refuse(order, str(e))
        order.tif = fields['tif']
        if parent is None:
            # standalone orders get an OCA group so later orders can join it with oco=
            group = self._ocagroups.get(oco.ref) if oco is not None else None
            group = group or f'{self._ocabase}-{order.ref}'
            self._ocagroups[order.ref] = group
            fields.update(ocaGroup=group, ocaType=1)
        else:
            fields['parentId'] = parent.orderId or 0  # else given on the loop (place_order)
        if self.ib.account:
            fields['account'] = self.ib.account
        fields.update(kwargs)  # e.g. triggerMethod, outsideRth, algoStrategy
        session = self._journal.session if self._journal is not None else 0
        order.orderRef = fields.get('orderRef') or order_ref(
            type(owner).__name__ if owner is not None else 'strategy', session, order.ref)
        fields['orderRef'] = order.orderRef
        iborder = self.ib.lib.Order()
        for k, v in fields.items():
            if not hasattr(iborder, k):
                raise ValueError(f'IBBroker: IB orders have no field {k!r}')
            setattr(iborder, k, v)
        order.iborder = iborder
        self._contracts[data.tradecontract.conId] = data.tradecontract
        order.addcomminfo(self.getcommissioninfo(data))
        return self.submit(order)

    def _check_account(self) -> None:
        acct = self.ib.account
        if acct and not acct.startswith('D') and not self.ib.p.live:
            raise OrderCheckError(f'account {acct} is a LIVE (non-paper) account; open the '
                                  'store with live=True to trade real money')

    def _checked_fields(self, order: IBOrder, valid) -> dict:
        """The IB fields of ``order``, checked and on the tick grid (OrderCheckError)."""
        data = order.data
        contract = getattr(data, 'tradecontract', None)
        if contract is None:
            raise OrderCheckError(f'data {getattr(data, "_name", "") or data!r} is not an IB '
                                  'feed with a resolved contract (use IBData)')
        parent = order.parent
        if parent is not None and (parent.status == OrderBase.Rejected or (
                parent.orderId is None and parent.ref not in self._placing)):
            raise OrderCheckError(f'its parent order ref {parent.ref} was not sent')
        fields = order_fields(order, valid)
        return self._check(data, fields)

    def _check(self, data, fields: dict) -> dict:
        contract = data.tradecontract
        details = getattr(data, 'tradedetails', None)
        refprice = data.close[0] if len(data) else None
        mult = float(getattr(contract, 'multiplier', '') or 1.0)
        rule, increments = self._rules.increments(contract, details)
        where = f' (IB market rule {rule})' if rule else ' (the contract\'s minTick)'
        return check_order(fields, getattr(details, 'minTick', None), self.p.maxsize,
                           self.p.maxnotional, refprice, mult, increments=increments,
                           roundprices=self.p.roundprices, rule=where)

    def _refuse(self, order: IBOrder, reason: str) -> IBOrder:
        """Reject ``order`` before anything is sent, saying why."""
        order.addinfo(reject_reason=reason)
        order.reject(self)
        self.notify(order)
        self.ib.put_notification(f'IBBroker: order ref {order.ref} rejected before sending: '
                                 f'{reason}')
        return order

    def submit(self, order: IBOrder) -> IBOrder:
        """Queue ``order`` to the store's order lane and return (nothing waits for IB,
        the disk or the loop): Submitted now; its id comes as a PlacedEvent at ``next()``,
        a failure to send as a PlaceFailedEvent (Rejected)."""
        order.submit(self)
        # the Submitted notification; its journal row is written on the lane, on
        # disk before the order is sent (``before``)
        BrokerBase.notify(self, order)
        self._placing[order.ref] = order
        self._placed_at[order.ref] = time.monotonic()
        parent = order.parent
        self.ib.place_order(order.data.tradecontract, order.iborder, ref=order.ref, broker=self,
                            parent=parent.iborder if parent is not None else None,
                            before=self._journal_before(order))
        return order

    def _journal_before(self, order: IBOrder):
        """What the lane writes to the journal before sending ``order`` (None: no journal)."""
        journal = self._journal
        if journal is None:
            return None
        clientId, account = self.ib.clientId or 0, self.ib.account
        data = order.data
        conId = data.tradecontract.conId
        dataname = getattr(data, '_name', '') or str(data.p.dataname)
        ref, orderRef, ib = order.ref, order.orderRef, order.iborder

        def write() -> None:  # on the order lane: one transaction, on disk before the send
            fields = {k: getattr(ib, k) for k in JOURNAL_FIELDS if hasattr(ib, k)}
            with journal.batch():
                journal.order_sending(orderRef, orderRef.split(':')[1], ref, clientId, account,
                                      conId, dataname, fields)
                journal.order_update(orderRef, status='Submitted', filled=0.0, orderId=None,
                                     permId=None, clientId=clientId)
        return write

    def cancel(self, order: IBOrder) -> None:
        if not order.alive():
            return
        if order.orderId is None and order.ref not in self._placing:
            return
        order.usercancel = True
        # queued (lane, then loop) after the order's placement, which gives iborder its id
        self.ib.cancel_order(order.iborder)

    def orderstatus(self, order: IBOrder) -> int:
        return order.status

    def notify(self, order) -> None:
        super().notify(order)
        if self._journal is not None and order.orderRef:
            self._journal.order_update(order.orderRef, status=order.getstatusname(),
                                       filled=abs(order.executed.size), orderId=order.orderId,
                                       permId=order.permId, clientId=self.ib.clientId)

    # -- events (strategy thread) ------------------------------------------------------------
    @staticmethod
    def _order_class(action: str) -> type:
        return IBBuyOrder if action == 'BUY' else IBSellOrder

    def summary(self) -> str:
        """The broker's open positions and orders, in one line (for a give-up message)."""
        def what(con):
            c = self._contracts.get(con)
            return describe_contract(c) if c is not None else f'conId={con}'
        pos = [f'{what(c)}: {p.size:g} @ {p.price:g}' for c, p in self.positions.items() if p.size]
        orders = []
        for o in self.orderbyid.values():
            if o.alive():
                ib = o.iborder
                px = ' '.join(f'{k}={getattr(ib, k):g}' for k in ('lmtPrice', 'auxPrice')
                              if abs(getattr(ib, k, 0) or 0) < 1e300 and getattr(ib, k, 0))
                orders.append(f'ref {o.ref} (IB order {o.orderId}) {ib.action} '
                              f'{ib.totalQuantity:g} {ib.orderType} {px} {ib.tif} '
                              f'{o.getstatusname()}'.replace('  ', ' '))
        return (f'Open positions: {"; ".join(pos) or "none"}. '
                f'Open orders: {"; ".join(orders) or "none"}.')

    def next(self) -> None:
        if self.ib.lost is not None:
            self.ib.check_lost()
        if self._journal is not None and self._journal.error is not None:
            raise RuntimeError(f'IBBroker: writing the order journal '
                               f'{self._journal.path} failed: {self._journal.error!r}')
        if len(self.ib.datas) != self._rules.seen:
            self._rules.prefetch(self.ib.datas)
        if self._restore_due and self.ib.isconnected():
            self._restore_due = False
            self._restore_orders()
        events = self._events
        handlers: dict[type, Any] = self._handlers
        while events:
            ev = events.popleft()
            handlers[type(ev)](ev)
        if self._execs:
            self._overdue_commissions()
        if self._pos_pending:
            self._check_positions()
        if self._placed_at:
            self._slow_placements()

    def _overdue_commissions(self) -> None:
        now = time.monotonic()
        late = [k for k, (seen, _) in self._execs_seen.items()
                if now - seen > self.p.commwait and k in self._execs]
        for execId in late:
            self.ib.put_notification(
                f'IBBroker: no commission report for execution {execId} after '
                f'{self.p.commwait:g} s; notified with commission 0')
            self._ev_comm(CommissionEvent(execId, 0.0, 0.0))

    def _ev_sync(self, ev: PositionsEvent) -> None:
        self._pos_pending.clear()
        self._reconcile(ev.positions, ev.when)
        self._recheck_orders()

    def _inflight(self) -> dict:
        """Signed size per conId of fills seen but not applied (commission pending)."""
        inflight: dict = collections.defaultdict(float)
        for ex in self._execs.values():
            inflight[ex.conId] += ex.size
        return inflight

    def _reconcile(self, ibpos: dict, when: str, notify: bool = True, only=None) -> None:
        """Take IB's positions (conId -> (size, avgCost, contract)) as the truth;
        notify each one that differs from the broker's (fills in flight counted)."""
        inflight = self._inflight()
        cons = set(ibpos) | {c for c, p in self.positions.items() if p.size}
        for con in cons if only is None else cons & set(only):
            size, cost, contract = ibpos.get(con, (0.0, 0.0, None))
            if contract is not None:
                self._contracts.setdefault(con, contract)
            mine = self.positions[con].size + inflight[con]
            if abs(size - mine) < 1e-9:
                continue
            if notify:
                what = describe_contract(contract) if contract is not None else f'conId={con}'
                self.ib.put_notification(
                    f'IBBroker: position mismatch {when} for {what}: IB reports {size:g}, the '
                    f'broker had {mine:g}; using IB\'s')
            # IB's average cost includes the multiplier (futures, options)
            mult = float(getattr(contract, 'multiplier', '') or 1.0)
            self.positions[con] = Position(size - inflight[con], cost / mult if size else 0.0)

    def _ev_position(self, ev: PositionEvent) -> None:
        """IB's position of one contract changed while connected: compare it once the
        fills that explain it have had ``poswait`` seconds to arrive."""
        if ev.account != self.ib.account:
            return
        self._pos_pending.setdefault(ev.conId, time.monotonic())

    def _check_positions(self) -> None:
        now = time.monotonic()
        due = [c for c, t in self._pos_pending.items() if now - t >= self.p.poswait]
        if not due:
            return
        for c in due:
            del self._pos_pending[c]
        self._reconcile(self.ib.positions_of(self.ib.account), 'while connected', only=due)

    def _mine(self, clientId: int) -> bool:
        """An order event of this client (order ids are per client: another
        client's order 1 is not ours, e.g. in an answer to reqAllOpenOrders)."""
        return not clientId or clientId == self.ib.clientId

    def _ev_status(self, ev: OrderStatusEvent) -> None:
        order = self.orderbyid.get(ev.orderId) if self._mine(ev.clientId) else None
        if order is None:
            return
        status = ev.status
        order.ibstatus = status
        if ev.filled > 0:
            self._filled_groups |= self._groups(order)
        if status in ('Submitted', 'PreSubmitted') and order.status == order.Submitted:
            order.accept(self)
            self.notify(order)
        elif status in ('Cancelled', 'ApiCancelled') and order.alive():
            if self._pending_fills(order):
                self._cancel_after_fills.add(ev.orderId)
                return
            self._close(order, status)
        elif status == 'Inactive' and order.alive():
            order.reject(self)
            self.notify(order)

    def _close(self, order, status) -> None:
        expired = (not order.usercancel and order.tif in ('DAY', 'GTD')
                   and status == 'Cancelled' and not self._groups(order) & self._filled_groups)
        if expired:
            order.status = order.Expired
        else:
            order.cancel()  # ours, or an OCA/bracket sibling filled
        self.notify(order)

    @staticmethod
    def _groups(order) -> set:
        """The one-cancels-all groups ``order`` belongs to (OCA group, bracket)."""
        ib = order.iborder
        out = {('oca', ib.ocaGroup)} if getattr(ib, 'ocaGroup', '') else set()
        if getattr(ib, 'parentId', 0):
            out.add(('parent', ib.parentId))
        return out

    def _pending_fills(self, order) -> bool:
        return any(e.orderId == order.orderId for e in self._execs.values())

    def _ev_error(self, ev: ErrorEvent) -> None:
        order = self.orderbyid.get(ev.reqId)
        code = ev.code
        if order is None or not order.alive():
            return
        if code in ORDER_INFO_CODES or 2100 <= code < 2200:
            return  # informational (e.g. 399 odd lot, 404 shares to borrow): still working
        if ev.reqId in self._modifying and code < 1000 and code != 202:
            self._modify_refused(order, code, ev.text)  # TWS keeps the order as it was
            return
        if code == 202:
            self._close(order, 'ApiCancelled')
        elif code < 1000:  # 103, 110, 201, 383, 451, ...: TWS refused the order
            order.addinfo(reject_reason=f'IB error {code}: {ev.text}{self._grid_note(order, code)}')
            order.reject(self)
            self.notify(order)
        else:
            # a code this broker does not know (e.g. 10349 "TIF set to DAY"): TWS may
            # keep the order working; it ends when IB reports a status that ends it
            self.ib.put_notification(
                f'IBBroker: IB message {code} on order ref {order.ref} ({ev.text}); the order '
                f'stays {order.getstatusname()} until IB reports a status that ends it')

    def _ev_open(self, ev: OpenOrderEvent) -> None:
        order = self.orderbyid.get(ev.orderId) if self._mine(ev.clientId) else None
        if order is None:
            return
        if ev.permId:
            order.permId = ev.permId
            self._byperm[ev.permId] = order
        if ev.orderId in self._modifying:
            self._modify_answer(order, ev)  # ours: not a change made by IB
            return
        if (ev.totalQuantity > 0 and order.alive() and ev.orderId not in self._modifying
                and ev.status not in ('Cancelled', 'ApiCancelled', 'Inactive')
                and abs(ev.totalQuantity - abs(order.size)) > 1e-9):
            self._resized(order, ev.totalQuantity)

    def _grid_note(self, order: IBOrder, code: int) -> str:
        """For a 110 (price off the grid): the order's prices and the increments there."""
        if code != 110:
            return ''
        data = order.data
        details = getattr(data, 'tradedetails', None)
        rule, grid = self._rules.known(data.tradecontract, details)
        named = rule_id_for(data.tradecontract, details)
        if grid is None:
            tick = getattr(details, 'minTick', None)
            grid = ((0.0, tick),) if tick else None
        ib = order.iborder
        parts = []
        for name in ('lmtPrice', 'auxPrice'):
            px = getattr(ib, name, None)
            if px is not None and 0 < px < 1e300:
                inc = f', increment {increment_at(px, grid):g}' if grid else ''
                parts.append(f'{name} {px:g}{inc}')
        if rule:
            src = f'by IB market rule {rule}'
        elif named:
            src = f'by minTick: IB market rule {named} was not known to the broker'
        else:
            src = 'by minTick'
        return f' (order ref {order.ref}: {"; ".join(parts)} {src})'

    def _resized(self, order: Any, total: float) -> None:
        """IB changed the order's size (an OCA type 2/3 sibling's fill reduced it, or
        someone modified it in TWS): take IB's size, notify it once."""
        old = abs(order.size)
        sign = 1 if order.isbuy() else -1
        order.size = sign * total
        order.executed.remsize = sign * total - order.executed.size
        order.iborder.totalQuantity = total
        order.addinfo(ibsize=total, ibsize_was=old)
        if self._journal is not None and order.orderRef:
            self._journal.order_update(order.orderRef, size=total)
        self.ib.put_notification(f'IBBroker: IB changed the size of order ref {order.ref} '
                                 f'(IB order {order.orderId}) from {old:g} to {total:g}')
        self.notify(order)

    def _ev_placed(self, ev: PlacedEvent) -> None:
        order = self._placing.pop(ev.ref, None)
        self._placed_at.pop(ev.ref, None)
        if order is not None:
            order.orderId = ev.orderId
            self.orderbyid[ev.orderId] = order

    def _ev_place_failed(self, ev: PlaceFailedEvent) -> None:
        order = self._placing.pop(ev.ref, None)
        self._placed_at.pop(ev.ref, None)
        if order is None or not order.alive():
            return
        self.ib.put_notification(f'IBBroker: order ref {order.ref}: {ev.reason}')
        order.addinfo(reject_reason=ev.reason)
        order.reject(self)
        self.notify(order)

    def _slow_placements(self) -> None:
        """Orders the loop has not sent within ``placetimeout`` s: say so, once."""
        now = time.monotonic()
        for ref, t in list(self._placed_at.items()):
            if now - t >= self.p.placetimeout:
                del self._placed_at[ref]
                self.ib.put_notification(f'IBBroker: order ref {ref} is being sent; the store '
                                         f'is slow to answer (over {self.p.placetimeout:g} s)')

    def _ev_exec(self, ev: ExecutionEvent) -> None:
        execId = ev.execId
        if execId in self._done_execs or execId in self._execs:
            return
        self._execs[execId] = ev
        order = self.orderbyid.get(ev.orderId)
        if order is not None:  # its siblings' cancels that follow are not expiries
            self._filled_groups |= self._groups(order)
        self._execs_seen[execId] = (time.monotonic(), ev.orderId)
        if execId in self._comms:
            self._ev_comm(self._comms.pop(execId))

    def _ev_comm(self, ev: CommissionEvent) -> None:
        execId = ev.execId
        if execId in self._done_execs:
            return
        ex = self._execs.pop(execId, None)
        if ex is None:
            self._comms[execId] = ev
            return
        self._done_execs.add(execId)
        self._execs_seen.pop(execId, None)
        # by permId first: a restored order of another client may share an order id
        order = self._byperm.get(ex.permId) or self.orderbyid.get(ex.orderId)
        size = ex.size
        if self._journal is not None:
            self._journal.execution(execId, ex.orderRef, ex.orderId, ex.permId, ex.conId,
                                    ex.side, ex.shares, ex.price, ex.time, ev.commission)
        if order is None:
            # not ours (an order of an earlier run with this client id, or another
            # client's): IB's position changed; keep ours right and say so
            pos = self.positions[ex.conId]
            pos.update(size, ex.price)
            self.ib.put_notification(
                f'IBBroker: execution {execId} of order {ex.orderId} (not placed by this '
                f'broker) {ex.side} {ex.shares:g} conId={ex.conId} at {ex.price:g}; the '
                f'position is now {pos.size:g}')
            return
        self._execute(order, size, ex.price, ev.commission, ex.time)
        pending = self._cancel_after_fills
        if ex.orderId in pending and not self._pending_fills(order) and order.alive():
            pending.discard(ex.orderId)
            self._close(order, 'Cancelled')

    def _execute(self, order, size, price, commission, when) -> None:
        data = order.data
        pos = self.positions[self._conid(data)]
        if isinstance(when, _dt.datetime):
            dt = date2num(when.astimezone(_dt.timezone.utc).replace(tzinfo=None)
                          if when.tzinfo else when)
        else:
            dt = data.datetime[0] if len(data) else 0.0
        fill = self.split_fill(pos, self.getcommissioninfo(data), size, price, commission, dt)
        self.book_fill(order, pos, fill, margin=0.0)
        if order.executed.remsize:
            order.partial()
        else:
            order.completed()
        self.notify(order)


IBStore.BrokerCls = IBBroker

# backtrader's name for this broker's metaclass (one metaclass builds every object)
MetaIBBroker = type(BrokerBase)
