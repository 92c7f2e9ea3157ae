"""Historical ticks from IB over any range: TRADES, BID_ASK or MIDPOINT.

IB answers ``reqHistoricalTicks`` with at most 1,000 ticks a request, so a
range is walked forward page by page, each page starting at the second of the
previous page's last tick (the ticks of that second already received are
skipped, so none is lost or repeated even when a second holds more ticks
than a page). Requests are spaced by IB's pacing rules (those of small bars),
retried after a pacing violation (162) and after a reconnection; full pages
older than a day are kept in the store's cache directory, so a download that
stopped (or is repeated) takes the pages it already has from disk.

Rows are ``(epoch seconds, values...)`` with the values of :data:`COLUMNS`.
:func:`download_ticks` for scripts; ``backtrader-ib download --ticks WHAT``.
"""
from __future__ import annotations

import asyncio
import csv
import datetime as _dt
import importlib.util
import os
import re
import sys
import time
from dataclasses import dataclass, field
from typing import IO, Any, Callable

from .ibhistory import format_end

__all__ = ('WHATS', 'COLUMNS', 'PAGE', 'TickDownload', 'TickCache', 'fetch_ticks',
           'download_ticks', 'write_ticks', 'resume_point')

UTC = _dt.timezone.utc
WHATS = ('TRADES', 'BID_ASK', 'MIDPOINT')
#: the columns of a tick file for each whatToShow
COLUMNS = {'TRADES': ('datetime', 'price', 'size'),
           'BID_ASK': ('datetime', 'bid', 'ask', 'bidsize', 'asksize'),
           'MIDPOINT': ('datetime', 'price')}
PAGE = 1000  # IB's most ticks per request


def check_what(what: str) -> str:
    name = str(what).upper()
    if name not in WHATS:
        raise ValueError(f'historical ticks what={what!r}: use one of {", ".join(WHATS)}')
    return name


def tick_row(what: str, tick: Any) -> tuple:
    """A client library tick as ``(epoch seconds, values...)``."""
    t = int(tick.time.timestamp())
    if what == 'TRADES':
        return (t, float(tick.price), float(tick.size))
    if what == 'BID_ASK':
        return (t, float(tick.priceBid), float(tick.priceAsk), float(tick.sizeBid),
                float(tick.sizeAsk))
    return (t, float(tick.price))


class TickCache:
    """Full pages of ticks under ``directory``, one file per page start
    (Parquet when pyarrow is installed, else CSV)."""

    def __init__(self, directory: str | os.PathLike):
        self.directory = os.fspath(directory)
        os.makedirs(self.directory, exist_ok=True)
        self.ext = '.parquet' if importlib.util.find_spec('pyarrow') else '.csv'

    def path(self, con_id: int, what: str, start: int, useRTH: bool) -> str:
        name = f'ticks_{con_id}_{what}_{start}_{int(useRTH)}'
        return os.path.join(self.directory, re.sub(r'[^A-Za-z0-9_.-]', '', name) + self.ext)

    def get(self, path: str) -> list | None:
        if not os.path.exists(path):
            return None
        import pandas as pd
        df = pd.read_parquet(path) if self.ext == '.parquet' else pd.read_csv(path)
        return [(int(r[0]), *map(float, r[1:])) for r in df.itertuples(index=False)]

    def put(self, path: str, what: str, rows: list) -> None:
        import pandas as pd
        df = pd.DataFrame(rows, columns=['time', *COLUMNS[what][1:]])
        tmp = path + '.tmp'
        if self.ext == '.parquet':
            df.to_parquet(tmp, index=False)
        else:
            df.to_csv(tmp, index=False)
        os.replace(tmp, path)  # never a half-written page


def _epoch(dt: _dt.datetime) -> int:
    return int((dt if dt.tzinfo else dt.replace(tzinfo=UTC)).timestamp())


