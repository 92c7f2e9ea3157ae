"""Commission, margin and multiplier schemes."""
from __future__ import annotations

import math

from .metabase import ParamsBase
from .utils.numeric import is_real
from .utils.userwarn import warn_user

__all__ = ('CommInfoBase', 'CommissionInfo')


class CommInfoBase(ParamsBase):
    """How an asset is charged: commission, margin, multiplier, interest.

    Without ``commtype`` the legacy rule applies: a ``margin`` makes the asset
    futures-like with a fixed commission per contract, no margin makes it
    stock-like with a percentage commission.
    """

    COMM_PERC, COMM_FIXED = range(2)

    params = (
        ('commission', 0.0), ('mult', 1.0), ('margin', None),
        ('commtype', None), ('stocklike', False), ('percabs', False),
        ('interest', 0.0), ('interest_long', False), ('leverage', 1.0),
        ('automargin', False),
    )

    def __init__(self) -> None:
        p = self.p
        self._check_params()
        self._stocklike = p.stocklike
        self._commtype = p.commtype
        if self._commtype is None:
            if p.margin:
                self._stocklike = False
                self._commtype = self.COMM_FIXED
            else:
                self._stocklike = True
                self._commtype = self.COMM_PERC
        if self._stocklike and p.margin and p.commtype is not None:
            # a stock costs its price: the margin would be silently ignored
            raise ValueError(f'{type(self).__name__}: margin={p.margin!r} has no effect on a '
                             'stock-like scheme; use stocklike=False for futures-like margin')
        if not self._stocklike and not p.margin:
            p.margin = 1.0
        if self._commtype == self.COMM_PERC and not p.percabs:
            p.commission /= 100.0
        self._creditrate = p.interest / 365.0

    def _check_params(self) -> None:
        """Numbers must be finite; a negative commission is a rebate (warned)."""
        p, cls = self.p, type(self).__name__
        for name in ('commission', 'mult', 'margin', 'interest', 'leverage'):
            value = getattr(p, name)
            if value is None and name == 'margin':
                continue
            if not is_real(value) or not math.isfinite(value):
                raise ValueError(f'{cls}: param {name} must be a finite number, got {value!r}')
        for name in ('mult', 'leverage'):
            if getattr(p, name) <= 0:
                raise ValueError(f'{cls}: param {name} must be > 0, got {getattr(p, name)!r}')
        if p.margin is not None and p.margin < 0:
            raise ValueError(f'{cls}: param margin must not be negative, got {p.margin!r}')
        if p.commission < 0:
            # backtrader accepts it and some model exchange rebates this way
            warn_user(f'{cls}: commission={p.commission!r} is negative: every trade '
                      'earns it as a rebate')

    @property
    def margin(self):
        return self.p.margin

    @property
    def stocklike(self) -> bool:
        return self._stocklike

    def get_margin(self, price: float) -> float:
        if not self.p.automargin:
            return self.p.margin
        if self.p.automargin < 0:
            return price * self.p.mult
        return price * self.p.automargin

    def get_leverage(self) -> float:
        return self.p.leverage

    def getsize(self, price: float, cash: float) -> int:
        if not self._stocklike:
            return int(self.p.leverage * (cash // self.get_margin(price)))
        return int(self.p.leverage * (cash // price))

    def getoperationcost(self, size: float, price: float) -> float:
        if not self._stocklike:
            return abs(size) * self.get_margin(price)
        return abs(size) * price

    def getvaluesize(self, size: float, price: float) -> float:
        if not self._stocklike:
            return abs(size) * self.get_margin(price)
        return size * price

    def getvalue(self, position, price: float) -> float:
        if not self._stocklike:
            return abs(position.size) * self.get_margin(price)
        size = position.size
        if size >= 0:
            return size * price
        value = position.price * size
        value += (position.price - price) * size
        return value

    def _getcommission(self, size: float, price: float, pseudoexec: bool) -> float:
        if self._commtype == self.COMM_PERC:
            return abs(size) * self.p.commission * price
        return abs(size) * self.p.commission

    def getcommission(self, size: float, price: float) -> float:
        return self._getcommission(size, price, pseudoexec=True)

    def confirmexec(self, size: float, price: float) -> float:
        return self._getcommission(size, price, pseudoexec=False)

    def profitandloss(self, size: float, price: float, newprice: float) -> float:
        return size * (newprice - price) * self.p.mult

    def cashadjust(self, size: float, price: float, newprice: float) -> float:
        if not self._stocklike:
            return size * (newprice - price) * self.p.mult
        return 0.0

    def get_credit_interest(self, data, pos, dt) -> float:
        size, price = pos.size, pos.price
        if size > 0 and not self.p.interest_long:
            return 0.0
        dt0 = dt.date()
        dt1 = pos.datetime.date()
        if dt0 <= dt1:
            return 0.0
        return self._get_credit_interest(data, size, price, (dt0 - dt1).days, dt0, dt1)

    def _get_credit_interest(self, data, size, price, days, dt0, dt1) -> float:
        return days * self._creditrate * abs(size) * price


class CommissionInfo(CommInfoBase):
    """The legacy scheme: percentages are given as fractions (percabs)."""

    params = (('percabs', True),)
