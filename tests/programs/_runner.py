"""Run one program under backtrader and under backtrader_ib, in several modes.

Usage: python _runner.py PROGRAM MODE [MODE ...]
(BTPROG_REFERENCE=MODE: backtrader runs in that one mode as every mode's reference)

The program is a plain script doing ``import backtrader as bt``. It runs first
with the real backtrader (in the reference mode of each requested mode), then
with ``backtrader`` and every ``backtrader.X`` resolving to ``backtrader_ib``
and ``backtrader_ib.X`` (an import hook), in each requested mode. The mode
reaches the program as JSON in the environment variable BTPROG_MODE, which the
program passes to ``Cerebro(...)``.

Each run records the program's stdout and, through a wrapper around
``Cerebro.run``, a dump of every line of the strategies' datas, indicators and
observers plus every analyzer's ``get_analysis()``. The result is one JSON
object on stdout: ``{"ref": {mode: run}, "ib": {mode: run}}``, a run being
``{"stdout": str, "dump": [[label, [values]]], "error": str|None}``.
"""
from __future__ import annotations

import contextlib
import datetime
import importlib
import importlib.abc
import importlib.util
import io
import itertools
import json
import math
import os
import runpy
import sys
import threading
import traceback
import warnings

# mode name -> Cerebro kwargs
MODES = {
    'runonce': dict(preload=True, runonce=True),
    'preload': dict(preload=True, runonce=False),
    'nopreload': dict(preload=False, runonce=False),
    'nopreload-runonce': dict(preload=False, runonce=True),
    'exactbars-1': dict(exactbars=-1),
    'exactbars-2': dict(exactbars=-2),
    'exactbars1': dict(exactbars=1),
    # backtrader_ib's general path (BTIB_GENERAL_PATH=1: no lean/fast paths)
    'general-runonce': dict(preload=True, runonce=True),
    'general-next': dict(preload=True, runonce=False),
}
GENERAL_PATH = {'general-runonce', 'general-next'}
# backtrader's memory-saving modes have defects of their own (a line reading its
# own past through a one-bar ring buffer sees NaN); their reference is backtrader's
# full-memory mode with the same preload/runonce (exactbars turns runonce off)
REFERENCE = {
    'general-runonce': 'runonce',
    'general-next': 'preload',
    'exactbars-1': 'preload',
    'exactbars-2': 'preload',
    'exactbars1': 'nopreload',
}
SAVES_MEMORY = {'exactbars-1', 'exactbars-2', 'exactbars1'}


def fmt(x, digits: int = 10) -> str:
    """A number as the dump compares it (10 significant digits by default)."""
    if isinstance(x, bool) or x is None:
        return str(x)
    try:
        f = float(x)
    except (TypeError, ValueError):
        return repr(x)
    if math.isnan(f):
        return 'nan'
    return f'{f:.{digits}g}'


def plain(obj, depth=0):
    """An analysis (nested dicts/lists of numbers and dates) as JSON-able text."""
    if depth > 8:
        return '...'
    if isinstance(obj, dict):
        return [[plain(k, depth + 1), plain(v, depth + 1)] for k, v in obj.items()]
    if isinstance(obj, (list, tuple)):
        return [plain(v, depth + 1) for v in obj]
    if isinstance(obj, (datetime.datetime, datetime.date, datetime.time)):
        return obj.isoformat()
    if isinstance(obj, str):
        return obj
    if hasattr(obj, 'to_dict') and hasattr(obj, 'index'):  # pandas objects (PyFolio)
        return plain(obj.to_dict(), depth + 1)
    return fmt(obj)


