"""Writers against backtrader 1.9.78.123, byte for byte: several datas,
indicators, observers and analyzers; csv on and off, rounding, indent,
separators, file and stream outputs."""
from __future__ import annotations

import contextlib
import io

import pytest

from analyzer_difftools import crossover_strategy, yahoo_datas
from difftools import MODES, reference, run, run_both


def _strategy_with_csv_indicator(bt):
    class WithIndicator(crossover_strategy(bt)):
        def __init__(self):
            super().__init__()
            self.rsi = bt.ind.RSI(self.data1, period=9)
            self.rsi.csv = True  # indicators are written when asked to
    return WithIndicator


def _setup(**writer_kw):
    def setup(bt, cerebro):
        cerebro.addwriter(bt.WriterStringIO, **writer_kw)
        cerebro.addanalyzer(bt.analyzers.TradeAnalyzer)
        cerebro.addanalyzer(bt.analyzers.SharpeRatio, timeframe=bt.TimeFrame.Months)
        cerebro.addanalyzer(bt.analyzers.DrawDown)
        cerebro.addobserver(bt.observers.DrawDown)
        cerebro.addobserver(bt.observers.TimeReturn, timeframe=bt.TimeFrame.Weeks)
    return setup


@pytest.mark.parametrize('mode, writer_kw', [
    ('runonce', dict(csv=True)),
    ('next', dict(csv=True, rounding=4)),
    ('runonce', dict(csv=True, csvsep=';', csv_counter=False, csv_filternan=False,
                     indent=4, seplen=40, separators=['*', '-'])),
    ('runonce', dict(csv=False, rounding=2)),
])
def test_writer_output_matches_backtrader(mode, writer_kw):
    (c_ref, _), (c_new, _) = run_both(_strategy_with_csv_indicator,
                                      yahoo_datas(end=(2001, 6, 30)), MODES[mode],
                                      cerebro_setup=_setup(**writer_kw), record=False)
    ref = c_ref.runwriters[0].out.getvalue()
    new = c_new.runwriters[0].out.getvalue()
    assert 'TradeAnalyzer' in ref or 'tradeanalyzer' in ref
    if writer_kw['csv']:
        assert 'RSI' in ref and ref.count('\n') > 370
    assert new == ref


def test_writerfile_to_a_named_file_matches_backtrader(tmp_path):
    paths = iter([tmp_path / 'bt.txt', tmp_path / 'btib.txt'])

    def setup(bt, cerebro):
        cerebro.addwriter(bt.WriterFile, out=str(next(paths)), csv=True, rounding=3)
        cerebro.addanalyzer(bt.analyzers.SQN)

    run_both(crossover_strategy, yahoo_datas(end=(2000, 12, 31)), MODES['runonce'],
             cerebro_setup=setup, record=False)
    ref = (tmp_path / 'bt.txt').read_bytes()
    assert len(ref) > 10000
    assert (tmp_path / 'btib.txt').read_bytes() == ref


@pytest.mark.parametrize('close_out', [True, False])
def test_writerfile_to_a_stream_closes_it_only_when_asked(close_out):
    streams = []

    def setup(bt, cerebro):
        streams.append(io.StringIO())
        cerebro.addwriter(bt.WriterFile, out=streams[-1], close_out=close_out)

    run_both(crossover_strategy, yahoo_datas(end=(2000, 3, 31)), MODES['runonce'],
             cerebro_setup=setup, record=False)
    assert [s.closed for s in streams] == [close_out, close_out]
    if not close_out:
        assert streams[1].getvalue() == streams[0].getvalue() != ''


def test_cerebro_writer_true_prints_the_same_to_stdout():
    import backtrader_ib

    def setup(bt, cerebro):
        cerebro.p.writer = True
        cerebro.addanalyzer(bt.analyzers.Returns)

    outs = []
    for bt in (reference(), backtrader_ib):
        buf = io.StringIO()
        with contextlib.redirect_stdout(buf):
            run(bt, crossover_strategy, yahoo_datas(end=(2000, 3, 31)), MODES['runonce'],
                cerebro_setup=setup, record=False)
        outs.append(buf.getvalue())
    assert '- returns:' in outs[0] and 'rnorm100' in outs[0]
    assert outs[1] == outs[0]


def test_analyzer_print_passes_writer_params():
    def setup(bt, cerebro):
        cerebro.addanalyzer(bt.analyzers.TradeAnalyzer)

    (_, s_ref), (_, s_new) = run_both(crossover_strategy, yahoo_datas(end=(2001, 12, 31)),
                                      MODES['runonce'], cerebro_setup=setup, record=False)
    outs = []
    for strat in (s_ref, s_new):
        buf = io.StringIO()
        strat.analyzers[0].print(out=buf, rounding=2, indent=3, seplen=50)
        outs.append(buf.getvalue())
    assert outs[0].count('\n') > 50 and outs[1] == outs[0]
