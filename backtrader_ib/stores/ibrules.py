"""IB's market rules: the price increments of a contract, which can vary with the price.

A contract's details name one market rule per valid exchange (``marketRuleIds``,
in the order of ``validExchanges``); ``reqMarketRule`` gives the rule's
``(lowEdge, increment)`` pairs. The increment of the highest lowEdge at or
below a price applies at that price (e.g. US equity options in the penny
program: 0.01 below 3.00, 0.05 from 3.00). An IBData asks for its traded
contract's rule when it starts (``fetch_rule``: it waits for the answer, as
it waits for the contract's details), so the first order is checked on the
rule. A rule not known then is asked for in the background (placing an order
never waits for IB) and kept for the run; until IB answers, the contract's
``minTick`` is used.
"""
from __future__ import annotations

from typing import Any

__all__ = ('MarketRules', 'rule_id_for', 'fetch_rule')


def rule_id_for(contract: Any, details: Any) -> int:
    """The market rule id that applies to orders on ``contract`` (0: none named)."""
    ids = [x.strip() for x in str(getattr(details, 'marketRuleIds', '') or '').split(',')]
    ids = [x for x in ids if x]
    if not ids:
        return 0
    exchanges = [x.strip() for x in str(getattr(details, 'validExchanges', '') or '').split(',')]
    exchange = getattr(contract, 'exchange', '') or ''
    pick = exchanges.index(exchange) if exchange in exchanges else 0
    try:
        return int(ids[pick] if pick < len(ids) else ids[0])
    except ValueError:
        return 0


def _increments(got) -> tuple | None:
    """A reqMarketRule answer as sorted ``(lowEdge, increment)`` pairs (None: none)."""
    if not got:
        return None
    return tuple(sorted((float(p.lowEdge), float(p.increment)) for p in got))


def fetch_rule(store: Any, contract: Any, details: Any, timeout: float = 5.0) -> int:
    """Ask IB for the market rule of orders on ``contract`` and wait for it (strategy
    thread, a feed's start); kept in ``store.market_rules``. The rule id, 0 if none
    is named; a rule IB did not give is left to ``MarketRules`` (asked again)."""
    rid = rule_id_for(contract, details)
    if not rid or rid in store.market_rules or not store.isconnected():
        return rid
    try:
        rule = _increments(store.call(store.ib.reqMarketRuleAsync(rid), timeout=timeout))
    except Exception:  # no answer in time, or the connection dropped: asked again later
        rule = None
    if rule is not None:
        store.market_rules[rid] = rule
    return rid


class MarketRules:
    """The increments of market rules, asked of IB through a store without ever
    waiting on it (an order placed before IB answered is checked by minTick)."""

    tries = 3          # the client libraries give reqMarketRule 1 s to answer

    def __init__(self, store: Any) -> None:
        self.store = store
        # the store's: the rules its feeds fetched when they started are known here
        self.rules: dict[int, tuple] = store.market_rules
        self.asked: dict[int, Any] = {}     # rule id -> the request's future
        self.tried: dict[int, int] = {}
        self.failed: set[int] = set()
        self.seen = 0                       # feeds looked at by ``prefetch``

    def prefetch(self, datas) -> None:
        """Ask for the rules of the feeds' traded contracts (strategy thread)."""
        if not self.store.isconnected():
            return  # asked again at the next bar
        ready = [d for d in datas if getattr(d, 'tradecontract', None) is not None]
        self.seen = len(datas)
        for d in ready:
            self.increments(d.tradecontract, getattr(d, 'tradedetails', None))

    def increments(self, contract: Any, details: Any) -> tuple[int, tuple | None]:
        """(rule id, ((lowEdge, increment), ...)) for orders on ``contract``; (0, None)
        when no rule is named or IB has not answered (yet): minTick applies."""
        rid = rule_id_for(contract, details)
        if not rid or rid in self.failed:
            return 0, None
        rule = self.rules.get(rid)
        if rule is not None:
            return rid, rule
        fut = self.asked.get(rid)
        if fut is not None and fut.done():
            got = None if fut.cancelled() or fut.exception() else fut.result()
            rule = _increments(got)
            if rule is not None:
                self.rules[rid] = rule
                return rid, rule
            fut = None
            if self.tried.get(rid, 0) >= self.tries:
                self.failed.add(rid)
                self.store.put_notification(
                    f'IBBroker: IB did not answer for market rule {rid}; prices are checked '
                    'against the contract\'s minTick only')
                return 0, None
        if fut is None and self.store.isconnected():
            self.tried[rid] = self.tried.get(rid, 0) + 1
            self.asked[rid] = self.store.submit(self.store.ib.reqMarketRuleAsync(rid))
        return 0, None

    def known(self, contract: Any, details: Any) -> tuple[int, tuple | None]:
        """The rule if it is known now (never asks)."""
        rid = rule_id_for(contract, details)
        return (rid, self.rules[rid]) if rid in self.rules else (0, None)
