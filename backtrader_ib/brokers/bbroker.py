"""BackBroker: the simulated broker of backtests.

Orders are matched against each new bar of their data: market orders at the
open, close orders at the close, limit and stop orders when the bar's range
reaches their price (at the open if it gaps through). Cash, margin and
commissions come from the data's commission scheme.
"""
from __future__ import annotations

import collections
import datetime
import math

from ..broker import BrokerBase
from ..comminfo import CommInfoBase
from ..order import BuyOrder, Order, OrderExecutionBit, SellOrder
from ..position import Position
from ..utils.numeric import is_real

__all__ = ('BackBroker', 'BrokerBack')


class BackBroker(BrokerBase):
    """The backtesting broker (backtrader's parameters and behaviour)."""

    params = (
        ('cash', 10000.0),
        ('checksubmit', True),
        ('eosbar', False),
        ('filler', None),
        ('slip_perc', 0.0),
        ('slip_fixed', 0.0),
        ('slip_open', False),
        ('slip_match', True),
        ('slip_limit', True),
        ('slip_out', False),
        ('coc', False),
        ('coo', False),
        ('int2pnl', True),
        ('shortcash', True),
        ('fundstartval', 100.0),
        ('fundmode', False),
    )

    #: memory-saving runs (exactbars >= 1) keep no history of finished orders
    _memsave = False
    #: BTIB_GENERAL_PATH (set by the run plan): next() without its one-position
    #: shortcut, and every position entry valued on every bar
    _general = False
    #: the open positions, [(data, position)] in the positions dict's order;
    #: None: to be listed again (after a fill)
    _open: list | None = None

    def __init__(self) -> None:
        super().__init__()
        self._userhist: list = []  # [next order, iterator, notify] per history
        self._fundhist: list = []  # [next row, iterator] when a fund history is set
        self._fhistlast = [math.nan, math.nan]  # last (fund value, net asset value)

    def init(self) -> None:
        super().init()
        _check_cash(self.p.cash, 'BackBroker: param cash')
        _check_slippage(self.p.slip_perc, 'BackBroker: param slip_perc')
        _check_slippage(self.p.slip_fixed, 'BackBroker: param slip_fixed')
        self.startingcash = self.cash = self.p.cash
        self._value = self.cash
        self._valuemkt = 0.0
        self._valuelever = 0.0
        self._valuemktlever = 0.0
        self._leverage = 1.0
        self._unrealized = 0.0
        self.orders: list = []
        self.pending: collections.deque = collections.deque()
        self._toactivate: collections.deque = collections.deque()
        self.positions: dict = collections.defaultdict(Position)
        self._open = None
        self.d_credit: dict = collections.defaultdict(float)
        self.notifs: collections.deque = collections.deque()
        self.submitted: collections.deque = collections.deque()
        self._pchildren: dict = collections.defaultdict(list)  # parent ref -> [parent, children...]
        self._ocos: dict = {}
        self._ocol: dict = collections.defaultdict(list)
        self._fundval = self.p.fundstartval
        self._fundshares = self.p.cash / self._fundval
        self._cash_addition: collections.deque = collections.deque()
        self._usercancels: set = set()  # refs of orders cancelled on request

    # -- settings ----------------------------------------------------------
    def set_cash(self, cash: float) -> None:
        _check_cash(cash, 'set_cash')
        self.startingcash = self.cash = self.p.cash = cash
        self._value = cash

    setcash = set_cash

    def get_cash(self) -> float:
        return self.cash

    getcash = get_cash

    def add_cash(self, cash: float) -> None:
        if not is_real(cash) or not math.isfinite(cash):  # negative: a withdrawal
            raise ValueError(f'add_cash: cash must be a finite number, got {cash!r}')
        self._cash_addition.append(cash)

    def set_checksubmit(self, checksubmit: bool) -> None:
        self.p.checksubmit = checksubmit

    def set_eosbar(self, eosbar: bool) -> None:
        self.p.eosbar = eosbar

    seteosbar = set_eosbar

    def set_filler(self, filler) -> None:
        self.p.filler = filler

    def set_coc(self, coc: bool) -> None:
        self.p.coc = coc

    def set_coo(self, coo: bool) -> None:
        self.p.coo = coo

    def set_int2pnl(self, int2pnl: bool) -> None:
        self.p.int2pnl = int2pnl

    def set_shortcash(self, shortcash: bool) -> None:
        self.p.shortcash = shortcash

    def set_slippage_perc(self, perc: float, slip_open: bool = True,
                          slip_limit: bool = True, slip_match: bool = True,
                          slip_out: bool = False) -> None:
        _check_slippage(perc, 'set_slippage_perc')
        self.p.slip_perc = perc
        self.p.slip_fixed = 0.0
        self.p.slip_open = slip_open
        self.p.slip_limit = slip_limit
        self.p.slip_match = slip_match
        self.p.slip_out = slip_out

    def set_slippage_fixed(self, fixed: float, slip_open: bool = True,
                           slip_limit: bool = True, slip_match: bool = True,
                           slip_out: bool = False) -> None:
        _check_slippage(fixed, 'set_slippage_fixed')
        self.p.slip_perc = 0.0
        self.p.slip_fixed = fixed
        self.p.slip_open = slip_open
        self.p.slip_limit = slip_limit
        self.p.slip_match = slip_match
        self.p.slip_out = slip_out

    def set_fundmode(self, fundmode: bool, fundstartval: float | None = None) -> None:
        self.p.fundmode = fundmode
        if fundstartval is not None:
            self.set_fundstartval(fundstartval)

    def get_fundmode(self) -> bool:
        return self.p.fundmode

    fundmode = property(get_fundmode, set_fundmode)

    def set_fundstartval(self, fundstartval: float) -> None:
        self.p.fundstartval = fundstartval

    def get_fundshares(self) -> float:
        return self._fundshares

    fundshares = property(get_fundshares)

    def get_fundvalue(self) -> float:
        return self._fundval

    fundvalue = property(get_fundvalue)

    def get_leverage(self) -> float:
        return self._leverage

    def _plain_readings(self) -> bool:
        """Whether getvalue() and getcash() are BackBroker's own (they return
        the ``_value`` and ``cash`` fields: observers may read those)."""
        cls = type(self)
        return (cls.get_value is BackBroker.get_value and cls.getvalue is BackBroker.getvalue
                and cls.get_cash is BackBroker.get_cash and cls.getcash is BackBroker.getcash)

    def _plain_positions(self) -> dict | None:
        """The positions dict, if getposition() is BackBroker's own (strategies
        may then read it directly); else None."""
        return self.positions if type(self).getposition is BackBroker.getposition else None

    def _scheme(self, data) -> tuple:
        """(comminfo, charges interest, plain stock) of ``data``, cached.

        The broker consults these for every position on every bar; the cache
        is cleared whenever a commission scheme is set.
        """
        try:
            return self._cinfo_cache[data]
        except KeyError:
            ci = self.getcommissioninfo(data)
            entry = self._cinfo_cache[data] = (ci, _charges_interest(ci), _plain_stock(ci),
                                               _plain_value(ci))
            return entry

    # -- value -------------------------------------------------------------
    def get_value(self, datas=None, mkt: bool = False, lever: bool = False) -> float:
        if datas is None:
            if mkt:
                return self._valuemkt if not lever else self._valuemktlever
            return self._value if not lever else self._valuelever
        return self._get_value(datas=datas, lever=lever)

    getvalue = get_value

    def get_value_lever(self, datas=None, mkt: bool = False) -> float:
        return self.get_value(datas=datas, mkt=mkt, lever=True)

    def _all_cash(self) -> None:
        """The bar's valuations when no position is open: everything is cash."""
        self._value = self._valuelever = self.cash
        self._fundval = self._value / self._fundshares
        self._valuemkt = self._valuemktlever = 0.0
        self._leverage = 0.0
        self._unrealized = 0.0

    def _get_value(self, datas=None, lever: bool = False, opened: list | None = None) -> float:
        """The bar's valuations (of ``datas``: their value only). ``opened``:
        the open positions (``_open_positions``), to value only those."""
        if datas is None and not self._cash_addition and not self._fundhist:
            if opened is not None:
                if not opened:
                    self._all_cash()
                    return self._value
            else:
                for pos in self.positions.values():
                    if pos.size:
                        break
                else:
                    self._all_cash()
                    return self._value
        pos_value = 0.0
        pos_value_unlever = 0.0
        unrealized = 0.0
        while self._cash_addition:
            c = self._cash_addition.popleft()
            self._fundshares += c / self._fundval
            self.cash += c
        shortcash = self.p.shortcash
        single = bool(datas) and len(datas) == 1
        if opened is not None and not datas:
            items = opened
        else:
            items = [(data, self.positions[data]) for data in datas or self.positions]
        for data, position in items:
            if not position.size:
                if single:  # worth nothing, even before the data's first bar (not NaN)
                    return 0.0
                continue  # a flat position adds exactly nothing
            comminfo, _, _, plainvalue = self._scheme(data)
            close = data.close[0]
            if plainvalue and shortcash:
                # CommInfoBase's own stock formulas, inlined (same operations)
                size = position.size
                dvalue = size * close
                dunrealized = size * (close - position.price) * comminfo.p.mult
            else:
                if not shortcash:
                    dvalue = comminfo.getvalue(position, close)
                else:
                    dvalue = comminfo.getvaluesize(position.size, close)
                dunrealized = comminfo.profitandloss(position.size, position.price, close)
            if single:
                if lever and dvalue > 0:
                    dvalue -= dunrealized
                    return (dvalue / comminfo.get_leverage()) + dunrealized
                return dvalue
            if not shortcash:
                dvalue = abs(dvalue)
            pos_value += dvalue
            unrealized += dunrealized
            if dvalue > 0:
                dvalue -= dunrealized
                pos_value_unlever += dvalue / comminfo.get_leverage()
                pos_value_unlever += dunrealized
            else:
                pos_value_unlever += dvalue
        if not self._fundhist:
            self._value = self.cash + pos_value_unlever
            self._fundval = self._value / self._fundshares
        else:  # the history dictates value and fund value; cash is what is left
            fval, fvalue = self._process_fund_history()
            self._value = fvalue
            self.cash = fvalue - pos_value_unlever
            self._fundval = fval
            self._fundshares = fvalue / fval
            lev = pos_value / (pos_value_unlever or 1.0)
            pos_value_unlever = fvalue
            pos_value = fvalue * lev
        self._valuemkt = pos_value_unlever
        self._valuelever = self.cash + pos_value
        self._valuemktlever = pos_value
        self._leverage = pos_value / (pos_value_unlever or 1.0)
        self._unrealized = unrealized
        return self._value if not lever else self._valuelever

    def get_orders_open(self, safe: bool = False) -> list:
        return [o.clone() for o in self.pending] if safe else list(self.pending)

    def getposition(self, data) -> Position:
        return self.positions[data]

    def orderstatus(self, order) -> int:
        try:
            return self.orders[self.orders.index(order)].status
        except ValueError:
            return order.status

    # -- submission --------------------------------------------------------
    def _take_children(self, order):
        oref = order.ref
        pref = getattr(order.parent, 'ref', oref)
        if oref != pref and (pref not in self._pchildren or not order.parent.alive()):
            # The parent is gone or done: nothing would ever activate this
            # child (backtrader accepts it and leaves it inactive forever).
            order.reject()
            self.notify(order)
            return None
        return pref

    def submit(self, order, check: bool = True):
        pref = self._take_children(order)
        if pref is None:
            return order
        pc = self._pchildren[pref]
        pc.append(order)
        if not order.transmit:
            return order
        if len(pc) == 1:  # a lone order (no bracket waiting for it)
            return self.transmit(order, check=check)
        for x in pc:
            ret = self.transmit(x, check=check)
        return ret

    def transmit(self, order, check: bool = True):
        if check and self.p.checksubmit:
            order.submit()
            self.submitted.append(order)
            if not self._memsave:
                self.orders.append(order)
            self.notify(order)
        else:
            self.submit_accept(order)
        return order

    def check_submitted(self) -> None:
        cash = self.cash
        positions: dict = {}
        while self.submitted:
            order = self.submitted.popleft()
            if self._take_children(order) is None:
                continue
            position = positions.setdefault(order.data, self.positions[order.data].clone())
            cash = self._cash_after(order, cash, position)
            if cash >= 0.0:
                self.submit_accept(order)
                continue
            order.margin()
            self.notify(order)
            self._ococheck(order)
            self._bracketize(order, cancel=True)

    def submit_accept(self, order) -> None:
        order.pannotated = None
        order.submit()
        order.accept()
        self.pending.append(order)
        self.notify(order)

    def _bracketize(self, order, cancel: bool = False) -> None:
        oref = order.ref
        pref = getattr(order.parent, 'ref', oref)
        parent = oref == pref
        pc = self._pchildren[pref]
        if cancel or not parent:
            while pc:
                self.cancel(pc.pop(0), bracket=True)
            del self._pchildren[pref]
        else:
            pc.pop(0)  # the parent itself
            for o in pc:
                self._toactivate.append(o)
            if not pc:
                # No children: forget the entry. (backtrader keeps it, and a
                # child submitted later would sit inactive forever; here such
                # a child is rejected, like one whose parent was cancelled.)
                del self._pchildren[pref]

    def _ococheck(self, order) -> None:
        parentref = self._ocos[order.ref]
        ocoref = self._ocos.get(parentref, None)
        ocol = self._ocol.pop(ocoref, None)
        if ocol and (len(ocol) > 1 or ocol[0] != order.ref):  # (else: no other member)
            for i in range(len(self.pending) - 1, -1, -1):
                o = self.pending[i]
                if o is not None and o.ref in ocol:
                    del self.pending[i]
                    o.cancel()
                    self.notify(o)

    def _ocoize(self, order, oco) -> None:
        oref = order.ref
        if oco is None:
            self._ocos[oref] = oref
            self._ocol[oref].append(oref)
        else:
            ocoref = self._ocos[oco.ref]
            self._ocos[oref] = ocoref
            self._ocol[ocoref].append(oref)

    def _makeorder(self, cls, owner, data, size, price, plimit, exectype, valid, tradeid, oco,
                   trailamount, trailpercent, parent, transmit, histnotify, checksubmit,
                   info: dict):
        """The order ``buy``/``sell`` describe (``info``: its extra keywords), submitted."""
        if oco is not None and oco.data is not data:
            raise ValueError(f'oco order {oco.ref} belongs to another data')
        if parent is not None and parent.data is not data:
            raise ValueError(f'parent order {parent.ref} belongs to another data')
        order = cls(owner=owner, data=data, size=size, price=price, pricelimit=plimit,
                    exectype=exectype, valid=valid, tradeid=tradeid,
                    trailamount=trailamount, trailpercent=trailpercent,
                    parent=parent, transmit=transmit, histnotify=histnotify)
        if info:
            order.addinfo(**info)
        self._ocoize(order, oco)
        return self.submit(order, check=checksubmit)

    def buy(self, owner, data, size, price=None, plimit=None, exectype=None,
            valid=None, tradeid=0, oco=None, trailamount=None, trailpercent=None,
            parent=None, transmit=True, histnotify=False, _checksubmit=True, **kwargs):
        return self._makeorder(BuyOrder, owner, data, size, price, plimit, exectype,
                               valid, tradeid, oco, trailamount, trailpercent, parent,
                               transmit, histnotify, _checksubmit, kwargs)

    def sell(self, owner, data, size, price=None, plimit=None, exectype=None,
             valid=None, tradeid=0, oco=None, trailamount=None, trailpercent=None,
             parent=None, transmit=True, histnotify=False, _checksubmit=True, **kwargs):
        return self._makeorder(SellOrder, owner, data, size, price, plimit, exectype,
                               valid, tradeid, oco, trailamount, trailpercent, parent,
                               transmit, histnotify, _checksubmit, kwargs)

    def cancel(self, order, bracket: bool = False) -> bool:
        """Cancel a pending order; False if it is no longer pending.

        Cancelling an order that was already cancelled by an earlier
        ``cancel`` call is a logic error and raises ``ValueError`` (backtrader
        silently ignores it). Orders that filled, expired or were cancelled
        by their OCO group or bracket can be cancelled without error.
        """
        try:
            self.pending.remove(order)
        except ValueError:
            if not bracket and order.ref in self._usercancels:
                raise ValueError(f'order {order.ref} was already cancelled') from None
            return False  # not pending: already done or never accepted
        if not bracket:
            self._usercancels.add(order.ref)
        order.cancel()
        self.notify(order)
        self._ococheck(order)
        if not bracket:
            self._bracketize(order, cancel=True)
        return True

    # -- histories ---------------------------------------------------------
    def add_order_history(self, orders, notify: bool = True) -> None:
        """Replay past orders: rows ``(datetime, size, price[, data])``.

        Each row becomes a ``Historical`` order executed at ``price`` on the
        first bar at or after ``datetime``; a positive size buys, a negative
        one sells. ``data`` is an index or name (default: the first data).
        """
        it = iter(orders)
        self._userhist.append([next(it, None), it, notify])

    def set_fund_history(self, fund) -> None:
        """Take value and fund value from rows ``(datetime, share value, net asset value)``."""
        it = iter(fund)
        first = next(it, None)
        if first is None:
            raise ValueError('set_fund_history: the fund history is empty')
        self._fundhist = [list(first), it]
        self.set_cash(float(first[2]))

    def _dtmaster(self):
        """The datetime of the current step (the latest bar any data is on)."""
        best = None
        for d in self.cerebro.datas:
            if len(d) and (best is None or d.datetime[0] > best.datetime[0]):
                best = d
        return None if best is None else best.datetime.datetime(0)

    def _process_fund_history(self) -> list:
        fhist = self._fundhist
        row = fhist[0]
        if row:
            row[0] = dt = _history_datetime(row[0])
            now = self._dtmaster()
            if now is not None and dt <= now:
                self._fhistlast = row[1:]
                fhist[0] = list(next(fhist[1], []))
        return self._fhistlast

    def _process_order_history(self) -> None:
        cerebro = self.cerebro
        for uhist in self._userhist:
            row = uhist[0]
            while row is not None:
                row = list(row)
                dataidx = row[3] if len(row) > 3 else None
                if dataidx is None:
                    data = cerebro.datas[0]
                elif isinstance(dataidx, int):
                    data = cerebro.datas[dataidx]
                else:
                    data = cerebro.datasbyname[dataidx]
                if not len(data):
                    break  # that data has not started yet
                row[0] = dt = _history_datetime(row[0])
                if dt > data.datetime.datetime():
                    break  # not yet: the rows are in time order
                size, price = row[1], row[2]
                owner = cerebro.runningstrats[0]
                if size:
                    maker = self.buy if size > 0 else self.sell
                    maker(owner=owner, data=data, size=abs(size), price=price,
                          exectype=Order.Historical, histnotify=uhist[2],
                          _checksubmit=False)
                uhist[0] = row = next(uhist[1], None)

    # -- execution ---------------------------------------------------------
    def _schemes(self, order) -> tuple:
        """(data whose position moves, its scheme, the scheme charging the
        opening commission): a compensated data moves the other data's position."""
        comminfo = self.getcommissioninfo(order.data)
        comp = order.data._compensate
        if comp is None:
            return order.data, comminfo, comminfo
        return comp, comminfo, self.getcommissioninfo(comp)

    def _cash_after(self, order, cash: float, position) -> float:
        """checksubmit's dry run: the cash left if ``order`` filled whole at its
        reference price (the open for a cheat-on-open market order); moves
        ``position``, a copy."""
        size = order.executed.remsize
        _, comminfo, cinfocomp = self._schemes(order)
        if self.p.coo and order.exectype == Order.Market:
            price = order.data.open[0]
        else:
            price = order.created.price
        # the closed part is valued at the order's price too (backtrader's way)
        _, _, opened, closed = position.update(size, price)
        if closed:
            if self.p.shortcash:
                closedvalue = comminfo.getvaluesize(-closed, price)
            else:
                closedvalue = comminfo.getoperationcost(closed, price)
            if closedvalue > 0:
                closedvalue /= comminfo.get_leverage()
            cash += closedvalue  # no pnl in a dry run
            cash -= comminfo.getcommission(closed, price)
        if opened:
            if self.p.shortcash:
                openedvalue = comminfo.getvaluesize(opened, price)
            else:
                openedvalue = comminfo.getoperationcost(opened, price)
            if openedvalue > 0:
                openedvalue /= comminfo.get_leverage()
            cash -= openedvalue
            cash -= cinfocomp.getcommission(opened, price)
        return cash

    def _execute(self, order, ago: int, price: float | None, dtcoc: float | None = None) -> None:
        """Fill ``order`` at ``price`` on the bar ``ago`` (None: no fill): cash,
        position, the execution record, notifications. What cash cannot pay
        for is not opened (the order then ends as Margin)."""
        if price is None:
            return
        if self.p.filler is None:
            size = order.executed.remsize
        else:
            size = self.p.filler(order, price, ago)
            if not order.isbuy():
                size = -size
        data, comminfo, cinfocomp = self._schemes(order)
        plain = self._scheme(order.data)[2]  # comminfo's: no cash adjustment to make
        position = self.positions[data]
        pprice_orig = position.price
        psize, pprice, opened, closed = position.pseudoupdate(size, price)
        pnl = comminfo.profitandloss(-closed, pprice_orig, price)
        cash = self.cash

        if closed:
            if self.p.shortcash:
                closedvalue = comminfo.getvaluesize(-closed, pprice_orig)
            else:
                closedvalue = comminfo.getoperationcost(closed, pprice_orig)
            closecash = closedvalue
            if closedvalue > 0:
                closecash /= comminfo.get_leverage()
            cash += closecash + pnl * comminfo.stocklike
            closedcomm = comminfo.getcommission(closed, price)
            cash -= closedcomm
            if not plain:
                cash += comminfo.cashadjust(-closed, position.adjbase, price)
            self.cash = cash
        else:
            closedvalue = closedcomm = 0.0

        popened = opened
        if opened:
            if self.p.shortcash:
                openedvalue = comminfo.getvaluesize(opened, price)
            else:
                openedvalue = comminfo.getoperationcost(opened, price)
            opencash = openedvalue
            if openedvalue > 0:
                opencash /= comminfo.get_leverage()
            cash -= opencash
            openedcomm = cinfocomp.getcommission(opened, price)
            cash -= openedcomm
            if cash < 0.0:
                opened = 0
                openedvalue = openedcomm = 0.0
            else:
                if not plain and abs(psize) > abs(opened):
                    adjsize = psize - opened
                    cash += comminfo.cashadjust(adjsize, position.adjbase, price)
                position.adjbase = price
                self.cash = cash
        else:
            openedvalue = openedcomm = 0.0

        execsize = closed + opened
        if execsize:
            comminfo.confirmexec(execsize, price)
            if closed and self.p.int2pnl:
                closedcomm += self.d_credit.pop(data, 0.0)
            fill = OrderExecutionBit(
                dt=dtcoc or data.datetime[ago], size=execsize, price=price, closed=closed,
                closedvalue=closedvalue, closedcomm=closedcomm, opened=opened,
                openedvalue=openedvalue, openedcomm=openedcomm, pnl=pnl, psize=psize,
                pprice=pprice)
            self.book_fill(order, position, fill, comminfo.margin)
            if self._scheme(data)[1]:  # interest reads the time of the previous charge
                position.datetime = data.datetime.datetime()
            else:
                position.follow(data.datetime)
            self._open = None  # the open positions may have changed
            order.addcomminfo(comminfo)
            self.notify(order)
            self._ococheck(order)
        if popened and not opened:
            order.margin()
            self.notify(order)
            self._ococheck(order)
            self._bracketize(order, cancel=True)

    def _slip_up(self, pmax, price, doslip=True, lim=False):
        if not doslip:
            return price
        if self.p.slip_perc:
            pslip = price * (1 + self.p.slip_perc)
        elif self.p.slip_fixed:
            pslip = price + self.p.slip_fixed
        else:
            return price
        if pslip <= pmax:
            return pslip
        if self.p.slip_match or (lim and self.p.slip_limit):
            return pslip if self.p.slip_out else pmax
        return None

    def _slip_down(self, pmin, price, doslip=True, lim=False):
        if not doslip:
            return price
        if self.p.slip_perc:
            pslip = price * (1 - self.p.slip_perc)
        elif self.p.slip_fixed:
            pslip = price - self.p.slip_fixed
        else:
            return price
        if pslip >= pmin:
            return pslip
        if self.p.slip_match or (lim and self.p.slip_limit):
            return pslip if self.p.slip_out else pmin
        return None

    def _try_exec_market(self, order, popen, phigh, plow) -> None:
        if self.p.coc and order.info.get('coc', True):
            dtcoc = order.created.dt
            exprice = order.created.pclose
        else:
            if not self.p.coo and order.data.datetime[0] <= order.created.dt:
                return  # only after the bar it was created on
            dtcoc = None
            exprice = popen
        if order.isbuy():
            p = self._slip_up(phigh, exprice, doslip=self.p.slip_open)
        else:
            p = self._slip_down(plow, exprice, doslip=self.p.slip_open)
        self._execute(order, ago=0, price=p, dtcoc=dtcoc)

    def _try_exec_close(self, order, pclose) -> None:
        dt0 = order.data.datetime[0]
        if dt0 > order.created.dt:
            if dt0 >= order.dteos:
                if order.pannotated and dt0 > order.dteos:
                    ago, execprice = -1, order.pannotated
                else:
                    ago, execprice = 0, pclose
                self._execute(order, ago=ago, price=execprice)
                return
        order.pannotated = pclose

    def _try_exec_limit(self, order, popen, phigh, plow, plimit) -> None:
        if order.isbuy():
            if plimit >= popen:
                pmax = min(phigh, plimit)
                p = self._slip_up(pmax, popen, doslip=self.p.slip_open, lim=True)
                self._execute(order, ago=0, price=p)
            elif plimit >= plow:
                self._execute(order, ago=0, price=plimit)
        else:
            if plimit <= popen:
                pmin = max(plow, plimit)
                p = self._slip_down(pmin, popen, doslip=self.p.slip_open, lim=True)
                self._execute(order, ago=0, price=p)
            elif plimit <= phigh:
                self._execute(order, ago=0, price=plimit)

    def _try_exec_stop(self, order, popen, phigh, plow, pcreated, pclose) -> None:
        if order.isbuy():
            if popen >= pcreated:
                self._execute(order, ago=0, price=self._slip_up(phigh, popen, doslip=self.p.slip_open))
            elif phigh >= pcreated:
                self._execute(order, ago=0, price=self._slip_up(phigh, pcreated))
        else:
            if popen <= pcreated:
                self._execute(order, ago=0, price=self._slip_down(plow, popen, doslip=self.p.slip_open))
            elif plow <= pcreated:
                self._execute(order, ago=0, price=self._slip_down(plow, pcreated))
        if order.alive() and order.exectype == Order.StopTrail:
            order.trailadjust(pclose)

    def _try_exec_stoplimit(self, order, popen, phigh, plow, pclose, pcreated, plimit) -> None:
        if order.isbuy():
            if popen >= pcreated:
                order.triggered = True
                self._try_exec_limit(order, popen, phigh, plow, plimit)
            elif phigh >= pcreated:
                order.triggered = True
                if popen > pclose:
                    if plimit >= pcreated:
                        self._execute(order, ago=0, price=self._slip_up(phigh, pcreated, lim=True))
                    elif plimit >= pclose:
                        self._execute(order, ago=0, price=plimit)
                elif plimit >= pcreated:
                    self._execute(order, ago=0, price=self._slip_up(phigh, pcreated, lim=True))
        else:
            if popen <= pcreated:
                order.triggered = True
                self._try_exec_limit(order, popen, phigh, plow, plimit)
            elif plow <= pcreated:
                order.triggered = True
                if popen <= pclose:
                    if plimit <= pcreated:
                        self._execute(order, ago=0, price=self._slip_down(plow, pcreated, lim=True))
                    elif plimit <= pclose:
                        self._execute(order, ago=0, price=plimit)
                elif plimit <= pcreated:
                    self._execute(order, ago=0, price=self._slip_down(plow, pcreated, lim=True))
        if order.alive() and order.exectype == Order.StopTrailLimit:
            order.trailadjust(pclose)

    def _try_exec(self, order) -> None:
        data = order.data
        popen = getattr(data, 'tick_open', None)
        if popen is None:
            popen = data.open[0]
        phigh = getattr(data, 'tick_high', None)
        if phigh is None:
            phigh = data.high[0]
        plow = getattr(data, 'tick_low', None)
        if plow is None:
            plow = data.low[0]
        pclose = getattr(data, 'tick_close', None)
        if pclose is None:
            pclose = data.close[0]
        pcreated = order.created.price
        plimit = order.created.pricelimit
        et = order.exectype
        if et == Order.Market:
            self._try_exec_market(order, popen, phigh, plow)
        elif et == Order.Close:
            self._try_exec_close(order, pclose)
        elif et == Order.Limit:
            self._try_exec_limit(order, popen, phigh, plow, pcreated)
        elif order.triggered and et in (Order.StopLimit, Order.StopTrailLimit):
            self._try_exec_limit(order, popen, phigh, plow, plimit)
        elif et in (Order.Stop, Order.StopTrail):
            self._try_exec_stop(order, popen, phigh, plow, pcreated, pclose)
        elif et in (Order.StopLimit, Order.StopTrailLimit):
            self._try_exec_stoplimit(order, popen, phigh, plow, pclose, pcreated, plimit)
        elif et == Order.Historical:
            self._try_exec_historical(order)

    def _try_exec_historical(self, order) -> None:
        self._execute(order, ago=0, price=order.created.price)

    def next(self) -> None:
        """Run one bar: activate children, check submissions, match orders."""
        if self._toactivate:
            while self._toactivate:
                self._toactivate.popleft().activate()
        if self.submitted and self.p.checksubmit:
            self.check_submitted()

        positions = self.positions
        if len(positions) != 1 or self._general:
            self._next_positions(positions)
            return
        # One data has a position entry (the usual backtest): the steps of
        # _next_positions without the loops, and the bar's value computed
        # here (the same operations as _get_value).
        (data, pos), = positions.items()
        scheme = None
        if pos.size:
            scheme = self._cinfo_cache.get(data) or self._scheme(data)
            comminfo, interest, _, _ = scheme
            if interest:  # (without, the position follows the data's time: Position.follow)
                dt0 = data.datetime.datetime()
                dcredit = comminfo.get_credit_interest(data, pos, dt0)
                self.d_credit[data] += dcredit
                pos.datetime = dt0
                if dcredit:
                    self.cash -= dcredit
        if self._userhist:
            self._process_order_history()
        if self.pending:
            self._next_pending()

        size = pos.size
        if self._cash_addition or self._fundhist:
            if size:
                self._adjust_position(data, pos)
            self._get_value()
            return
        if not size:
            self._all_cash()
            return
        if scheme is None:  # opened on this bar
            scheme = self._cinfo_cache.get(data) or self._scheme(data)
        comminfo, _, plain, plainvalue = scheme
        close = data.close[0]
        if not plain:
            self.cash += comminfo.cashadjust(size, pos.adjbase, close)
        pos.adjbase = close
        if not plainvalue or not self.p.shortcash:
            self._get_value()
            return
        # _get_value's loop for this one position, inlined
        dvalue = size * close
        dunrealized = size * (close - pos.price) * comminfo.p.mult
        pos_value = 0.0 + dvalue
        if dvalue > 0:
            dvalue -= dunrealized
            pos_value_unlever = 0.0 + dvalue / comminfo.p.leverage  # (get_leverage's own)
            pos_value_unlever += dunrealized
        else:
            pos_value_unlever = 0.0 + dvalue
        cash = self.cash
        self._value = value = cash + pos_value_unlever
        self._fundval = value / self._fundshares
        self._valuemkt = pos_value_unlever
        self._valuelever = cash + pos_value
        self._valuemktlever = pos_value
        self._leverage = pos_value / (pos_value_unlever or 1.0)
        self._unrealized = 0.0 + dunrealized

    def _adjust_position(self, data, pos) -> None:
        """End of bar for an open position: cash adjustment (futures-like), new base."""
        comminfo, _, plain, _ = self._scheme(data)
        close = data.close[0]
        if not plain:
            self.cash += comminfo.cashadjust(pos.size, pos.adjbase, close)
        pos.adjbase = close

    def _open_positions(self) -> list:
        """[(data, position)] of the open positions, in the positions dict's order."""
        opened = self._open
        if opened is None:
            opened = self._open = [(d, p) for d, p in self.positions.items() if p.size]
        return opened

    def _held_positions(self) -> list:
        """[(data, position)] held now: the kept open list, or (general path) a
        scan of every entry."""
        if self._general:
            return [(d, p) for d, p in self.positions.items() if p.size]
        return self._open_positions()

    def _next_positions(self, positions: dict) -> None:
        """``next`` after the submissions: interest, pending orders, then the
        cash adjustment and value over the positions held (the bar's work grows
        with the positions held, not with the datas traded once)."""
        scheme = self._scheme
        credit = 0.0
        for data, pos in self._held_positions():
            comminfo, interest, _, _ = scheme(data)
            if not interest:
                continue  # its time follows the data's (Position.follow): nothing to charge
            dt0 = data.datetime.datetime()
            dcredit = comminfo.get_credit_interest(data, pos, dt0)
            self.d_credit[data] += dcredit
            credit += dcredit
            pos.datetime = dt0
        if credit:
            self.cash -= credit

        if self._userhist:
            self._process_order_history()
        if self.pending:
            self._next_pending()

        held = self._held_positions()  # fills above may have opened or closed some
        for data, pos in held:  # _adjust_position, inlined (per bar, per position)
            comminfo, _, plain, _ = scheme(data)
            close = data.close[0]
            if not plain:
                self.cash += comminfo.cashadjust(pos.size, pos.adjbase, close)
            pos.adjbase = close
        self._get_value(opened=None if self._general else held)

    def _next_pending(self) -> None:
        """Try to execute each pending order once (orders added meanwhile wait)."""
        pending = self.pending
        pending.append(None)
        while True:
            order = pending.popleft()
            if order is None:
                break
            if order.expire():
                self.notify(order)
                self._ococheck(order)
                self._bracketize(order, cancel=True)
            elif not order.active():
                pending.append(order)
            else:
                self._try_exec(order)
                if order.alive():
                    pending.append(order)
                elif order.status == Order.Completed:
                    self._bracketize(order)


