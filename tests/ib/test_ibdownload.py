"""``backtrader-ib download`` against ibsim: CSV and Parquet files, the Python
function, usage errors, and complete ``--help`` for every CLI command."""
from __future__ import annotations

import argparse
import csv
import importlib.util

import pytest

import backtrader_ib as bt
from backtrader_ib import cli
from backtrader_ib.cli import download as download_cli
from backtrader_ib.stores import ibdownload
from backtrader_ib.stores.ibstore import IBStore

# Monday 04:00-20:00 and Tuesday 04:00-10:00 (the simulated now), in New York
MINUTE_BARS = 960 + 360
HEADER = ['datetime', 'open', 'high', 'low', 'close', 'volume']
PARQUET = next((m for m in ('pyarrow', 'fastparquet') if importlib.util.find_spec(m)), None)


def run(*args: str) -> int:
    return cli.main(['download', *args])


def read_csv(path) -> list:
    rows = list(csv.reader(open(path)))
    assert rows[0] == HEADER
    return rows[1:]


def test_csv_from_a_gateway(sim, client, tmp_path, capsys):
    out = tmp_path / 'aapl.csv'
    assert run('--port', str(sim.port), '--client', client, '--data', 'AAPL',
               '--timeframe', 'minutes', '--fromdate', '2024-03-04', '-o', str(out)) == 0
    rows = read_csv(out)
    assert len(rows) == MINUTE_BARS
    assert rows[0][0] == '2024-03-04 04:01:00' and rows[-1][0] == '2024-03-05 10:00:00'
    assert [r[0] for r in rows] == sorted(r[0] for r in rows)
    for r in rows:
        o, h, lo, c, v = map(float, r[1:])
        assert lo <= min(o, c) <= max(o, c) <= h and v >= 0
    err = capsys.readouterr().err
    assert f'{MINUTE_BARS} bars to {out}' in err and 'US/Eastern' in err
    assert IBStore.__dict__.get('_singleton') is None  # its store is gone


def test_csv_reads_back_as_a_feed(sim, tmp_path):
    out = tmp_path / 'aapl.csv'
    assert run('--port', str(sim.port), '--data', 'AAPL', '--timeframe', 'Days',
               '--fromdate', '2024-01-01', '--todate', '2024-02-29', '-o', str(out), '-q') == 0
    rows = read_csv(out)
    assert len(rows) == 43                # the weekdays of January and February (ibsim has no holidays)
    assert rows[0][0] == '2024-01-01 23:59:59'      # daily bars end at the session end
    cerebro = bt.Cerebro()
    cerebro.adddata(bt.feeds.GenericCSVData(dataname=str(out), openinterest=-1))
    cerebro.addstrategy(bt.Strategy)
    strat = cerebro.run()[0]
    assert len(strat.data) == len(rows)
    assert strat.data.close[0] == float(rows[-1][4])


def test_stdout_and_the_progress_bar(sim, capsys):
    assert run('--port', str(sim.port), '--data', 'AAPL', '--timeframe', 'Minutes',
               '--compression', '30', '--fromdate', '2024-03-05', '--progress') == 0
    out, err = capsys.readouterr()
    lines = out.splitlines()
    assert lines[0] == ','.join(HEADER) and len(lines) - 1 == 12     # 04:30 .. 10:00
    assert '100.0%' in err and '12 bars' in err


@pytest.mark.skipif(PARQUET is None, reason='Parquet output needs pyarrow (or fastparquet), '
                                            'not installed here')
def test_parquet_from_the_builtin_ibsim(tmp_path):
    import pandas as pd
    pq, csvfile = tmp_path / 'aapl.parquet', tmp_path / 'aapl.csv'
    args = ['--ibsim', '--data', 'AAPL', '--timeframe', 'Minutes', '--fromdate', '2024-03-04']
    assert run(*args, '-o', str(pq)) == 0
    assert run(*args, '-o', str(csvfile)) == 0
    df = pd.read_parquet(pq)
    assert list(df.columns) == HEADER and len(df) == MINUTE_BARS
    rows = read_csv(csvfile)
    assert df['close'].tolist() == [float(r[4]) for r in rows]
    assert str(df['datetime'].iloc[0]) == rows[0][0]


