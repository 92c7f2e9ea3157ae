"""Accounts: cash per currency, positions, P&L and the values TWS reports."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

from .catalog import Instrument

# products settled by variation margin rather than by paying the full price
MARGINED = ("FUT", "FOP", "CFD")
INIT_MARGIN = {"STK": 0.25, "OPT": 1.0, "FUT": 0.08, "FOP": 0.1, "CFD": 0.1, "CASH": 0.03,
               "CRYPTO": 1.0}


@dataclass
class Position:
    qty: float = 0.0
    avg_cost: float = 0.0        # per unit, times the multiplier, commissions included
    realized: float = 0.0


def commission_for(inst: Instrument, qty: float, price: float) -> float:
    """IBKR Pro fixed-rate style commissions, in the instrument's currency."""
    qty = abs(qty)
    value = qty * price * inst.mult
    if inst.secType == "STK":
        return round(min(max(1.0, 0.005 * qty), 0.01 * value), 4)
    if inst.secType in ("FUT", "FOP"):
        return round(0.85 * qty, 4)
    if inst.secType == "OPT":
        return round(max(1.0, 0.65 * qty), 4)
    if inst.secType == "CASH":
        return round(max(2.0, 0.00002 * value), 4)
    if inst.secType == "CRYPTO":
        return round(max(1.75, 0.0018 * value), 4)
    return round(max(1.0, 0.00005 * value), 4)


