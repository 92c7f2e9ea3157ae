"""The IB samples run out of the box against an in-process ibsim."""
import csv
import re
import importlib.util
import pathlib

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]


def load(name):
    spec = importlib.util.spec_from_file_location(name, ROOT / 'samples' / f'{name}.py')
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def test_ib_download(tmp_path, client):
    out = tmp_path / 'aapl.csv'
    assert load('ib_download').main(['--timeframe', 'Minutes', '--fromdate', '2024-03-04',
                                     '--client', client, '-o', str(out)]) == 0
    rows = list(csv.reader(out.open()))
    assert rows[0] == ['datetime', 'open', 'high', 'low', 'close', 'volume']
    assert len(rows) - 1 == 960 + 360          # Monday 04:00-20:00, Tuesday 04:00-10:00


@pytest.mark.parametrize('fill_delay', [0.0, 0.3])
def test_ibtest_trades(capsys, monkeypatch, fill_delay):
    mod = load('ibtest')
    if fill_delay:                    # a loaded machine: order events 18 ticks late
        from backtrader_ib.ibsim import IBSim
        start = IBSim.start

        def slow_start(self):
            start(self)
            self.delay_order_events(fill_delay)
            return self
        monkeypatch.setattr(IBSim, 'start', slow_start)

    class StopWhenClosed(mod.TestStrategy):
        """Stops when the round trip is closed, not after a number of live ticks:
        at 60x a tick comes every 17 ms, so on a loaded machine ten ticks could
        go by before the fills came back (the test failed that way once)."""

        def notify_trade(self, trade):
            super().notify_trade(trade)
            if trade.isclosed:
                self.env.runstop()

    monkeypatch.setattr(mod, 'TestStrategy', StopWhenClosed)
    # --stopafter is only a cap (about 50 s at 60x) should the trade never close
    strat = mod.main(['--broker', '--trade', '--stopafter', '3000'])
    out = capsys.readouterr().out
    assert 'DATA NOTIF: LIVE' in out and 'TRADE pnl' in out
    assert len(re.findall(r'ORDER \d+ Completed', out)) == 2         # the buy and the close
    assert len(strat) > 10