def test_builtin_ibsim_csv(tmp_path):
    out = tmp_path / 'eurusd.csv'
    assert run('--ibsim', '--data', 'EUR.USD-CASH-IDEALPRO', '--what', 'MIDPOINT',
               '--timeframe', 'Minutes', '--compression', '5', '--fromdate', '2024-03-05',
               '--timezone', 'UTC', '-o', str(out), '-q') == 0
    rows = read_csv(out)
    # FX trades around the clock: a bar every 5 minutes, 00:00 (its end) to 15:00 UTC
    assert len(rows) == 15 * 12 + 1
    assert rows[0][0] == '2024-03-05 00:00:00' and rows[-1][0] == '2024-03-05 15:00:00'


def test_the_function(sim, client):
    seen = []
    got = ibdownload.download('AAPL', '2024-03-04', timeframe='Minutes', port=sim.port,
                              client=client, progress=lambda f, dt, n: seen.append((f, n)))
    assert len(got) == MINUTE_BARS and got.timezone == 'US/Eastern'
    assert [n for _, n in seen] == list(range(1, MINUTE_BARS + 1))
    fractions = [f for f, _ in seen]
    assert fractions == sorted(fractions) and 0 < fractions[0] < 0.2 and fractions[-1] > 0.99
    df = got.to_frame()
    assert list(df.columns) == HEADER and len(df) == MINUTE_BARS


def test_no_bars_exit_status_1(sim, capsys):
    # a Saturday: no session, no bars
    assert run('--port', str(sim.port), '--data', 'AAPL', '--timeframe', 'Minutes',
               '--fromdate', '2024-03-02T00:00', '--todate', '2024-03-02T23:00', '-o', '-') == 1
    assert '0 bars' in capsys.readouterr().err


@pytest.mark.parametrize('args, message', [
    (['--data', 'AAPL', '--fromdate', '2024-01-01'], 'give --port'),
    (['--ibsim', '--fromdate', '2024-01-01'], '--data'),
    (['--ibsim', '--data', 'AAPL'], '--fromdate'),
    (['--ibsim', '--data', 'AAPL', '--fromdate', '2024-13-01'], 'is not a date'),
    (['--ibsim', '--data', 'AAPL', '--fromdate', '2024-01-01', '--timeframe', 'ticks'],
     'use one of Seconds, Minutes, Days, Weeks, Months'),
    (['--ibsim', '--data', 'AAPL', '--fromdate', '2024-01-01', '--format', 'parquet'],
     'Parquet output needs'),
])
def test_usage_errors(args, message, capsys):
    with pytest.raises(SystemExit) as exc:
        run(*args)
    assert exc.value.code == 2
    assert message in capsys.readouterr().err


def test_download_help_is_complete(capsys):
    with pytest.raises(SystemExit) as exc:
        run('--help')
    assert exc.value.code == 0
    text = capsys.readouterr().out
    assert text.startswith('usage: backtrader-ib download')
    for action in download_cli.build_parser()._actions:
        assert action.help, f'{action.option_strings} has no help text'
        for opt in action.option_strings:
            assert opt in text
    assert 'examples:' in text and 'Exit status' in text


@pytest.mark.parametrize('command', ['run', 'ibsim', 'download'])
def test_every_command_has_help(command, capsys):
    with pytest.raises(SystemExit) as exc:
        cli.main([command, '--help'])
    assert exc.value.code == 0
    out = capsys.readouterr().out
    assert out.startswith('usage:') and '--' in out
    assert cli.main(['--help']) == 0
    assert f'backtrader-ib {command} --help' in capsys.readouterr().out


def test_timeframe_names():
    assert ibdownload._timeframe('minutes') == bt.TimeFrame.Minutes
    with pytest.raises(ValueError):
        ibdownload._timeframe('Ticks')
    assert isinstance(download_cli.build_parser(), argparse.ArgumentParser)


