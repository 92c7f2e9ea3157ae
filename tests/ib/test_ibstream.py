"""The stream emitter's ordering rules (notes a.3, b.7): pure."""
from backtrader_ib.stores.ibevents import BarItem, TickItem
from backtrader_ib.stores.ibstream import Emitter


def bar(t):
    return BarItem(t, 1.0, 1.0, 1.0, 1.0, 0.0)


def tick(t):
    return TickItem(t, 1.0, 0.0)


def run(msgs, latethrough=False):
    out = []
    e = Emitter(out.append, latethrough)
    for m in msgs:
        e(m)
    return out, e.last


def test_stale_and_repeated_bars_are_dropped():
    bars = [bar(t) for t in (1.0, 2.0, 2.0, 1.5, 3.0)]
    out, last = run(bars)
    assert [m.dt for m in out] == [1.0, 2.0, 3.0] and last == 3.0


def test_ticks_at_the_same_time_pass_older_ones_do_not():
    msgs = [bar(2.0), tick(2.0), tick(2.0), tick(1.9), bar(2.0), tick(2.1)]
    out, _ = run(msgs)
    assert out == [bar(2.0), tick(2.0), tick(2.0), tick(2.1)]


def test_latethrough_lets_late_items_through_without_moving_back():
    out, last = run([tick(2.0), tick(1.0), bar(2.0)], latethrough=True)
    assert [m.dt for m in out] == [2.0, 1.0, 2.0] and last == 2.0


def test_no_quote_prices_are_ignored():
    # notes d: tickPrice -1 (no quote, e.g. an FX halt) is not a price
    import datetime as dt
    from backtrader_ib.stores.ibstream import LiveStream

    class Store:
        @staticmethod
        def utcnow():
            return dt.datetime(2024, 3, 5, 15, tzinfo=dt.timezone.utc)

    out = []
    s = LiveStream(Store(), None, out.append, source='tickprice', tickfield='BID', what='BID',
                   rtwhat='TRADES', useRTH=False, timeframe=4, compression=1, begin=None,
                   stamp=None)
    s.on_price(1, -1.0, 0)
    s.on_price(2, 1.09, 5)                        # an ask: not the field asked for
    s.on_price(1, 1.08, 5)
    assert [m.price for m in out] == [1.08] and out[0].size == 0.0
