"""Oanda's data feed: kept by name only (see stores.oandastore)."""
from __future__ import annotations

from ..feed import DataBase
from ..stores import oandastore
from ..unsupported import Unsupported

__all__ = ('OandaData', 'MetaOandaData')

MetaOandaData = type(DataBase)  # backtrader's metaclass registering the feed with OandaStore


class OandaData(Unsupported, DataBase):
    """backtrader's Oanda data feed."""

    _why = oandastore.WHY


oandastore.OandaStore.DataCls = OandaData
