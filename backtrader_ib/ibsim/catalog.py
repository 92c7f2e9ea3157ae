"""Instruments the simulated gateway knows, and contract look-up."""
from __future__ import annotations

import json
from dataclasses import dataclass, fields, replace
from datetime import date, timedelta
from pathlib import Path
from typing import Iterable

from .hours import ALWAYS, Hours

US_STOCK = Hours("US/Eastern", "0400-2000", "0930-1600")
US_INDEX = Hours("US/Eastern", "0930-1615", "0930-1600")
US_OPTION = Hours("US/Eastern", "0930-1600", "0930-1600")
CME = Hours("US/Central", "1700-1600", "0830-1500")
FX = Hours("US/Eastern", "1715-1700", "1715-1700")
XETRA = Hours("MET", "0800-2200", "0900-1730")


@dataclass(frozen=True)
class Instrument:
    """One tradable contract plus the parameters of its simulated prices."""
    conId: int
    symbol: str
    secType: str
    currency: str
    exchange: str                      # default exchange (SMART for stocks)
    primaryExchange: str = ""
    localSymbol: str = ""
    tradingClass: str = ""
    lastTradeDate: str = ""            # YYYYMMDD for derivatives
    strike: float = 0.0
    right: str = ""
    multiplier: str = ""
    minTick: float = 0.01
    longName: str = ""
    stockType: str = ""
    industry: str = ""
    category: str = ""
    subcategory: str = ""
    underConId: int = 0
    underSymbol: str = ""
    underSecType: str = ""
    hours: Hours = US_STOCK
    secIds: tuple = ()                 # ((tag, value), ...)
    exchanges: tuple = ()              # valid exchanges besides ``exchange``
    price: float = 100.0               # price level around 2024 (synthetic)
    vol: float = 0.25                  # annualised volatility (synthetic)
    listed: str = "20000103"           # first day with data (headTimeStamp)
    subscribed: bool = True            # has a live market data subscription
    sizeIncrement: float = 1.0
    # price increments that vary with the price: ((lowEdge, increment), ...); () = minTick
    increments: tuple = ()

    @property
    def price_increments(self) -> tuple:
        return self.increments or ((0.0, self.minTick or 0.01),)

    @property
    def market_rule(self) -> int:
        return market_rule_id(self.price_increments)

    @property
    def valid_exchanges(self) -> tuple:
        return (self.exchange,) + tuple(e for e in self.exchanges if e != self.exchange)

    @property
    def mult(self) -> float:
        return float(self.multiplier or 1)

    @property
    def is_tradable(self) -> bool:
        return self.secType not in ("IND", "CONTFUT")

    @property
    def has_trades(self) -> bool:
        """FX quotes only; indexes have a last price but no volume."""
        return self.secType != "CASH"

    @property
    def has_quotes(self) -> bool:
        return self.secType != "IND"

    def expired(self, today: date) -> bool:
        return bool(self.lastTradeDate) and self.lastTradeDate < f"{today:%Y%m%d}"

    def to_dict(self) -> dict:
        d = {f.name: getattr(self, f.name) for f in fields(self)}
        d["hours"] = vars(self.hours).copy()
        d["secIds"] = [list(p) for p in self.secIds]
        d["exchanges"] = list(self.exchanges)
        d["increments"] = [list(p) for p in self.increments]
        return d

    @classmethod
    def from_dict(cls, d: dict) -> "Instrument":
        d = dict(d)
        if isinstance(d.get("hours"), dict):
            d["hours"] = Hours(**d["hours"])
        elif isinstance(d.get("hours"), str):
            d["hours"] = HOURS_BY_NAME[d["hours"]]
        d["secIds"] = tuple(tuple(p) for p in d.get("secIds", ()))
        d["exchanges"] = tuple(d.get("exchanges", ()))
        d["increments"] = tuple(tuple(p) for p in d.get("increments", ()))
        return cls(**d)