BrokerBack = BackBroker


def _check_cash(cash, what: str) -> None:
    # 0 too: the fund value divides by the shares it buys (ZeroDivisionError in backtrader)
    if not is_real(cash) or not math.isfinite(cash) or cash <= 0:
        raise ValueError(f'{what}: cash must be a finite number > 0, got {cash!r}')


def _check_slippage(value, what: str) -> None:
    if not is_real(value) or not math.isfinite(value) or value < 0:
        raise ValueError(f'{what}: slippage must be a finite number >= 0, got {value!r}')


def _history_datetime(dt) -> datetime.datetime:
    """A history row's time: 'YYYY-MM-DD[THH:MM:SS[.ffffff]]', a date or a datetime."""
    if isinstance(dt, str):
        fmt = '%Y-%m-%d'
        if 'T' in dt:
            fmt += 'T%H:%M:%S' + ('.%f' if '.' in dt else '')
        return datetime.datetime.strptime(dt, fmt)
    if isinstance(dt, datetime.datetime):
        return dt
    if isinstance(dt, datetime.date):
        return datetime.datetime(dt.year, dt.month, dt.day)
    raise ValueError(f'history row time {dt!r}: expected a string, date or datetime')


def _charges_interest(comminfo) -> bool:
    """Whether ``comminfo`` can charge credit interest at all (cached per bar loop)."""
    flag = comminfo.__dict__.get('_bt_charges_interest')
    if flag is None or flag[0] != comminfo.p.interest:
        cls = type(comminfo)
        can = bool(comminfo.p.interest) or (
            cls._get_credit_interest is not CommInfoBase._get_credit_interest
            or cls.get_credit_interest is not CommInfoBase.get_credit_interest)
        flag = comminfo.__dict__['_bt_charges_interest'] = (comminfo.p.interest, can)
    return flag[1]


def _plain_value(comminfo) -> bool:
    """A stock-like scheme valued by CommInfoBase's own formulas (inlinable)."""
    cls = type(comminfo)
    return (comminfo._stocklike and cls.getvaluesize is CommInfoBase.getvaluesize
            and cls.profitandloss is CommInfoBase.profitandloss
            and cls.get_leverage is CommInfoBase.get_leverage)


def _plain_stock(comminfo) -> bool:
    """A stock-like scheme whose end-of-bar cash adjustment is always zero."""
    return comminfo._stocklike and type(comminfo).cashadjust is CommInfoBase.cashadjust
