"""Contract strings: backtrader's dash grammar and the readable ``SYMBOL.VENUE`` form.

``parse_contract`` is pure: it turns a ``dataname``/``tradename`` into the
fields of an IB contract (a dict), so it can be checked without a gateway.

Dash grammar (backtrader's, tokens split on ``-``)::

    SYMBOL[-SECTYPE|-EXPIRY][-EXCHANGE][-CURRENCY][-...]

* ``AAPL``, ``AAPL-STK-SMART-USD``, ``SPX-IND-CBOE``, ``IBUS500-CFD``
* ``EUR.USD-CASH-IDEALPRO``: CASH splits the dotted pair (exchange IDEALPRO
  when not given: backtrader's SMART never works for FX)
* ``ES-202412-CME[-USD[-50]]`` or ``ES-FUT-CME-USD-202412[-50]``: a future;
  two more tokens ``-STRIKE-RIGHT`` make it a futures option (FOP)
* ``ES-FOP-CME-USD-20241220-5000-C[-50]`` (backtrader documents this form but
  drops expiry/strike/right; here it works)
* ``AAPL-20241220-SMART-USD-150-C[-100]``, ``AAPL-OPT-SMART-USD-20241220-150-C``
* ``ES-CONTFUT-CME``, ``BTC-CRYPTO-PAXOS-USD``, any other IB secType

Readable form (no dash)::

    EUR/USD.IDEALPRO   BTC/USD.PAXOS   AAPL.NASDAQ   ESZ5.CME   ^SPX.CBOE
"""
from __future__ import annotations

import re
from typing import Any

__all__ = ('parse_contract', 'describe_contract', 'ContractError')

# secTypes with an expiry, and those with a strike and right too
_DATED = ('FUT', 'OPT', 'FOP', 'WAR')
_OPTIONS = ('OPT', 'FOP', 'WAR')
SECTYPES = ('STK', 'CASH', 'IND', 'CFD', 'FUT', 'OPT', 'FOP', 'WAR', 'CONTFUT',
            'CRYPTO', 'BOND', 'CMDTY', 'FUND', 'IOPT', 'BAG', 'NEWS')

# venues recognised by the readable form; anything else keeps backtrader's
# reading (``EUR.USD`` alone is a stock called "EUR.USD" there)
_FX_VENUES = {'IDEALPRO', 'IDEAL'}
_CRYPTO_VENUES = {'PAXOS', 'ZEROHASH'}
_FUTURE_VENUES = {'CME', 'GLOBEX', 'CBOT', 'ECBOT', 'NYMEX', 'COMEX', 'CFE', 'EUREX', 'DTB',
                  'ICEUS', 'ICEEU', 'IPE', 'NYBOT', 'SGX', 'OSE.JPN', 'HKFE', 'MEFFRV',
                  'IDEM', 'MONEP', 'LIFFE', 'CDE', 'SNFE'}
_INDEX_VENUES = {'CBOE', 'CME', 'NASDAQ', 'NYSE', 'DTB', 'EUREX', 'LSE', 'SGX'}
_STOCK_VENUES = {'SMART', 'NASDAQ', 'NYSE', 'ARCA', 'AMEX', 'BATS', 'IEX', 'ISLAND', 'PINK',
                 'IBIS', 'IBIS2', 'XETRA', 'LSE', 'SBF', 'AEB', 'TSE', 'TSEJ', 'SEHK', 'ASX',
                 'VENTURE', 'EBS', 'BVME', 'FWB', 'SWB', 'MEXI', 'BM', 'SFB', 'OSE', 'CPH',
                 'SMART/AMEX'}
_MONTH_CODE = re.compile(r'^[A-Z0-9]{1,5}[FGHJKMNQUVXZ]\d{1,2}$')


class ContractError(ValueError):
    """A contract string that cannot be read; the message quotes it."""


def parse_contract(name: str, sectype: str = 'STK', exchange: str = 'SMART',
                   currency: str = '', **extra: Any) -> dict:
    """The IB contract fields ``name`` stands for.

    ``sectype``/``exchange``/``currency`` are the defaults for tokens the
    string leaves out (IBData's params). ``extra`` (conId, localSymbol,
    tradingClass, primaryExchange, includeExpired, expiry, strike, right,
    multiplier) is merged in when given (not None/empty).
    """
    if not isinstance(name, str) or not name.strip():
        raise ContractError(f'contract {name!r}: expected a non-empty string')
    name = name.strip()
    if '-' not in name and _is_readable(name):
        fields = _parse_readable(name, currency)
    else:
        fields = _parse_dashes(name, sectype.upper(), exchange, currency)
    renames = {'expiry': 'lastTradeDateOrContractMonth'}
    for key, value in extra.items():
        if value is None or value == '' or value is False:
            continue
        fields[renames.get(key, key)] = value
    return fields


