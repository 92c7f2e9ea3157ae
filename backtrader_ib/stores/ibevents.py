"""What the store's loop thread hands to the broker and the feeds: frozen, typed events.

The loop thread makes them from the client library's messages and queues
them; the strategy thread reads them in ``IBBroker.next``. They are frozen
copies, never the library's live objects, so nothing is shared and mutated
across the thread boundary.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

__all__ = ('OrderStatusEvent', 'OpenOrderEvent', 'ExecutionEvent', 'CommissionEvent',
           'ErrorEvent', 'PositionsEvent', 'PositionEvent', 'PlacedEvent', 'PlaceFailedEvent',
           'BarItem', 'TickItem', 'QuoteItem', 'StatusItem', 'EndItem')


@dataclass(frozen=True, slots=True)
class OrderStatusEvent:
    """orderStatus: TWS's status of one order."""
    orderId: int
    status: str
    filled: float
    remaining: float
    avgFillPrice: float
    permId: int = 0
    clientId: int = 0


@dataclass(frozen=True, slots=True)
class OpenOrderEvent:
    """openOrder: an order TWS knows (ours, or another client's with reqAllOpenOrders)."""
    orderId: int
    permId: int
    status: str
    clientId: int = 0
    orderRef: str = ''
    conId: int = 0
    action: str = ''
    totalQuantity: float = 0.0
    orderType: str = ''
    lmtPrice: float | None = None
    auxPrice: float | None = None
    tif: str = ''
    parentId: int = 0
    ocaGroup: str = ''
    account: str = ''
    contract: Any = field(default=None, compare=False)


@dataclass(frozen=True, slots=True)
class ExecutionEvent:
    """execDetails: one fill, identified by its execId."""
    execId: str
    orderId: int
    permId: int
    conId: int
    side: str            # BOT / SLD
    shares: float
    price: float
    time: Any            # datetime (aware) as the library parsed it
    orderRef: str = ''
    clientId: int = 0

    @property
    def size(self) -> float:
        """Signed size: positive for a buy."""
        return self.shares if self.side in ('BOT', 'BUY') else -self.shares


@dataclass(frozen=True, slots=True)
class CommissionEvent:
    """commissionReport for one execution."""
    execId: str
    commission: float
    realizedPNL: float


@dataclass(frozen=True, slots=True)
class ErrorEvent:
    """error: a TWS message about a request (an order id for orders)."""
    reqId: int
    code: int
    text: str


@dataclass(frozen=True, slots=True)
class PositionsEvent:
    """IB's positions of the account after a (re)connection: conId -> (size, avgCost, contract)."""
    positions: dict
    when: str = 'after reconnecting'


@dataclass(frozen=True, slots=True)
class PositionEvent:
    """position / updatePortfolio while connected: IB's size of one contract."""
    account: str
    conId: int
    size: float
    avgCost: float
    contract: Any = field(default=None, compare=False)


@dataclass(frozen=True, slots=True)
class PlacedEvent:
    """The loop gave an order its id and sent it (before any status of it)."""
    ref: int
    orderId: int


@dataclass(frozen=True, slots=True)
class PlaceFailedEvent:
    """The loop could not send an order (not connected, its parent not sent, the
    journal write failed): the broker rejects it with ``reason``."""
    ref: int
    reason: str


# -- a feed's queue (ibstream -> IBData) -----------------------------------------------

@dataclass(frozen=True, slots=True)
class BarItem:
    """A bar; ``dt`` is its end as a day number (UTC)."""
    dt: float
    open: float
    high: float
    low: float
    close: float
    volume: float
    openinterest: float = 0.0


@dataclass(frozen=True, slots=True)
class TickItem:
    """A trade or quote; ``dt`` is its time as a day number (UTC)."""
    dt: float
    price: float
    size: float


@dataclass(frozen=True, slots=True)
class QuoteItem:
    """A tick-by-tick bid/ask quote; ``dt`` is its time as a day number (UTC)."""
    dt: float
    bid: float
    ask: float
    bidsize: float
    asksize: float


@dataclass(frozen=True, slots=True)
class StatusItem:
    """A feed status: DELAYED, LIVE, CONNBROKEN, NOTSUBSCRIBED, DISCONNECTED,
    NOTSUPPORTED or UNKNOWN, with (code, text) for some."""
    name: str
    args: tuple = ()


@dataclass(frozen=True, slots=True)
class EndItem:
    """A historical download is over (``ok``: it got everything)."""
    ok: bool
