"""``backtrader-ib ibsim`` started as its own process, and samples/ibtest.py
trading against it over the socket: the command line as a user runs it."""
from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ENV = dict(os.environ, PYTHONPATH=str(ROOT))


def start_ibsim() -> tuple[subprocess.Popen, int]:
    proc = subprocess.Popen(
        [sys.executable, '-m', 'backtrader_ib', 'ibsim', '--port', '0', '--speed', '60',
         '--start', '2024-03-05T15:00:00+00:00', '--state', 'none'],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=ENV)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        line = proc.stdout.readline()
        found = re.search(r'listening on 127\.0\.0\.1:(\d+)', line)
        if found:
            return proc, int(found.group(1))
        if not line and proc.poll() is not None:
            break
    proc.kill()
    raise AssertionError(f'ibsim did not start: {proc.stdout.read()}')


def test_ibtest_sample_trades_against_the_ibsim_command(tmp_path):
    proc, port = start_ibsim()
    try:
        done = subprocess.run(
            [sys.executable, str(ROOT / 'samples' / 'ibtest.py'), '--port', str(port),
             # the sample buys on the 2nd live tick and closes once filled; 200
             # ticks (about 3 s at 60x) leave a loaded machine time for the fills
             '--broker', '--trade', '--stopafter', '200'],
            capture_output=True, text=True, timeout=240,
            env=dict(ENV, BTIB_JOURNAL_DIR=str(tmp_path)))    # its order journal there
    finally:
        proc.terminate()
        proc.wait(timeout=30)
    out = done.stdout
    assert done.returncode == 0, out[-2000:] + done.stderr[-4000:]
    statuses = re.findall(r'DATA NOTIF: (\w+)', out)
    assert statuses[:3] == ['CONNECTED', 'DELAYED', 'LIVE']
    assert len(re.findall(r'ORDER \d+ Completed', out)) == 2      # the buy and the close
    assert 'TRADE pnl' in out


def test_every_command_has_complete_help(monkeypatch, capsys):
    """``--help`` of run, ibsim and download explains every option."""
    import argparse

    from backtrader_ib.cli import main
    shown = []
    monkeypatch.setattr(argparse.ArgumentParser, 'print_help',
                        lambda self, file=None: shown.append(self))
    for cmd in ('run', 'ibsim', 'download'):
        shown.clear()
        try:
            main([cmd, '--help'])
        except SystemExit as e:
            assert e.code in (0, None)
        assert len(shown) == 1, f'{cmd} --help printed no argparse help'
        bare = [a.option_strings[-1] if a.option_strings else a.dest
                for a in shown[0]._actions if not a.help]
        assert bare == [], f'{cmd}: options without help text: {bare}'