# market rules (reqMarketRule): id -> ((lowEdge, increment), ...). The ids are
# ibsim's own; a table not listed gets the next free id when first asked for.
MARKET_RULES: dict[int, tuple] = {
    26: ((0.0, 0.01),),                  # cents (US stocks, indexes)
    32: ((0.0, 0.25),),                  # quarter points (ES, BTC)
    239: ((0.0, 0.00005),),              # half pips (FX majors)
    240: ((0.0, 0.005),),                # USD.JPY
    60: ((0.0, 0.01), (3.0, 0.05)),      # US equity options, penny program
    111: ((0.0, 0.05),),
    112: ((0.0, 0.1),),
}


def market_rule_id(increments: tuple) -> int:
    """The rule id of an increments table (registered if new)."""
    table = tuple((float(e), float(i)) for e, i in increments)
    for rid, known in MARKET_RULES.items():
        if known == table:
            return rid
    rid = max(MARKET_RULES) + 1
    MARKET_RULES[rid] = table
    return rid


HOURS_BY_NAME = {"us_stock": US_STOCK, "us_index": US_INDEX, "us_option": US_OPTION,
                 "cme": CME, "fx": FX, "xetra": XETRA, "always": ALWAYS}


@dataclass
class Query:
    """The contract fields a client sent (the 12-field contract block)."""
    conId: int = 0
    symbol: str = ""
    secType: str = ""
    lastTradeDate: str = ""
    strike: float = 0.0
    right: str = ""
    multiplier: str = ""
    exchange: str = ""
    primaryExchange: str = ""
    currency: str = ""
    localSymbol: str = ""
    tradingClass: str = ""
    includeExpired: bool = False
    secIdType: str = ""
    secId: str = ""

    @classmethod
    def read(cls, f) -> "Query":
        """Read the 12-field contract block from a protocol.Fields reader."""
        return cls(f.int(), f.str(), f.str(), f.str(), f.float(), f.str(),
                   f.str(), f.str(), f.str(), f.str(), f.str(), f.str())

    def describe(self) -> str:
        return self.localSymbol or self.symbol or str(self.conId)


_RIGHTS = {"C": "C", "CALL": "C", "P": "P", "PUT": "P"}


def _third_friday(year: int, month: int) -> date:
    d = date(year, month, 15)
    return d + timedelta(days=(4 - d.weekday()) % 7)


class Catalog:
    """A searchable set of instruments."""

    def __init__(self, instruments: Iterable[Instrument] = ()):
        self._by_id: dict[int, Instrument] = {}
        for inst in instruments:
            self.add(inst)

    def add(self, inst: Instrument) -> None:
        self._by_id[inst.conId] = inst

    def __iter__(self):
        return iter(self._by_id.values())

    def __len__(self) -> int:
        return len(self._by_id)

    def get(self, con_id: int) -> Instrument | None:
        return self._by_id.get(con_id)

    def find(self, q: Query, today: date) -> list[Instrument]:
        """All instruments matching the non-empty fields of ``q``."""
        sec_type = q.secType.upper()
        if sec_type == "CONTFUT":
            front = self._front_future(q, today)
            return [replace(front, secType="CONTFUT")] if front else []
        if q.conId:
            inst = self._by_id.get(q.conId)
            cands = [inst] if inst else []
        else:
            cands = list(self._by_id.values())
        out = []
        for inst in cands:
            if not q.conId and not (q.symbol or q.localSymbol or q.secId):
                continue
            if q.symbol and inst.symbol.upper() != q.symbol.upper():
                continue
            if sec_type and inst.secType != sec_type:
                continue
            if q.currency and inst.currency != q.currency.upper():
                continue
            if q.exchange and q.exchange.upper() not in inst.valid_exchanges:
                continue
            if q.primaryExchange and q.primaryExchange.upper() not in (inst.primaryExchange, inst.exchange):
                continue
            if q.localSymbol and inst.localSymbol.upper() != q.localSymbol.upper():
                continue
            if q.tradingClass and inst.tradingClass != q.tradingClass:
                continue
            if q.lastTradeDate and not inst.lastTradeDate.startswith(q.lastTradeDate):
                continue
            if q.strike and abs(inst.strike - q.strike) > 1e-9:
                continue
            if q.right and q.right not in ("0", "?") and inst.right != _RIGHTS.get(q.right.upper(), q.right):
                continue
            if q.multiplier and q.multiplier not in ("0", "") and float(inst.multiplier or 1) != float(q.multiplier):
                continue
            if q.secId and (q.secIdType.upper(), q.secId) not in inst.secIds:
                continue
            if inst.expired(today) and not q.includeExpired and not q.conId:
                continue
            out.append(inst)
        return out

    def _front_future(self, q: Query, today: date) -> Instrument | None:
        futs = [i for i in self if i.secType == "FUT" and i.symbol == q.symbol.upper()
                and not i.expired(today)
                and (not q.exchange or q.exchange.upper() in i.valid_exchanges)]
        return min(futs, key=lambda i: i.lastTradeDate, default=None)

    def search(self, pattern: str) -> list[Instrument]:
        """reqMatchingSymbols: symbols starting with, then containing, the pattern."""
        p = pattern.upper()
        if not p:
            return []
        plain = [i for i in self if i.secType in ("STK", "CASH", "IND", "CRYPTO", "CFD")]
        starts = [i for i in plain if i.symbol.startswith(p)]
        rest = [i for i in plain if p in i.symbol and i not in starts
                or p in i.longName.upper() and i not in starts]
        seen, out = set(), []
        for i in starts + rest:
            if i.conId not in seen:
                seen.add(i.conId)
                out.append(i)
        return out[:16]

    def derivatives(self, underlying: Instrument) -> list[Instrument]:
        return [i for i in self if i.underConId == underlying.conId and i.secType in ("OPT", "FOP")]

    def save(self, path: str | Path) -> None:
        Path(path).write_text(json.dumps([i.to_dict() for i in self], indent=1))

    @classmethod
    def load(cls, path: str | Path, base: "Catalog | None" = None) -> "Catalog":
        """Instruments from a JSON list of dicts, added on top of ``base``."""
        cat = cls(base or ())
        for d in json.loads(Path(path).read_text()):
            cat.add(Instrument.from_dict(d))
        return cat


