"""Handshake and connect for both client libraries at both server versions."""
import socket
import struct

import pytest

from backtrader_ib.ibsim.protocol import FrameReader

from .conftest import START, VERSIONS


@pytest.mark.parametrize("version", VERSIONS)
def test_connect_answers_every_startup_request(make_sim, connect, version):
    sim = make_sim(server_version=version)
    ib = connect(sim, client_id=0)
    assert ib.client.serverVersion() == version
    assert ib.managedAccounts() == ["DU123456"]
    assert ib.reqCurrentTime().timestamp() == START.timestamp()
    got = {int(f[0]) for f in sim.requests(client_id=0)}
    # startApi, auto open orders, positions, open/completed orders, account updates, executions
    assert {15, 61, 5, 99, 6, 76, 7} <= got
    assert sim.requests(71)[0][:3] == ["71", "2", "0"]
    assert any(v.tag == "NetLiquidation" and float(v.value) == 1_000_000 for v in ib.accountValues())


def test_negotiates_the_clients_maximum(make_sim, lib):
    sim = make_sim(server_version=176)
    ib = lib.IB()
    ib.connect("127.0.0.1", sim.port, clientId=3, timeout=5)
    try:
        assert ib.client.serverVersion() == min(176, ib.client.MaxClientVersion)
    finally:
        ib.disconnect()


def test_multiple_accounts(make_sim, connect):
    sim = make_sim(accounts=("DU111", "DU222"), cash=50_000.0)
    ib = connect(sim)
    assert ib.managedAccounts() == ["DU111", "DU222"]
    ib.sleep(0.1)
    nl = {v.account: float(v.value) for v in ib.accountValues() if v.tag == "NetLiquidation" and v.currency == "USD"}
    assert nl == {"DU111": 50_000.0, "DU222": 50_000.0}


def _raw_hello(port, text: bytes):
    s = socket.create_connection(("127.0.0.1", port), timeout=3)
    s.sendall(b"API\0" + struct.pack(">I", len(text)) + text)
    return s


def _read_frames(s, n=1, timeout=3.0):
    s.settimeout(timeout)
    reader, out = FrameReader(), []
    while len(out) < n:
        data = s.recv(65536)
        if not data:
            break
        out += reader.feed(data)
    return out


def test_version_below_range_is_refused(sim):
    s = _raw_hello(sim.port, b"v100..150")
    s.settimeout(3)
    assert s.recv(100) == b""          # TWS hangs up
    s.close()


def test_raw_handshake_and_start_api(sim):
    s = _raw_hello(sim.port, b"v157..200 +PACEAPI")
    (hello,) = _read_frames(s)
    assert len(hello) == 2 and hello[0] == "176"
    msg = "71\x002\x007\x00\x00".encode()
    s.sendall(struct.pack(">I", len(msg)) + msg)
    frames = _read_frames(s, 2)
    assert sorted(f[0] for f in frames[:2]) == ["15", "9"]
    assert all(len(f) == 3 for f in frames[:2])
    s.close()


def test_fragmented_frames_are_reassembled(sim):
    s = socket.create_connection(("127.0.0.1", sim.port), timeout=3)
    data = b"API\0" + struct.pack(">I", 9) + b"v157..176"
    for i in range(0, len(data), 3):
        s.sendall(data[i:i + 3])
    (hello,) = _read_frames(s)
    assert hello[0] == "176"
    s.close()


def test_duplicate_client_id_gets_326(sim, connect, lib):
    connect(sim, client_id=5)
    other = lib.IB()
    seen = []
    other.errorEvent += lambda rid, code, *a: seen.append(code)
    with pytest.raises(BaseException):
        other.connect("127.0.0.1", sim.port, clientId=5, timeout=1)
    assert 326 in [int(f[3]) for f in sim.sent(4) if len(f) > 3]
    assert sim.clients() == [5]


def test_garbage_does_not_hurt_other_clients(sim, ib):
    s = socket.create_connection(("127.0.0.1", sim.port), timeout=3)
    s.sendall(b"GET / HTTP/1.1\r\n\r\n")
    s.settimeout(3)
    assert s.recv(10) == b""
    s.close()
    assert ib.reqCurrentTime().timestamp() == START.timestamp()
