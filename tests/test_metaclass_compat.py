"""backtrader's metaclass idioms, line declarations and line-object methods,
each run on backtrader and backtrader_ib and compared (issue 16 items 5, 6, 8, 10).

Each ``program(bt)`` is written once and returns what user code would see.
"""
from __future__ import annotations

import importlib
import math

import pytest

import backtrader_ib
from conftest import shared_file
from difftools import reference


def both(program):
    """``program`` run on backtrader and on backtrader_ib: (reference, ours)."""
    return program(reference()), program(backtrader_ib)


def outcome(f):
    """What calling ``f`` gives: its value, or the exception type name."""
    try:
        return ('ok', f())
    except Exception as e:  # noqa: BLE001 - the type is what we compare
        return ('raises', type(e).__name__)


def daily(bt, name='2006-day-001.txt'):
    return bt.feeds.BacktraderCSVData(dataname=shared_file(name))


# -- item 8: with_metaclass / Meta* names ---------------------------------------

def params_class_program(bt):
    class Plain(bt.with_metaclass(bt.MetaParams, object)):
        params = (('period', 5), ('factor', 2.0))

        def __init__(self, extra=0):
            self.extra = extra

    class Sub(Plain):
        params = (('factor', 3.0), ('name', 'x'))

    a, b, c = Plain(), Plain(period=9, extra=4), Sub(name='y')
    return (a.p.period, a.params.factor, b.p.period, b.extra,
            c.p.factor, c.p.name, c.p.period, list(Sub.params._getkeys()),
            isinstance(type(a), bt.MetaParams), isinstance(Sub, bt.metabase.MetaParams),
            Plain.__name__, object in Plain.__mro__)


def test_with_metaclass_metaparams_object_with_params():
    ref, ours = both(params_class_program)
    assert ours == ref
    assert ours[:7] == (5, 2.0, 9, 4, 3.0, 'y', 5)


def test_with_metaclass_gives_the_declared_bases():
    class Mixin:
        def hello(self):
            return 'hi'

    class C(backtrader_ib.with_metaclass(backtrader_ib.MetaParams, Mixin)):
        params = (('a', 1),)

    assert Mixin in C.__bases__ and 'temporary_class' not in repr(C.__mro__)
    assert C(a=2).hello() == 'hi' and C(a=2).p.a == 2


def test_unknown_kwarg_to_a_with_metaclass_class_names_it():
    class Plain(backtrader_ib.with_metaclass(backtrader_ib.MetaParams, object)):
        params = (('period', 5),)

    with pytest.raises(TypeError, match=r"Plain: unknown parameter\(s\) 'perod'"):
        Plain(perod=3)


def singleton_store_program(bt):
    meta = bt.store.MetaSingleton

    class MyStore(bt.with_metaclass(meta, object)):
        params = (('host', '127.0.0.1'), ('port', 7496))

        def __init__(self):
            self.inits = getattr(self, 'inits', 0) + 1

    class OtherStore(MyStore):
        pass

    a = MyStore(port=4001)
    b = MyStore(port=9999)  # the first call's params win
    o = OtherStore()
    return (a is b, a.p.port, a.p.host, a.inits, o is a, o.p.port,
            OtherStore() is o, isinstance(type(a), meta))


def test_metasingleton_store_pattern():
    ref, ours = both(singleton_store_program)
    assert ours == ref
    assert ours == (True, 4001, '127.0.0.1', 1, False, 7496, True, True)


def test_metasingleton_is_exported_where_backtrader_has_it():
    from backtrader_ib.stores import ibstore
    assert ibstore.MetaSingleton is backtrader_ib.store.MetaSingleton
    assert backtrader_ib.metabase.MetaSingleton is backtrader_ib.store.MetaSingleton


