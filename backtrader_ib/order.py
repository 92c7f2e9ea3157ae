"""Orders: what was asked (``created``) and what happened (``executed``)."""
from __future__ import annotations

import datetime
import itertools
import math
import numbers
from typing import Any

from .utils.autodict import AutoOrderedDict
from .utils.numeric import is_real

__all__ = ('OrderExecutionBit', 'OrderData', 'OrderBase', 'Order', 'BuyOrder',
           'SellOrder', 'StopBuyOrder', 'StopLimitBuyOrder', 'StopSellOrder',
           'StopLimitSellOrder')


class OrderExecutionBit:
    """One fill: its size and price and what it closed and opened."""

    __slots__ = ('dt', 'size', 'price', 'closed', 'closedvalue', 'closedcomm',
                 'opened', 'openedvalue', 'openedcomm', 'pnl', 'psize', 'pprice',
                 'value', 'comm')

    def __init__(self, dt=None, size=0, price=0.0, closed=0, closedvalue=0.0,
                 closedcomm=0.0, opened=0, openedvalue=0.0, openedcomm=0.0,
                 pnl=0.0, psize=0, pprice=0.0):
        self.dt = dt
        self.size = size
        self.price = price
        self.closed = closed
        self.opened = opened
        self.closedvalue = closedvalue
        self.openedvalue = openedvalue
        self.closedcomm = closedcomm
        self.openedcomm = openedcomm
        self.value = closedvalue + openedvalue
        self.comm = closedcomm + openedcomm
        self.pnl = pnl
        self.psize = psize
        self.pprice = pprice


_NO_BITS = ()  # shared by the many OrderData that never execute (``created``)


class OrderData:
    """Creation request or execution outcome of an order."""

    __slots__ = ('pclose', 'exbits', 'p1', 'p2', 'dt', 'size', 'remsize',
                 'price', 'pricelimit', 'trailamount', 'trailpercent', 'value',
                 'comm', 'margin', 'pnl', 'psize', 'pprice', '_plimit')

    def __init__(self, dt=None, size=0, price=0.0, pricelimit=0.0, remsize=0,
                 pclose=0.0, trailamount=0.0, trailpercent=0.0):
        self.pclose = pclose
        self.exbits = _NO_BITS  # a list once something executes
        self.p1, self.p2 = 0, 0
        self.dt = dt
        self.size = size
        self.remsize = remsize
        self.price = price
        self.pricelimit = pricelimit
        self.trailamount = trailamount
        self.trailpercent = trailpercent
        if not pricelimit:
            self.pricelimit = self.price
        if pricelimit and not price:
            self.price = pricelimit
        self._plimit = pricelimit
        self.value = 0.0
        self.comm = 0.0
        self.margin = None
        self.pnl = 0.0
        self.psize = 0
        self.pprice = 0

    @property
    def plimit(self):
        return self._plimit

    @plimit.setter
    def plimit(self, value):
        self._plimit = value

    def __len__(self):
        return len(self.exbits)

    def __getitem__(self, key):
        return self.exbits[key]

    def add(self, dt, size, price, closed=0, closedvalue=0.0, closedcomm=0.0,
            opened=0, openedvalue=0.0, openedcomm=0.0, pnl=0.0, psize=0,
            pprice=0.0) -> None:
        self.addbit(OrderExecutionBit(dt, size, price, closed, closedvalue,
                                      closedcomm, opened, openedvalue,
                                      openedcomm, pnl, psize, pprice))

    def addbit(self, exbit: OrderExecutionBit) -> None:
        if self.exbits is _NO_BITS:
            self.exbits = []
        self.exbits.append(exbit)
        self.remsize -= exbit.size
        self.dt = exbit.dt
        oldvalue = self.size * self.price
        newvalue = exbit.size * exbit.price
        self.size += exbit.size
        self.price = (oldvalue + newvalue) / self.size
        self.value += exbit.value
        self.comm += exbit.comm
        self.pnl += exbit.pnl
        self.psize = exbit.psize
        self.pprice = exbit.pprice

    def getpending(self) -> list:
        return list(self.iterpending())

    def iterpending(self):
        return itertools.islice(self.exbits, self.p1, self.p2)

    def markpending(self) -> None:
        # the fills since the last notification become "pending" for it
        self.p1, self.p2 = self.p2, len(self.exbits)

    def clone(self) -> 'OrderData':
        self.markpending()
        return _copy_orderdata(self, object.__new__(OrderData))


