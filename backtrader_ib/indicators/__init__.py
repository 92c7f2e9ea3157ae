"""Indicators (``bt.indicators``, ``bt.ind``): backtrader's whole library.

Modules are imported in backtrader's order: the Envelope and Oscillator
families are generated for the moving averages registered before them.
"""
# backtrader's module also exports its py2/3 helpers; kept so names match
from __future__ import absolute_import, division, print_function, unicode_literals  # noqa: F401
from ..utils.py3 import MAXINT, cmp, map, range, with_metaclass  # noqa: F401,A004

from ..indicator import Indicator, LinePlotterIndicator  # noqa: F401
from ..linebuffer import LineActions  # noqa: F401
from ..functions import *  # noqa: F401,F403

from .basicops import *  # noqa: F401,F403
from .mabase import *  # noqa: F401,F403
from .sma import *  # noqa: F401,F403
from .ema import *  # noqa: F401,F403
from .smma import *  # noqa: F401,F403
from .wma import *  # noqa: F401,F403
from .dema import *  # noqa: F401,F403
from .kama import *  # noqa: F401,F403
from .zlema import *  # noqa: F401,F403
from .hma import *  # noqa: F401,F403
from .zlind import *  # noqa: F401,F403
from .dma import *  # noqa: F401,F403
from .deviation import *  # noqa: F401,F403
from .atr import *  # noqa: F401,F403
from .aroon import *  # noqa: F401,F403
from .bollinger import *  # noqa: F401,F403
from .cci import *  # noqa: F401,F403
from .crossover import *  # noqa: F401,F403
from .dpo import *  # noqa: F401,F403
from .directionalmove import *  # noqa: F401,F403
from .envelope import *  # noqa: F401,F403
from .heikinashi import *  # noqa: F401,F403
from .lrsi import *  # noqa: F401,F403
from .macd import *  # noqa: F401,F403
from .momentum import *  # noqa: F401,F403
from .oscillator import *  # noqa: F401,F403
from .percentchange import *  # noqa: F401,F403
from .percentrank import *  # noqa: F401,F403
from .pivotpoint import *  # noqa: F401,F403
from .prettygoodoscillator import *  # noqa: F401,F403
from .priceoscillator import *  # noqa: F401,F403
from .psar import *  # noqa: F401,F403
from .rsi import *  # noqa: F401,F403
from .stochastic import *  # noqa: F401,F403
from .trix import *  # noqa: F401,F403
from .tsi import *  # noqa: F401,F403
from .ultimateoscillator import *  # noqa: F401,F403
from .williams import *  # noqa: F401,F403
from .rmi import *  # noqa: F401,F403
from .awesomeoscillator import *  # noqa: F401,F403
from .accdecoscillator import *  # noqa: F401,F403
from .dv2 import *  # noqa: F401,F403
from .kst import *  # noqa: F401,F403
from .ichimoku import *  # noqa: F401,F403
from .hurst import *  # noqa: F401,F403
from .ols import *  # noqa: F401,F403
from .hadelta import *  # noqa: F401,F403
from . import contrib  # noqa: F401
from .contrib import *  # noqa: F401,F403
from .envelope import EnvelopeMixIn  # noqa: F401
from .oscillator import OscillatorMixIn  # noqa: F401
from .basicops import BaseApplyN, OperationN, PeriodN  # noqa: F401
