"""Stores (``bt.stores``): live data/broker connections."""
from ..store import Store  # noqa: F401
from .ibstore import IBStore  # noqa: F401
