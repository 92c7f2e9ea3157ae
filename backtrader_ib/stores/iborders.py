"""backtrader orders as IB order fields (table f.1 of the notes), and IB's time in force.

``order_fields`` is pure: it returns the attributes to set on the client
library's ``Order``. ``time_in_force`` fixes backtrader's defects: ``Order.DAY``
(and 0) become IB DAY, and GTD dates are sent in UTC with the zone written
out (``yyyymmdd-hh:mm:ss``), never in whatever zone TWS runs in.
"""
from __future__ import annotations

import datetime as _dt
from typing import Any

from ..order import OrderBase
from ..utils.date import num2date
from .ibchecks import OrderCheckError

__all__ = ('order_fields', 'time_in_force')

UTC = _dt.timezone.utc

ORDER_TYPES = {
    OrderBase.Market: 'MKT',
    OrderBase.Close: 'MOC',
    OrderBase.Limit: 'LMT',
    OrderBase.Stop: 'STP',
    OrderBase.StopLimit: 'STP LMT',
    OrderBase.StopTrail: 'TRAIL',
    OrderBase.StopTrailLimit: 'TRAIL LIMIT',
}


def _gtd(utc_naive: _dt.datetime) -> dict:
    return {'tif': 'GTD', 'goodTillDate': utc_naive.strftime('%Y%m%d-%H:%M:%S')}


def time_in_force(valid: Any, data: Any = None) -> dict:
    """IB tif fields for a backtrader ``valid`` as the user gave it.

    None: GTC. 0 or ``Order.DAY``: DAY. A datetime/date (in the data's time
    zone when naive), a timedelta from the data's current bar, or a day
    number: GTD at that moment, in UTC.
    """
    if valid is None:
        return {'tif': 'GTC'}
    if isinstance(valid, _dt.timedelta):
        if valid == OrderBase.DAY:
            return {'tif': 'DAY'}
        if data is None or not len(data):
            raise ValueError('order valid=timedelta needs a data feed with a current bar')
        now = num2date(data.datetime[0])  # UTC
        return _gtd(now + valid)
    if isinstance(valid, _dt.date):
        if not isinstance(valid, _dt.datetime):
            valid = _dt.datetime.combine(valid, _dt.time())
        if valid.tzinfo is not None:
            return _gtd(valid.astimezone(UTC).replace(tzinfo=None))
        num = data.date2num(valid) if data is not None else None
        return _gtd(num2date(num) if num is not None else valid)
    if isinstance(valid, (int, float)) and not isinstance(valid, bool):
        if not valid:
            return {'tif': 'DAY'}
        return _gtd(num2date(float(valid)))
    raise ValueError(f'order valid={valid!r}: expected None, 0/Order.DAY, a datetime, '
                     'a timedelta or a day number')


def order_fields(order: OrderBase, valid: Any = None) -> dict:
    """The IB order attributes for a backtrader order (no ids, no OCA)."""
    created = order.created
    if order.exectype not in ORDER_TYPES:
        raise OrderCheckError(f'exectype {order.exectype!r} is not an order type IB knows '
                              f'(use one of Order.Market, Limit, Stop, ...)')
    f: dict = {
        'action': 'BUY' if order.isbuy() else 'SELL',
        'totalQuantity': abs(created.size),
        'orderType': ORDER_TYPES[order.exectype],
        'transmit': bool(order.transmit),
    }
    et = order.exectype
    if et == OrderBase.Limit:
        f['lmtPrice'] = order.price
    elif et == OrderBase.Stop:
        f['auxPrice'] = order.price
    elif et == OrderBase.StopLimit:
        f['auxPrice'] = order.price
        f['lmtPrice'] = order.pricelimit
    elif et in (OrderBase.StopTrail, OrderBase.StopTrailLimit):
        if order.trailamount:
            f['auxPrice'] = order.trailamount
        else:
            f['trailingPercent'] = order.trailpercent * 100.0
        if et == OrderBase.StopTrailLimit:
            if order.price is not None:
                f['trailStopPrice'] = order.price
            f['lmtPriceOffset'] = abs(order._limitoffset) if order.pricelimit is not None else 0.0
    f.update(time_in_force(valid, order.data))
    return f