def _stock(conId, symbol, primary, price, name, currency="USD", **kw) -> Instrument:
    return Instrument(conId, symbol, "STK", currency, "SMART", primaryExchange=primary,
                      localSymbol=symbol, tradingClass=kw.pop("tradingClass", primary if currency != "USD" else symbol),
                      longName=name, price=price, exchanges=(primary,), **kw)


def default_catalog() -> Catalog:
    """Well-known US stocks, an ETF, FX, ES futures and options, SPX, a CFD and BTC."""
    cat = Catalog([
        _stock(265598, "AAPL", "NASDAQ", 170.0, "APPLE INC", stockType="COMMON",
               industry="Technology", category="Computers", subcategory="Computers",
               secIds=(("ISIN", "US0378331005"),), listed="19801212", vol=0.28),
        _stock(272093, "MSFT", "NASDAQ", 400.0, "MICROSOFT CORP", stockType="COMMON",
               industry="Technology", category="Software", subcategory="Applications Software",
               secIds=(("ISIN", "US5949181045"),), listed="19860313", vol=0.25),
        _stock(8314, "IBM", "NYSE", 185.0, "INTL BUSINESS MACHINES CORP", stockType="COMMON",
               industry="Technology", category="Computers", subcategory="Computer Services",
               secIds=(("ISIN", "US4592001014"),), vol=0.2),
        _stock(756733, "SPY", "ARCA", 510.0, "SPDR S&P 500 ETF TRUST", stockType="ETF",
               industry="Funds", category="Equity Fund", subcategory="Growth&Income-Large Cap",
               secIds=(("ISIN", "US78462F1030"),), listed="19930129", vol=0.15),
        # SAP trades in New York (USD ADR) and on IBIS (EUR): ambiguous without a currency.
        _stock(4991, "SAP", "NYSE", 190.0, "SAP SE-SPONSORED ADR", stockType="ADR",
               secIds=(("ISIN", "US8030542042"),), vol=0.22),
        _stock(14204, "SAP", "IBIS", 175.0, "SAP SE", currency="EUR", hours=XETRA,
               stockType="COMMON", secIds=(("ISIN", "DE0007164600"),), vol=0.22),
        Instrument(12087792, "EUR", "CASH", "USD", "IDEALPRO", localSymbol="EUR.USD",
                   tradingClass="EUR.USD", minTick=0.00005, longName="European Monetary Union Euro",
                   hours=FX, price=1.085, vol=0.07, sizeIncrement=1.0),
        Instrument(15016059, "USD", "CASH", "JPY", "IDEALPRO", localSymbol="USD.JPY",
                   tradingClass="USD.JPY", minTick=0.005, longName="US Dollar", hours=FX,
                   price=150.0, vol=0.09),
        Instrument(12087797, "GBP", "CASH", "USD", "IDEALPRO", localSymbol="GBP.USD",
                   tradingClass="GBP.USD", minTick=0.00005, longName="British pound", hours=FX,
                   price=1.27, vol=0.08),
        Instrument(416904, "SPX", "IND", "USD", "CBOE", localSymbol="SPX", minTick=0.01,
                   longName="S&P 500 Stock Index", hours=US_INDEX, price=5100.0, vol=0.15,
                   listed="19900102"),
        Instrument(13455763, "IBUS500", "CFD", "USD", "SMART", localSymbol="IBUS500",
                   tradingClass="IBUS500", minTick=0.1, longName="US 500 (CFD)",
                   hours=CME, price=5105.0, vol=0.15, multiplier="1"),
        Instrument(479624278, "BTC", "CRYPTO", "USD", "PAXOS", localSymbol="BTC.USD",
                   tradingClass="BTC", minTick=0.25, longName="Bitcoin", hours=ALWAYS,
                   price=65000.0, vol=0.6, listed="20180101", sizeIncrement=0.0001),
    ])
    _add_es(cat)
    _add_options(cat, cat.get(265598), "AAPL", "SMART", "100", [150.0, 160.0, 170.0, 180.0, 190.0])
    return cat


