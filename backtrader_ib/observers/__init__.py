"""Observers (``bt.observers``, ``bt.obs``)."""
from ..observer import Observer
from .broker import Broker, Cash, CashValue, Value
from .buysell import BuySell
from .trades import DataTrades, Trades
