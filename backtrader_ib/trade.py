"""Trades: a position's life from opening to closing, for one data and tradeid."""
from __future__ import annotations

import itertools

from .utils.autodict import AutoOrderedDict
from .utils.date import num2date

__all__ = ('Trade', 'TradeHistory')


class TradeHistory(AutoOrderedDict):
    """One entry of ``Trade.history``: the trade's status after an update."""

    def __init__(self, status, dt, barlen, size, price, value, pnl, pnlcomm,
                 tz, event=None):
        super().__init__()
        self.status.status = status
        self.status.dt = dt
        self.status.barlen = barlen
        self.status.size = size
        self.status.price = price
        self.status.value = value
        self.status.pnl = pnl
        self.status.pnlcomm = pnlcomm
        self.status.tz = tz
        if event is not None:
            self.event = event

    def __missing__(self, key):
        # the nested entries (status, event) are plain auto dicts, not histories
        if self._closed:
            raise KeyError(key)
        value = self[key] = AutoOrderedDict()
        return value

    def __reduce__(self):
        s = self.status
        return (self.__class__, (s.status, s.dt, s.barlen, s.size, s.price, s.value,
                                 s.pnl, s.pnlcomm, s.tz, self.event))

    def doupdate(self, order, size, price, commission) -> None:
        self.event.order = order
        self.event.size = size
        self.event.price = price
        self.event.commission = commission
        self._close()

    def datetime(self, tz=None, naive=True):
        return num2date(self.status.dt, tz or self.status.tz, naive)


_TRADE_SLOTS = ('ref', 'data', 'tradeid', 'size', 'price', 'value', 'commission',
                'pnl', 'pnlcomm', 'justopened', 'isopen', 'isclosed', 'baropen',
                'dtopen', 'barclose', 'dtclose', 'barlen', 'historyon', 'history',
                'status', 'long')


class Trade:
    """Size, average price, pnl and commission of one trade."""

    # slots keep the (many) trades of a long run small; __dict__ still lets
    # users attach their own attributes
    __slots__ = _TRADE_SLOTS + ('__dict__', '__weakref__')

    refbasis = itertools.count(1)
    status_names = ['Created', 'Open', 'Closed']
    Created, Open, Closed = range(3)

    def __init__(self, data=None, tradeid=0, historyon=False, size=0, price=0.0,
                 value=0.0, commission=0.0):
        self.ref = next(self.refbasis)
        self.data = data
        self.tradeid = tradeid
        self.size = size
        self.price = price
        self.value = value
        self.commission = commission
        self.pnl = 0.0
        self.pnlcomm = 0.0
        self.justopened = False
        self.isopen = False
        self.isclosed = False
        self.baropen = 0
        self.dtopen = 0.0
        self.barclose = 0
        self.dtclose = 0.0
        self.barlen = 0
        self.historyon = historyon
        self.history = []
        self.status = self.Created
        self.long = None

    def __str__(self):
        fields = ['ref', 'data', 'tradeid', 'size', 'price', 'value', 'commission',
                  'pnl', 'pnlcomm', 'justopened', 'isopen', 'isclosed', 'baropen',
                  'dtopen', 'barclose', 'dtclose', 'barlen', 'historyon', 'history',
                  'status']
        return '\n'.join(f'{f}: {getattr(self, f)}' for f in fields)

    def __copy__(self) -> 'Trade':
        # notifications carry a snapshot of the trade (copy.copy, but cheaper)
        return _copy_trade(self, Trade.__new__(type(self)))

    def __len__(self) -> int:
        return abs(self.size)

    def __bool__(self) -> bool:
        return self.size != 0

    def getdataname(self) -> str:
        return self.data._name

    def open_datetime(self, tz=None, naive=True):
        return self.data.num2date(self.dtopen, tz=tz, naive=naive)

    def close_datetime(self, tz=None, naive=True):
        return self.data.num2date(self.dtclose, tz=tz, naive=naive)

    def update(self, order, size, price, value, commission, pnl, comminfo) -> None:
        """Add a fill of ``order`` (closing fills carry the opposite sign)."""
        if not size:
            return
        self.commission += commission
        oldsize = self.size
        self.size += size
        self.justopened = bool(not oldsize and size)
        data = self.data
        if self.justopened:
            self.baropen = len(data)
            self.dtopen = 0.0 if order.simulated else data.datetime[0]
            self.long = self.size > 0
        self.isopen = bool(self.size)
        self.barlen = len(data) - self.baropen
        self.isclosed = bool(oldsize and not self.size)
        if self.isclosed:
            self.isopen = False
            self.barclose = len(data)
            self.dtclose = data.datetime[0]
            self.status = self.Closed
        elif self.isopen:
            self.status = self.Open
        if abs(self.size) > abs(oldsize):
            self.price = (oldsize * self.price + size * price) / self.size
            pnl = 0.0
        else:
            pnl = comminfo.profitandloss(-size, self.price, price)
        self.pnl += pnl
        self.pnlcomm = self.pnl - self.commission
        self.value = comminfo.getvaluesize(self.size, self.price)
        if self.historyon:
            dt0 = data.datetime[0] if not order.simulated else 0.0
            entry = TradeHistory(self.status, dt0, self.barlen, self.size,
                                 self.price, self.value, self.pnl, self.pnlcomm,
                                 data._tz)
            entry.doupdate(order, size, price, commission)
            self.history.append(entry)


from .order import _slot_copier  # noqa: E402  (shared slot-copy generator)

_copy_trade = _slot_copier(_TRADE_SLOTS)