async def _page(store, contract, what: str, start: int, useRTH: bool,
                cache: TickCache | None) -> list | None:
    """One page of up to 1,000 ticks from second ``start``; None: give up."""
    ckey = (contract.conId, contract.exchange, what)
    fkey = ckey + ('ticks', start, useRTH)
    weight = 2 if what == 'BID_ASK' else 1
    path = cache.path(contract.conId, what, start, useRTH) if cache is not None else None
    if cache is not None and path is not None:
        rows = cache.get(path)
        if rows is not None:
            return rows
    when = format_end(_dt.datetime.fromtimestamp(start, UTC))
    backoff = store.p.pacingbackoff
    while True:
        if not await store.wait_connected():
            return None
        if store.p.pacing:
            wait = store.pacer.delay(ckey, fkey, weight, True)
            if wait:
                await asyncio.sleep(wait)
            store.pacer.record(ckey, fkey, weight, True)
        try:
            ticks = await asyncio.wait_for(
                store.ib.reqHistoricalTicksAsync(contract, when, '', PAGE, what, useRTH),
                store.p.histtimeout)
        except asyncio.TimeoutError:
            store.put_notification(f'Historical ticks request timed out after '
                                   f'{store.p.histtimeout} s: {what} from {when}')
            return None
        except ConnectionError:
            continue  # dropped: wait for the reconnection and ask again
        except store.lib.RequestError as e:
            text = getattr(e, 'message', str(e))
            if e.code == 162 and 'pacing' in text.lower():
                store.put_notification(f'Pacing violation (162), retrying in {backoff:g} s: '
                                       f'{what} ticks from {when}')
                await asyncio.sleep(backoff)
                backoff = min(backoff * 2, store.p.maxbackoff)
                continue
            if e.code == 162:
                return []  # no data
            store.put_notification(f'Historical ticks request failed ({e.code}: {text}): '
                                   f'{what} from {when}')
            return None
        rows = [tick_row(what, t) for t in ticks]
        old = store.utcnow().timestamp() - 86400
        if cache is not None and path is not None and len(rows) >= PAGE and rows[-1][0] < old:
            cache.put(path, what, rows)  # a full page of the past: it cannot change
        return rows


async def fetch_ticks(store, contract, what: str, start: int, end: int, useRTH: bool,
                      emit: Callable[[tuple], None], skip: int = 0,
                      cache: TickCache | None = None) -> bool:
    """Emit every tick of seconds [start, end), oldest first.

    ``skip``: ticks of second ``start`` already had (resuming a file). False if
    it gave up (a store notification says why)."""
    t = start
    while t < end:
        page = await _page(store, contract, what, t, useRTH, cache)
        if page is None:
            return False
        at_t = sum(1 for r in page if r[0] == t)
        new = [r for r in page if r[0] != t] if at_t <= skip else None
        if new is None:  # more ticks in second t than we had
            new = page[skip:]
        for row in new:
            if row[0] >= end:
                return True
            emit(row)
        if len(page) < PAGE:
            return True  # nothing more up to the gateway's now
        last = page[-1][0]
        if last == t:
            if at_t <= skip:  # the whole page repeats second t: IB gives it whole
                t, skip = t + 1, 0
            else:
                skip = at_t
        else:
            t, skip = last, sum(1 for r in page if r[0] == last)
    return True


@dataclass
class TickDownload:
    """What :func:`download_ticks` got: rows ``(epoch, values...)``, messages, timing."""

    what: str = 'TRADES'
    rows: list = field(default_factory=list)
    messages: list = field(default_factory=list)
    seconds: float = 0.0
    timezone: Any = None          # a tzinfo: the file's datetimes are in it (naive)
    complete: bool = True

    def __len__(self) -> int:
        return len(self.rows)

    def to_frame(self) -> Any:
        """The ticks as a DataFrame (:data:`COLUMNS`; naive datetimes in ``timezone``)."""
        import pandas as pd
        cols = COLUMNS[self.what]
        df = pd.DataFrame(self.rows, columns=['time', *cols[1:]])
        stamps = pd.to_datetime(df.pop('time'), unit='s', utc=True)
        df.insert(0, 'datetime', stamps.dt.tz_convert(self.timezone or 'UTC').dt.tz_localize(None))
        return df


def _localize(value: Any, tz: Any) -> int:
    if isinstance(value, str):
        value = _dt.datetime.fromisoformat(value)
    if not isinstance(value, _dt.datetime):  # a date
        value = _dt.datetime(value.year, value.month, value.day)
    if value.tzinfo is None:
        value = tz.localize(value) if hasattr(tz, 'localize') else value.replace(tzinfo=tz)
    return _epoch(value)


