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


@pytest.mark.parametrize('client', ['ib_insync', 'ib_async'])
def test_ib_download(tmp_path, client):
    out = tmp_path / 'aapl.csv'
    assert load('ib_download').main(['--timeframe', 'Minutes', '--fromdate', '2024-03-04',
                                     '--client', client, '-o', str(out)]) == 0
    rows = list(csv.reader(out.open()))
    assert rows[0] == ['datetime', 'open', 'high', 'low', 'close', 'volume']
    assert len(rows) - 1 == 960 + 360          # Monday 04:00-20:00, Tuesday 04:00-10:00


def test_ibtest_trades(capsys):
    strat = load('ibtest').main(['--broker', '--trade', '--stopafter', '10'])
    out = capsys.readouterr().out
    assert 'DATA NOTIF: LIVE' in out and 'TRADE pnl' in out
    assert len(re.findall(r'ORDER \d+ Completed', out)) == 2         # the buy and the close
    assert len(strat) > 10
