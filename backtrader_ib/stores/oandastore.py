"""Oanda's store (v1 REST API through ``oandapy``): kept by name only.

backtrader's Oanda support speaks Oanda's v1 REST API, which Oanda retired;
backtrader_ib does not support Oanda.
"""
from __future__ import annotations

from ..errors import BacktraderError
from ..store import Store
from ..unsupported import Unsupported

__all__ = ('OandaStore', 'MetaSingleton', 'API', 'Streamer', 'OandaRequestError',
           'OandaStreamError', 'OandaTimeFrameError', 'OandaNetworkError')

WHY = ("needs Oanda's retired v1 REST API (the oandapy package), which backtrader_ib "
       'does not support')

try:  # the store metaclass, where backtrader_ib defines one
    from ..store import MetaSingleton
except ImportError:
    MetaSingleton = type(Store)


class _OandaError(BacktraderError):
    """An Oanda API error: ``code``, ``message``, ``description`` as backtrader's."""

    code = 0
    message = ''

    def __init__(self, description: str = '') -> None:
        self.description = description
        super().__init__(f'{self.code} {self.message}: {description}'.rstrip(': '))


class OandaRequestError(_OandaError):
    code, message = 599, 'Request Error'


class OandaStreamError(_OandaError):
    code, message = 598, 'Failed Streaming'


class OandaTimeFrameError(_OandaError):
    code, message = 597, 'Not supported TimeFrame'


class OandaNetworkError(_OandaError):
    code, message = 596, 'Network Error'


class API(Unsupported):
    """backtrader's oandapy REST client."""

    _why = WHY


class Streamer(Unsupported):
    """backtrader's oandapy price/event streamer."""

    _why = WHY


class OandaStore(Unsupported, Store):
    """backtrader's Oanda store."""

    _why = WHY
