"""The asyncio gateway: accepts clients, runs the handshake, routes
requests to handlers and pushes live data as the clock moves."""
from __future__ import annotations

import asyncio
import json
import logging
import os
import tempfile
import threading
from collections import deque
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from . import messages as m
from .account import Account
from .catalog import Catalog, Instrument, default_catalog
from .clock import Clock
from .faults import PORT_RESET, SYSTEM_MESSAGES, FaultState
from .handlers import Session
from .history import Pacing
from .hours import zone
from .orders import Execution, Order, OrderEngine
from .prices import PricePath, Quotes, SyntheticPath
from .protocol import (MAX_VERSION, MIN_VERSION)
from .session import LogEntry  # noqa: F401  (made by the session; api.py imports it here)

log = logging.getLogger("ibsim")


@dataclass
class Config:
    """How the simulated gateway behaves."""
    server_version: int = MAX_VERSION      # highest version offered (157..176)
    accounts: tuple = ("DU123456",)
    cash: float = 1_000_000.0
    base_currency: str = "USD"
    timezone: str = "US/Eastern"           # the "TWS login" zone used in times it sends
    seed: int = 0
    pacing: bool = True                    # enforce historical data pacing (error 162)
    farm_messages: bool = True             # 2104/2106/2158 after connecting
    state_file: str | None = None          # persist orders, positions and ids here
    log_size: int | None = 10_000          # messages kept in the traffic log (None: all)
    max_tickers: int = 100
    max_tick_by_tick: int = 3              # simultaneous tick-by-tick subscriptions (10190)
    trades_per_second: int = 1             # tick-by-tick/historical trade prints per traded second
    pump_interval: float = 0.05            # real seconds between live-data pushes


class TrafficLog(deque):
    """The newest messages (a deque with ``maxlen``); iterating walks a copy
    taken under a lock, so a test thread can read it while the gateway's
    thread appends (a bare deque raises "mutated during iteration")."""

    def __init__(self, iterable=(), maxlen: int | None = None) -> None:
        super().__init__(iterable, maxlen)
        self._lock = threading.RLock()

    def append(self, entry) -> None:
        with self._lock:
            super().append(entry)

    def __iter__(self):
        with self._lock:
            return iter(list(super().__iter__()))


