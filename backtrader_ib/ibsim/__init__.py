"""ibsim: a simulated TWS / IB Gateway speaking the real TWS socket protocol.

Start one with :class:`IBSim` (tests) or ``python -m backtrader_ib.ibsim``.
"""
from .api import IBSim
from .catalog import Catalog, Instrument, default_catalog
from .clock import Clock
from .server import Config, Gateway

__all__ = ["IBSim", "Catalog", "Instrument", "default_catalog", "Clock", "Config", "Gateway"]
