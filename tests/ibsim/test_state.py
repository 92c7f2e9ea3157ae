"""ibsim's state file (private directory, safe writes, told when loaded,
--fresh), the non-loopback warning and the bounded traffic log."""
from __future__ import annotations

import json
import os
import signal
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from backtrader_ib.ibsim import IBSim
from backtrader_ib.cli.ibsim import build, is_loopback, parse_args, state_dir

from .conftest import START

ROOT = Path(__file__).resolve().parents[2]
AAPL = 265598


def test_default_state_file_is_in_a_private_per_user_directory(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "xdg"))
    sim = build(parse_args(["--port", "7599"]))
    path = Path(sim.gateway.config.state_file)
    assert path == tmp_path / "xdg" / "backtrader_ib" / "ibsim" / "ibsim-7599.json"
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    # a directory left open by an earlier umask is made private again
    path.parent.chmod(0o755)
    assert stat.S_IMODE(state_dir().stat().st_mode) == 0o700
    # without XDG_STATE_HOME: under ~/.local/state
    monkeypatch.delenv("XDG_STATE_HOME")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert state_dir() == tmp_path / "home" / ".local" / "state" / "backtrader_ib" / "ibsim"
    assert build(parse_args(["--port", "0"])).gateway.config.state_file is None  # no fixed port


def test_state_dir_that_is_a_symlink_is_refused(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path))
    (tmp_path / "backtrader_ib").mkdir()
    (tmp_path / "elsewhere").mkdir()
    (tmp_path / "backtrader_ib" / "ibsim").symlink_to(tmp_path / "elsewhere")
    with pytest.raises(SystemExit, match="not a directory of yours"):
        state_dir()


def test_state_dir_that_cannot_be_made_is_a_clear_error(tmp_path, monkeypatch):
    (tmp_path / "file").write_text("")
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "file"))   # a file, not a directory
    with pytest.raises(SystemExit, match="cannot make the state directory .*--state none"):
        build(parse_args(["--port", "7599"]))


def test_state_write_follows_no_planted_link(tmp_path):
    victim = tmp_path / "victim.txt"
    victim.write_text("precious")
    state = tmp_path / "ibsim-7497.json"
    (tmp_path / "ibsim-7497.tmp").symlink_to(victim)     # the old code wrote through this
    sim = IBSim(start=START, state_file=str(state)).start()
    try:
        sim.trade_elsewhere(AAPL, 10)
    finally:
        sim.stop()
    assert victim.read_text() == "precious"
    assert stat.S_IMODE(state.stat().st_mode) == 0o600
    saved = json.loads(state.read_text())
    assert saved["accounts"][0]["positions"][str(AAPL)]["qty"] == 10
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "ibsim-7497.json", "ibsim-7497.tmp", "victim.txt"]      # no temp file left behind


def _state_with_a_position(path: Path) -> None:
    sim = IBSim(start=START, state_file=str(path)).start()
    try:
        sim.trade_elsewhere(AAPL, 7)
    finally:
        sim.stop()


def test_loaded_state_is_described_and_fresh_ignores_it(tmp_path):
    state = tmp_path / "s.json"
    _state_with_a_position(state)
    sim = build(parse_args(["--port", "0", "--state", str(state)]))
    assert sim.gateway.loaded_state == "1 position, 0 working orders, 0 executions"
    assert sim.gateway.accounts["DU123456"].positions[AAPL].qty == 7
    sim = build(parse_args(["--port", "0", "--state", str(state), "--fresh"]))
    assert sim.gateway.loaded_state is None
    assert not any(p.qty for p in sim.gateway.accounts["DU123456"].positions.values())
    assert sim.gateway.config.state_file == str(state)       # kept from now on


def _start(*args: str, env: dict | None = None) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "backtrader_ib", "ibsim", "--port", "0", "--speed", "60", *args],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        env=dict(os.environ, PYTHONPATH=str(ROOT), **(env or {})))


def _first_lines(proc: subprocess.Popen, n: int) -> list[str]:
    try:
        return [proc.stdout.readline() for _ in range(n)]
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(20)


def test_command_says_when_it_loads_old_state(tmp_path):
    state = tmp_path / "s.json"
    _state_with_a_position(state)
    out = _first_lines(_start("--state", str(state)), 2)
    assert "listening on 127.0.0.1:" in out[0]
    assert out[1].strip() == (f"ibsim: state loaded from {state}: 1 position, 0 working "
                              f"orders, 0 executions (--fresh starts without it)")
    out = _first_lines(_start("--state", str(state), "--fresh"), 2)
    assert out[1].strip() == f"ibsim: state kept in {state}"


def test_command_warns_when_not_on_loopback():
    proc = _start("--host", "0.0.0.0", "--state", "none")
    out = _first_lines(proc, 1)
    err = proc.stderr.read()
    assert "listening on 0.0.0.0:" in out[0]
    assert "warning: listening on 0.0.0.0: anyone who can reach this port" in err
    proc = _start("--state", "none")
    _first_lines(proc, 1)
    assert "warning" not in proc.stderr.read()


@pytest.mark.parametrize("host, loopback", [
    ("127.0.0.1", True), ("::1", True), ("localhost", True), ("127.0.0.2", True),
    ("0.0.0.0", False), ("", False), ("::", False), ("192.168.1.10", False),
])
def test_is_loopback(host, loopback):
    assert is_loopback(host) is loopback


def test_traffic_log_keeps_the_newest_messages(make_sim, connect):
    sim = make_sim(log_size=40)
    ib = connect(sim)
    for _ in range(60):
        ib.reqCurrentTime()
    log = sim.log
    assert len(log) == 40
    assert log[-1].direction == "out" and log[-1].fields[0] == "49"     # the last CURRENT_TIME
    assert len(sim.requests(49)) == 20                    # 40 messages: 20 asked, 20 answered
    assert [e.time for e in log] == sorted(e.time for e in log)
    assert make_sim().gateway.log.maxlen == 10_000        # the default bound


def test_log_size_option():
    assert parse_args([]).log_size == 10_000
    sim = build(parse_args(["--port", "0", "--log-size", "0"]))
    assert sim.gateway.log.maxlen is None                 # 0: keep everything
    assert build(parse_args(["--port", "0", "--log-size", "5"])).gateway.log.maxlen == 5


def test_help_names_the_command(capsys):
    from backtrader_ib import cli
    with pytest.raises(SystemExit):
        cli.main(["ibsim", "--help"])
    out = capsys.readouterr().out
    assert out.startswith("usage: backtrader-ib ibsim ")
    assert "--fresh" in out and "~/.local/state/backtrader_ib/ibsim" in out
    done = subprocess.run([sys.executable, "-m", "backtrader_ib.ibsim", "--help"],
                          capture_output=True, text=True, timeout=120,
                          env=dict(os.environ, PYTHONPATH=str(ROOT)))
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("usage: python -m backtrader_ib.ibsim ")


def test_traffic_log_can_be_read_while_the_gateway_writes():
    # a bare deque raises "deque mutated during iteration" here
    import threading

    from backtrader_ib.ibsim.server import TrafficLog
    log = TrafficLog(maxlen=1000)
    log.extend(range(1000))
    stop = threading.Event()

    def write():
        while not stop.is_set():
            log.append(1)
    t = threading.Thread(target=write)
    t.start()
    try:
        failed = False
        for _ in range(3000):
            try:
                sum(1 for _ in log)             # what requests()/sent() do
            except RuntimeError:                # "deque mutated during iteration"
                failed = True
                break
    finally:
        stop.set()
        t.join()
    assert not failed and len(log) == 1000
