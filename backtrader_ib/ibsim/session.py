"""One client connection: handshake, framing, sending, logging, rate limits."""
from __future__ import annotations

import asyncio
import logging
import time
from collections import deque
from dataclasses import dataclass
from typing import TYPE_CHECKING

from . import messages as m
from .protocol import (GREETING, HEADER, FrameReader, ProtocolError, frame,
                       negotiate, parse_hello)

if TYPE_CHECKING:
    from .server import Gateway

log = logging.getLogger("ibsim")


@dataclass
class LogEntry:
    """One message in the gateway's traffic log."""
    time: float             # real time
    direction: str          # "in" or "out"
    conn: int               # connection number
    client_id: int | None
    fields: list


class Connection:
    """Socket side of a session; the request handlers build on it."""

    def __init__(self, gw: "Gateway", reader: asyncio.StreamReader, writer: asyncio.StreamWriter, conn: int):
        self.gw, self.reader, self.writer, self.conn = gw, reader, writer, conn
        self.sv = 0
        self.client_id: int | None = None
        self.ready = False                       # startApi accepted
        self.closed = False
        self._times: deque = deque()

    async def run(self) -> None:
        if not await self._handshake():
            return
        frames = FrameReader()
        while not self.closed:
            data = await self.reader.read(65536)
            if not data:
                return
            try:
                messages = frames.feed(data)
            except ProtocolError as e:
                log.warning("conn %s: %s", self.conn, e)
                return
            for fields in messages:
                if self.closed:
                    return
                self._record("in", fields)
                if self._rate_exceeded():
                    return
                self.dispatch(fields)

    async def _handshake(self) -> bool:
        try:
            greeting = await self.reader.readexactly(len(GREETING))
            if greeting != GREETING:
                return False
            size = HEADER.unpack(await self.reader.readexactly(HEADER.size))[0]
            if size > 4096:
                return False
            hello = parse_hello(await self.reader.readexactly(size))
        except (asyncio.IncompleteReadError, ConnectionError, ProtocolError):
            return False
        self._record("in", ["API", f"v{hello.min_version}..{hello.max_version}", hello.options])
        if self.gw.faults.stall_handshake:
            await self.reader.read()             # hold the socket open, say nothing
            return False
        sv = negotiate(hello, self.gw.config.server_version)
        if sv is None:
            return False
        self.sv = sv
        self.send(m.handshake(sv, self.gw.conn_time()))
        return True

    def _rate_exceeded(self) -> bool:
        limit = self.gw.faults.max_msg_rate
        if not limit:
            return False
        now = time.monotonic()
        self._times.append(now)
        while self._times and now - self._times[0] > 1.0:
            self._times.popleft()
        if len(self._times) <= limit:
            return False
        self.send(m.error(self.sv, -1, 100, f"Max rate of messages per second has been exceeded:"
                                             f"max={limit} rec={len(self._times)} (1)"))
        self.close()
        return True

    def send(self, fields: list, delay: float = 0.0) -> None:
        if self.closed or (fields and fields[0] in self.gw.faults.withhold and self.sv):
            return
        delay += self.gw.faults.latency
        if delay > 0:
            asyncio.get_running_loop().call_later(delay, self._write, fields)
        else:
            self._write(fields)

    def _write(self, fields: list) -> None:
        if self.closed:
            return
        self._record("out", fields)
        try:
            self.writer.write(frame(fields))
        except Exception:                         # the peer vanished; run() notices
            self.close(abort=True)

    def _record(self, direction: str, fields: list) -> None:
        self.gw.log.append(LogEntry(time.time(), direction, self.conn, self.client_id,
                                    [str(f) if not isinstance(f, str) else f for f in fields]))

    def close(self, abort: bool = False) -> None:
        if self.closed:
            return
        self.closed = True
        self.ready = False
        self.on_close()
        try:
            if abort and self.writer.transport is not None:
                self.writer.transport.abort()
            else:
                self.writer.close()
        except Exception:
            pass

    def on_close(self) -> None:
        """Hook for the request layer to drop subscriptions."""

    def dispatch(self, fields: list[str]) -> None:
        raise NotImplementedError
