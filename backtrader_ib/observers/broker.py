"""Cash and value of the broker."""
from __future__ import annotations

from ..observer import Observer

__all__ = ('Cash', 'Value', 'Broker', 'CashValue', 'FundValue', 'FundShares')


class Cash(Observer):
    _stclock = True
    lines = ('cash',)
    plotinfo = dict(plot=True, subplot=True)

    def next(self) -> None:
        self.lines.cash[0] = self._owner.broker.getcash()


class Value(Observer):
    _stclock = True
    params = (('fund', None),)
    lines = ('value',)
    plotinfo = dict(plot=True, subplot=True)

    def start(self) -> None:
        self._fundmode = self._owner.broker.fundmode if self.p.fund is None else self.p.fund

    def next(self) -> None:
        broker = self._owner.broker
        self.lines.value[0] = broker.fundvalue if self._fundmode else broker.getvalue()


class Broker(Observer):
    """Cash and value (value only, as fund value, in fund mode)."""

    _stclock = True
    params = (('fund', None),)
    alias = ('CashValue',)
    lines = ('cash', 'value')
    plotinfo = dict(plot=True, subplot=True)

    def start(self) -> None:
        self._fundmode = self._owner.broker.fundmode if self.p.fund is None else self.p.fund
        self._broker = broker = self._owner.broker
        self._cash = self.lines.cash
        self._value = self.lines.value
        # a broker whose getvalue()/getcash() return its _value/cash fields
        # (BackBroker's own methods) is read directly
        # (the run plan decides: runplan.RunPlan.direct_broker_readings)
        # (not for a subclass's own next, which must run)
        plan = getattr(getattr(self._owner, 'env', None), '_runplan', None)
        if (plan is not None and type(self).next is Broker.next
                and plan.direct_broker_readings(broker, self._fundmode)):
            self.next = self._next_direct

    def _next_direct(self) -> None:
        broker = self._broker
        i = self._tl.idx
        self._value._mv[i] = broker._value
        self._cash._mv[i] = broker.cash

    def next(self) -> None:
        broker = self._broker
        i = self._tl.idx
        if not self._fundmode:
            self._value._arr[i] = broker.getvalue()
            self._cash._arr[i] = broker.getcash()
        else:
            self._value._arr[i] = broker.fundvalue



class FundValue(Observer):
    """The broker's fund value (value of one fund share)."""

    _stclock = True
    alias = ('FundShareValue', 'FundVal')
    lines = ('fundval',)
    plotinfo = dict(plot=True, subplot=True)

    def next(self) -> None:
        self.lines.fundval[0] = self._owner.broker.fundvalue


class FundShares(Observer):
    """The number of fund shares the broker has issued."""

    _stclock = True
    lines = ('fundshares',)
    plotinfo = dict(plot=True, subplot=True)

    def next(self) -> None:
        self.lines.fundshares[0] = self._owner.broker.fundshares
