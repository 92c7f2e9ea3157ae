"""ibsim bugs found while building the IB store (fixed in backtrader_ib/ibsim)."""
import asyncio
import importlib

from backtrader_ib.ibsim.market import _delayed


def test_delayed_tick_types_are_ibs():
    # TWS API TickType: 66 bid, 67 ask, 68 last, 69 bid size, 70 ask size, 71 last size,
    # 72 high, 73 low, 74 volume, 75 close, 76 open, 88 last timestamp
    live = {1: 66, 2: 67, 4: 68, 0: 69, 3: 70, 5: 71, 6: 72, 7: 73, 8: 74, 9: 75, 14: 76, 45: 88}
    assert {t: _delayed(t) for t in live} == live


def test_delayed_ticks_reach_the_client_fields(sim, client):
    lib = importlib.import_module(client)
    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)
    try:
        ib = lib.IB()
        ib.connect('127.0.0.1', sim.port, clientId=3)
        sim.unsubscribe(265598)
        ib.reqMarketDataType(3)
        t = ib.reqMktData(lib.Stock('AAPL', 'SMART', 'USD', conId=265598), '', False, False)
        ib.sleep(0.2)
        sim.advance(3)
        ib.sleep(0.2)
        # sizes are sizes and prices are prices (ibsim sent last as 69, a size type)
        assert 100 < t.last < 1000 and t.bid < t.ask
        assert t.bidSize >= 1 and t.askSize >= 1 and t.volume > 1000
        ib.disconnect()
    finally:
        loop.close()
        asyncio.set_event_loop(None)
