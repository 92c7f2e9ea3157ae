"""Stores (``bt.stores``): live data/broker connections."""
from ..store import Store
from .ibstore import IBStore
