"""The ``backtrader-ib`` top level (backtrader_ib/cli/): one module per
command, options before the command, the rest of the line handed over as is,
and the old ``python -m`` entry points."""
from __future__ import annotations

import importlib
import os
import subprocess
import sys
from pathlib import Path

import pytest

from backtrader_ib import cli

ROOT = Path(__file__).resolve().parents[1]


def test_each_command_is_a_module_with_main():
    assert list(cli.COMMANDS) == ['run', 'ibsim', 'download']
    for name in cli.COMMANDS:
        mod = importlib.import_module(f'backtrader_ib.cli.{name}')
        assert callable(mod.main), name
    docs = (ROOT / 'docs' / 'cli.md').read_text()
    assert all(f'`backtrader-ib {name}`' in docs for name in cli.COMMANDS)


def test_no_command_prints_the_help(capsys):
    assert cli.main([]) == 0
    out = capsys.readouterr().out
    assert out.startswith('usage: backtrader-ib [--version] COMMAND [ARGS]')
    for name, text in cli.COMMANDS.items():
        assert f'{text}: backtrader-ib {name} --help' in out


def test_unknown_command_and_option_are_usage_errors(capsys):
    with pytest.raises(SystemExit) as exc:
        cli.main(['backtest'])
    assert exc.value.code == 2
    assert "invalid choice: 'backtest'" in capsys.readouterr().err
    with pytest.raises(SystemExit) as exc:
        cli.main(['--verbose', 'run'])
    assert exc.value.code == 2
    assert 'unrecognized arguments: --verbose' in capsys.readouterr().err


def test_the_rest_of_the_line_goes_to_the_command(monkeypatch):
    from backtrader_ib.cli import run
    seen = []
    monkeypatch.setattr(run, 'btrun', lambda argv: seen.append(argv))
    # -V and -- after the command are the command's, not the top level's
    assert cli.main(['run', '-V', '--', '--data', 'x.csv']) == 0
    assert seen == [['-V', '--', '--data', 'x.csv']]


def test_run_usage_error_is_one_line_and_status_2(tmp_path, capsys):
    missing = tmp_path / 'missing.csv'
    assert cli.main(['run', '--data', str(missing), '--strategy', ':SMA_CrossOver']) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith('backtrader-ib run: error: ')
    assert str(missing) in err[0]


@pytest.mark.parametrize('module, usage', [
    ('backtrader_ib', 'usage: backtrader-ib [--version] COMMAND'),
    ('backtrader_ib.stores.ibdownload', 'usage: python -m backtrader_ib.stores.ibdownload '),
])
def test_python_m_entry_points(module, usage):
    done = subprocess.run([sys.executable, '-m', module, '--help'], capture_output=True,
                          text=True, timeout=120, env=dict(os.environ, PYTHONPATH=str(ROOT)))
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith(usage)
    assert 'RuntimeWarning' not in done.stderr
