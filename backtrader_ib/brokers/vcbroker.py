"""VisualChart's broker over COM: kept by name only (see stores.vcstore)."""
from __future__ import annotations

from ..broker import BrokerBase
from ..comminfo import CommInfoBase
from ..stores import vcstore
from ..unsupported import Unsupported

__all__ = ('VCBroker', 'VCCommInfo', 'MetaVCBroker')

MetaVCBroker = type(BrokerBase)  # backtrader's metaclass registering the broker with VCStore


class VCCommInfo(CommInfoBase):
    """Value and cost of a position: size times price (the broker computes
    the real commission and margin)."""

    def getvaluesize(self, size: float, price: float) -> float:
        return abs(size) * price

    def getoperationcost(self, size: float, price: float) -> float:
        return abs(size) * price


class VCBroker(Unsupported, BrokerBase):
    """backtrader's VisualChart COM broker."""

    _why = vcstore.WHY


vcstore.VCStore.BrokerCls = VCBroker
