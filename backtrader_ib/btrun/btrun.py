"""Run a backtest from the command line: data files, strategies, analyzers,
observers, indicators, writers, cash and commissions, plot or report.

Components are named ``module:name:kwargs`` as in backtrader's ``btrun``:

* ``module`` is a Python file (``mystrats.py``), a dotted module name, or
  empty for the package's own (``bt.strategies``, ``bt.analyzers`` ...);
* ``name`` is the class (empty: the first suitable class in the module);
* ``kwargs`` are ``key=value`` pairs separated by commas; values are Python
  literals (numbers, strings, True/False/None, tuples ...). Nothing is
  evaluated: an expression is an error that names it.
"""
from __future__ import annotations

import argparse
import ast
import datetime
import importlib
import importlib.util
import inspect
import os
import sys
from typing import Any

from .. import (Analyzer, Cerebro, Indicator, Observer, Strategy, TimeFrame, analyzers,
                feeds, indicators, observers, signal, strategies, writer)

__all__ = ('btrun', 'parse_args', 'parse_kwargs', 'DATAFORMATS', 'TIMEFRAMES')

DATAFORMATS = {
    'btcsv': feeds.BacktraderCSVData,
    'genericcsv': feeds.GenericCSVData,
    'yahoocsv': feeds.YahooFinanceCSVData,
    'yahoocsv_unreversed': feeds.YahooFinanceCSVData,
    'vchartcsv': feeds.VChartCSVData,
    'sierracsv': feeds.SierraChartCSVData,
    'mt4csv': feeds.MT4CSVData,
}

TIMEFRAMES = {
    'ticks': TimeFrame.Ticks,
    'microseconds': TimeFrame.MicroSeconds,
    'seconds': TimeFrame.Seconds,
    'minutes': TimeFrame.Minutes,
    'days': TimeFrame.Days,
    'weeks': TimeFrame.Weeks,
    'months': TimeFrame.Months,
    'years': TimeFrame.Years,
}


class UsageError(ValueError):
    """A bad command line; the message says which argument and why."""


def parse_kwargs(text: str, what: str = 'kwargs') -> dict:
    """``'a=1,b="x"'`` -> ``{'a': 1, 'b': 'x'}`` (literals only)."""
    text = text.strip()
    if not text:
        return {}
    try:
        call = ast.parse(f'dict({text})', mode='eval').body
    except SyntaxError:
        raise UsageError(f'{what}: cannot read {text!r}: expected key=value pairs '
                         'separated by commas') from None
    if call.args:
        raise UsageError(f'{what}: {text!r}: every value needs a name (key=value)')
    out = {}
    for kw in call.keywords:
        try:
            out[kw.arg] = ast.literal_eval(kw.value)
        except ValueError:
            raise UsageError(f'{what}: {kw.arg}={ast.unparse(kw.value)} is not a literal '
                             '(numbers, strings, True/False/None, tuples, lists)') from None
    return out


def _load_module(spec: str) -> Any:
    if spec.endswith('.py') or os.sep in spec:
        path = spec if spec.endswith('.py') else spec + '.py'
        if not os.path.exists(path):
            raise UsageError(f'module file {path!r} not found')
        name = '_btrun_' + os.path.splitext(os.path.basename(path))[0]
        modspec = importlib.util.spec_from_file_location(name, path)
        mod = importlib.util.module_from_spec(modspec)
        sys.modules[name] = mod  # so its classes pickle (optimisation workers)
        modspec.loader.exec_module(mod)
        return mod
    try:
        return importlib.import_module(spec)
    except ImportError as e:
        raise UsageError(f'cannot import module {spec!r}: {e}') from None


def load_component(item: str, base: type, default_module: Any, what: str) -> tuple:
    """``module:name:kwargs`` -> (class, kwargs)."""
    modpath, _, rest = item.partition(':')
    name, _, kwtext = rest.partition(':')
    mod = _load_module(modpath) if modpath else default_module
    kwargs = parse_kwargs(kwtext, f'{what} {item!r}')
    if name:
        cls = getattr(mod, name, None)
        if not (inspect.isclass(cls) and issubclass(cls, base)):
            raise UsageError(f'{what} {item!r}: no {base.__name__} class {name!r} in '
                             f'{getattr(mod, "__name__", modpath)}')
        return cls, kwargs
    found = [c for _, c in inspect.getmembers(mod, inspect.isclass)
             if issubclass(c, base) and c is not base
             and c.__module__ == getattr(mod, '__name__', None)]
    if not found:
        raise UsageError(f'{what} {item!r}: no {base.__name__} class in module '
                         f'{getattr(mod, "__name__", modpath)}')
    return found[0], kwargs


def _date(text: str | None, arg: str) -> datetime.datetime | None:
    if text is None:
        return None
    for fmt in ('%Y-%m-%d', '%Y-%m-%dT%H:%M:%S', '%Y-%m-%d %H:%M:%S'):
        try:
            return datetime.datetime.strptime(text, fmt)
        except ValueError:
            pass
    raise UsageError(f'{arg} {text!r}: expected YYYY-MM-DD or YYYY-MM-DDTHH:MM:SS')


