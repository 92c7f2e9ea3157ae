"""backtrader's whole public surface exists here under the same dotted paths.

Every module of the installed backtrader package (pkgutil.walk_packages) must
exist as ``backtrader_ib.<same path>``, and each of its public names (no
leading underscore) must exist in it, except names that are accidents of
backtrader's Python 2 compatibility and imports. Which names count is decided
by a rule, plus the short explicit lists below (each entry says why).

The rule, for a public name ``n`` of backtrader module ``M``:

* a module object counts when it is a submodule of ``M`` (``bt.feeds.yahoo``);
  other modules (``bt.feeds.feed``, ``datetime``, ``bt.bt``) are imports;
* a class or function counts when ``M`` defines it (its ``__module__`` is
  ``M``), or ``M`` is a package and one of its submodules defines it (a
  package re-export such as ``bt.feeds.VChartCSVData``); anything from another
  module is an import (``bt.analyzers.TimeFrame``, ``bt.cerebro.with_metaclass``);
* any other object (constants, dicts, lists) counts when ``M``'s source (or,
  for a package, a submodule's) assigns it at module level outside a ``for``
  loop; loop variables left in the namespace (``bt.indicators.movav``) and
  names imported from elsewhere (``MAXINT`` in analyzers) do not;
* ``__future__`` features (``division`` ...) never count.

Modules backtrader cannot import here (its IbPy and oandapy modules) are read
with ``ast`` for the names their source defines.
"""
from __future__ import annotations

import __future__
import ast
import functools
import importlib
import inspect
import os
import pkgutil
import types
import warnings

import pytest

bt = pytest.importorskip('backtrader', reason='backtrader 1.9.78.123 (test-only reference) '
                         'is not installed')


def import_reference_plot():
    """Import backtrader.plot keeping matplotlib's backend: backtrader forces
    TkAgg at import, which would break every later chart in a headless run."""
    import matplotlib
    saved = dict.__getitem__(matplotlib.rcParams, 'backend')
    try:
        importlib.import_module('backtrader.plot')
    finally:
        dict.__setitem__(matplotlib.rcParams, 'backend', saved)


import_reference_plot()

# -- names that are accidents, not API ------------------------------------------------------
ACCIDENTS = {
    # classes made at run time by backtrader's metaclasses (one per params/lines class
    # built, so the list depends on what was imported); backtrader_ib makes its own
    'dynamic': ('AutoInfoClass_', 'Lines_'),  # name prefixes
    # backtrader.plot.touse: the matplotlib backend backtrader forces when the first
    # one fails at import; backtrader_ib never changes the user's backend
    ('backtrader.plot', 'touse'): 'backend chosen at import',
    # `try: bytes except NameError: bytes = str` (Python 2)
    ('backtrader.brokers.ibbroker', 'bytes'): 'Python 2 compatibility',
    ('backtrader.stores.ibstore', 'bytes'): 'Python 2 compatibility',
    # helpers of IbPy's message API; backtrader_ib's IB store is built on
    # ib_insync/ib_async, which parse RTVolume ticks and dispatch messages themselves
    ('backtrader.brokers.ibbroker', 'IBOrderState'): 'IbPy order-state printer',
    ('backtrader.stores.ibstore', 'RTVolume'): 'IbPy RTVolume tick parser',
    ('backtrader.stores.ibstore', 'ibregister'): 'IbPy message-handler decorator',
    # internals of backtrader's btrun command (modules loaded under random names with
    # the deprecated imp/load_module, sys.exit on errors); backtrader_ib.btrun.btrun
    # has load_component/parse_kwargs/build for the same steps
    ('backtrader.btrun.btrun', 'getfunctions'): 'btrun internal',
    ('backtrader.btrun.btrun', 'getmodclasses'): 'btrun internal',
    ('backtrader.btrun.btrun', 'getmodfunctions'): 'btrun internal',
    ('backtrader.btrun.btrun', 'getobjects'): 'btrun internal',
    ('backtrader.btrun.btrun', 'loadmodule'): 'btrun internal',
    ('backtrader.btrun.btrun', 'loadmodule2'): 'btrun internal (Python 2 imp)',
    ('backtrader.btrun.btrun', 'loadmodule3'): 'btrun internal',
    ('backtrader.btrun.btrun', 'setbroker'): 'btrun internal',
}

# -- names still missing, owned by other areas (remove an entry when it lands) -------------
KNOWN_GAPS: set = set()  # (backtrader module, name) pairs not here yet, each with why


