"""Checks an IB order must pass before it is sent, and its prices on the tick grid.

``check_order`` is pure: it takes the IB order fields (``iborders.order_fields``),
the contract's minimum tick and the user's limits, and returns the fields with
every price on the tick grid, or raises ``OrderCheckError`` naming the reason.
Rounding never gives a worse price than asked: a buy limit goes down to the
tick, a sell limit up; stop triggers, trail amounts and offsets go to the
nearest tick.
"""
from __future__ import annotations

import math
from typing import Any

__all__ = ('OrderCheckError', 'check_order', 'on_tick')


class OrderCheckError(ValueError):
    """An order that must not reach IB; the message says why."""


def _finite(x: Any) -> bool:
    return isinstance(x, (int, float)) and not isinstance(x, bool) and math.isfinite(x)


def on_tick(price: float, tick: float, mode: str = 'nearest') -> float:
    """``price`` on the grid of ``tick``: 'down', 'up' or 'nearest'."""
    n = price / tick
    k = {'down': math.floor(n + 1e-9), 'up': math.ceil(n - 1e-9)}.get(mode)
    if k is None:
        k = math.floor(n + 0.5)
    # a decimal tick (0.01, 0.00005) times an integer: round off the float noise
    digits = max(0, -math.floor(math.log10(tick))) + 4
    return round(k * tick, digits)


# price fields: (name, what it is, rounding for a buy, rounding for a sell)
_PRICES = (
    ('lmtPrice', 'limit price', 'down', 'up'),
    ('auxPrice', 'stop price', 'nearest', 'nearest'),
    ('trailStopPrice', 'trailing stop price', 'nearest', 'nearest'),
)


def check_order(fields: dict, mintick: float | None = None, maxsize: float | None = None,
                maxnotional: float | None = None, refprice: float | None = None,
                multiplier: float = 1.0) -> dict:
    """``fields`` checked and rounded (a new dict); ``OrderCheckError`` if it must not go.

    ``refprice`` values a market order for ``maxnotional`` (the data's last price).
    """
    f = dict(fields)
    size = f.get('totalQuantity')
    if not _finite(size) or size <= 0:
        raise OrderCheckError(f'size {size!r} is not a finite positive number')
    if maxsize is not None and size > maxsize:
        raise OrderCheckError(f'size {size:g} is above the broker\'s maxsize={maxsize:g}')
    buy = f.get('action') == 'BUY'
    trail = str(f.get('orderType', '')).startswith('TRAIL')
    tick = mintick if _finite(mintick) and mintick > 0 else None
    for name, what, upbuy, upsell in _PRICES:
        if name not in f or f[name] is None:
            continue
        if trail and name == 'auxPrice':
            what = 'trail amount'
        px = f[name]
        if not _finite(px) or px <= 0:
            raise OrderCheckError(f'{what} {px!r} is not a finite positive number')
        if tick is not None:
            rounded = on_tick(px, tick, upbuy if buy else upsell)
            if rounded <= 0:  # a trail amount below half a tick: one tick
                rounded = tick
            f[name] = rounded
    if 'lmtPriceOffset' in f:
        off = f['lmtPriceOffset']
        if not _finite(off) or off < 0:
            raise OrderCheckError(f'limit price offset {off!r} is not a finite number >= 0')
        if tick is not None:
            f['lmtPriceOffset'] = on_tick(off, tick)
    if 'trailingPercent' in f:
        pct = f['trailingPercent']
        if not _finite(pct) or not 0 < pct < 100:
            raise OrderCheckError(f'trailing percent {pct!r} is not within (0, 100)')
    if maxnotional is not None:
        px = None if trail else (f.get('lmtPrice') or f.get('auxPrice'))
        px = px or refprice
        if not _finite(px):
            raise OrderCheckError(f'no price to value the order against maxnotional='
                                  f'{maxnotional:g}')
        value = size * px * (multiplier or 1.0)
        if value > maxnotional:
            raise OrderCheckError(f'value {value:,.2f} (size {size:g} x price {px:g}'
                                  + (f' x multiplier {multiplier:g}' if multiplier != 1 else '')
                                  + f') is above the broker\'s maxnotional={maxnotional:g}')
    return f