def _slot_copier(names):
    """A function copying the slots ``names`` from one object to another.

    Generated once (like dataclasses do) because orders are cloned for every
    notification and a loop of setattr calls costs several times more.
    """
    body = ''.join(f'    dst.{n} = src.{n}\n' for n in names)
    namespace: dict = {}
    exec(f'def copy_slots(src, dst):\n{body}    return dst\n', namespace)
    return namespace['copy_slots']


_copy_orderdata = _slot_copier(OrderData.__slots__)


class _OrderParams:
    """``order.p`` / ``order.params``: the arguments the order was made with."""

    _keys = ('owner', 'data', 'size', 'price', 'pricelimit', 'exectype', 'valid',
             'tradeid', 'oco', 'trailamount', 'trailpercent', 'parent',
             'transmit', 'simulated', 'histnotify')

    def __init__(self, order):
        object.__setattr__(self, '_order', order)

    def __getattr__(self, name):
        if name in self._keys:
            return getattr(self._order, name)
        raise AttributeError(name)

    def __setattr__(self, name, value):
        setattr(self._order, name, value)

    @classmethod
    def _getkeys(cls):
        return list(cls._keys)


_ORDER_SLOTS = ('owner', 'data', 'size', 'price', 'pricelimit', 'exectype', 'valid',
                'tradeid', 'oco', 'trailamount', 'trailpercent', 'parent',
                'transmit', 'simulated', 'histnotify', 'ref', 'broker', '_info',
                'comminfo', 'triggered', '_active', 'status', '_plimit', 'created',
                'executed', '_limitoffset', 'position', '_dteos', 'plen',
                'pannotated')


