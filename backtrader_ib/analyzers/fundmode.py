"""The portfolio value an analyzer follows: net asset value or fund value."""
from __future__ import annotations

__all__ = ('FundModeMixin',)


class FundModeMixin:
    """``fund`` param: None follows the broker's fund mode, True/False force it."""

    def _pick_fundmode(self) -> None:
        broker = self.strategy.broker
        self._fundmode = broker.fundmode if self.p.fund is None else self.p.fund

    def _broker_value(self) -> float:
        broker = self.strategy.broker
        return broker.fundvalue if self._fundmode else broker.getvalue()
