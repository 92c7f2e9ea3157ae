"""TA-Lib functions as indicators (``bt.talib``), when the TA-Lib package is installed.

Each TA-Lib function becomes an indicator class of the same name: its
parameters are the params (``bt.talib.SMA(self.data, timeperiod=20)``), its
outputs the lines, and its inputs the data given (pass one line per input,
e.g. ``bt.talib.ATR(self.data.high, self.data.low, self.data.close)``). The
vectorised path hands whole arrays to TA-Lib; bar by bar, the function runs
over the bars its lookback needs and the last value is kept.
"""
from __future__ import annotations

import sys

import numpy as np

from .indicator import Indicator

try:
    import talib as _talib
    import talib.abstract as _abstract
except ImportError:  # TA-Lib is optional
    _talib = None

_MISSING = ('bt.talib needs the TA-Lib package, which is not installed: '
            'pip install TA-Lib')

__all__: list = []


class _TALibIndicator(Indicator):
    """Base of the generated TA-Lib indicators."""

    CANDLEOVER = 1.02  # candle markers are drawn 2% above the reference price
    CANDLEREF = 1      # reference price for candles: the second input (high)
    _tabstract = None
    _iscandle = False
    _unstable = False
    _KNOWN_UNSTABLE = ('SAR',)

    def _postinit(self) -> None:
        super()._postinit()
        self._tabstract.set_function_args(**self.p._getkwargs())
        lookback = self._tabstract.lookback + 1
        self.updateminperiod(lookback)
        unstable = self._unstable or type(self).__name__ in self._KNOWN_UNSTABLE
        self._lookback = 0 if unstable else lookback  # 0: use all history
        self._tafunc = getattr(_talib, self._tabstract.info['name'])

    def _inputs(self, size: int | None = None) -> list:
        if size is None:
            return [np.array(d.lines[0].array, dtype=np.float64) for d in self.datas]
        return [np.array(d.lines[0].get(size=size), dtype=np.float64) for d in self.datas]

    def _outputs(self, inputs: list) -> list:
        out = self._tafunc(*inputs, **self.p._getkwargs())
        outs = [out] if isinstance(out, np.ndarray) else list(out)
        if self._iscandle:  # a marker line: the pattern value scaled to price
            ref = inputs[self.CANDLEREF] * self.CANDLEOVER
            outs.append(ref * (outs[0] / 100.0))
        return outs

    def oncestart(self, start: int, end: int) -> None:
        pass  # once() fills every bar at the first call

    def once(self, start: int, end: int) -> None:
        outs = self._outputs(self._inputs())
        for line, values in zip(self.lines, outs):
            line._arr[:len(values)] = values

    def next(self) -> None:
        outs = self._outputs(self._inputs(self._lookback or len(self)))
        for line, values in zip(self.lines, outs):
            line[0] = values[-1]


def _make(name: str) -> type:
    """The indicator class for TA-Lib function ``name``."""
    fn = _abstract.Function(name)
    flags = fn.function_flags or []
    plotinfo: dict = {}
    iscandle = unstable = False
    for flag in flags:
        text = str(flag).lower()
        if 'same as input' in text:
            plotinfo['subplot'] = False
        elif 'unstable' in text:
            unstable = True
        elif 'candlestick' in text:
            plotinfo.update(subplot=False, plotlinelabels=True)
            iscandle = True
    lines = list(fn.output_names)
    plotlines: dict = {}
    for lname, oflags in (fn.output_flags or {}).items():
        style: dict = {}
        for oflag in oflags or []:
            text = str(oflag).lower()
            if text == 'line':
                style.update({'_plotskip': True} if iscandle else {'ls': '-'})
            elif 'dash' in text:
                style['ls'] = '--'
            elif 'dot' in text:
                style['ls'] = ':'
            elif 'histo' in text:
                style['_method'] = 'bar'
        if style:
            plotlines[lname] = style
    if iscandle:
        lines.append('_candleplot')
        plotlines['_candleplot'] = dict(_name=name, ls='', marker='d', markersize=7.0,
                                        fillstyle='full')
    attrs = {'__module__': __name__, '__doc__': str(fn), '_tabstract': fn,
             '_iscandle': iscandle, '_unstable': unstable,
             'params': tuple(fn.get_parameters().items()), 'lines': tuple(lines),
             'plotinfo': plotinfo, 'plotlines': plotlines}
    return type(name, (_TALibIndicator,), attrs)


# TA-Lib's function and output flag bits (backtrader's names)
FUNC_FLAGS_SAMESCALE = 16777216
FUNC_FLAGS_UNSTABLE = 134217728
FUNC_FLAGS_CANDLESTICK = 268435456
OUT_FLAGS_LINE = 1
OUT_FLAGS_DOTTED = 2
OUT_FLAGS_DASH = 4
OUT_FLAGS_HISTO = 16
OUT_FLAGS_UPPER = 2048
OUT_FLAGS_LOWER = 4096

if _talib is not None:
    MA_Type = _talib.MA_Type
    # flag bit -> TA-Lib's description, and the function names
    R_TA_FUNC_FLAGS = {v: k for k, v in _abstract.TA_FUNC_FLAGS.items()}
    R_TA_OUTPUT_FLAGS = {v: k for k, v in _abstract.TA_OUTPUT_FLAGS.items()}
    tafunctions = _talib.get_functions()
    _module = sys.modules[__name__]
    for _name in _talib.get_functions():
        setattr(_module, _name, _make(_name))
    __all__ = list(_talib.get_functions()) + ['MA_Type']
else:
    def __getattr__(name: str):
        if name.startswith('__'):
            raise AttributeError(name)
        raise ImportError(f'bt.talib.{name}: {_MISSING}')
