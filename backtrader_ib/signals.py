"""``bt.signals``: an alias of :mod:`backtrader_ib.signal` (backtrader has an
empty ``signals`` package and the signal types in ``signal``)."""
from .signal import *  # noqa: F401,F403
from .signal import __all__  # noqa: F401
