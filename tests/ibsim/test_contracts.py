"""Contract details, look-ups and error 200 through the real clients."""
from .conftest import errors_of


def test_qualify_stock_keeps_smart(ib, lib):
    c = lib.Stock("AAPL", "SMART", "USD")
    assert ib.qualifyContracts(c) == [c]
    assert (c.conId, c.primaryExchange, c.exchange) == (265598, "NASDAQ", "SMART")
    (cd,) = ib.reqContractDetails(c)
    assert cd.longName == "APPLE INC" and cd.timeZoneId == "US/Eastern" and cd.minTick == 0.01
    assert cd.tradingHours.startswith("20240305:0400-20240305:2000")
    assert cd.liquidHours.startswith("20240305:0930-20240305:1600")
    assert [(t.tag, t.value) for t in cd.secIdList] == [("ISIN", "US0378331005")]


def test_ambiguous_without_currency(ib, lib):
    details = ib.reqContractDetails(lib.Stock("SAP", "SMART"))
    assert sorted(d.contract.currency for d in details) == ["EUR", "USD"]
    c = lib.Stock("SAP", "SMART")
    assert [x for x in ib.qualifyContracts(c) if x] == [] and c.conId == 0  # ib_async gives [None]
    assert ib.qualifyContracts(lib.Stock("SAP", "SMART", "EUR"))[0].conId == 14204


def test_unknown_contract_is_error_200(ib, lib):
    errors = errors_of(ib)
    assert ib.reqContractDetails(lib.Stock("NOPE", "SMART", "USD")) == []
    assert [e[1] for e in errors] == [200]


def test_futures_and_expired(ib, lib):
    live = ib.reqContractDetails(lib.Future("ES", exchange="CME"))
    assert all(d.contract.lastTradeDateOrContractMonth >= "20240305" for d in live)
    assert live and all(d.contract.multiplier == "50" for d in live)
    expired = lib.Future("ES", "202312", "CME", includeExpired=True)
    (cd,) = ib.reqContractDetails(expired)
    assert cd.contract.localSymbol == "ESZ3"
    assert ib.reqContractDetails(lib.Future("ES", "202312", "CME")) == []
    (front,) = ib.reqContractDetails(lib.ContFuture("ES", "CME"))
    assert front.contract.secType == "CONTFUT" and front.contract.localSymbol == "ESH4"


def test_other_asset_classes(ib, lib):
    fx = lib.Forex("EURUSD")
    assert ib.qualifyContracts(fx)[0].conId == 12087792
    assert ib.qualifyContracts(lib.Index("SPX", "CBOE"))[0].conId == 416904
    assert ib.qualifyContracts(lib.Crypto("BTC", "PAXOS", "USD"))[0].conId == 479624278
    assert ib.qualifyContracts(lib.CFD("IBUS500"))[0].secType == "CFD"
    opt = lib.Option("AAPL", "20240315", 170, "C", "SMART")
    assert ib.qualifyContracts(opt)[0].multiplier == "100"
    fop = lib.FuturesOption("ES", "20240621", 5100, "P", "CME")
    assert ib.qualifyContracts(fop)[0].secType == "FOP"


def test_option_chain_and_symbol_search(ib, lib):
    chains = ib.reqSecDefOptParams("AAPL", "", "STK", 265598)
    smart = next(c for c in chains if c.exchange == "SMART")
    assert smart.multiplier == "100" and 170.0 in smart.strikes and "20240315" in smart.expirations
    found = ib.reqMatchingSymbols("AAP")
    assert found[0].contract.symbol == "AAPL" and found[0].derivativeSecTypes == ["OPT"]
