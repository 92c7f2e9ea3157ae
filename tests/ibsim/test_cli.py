"""The command line gateway as an outside client sees it, including a kill -9."""
import os
import signal
import socket
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start(port, state, *extra):
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    proc = subprocess.Popen(
        [sys.executable, "-m", "backtrader_ib.ibsim", "--port", str(port), "--speed", "60",
         "--state", str(state), "--start", "2024-03-05T15:00:00+00:00", *extra],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    line = proc.stdout.readline()
    assert f"127.0.0.1:{port}" in line, proc.stderr.read()
    return proc


@pytest.fixture
def gateway(tmp_path):
    procs = []
    port, state = free_port(), tmp_path / "state.json"

    def run():
        procs.append(start(port, state))
        return port
    run.procs = procs
    yield run
    for p in procs:
        if p.poll() is None:
            p.send_signal(signal.SIGTERM)
            p.wait(10)


def test_outside_client_session(gateway, lib):
    port = gateway()
    ib = lib.IB()
    ib.connect("127.0.0.1", port, clientId=1, timeout=5)
    assert ib.reqCurrentTime().year == 2024
    c = lib.Stock("AAPL", "SMART", "USD")
    (cd,) = ib.reqContractDetails(c)
    ib.qualifyContracts(c)
    assert cd.contract.conId == c.conId == 265598
    assert len(ib.reqHistoricalData(c, "", "5 D", "1 day", "TRADES", True)) == 5
    assert len(ib.reqHistoricalData(c, "", "2 D", "1 hour", "TRADES", True)) >= 7
    t = ib.reqMktData(c, "233")
    bars = ib.reqRealTimeBars(c, 5, "TRADES", False)
    rt = []
    t.updateEvent += lambda tk: rt.extend(x for x in tk.ticks if x.tickType == 48)
    ib.sleep(0.6)                                   # ~36 simulated seconds at 60x
    assert rt and len(bars) >= 3
    trade = ib.placeOrder(c, lib.MarketOrder("BUY", 10))
    limit = ib.placeOrder(c, lib.LimitOrder("BUY", 10, 1.0))
    ib.sleep(0.3)
    assert trade.orderStatus.status == "Filled" and trade.fills[0].commissionReport.commission > 0
    ib.cancelOrder(limit.order)
    ib.sleep(0.3)
    assert limit.orderStatus.status == "Cancelled"
    ib.disconnect()


def test_kill_and_restart(gateway, lib):
    port = gateway()
    ib = lib.IB()
    ib.connect("127.0.0.1", port, clientId=4, timeout=5)
    c = lib.Stock("MSFT", "SMART", "USD")
    ib.qualifyContracts(c)
    trade = ib.placeOrder(c, lib.MarketOrder("BUY", 7))
    ib.sleep(0.3)
    assert trade.orderStatus.status == "Filled"
    ib.disconnect()
    # SIGKILL: no chance to clean up; the state file was written at the fill
    gateway.procs[-1].kill()
    gateway.procs[-1].wait(10)
    ib2 = lib.IB()
    gateway()
    ib2.connect("127.0.0.1", port, clientId=4, timeout=5)
    try:
        assert [p.position for p in ib2.positions()] == [7]
        assert ib2.client.getReqId() > trade.order.orderId
    finally:
        ib2.disconnect()
