"""Modifying a working IB order in place (a mixin of IBBroker, strategy thread).

IB modifies an order when it is placed again under its own id. backtrader has
no modify call (cancel and place anew); ``IBBroker.modify`` is this broker's
own. The change is checked like a new order, applied to the backtrader order
and the journal at once, and sent; IB's openOrder with the new values confirms
it (the order is notified once then). TWS refuses a bad modification (110,
201, ...) but keeps working the order as it was: the order goes back to its
old values, with a store notification, and is never rejected for it.
"""
from __future__ import annotations

import copy
from typing import TYPE_CHECKING, Any

from ..order import OrderBase
from ..stores.ibchecks import OrderCheckError
from ..stores.ibevents import ErrorEvent, OpenOrderEvent

__all__ = ('OrderModifier',)

UNSET = 1.7976931348623157e308   # IB's "no value" for a double field

# what a modification may change, by exectype: (price field, plimit field)
_PRICE_FIELDS = {
    OrderBase.Limit: ('lmtPrice', None),
    OrderBase.Stop: ('auxPrice', None),
    OrderBase.StopLimit: ('auxPrice', 'lmtPrice'),
    OrderBase.StopTrailLimit: ('trailStopPrice', None),
}
# the price fields each IB order type uses (others may hold 0 or IB's "unset")
_USES = {'LMT': ('lmtPrice',), 'STP': ('auxPrice',), 'STP LMT': ('auxPrice', 'lmtPrice'),
         'TRAIL': ('auxPrice', 'trailingPercent', 'trailStopPrice'),
         'TRAIL LIMIT': ('auxPrice', 'trailingPercent', 'trailStopPrice', 'lmtPriceOffset')}