def _timeframe(text: str, arg: str) -> tuple:
    tf, _, comp = text.partition(':')
    if tf not in TIMEFRAMES:
        raise UsageError(f'{arg} {text!r}: unknown timeframe {tf!r}; one of '
                         f'{", ".join(TIMEFRAMES)}')
    try:
        comp = int(comp or 1)
    except ValueError:
        raise UsageError(f'{arg} {text!r}: compression {comp!r} is not an integer') from None
    return TIMEFRAMES[tf], comp


def getdatas(args) -> list:
    if args.format not in DATAFORMATS:
        raise UsageError(f'--format {args.format!r}: supported formats are '
                         f'{", ".join(DATAFORMATS)}')
    cls = DATAFORMATS[args.format]
    kwargs = dict(timeframe=TIMEFRAMES[args.timeframe], compression=args.compression,
                  fromdate=_date(args.fromdate, '--fromdate'),
                  todate=_date(args.todate, '--todate'))
    if args.format == 'yahoocsv_unreversed':
        kwargs['reverse'] = True
    datas = []
    for name in args.data:
        if not os.path.exists(name):
            raise UsageError(f'--data {name!r}: file not found')
        datas.append(cls(dataname=name, **kwargs))
    return datas


def build(args) -> Cerebro:
    """The Cerebro the arguments describe, ready to run."""
    cer_kwargs = parse_kwargs(args.cerebro or '', '--cerebro')
    cer_kwargs.setdefault('stdstats', not args.nostdstats)
    cerebro = Cerebro(**cer_kwargs)
    if args.resample and args.replay:
        raise UsageError('--resample and --replay cannot be used together')
    how = None
    if args.resample or args.replay:
        tf, comp = _timeframe(args.resample or args.replay,
                              '--resample' if args.resample else '--replay')
        how = cerebro.resampledata if args.resample else cerebro.replaydata
    for data in getdatas(args):
        if how:
            how(data, timeframe=tf, compression=comp)
        else:
            cerebro.adddata(data)

    for item in args.signals or []:
        kind, _, spec = item.rpartition('+')
        kind = kind or 'longshort'
        sigtype = getattr(signal, 'SIGNAL_' + kind.upper(), None)
        if sigtype is None:
            raise UsageError(f'--signal {item!r}: unknown kind {kind!r}')
        cls, kw = load_component(spec, Indicator, indicators, '--signal')
        cerebro.add_signal(sigtype, cls, **kw)
    for item in args.strategies or []:
        cls, kw = load_component(item, Strategy, strategies, '--strategy')
        cerebro.addstrategy(cls, **kw)
    for item in args.observers or []:
        cls, kw = load_component(item, Observer, observers, '--observer')
        cerebro.addobserver(cls, **kw)
    for item in args.analyzers or []:
        cls, kw = load_component(item, Analyzer, analyzers, '--analyzer')
        cerebro.addanalyzer(cls, **kw)
    for item in args.indicators or []:
        cls, kw = load_component(item, Indicator, indicators, '--indicator')
        cerebro.addindicator(cls, **kw)
    for item in args.writers or []:
        cls, kw = load_component(item, writer.WriterBase, writer, '--writer')
        cerebro.addwriter(cls, **kw)

    broker = cerebro.broker
    if args.cash is not None:
        broker.setcash(args.cash)
    comm = {k: v for k, v in (('commission', args.commission), ('margin', args.margin),
                              ('mult', args.mult), ('interest', args.interest))
            if v is not None}
    if args.interest_long:
        comm['interest_long'] = True
    if comm:
        broker.setcommission(**comm)
    if args.slip_perc is not None:
        broker.set_slippage_perc(args.slip_perc, slip_open=args.slip_open,
                                 slip_match=not args.no_slip_match, slip_out=args.slip_out)
    elif args.slip_fixed is not None:
        broker.set_slippage_fixed(args.slip_fixed, slip_open=args.slip_open,
                                  slip_match=not args.no_slip_match, slip_out=args.slip_out)
    return cerebro


def btrun(pargs: list | str | None = None) -> list:
    """Parse ``pargs`` (default: ``sys.argv[1:]``), run, print; the strategies."""
    args = parse_args(pargs)
    if args.flush:
        from ..utils import flushfile  # noqa: F401  (line-flushed stdout)
    cerebro = build(args)
    if not cerebro.strats and not cerebro.signals:
        raise UsageError('nothing to run: give at least one --strategy or --signal')
    runstrats = cerebro.run()
    runstrats = runstrats if runstrats and isinstance(runstrats[0], Strategy) else \
        [s for run in runstrats for s in run]
    for strat in runstrats:
        if (args.pranalyzer or args.ppranalyzer) and strat.analyzers:
            print('====================')
            print('== Analyzers')
            print('====================')
            for name, an in strat.analyzers.getitems():
                if args.pranalyzer:
                    an.print()
                else:
                    print('##########')
                    print(name)
                    print('##########')
                    an.pprint()
    print(f'Final value: {cerebro.broker.getvalue():.2f}')
    if args.plot is not None or args.savefig:
        kwargs = dict(style='bar', **parse_kwargs(args.plot or '', '--plot'))
        if args.savefig:
            kwargs['savefig'] = args.savefig
        cerebro.plot(**kwargs)
    if args.report:
        from ..plot import report
        report(cerebro, args.report)
        print(f'Report: {args.report}')
    return runstrats