def test_minute_csv_reads_back_with_the_printed_call(sim, tmp_path, capsys):
    """The command prints the call that reads its CSV back; for minute bars
    the timeframe is in it (without, all bars of a day would share its end)."""
    out = tmp_path / 'aapl.csv'
    assert run('--port', str(sim.port), '--data', 'AAPL', '--timeframe', 'Minutes',
               '--compression', '5', '--fromdate', '2024-03-04', '-o', str(out)) == 0
    err = capsys.readouterr().err
    call = next(ln for ln in err.splitlines() if ln.startswith('read it back with: '))
    call = call.split(': ', 1)[1]
    assert call == (f"bt.feeds.GenericCSVData(dataname={str(out)!r}, openinterest=-1, "
                    f"timeframe=bt.TimeFrame.Minutes, compression=5)")
    rows = read_csv(out)
    cerebro = bt.Cerebro()
    cerebro.adddata(eval(call, {'bt': bt}))
    cerebro.addstrategy(bt.Strategy)
    data = cerebro.run()[0].data
    assert len(data) == len(rows) == MINUTE_BARS // 5
    assert data.datetime.datetime(0).isoformat(sep=' ') == rows[-1][0]
    assert data.close[0] == float(rows[-1][4])
    # daily bars need nothing more than the documented line
    assert ibdownload.readback('d.csv') == "bt.feeds.GenericCSVData(dataname='d.csv', openinterest=-1)"
    assert ibdownload.readback('w.csv', 'Weeks') == (
        "bt.feeds.GenericCSVData(dataname='w.csv', openinterest=-1, "
        "timeframe=bt.TimeFrame.Weeks, compression=1)")


def test_csv_has_unix_line_endings(sim, tmp_path, capsys):
    out = tmp_path / 'aapl.csv'
    assert run('--port', str(sim.port), '--data', 'AAPL', '--timeframe', 'Minutes',
               '--compression', '30', '--fromdate', '2024-03-05', '-o', str(out), '-q') == 0
    raw = out.read_bytes()
    assert b'\r' not in raw and raw.count(b'\n') == 13 and raw.endswith(b'\n')
    assert run('--port', str(sim.port), '--data', 'AAPL', '--timeframe', 'Minutes',
               '--compression', '30', '--fromdate', '2024-03-05', '-o', '-', '-q') == 0
    assert '\r' not in capsys.readouterr().out


def test_no_data_is_said_once_as_information(sim, capfd):
    # a weekend: IB answers 162 "HMDS query returned no data" for each day
    assert run('--port', str(sim.port), '--data', 'AAPL', '--timeframe', 'Minutes',
               '--fromdate', '2024-03-02T00:00', '--todate', '2024-03-03T23:00', '-o', '-') == 1
    err = capfd.readouterr().err
    lines = [ln for ln in err.splitlines() if ln.strip()]
    assert [ln for ln in lines if '162' in ln or 'no data' in ln] == [
        'note: no bars in part of the range (IB 162: Historical Market Data Service error '
        'message:HMDS query returned no data: AAPL@SMART Trades) (x2)']
    assert not any(ln.startswith(('Error', 'store:')) for ln in lines), lines
    assert lines[-1].startswith('0 bars in ')


def test_version(capsys):
    from backtrader_ib.version import __version__
    for flag in ('--version', '-V'):
        assert cli.main([flag]) == 0
        assert capsys.readouterr().out == f'backtrader-ib {__version__}\n'
    assert '--version' in (cli.main(['--help']), capsys.readouterr().out)[1]


def test_ib_download_sample_help_marks_no_default_as_required(capsys):
    import importlib.util
    from pathlib import Path
    path = Path(__file__).resolve().parents[2] / 'samples' / 'ib_download.py'
    spec = importlib.util.spec_from_file_location('sample_ib_download', path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    with pytest.raises(SystemExit) as exc:
        mod.main(['--help'])
    assert exc.value.code == 0
    text = ' '.join(capsys.readouterr().out.split())
    usage = text[:text.index(' options:')]
    assert '[--data CONTRACT] [--fromdate DATE]' in usage
    assert '(default: AAPL)' in text and '(default: 2024-01-01)' in text
    assert 'ibsim, a simulated gateway in this process, answers' in text
    assert 'required' not in text
    # the command itself still requires them
    with pytest.raises(SystemExit):
        run('--help')
    text = ' '.join(capsys.readouterr().out.split())
    assert '[-h] --data CONTRACT --fromdate DATE [--todate DATE]' in text
    assert text.count('(required)') == 2