def download_ticks(dataname: str, fromdate: Any, todate: Any = None, *, what: str = 'TRADES',
                   useRTH: bool = False, timezone: Any = None, skip: int = 0,
                   progress: Callable[[float, _dt.datetime, int], None] | None = None,
                   **storekw: Any) -> TickDownload:
    """Download the ticks of ``dataname`` (a contract string) from ``fromdate``
    to ``todate`` (default: the gateway's now); naive dates are in ``timezone``
    (default: the contract's exchange zone). ``storekw`` go to IBStore
    (host, port, clientId, client, cache, pacing, histtimeout, ...)."""
    from ..utils.date import tzparse
    from .ibcontracts import parse_contract
    from .ibstore import IBStore
    from .ibtime import contract_timezone

    what = check_what(what)
    fields = parse_contract(dataname)
    existing = IBStore.__dict__.get('_singleton')
    store = IBStore(**storekw)
    result = TickDownload(what=what)
    t0 = time.monotonic()
    try:
        if not store.start():
            raise ConnectionError(f'cannot connect to TWS/Gateway at {store.p.host}:{store.port}')
        cd = store.check_contract(dataname, fields)
        if cd is None:
            result.messages += [str(m[0]) for m in store.get_notifications()]
            result.complete = False
            return result
        tz = tzparse(timezone) if timezone is not None else contract_timezone(
            getattr(cd, 'timeZoneId', ''))[0]
        result.timezone = tz
        start = _localize(fromdate, tz)
        end = _localize(todate, tz) if todate is not None else int(store.utcnow().timestamp()) + 1
        if end <= start:
            raise ValueError(f'download_ticks: todate {todate} is not after fromdate {fromdate}')
        cache = TickCache(store.p.cache) if store.p.cache else None
        rows = result.rows
        span = end - start

        def emit(row: tuple) -> None:
            rows.append(row)
            if progress is not None:
                progress((row[0] - start) / span, _dt.datetime.fromtimestamp(row[0], tz), len(rows))
        result.complete = store.call(fetch_ticks(store, cd.contract, what, start, end, useRTH,
                                                 emit, skip=skip, cache=cache), timeout=None)
        for msg, *_ in store.get_notifications():
            if not str(getattr(msg, 'code', '')).startswith('21'):  # farm OK messages
                result.messages.append(str(msg))
    finally:
        if existing is None:
            store.stop()
            IBStore.reset()
    result.seconds = time.monotonic() - t0
    return result


def write_ticks(result: TickDownload, output: str | IO[str], fmt: str = 'csv',
                append: bool = False) -> None:
    """Write the ticks to ``output`` (a path, '-' for stdout, or a text file):
    CSV (``datetime`` as ``YYYY-MM-DD HH:MM:SS`` in the download's zone) or Parquet."""
    name = output if isinstance(output, str) else ''
    if fmt == 'parquet':
        if not name or name == '-':
            raise ValueError('Parquet output needs a file name')
        df = result.to_frame()
        if append and os.path.exists(name):
            import pandas as pd
            df = pd.concat([pd.read_parquet(name), df], ignore_index=True)
        df.to_parquet(name, index=False)
        return
    if fmt != 'csv':
        raise ValueError(f'unknown output format {fmt!r}: csv or parquet')
    tz = result.timezone or UTC
    mode = 'a' if append and name and os.path.exists(name) else 'w'
    out = sys.stdout if name == '-' else (open(name, mode, newline='') if name else output)
    try:
        w = csv.writer(out, lineterminator='\n')  # type: ignore[arg-type]
        if mode == 'w':
            w.writerow(COLUMNS[result.what])
        for t, *values in result.rows:
            stamp = _dt.datetime.fromtimestamp(t, tz).strftime('%Y-%m-%d %H:%M:%S')
            w.writerow([stamp, *(f'{v:g}' if isinstance(v, float) and v.is_integer() else v
                                 for v in values)])
    finally:
        if name and name != '-':
            out.close()  # type: ignore[union-attr]


def resume_point(path: str, tz: Any) -> tuple[_dt.datetime, int] | None:
    """(datetime of the last tick, ticks at that second) of a tick file, to go on from."""
    if not os.path.exists(path) or os.path.getsize(path) == 0:
        return None
    import pandas as pd
    df = pd.read_parquet(path) if path.lower().endswith(('.parquet', '.pq')) else \
        pd.read_csv(path, usecols=[0])
    if df.empty:
        return None
    stamps = pd.to_datetime(df.iloc[:, 0])
    last = stamps.iloc[-1]
    return last.to_pydatetime(), int((stamps == last).sum())
