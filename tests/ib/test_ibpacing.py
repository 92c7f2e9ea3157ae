"""The historical pacing scheduler against IB's three rules (notes a.4), on a fake clock."""
from backtrader_ib.stores.ibpacing import HistoricalPacer


class Clock:
    def __init__(self):
        self.t = 1000.0

    def __call__(self):
        return self.t


def send(p, clock, ck, fk, weight=1, small=True):
    """Wait as told, send; returns how long it waited."""
    w = p.delay(ck, fk, weight, small)
    clock.t += w
    p.record(ck, fk, weight, small)
    return w


def test_identical_request_waits_15s():
    c = Clock()
    p = HistoricalPacer(c, margin=0)
    assert send(p, c, ('AAPL',), ('AAPL', 1)) == 0
    c.t += 3
    assert send(p, c, ('AAPL',), ('AAPL', 1)) == 12


def test_six_per_contract_in_two_seconds():
    c = Clock()
    p = HistoricalPacer(c, margin=0)
    waits = [send(p, c, ('AAPL',), ('AAPL', i)) for i in range(11)]
    assert waits[:5] == [0] * 5 and waits[5] == 2
    # any 2-second window never holds 6 requests for the contract
    times = [t for t, *_ in p._log]
    assert all(sum(1 for u in times if t <= u < t + 2) <= 5 for t in times)
    assert send(p, c, ('MSFT',), ('MSFT', 0)) == 0          # other contracts unaffected


def test_bid_ask_counts_twice():
    c = Clock()
    p = HistoricalPacer(c, margin=0)
    assert [send(p, c, ('X',), ('X', i), weight=2) for i in range(3)] == [0, 0, 2]


def test_sixty_per_ten_minutes_for_small_bars_only():
    c = Clock()
    p = HistoricalPacer(c, margin=0)
    for i in range(60):
        send(p, c, (i,), (i,))
        c.t += 1
    assert p.delay((99,), (99,), 1, small=False) == 0
    w = p.delay((99,), (99,), 1, small=True)
    assert 0 < w <= 600 - 59
    c.t += w
    assert p.delay((99,), (99,), 1, small=True) == 0


def test_identical_rule_only_for_small_bars():
    # IB documents the 15-s identical-request rule for bars of 30 s or less
    c = Clock()
    p = HistoricalPacer(c, margin=0)
    assert send(p, c, ('AAPL',), ('AAPL', '1 day'), small=False) == 0
    c.t += 3
    assert send(p, c, ('AAPL',), ('AAPL', '1 day'), small=False) == 0
    assert send(p, c, ('AAPL',), ('AAPL', '5 secs')) == 0
    c.t += 3
    assert send(p, c, ('AAPL',), ('AAPL', '5 secs')) == 12
