"""Oanda's broker: kept by name only (see stores.oandastore)."""
from __future__ import annotations

from ..broker import BrokerBase
from ..stores import oandastore
from ..unsupported import Unsupported
from .vcbroker import VCCommInfo

__all__ = ('OandaBroker', 'OandaCommInfo', 'MetaOandaBroker')

MetaOandaBroker = type(BrokerBase)  # backtrader's metaclass registering the broker


class OandaCommInfo(VCCommInfo):
    """Value and cost of a position: size times price (as VCCommInfo)."""


class OandaBroker(Unsupported, BrokerBase):
    """backtrader's Oanda broker."""

    _why = oandastore.WHY


oandastore.OandaStore.BrokerCls = OandaBroker