class Dumper:
    """Collects the line values of every run of ``Cerebro.run``."""

    def __init__(self, bt, memsave: bool) -> None:
        self.bt = bt
        self.memsave = memsave
        self.blocks: list = []  # one list of [label, values] rows per run
        self.lock = threading.Lock()
        self.rows: list = []

    def dump(self, unordered: bool = False) -> list:
        """Every run's rows, labelled ``run<k>.``; ``unordered``: runs sorted by content."""
        # sorted by the last values, which full-memory and memory-saving runs share
        blocks = (sorted(self.blocks, key=lambda b: json.dumps([r[1][-1:] for r in b]))
                  if unordered else self.blocks)
        out = []
        for k, block in enumerate(blocks):
            out.append(['#run', [str(k)]])
            out.extend([f'run{k}.{label}', values] for label, values in block)
        return out

    def values(self, line, digits: int = 10) -> list:
        n = len(line)
        if n == 0:
            return []
        if self.memsave:  # only the current bar is kept in every buffer
            return [fmt(line[0], digits)]
        return [fmt(line[-i], digits) for i in range(n - 1, -1, -1)]

    def lines(self, label: str, obj) -> None:
        lines = getattr(obj, 'lines', None)
        if hasattr(lines, 'getlinealiases'):
            aliases = lines.getlinealiases()
        else:  # a single line (a lazy operation's ``lines`` is ``[self]``)
            aliases, lines = ('line',), [obj]
        for name, line in zip(aliases, lines):
            # time stamps need all their digits (milliseconds are 1e-8 of a day)
            digits = 15 if name == 'datetime' else 10
            self.rows.append([f'{label}.{name}', self.values(line, digits)])

    def strategy(self, strat) -> None:
        bt = self.bt
        if not isinstance(strat, bt.Strategy):  # OptReturn: params and analyzers only
            self.analyzers('opt', strat)
            return
        tag = type(strat).__name__
        for i, data in enumerate(strat.datas):
            self.lines(f'{tag}.data{i}({data._name})', data)
        inds = strat.getindicators()
        named = {}
        for attr, value in sorted(vars(strat).items()):
            if attr.startswith('_') or attr.startswith('data'):
                continue
            for key, obj in self._members(attr, value):
                if any(obj is ind for ind in inds):
                    named.setdefault(id(obj), key)
        for ind in inds:
            if id(ind) in named:
                self.lines(f'{tag}.{named[id(ind)]}', ind)
        for i, obs in enumerate(strat.getobservers()):
            self.lines(f'{tag}.obs{i}.{type(obs).__name__}', obs)
        self.analyzers(tag, strat)

    @staticmethod
    def _members(attr, value):
        def key(k):  # a data feed as key is named by its name, not its repr
            return getattr(k, '_name', k)

        if isinstance(value, dict):
            for k, v in value.items():
                if isinstance(v, dict):
                    yield from ((f'{attr}[{key(k)}][{key(k2)}]', v2) for k2, v2 in v.items())
                else:
                    yield f'{attr}[{key(k)}]', v
        elif isinstance(value, (list, tuple)):
            yield from ((f'{attr}[{i}]', v) for i, v in enumerate(value))
        else:
            yield attr, value

    def analyzers(self, tag: str, strat) -> None:
        for name in strat.analyzers.getnames():
            an = getattr(strat.analyzers, name)
            self.rows.append([f'{tag}.analyzer.{name}', plain(an.get_analysis())])

    def run(self, results) -> None:
        with self.lock:  # runs in threads dump one at a time
            self._run(results)

    def _run(self, results) -> None:
        self.rows = []
        for strat in results:
            if isinstance(strat, (list, tuple)):  # optimisation: one list per run
                for s in strat:
                    self.strategy(s)
            else:
                self.strategy(strat)
        self.blocks.append(self.rows)


class Alias(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    """Resolve ``backtrader`` and ``backtrader.X`` to backtrader_ib's modules."""

    def __init__(self) -> None:
        self.specs: dict = {}

    def find_spec(self, fullname, path, target=None):
        if fullname == 'backtrader' or fullname.startswith('backtrader.'):
            return importlib.util.spec_from_loader(fullname, self)
        return None

    def create_module(self, spec):
        module = importlib.import_module('backtrader_ib' + spec.name[len('backtrader'):])
        self.specs[spec.name] = module.__spec__
        return module

    def exec_module(self, module):
        # the import system set the alias spec on the module: give its own back
        for spec in self.specs.values():
            if spec.name == module.__name__:
                module.__spec__ = spec


def use_backtrader_ib() -> None:
    for name in [n for n in sys.modules if n == 'backtrader' or n.startswith('backtrader.')]:
        del sys.modules[name]
    sys.meta_path.insert(0, Alias())


def run_program(path: str, lib, mode: str) -> dict:
    """Run the program once in ``mode``, with ``lib`` as its backtrader."""
    dumper = Dumper(lib, mode in SAVES_MEMORY)
    cerebro_cls = lib.Cerebro
    orig = cerebro_cls.run

    def run(self, *args, **kwargs):
        results = orig(self, *args, **kwargs)
        dumper.run(results)
        return results

    # order and trade refs count up per process: restart them so every run prints the same
    lib.Order.refbasis = itertools.count(1)
    lib.Trade.refbasis = itertools.count(1)
    os.environ['BTPROG_MODE'] = json.dumps(MODES[mode])
    os.environ['BTIB_GENERAL_PATH'] = '1' if mode in GENERAL_PATH else ''
    out = io.StringIO()
    error = None
    unordered = False
    cerebro_cls.run = run
    try:
        with contextlib.redirect_stdout(out), warnings.catch_warnings():
            warnings.simplefilter('ignore')
            unordered = runpy.run_path(path, run_name='__main__').get('UNORDERED_RUNS', False)
    except BaseException:  # noqa: BLE001 - the harness reports any failure
        error = traceback.format_exc(limit=-8)
    finally:
        cerebro_cls.run = orig
    return {'stdout': out.getvalue(), 'dump': dumper.dump(unordered), 'error': error}


def reference_mode(mode: str, forced: str | None = None) -> str:
    """The mode backtrader runs in as the reference for ``mode``."""
    return forced or REFERENCE.get(mode, mode)


def main(argv: list) -> None:
    path, modes = os.path.abspath(argv[0]), argv[1:]
    forced = os.environ.get('BTPROG_REFERENCE') or None
    sys.path.insert(0, os.path.dirname(path))
    result = {'ref': {}, 'ib': {}}
    # backtrader imports TA-Lib (and pandas with it) when installed: half a second per
    # program for wrappers no program here uses (a program that does sets USES_TALIB)
    if 'USES_TALIB' not in open(path).read():
        sys.modules.setdefault('talib', None)
    bt = importlib.import_module('backtrader')
    for refmode in dict.fromkeys(reference_mode(m, forced) for m in modes):
        result['ref'][refmode] = run_program(path, bt, refmode)
    use_backtrader_ib()
    btib = importlib.import_module('backtrader')
    assert btib.__name__ == 'backtrader_ib', btib
    for mode in modes:
        result['ib'][mode] = run_program(path, btib, mode)
    sys.__stdout__.write(json.dumps(result))


if __name__ == '__main__':
    main(sys.argv[1:])