class OrderModifier:
    """``modify`` and the handling of IB's answer to it (mixed into IBBroker)."""

    ib: Any
    orderbyid: dict
    _modifying: dict
    _placing: dict
    _journal: Any

    if TYPE_CHECKING:  # IBBroker's, used here
        def _check(self, data: Any, fields: dict) -> dict: ...
        def notify(self, order: Any) -> None: ...
        def push_event(self, event: Any) -> None: ...

    def modify(self, order: Any, size: float | None = None, price: float | None = None,
               plimit: float | None = None, trailamount: float | None = None,
               trailpercent: float | None = None) -> bool:
        """Change a working order at IB (same order id): its size (unsigned, at
        least what has filled), price, limit price (StopLimit) or trail.

        The new values are checked as a new order's (``OrderCheckError`` names
        the reason) and put on the price grid. Returns False (a store
        notification says why) if nothing could be sent: not connected.
        """
        what = f'IBBroker.modify: order ref {order.ref}'
        if order.orderId is None and order.ref in self._placing:
            raise ValueError(f'{what} is still being sent (IB has not given it an id yet); '
                             'modify it at a later bar')
        known = self.orderbyid.get(order.orderId) if order.orderId is not None else None
        if id(known) != id(order):
            raise ValueError(f'{what} is not an order this client works at IB (an order '
                             'placed by another client id can only be changed by that client)')
        if not order.alive():
            raise ValueError(f'{what} is {order.getstatusname()}: only a working order can '
                             'be modified')
        if order.orderId in self._modifying:
            raise ValueError(f'{what}: IB has not confirmed its last modification yet')
        new = copy.copy(order.iborder)
        changes = self._changes(order, size, price, plimit, trailamount, trailpercent)
        fields = {k: getattr(new, k) for k in ('action', 'totalQuantity', 'orderType')}
        fields.update((k, getattr(new, k)) for k in _USES.get(new.orderType, ())
                      if _set(getattr(new, k, None)))
        fields.update(changes)
        try:
            checked = self._check(order.data, fields)
        except OrderCheckError as e:
            raise OrderCheckError(f'{what}: {e}') from None
        for k, v in checked.items():
            setattr(new, k, v)
        filled = abs(order.executed.size)
        if new.totalQuantity < filled - 1e-9:
            raise OrderCheckError(f'{what}: size {new.totalQuantity:g} is below what has '
                                  f'filled ({filled:g})')
        if not self.ib.isconnected():
            self.ib.put_notification(f'{what}: not connected to TWS/Gateway; nothing sent '
                                     '(the order stays as it was)')
            return False
        self._modifying[order.orderId] = (order.iborder, _bt_values(order))
        self._apply(order, new, size, price, plimit, trailamount, trailpercent)
        self._send(order, new)
        return True

    @staticmethod
    def _changes(order, size, price, plimit, trailamount, trailpercent) -> dict:
        et = order.exectype
        out: dict = {}
        if size is not None:
            out['totalQuantity'] = abs(size)
        pfield, lfield = _PRICE_FIELDS.get(et, (None, None))
        if price is not None:
            if pfield is None:
                raise ValueError(f'IBBroker.modify: order ref {order.ref} is a '
                                 f'{order.getordername()} order: it has no price to change')
            out[pfield] = price
        if plimit is not None:
            if lfield is None:
                raise ValueError(f'IBBroker.modify: order ref {order.ref} is a '
                                 f'{order.getordername()} order: plimit applies to StopLimit')
            out[lfield] = plimit
        trail = et in (OrderBase.StopTrail, OrderBase.StopTrailLimit)
        if (trailamount is not None or trailpercent is not None) and not trail:
            raise ValueError(f'IBBroker.modify: order ref {order.ref} is no trailing order')
        if trailamount is not None:
            if not _set(getattr(order.iborder, 'auxPrice', None)):
                raise ValueError(f'IBBroker.modify: order ref {order.ref} trails by a percent')
            out['auxPrice'] = trailamount
        if trailpercent is not None:
            if not _set(getattr(order.iborder, 'trailingPercent', None)):
                raise ValueError(f'IBBroker.modify: order ref {order.ref} trails by an amount')
            out['trailingPercent'] = trailpercent * 100.0
        if not out:
            raise ValueError(f'IBBroker.modify: order ref {order.ref}: nothing to change')
        return out

    def _apply(self, order, new, size, price, plimit, trailamount, trailpercent) -> None:
        sign = 1 if order.isbuy() else -1
        order.size = sign * new.totalQuantity
        order.executed.remsize = order.size - order.executed.size
        if price is not None:
            order.price = price
        if plimit is not None:
            order.pricelimit = plimit
        if trailamount is not None:
            order.trailamount = trailamount
        if trailpercent is not None:
            order.trailpercent = trailpercent
        order.iborder = new
        self._journal_values(order)

    def _journal_values(self, order) -> None:
        if self._journal is not None and order.orderRef:
            ib = order.iborder
            self._journal.order_update(
                order.orderRef, size=ib.totalQuantity,
                lmtPrice=ib.lmtPrice if _set(ib.lmtPrice) else None,
                auxPrice=ib.auxPrice if _set(ib.auxPrice) else None)

    def _send(self, order, new) -> None:
        store, orderId, contract = self.ib, order.orderId, order.data.tradecontract
        push = self.push_event

        def place() -> None:
            if not store.isconnected():
                push(ErrorEvent(orderId, 504, 'Not connected; modification not sent'))
                return
            try:
                store.ib.placeOrder(contract, new)
            except AssertionError:
                pass  # the library's bookkeeping: the message went out before it
        store.send_later(place)  # after the journal write of the new values

    def _modify_answer(self, order, ev: OpenOrderEvent) -> bool:
        """An openOrder while a modification is pending: True if it confirms it."""
        new = order.iborder
        if abs(ev.totalQuantity - new.totalQuantity) > 1e-9:
            return False
        for name in ('lmtPrice', 'auxPrice'):
            mine, theirs = getattr(new, name, None), getattr(ev, name)
            if _set(mine) and (theirs is None or abs(theirs - mine) > 1e-9):
                return False
        del self._modifying[ev.orderId]
        order.addinfo(modified=True)
        self.notify(order)
        return True

    def _modify_refused(self, order, code: int, text: str) -> None:
        """TWS refused the modification; the order works as before it."""
        old, values = self._modifying.pop(order.orderId)
        order.iborder = old
        for k, v in values.items():
            setattr(order, k, v)
        order.executed.remsize = order.size - order.executed.size
        self._journal_values(order)
        why = f'IB error {code}: {text}' if code else text
        order.addinfo(modify_refused=why)
        self.ib.put_notification(
            f'IBBroker: IB refused the modification of order ref {order.ref} (IB order '
            f'{order.orderId}): {why}; the order works as before')


def _set(x) -> bool:
    return x is not None and abs(x) < UNSET * 0.5


def _bt_values(order) -> dict:
    return {k: getattr(order, k) for k in ('size', 'price', 'pricelimit', 'trailamount',
                                           'trailpercent')}
