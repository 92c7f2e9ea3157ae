"""Params: declaration forms, inheritance, and clear errors."""
from __future__ import annotations

import pytest

import backtrader_ib as bt


class Base(bt.Strategy):
    params = (('period', 15), ('printlog', False))


class Child(Base):
    params = dict(period=20, stake=5)


def test_inheritance_and_defaults():
    keys = Child.params._getkeys()
    assert keys == ['period', 'printlog', 'stake']
    assert Child.params._getdefaults() == [20, False, 5]
    assert Base.params._getdefaults() == [15, False]


def test_instance_values_and_isdefault():
    c = bt.CommissionInfo(commission=2.0, margin=1000.0)
    assert c.p.commission == 2.0 and c.params.margin == 1000.0
    assert c.p.isdefault('mult') and c.p.notdefault('margin')


def test_unknown_parameter_names_class_and_valid_params():
    with pytest.raises(TypeError) as err:
        bt.sizers.FixedSize(stak=3)
    msg = str(err.value)
    assert 'FixedSize' in msg and "'stak'" in msg and 'stake' in msg and 'tranches' in msg


def test_unknown_indicator_parameter_in_a_run():
    class S(bt.Strategy):
        def __init__(self):
            bt.ind.SMA(perod=5)

    cerebro = bt.Cerebro()
    cerebro.adddata(bt.feeds.PandasData(dataname=_frame()))
    cerebro.addstrategy(S)
    with pytest.raises(TypeError, match=r"SMA: unknown parameter\(s\) 'perod'.*period"):
        cerebro.run()


def test_frompackages_imports_into_module():
    class UsesLog(bt.Indicator):
        frompackages = (('math', 'log'),)
        lines = ('x',)

    import sys
    assert sys.modules[__name__].log(1.0) == 0.0


def _frame():
    import pandas as pd
    idx = pd.date_range('2020-01-01', periods=50, freq='D')
    return pd.DataFrame({'open': 1.0, 'high': 2.0, 'low': 0.5, 'close': 1.5, 'volume': 10.0}, index=idx)


def test_function_default_stays_a_function():
    def scale(x):
        return 2 * x

    class S(bt.Strategy):
        params = (('fn', scale),)

    assert S.params.fn is scale and S.params().fn is scale and S.params().fn(3) == 6