def _reference_modules() -> list[str]:
    names = ['backtrader'] + [m.name for m in pkgutil.walk_packages(
        bt.__path__, 'backtrader.', onerror=lambda name: None)]
    return sorted(set(names))


MODULES = _reference_modules()


def _under(name: str, pkg: str) -> bool:
    return name == pkg or name.startswith(pkg + '.')


def _source_path(modname: str) -> str:
    spec = importlib.util.find_spec(modname)
    return spec.origin


@functools.lru_cache(maxsize=None)
def _assigned(modname: str, loops: bool = False) -> frozenset:
    """Names a module's source binds at module level outside for loops (inside
    them, with ``loops=True``: the loop variables and what the body assigns)."""
    with open(_source_path(modname), encoding='utf-8') as f, warnings.catch_warnings():
        warnings.simplefilter('ignore', SyntaxWarning)  # backtrader's '\*' in docstrings
        warnings.simplefilter('ignore', DeprecationWarning)
        tree = ast.parse(f.read())
    out: set = set()

    def visit(stmts, inloop=False):
        for node in stmts:
            if isinstance(node, (ast.For, ast.AsyncFor, ast.While)):
                if loops:
                    if not isinstance(node, ast.While):
                        out.update(n.id for n in ast.walk(node.target)
                                   if isinstance(n, ast.Name))
                    visit(node.body, True)
                continue  # loop leftovers are not API
            if loops and not inloop:
                for field in ('body', 'orelse', 'handlers', 'finalbody'):
                    sub = getattr(node, field, None)
                    if isinstance(sub, list) and not isinstance(
                            node, (ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)):
                        visit(sub)
                continue
            if isinstance(node, (ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)):
                out.add(node.name)
            elif isinstance(node, ast.Assign):
                for t in node.targets:
                    for n in ast.walk(t):
                        if isinstance(n, ast.Name):
                            out.add(n.id)
            elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
                out.add(node.target.id)
            for field in ('body', 'orelse', 'handlers', 'finalbody'):
                sub = getattr(node, field, None)
                if isinstance(sub, list) and not isinstance(
                        node, (ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)):
                    visit(sub, inloop)

    visit(tree.body)
    return frozenset(out)


def _loop_leftovers(modname: str, ispkg: bool) -> set:
    """Loop variables (and loop-body assignments) of a module, or of a package
    and its submodules (a star import carries them along)."""
    mods = [modname] + ([m for m in MODULES if m.startswith(modname + '.')] if ispkg else [])
    out: set = set()
    for m in mods:
        try:
            out |= _assigned(m, loops=True) - _assigned(m)
        except (OSError, TypeError):
            pass
    return out


def _dynamic(name: str) -> bool:
    return name.startswith(ACCIDENTS['dynamic'])


def required_names(modname: str) -> list[str]:
    """The public names of backtrader module ``modname`` that backtrader_ib must have."""
    try:
        mod = importlib.import_module(modname)
    except ImportError:  # IbPy / oandapy modules: what the source defines
        return sorted(n for n in _assigned(modname)
                      if not n.startswith('_') and (modname, n) not in ACCIDENTS)
    ispkg = hasattr(mod, '__path__')
    own = _assigned(modname)
    leftovers = _loop_leftovers(modname, ispkg) - own
    subs = None
    out = []
    for name, obj in vars(mod).items():
        if name.startswith('_') or (modname, name) in ACCIDENTS or _dynamic(name):
            continue
        if name in leftovers:
            continue
        if isinstance(obj, __future__._Feature):
            continue
        if isinstance(obj, types.ModuleType):
            if _under(obj.__name__, modname) and obj.__name__ != modname:
                out.append(name)
            continue
        if inspect.isclass(obj) or inspect.isfunction(obj):
            home = obj.__module__ or ''
            if home == modname or (ispkg and _under(home, modname)):
                out.append(name)
            continue
        if name in own:
            out.append(name)
        elif ispkg:
            if subs is None:
                subs = [m for m in MODULES if m.startswith(modname + '.')]
            for sub in subs:
                submod = importlib.sys.modules.get(sub)
                if submod is not None and getattr(submod, name, None) is obj \
                        and name in _assigned(sub):
                    out.append(name)
                    break
    return sorted(out)


def ours(modname: str) -> str:
    return 'backtrader_ib' + modname[len('backtrader'):]


@pytest.mark.parametrize('modname', MODULES)
def test_module_exists_with_every_public_name(modname):
    mine = importlib.import_module(ours(modname))
    missing = [n for n in required_names(modname)
               if not hasattr(mine, n) and (modname, n) not in KNOWN_GAPS]
    assert not missing, f'{ours(modname)} lacks {missing}'


