"""Every sample in samples/ runs as a smoke test on the shipped data.

A new sample must be listed here with the arguments that make it quick, so
nothing in samples/ goes untested."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / 'samples'

# sample -> (arguments, text its output must contain)
SMOKE = {
    'sma_crossover.py': (['--quiet', '--plot', ''], 'Final value:'),
    'multidata.py': ([], 'Final value:'),
    'resample_replay.py': (['--replay', '--timeframe', 'months'], 'Final value:'),
    'bracket_orders.py': ([], 'Completed'),
    'order_types.py': (['--all'], 'StopTrail'),
    'sizers.py': ([], 'AllInSizerInt'),
    'signals.py': (['--kind', 'long'], 'trades closed'),
    'analyzers_export.py': (['--outdir', '{tmp}'], 'wrote returns'),
    'timers.py': (['--quiet'], '12 rebalances'),
    'live_queue.py': (['--seconds', '3', '--rate', '10'], 'bars'),
    'plot_sample.py': (['--outdir', '{tmp}'], ''),
    'report_sample.py': (['--out', '{tmp}/report.html'], ''),
    'optimization.py': (['--fast', '5', '10', '--slow', '30', '50'], '4 runs; best by SQN'),
}
# run against an in-process ibsim by tests/ib/test_samples.py
ELSEWHERE = {'ibtest.py', 'ib_download.py'}


def test_every_sample_is_listed():
    assert {p.name for p in SAMPLES.glob('*.py')} - set(SMOKE) - ELSEWHERE == set()


@pytest.mark.parametrize('name', sorted(SMOKE))
def test_sample_runs(name, tmp_path):
    if not (SAMPLES / name).exists():
        pytest.skip(f'{name} is not in samples/')
    args, expect = SMOKE[name]
    args = [a.replace('{tmp}', str(tmp_path)) for a in args]
    env = dict(os.environ, PYTHONPATH=str(ROOT), MPLBACKEND='Agg')
    done = subprocess.run([sys.executable, str(SAMPLES / name), *args], cwd=tmp_path,
                          capture_output=True, text=True, timeout=240, env=env)
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-4000:]
    assert expect in done.stdout
