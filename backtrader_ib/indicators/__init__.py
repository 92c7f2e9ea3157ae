"""Indicators (``bt.indicators``, ``bt.ind``)."""
from ..indicator import Indicator, LinePlotterIndicator
from .basicops import *  # noqa: F401,F403
from .mabase import MovAv, MovingAverage, MovingAverageBase
from .sma import *  # noqa: F401,F403
from .ema import *  # noqa: F401,F403
from .crossover import *  # noqa: F401,F403