class OrderBase:
    """Constants and state shared by every order.

    Orders use ``__slots__``: a backtest makes one per trade decision and a
    clone per notification, so their size decides memory on long runs.
    """

    __slots__ = _ORDER_SLOTS + ('__weakref__',)  # custom data goes in order.info

    DAY = datetime.timedelta()  # valid=Order.DAY: until the session ends
    T_Close, T_Day, T_Date, T_None = range(4)
    V_None = range(1)

    (Market, Close, Limit, Stop, StopLimit, StopTrail, StopTrailLimit,
     Historical) = range(8)
    ExecTypes = ['Market', 'Close', 'Limit', 'Stop', 'StopLimit', 'StopTrail',
                 'StopTrailLimit', 'Historical']

    OrdTypes = ['Buy', 'Sell']
    Buy, Sell = range(2)

    (Created, Submitted, Accepted, Partial, Completed, Canceled, Expired,
     Margin, Rejected) = range(9)
    Cancelled = Canceled
    Status = ['Created', 'Submitted', 'Accepted', 'Partial', 'Completed',
              'Canceled', 'Expired', 'Margin', 'Rejected']

    refbasis = itertools.count(1)
    ordtype: int = 0

    def __init__(self, owner: Any = None, data: Any = None, size: float | None = None,
                 price: float | None = None, pricelimit: float | None = None,
                 exectype: int | None = None, valid: Any = None, tradeid: int = 0,
                 oco: Any = None, trailamount: float | None = None,
                 trailpercent: float | None = None, parent: Any = None,
                 transmit: bool = True, simulated: bool = False,
                 histnotify: bool = False, plimit: float | None = None) -> None:
        self.owner = owner
        self.data = data
        self.size = size
        self.price = price
        self.pricelimit = pricelimit if pricelimit is not None else plimit
        self.exectype = exectype
        self.valid = valid
        self.tradeid = tradeid
        self.oco = oco
        self.trailamount = trailamount
        self.trailpercent = trailpercent
        self.parent = parent
        self.transmit = transmit
        self.simulated = simulated
        self.histnotify = histnotify
        self._validate()

        self.ref = next(self.refbasis)
        self.broker = None
        self._info: AutoOrderedDict | None = None
        self.plen = 0
        self.pannotated = None
        self.comminfo = None
        self.triggered = False
        self._active = parent is None
        self.status = self.Created
        self._plimit = self.pricelimit
        if self.exectype is None:
            self.exectype = self.Market
        if not self.isbuy():
            self.size = -self.size  # type: ignore[operator]  # orders are made with a size
        data = self.data
        pclose = data.close[0] if not simulated else self.price
        price = pclose if not self.price and not self.pricelimit else self.price
        dcreated = data.datetime[0] if not simulated else 0.0
        self.created = OrderData(dt=dcreated, size=self.size, price=price,
                                 pricelimit=self.pricelimit, pclose=pclose,
                                 trailamount=trailamount, trailpercent=trailpercent)
        if self.exectype in (self.StopTrail, self.StopTrailLimit):
            self._limitoffset = self.created.price - self.created.pricelimit
            price = self.created.price
            self.created.price = math.inf if self.isbuy() else -math.inf
            self.trailadjust(price)
        else:
            self._limitoffset = 0.0
        self.executed = OrderData(remsize=self.size)
        self.position = 0
        self.valid = self._valid_until(self.valid)
        self._dteos = None if not simulated else 0.0

    def _validate(self) -> None:
        size: Any = self.size
        if not is_real(size) or not math.isfinite(size) or size < 0:
            self._bad_size(size)
        exectype = self.exectype
        if exectype is not None and (not isinstance(exectype, numbers.Integral)
                                     or isinstance(exectype, bool)
                                     or not 0 <= exectype < len(self.ExecTypes)):
            raise ValueError(f'{self._side()}: order exectype must be one of Order.'
                             f'{", Order.".join(self.ExecTypes)}, got {exectype!r}')
        if (exectype is None and self.price is None and self.pricelimit is None
                and self.trailamount is None and self.trailpercent is None):
            return  # a plain market order: nothing more to check
        checked: tuple[tuple[str, Any], ...] = (
            ('price', self.price), ('plimit', self.pricelimit),
            ('trailamount', self.trailamount), ('trailpercent', self.trailpercent))
        for name, value in checked:
            if value is None:
                continue
            if not is_real(value) or not math.isfinite(value):
                raise ValueError(f'{self._side()}: order {name} must be a finite number, '
                                 f'got {value!r}')
            if name.startswith('trail') and value < 0:
                raise ValueError(f'{self._side()}: order {name} must not be negative, got '
                                 f'{value!r} (it is a distance from the price; 0 trails at the price)')
        if self.exectype in (self.Limit, self.Stop, self.StopLimit) and self.price is None:
            raise ValueError(f'a {self.ExecTypes[self.exectype]} order needs a price')
        if self.exectype == self.StopLimit and self.pricelimit is None:
            raise ValueError('a StopLimit order needs a limit price (plimit)')
        if (self.exectype in (self.StopTrail, self.StopTrailLimit)
                and self.trailamount is None and self.trailpercent is None):
            # backtrader trails at distance 0 then; make that explicit (trailamount=0)
            raise ValueError(f'a {self.ExecTypes[self.exectype]} order needs '
                             'trailamount or trailpercent (0 trails at the price)')

    def _side(self) -> str:
        return self.OrdTypes[self.ordtype].lower()

    def _bad_size(self, size: Any) -> None:
        side = self._side()
        if not is_real(size):
            raise ValueError(f'{side}: order size must be a number, got {size!r}')
        if not math.isfinite(size):
            raise ValueError(f'{side}: order size must be a finite number, got {size!r}')
        raise ValueError(f'{side}: order size must not be negative, got {size!r} '
                         '(use sell() to go short)')

    def _valid_until(self, valid: Any) -> Any:
        """The day number after which the order expires (None: never)."""
        data = self.data
        if valid is None:
            return None
        if isinstance(valid, datetime.timedelta):
            if valid == self.DAY:
                return data.date2num(datetime.datetime.combine(
                    data.datetime.date(), datetime.time(23, 59, 59, 9999)))
            return data.date2num(data.datetime.datetime() + valid)
        if isinstance(valid, datetime.date):
            if not isinstance(valid, datetime.datetime):
                valid = datetime.datetime.combine(valid, datetime.time())
            return data.date2num(valid)
        if isinstance(valid, (int, float)) and not isinstance(valid, bool):
            if not valid:  # 0 means the current session (backtrader ignores it)
                return data.date2num(datetime.datetime.combine(
                    data.datetime.date(), datetime.time(23, 59, 59, 9999)))
            return float(valid)  # an absolute day number
        raise ValueError(f'order valid={valid!r}: expected None, a date/datetime, '
                         'a timedelta, Order.DAY or a day number')

    @property
    def dteos(self) -> float:
        """End of the session the order was created in (a day number)."""
        if self._dteos is None:
            self._dteos = self._end_of_session()
        return self._dteos

    @dteos.setter
    def dteos(self, value: float) -> None:
        self._dteos = value

    def _end_of_session(self) -> float:
        data = self.data
        dtime = data.num2date(self.created.dt)
        session = data.p.sessionend
        dteos = dtime.replace(hour=session.hour, minute=session.minute,
                              second=session.second, microsecond=session.microsecond)
        if dteos < dtime:
            dteos += datetime.timedelta(days=1)
        return data.date2num(dteos)

    @property
    def plimit(self):
        return self._plimit

    @plimit.setter
    def plimit(self, value):
        self._plimit = value

    @property
    def info(self) -> AutoOrderedDict:
        """Custom data attached to the order (``buy(..., key=value)``)."""
        if self._info is None:
            self._info = AutoOrderedDict()
        return self._info

    @property
    def p(self) -> _OrderParams:
        return _OrderParams(self)

    params = p

    def __str__(self):
        return '\n'.join([
            f'Ref: {self.ref}', f'OrdType: {self.ordtype}',
            f'OrdType: {self.ordtypename()}', f'Status: {self.status}',
            f'Status: {self.getstatusname()}', f'Size: {self.size}',
            f'Price: {self.price}', f'Price Limit: {self.pricelimit}',
            f'TrailAmount: {self.trailamount}', f'TrailPercent: {self.trailpercent}',
            f'ExecType: {self.exectype}', f'ExecType: {self.getordername()}',
            f'CommInfo: {self.comminfo}', f'End of Session: {self.dteos}',
            f'Info: {self.info}', f'Broker: {self.broker}', f'Alive: {self.alive()}'])

    def __repr__(self):
        return (f'<{type(self).__name__} ref={self.ref} {self.getordername()} '
                f'size={self.size} status={self.getstatusname()}>')

    def clone(self) -> 'OrderBase':
        """A snapshot for a notification (later fills do not change it)."""
        cls = type(self)
        obj = _copy_order(self, cls.__new__(cls))
        if cls.__dictoffset__:  # a user subclass without __slots__
            obj.__dict__.update(self.__dict__)
        obj.executed = self.executed.clone()
        return obj

    def getstatusname(self, status: int | None = None) -> str:
        return self.Status[self.status if status is None else status]

    def getordername(self, exectype: int | None = None) -> str:
        # (self.exectype is never None after __init__)
        return self.ExecTypes[self.exectype if exectype is None else exectype]  # type: ignore[index]

    @classmethod
    def ExecType(cls, exectype: str) -> int:
        return getattr(cls, exectype)

    def ordtypename(self, ordtype: int | None = None) -> str:
        return self.OrdTypes[self.ordtype if ordtype is None else ordtype]

    def active(self) -> bool:
        return self._active

    def activate(self) -> None:
        self._active = True

    def alive(self) -> bool:
        return self.status in (self.Created, self.Submitted, self.Partial, self.Accepted)

    def addcomminfo(self, comminfo) -> None:
        self.comminfo = comminfo

    def addinfo(self, **kwargs) -> None:
        if kwargs:
            info = self.info
            for key, val in kwargs.items():
                info[key] = val

    def __eq__(self, other):
        return other is not None and getattr(other, 'ref', None) == self.ref

    def __ne__(self, other):
        return not self.__eq__(other)

    __hash__ = object.__hash__

    def isbuy(self) -> bool:
        return self.ordtype == self.Buy

    def issell(self) -> bool:
        return self.ordtype == self.Sell

    def setposition(self, position) -> None:
        self.position = position

    def submit(self, broker=None) -> None:
        self.status = self.Submitted
        self.broker = broker
        self.plen = len(self.data)

    def accept(self, broker=None) -> None:
        self.status = self.Accepted
        self.broker = broker

    def brokerstatus(self) -> int:
        if self.broker:
            return self.broker.orderstatus(self)
        return self.status

    def reject(self, broker=None) -> bool:
        if self.status == self.Rejected:
            return False
        self.status = self.Rejected
        self.broker = broker
        if not self.simulated:
            self.executed.dt = self.data.datetime[0]
        return True

    def cancel(self) -> None:
        self.status = self.Canceled
        if not self.simulated:
            self.executed.dt = self.data.datetime[0]

    def margin(self) -> None:
        self.status = self.Margin
        if not self.simulated:
            self.executed.dt = self.data.datetime[0]

    def completed(self) -> None:
        self.status = self.Completed

    def partial(self) -> None:
        self.status = self.Partial

    def execute(self, dt: float, size: float, price: float, closed: float = 0,
                closedvalue: float = 0.0, closedcomm: float = 0.0, opened: float = 0,
                openedvalue: float = 0.0, openedcomm: float = 0.0,
                margin: float | None = None, pnl: float = 0.0, psize: float = 0,
                pprice: float = 0.0) -> None:
        """Record one fill given by its parts (backtrader's form; the brokers
        here build the fill and call ``record`` through ``BrokerBase.book_fill``)."""
        self.record(OrderExecutionBit(
            dt=dt, size=size, price=price, closed=closed, closedvalue=closedvalue,
            closedcomm=closedcomm, opened=opened, openedvalue=openedvalue,
            openedcomm=openedcomm, pnl=pnl, psize=psize, pprice=pprice), margin)

    def record(self, fill: OrderExecutionBit, margin: float | None = None) -> None:
        """Record one fill; a fill of size 0 records nothing."""
        if not fill.size:
            return
        executed = self.executed
        executed.addbit(fill)
        executed.margin = margin

    def expire(self) -> bool:
        self.status = self.Expired
        return True

    def trailadjust(self, price: float) -> None:
        pass


