"""The order and execution journal: an SQLite file that survives the process.

Written before an order is sent and at each status change and execution, so
a restarted run knows which orders it had at IB (matched by ``orderRef``,
never by id: an order killed between sending and learning its id is still
found), which executions it applied (by ``execId``), and which client id it
used (orders can only be cancelled by the client that placed them).

Every write is its own committed transaction (WAL, synchronous=FULL): a
``kill -9`` loses at most the write in progress, never an earlier one. With a
lane (``attach``, the store's order lane) writes asked for on other threads
run there, in the order asked, and the caller does not wait (no fsync on the
strategy thread); the write before an order is sent runs on the lane itself,
so it is on disk before the send is handed to the loop. Reads first wait for
the writes asked before them.
"""
from __future__ import annotations

import builtins
import contextlib
import datetime as _dt
import json
import os
import sqlite3
import threading
from typing import Any

__all__ = ('OrderJournal', 'DEFAULT_JOURNAL', 'journal_path', 'order_ref', 'parse_ref')

DEFAULT_JOURNAL = 'ib_journal.sqlite'   # in the current directory ("beside the run")
REF_PREFIX = 'btib'

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT);
CREATE TABLE IF NOT EXISTS orders (
    orderRef TEXT PRIMARY KEY, session INTEGER, strategy TEXT, ref INTEGER,
    orderId INTEGER, permId INTEGER, clientId INTEGER, account TEXT, conId INTEGER,
    dataname TEXT, action TEXT, size REAL, orderType TEXT, lmtPrice REAL, auxPrice REAL,
    tif TEXT, fields TEXT, status TEXT, filled REAL DEFAULT 0, created TEXT, updated TEXT);
CREATE TABLE IF NOT EXISTS executions (
    execId TEXT PRIMARY KEY, orderRef TEXT, orderId INTEGER, permId INTEGER, conId INTEGER,
    side TEXT, shares REAL, price REAL, time TEXT, commission REAL, applied TEXT);
CREATE TABLE IF NOT EXISTS log (
    id INTEGER PRIMARY KEY, at TEXT, orderRef TEXT, event TEXT, detail TEXT);