@dataclass
class Account:
    name: str
    base: str = "USD"
    cash: dict = field(default_factory=dict)           # currency -> balance
    positions: dict = field(default_factory=dict)      # conId -> Position
    realized: float = 0.0                              # in base currency

    def fill(self, inst: Instrument, qty: float, price: float, commission: float,
             fx: Callable[[str], float]) -> float | None:
        """Book a fill of signed ``qty``; returns the realized P&L it closed, if any."""
        pos = self.positions.setdefault(inst.conId, Position())
        mult = inst.mult
        ccy = inst.currency
        realized = None
        if pos.qty and (pos.qty > 0) != (qty > 0):         # reducing or flipping
            closed = min(abs(qty), abs(pos.qty)) * (1 if pos.qty > 0 else -1)
            realized = closed * (price * mult - pos.avg_cost) - commission
            pos.realized += realized
            self.realized += realized * fx(ccy)
            rest = pos.qty - closed
            if abs(qty) > abs(closed):                    # flipped: new position at price
                pos.qty = qty + closed
                pos.avg_cost = price * mult
            else:
                pos.qty = rest
                if rest == 0:
                    pos.avg_cost = 0.0
        else:
            new = pos.qty + qty
            pos.avg_cost = (pos.avg_cost * pos.qty + price * mult * qty + commission) / new
            pos.qty = new
        if inst.secType in MARGINED:
            # only realized P&L and commissions move cash
            self.cash[ccy] = self.cash.get(ccy, 0.0) + (realized if realized is not None else -commission)
        elif inst.secType == "CASH":
            self.cash[inst.symbol] = self.cash.get(inst.symbol, 0.0) + qty
            self.cash[ccy] = self.cash.get(ccy, 0.0) - qty * price - commission
        else:
            self.cash[ccy] = self.cash.get(ccy, 0.0) - qty * price * mult - commission
        return realized

    def portfolio(self, lookup: Callable[[int], Instrument | None],
                  mark: Callable[[Instrument], float]) -> list[tuple]:
        """(inst, qty, price, market value, avg cost, unrealized, realized) per position."""
        rows = []
        for con_id, pos in self.positions.items():
            inst = lookup(con_id)
            if inst is None:
                continue
            price = mark(inst)
            value = pos.qty * price * inst.mult
            unreal = value - pos.qty * pos.avg_cost if pos.qty else 0.0
            rows.append((inst, pos.qty, price, round(value, 2), pos.avg_cost, round(unreal, 2),
                         round(pos.realized, 2)))
        return rows

    def values(self, lookup, mark, fx: Callable[[str], float]) -> list[tuple[str, str, str]]:
        """(key, value, currency) rows as reqAccountUpdates sends them."""
        rows = self.portfolio(lookup, mark)
        stock_value = sum(r[3] * fx(r[0].currency) for r in rows if r[0].secType not in MARGINED + ("CASH",))
        unreal = sum(r[5] * fx(r[0].currency) for r in rows)
        margined_unreal = sum(r[5] * fx(r[0].currency) for r in rows if r[0].secType in MARGINED)
        gross = sum(abs(r[3]) * fx(r[0].currency) for r in rows if r[0].secType != "CASH")
        init = sum(abs(r[3]) * fx(r[0].currency) * INIT_MARGIN.get(r[0].secType, 0.5)
                   for r in rows if r[0].secType != "CASH")
        cash_base = sum(v * fx(c) for c, v in self.cash.items())
        net_liq = cash_base + stock_value + margined_unreal
        excess = net_liq - init * 0.8
        avail = net_liq - init
        out = [("AccountCode", self.name, ""), ("AccountType", "INDIVIDUAL", ""),
               ("AccountReady", "true", ""), ("Currency", self.base, self.base)]
        money = {
            "NetLiquidation": net_liq, "TotalCashValue": cash_base, "SettledCash": cash_base,
            "AccruedCash": 0.0, "BuyingPower": max(0.0, avail) * 4, "AvailableFunds": avail,
            "ExcessLiquidity": excess, "EquityWithLoanValue": net_liq,
            "GrossPositionValue": gross, "InitMarginReq": init, "MaintMarginReq": init * 0.8,
            "FullInitMarginReq": init, "FullMaintMarginReq": init * 0.8,
            "FullAvailableFunds": avail, "FullExcessLiquidity": excess,
            "Cushion": excess / net_liq if net_liq else 0.0,
        }
        for key, value in money.items():
            out.append((key, f"{value:.2f}" if key != "Cushion" else f"{value:.6f}", self.base))
        currencies = sorted(set(self.cash) | {r[0].currency for r in rows} | {self.base})
        for ccy in currencies:
            cash = self.cash.get(ccy, 0.0)
            ccy_rows = [r for r in rows if r[0].currency == ccy]
            stock = sum(r[3] for r in ccy_rows if r[0].secType not in MARGINED + ("CASH",))
            upnl = sum(r[5] for r in ccy_rows)
            rpnl = sum(r[6] for r in ccy_rows)
            for key, value in (("CashBalance", cash), ("TotalCashBalance", cash),
                               ("StockMarketValue", stock), ("UnrealizedPnL", upnl),
                               ("RealizedPnL", rpnl), ("ExchangeRate", fx(ccy)),
                               ("NetLiquidationByCurrency", cash + stock + sum(
                                   r[5] for r in ccy_rows if r[0].secType in MARGINED))):
                out.append((key, f"{value:.2f}" if key != "ExchangeRate" else f"{value:.6f}", ccy))
        out += [("CashBalance", f"{cash_base:.2f}", "BASE"), ("TotalCashBalance", f"{cash_base:.2f}", "BASE"),
                ("StockMarketValue", f"{stock_value:.2f}", "BASE"), ("UnrealizedPnL", f"{unreal:.2f}", "BASE"),
                ("RealizedPnL", f"{self.realized:.2f}", "BASE"), ("ExchangeRate", "1.00", "BASE"),
                ("NetLiquidationByCurrency", f"{net_liq:.2f}", "BASE")]
        return out

    def to_dict(self) -> dict:
        return {"name": self.name, "base": self.base, "cash": self.cash, "realized": self.realized,
                "positions": {str(k): vars(p) for k, p in self.positions.items()}}

    @classmethod
    def from_dict(cls, d: dict) -> "Account":
        return cls(d["name"], d["base"], dict(d["cash"]),
                   {int(k): Position(**p) for k, p in d["positions"].items()}, d["realized"])
