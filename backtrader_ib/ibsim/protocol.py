"""TWS socket protocol: framing, handshake and field encoding.

Every message after the client's raw ``API\\0`` greeting is a 4-byte
big-endian length followed by NUL-terminated text fields.
"""
from __future__ import annotations

import math
import re
import struct
from dataclasses import dataclass
from typing import Iterable, Iterator

HEADER = struct.Struct(">I")
GREETING = b"API\0"
MAX_FRAME = 1 << 24          # larger lengths can only be garbage
MIN_VERSION = 157            # oldest server version both clients accept
MAX_VERSION = 176            # newest one whose layout ibsim emits
UNSET_DOUBLE = 1.7976931348623157e308
UNSET_INTEGER = 2**31 - 1


class ProtocolError(Exception):
    """The peer sent bytes that cannot be a TWS message."""


def encode_field(value: object) -> str:
    """Text for one field, as TWS writes it."""
    if value is None:
        return ""
    if hasattr(value, "item") and not isinstance(value, (str, bytes)):
        value = value.item()              # numpy scalar -> Python number
    if isinstance(value, bool):          # before int: bool is an int
        return "1" if value else "0"
    if isinstance(value, float):
        value = float(value)
        if value == UNSET_DOUBLE:
            return "1.7976931348623157E308"
        if math.isnan(value):
            return ""
        if value.is_integer() and abs(value) < 1e15:
            return str(int(value))
        return repr(round(value, 10))
    return str(value)


def frame(fields: Iterable[object]) -> bytes:
    """One length-prefixed message holding ``fields``."""
    payload = "".join(encode_field(f) + "\0" for f in fields).encode()
    return HEADER.pack(len(payload)) + payload


class FrameReader:
    """Incremental decoder: feed bytes, get back complete field lists."""

    def __init__(self) -> None:
        self._buf = bytearray()

    def feed(self, data: bytes) -> list[list[str]]:
        self._buf += data
        out = []
        while len(self._buf) >= HEADER.size:
            (size,) = HEADER.unpack_from(self._buf)
            if size > MAX_FRAME:
                raise ProtocolError(f"frame of {size} bytes")
            end = HEADER.size + size
            if len(self._buf) < end:
                break
            payload = bytes(self._buf[HEADER.size:end]).decode(errors="backslashreplace")
            del self._buf[:end]
            fields = payload.split("\0")
            if fields and fields[-1] == "":
                fields.pop()
            out.append(fields)
        return out


@dataclass(frozen=True)
class Hello:
    """The client's version range and connect options."""
    min_version: int
    max_version: int
    options: str = ""


_HELLO = re.compile(r"v(\d+)(?:\.\.(\d+))?\s*(.*)", re.S)


def parse_hello(payload: bytes) -> Hello:
    """Parse ``v157..176 +PACEAPI`` (the frame after ``API\\0``)."""
    m = _HELLO.fullmatch(payload.decode(errors="replace").strip("\0"))
    if not m:
        raise ProtocolError(f"bad version string {payload[:40]!r}")
    lo = int(m.group(1))
    hi = int(m.group(2) or lo)
    return Hello(lo, hi, m.group(3).strip())


def negotiate(hello: Hello, server_max: int) -> int | None:
    """Highest version both sides speak, or None when there is none."""
    version = min(hello.max_version, server_max)
    if version < max(hello.min_version, MIN_VERSION):
        return None
    return version


class BadRequest(Exception):
    """A request TWS would answer with an error message."""

    def __init__(self, req_id: int, code: int, text: str):
        super().__init__(f"{code}: {text}")
        self.req_id, self.code, self.text = req_id, code, text


class Fields:
    """Sequential, typed reader over one incoming message.

    Malformed values raise BadRequest 320, which is what TWS answers
    when it cannot parse a request.
    """

    def __init__(self, fields: list[str]):
        self.raw = fields
        self._it: Iterator[str] = iter(fields)
        self.msg_id = self.int()
        self.req_id = -1          # set by handlers once known, for errors

    def str(self) -> str:
        return next(self._it, "")

    def int(self, default: int = 0) -> int:
        text = self.str().strip()
        if not text:
            return default
        try:
            return int(text)
        except ValueError:
            try:
                value = float(text)
            except ValueError:
                raise self._bad(text) from None
            if not value.is_integer():
                raise self._bad(text)
            return int(value)

    def float(self, default: float = 0.0) -> float:
        text = self.str().strip()
        if not text:
            return default
        if text == "Infinite":
            return math.inf
        try:
            return float(text)
        except ValueError:
            raise self._bad(text) from None

    def bool(self) -> bool:
        return self.int() != 0

    def skip(self, n: int = 1) -> None:
        for _ in range(n):
            self.str()

    def _bad(self, text: str) -> BadRequest:
        msg_id = getattr(self, "msg_id", "?")
        return BadRequest(
            self.req_id, 320,
            f"Error reading request. Message id {msg_id}. Unable to parse data. "
            f'java.lang.NumberFormatException: For input string: "{text}"')
