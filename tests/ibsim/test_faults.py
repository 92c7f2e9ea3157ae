"""Faults on demand, and bad input that must not hurt the gateway."""
import json
import socket
import struct
import time

import pytest

from backtrader_ib.ibsim.faults import load_scenario

from .conftest import START, errors_of, pump


def raw_client(port, client_id=9):
    s = socket.create_connection(("127.0.0.1", port), timeout=3)
    s.sendall(b"API\0" + struct.pack(">I", 9) + b"v157..176")
    send(s, ["71", "2", str(client_id), ""])
    return s


def send(s, fields):
    payload = "".join(f + "\0" for f in fields).encode()
    s.sendall(struct.pack(">I", len(payload)) + payload)


def test_bad_requests_get_tws_errors(sim, ib):
    errors = errors_of(ib)
    s = raw_client(sim.port)
    send(s, ["777", "1"])                                  # unknown message id
    send(s, ["20", "abc"])                                 # malformed request id
    send(s, ["9", "8", "5", "0", "NOPE", "STK", "", "0", "", "", "SMART", "", "USD", "", "", "0", "", ""])
    deadline = time.monotonic() + 10     # wait on the answers, not a fixed sleep (loaded CI)
    while True:
        codes = [int(f[3]) for f in sim.sent(4) if f[2] != "-1" or f[3] in ("505", "320")]
        if {505, 320, 200} <= set(codes) or time.monotonic() > deadline:
            break
        time.sleep(0.05)
    assert {505, 320, 200} <= set(codes)
    assert ib.reqCurrentTime().timestamp() == START.timestamp()     # the other client is fine
    s.close()
    assert not errors


def wait_for_drop(ib, seconds=0.3):
    try:                                  # a blocking call raises on the drop (as with TWS)
        ib.sleep(seconds)
    except ConnectionError:
        pass


def test_drop_clients_and_reconnect(sim, connect, lib):
    ib = connect(sim)
    dropped = []
    ib.disconnectedEvent += lambda: dropped.append(True)
    sim.drop_clients()
    wait_for_drop(ib)
    assert dropped and not ib.isConnected()
    ib.connect("127.0.0.1", sim.port, clientId=1, timeout=5)
    assert ib.isConnected()


def test_restart_on_same_port_keeps_ids(sim, connect, lib):
    ib = connect(sim, client_id=2)
    c = lib.Stock("AAPL", "SMART", "USD")
    ib.qualifyContracts(c)
    first = ib.placeOrder(c, lib.LimitOrder("BUY", 1, 1.0))
    pump(ib)
    port = sim.port
    sim.restart(down_for=0.2)
    assert sim.port == port
    wait_for_drop(ib)
    assert not ib.isConnected()
    ib.connect("127.0.0.1", port, clientId=2, timeout=5)
    assert ib.client.getReqId() > first.order.orderId
    assert [t.order.orderId for t in ib.openTrades()] == [first.order.orderId]


@pytest.mark.parametrize("code", [1100, 1101, 1102, 2103, 2104, 2105, 2106, 2107, 2108, 2158])
def test_system_messages(sim, ib, code):
    errors = errors_of(ib)
    sim.send_error(code)
    pump(ib)
    assert errors == [(-1, code)]


def test_connectivity_lost_then_restored(sim, ib, lib):
    c = lib.Stock("AAPL", "SMART", "USD")
    ib.qualifyContracts(c)
    bars = ib.reqRealTimeBars(c, 5, "TRADES", False)
    sim.connectivity_lost()
    pump(ib, sim, 20)
    assert len(bars) == 0
    sim.connectivity_restored(data_lost=False)
    pump(ib, sim, 10)
    assert len(bars) == 2
    sim.connectivity_lost()
    sim.connectivity_restored(data_lost=True)
    pump(ib, sim, 10)
    assert len(bars) == 2                                  # 1101: the client must resubscribe


def test_bust_event_makes_clients_resubscribe(sim, ib, lib):
    errors = errors_of(ib)
    c = lib.Stock("AAPL", "SMART", "USD")
    ib.qualifyContracts(c)
    bars = ib.reqRealTimeBars(c, 5, "TRADES", False)
    pump(ib, sim, 5)
    sim.bust_event()
    ib.sleep(0.1)
    pump(ib, sim, 20)
    # both clients answer 10225 by cancelling and re-requesting the bars themselves
    assert errors[-1][1] == 10225
    assert [r[2] for r in sim.requests(50)] == [str(bars.reqId)] * 2
    assert len(bars) == 5


def test_withheld_end_message_and_latency(sim, connect, lib):
    sim.withhold(62)                                        # positionEnd never comes
    t0 = time.monotonic()
    ib = connect(sim, timeout=1)
    assert ib.isConnected() and time.monotonic() - t0 >= 0.9
    sim.release()
    sim.set_latency(0.3)
    t0 = time.monotonic()
    ib.reqCurrentTime()
    assert time.monotonic() - t0 >= 0.3


def test_fail_next_and_delayed_duplicate_order_events(sim, ib, lib):
    errors = errors_of(ib)
    c = lib.Stock("AAPL", "SMART", "USD")
    ib.qualifyContracts(c)
    sim.fail_next(20, 162, "Historical Market Data Service error message:API historical data query cancelled")
    assert len(ib.reqHistoricalData(c, "", "1 D", "1 hour", "TRADES", True)) == 0
    assert errors[-1][1] == 162
    sim.duplicate_order_events()
    sim.delay_order_events(0.2)
    trade = ib.placeOrder(c, lib.MarketOrder("BUY", 1))
    ib.sleep(0.05)
    assert trade.orderStatus.status == "PendingSubmit"
    ib.sleep(0.4)
    assert trade.orderStatus.status == "Filled" and len(trade.fills) == 1
    assert len([f for f in sim.sent(11)]) == 2


def test_rate_limit_disconnects(sim, ib, lib):
    sim.limit_message_rate(50)
    ib.client.MaxRequests = 0                               # switch off the client's own throttle
    for _ in range(80):
        ib.client.reqCurrentTime()
    wait_for_drop(ib, 0.5)
    assert not ib.isConnected()
    assert any(f[3] == "100" for f in sim.sent(4))


def test_stalled_handshake(sim, lib):
    sim.stall_handshake()
    ib = lib.IB()
    with pytest.raises(BaseException):
        ib.connect("127.0.0.1", sim.port, clientId=1, timeout=0.5)
    assert not ib.isConnected()


def test_scenario_file(tmp_path, sim, ib):
    errors = errors_of(ib)
    path = tmp_path / "scenario.json"
    path.write_text(json.dumps([{"after": 0.1, "action": "send_error", "code": 2103},
                                {"after": 0.2, "action": "send_error", "code": 2104}]))
    sim.run_scenario(load_scenario(path)).join(2)
    pump(ib)
    assert [e[1] for e in errors] == [2103, 2104]
