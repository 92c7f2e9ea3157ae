"""Store: the one connection to a data/broker provider, shared by its feeds and broker.

Each Store subclass has at most one instance per process: calling the class
again returns that instance (the first call's params win, as in backtrader).
The singleton is plain ``__new__`` bookkeeping; ``reset()`` forgets it (tests,
or to connect elsewhere after ``stop()``).
"""
from __future__ import annotations

import collections
import threading
from typing import Any

from .metabase import MetaParams, MetaSingleton, ParamsBase  # noqa: F401 (backtrader's names)

__all__ = ('Store',)


class Store(ParamsBase):
    """Base of stores: params, notifications, and the feed/broker factories."""

    params = ()
    DataCls: Any = None    # set by the data feed module of a concrete store
    BrokerCls: Any = None  # set by the broker module of a concrete store

    _lock = threading.Lock()

    def __new__(cls, *args, **kwargs):
        with Store._lock:
            inst = cls.__dict__.get('_singleton')
            if inst is None:
                inst = super().__new__(cls)
                cls._singleton = inst
            return inst

    def _construct(self, args: tuple, kwargs: dict) -> None:
        if getattr(self, '_constructed', False):
            return  # the singleton already exists: its params stay
        self._constructed = True
        try:
            super()._construct(args, kwargs)
        except BaseException:
            # a failed construction (bad param, no client library) must not
            # leave a half-built singleton for the next caller
            type(self).reset()
            raise

    def __init__(self) -> None:
        self._started = False
        self.broker = None
        self.datas: list = []
        self.notifs: collections.deque = collections.deque()
        self._env = None

    @classmethod
    def reset(cls) -> None:
        """Forget the instance: the next call builds a new store."""
        with Store._lock:
            if '_singleton' in cls.__dict__:
                del cls._singleton

    @classmethod
    def getdata(cls, *args, **kwargs):
        """A data feed of this store (``DataCls``)."""
        return cls.DataCls(*args, **kwargs)

    @classmethod
    def getbroker(cls, *args, **kwargs):
        """The broker of this store (``BrokerCls``)."""
        return cls.BrokerCls(*args, **kwargs)

    def start(self, data=None, broker=None) -> None:
        """Called by Cerebro (no args), and by each feed and the broker."""
        if not self._started:
            self._started = True
            self.notifs = collections.deque()
        if data is not None:
            self._env = data.getenvironment()
            if not any(d is data for d in self.datas):  # == on feeds builds lines
                self.datas.append(data)
        elif broker is not None:
            self.broker = broker

    def stop(self) -> None:
        self._started = False

    def put_notification(self, msg: Any, *args, **kwargs) -> None:
        """Queue a message for ``notify_store`` (thread-safe)."""
        self.notifs.append((msg, args, kwargs))

    def get_notifications(self) -> list:
        """Every pending (msg, args, kwargs), oldest first."""
        out = []
        notifs = self.notifs
        while notifs:
            out.append(notifs.popleft())
        return out