def test_known_gaps_are_still_gaps():
    """An entry of KNOWN_GAPS that now exists must leave the list."""
    closed = [(m, n) for m, n in sorted(KNOWN_GAPS)
              if hasattr(importlib.import_module(ours(m)), n)]
    assert not closed, f'remove from KNOWN_GAPS: {closed}'


def test_the_rule_sees_what_it_should():
    """Spot checks of the rule itself: API counted, accidents not."""
    top = required_names('backtrader')
    assert {'ResamplerDaily', 'ReplayerWeekly', 'LinesCoupler', 'feeds', 'filler'} <= set(top)
    assert not {'datetime', 'itertools', 'division', 'bt', 'collections'} & set(top)
    feeds = required_names('backtrader.feeds')
    assert {'VChartCSVData', 'SierraChartCSVData', 'MT4CSVData', 'TIMEFRAMES',
            'vchartcsv'} <= set(feeds)
    assert not {'TimeFrame', 'feed', 'date2num', 'string_types'} & set(feeds)
    assert 'movav' not in required_names('backtrader.indicators')  # a loop variable
    assert 'MAXINT' not in required_names('backtrader.analyzers')  # an import
    assert {'MUSECONDS_PER_DAY', 'STDOFFSET'} <= set(required_names(
        'backtrader.utils.dateintern'))
    # modules backtrader cannot import here are read from source
    assert {'OandaData', 'MetaOandaData'} <= set(required_names('backtrader.feeds.oanda'))


def test_walk_covers_the_modules_named_in_the_brief():
    for name in ('flt', 'signals', 'sizers.fixedsize', 'sizers.percents_sizer',
                 'utils.dateintern', 'utils.ordereddefaultdict', 'plot.plot',
                 'plot.formatters', 'plot.locator', 'plot.multicursor', 'plot.utils',
                 'feeds.vchartcsv', 'feeds.vchart', 'feeds.vchartfile', 'feeds.sierrachart',
                 'feeds.mt4csv', 'feeds.quandl', 'feeds.influxfeed', 'feeds.blaze',
                 'stores.vchartfile'):
        assert 'backtrader.' + name in MODULES


# -- top-level resampler/replayer names (issue 16 item 9) ---------------------------------

def test_resampler_classes_import_from_the_top():
    from backtrader_ib import (Replayer, ReplayerDaily, ReplayerMinutes,  # noqa: F401
                               ReplayerMonthly, ReplayerSeconds, ReplayerTicks,
                               ReplayerWeekly, Resampler, ResamplerDaily, ResamplerMinutes,
                               ResamplerMonthly, ResamplerSeconds, ResamplerTicks,
                               ResamplerWeekly, ResamplerYearly)
    assert ResamplerDaily.params.timeframe == bt.TimeFrame.Days
    assert ReplayerWeekly.params.timeframe == bt.TimeFrame.Weeks


@pytest.mark.parametrize('filt, kw', [('ResamplerWeekly', {}),
                                      ('ResamplerMonthly', dict(bar2edge=False)),
                                      ('ReplayerWeekly', {})])
def test_resampler_class_as_a_filter_same_as_backtrader(filt, kw):
    from conftest import shared_file
    import backtrader_ib
    out = []
    for pkg in (bt, backtrader_ib):
        got = []

        class Rec(pkg.Strategy):
            def next(self):
                got.append((len(self), self.data.datetime[0], self.data.open[0],
                            self.data.high[0], self.data.low[0], self.data.close[0]))

        data = pkg.feeds.BacktraderCSVData(dataname=shared_file('2006-day-001.txt'))
        data.addfilter(getattr(pkg, filt), **kw)
        cerebro = pkg.Cerebro(stdstats=False)
        cerebro.adddata(data)
        cerebro.addstrategy(Rec)
        cerebro.run()
        out.append(got)
    assert len(out[0]) > 10 and out[0] == out[1]


# -- helpers users call: the same answers as backtrader's -----------------------------------

