"""Checks an IB order must pass before it is sent, and its prices on the price grid.

``check_order`` is pure: it takes the IB order fields (``iborders.order_fields``),
the contract's price increments (IB's market rule: ``(lowEdge, increment)``
pairs, the increment of the highest edge at or below a price applies there;
or the contract's minTick alone) and the user's limits, and returns the fields
with every price on the grid, or raises ``OrderCheckError`` naming the reason.
Rounding never gives a worse price than asked: a buy limit goes down, a sell
limit up; stop triggers go to the nearest valid price; trail amounts and
offsets (price distances) to the increment at the reference price.
"""
from __future__ import annotations

import math
from typing import Any

__all__ = ('OrderCheckError', 'check_order', 'on_tick', 'increment_at', 'on_grid', 'off_grid')


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


Increments = 'tuple[tuple[float, float], ...]'


def increment_at(price: float, increments) -> float:
    """The increment that applies at ``price`` (that of the highest lowEdge <= price)."""
    inc = increments[0][1]
    for edge, step in increments:
        if price + 1e-12 >= edge:
            inc = step
    return inc


def off_grid(price: float, increments) -> bool:
    """True if ``price`` is no multiple of the increment that applies at it."""
    return on_tick(price, increment_at(price, increments)) != round(price, 10)


def on_grid(price: float, increments, mode: str = 'nearest') -> float:
    """``price`` on the grid of price-dependent ``increments`` ('down', 'up', 'nearest')."""
    px = price
    for _ in range(4):  # rounding across an edge can land where a coarser increment applies
        px = on_tick(px, increment_at(px, increments), mode)
        if not off_grid(px, increments):
            return px
        if mode == 'nearest':
            mode = 'down' if px < price else 'up'
    return px


# price fields: (name, what it is, rounding for a buy, rounding for a sell)
_PRICES = (
    ('lmtPrice', 'limit price', 'down', 'up'),
    ('auxPrice', 'stop price', 'nearest', 'nearest'),
    ('trailStopPrice', 'trailing stop price', 'nearest', 'nearest'),
)


def check_order(fields: dict, mintick: float | None = None, maxsize: float | None = None,
                maxnotional: float | None = None, refprice: float | None = None,
                multiplier: float = 1.0, increments=None, roundprices: bool = True,
                rule: str = '') -> dict:
    """``fields`` checked and rounded (a new dict); ``OrderCheckError`` if it must not go.

    ``refprice`` values a market order for ``maxnotional`` (the data's last price)
    and picks the increment of price distances (trail amounts, offsets).
    ``increments``: IB's market rule ``((lowEdge, increment), ...)``, else the
    grid of ``mintick``. ``roundprices=False``: an off-grid price is an error
    naming the increment (``rule`` says where it comes from) instead of rounded.
    """
    f = dict(fields)
    size = f.get('totalQuantity')
    if not _finite(size) or size <= 0:
        raise OrderCheckError(f'size {size!r} is not a finite positive number')
    if maxsize is not None and size > maxsize:
        raise OrderCheckError(f'size {size:g} is above the broker\'s maxsize={maxsize:g}')
    buy = f.get('action') == 'BUY'
    trail = str(f.get('orderType', '')).startswith('TRAIL')
    grid = _grid(increments, mintick)
    tick = None
    if grid is not None:  # price distances: the increment at the market's price
        tick = increment_at(refprice, grid) if _finite(refprice) else min(i for _, i in grid)
    for name, what, upbuy, upsell in _PRICES:
        if name not in f or f[name] is None:
            continue
        if trail and name == 'auxPrice':
            what = 'trail amount'
        px = f[name]
        if not _finite(px) or px <= 0:
            raise OrderCheckError(f'{what} {px!r} is not a finite positive number')
        if grid is None:
            continue
        distance = trail and name == 'auxPrice'
        mode = upbuy if buy else upsell
        if distance:
            rounded = on_tick(px, tick, mode)  # type: ignore[arg-type]
            if rounded <= 0:  # a trail amount below half a tick: one tick
                rounded = tick
        else:
            rounded = on_grid(px, grid, mode)
        if not roundprices and abs(rounded - px) > 1e-9 * max(1.0, abs(px)):
            inc = tick if distance else increment_at(px, grid)
            raise OrderCheckError(f'{what} {px:g} is not on the price grid: the increment '
                                  f'at that price is {inc:g}{rule} (nearest valid: '
                                  f'{rounded:g})')
        f[name] = rounded
    if 'lmtPriceOffset' in f:
        off = f['lmtPriceOffset']
        if not _finite(off) or off < 0:
            raise OrderCheckError(f'limit price offset {off!r} is not a finite number >= 0')
        if tick is not None:
            f['lmtPriceOffset'] = on_tick(off, tick)  # type: ignore[arg-type]
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


def _grid(increments, mintick):
    """The increments to use: the market rule's if valid, else minTick's; None: no grid."""
    if increments:
        grid = tuple(sorted((float(e), float(i)) for e, i in increments))
        if all(_finite(i) and i > 0 for _, i in grid):
            return grid
    if _finite(mintick) and mintick > 0:
        return ((0.0, float(mintick)),)
    return None