"""

ALIVE = ('Created', 'Sending', 'Submitted', 'Accepted', 'Partial')


def journal_path(path: str | os.PathLike) -> str:
    """Where a journal lives: a relative path is taken from $BTIB_JOURNAL_DIR, else
    from the current directory."""
    path = os.fspath(path)
    if os.path.isabs(path):
        return path
    return os.path.join(os.environ.get('BTIB_JOURNAL_DIR') or os.getcwd(), path)


def _now() -> str:
    return _dt.datetime.now(_dt.timezone.utc).isoformat(timespec='milliseconds')


def order_ref(strategy: str, session: int, ref: int) -> str:
    """The orderRef sent with an order: who placed it (strategy, run) and its ref."""
    name = ''.join(ch for ch in strategy if ch.isalnum() or ch in '_-')[:40] or 'strategy'
    return f'{REF_PREFIX}:{name}:{session}:{ref}'


def parse_ref(text: str) -> tuple[str, int, int] | None:
    """(strategy, session, ref) of an orderRef made by ``order_ref``, else None."""
    parts = (text or '').split(':')
    if len(parts) != 4 or parts[0] != REF_PREFIX:
        return None
    try:
        return parts[1], int(parts[2]), int(parts[3])
    except ValueError:
        return None


class OrderJournal:
    """One SQLite journal file; safe to call from any thread (one lock)."""

    def __init__(self, path: str | os.PathLike) -> None:
        self.path = journal_path(path)
        self._lock = threading.RLock()  # held across a ``batch``
        self._depth = 0                 # batches open (on the thread holding the lock)
        self.db = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None)
        self.db.execute('PRAGMA journal_mode=WAL')
        self.db.execute('PRAGMA synchronous=FULL')
        self.db.executescript(_SCHEMA)
        self.lane: Any = None      # an OrderLane: writes of other threads go there
        self.error: Exception | None = None  # the first write on the lane that failed
        self.session = int(self.get('session') or '0') + 1
        self.set('session', str(self.session))

    def attach(self, lane: Any) -> None:
        """Write on ``lane`` (an ``OrderLane``) from now on, without waiting."""
        self.lane = lane

    def close(self) -> None:
        if self.lane is not None:
            self.lane.flush()
        with self._lock:
            self.db.close()

    @contextlib.contextmanager
    def batch(self):
        """The writes of this thread inside the block in one transaction (one fsync;
        on the lane or without one). A batch inside a batch joins it."""
        with self._lock:
            if self._depth:
                self._depth += 1
                try:
                    yield
                finally:
                    self._depth -= 1
                return
            self.db.execute('BEGIN')
            self._depth = 1
            try:
                yield
            except BaseException:
                self.db.execute('ROLLBACK')
                raise
            else:
                self.db.execute('COMMIT')
            finally:
                self._depth = 0

    def flush(self) -> None:
        """Wait until the writes asked for so far are on disk."""
        if self.lane is not None:
            self.lane.flush()

    def _later(self, write, *args: Any) -> Any:
        """``write(*args)`` now on the lane's thread or without a lane (its result),
        else posted to the lane (None)."""
        lane = self.lane
        if lane is None or lane.on_lane() or not lane.alive():
            return write(*args)

        def job() -> None:
            try:
                write(*args)
            except Exception as e:  # the broker raises it on the strategy thread
                if self.error is None:
                    self.error = e
        lane.post(job)

    def _exec(self, sql: str, args: tuple = ()) -> list:
        with self._lock:
            return self.db.execute(sql, args).fetchall()

    def _read(self, sql: str, args: tuple = ()) -> list:
        self.flush()
        return self._exec(sql, args)

    # -- meta ---------------------------------------------------------------------
    def get(self, key: str, default: str | None = None) -> str | None:
        rows = self._read('SELECT value FROM meta WHERE key=?', (key,))
        return rows[0][0] if rows else default

    def set(self, key: str, value: str) -> None:
        self._later(self._exec, 'INSERT OR REPLACE INTO meta(key, value) VALUES (?, ?)',
                    (key, value))

    @staticmethod
    def peek_client_id(path: str | os.PathLike) -> int | None:
        """The client id a journal file recorded, without creating the file."""
        path = journal_path(path)
        if not os.path.exists(path):
            return None
        try:
            db = sqlite3.connect(f'file:{os.fspath(path)}?mode=ro', uri=True)
            try:
                row = db.execute("SELECT value FROM meta WHERE key='clientId'").fetchone()
            finally:
                db.close()
        except sqlite3.Error:
            return None
        return int(row[0]) if row and row[0] else None

    # -- orders -------------------------------------------------------------------
    def order_sending(self, orderRef: str, strategy: str, ref: int, clientId: int,
                      account: str, conId: int, dataname: str, fields: dict) -> None:
        """Before the order is sent: what it is, under its orderRef."""
        self.flush()  # after the writes asked for before it (a no-op on the lane)
        now = _now()
        self._exec('INSERT OR REPLACE INTO orders(orderRef, session, strategy, ref, clientId, '
                   'account, conId, dataname, action, size, orderType, lmtPrice, auxPrice, tif, '
                   'fields, status, created, updated) VALUES '
                   '(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)',
                   (orderRef, self.session, strategy, ref, clientId, account, conId, dataname,
                    fields.get('action'), fields.get('totalQuantity'), fields.get('orderType'),
                    fields.get('lmtPrice'), fields.get('auxPrice'), fields.get('tif'),
                    json.dumps(fields, default=str), 'Sending', now, now))
        self._log(orderRef, 'sending', '', now)  # on disk with the row, before sending

    def order_update(self, orderRef: str, **values: Any) -> None:
        if not values:
            return
        values['updated'] = _now()
        self._later(self._order_update, orderRef, values)

    def _order_update(self, orderRef: str, values: dict) -> None:
        cols = ', '.join(f'{k}=?' for k in values)
        with self.batch():  # the row and its log line: one transaction
            self._exec(f'UPDATE orders SET {cols} WHERE orderRef=?',
                       (*values.values(), orderRef))
            if 'status' in values:
                self._log(orderRef, values['status'], '', values['updated'])

    def orders(self, alive_only: bool = False) -> list[dict]:
        self.flush()
        sql = 'SELECT * FROM orders'
        if alive_only:
            sql += f' WHERE status IN ({",".join("?" * len(ALIVE))})'
        with self._lock:
            cur = self.db.execute(sql + ' ORDER BY created', ALIVE if alive_only else ())
            names = [d[0] for d in cur.description]
            return [dict(zip(names, row)) for row in cur.fetchall()]

    def order(self, orderRef: str) -> dict | None:
        self.flush()
        with self._lock:
            cur = self.db.execute('SELECT * FROM orders WHERE orderRef=?', (orderRef,))
            row = cur.fetchone()
            return dict(zip([d[0] for d in cur.description], row)) if row else None

    # -- executions -------------------------------------------------------------------
    def execution(self, execId: str, orderRef: str, orderId: int, permId: int, conId: int,
                  side: str, shares: float, price: float, when: Any,
                  commission: float) -> bool | None:
        """Record an applied execution (once: a second record of an execId is ignored).
        Without a lane: False if it was already there; posted to a lane: None."""
        return self._later(self._execution, (execId, orderRef, orderId, permId, conId, side, shares,
                                      price, str(when), commission, _now()))

    def _execution(self, row: tuple) -> bool:
        with self._lock:
            cur = self.db.execute(
                'INSERT OR IGNORE INTO executions(execId, orderRef, orderId, permId, conId, side, '
                'shares, price, time, commission, applied) VALUES (?,?,?,?,?,?,?,?,?,?,?)', row)
            return cur.rowcount == 1

    def exec_ids(self) -> 'builtins.set[str]':  # ``set`` here is the method
        return {r[0] for r in self._read('SELECT execId FROM executions')}

    def executions(self, orderRef: str | None = None) -> list[dict]:
        self.flush()
        with self._lock:
            if orderRef is None:
                cur = self.db.execute('SELECT * FROM executions ORDER BY applied')
            else:
                cur = self.db.execute('SELECT * FROM executions WHERE orderRef=? ORDER BY applied',
                                      (orderRef,))
            names = [d[0] for d in cur.description]
            return [dict(zip(names, row)) for row in cur.fetchall()]

    def log(self, orderRef: str, event: str, detail: str) -> None:
        self._later(self._log, orderRef, event, detail, _now())

    def _log(self, orderRef: str, event: str, detail: str, at: str) -> None:
        self._exec('INSERT INTO log(at, orderRef, event, detail) VALUES (?,?,?,?)',
                   (at, orderRef, event, detail))