class Order(OrderBase):
    """A simulated-broker order."""

    __slots__ = ()

    def record(self, fill: OrderExecutionBit, margin: float | None = None) -> None:
        super().record(fill, margin)
        self.status = self.Partial if self.executed.remsize else self.Completed

    def expire(self) -> bool:
        if self.exectype == self.Market:
            return False  # a market order always executes
        if self.valid and self.data.datetime[0] > self.valid:
            self.status = self.Expired
            self.executed.dt = self.data.datetime[0]
            return True
        return False

    def trailadjust(self, price: float) -> None:
        if self.trailamount:
            pamount = self.trailamount
        elif self.trailpercent:
            pamount = price * self.trailpercent
        else:
            pamount = 0.0
        if self.isbuy():
            price += pamount
            if price < self.created.price:
                self.created.price = price
                if self.exectype == self.StopTrailLimit:
                    self.created.pricelimit = price - self._limitoffset
        else:
            price -= pamount
            if price > self.created.price:
                self.created.price = price
                if self.exectype == self.StopTrailLimit:
                    self.created.pricelimit = price - self._limitoffset


class BuyOrder(Order):
    __slots__ = ()
    ordtype = Order.Buy


class StopBuyOrder(BuyOrder):
    __slots__ = ()


class StopLimitBuyOrder(BuyOrder):
    __slots__ = ()


class SellOrder(Order):
    __slots__ = ()
    ordtype = Order.Sell


class StopSellOrder(SellOrder):
    __slots__ = ()


class StopLimitSellOrder(SellOrder):
    __slots__ = ()


_copy_order = _slot_copier(_ORDER_SLOTS)