def test_dateintern_functions_match_backtrader():
    import datetime
    import backtrader.utils.dateintern as ref
    import backtrader_ib.utils.dateintern as mine
    stamps = [datetime.datetime(2006, 1, 2, 9, 30, 15, 250000),
              datetime.datetime(1999, 12, 31, 23, 59, 59, 999990),
              datetime.datetime(2020, 2, 29)]
    for dt in stamps:
        assert mine.date2num(dt) == ref.date2num(dt)
        n = ref.date2num(dt)
        assert mine.num2date(n) == ref.num2date(n)
        assert mine.num2dt(n) == ref.num2dt(n)
        assert mine.num2time(n) == ref.num2time(n)
        assert mine.time2num(dt.time()) == ref.time2num(dt.time())
    for k in ('HOURS_PER_DAY', 'MINUTES_PER_HOUR', 'SECONDS_PER_MINUTE', 'MUSECONDS_PER_SECOND',
              'MINUTES_PER_DAY', 'SECONDS_PER_DAY', 'MUSECONDS_PER_DAY', 'TIME_MAX', 'TIME_MIN',
              'ZERO', 'STDOFFSET', 'DSTOFFSET', 'DSTDIFF'):
        assert getattr(mine, k) == getattr(ref, k), k
    tz = mine.tzparse('Europe/Berlin')
    n = mine.date2num(tz.localize(datetime.datetime(2006, 7, 1, 12)))
    assert n == ref.date2num(ref.tzparse('Europe/Berlin').localize(
        datetime.datetime(2006, 7, 1, 12)))
    assert mine.num2date(n, tz) == ref.num2date(n, ref.tzparse('Europe/Berlin'))
    assert mine.Localizer(None) is None and ref.Localizer(None) is None


def test_ordereddefaultdict_and_tree():
    from backtrader_ib.utils import OrderedDefaultdict, Tree, ordereddefaultdict
    d = ordereddefaultdict.OrderedDefaultdict(list)
    d['b'].append(1)
    d['a'].append(2)
    assert list(d.items()) == [('b', [1]), ('a', [2])] and OrderedDefaultdict is type(d)
    with pytest.raises(KeyError):
        OrderedDefaultdict()['x']
    t = Tree()
    t['x']['y']['z'] = 1
    assert t['x']['y']['z'] == 1 and isinstance(t['x'], type(t))


def test_simple_filter_wrapper_drops_bars_like_backtrader():
    from conftest import shared_file
    import backtrader_ib
    out = []
    for pkg in (bt, backtrader_ib):
        got = []

        class Rec(pkg.Strategy):
            def next(self):
                got.append(self.data.datetime[0])

        data = pkg.feeds.BacktraderCSVData(dataname=shared_file('2006-day-001.txt'))
        wrapper = pkg.SimpleFilterWrapper(data, lambda d, cut: d.close[0] > cut, 3700.0)
        data.addfilter(lambda d: wrapper(d) or False)
        cerebro = pkg.Cerebro(stdstats=False)
        cerebro.adddata(data)
        cerebro.addstrategy(Rec)
        cerebro.run()
        out.append(got)
    assert 0 < len(out[0]) < 255 and out[0] == out[1]


def test_sizers_live_in_backtraders_modules():
    import backtrader_ib
    from backtrader_ib.sizers import fixedsize, percents_sizer
    assert backtrader_ib.sizers.FixedSize is fixedsize.FixedSize is backtrader_ib.SizerFix
    assert backtrader_ib.sizers.AllInSizerInt is percents_sizer.AllInSizerInt
    assert backtrader_ib.flt.Filter is backtrader_ib.Filter
    assert backtrader_ib.signals.SIGNAL_LONG == bt.SIGNAL_LONG


def test_lazy_subpackages_do_not_load_matplotlib_at_import():
    import subprocess
    import sys
    code = ('import sys, backtrader_ib as bt; assert "matplotlib" not in sys.modules; '
            'bt.plot; assert "matplotlib" in sys.modules; print(bt.btrun.__name__)')
    res = subprocess.run([sys.executable, '-c', code], capture_output=True, text=True,
                         cwd=os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    assert res.returncode == 0, res.stderr
    assert res.stdout.strip() == 'backtrader_ib.btrun'


def test_findbases_same_as_backtrader():
    import backtrader.metabase as ref
    import backtrader_ib.metabase as mine

    class Top:
        pass

    class A(Top):
        pass

    class B(A):
        pass

    class C(Top):
        pass

    class Other:
        pass

    class D(B, Other, C):
        pass

    for kls in (D, B, A, Top):
        assert mine.findbases(kls, Top) == ref.findbases(kls, Top)
    assert mine.findbases(D, Top) == [Top, A, B, Top, C]  # topclass itself counts


def test_scheme_colour_tables_same_as_backtrader():
    import backtrader_ib.plot.scheme as mine
    ref = importlib.import_module('backtrader.plot.scheme')
    for name in ('tableau10', 'tableau10_light', 'tableau20', 'tab10_index'):
        assert getattr(mine, name) == getattr(ref, name), name
