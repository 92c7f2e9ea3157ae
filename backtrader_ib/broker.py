"""The broker interface every broker (simulated or live) implements.

What Cerebro relies on: ``start``/``stop``, ``next`` once per loop turn,
``buy``/``sell``/``cancel``, ``getcash``/``getvalue``/``getposition``, and
the notification queue (``notify`` on a change of an order,
``get_notification`` until None). ``split_fill`` and ``book_fill`` do the
accounting of one execution. docs/broker.md shows a broker for another venue.
"""
from __future__ import annotations

import collections
from typing import Any

from . import fillers  # noqa: F401  (bt.broker.fillers, as in backtrader)
from . import fillers as filler  # noqa: F401
from .comminfo import CommInfoBase
from .metabase import ParamsBase
from .order import OrderExecutionBit

__all__ = ('BrokerBase',)


class BrokerBase(ParamsBase):
    """Commission schemes by data name, and the order/value API strategies use."""

    params = (('commission', None),)
    cerebro: Any  # set by the Cerebro that runs the broker

    def __init__(self) -> None:
        self.comminfo: dict = {}
        self.notifs: collections.deque = collections.deque()  # order copies, oldest first
        self.init()

    def init(self) -> None:
        self._cinfo_cache: dict = {}
        if None not in self.comminfo:
            default = self.p.commission
            if default is None:
                default = CommInfoBase(percabs=True)
            self.comminfo = {None: default}

    def start(self) -> None:
        self.init()

    def stop(self) -> None:
        pass

    def getcommissioninfo(self, data) -> CommInfoBase:
        comminfo = self.comminfo
        name = getattr(data, '_name', None)
        return comminfo[name] if name in comminfo else comminfo[None]

    def setcommission(self, commission: float = 0.0, margin: float | None = None,
                      mult: float = 1.0, commtype: int | None = None,
                      percabs: bool = True, stocklike: bool = False,
                      interest: float = 0.0, interest_long: bool = False,
                      leverage: float = 1.0, automargin: Any = False,
                      name: str | None = None) -> None:
        """Set the scheme for data ``name`` (None: the default for all)."""
        self.comminfo[name] = CommInfoBase(
            commission=commission, margin=margin, mult=mult, commtype=commtype,
            stocklike=stocklike, percabs=percabs, interest=interest,
            interest_long=interest_long, leverage=leverage, automargin=automargin)
        self._cinfo_cache.clear()

    def addcommissioninfo(self, comminfo: CommInfoBase, name: str | None = None) -> None:
        self.comminfo[name] = comminfo
        self._cinfo_cache.clear()

    def add_order_history(self, orders, notify=False):
        raise NotImplementedError

    def set_fund_history(self, fund):
        raise NotImplementedError

    def getcash(self):
        raise NotImplementedError

    def getvalue(self, datas=None):
        raise NotImplementedError

    def get_fundshares(self) -> float:
        return 1.0

    fundshares = property(get_fundshares)

    def get_fundvalue(self) -> float:
        return self.getvalue()

    fundvalue = property(get_fundvalue)

    def set_fundmode(self, fundmode, fundstartval=None):
        pass

    def get_fundmode(self) -> bool:
        return False

    fundmode = property(get_fundmode, set_fundmode)

    def getposition(self, data):
        raise NotImplementedError

    def submit(self, order):
        raise NotImplementedError

    def cancel(self, order):
        raise NotImplementedError

    def buy(self, owner, data, size, price=None, plimit=None, exectype=None,
            valid=None, tradeid=0, oco=None, trailamount=None, trailpercent=None,
            **kwargs):
        raise NotImplementedError

    def sell(self, owner, data, size, price=None, plimit=None, exectype=None,
             valid=None, tradeid=0, oco=None, trailamount=None, trailpercent=None,
             **kwargs):
        raise NotImplementedError

    def next(self) -> None:
        pass

    # -- notifications: Cerebro takes them after next() ---------------------------
    def notify(self, order) -> None:
        """Queue a copy of ``order`` as it is now, for ``notify_order``."""
        self.notifs.append(order.clone())

    def get_notification(self):
        """The oldest queued order copy, or None."""
        notifs = self.notifs
        return notifs.popleft() if notifs else None

    # -- fill accounting -------------------------------------------------------------
    @staticmethod
    def split_fill(position, comminfo, size: float, price: float, commission: float = 0.0,
                   dt: float | None = None) -> OrderExecutionBit:
        """One fill of ``size`` at ``price`` (at day number ``dt``) against
        ``position`` (not moved yet): the part that closes and the part that
        opens, each valued at its cost, ``commission`` shared between them pro
        rata, the pnl of the closed part."""
        pprice_orig = position.price
        psize, pprice, opened, closed = position.pseudoupdate(size, price)
        closedcomm = commission * (abs(closed) / abs(size)) if size else 0.0
        return OrderExecutionBit(
            dt=dt, size=size, price=price, closed=closed, opened=opened, psize=psize,
            pprice=pprice,
            closedvalue=comminfo.getoperationcost(closed, pprice_orig) if closed else 0.0,
            openedvalue=comminfo.getoperationcost(opened, price) if opened else 0.0,
            closedcomm=closedcomm, openedcomm=commission - closedcomm,
            pnl=comminfo.profitandloss(-closed, pprice_orig, price) if closed else 0.0)

    @staticmethod
    def book_fill(order, position, fill: OrderExecutionBit, margin: float | None = None,
                  posdt=None) -> None:
        """Apply ``fill``: ``position`` moves by its size at its price (``posdt``:
        the position's new time) and ``order`` records it (``Order.record``).
        The notification is the caller's."""
        position.update(fill.size, fill.price, posdt)
        order.record(fill, margin)


# backtrader's name for the metaclass of this family (one metaclass builds every object)
MetaBroker = MetaParams = type(BrokerBase)