def _parse_dashes(name: str, sectype: str, exchange: str, currency: str) -> dict:
    tokens = name.split('-')
    toks = iter(tokens)
    symbol = next(toks)
    fields: dict = {'symbol': symbol}
    expiry = ''
    tok = next(toks, None)
    if tok is None:
        sectype = sectype or 'STK'
    elif tok.isdigit():
        expiry = tok
        sectype = 'FUT' if len(tok) == 6 else 'OPT'
    else:
        sectype = tok.upper()
        if sectype not in SECTYPES:
            raise ContractError(
                f'contract {name!r}: {tok!r} is not an IB secType ({", ".join(SECTYPES)}) '
                'nor an expiry (6 digits: future, 8 digits: option); a symbol with a dash '
                'is written with a space, e.g. "BRK B"')
    if sectype == 'CASH':
        if '.' not in symbol:
            raise ContractError(f'contract {name!r}: a CASH pair is written BASE.QUOTE, '
                                'e.g. EUR.USD-CASH-IDEALPRO')
        symbol, currency = symbol.split('.', 1)
        fields['symbol'] = symbol
        if exchange in ('', 'SMART'):
            exchange = 'IDEALPRO'
    fields['secType'] = sectype
    fields['exchange'] = next(toks, None) or exchange
    fields['currency'] = next(toks, None) or currency
    rest = list(toks)
    strike = right = multiplier = ''
    if sectype in _DATED:
        if not expiry and rest:
            expiry = rest.pop(0)
        if sectype == 'FUT' and len(rest) >= 2:
            sectype = 'FOP'  # FUT + strike + right: an option on the future
        if sectype in _OPTIONS:
            if len(rest) >= 2:
                strike, right = rest.pop(0), rest.pop(0)
            elif rest:
                raise ContractError(f'contract {name!r}: an option needs both a strike and '
                                    'a right (C or P)')
        if rest:
            multiplier = rest.pop(0)
    elif sectype == 'CONTFUT' and rest:
        multiplier = rest.pop(0)
    if rest:
        raise ContractError(f'contract {name!r}: unexpected extra token(s) '
                            f'{"-".join(rest)!r}')
    fields['secType'] = sectype
    if expiry:
        if not expiry.isdigit() or len(expiry) not in (6, 8):
            raise ContractError(f'contract {name!r}: expiry {expiry!r} must be YYYYMM or '
                                'YYYYMMDD')
        fields['lastTradeDateOrContractMonth'] = expiry
    if strike:
        try:
            fields['strike'] = float(strike)
        except ValueError:
            raise ContractError(f'contract {name!r}: strike {strike!r} is not a number') \
                from None
        r = right.upper()
        if r not in ('C', 'P', 'CALL', 'PUT'):
            raise ContractError(f'contract {name!r}: right {right!r} must be C or P')
        fields['right'] = r[0]
    if multiplier:
        fields['multiplier'] = multiplier
    if not fields['currency']:
        del fields['currency']
    return fields


def _is_readable(name: str) -> bool:
    if '/' in name or name.startswith('^'):
        return True
    if '.' not in name:
        return False
    venue = name.rsplit('.', 1)[1].upper()
    return venue in _STOCK_VENUES | _FUTURE_VENUES | _FX_VENUES | _CRYPTO_VENUES | _INDEX_VENUES


def _parse_readable(name: str, currency: str) -> dict:
    if '.' not in name:
        raise ContractError(f'contract {name!r}: the readable form is SYMBOL.VENUE, '
                            'e.g. EUR/USD.IDEALPRO, AAPL.NASDAQ, ESZ5.CME, ^SPX.CBOE')
    symbol, venue = name.rsplit('.', 1)
    venue = venue.upper()
    if not symbol or not venue:
        raise ContractError(f'contract {name!r}: empty symbol or venue')
    if '/' in symbol:
        base, quote = symbol.split('/', 1)
        sectype = 'CRYPTO' if venue in _CRYPTO_VENUES else 'CASH'
        return {'symbol': base, 'secType': sectype, 'exchange': venue, 'currency': quote}
    if symbol.startswith('^'):
        fields = {'symbol': symbol[1:], 'secType': 'IND', 'exchange': venue}
    elif venue in _FUTURE_VENUES and _MONTH_CODE.match(symbol.upper()):
        fields = {'localSymbol': symbol, 'secType': 'FUT', 'exchange': venue}
    elif venue == 'SMART':
        fields = {'symbol': symbol, 'secType': 'STK', 'exchange': 'SMART'}
    else:
        # a listing venue: route through SMART, pin the listing
        fields = {'symbol': symbol, 'secType': 'STK', 'exchange': 'SMART',
                  'primaryExchange': venue}
    if currency:
        fields['currency'] = currency
    return fields


def describe_contract(c: Any) -> str:
    """A one-line description of an IB contract object (for notifications)."""
    parts = [getattr(c, 'localSymbol', '') or getattr(c, 'symbol', ''), getattr(c, 'secType', '')]
    for attr in ('lastTradeDateOrContractMonth', 'strike', 'right', 'exchange',
                 'primaryExchange', 'currency'):
        v = getattr(c, attr, '')
        if v:
            parts.append(str(v))
    con_id = getattr(c, 'conId', 0)
    if con_id:
        parts.append(f'conId={con_id}')
    return ' '.join(p for p in parts if p)