class Gateway:
    """Shared state of the simulated TWS and its client sessions."""

    def __init__(self, config: Config | None = None, catalog: Catalog | None = None,
                 clock: Clock | None = None, data: dict | None = None):
        self._session_cls = Session
        self.config = config or Config()
        if not MIN_VERSION <= self.config.server_version <= MAX_VERSION:
            raise ValueError(f"server_version must be within {MIN_VERSION}..{MAX_VERSION}")
        self.catalog = catalog or default_catalog()
        self.clock = clock or Clock()
        self.paths: dict[int, PricePath] = dict(data or {})
        self._quotes: dict[int, Quotes] = {}
        self.faults = FaultState()
        self.pacing = Pacing(enabled=self.config.pacing)
        self.sessions: list = []
        # the newest messages only: a live feed sends thousands a second
        self.log: TrafficLog = TrafficLog(maxlen=self.config.log_size)
        self.loaded_state: str | None = None    # what _load_state found, in words
        self.server: asyncio.base_events.Server | None = None
        self.port = 0
        self.accounts = {a: Account(a, self.config.base_currency, {self.config.base_currency: self.config.cash})
                         for a in self.config.accounts}
        self.engine = OrderEngine(self.catalog, self.quotes, self.accounts, self.fx,
                                  self.config.timezone, self._on_order_event)
        self._load_state()
        self.last_step = self.clock.now()
        self.last_account_push = self.last_step
        self._pump_task: asyncio.Task | None = None
        self._conn_ids = iter(range(1, 1 << 30))
        self.market_data_type: dict[int, int] = {}

    # -- prices --------------------------------------------------------------

    def quotes(self, inst: Instrument) -> Quotes:
        q = self._quotes.get(inst.conId)
        if q is None:
            path = self.paths.get(inst.conId) or self.paths.get(inst.localSymbol) \
                or self.paths.get(inst.symbol if inst.secType == "STK" else None) \
                or SyntheticPath(inst, self.config.seed)
            q = self._quotes[inst.conId] = Quotes(inst, path, self.config.trades_per_second)
        return q

    def mark(self, inst: Instrument) -> float:
        x = self.quotes(inst).at(self.clock.now())
        return x["last"] if x["last"] == x["last"] else round(x["mid"], 6)

    def fx(self, ccy: str) -> float:
        """Value of one unit of ``ccy`` in the base currency."""
        base = self.config.base_currency
        if ccy in ("", base, "BASE"):
            return 1.0
        for inst in self.catalog:
            if inst.secType == "CASH":
                if inst.symbol == ccy and inst.currency == base:
                    return self.quotes(inst).at(self.clock.now())["mid"]
                if inst.symbol == base and inst.currency == ccy:
                    return 1.0 / self.quotes(inst).at(self.clock.now())["mid"]
        return 1.0

    # -- lifecycle -------------------------------------------------------------

    async def start(self, host: str = "127.0.0.1", port: int = 0) -> int:
        self.server = await asyncio.start_server(self._accept, host, port, reuse_address=True)
        self.port = self.server.sockets[0].getsockname()[1]
        if not self.clock.stepped and self._pump_task is None:
            self._pump_task = asyncio.ensure_future(self._pump())
        return self.port

    async def stop(self) -> None:
        """Stop listening and drop every client (state stays for a restart)."""
        if self._pump_task:
            self._pump_task.cancel()
            self._pump_task = None
        if self.server:
            self.server.close()
            await self.server.wait_closed()
            self.server = None
        self.drop_clients()
        self.save_state()

    async def move(self, host: str, port: int = 0) -> int:
        """Listen on a new port, tell the clients (1300), drop them, close the old port."""
        old, clients = self.server, list(self.sessions)
        self.server = await asyncio.start_server(self._accept, host, port, reuse_address=True)
        self.port = self.server.sockets[0].getsockname()[1]
        self.broadcast_error(1300, PORT_RESET.format(port=self.port))
        await asyncio.sleep(0.05)                       # let the message go out first
        for s in clients:                               # not those already on the new port
            s.close(abort=True)
        if old is not None:
            old.close()
            await old.wait_closed()
        return self.port

    def drop_clients(self) -> None:
        for s in list(self.sessions):
            s.close(abort=True)

    async def _accept(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        session = self._session_cls(self, reader, writer, next(self._conn_ids))
        self.sessions.append(session)
        try:
            await session.run()
        except (ConnectionResetError, BrokenPipeError):
            log.info("session %s: the client went away", session.conn)  # e.g. killed
        except Exception:                               # never let one client kill the gateway
            log.exception("session %s failed", session.conn)
        finally:
            session.close()
            if session in self.sessions:
                self.sessions.remove(session)

    # -- time -------------------------------------------------------------------

    async def _pump(self) -> None:
        while True:
            await asyncio.sleep(self.config.pump_interval)
            try:
                self.step()
            except Exception:
                log.exception("live data step failed")

    def step(self) -> None:
        """Push everything that happened between the last step and now."""
        now = self.clock.now()
        t0, t1 = int(self.last_step), int(now)
        self.last_step = now
        if t1 <= t0:
            return
        self.engine.step(t0, t1)
        if not self.faults.connectivity_lost:
            for s in list(self.sessions):
                s.stream(t0, t1)
        if now - self.last_account_push >= 180:          # TWS refreshes accounts every 3 min
            self.last_account_push = now
            for s in list(self.sessions):
                s.push_account()

    # -- order events ---------------------------------------------------------------

    def _on_order_event(self, kind: str, order: Order, execution: Execution | None = None,
                        code: int = 0, text: str = "") -> None:
        owners = [s for s in self.sessions if s.ready and s.client_id == order.client_id]
        for s in owners:
            s.order_event(kind, order, execution, code, text)
        if kind == "fill":
            for s in self.sessions:
                if s.ready:
                    s.position_changed(order.account, order.inst)
        self.save_state()

    # -- system messages ----------------------------------------------------------------

    def broadcast_error(self, code: int, text: str | None = None, req_id: int = -1) -> None:
        text = text or SYSTEM_MESSAGES.get(code, f"ibsim error {code}")
        for s in self.sessions:
            if s.ready:
                s.send(m.error(s.sv, req_id, code, text))

    # -- persistence ------------------------------------------------------------------------

    def save_state(self) -> None:
        path = self.config.state_file
        if not path:
            return
        state = {"engine": self.engine.to_dict(),
                 "accounts": [a.to_dict() for a in self.accounts.values()]}
        # a new file of our own (O_EXCL, mode 0600) renamed over the old one: a
        # planted file or symlink is neither followed nor written through
        target = Path(path)
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
        try:
            with os.fdopen(fd, "w") as fh:
                fh.write(json.dumps(state))
            os.replace(tmp, target)
        except BaseException:
            try:
                os.unlink(tmp)
            except OSError:
                pass
            raise

    def _load_state(self) -> None:
        path = self.config.state_file
        if not path or not Path(path).exists():
            return
        state = json.loads(Path(path).read_text())
        self.engine.load(state.get("engine", {}))
        for d in state.get("accounts", []):
            self.accounts[d["name"]] = Account.from_dict(d)
        self.engine.accounts = self.accounts
        positions = sum(1 for a in self.accounts.values() for p in a.positions.values() if p.qty)
        working = sum(1 for o in self.engine.orders.values() if o.working)
        self.loaded_state = (f"{positions} position{'s' * (positions != 1)}, "
                             f"{working} working order{'s' * (working != 1)}, "
                             f"{len(self.engine.executions)} executions")

    def conn_time(self) -> str:
        t = datetime.fromtimestamp(self.clock.now(), zone(self.config.timezone))
        return t.strftime("%Y%m%d %H:%M:%S ") + (t.tzname() or "EST")
