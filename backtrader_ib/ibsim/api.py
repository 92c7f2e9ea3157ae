"""Test-facing API: run a simulated gateway on a background thread."""
from __future__ import annotations

import asyncio
import threading
from datetime import datetime
from typing import Any, Iterable

from .catalog import Catalog
from .clock import Clock
from .faults import SYSTEM_MESSAGES, FailRule, ScenarioStep
from .market import RealTimeBars
from .prices import BarsPath, PricePath
from .server import Config, Gateway, LogEntry


class IBSim:
    """A simulated TWS / IB Gateway listening on 127.0.0.1.

    >>> with IBSim(start=datetime(2024, 3, 5, 15, tzinfo=timezone.utc)) as sim:
    ...     ib.connect("127.0.0.1", sim.port, clientId=1)
    ...     sim.advance(60)          # a stepped clock: one simulated minute

    ``speed=None`` (the default) gives a clock that only moves on
    :meth:`advance`; ``speed=1`` runs in real time, ``speed=60`` a minute
    per second. Every fault method is safe to call from the test thread.
    """

    def __init__(self, port: int = 0, host: str = "127.0.0.1", *, start: datetime | float | None = None,
                 speed: float | None = None, catalog: Catalog | None = None,
                 data: dict[Any, Any] | None = None, **config: Any):
        self.host = host
        self._want_port = port
        self.clock = Clock(start, speed)
        paths = {k: (v if isinstance(v, PricePath) else BarsPath(v)) for k, v in (data or {}).items()}
        self.gateway = Gateway(Config(**config), catalog, self.clock, paths)
        self._loop = asyncio.new_event_loop()
        self._thread: threading.Thread | None = None
        self.port = 0

    # -- lifecycle -------------------------------------------------------------

    def start(self) -> "IBSim":
        self._thread = threading.Thread(target=self._loop.run_forever, name="ibsim", daemon=True)
        self._thread.start()
        self.port = self._call(self.gateway.start(self.host, self._want_port))
        return self

    def stop(self) -> None:
        if self._thread is None:
            return
        self._call(self.gateway.stop())
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(5)
        self._thread = None
        self._loop.close()

    def __enter__(self) -> "IBSim":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    @property
    def address(self) -> tuple[str, int]:
        return self.host, self.port

    def _call(self, what, timeout: float = 30.0):
        """Run a coroutine or a plain function on the gateway's loop and wait."""
        if asyncio.iscoroutine(what):
            return asyncio.run_coroutine_threadsafe(what, self._loop).result(timeout)

        async def run():
            return what()
        return asyncio.run_coroutine_threadsafe(run(), self._loop).result(timeout)

    # -- time ------------------------------------------------------------------

    def now(self) -> float:
        return self.clock.now()

    def advance(self, seconds: float) -> None:
        """Move the clock and push the ticks, bars and fills of that time."""
        def step():
            self.clock.advance(seconds)
            self.gateway.step()
        self._call(step)

    # -- introspection ---------------------------------------------------------

    @property
    def log(self) -> list[LogEntry]:
        return list(self.gateway.log)

    def requests(self, msg_id: int | None = None, client_id: int | None = None) -> list[list[str]]:
        """Incoming messages (as field lists), optionally one type / client only."""
        return [e.fields for e in self.gateway.log if e.direction == "in"
                and (msg_id is None or e.fields[0] == str(msg_id))
                and (client_id is None or e.client_id == client_id)]

    def sent(self, msg_id: int | None = None, client_id: int | None = None) -> list[list[str]]:
        """Outgoing messages, like :meth:`requests`."""
        return [e.fields for e in self.gateway.log if e.direction == "out"
                and (msg_id is None or e.fields[0] == str(msg_id))
                and (client_id is None or e.client_id == client_id)]

    def clients(self) -> list[int]:
        return self._call(lambda: [s.client_id for s in self.gateway.sessions if s.ready])

    def positions(self, account: str | None = None) -> dict[int, float]:
        acct = self.gateway.accounts[account or self.gateway.config.accounts[0]]
        return self._call(lambda: {k: p.qty for k, p in acct.positions.items() if p.qty})

    # -- faults ------------------------------------------------------------------

    def drop_clients(self) -> None:
        """Close every client socket abruptly (the gateway keeps listening)."""
        self._call(self.gateway.drop_clients)

    def restart(self, down_for: float = 0.0) -> None:
        """Stop listening, drop clients, wait ``down_for`` real seconds, listen again
        on the same port. Orders, positions and order ids survive."""
        port = self.port
        self._call(self.gateway.stop())
        if down_for:
            threading.Event().wait(down_for)
        self.port = self._call(self.gateway.start(self.host, port))

    def reset_port(self, port: int = 0) -> int:
        """TWS's socket port reset: listen on ``port`` (0: a free one), send 1300
        naming it, drop every client and stop listening on the old port."""
        self.port = self._call(self.gateway.move(self.host, port))
        self._want_port = self.port
        return self.port

    def late_trade(self, con_id: int, price: float, size: float, at: datetime | float) -> None:
        """A trade reported late: an RTVolume tick stamped ``at`` (a datetime or
        epoch seconds, usually in the past) to every tick-233 subscription of ``con_id``."""
        when = at.timestamp() if isinstance(at, datetime) else float(at)

        def send():
            from . import messages as m
            from .market import RT_VOLUME, MktData
            for s in self.gateway.sessions:
                for req_id, st in list(s.streams.items()):
                    if isinstance(st, MktData) and st.inst.conId == con_id and "233" in st.generic:
                        s.send(m.tick_string(req_id, RT_VOLUME, f"{price};{size:g};"
                                             f"{int(when * 1000)};{size:g};{price};true"))
        self._call(send)

    def trade_elsewhere(self, con_id: int, qty: float, account: str | None = None) -> None:
        """A fill no API client is told of (a trade typed into TWS, an assignment):
        the position and cash change at the mark price; portfolio updates follow."""
        def trade():
            gw = self.gateway
            inst = gw.catalog.get(con_id)
            acct = gw.accounts[account or gw.config.accounts[0]]
            acct.fill(inst, qty, gw.mark(inst), 0.0, gw.fx)
            for s in list(gw.sessions):
                if s.ready:
                    s.position_changed(acct.name, inst)
            gw.save_state()
        self._call(trade)

    def set_order_limits(self, size: float | None = 1_000_000.0, value: float | None = None) -> None:
        """TWS's precautionary settings: orders above ``size`` get 383, worth more
        than ``value`` (in the contract's currency) 451. None: no limit."""
        def setl():
            self.gateway.engine.size_limit, self.gateway.engine.value_limit = size, value
        self._call(setl)

    def inactivate_next(self, count: int = 1) -> None:
        """The next ``count`` orders go Inactive as soon as they are placed."""
        self._call(lambda: setattr(self.gateway.faults, "inactive_orders", count))

    def send_error(self, code: int, text: str | None = None, req_id: int = -1) -> None:
        """Send an error / system message (1100, 2104, ...) to every client."""
        self._call(lambda: self.gateway.broadcast_error(code, text, req_id))

    def connectivity_lost(self) -> None:
        """Error 1100; live data stops until :meth:`connectivity_restored`."""
        def lost():
            self.gateway.faults.connectivity_lost = True
            self.gateway.broadcast_error(1100)
        self._call(lost)

    def connectivity_restored(self, data_lost: bool = True) -> None:
        """1101 (subscriptions are gone: clients must resubscribe) or 1102 (kept)."""
        def restored():
            gw = self.gateway
            gw.faults.connectivity_lost = False
            gw.last_step = gw.clock.now()         # the outage's ticks are never delivered
            if data_lost:
                for s in gw.sessions:
                    s.streams.clear()
            gw.broadcast_error(1101 if data_lost else 1102)
        self._call(restored)

    def bust_event(self) -> None:
        """Error 10225 on every real-time bar subscription, which then stops."""
        def bust():
            for s in self.gateway.sessions:
                for req_id, stream in list(s.streams.items()):
                    if isinstance(stream, RealTimeBars):
                        del s.streams[req_id]
                        from . import messages as m
                        s.send(m.error(s.sv, req_id, 10225, SYSTEM_MESSAGES[10225]))
        self._call(bust)

    def unsubscribe(self, con_id: int) -> None:
        """Pretend the account has no market data subscription for ``con_id`` (354)."""
        self._call(lambda: self.gateway.faults.unsubscribed.add(con_id))

    def set_latency(self, seconds: float) -> None:
        self.gateway.faults.latency = seconds

    def withhold(self, *msg_ids: int) -> None:
        """Never send messages with these ids (e.g. 55 execDetailsEnd)."""
        self.gateway.faults.withhold |= set(msg_ids)

    def release(self, *msg_ids: int) -> None:
        self.gateway.faults.withhold -= set(msg_ids or self.gateway.faults.withhold)

    def fail_next(self, msg_id: int, code: int, text: str, count: int = 1) -> None:
        """Answer the next ``count`` requests of type ``msg_id`` with an error."""
        self._call(lambda: self.gateway.faults.fail.append(FailRule(msg_id, code, text, count)))

    def limit_message_rate(self, per_second: int = 50) -> None:
        """Disconnect clients that send more than ``per_second`` messages (error 100)."""
        self.gateway.faults.max_msg_rate = per_second

    def delay_order_events(self, seconds: float) -> None:
        self.gateway.faults.order_event_delay = seconds

    def duplicate_order_events(self, on: bool = True) -> None:
        self.gateway.faults.duplicate_order_events = on

    def stall_handshake(self, on: bool = True) -> None:
        """Accept connections but never answer the handshake."""
        self.gateway.faults.stall_handshake = on

    def set_pacing(self, on: bool) -> None:
        self.gateway.pacing.enabled = on
        self.gateway.pacing.reset()

    def run_scenario(self, steps: Iterable[ScenarioStep]) -> threading.Thread:
        """Play scenario steps (method name + kwargs) at their real-time offsets."""
        def play():
            t0 = threading.Event()
            elapsed = 0.0
            for step in steps:
                t0.wait(max(0.0, step.after - elapsed))
                elapsed = step.after
                if self._thread is None:
                    return
                getattr(self, step.action)(**step.args)
        thread = threading.Thread(target=play, name="ibsim-scenario", daemon=True)
        thread.start()
        return thread
