"""HeikinAshi: rewrites each bar as a Heikin-Ashi candle."""
from __future__ import annotations

__all__ = ('HeikinAshi',)


class HeikinAshi:
    """Close: the OHLC average; open: the midpoint of the previous candle's
    open and close (of this bar's open and close on the first bar); high and
    low also cover the new open and close."""

    def __init__(self, data):
        pass

    def __call__(self, data) -> bool:
        o, hi, lo, c = data.open[0], data.high[0], data.low[0], data.close[0]
        ha_close = (o + hi + lo + c) / 4.0
        data.close[0] = ha_close
        if len(data) > 1:
            ha_open = (data.open[-1] + data.close[-1]) / 2.0
            data.open[0] = ha_open
            data.high[0] = max(ha_open, ha_close, hi)
            data.low[0] = min(ha_open, ha_close, lo)
        else:
            data.open[0] = (o + c) / 2.0
        return False
