"""``backtrader-ib run`` (backtrader's btrun) against backtrader's own btrun,
and the command line's errors."""
from __future__ import annotations

import contextlib
import io
import subprocess
import sys
from pathlib import Path

import pytest

from backtrader_ib.btrun import btrun
from backtrader_ib.btrun.btrun import UsageError, parse_kwargs
from difftools import reference

ORCL = str(Path(__file__).resolve().parents[1] / 'backtrader_ib' / 'datas' / 'orcl-1995-2014.csv')

STRATEGY_FILE = '''
import {pkg} as bt

class Dip(bt.Strategy):
    params = (('period', 15), ('hold', 5))

    def __init__(self):
        self.sma = bt.ind.SMA(period=self.p.period)
        self.age = 0

    def next(self):
        if not self.position and self.data.close[0] < self.sma[0] * 0.98:
            self.buy(size=10)
            self.age = 0
        elif self.position:
            self.age += 1
            if self.age >= self.p.hold:
                self.close()
'''


def _printed(run, args) -> str:
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        run(args)
    return out.getvalue().split('Final value')[0]


@pytest.mark.parametrize('extra', [
    ['--strategy', ':MA_CrossOver:fast=5,slow=20'],
    ['--strategy', ':MA_CrossOver', '--resample', 'weeks', '--commission', '0.001'],
    ['--strategy', 'FILE:Dip:period=10,hold=3', '--cerebro', 'runonce=False',
     '--cash', '50000'],
], ids=['builtin', 'resampled', 'user-file'])
def test_same_analysis_as_backtraders_btrun(tmp_path, extra):
    ref = reference()
    from backtrader.btrun import btrun as ref_btrun
    common = ['--data', ORCL, '--format', 'yahoocsv', '--fromdate', '2004-01-01',
              '--todate', '2006-12-31', '--analyzer', ':SQN', '--analyzer', ':DrawDown',
              '--analyzer', ':TradeAnalyzer', '--pranalyzer']
    outs = []
    for pkg, run in ((ref, ref_btrun), (None, btrun)):
        args = list(extra)
        if 'FILE:Dip:period=10,hold=3' in args:
            f = tmp_path / f'dip_{"bt" if pkg else "btib"}.py'
            f.write_text(STRATEGY_FILE.format(pkg='backtrader' if pkg else 'backtrader_ib'))
            args[args.index('FILE:Dip:period=10,hold=3')] = f'{f}:Dip:period=10,hold=3'
        outs.append(_printed(run, common + args))
    assert 'SQN' in outs[0] and 'trades' in outs[0]
    assert outs[1] == outs[0]


def test_command_line_entry_points():
    for cmd in ([sys.executable, '-m', 'backtrader_ib', '--help'],
                [sys.executable, '-m', 'backtrader_ib', 'run', '--help']):
        done = subprocess.run(cmd, capture_output=True, text=True, timeout=60)
        assert done.returncode == 0, done.stderr
    assert 'run' in done.stdout and '--strategy' in done.stdout
    done = subprocess.run([sys.executable, '-m', 'backtrader_ib', 'run', '--data', ORCL,
                           '--format', 'yahoocsv', '--todate', '1996-12-31',
                           '--strategy', ':MA_CrossOver'], capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stderr
    assert 'Final value:' in done.stdout


@pytest.mark.parametrize('args,msg', [
    (['--data', 'missing.csv', '--strategy', ':MA_CrossOver'], "'missing.csv': file not found"),
    (['--data', ORCL, '--format', 'vchart', '--strategy', ':X'], "--format 'vchart'"),
    (['--data', ORCL, '--format', 'yahoocsv', '--strategy', ':NoSuch'], "no Strategy class 'NoSuch'"),
    (['--data', ORCL, '--format', 'yahoocsv', '--fromdate', '2004/01/01',
      '--strategy', ':MA_CrossOver'], '--fromdate'),
    (['--data', ORCL, '--format', 'yahoocsv', '--resample', 'fortnights',
      '--strategy', ':MA_CrossOver'], "unknown timeframe 'fortnights'"),
    (['--data', ORCL, '--format', 'yahoocsv'], 'nothing to run'),
    (['--data', ORCL, '--format', 'yahoocsv', '--strategy', 'nosuchmodule_xyz:S'],
     "cannot import module 'nosuchmodule_xyz'"),
])
def test_bad_command_lines_name_the_argument(args, msg):
    with pytest.raises(UsageError, match=msg.replace('(', r'\(')):
        btrun(args)


def test_kwargs_are_literals_only():
    assert parse_kwargs('a=1, b="x", c=(1, 2), d=None') == dict(a=1, b='x', c=(1, 2), d=None)
    with pytest.raises(UsageError, match='not a literal'):
        parse_kwargs('a=open("x")')
    with pytest.raises(UsageError, match='key=value'):
        parse_kwargs('1, 2')
