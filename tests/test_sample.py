"""The shipped sample runs, saves its chart, and matches backtrader."""
from __future__ import annotations

import importlib.util
from pathlib import Path

from difftools import reference

SAMPLE = Path(__file__).resolve().parents[1] / 'samples' / 'sma_crossover.py'


def load_sample():
    spec = importlib.util.spec_from_file_location('sma_crossover_sample', SAMPLE)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def test_sample_runs_and_saves_chart(tmp_path, capsys):
    png = tmp_path / 'chart.png'
    value = load_sample().main(['--quiet', '--plot', str(png)])
    out = capsys.readouterr().out
    assert 'Final value:' in out and f'{value:.2f}' in out
    assert png.exists() and png.stat().st_size > 20000
    assert png.read_bytes()[:8] == b'\x89PNG\r\n\x1a\n'


def test_sample_strategy_matches_backtrader():
    """The sample's final value equals backtrader's for the same strategy."""
    import datetime
    from backtrader_ib import datas
    ours = load_sample().main(['--quiet', '--plot', ''])
    bt = reference()

    class SmaCross(bt.Strategy):
        def __init__(self):
            self.crossover = bt.ind.CrossOver(bt.ind.SMA(period=10), bt.ind.SMA(period=30))

        def next(self):
            if not self.position:
                if self.crossover > 0:
                    self.buy()
            elif self.crossover < 0:
                self.close()

    cerebro = bt.Cerebro()
    cerebro.adddata(bt.feeds.YahooFinanceCSVData(
        dataname=datas.path('orcl-1995-2014.csv'),
        fromdate=datetime.datetime(2005, 1, 1), todate=datetime.datetime(2014, 12, 31)))
    cerebro.addstrategy(SmaCross)
    cerebro.addsizer(bt.sizers.FixedSize, stake=100)
    cerebro.broker.setcash(10000.0)
    cerebro.broker.setcommission(commission=0.001)
    cerebro.run()
    assert ours == cerebro.broker.getvalue()