def parse_args(pargs: list | str | None = None) -> argparse.Namespace:
    if isinstance(pargs, str):
        pargs = pargs.split()
    p = argparse.ArgumentParser(
        prog='backtrader-ib run',
        description='Run a backtest from the command line (backtrader\'s btrun). '
                    'Components are given as module:name:kwargs, e.g. '
                    '--strategy mystrats.py:SmaCross:fast=10,slow=30; an empty module '
                    'means the package\'s own (--analyzer :SharpeRatio).',
        formatter_class=argparse.RawDescriptionHelpFormatter)
    g = p.add_argument_group('data')
    g.add_argument('--data', '-d', action='append', required=True, metavar='FILE',
                   help='a data file (repeat for several)')
    g.add_argument('--format', '--csvformat', '-c', default='btcsv',
                   help=f'file format: {", ".join(DATAFORMATS)} (default: btcsv)')
    g.add_argument('--fromdate', '-f', help='start: YYYY-MM-DD[THH:MM:SS]')
    g.add_argument('--todate', '-t', help='end: YYYY-MM-DD[THH:MM:SS]')
    g.add_argument('--timeframe', '-tf', default='days', choices=list(TIMEFRAMES),
                   help='timeframe of the data (default: days)')
    g.add_argument('--compression', '-cp', default=1, type=int,
                   help='compression of the data (default: 1)')
    g.add_argument('--resample', '-rs', metavar='TF[:COMP]',
                   help='resample the data, e.g. weeks or minutes:15')
    g.add_argument('--replay', '-rp', metavar='TF[:COMP]', help='replay the data')
    g = p.add_argument_group('engine')
    g.add_argument('--cerebro', '-cer', metavar='KWARGS', nargs='?', const='',
                   help='Cerebro params, e.g. runonce=False,exactbars=1')
    g.add_argument('--nostdstats', action='store_true',
                   help='no default observers (broker, buysell, trades)')
    g = p.add_argument_group('components (module:name:kwargs)')
    g.add_argument('--strategy', '-st', dest='strategies', action='append', metavar='SPEC',
                   help='a strategy (default module: backtrader_ib.strategies)')
    g.add_argument('--signal', '-sig', dest='signals', action='append', metavar='[KIND+]SPEC',
                   help='a signal indicator; KIND: longshort (default), long, short, '
                        'longexit, shortexit ...')
    g.add_argument('--observer', '-ob', dest='observers', action='append', metavar='SPEC',
                   help='an observer, e.g. :DrawDown or mymod:MyObserver:period=5 (repeatable)')
    g.add_argument('--analyzer', '-an', dest='analyzers', action='append', metavar='SPEC',
                   help='an analyzer, e.g. :SharpeRatio:timeframe=5 (repeatable)')
    g.add_argument('--pranalyzer', '-pralyzer', action='store_true',
                   help='print the analyzers\' results')
    g.add_argument('--ppranalyzer', '-ppralyzer', action='store_true',
                   help='pretty-print the analyzers\' results')
    g.add_argument('--indicator', '-ind', dest='indicators', action='append', metavar='SPEC',
                   help='an indicator added to the strategy, e.g. :SMA:period=20 (repeatable)')
    g.add_argument('--writer', '-wr', dest='writers', action='append', metavar='SPEC',
                   help='a writer, e.g. :WriterFile:csv=True')
    g = p.add_argument_group('cash and commission')
    g.add_argument('--cash', type=float, help='starting cash')
    g.add_argument('--commission', '-comm', type=float, help='commission')
    g.add_argument('--margin', '-marg', type=float, help='margin (futures-like)')
    g.add_argument('--mult', '-mul', type=float, help='multiplier')
    g.add_argument('--interest', type=float, help='yearly credit interest rate')
    g.add_argument('--interest_long', action='store_true',
                   help='charge interest on long positions too')
    g.add_argument('--slip_perc', type=float, help='slippage as a fraction of the price')
    g.add_argument('--slip_fixed', type=float, help='slippage in price points')
    g.add_argument('--slip_open', action='store_true', help='slip opening prices too')
    g.add_argument('--no-slip_match', action='store_true',
                   help='do not cap slippage at the bar\'s high/low')
    g.add_argument('--slip_out', action='store_true', help='allow slipping past high/low')
    g = p.add_argument_group('output')
    g.add_argument('--plot', '-p', nargs='?', const='', metavar='KWARGS',
                   help='plot (kwargs for cerebro.plot, e.g. style="candle")')
    g.add_argument('--savefig', metavar='FILE', help='save the plot to FILE (png/svg/pdf)')
    g.add_argument('--report', metavar='FILE.html', help='write the HTML report')
    g.add_argument('--flush', action='store_true', help='flush output after every line')
    return p.parse_args(pargs)