def racing_singleton_program(bt):
    """Six threads call a singleton class at once; its __init__ is slow."""
    import threading
    import time

    class Slow(bt.with_metaclass(bt.store.MetaSingleton, object)):
        params = (('n', 0),)
        built = 0

        def __init__(self):
            time.sleep(0.01)
            type(self).built += 1

    barrier = threading.Barrier(6)
    got = []

    def call(i):
        barrier.wait()
        got.append(Slow(n=i))

    threads = [threading.Thread(target=call, args=(i,)) for i in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return Slow.built, len({id(x) for x in got})


def test_metasingleton_first_call_wins_across_threads():
    ref, ours = both(racing_singleton_program)
    assert ref[0] > 1 and ref[1] > 1  # backtrader builds several "singletons"
    assert ours == (1, 1)


def hooks_program(bt):
    """A user metaclass overriding backtrader's creation steps on an indicator."""
    log = []

    class MetaTagged(bt.Indicator.__class__):
        def donew(cls, *args, **kwargs):
            obj, args, kwargs = super().donew(*args, **kwargs)
            obj.tag = 'new'  # set before __init__ runs
            log.append(('donew', cls.__name__, obj.p.period))
            return obj, args, kwargs

        def dopostinit(cls, obj, *args, **kwargs):
            obj, args, kwargs = super().dopostinit(obj, *args, **kwargs)
            log.append(('dopostinit', obj.tag, obj._minperiod))
            return obj, args, kwargs

    class Tagged(bt.with_metaclass(MetaTagged, bt.Indicator)):
        lines = ('out',)
        params = (('period', 4),)

        def __init__(self):
            self.tag = self.tag + '+init'
            self.lines.out = bt.indicators.SMA(self.data, period=self.p.period) * 2

    class St(bt.Strategy):
        def __init__(self):
            self.ind = Tagged(period=6)
            self.vals = []

        def next(self):
            self.vals.append(round(self.ind.out[0], 8))

    cerebro = bt.Cerebro()
    cerebro.adddata(daily(bt))
    cerebro.addstrategy(St)
    st = cerebro.run()[0]
    return log, st.ind.tag, st.vals[:5], len(st.vals), isinstance(Tagged, bt.MetaIndicator)


def test_user_metaclass_overriding_donew_and_dopostinit():
    ref, ours = both(hooks_program)
    assert ours == ref
    assert ours[0] == [('donew', 'Tagged', 6), ('dopostinit', 'new+init', 6)]


def metabase_program(bt):
    """MetaBase alone: the five steps, no params handling."""
    seen = []

    class Meta(bt.metabase.MetaBase):
        def doprenew(cls, *args, **kwargs):
            seen.append('prenew')
            return cls, args, kwargs

        def dopreinit(cls, obj, *args, **kwargs):
            obj.pre = args
            return obj, args, kwargs

    class Thing(bt.with_metaclass(Meta, object)):
        def __init__(self, a, b=2):
            self.total = a + b

    t = Thing(1, b=5)
    return seen, t.pre, t.total, hasattr(t, 'params')


def test_metabase_steps_without_params():
    ref, ours = both(metabase_program)
    assert ours == ref == (['prenew'], (1,), 6, False)


def _meta_names(bt) -> dict:
    """Every Meta* class a module of ``bt`` offers (the modules user code imports)."""
    mods = ['', 'metabase', 'lineroot', 'lineseries', 'lineiterator', 'linebuffer',
            'indicator', 'observer', 'analyzer', 'strategy', 'broker', 'feed', 'store',
            'sizer']
    out = {}
    for m in mods:
        mod = importlib.import_module(bt.__name__ + ('.' + m if m else ''))
        for n in dir(mod):
            if n.startswith(('Meta', 'Mt')) and isinstance(getattr(mod, n), type):
                out[f'{m}.{n}'] = getattr(mod, n)
    return out


def test_every_backtrader_meta_name_exists_and_subclasses():
    ref = _meta_names(reference())
    ours = _meta_names(backtrader_ib)
    assert set(ref) - set(ours) == set()
    for name, meta in ours.items():
        if not issubclass(meta, backtrader_ib.MetaParams):
            continue  # MetaBase: no params (as in backtrader)
        # usable as the base of a user metaclass, with params
        sub = type('MetaUser', (meta,), {})
        cls = sub('UserCls', (object,), {'params': (('x', 1),)})
        assert cls(x=3).p.x == 3, name


@pytest.mark.parametrize('family', ['Indicator', 'Strategy', 'Analyzer', 'Observer', 'Sizer'])
def test_family_metaclass_with_metaclass_subclass(family):
    """``class X(with_metaclass(MetaFamily, bt.Family))`` (how backtrader's own code
    and ported user code spell it) builds a working member of the family."""
    bt = backtrader_ib
    base = getattr(bt, family)
    meta = {'Indicator': bt.MetaIndicator, 'Strategy': bt.MetaStrategy,
            'Analyzer': bt.MetaAnalyzer, 'Observer': bt.MetaObserver,
            'Sizer': bt.sizer.MetaParams}[family]
    X = type('X', (bt.with_metaclass(meta, base),), {'params': (('k', 1),)})
    assert X.__bases__ == (base,) and X.params._getkeys()[-1] == 'k'


# -- item 6: linesoverride --------------------------------------------------------

def bidask_program(bt, mode, override=True):
    body = {'lines': ('bid', 'ask', 'datetime'),
            'params': (('bid', 1), ('ask', 2), ('dtformat', '%m/%d/%Y %H:%M:%S'),
                       ('timeframe', bt.TimeFrame.Ticks))}
    if override:  # the class body says ``linesoverride = True``
        body['linesoverride'] = True
    else:  # the inherited OHLC lines: not in the file
        body['lines'] = ('bid', 'ask')
        body['params'] += tuple((n, -1) for n in ('open', 'high', 'low', 'close', 'volume',
                                                   'openinterest'))
    BidAskCSV = type('BidAskCSV', (bt.feeds.GenericCSVData,), body)

    class Sub(BidAskCSV):  # linesoverride is not inherited: lines are inherited
        lines = ('mid',)

    class St(bt.Strategy):
        def __init__(self):
            self.spread = self.data.ask - self.data.bid
            self.sma = bt.indicators.SMA(self.data.bid, period=3)
            self.rows = []

        def next(self):
            self.rows.append((len(self), self.data.datetime.datetime(0).isoformat(),
                              self.data.bid[0], self.data.ask[0],
                              round(self.spread[0], 8), round(self.sma[0], 8)))

    cerebro = bt.Cerebro(**mode)
    data = BidAskCSV(dataname=shared_file('bidask.csv'))
    cerebro.adddata(data)
    cerebro.addstrategy(St)
    st = cerebro.run()[0]
    return (data.lines.getlinealiases(), data.getlinealiases(), data.size(),
            Sub.lines._getlines(), hasattr(data.lines, 'close'), st.rows)


@pytest.mark.parametrize('mode', [dict(), dict(runonce=False), dict(preload=False)],
                         ids=['runonce', 'next', 'nopreload'])
def test_linesoverride_feed_matches_backtrader(mode):
    ref, ours = both(lambda bt: bidask_program(bt, mode))
    assert ours == ref
    assert ours[0] == ('bid', 'ask', 'datetime') and ours[2] == 3
    assert ours[3][:3] == ('bid', 'ask', 'datetime') and not ours[4]
    assert len(ours[5]) > 5


def test_without_linesoverride_the_lines_are_appended():
    ref, ours = both(lambda bt: bidask_program(bt, {}, override=False))
    assert ours == ref
    assert ours[0][-2:] == ('bid', 'ask') and 'close' in ours[0]


def indicator_override_program(bt):
    class Two(bt.Indicator):
        lines = ('a', 'b')

        def __init__(self):
            self.l.a = self.data.close * 1
            self.l.b = self.data.close * 2

    class OnlyC(Two):
        linesoverride = True
        lines = ('c',)

        def __init__(self):
            self.l.c = self.data.close + 1

    class St(bt.Strategy):
        def __init__(self):
            self.ind = OnlyC()
            self.vals = []

        def next(self):
            self.vals.append(self.ind.c[0])

    cerebro = bt.Cerebro()
    cerebro.adddata(daily(bt))
    cerebro.addstrategy(St)
    st = cerebro.run()[0]
    return OnlyC.lines._getlines(), st.ind.size(), st.vals[:3], len(st.vals)


def test_linesoverride_on_an_indicator():
    ref, ours = both(indicator_override_program)
    assert ours == ref and ours[0] == ('c',)


# -- item 5: LinePlotterIndicator names its line ------------------------------------

def lineplotter_program(bt, mode, second=False):
    class St(bt.Strategy):
        def __init__(self):
            self.hilo = bt.LinePlotterIndicator(self.data.high - self.data.low, name='hilo')
            self.other = (bt.LinePlotterIndicator(self.data.close * 2, name='dbl')
                          if second else self.hilo)
            self.rows = []

        def next(self):
            self.rows.append((self.hilo.hilo[0], self.hilo.lines.hilo[0], self.hilo[0],
                              self.other.dbl[0] if second else self.other[0]))

    cls = bt.LinePlotterIndicator
    saved = cls.lines, cls.plotlines  # backtrader changes them on every call
    try:
        cerebro = bt.Cerebro(**mode)
        cerebro.adddata(daily(bt))
        cerebro.addstrategy(St)
        st = cerebro.run()[0]
    finally:
        cls.lines, cls.plotlines = saved
    return (st.hilo.lines.getlinealiases(), [r[:3] for r in st.rows],
            st.other.lines.getlinealiases(), [r[3] for r in st.rows],
            [2 * c for c in st.data.close.array])


def test_lineplotterindicator_name_names_the_line():
    ref, ours = both(lambda bt: lineplotter_program(bt, {}))
    assert ours == ref
    assert ours[0] == ('hilo',) and len(ours[1]) == 255
    # bar by bar, backtrader's plotter raises IndexError (its line is never
    # advanced); ours gives the same values as in runonce mode
    with pytest.raises(IndexError):
        lineplotter_program(reference(), dict(runonce=False))
    assert lineplotter_program(backtrader_ib, dict(runonce=False)) == ref


def test_each_lineplotterindicator_has_its_own_line():
    # backtrader adds each name to the class itself: a second plotter gets
    # lines ('hilo', 'dbl') and its line 0 stays empty (NaN in runonce mode,
    # IndexError bar by bar). Here each plotter has its one named line
    # (docs/differences.md).
    bt = reference()
    ref = lineplotter_program(bt, {}, second=True)
    assert ref[2] == ('hilo', 'dbl') and all(math.isnan(v) for v in ref[3])
    for mode in (dict(), dict(runonce=False)):
        ours = lineplotter_program(backtrader_ib, mode, second=True)
        assert ours[0] == ('hilo',) and ours[2] == ('dbl',)
        assert ours[3] == ours[4]  # twice the close


def test_lineplotterindicator_bad_name_is_a_clear_error():
    class St(backtrader_ib.Strategy):
        def __init__(self):
            backtrader_ib.LinePlotterIndicator(self.data.close, name='not a name')

    cerebro = backtrader_ib.Cerebro()
    cerebro.adddata(daily(backtrader_ib))
    cerebro.addstrategy(St)
    with pytest.raises(ValueError, match="LinePlotterIndicator: name must be an identifier"):
        cerebro.run()


# -- item 10: LineIterator/LineBuffer methods on lazy operations ---------------------

def ops_program(bt):
    got = {}

    class Spread(bt.Indicator):
        lines = ('x',)

        def __init__(self):
            self.l.x = self.data - bt.indicators.SMA(self.data, period=3)

    class St(bt.Strategy):
        def __init__(self):
            d = self.data
            ops = {'sub': d.close - d.open, 'own': abs(d.close - d.open),
                   'cmp': d.close > d.open, 'delay': d.close(-2),
                   'if': bt.If(d.close > d.open, d.close, d.open), 'max': bt.Max(d.close, 1.0),
                   'and': bt.And(d.close > 1, d.open > 1), 'coupler': d.close()}
            for name, op in ops.items():
                got[name] = {
                    'getindicators': outcome(lambda: op.getindicators()),
                    'getindicators_lines': outcome(lambda: op.getindicators_lines()),
                    'getobservers': outcome(lambda: op.getobservers()),
                    'plotinfo': outcome(lambda: op.plotinfo is not None),
                    'params': outcome(lambda: list(op.params._getkeys())),
                    'p': outcome(lambda: list(op.p._getkwargs().items())),
                    'owner': outcome(lambda: op._owner is self),
                    'lines': outcome(lambda: len(op.lines) if hasattr(op, 'lines') else None),
                }
            sma = Spread(d)
            got['ind'] = {
                'getindicators': outcome(lambda: len(sma.getindicators())),
                'getindicators_lines': outcome(lambda: len(sma.getindicators_lines())),
                'getobservers': outcome(lambda: sma.getobservers()),
                '_getline': outcome(lambda: (sma._getline(0) is sma.lines[0],
                                             sma._getline('x') is sma.lines.x,
                                             sma._getline(-1, minusall=True))),
                'alias': outcome(lambda: tuple(bt.indicators.SMA.alias)),
            }
            got['dataline'] = (len(d.close.lines), d.close.lines[0] is d.close,
                               ops['sub'].extension, list(bt.Strategy.packages),
                               list(bt.Strategy.frompackages))
            self.op = ops['sub']

        def next(self):
            if len(self) == 5:
                op = self.op
                got['next'] = (list(op.plot()), list(op.plotrange(0, 3)),
                               op.getzeroval(1), list(op.getzero(0, 2)),
                               op.get_idx() == self.data.close.get_idx(),
                               op.arrayize(op) is op, op.arrayize(5)[10])

    cerebro = bt.Cerebro(runonce=False)
    cerebro.adddata(daily(bt))
    cerebro.addstrategy(St)
    cerebro.run()
    return got


def test_lazy_operation_methods_match_backtrader():
    ref, ours = both(ops_program)
    assert ours == ref
    assert ours['sub']['getindicators'] == ('ok', [])


def datetime_helpers_program(bt):
    rows = []

    class St(bt.Strategy):
        def next(self):
            dt = self.data.datetime
            noon = bt.date2num(__import__('datetime').datetime(2000, 1, 1, 12)) % 1
            rows.append((dt.dt(), dt.tm_raw(), dt.tm(), dt.tm_lt(noon), dt.tm_le(noon),
                         dt.tm_eq(noon), dt.tm_gt(noon), dt.tm_ge(noon),
                         dt.tm2dtime(noon), dt.tm2datetime(noon).isoformat()))

    cerebro = bt.Cerebro()
    cerebro.adddata(bt.feeds.BacktraderCSVData(dataname=shared_file('2006-min-005.txt')))
    cerebro.addstrategy(St)
    cerebro.run()
    return rows[:40] + rows[-3:]


def test_datetime_line_helpers_match_backtrader():
    ref, ours = both(datetime_helpers_program)
    assert ours == ref
    assert isinstance(ours[0][0], int) and not math.isnan(ours[0][1])


def bound_input_program(bt, mode):
    """An indicator whose line is bound straight to an input line (no child
    indicator or operation computes it)."""
    class Alias(bt.Indicator):
        lines = ('x',)

        def __init__(self):
            self.l.x = self.data.close

    class St(bt.Strategy):
        def __init__(self):
            self.ind = Alias()
            self.vals = []

        def next(self):
            self.vals.append(self.ind.x[0])

    cerebro = bt.Cerebro(**mode)
    cerebro.adddata(daily(bt))
    cerebro.addstrategy(St)
    return cerebro.run()[0].vals


@pytest.mark.parametrize('mode', [dict(), dict(runonce=False), dict(preload=False)],
                         ids=['runonce', 'next', 'nopreload'])
def test_line_bound_straight_to_an_input(mode):
    ref, ours = both(lambda bt: bound_input_program(bt, mode))
    assert ours == ref and len(ours) == 255 and not any(map(math.isnan, ours))


def redeclared_line_program(bt):
    class F(bt.feeds.GenericCSVData):  # no linesoverride: 'datetime' is already a line
        lines = ('bid', 'ask', 'datetime')
        params = (('bid', 1), ('ask', 2), ('dtformat', '%m/%d/%Y %H:%M:%S'),
                  ('timeframe', bt.TimeFrame.Ticks), ('open', -1), ('high', -1), ('low', -1),
                  ('close', -1), ('volume', -1), ('openinterest', -1))

    rows = []

    class St(bt.Strategy):
        def next(self):
            rows.append((self.data.datetime[0], self.data.lines[6][0], self.data.bid[0]))

    cerebro = bt.Cerebro()
    cerebro.adddata(F(dataname=shared_file('bidask.csv')))
    cerebro.addstrategy(St)
    cerebro.run()
    return F.lines._getlines(), rows


def test_redeclaring_a_base_line_keeps_one_line_of_that_name():
    (ref_lines, ref_rows), (lines, rows) = both(redeclared_line_program)
    # backtrader appends a second 'datetime' line: the feed fills it, and the
    # original one (index 6, which index-based code reads) stays NaN
    assert ref_lines.count('datetime') == 2 and all(math.isnan(r[1]) for r in ref_rows)
    assert lines.count('datetime') == 1 and lines[6] == 'datetime'
    assert [(r[0], r[0], r[2]) for r in ref_rows] == rows
