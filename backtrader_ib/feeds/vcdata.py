"""VisualChart live/historical data over COM: kept by name only (see stores.vcstore)."""
from __future__ import annotations

from ..feed import DataBase
from ..stores import vcstore
from ..unsupported import Unsupported

__all__ = ('VCData', 'MetaVCData')

MetaVCData = type(DataBase)  # backtrader's metaclass registering the feed with VCStore


class VCData(Unsupported, DataBase):
    """backtrader's VisualChart COM data feed."""

    _why = vcstore.WHY


vcstore.VCStore.DataCls = VCData