def _add_es(cat: Catalog) -> None:
    """ES quarterlies 2022-2026 (the older ones are expired) plus options on one."""
    n = 0
    for year in range(2022, 2027):
        for month in (3, 6, 9, 12):
            expiry = _third_friday(year, month)
            code = "HMUZ"[month // 3 - 1]
            cat.add(Instrument(
                495512000 + n, "ES", "FUT", "USD", "CME", localSymbol=f"ES{code}{year % 10}",
                tradingClass="ES", lastTradeDate=f"{expiry:%Y%m%d}", multiplier="50",
                minTick=0.25, longName="E-mini S&P 500", hours=CME, price=5110.0 + 10 * n,
                vol=0.15, underConId=11004968, underSymbol="ES", underSecType="IND",
                listed=f"{year - 1}{month:02d}01"))
            n += 1
    es = next(i for i in cat if i.localSymbol == "ESM4")
    _add_options(cat, es, "ES", "CME", "50", [5000.0, 5100.0, 5200.0], sec_type="FOP",
                 expiries=[es.lastTradeDate])


def _add_options(cat: Catalog, und: Instrument, symbol: str, exchange: str, mult: str,
                 strikes: list[float], sec_type: str = "OPT", expiries: list[str] | None = None) -> None:
    expiries = expiries or [f"{_third_friday(2024, m):%Y%m%d}" for m in (3, 4, 6, 9, 12)]
    base = 700000000 + und.conId % 100000 * 100
    n = 0
    for exp in expiries:
        for k in strikes:
            for right in "CP":
                local = (f"{symbol:<6}{exp[2:]}{right}{int(k * 1000):08d}" if sec_type == "OPT"
                         else f"{symbol}{exp[4:6]}{exp[2:4]} {right}{int(k)}")
                cat.add(Instrument(
                    base + n, symbol, sec_type, "USD", exchange, localSymbol=local,
                    tradingClass=symbol, lastTradeDate=exp, strike=k, right=right,
                    multiplier=mult, minTick=0.01 if sec_type == "OPT" else 0.05,
                    increments=((0.0, 0.01), (3.0, 0.05)) if sec_type == "OPT" else (),
                    longName=und.longName, hours=US_OPTION if sec_type == "OPT" else CME,
                    price=max(1.0, (und.price - k if right == "C" else k - und.price)) + und.price * 0.03,
                    vol=0.6, underConId=und.conId, underSymbol=symbol, underSecType=und.secType,
                    exchanges=("CBOE",) if sec_type == "OPT" else (), listed="20230101"))
                n += 1
