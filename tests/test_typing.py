"""Static checks: ruff is clean, mypy passes on the public API (mypy.ini), and
the mypy plugin types user strategies written the backtrader way."""
from __future__ import annotations

import importlib.util
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CACHE = ROOT / '.mypy_cache'  # mypy keeps it out of git (it writes its own .gitignore)

needs_mypy = pytest.mark.skipif(importlib.util.find_spec('mypy') is None,
                                reason='mypy is not installed (pip install -e .[test])')


def _mypy(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, '-m', 'mypy', '--cache-dir', str(CACHE), *args],
                          cwd=ROOT, capture_output=True, text=True, timeout=600)


@needs_mypy
def test_mypy_public_api():
    done = _mypy('--config-file', 'mypy.ini')
    assert done.returncode == 0, done.stdout + done.stderr


USER_CODE = '''
import backtrader_ib as bt


class SmaCross(bt.Strategy):
    params = (('fast', 10), ('slow', 30))

    def __init__(self) -> None:
        sma = bt.ind.SMA(period=self.params.fast)
        self.cross = bt.ind.CrossOver(sma, bt.ind.SMA(period=self.p.slow))

    def next(self) -> None:
        if self.cross > 0 and self.params.fast < self.params.slow:
            self.buy()


class Mine(bt.Indicator):
    lines = ('mine',)
    params = dict(period=5)
    plotinfo = dict(subplot=False)

    def __init__(self) -> None:
        self.lines.mine = bt.ind.SMA(self.data, period=self.params.period)


keys: list = SmaCross.params._getkeys()
feed = bt.feeds.GenericCSVData(dataname='x.csv', dtformat='%Y-%m-%d')
'''


@needs_mypy
def test_mypy_plugin_on_user_code(tmp_path):
    src = tmp_path / 'userstrat.py'
    src.write_text(USER_CODE)
    ini = tmp_path / 'mypy.ini'
    common = '[mypy]\nfollow_imports = silent\nignore_missing_imports = True\n'
    ini.write_text(common + 'plugins = backtrader_ib.mypy_plugin\n')
    done = _mypy('--config-file', str(ini), str(src))
    assert done.returncode == 0, done.stdout + done.stderr
    # without the plugin mypy takes the declarations for the tuples they are in the source
    ini.write_text(common)
    done = _mypy('--config-file', str(ini), str(src))
    assert done.returncode == 1 and '"_getkeys"' in done.stdout, done.stdout + done.stderr
    # with it, real mistakes are still reported (aliases are names: a typo is one)
    src.write_text(USER_CODE + '\nn: int = SmaCross.__name__\nbt.ind.SMAX(period=3)\n')
    ini.write_text(common + 'plugins = backtrader_ib.mypy_plugin\n')
    done = _mypy('--config-file', str(ini), str(src))
    assert done.returncode == 1, done.stdout
    assert 'Incompatible types in assignment' in done.stdout, done.stdout
    assert 'has no attribute "SMAX"' in done.stdout, done.stdout


def _ruff() -> list | None:
    if importlib.util.find_spec('ruff') is not None:
        return [sys.executable, '-m', 'ruff']
    exe = shutil.which('ruff')
    return [exe] if exe else None


@pytest.mark.skipif(_ruff() is None, reason='ruff is not installed (pip install -e .[test])')
def test_ruff_clean():
    done = subprocess.run([*_ruff(), 'check', '--no-cache', '.'], cwd=ROOT,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
