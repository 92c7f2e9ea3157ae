"""VisualChart's live store (Windows COM): kept by name only.

backtrader drives VisualChart's real-time and historical data and its
broker through the VisualChart COM server with ``comtypes``; backtrader_ib
does not support it (it is Windows-only and needs a VisualChart install).
VisualChart's files on disk are read by ``bt.feeds.VChartData`` and
``bt.feeds.VChartFile``.
"""
from __future__ import annotations

from ..store import Store
from ..unsupported import Unsupported
from ..errors import UnsupportedError

__all__ = ('VCStore', 'MetaSingleton', 'PumpEvents', 'RTEventSink')

WHY = ("needs VisualChart's Windows COM server, which backtrader_ib does not support "
       "(VisualChart's data files: bt.feeds.VChartData, bt.feeds.VChartFile)")

try:  # the store metaclass, where backtrader_ib defines one
    from ..store import MetaSingleton
except ImportError:
    MetaSingleton = type(Store)


def PumpEvents(timeout: float = -1, hevt=None, cb=None) -> None:
    """backtrader's Windows COM message pump."""
    raise UnsupportedError(f'PumpEvents: {WHY}')


class RTEventSink(Unsupported):
    """backtrader's receiver of VisualChart COM events."""

    _why = WHY


class VCStore(Unsupported, Store):
    """backtrader's VisualChart store."""

    _why = WHY
