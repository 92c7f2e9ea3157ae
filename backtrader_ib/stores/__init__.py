"""Stores (``bt.stores``): live data/broker connections."""
from ..store import Store  # noqa: F401
from .ibstore import IBConnectionLost, IBStore  # noqa: F401
from .vchartfile import VChartFile  # noqa: F401
from .vcstore import VCStore  # noqa: F401
from .oandastore import OandaStore  # noqa: F401
