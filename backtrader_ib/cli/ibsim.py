"""``backtrader-ib ibsim``: the simulated TWS / IB Gateway as a command
(``python -m backtrader_ib.ibsim`` runs the same). The gateway itself is
:class:`backtrader_ib.ibsim.IBSim`; here are its options, the per-user state
file and the warning for a non-loopback address.
"""
from __future__ import annotations

import argparse
import ipaddress
import logging
import os
import signal
import socket
import sys
import threading
from datetime import datetime, timezone
from pathlib import Path

from ..ibsim.api import IBSim
from ..ibsim.catalog import Catalog, default_catalog
from ..ibsim.faults import load_scenario
from ..ibsim.prices import load_bars
from ..ibsim.protocol import MAX_VERSION, MIN_VERSION


def state_dir() -> Path:
    """Where the state files live: ``$XDG_STATE_HOME/backtrader_ib/ibsim``
    (default ``~/.local/state/...``), private to the user (mode 0700)."""
    base = os.environ.get("XDG_STATE_HOME") or str(Path.home() / ".local" / "state")
    path = Path(base) / "backtrader_ib" / "ibsim"
    try:
        path.mkdir(mode=0o700, parents=True, exist_ok=True)
        st = path.lstat()
    except OSError as e:
        raise SystemExit(f"ibsim: cannot make the state directory {path}: {e.strerror}; "
                         f"give --state FILE or --state none") from None
    if not path.is_dir() or path.is_symlink() or st.st_uid != os.getuid():
        raise SystemExit(f"ibsim: state directory {path} is not a directory of yours; "
                         f"remove it or give --state FILE")
    if st.st_mode & 0o077:
        path.chmod(0o700)                   # made by someone's umask: make it private
    return path


def is_loopback(host: str) -> bool:
    """Whether ``host`` only listens on this machine."""
    if host in ("localhost", ""):
        return host == "localhost"
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:                      # a name: what does it resolve to?
        try:
            return all(ipaddress.ip_address(ai[4][0]).is_loopback
                       for ai in socket.getaddrinfo(host, None))
        except (OSError, ValueError):
            return False


def parse_args(argv: list[str] | None = None,
               prog: str = "backtrader-ib ibsim") -> argparse.Namespace:
    """The command's options (``argv`` default: ``sys.argv[1:]``)."""
    p = argparse.ArgumentParser(prog=prog,
                                description="A simulated TWS / IB Gateway on the real TWS socket protocol.")
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (default: %(default)s)")
    p.add_argument("--port", type=int, default=7497,
                   help="port to listen on (default: %(default)s, TWS paper); 0 picks a free port")
    p.add_argument("--data", action="append", default=[], metavar="SYMBOL=FILE.csv",
                   help="price bars for a symbol/localSymbol/conId (repeatable); others are synthetic")
    p.add_argument("--speed", type=float, default=1.0, help="clock speed: 1 real time, 60 = a minute per second")
    p.add_argument("--start", help="simulated start time, ISO format (default: now)")
    p.add_argument("--account", action="append", default=[], help="account id (repeatable)")
    p.add_argument("--cash", type=float, default=1_000_000.0,
                   help="starting cash of each account (default: %(default)s)")
    p.add_argument("--scenario", help="JSON list of timed faults")
    p.add_argument("--catalog", help="JSON file of extra instruments")
    p.add_argument("--server-version", type=int, default=MAX_VERSION,
                   choices=range(MIN_VERSION, MAX_VERSION + 1), metavar=f"{MIN_VERSION}..{MAX_VERSION}",
                   help="highest server version offered to clients (default: %(default)s)")
    p.add_argument("--seed", type=int, default=0,
                   help="seed of the synthetic price paths (default: %(default)s)")
    p.add_argument("--state", help="file that keeps orders, positions and ids across restarts "
                                   "(default: ibsim-PORT.json in $XDG_STATE_HOME/backtrader_ib/ibsim, "
                                   "i.e. ~/.local/state/backtrader_ib/ibsim; 'none' disables)")
    p.add_argument("--fresh", action="store_true",
                   help="start with the starting cash and no orders or positions, ignoring "
                        "(and then overwriting) the state file")
    p.add_argument("--log-size", type=int, default=10_000, metavar="N",
                   help="messages kept in the traffic log, newest first (default: %(default)s)")
    p.add_argument("--no-pacing", action="store_true", help="do not enforce historical data pacing")
    p.add_argument("-v", "--verbose", action="store_true", help="debug logging (connections, requests, faults)")
    return p.parse_args(argv)


def build(args: argparse.Namespace) -> IBSim:
    """The gateway the options describe, not started yet."""
    catalog = Catalog.load(args.catalog, default_catalog()) if args.catalog else default_catalog()
    data = {}
    for item in args.data:
        key, _, path = item.partition("=")
        if not path:
            raise SystemExit(f"--data wants SYMBOL=FILE, got {item!r}")
        data[int(key) if key.isdigit() else key] = load_bars(path)
    state = args.state
    if state is None and args.port:
        state = str(state_dir() / f"ibsim-{args.port}.json")
    if state == "none":
        state = None
    if state and args.fresh and Path(state).exists():
        Path(state).unlink()
    start = None
    if args.start:
        start = datetime.fromisoformat(args.start)
        if start.tzinfo is None:
            start = start.replace(tzinfo=timezone.utc)
    return IBSim(args.port, args.host, start=start, speed=args.speed, catalog=catalog, data=data,
                 server_version=args.server_version, accounts=tuple(args.account or ["DU123456"]),
                 cash=args.cash, seed=args.seed, state_file=state, pacing=not args.no_pacing,
                 log_size=args.log_size or None)


def main(argv: list[str] | None = None, prog: str = "backtrader-ib ibsim") -> int:
    """Start the gateway and serve until SIGINT/SIGTERM; the exit status."""
    args = parse_args(argv, prog)
    logging.basicConfig(level=logging.DEBUG if args.verbose else logging.WARNING,
                        format="%(asctime)s %(name)s %(levelname)s %(message)s")
    if not is_loopback(args.host):
        print(f"ibsim: warning: listening on {args.host}: anyone who can reach this port can "
              f"connect and trade the simulated accounts (there is no login); use 127.0.0.1 "
              f"unless other machines must connect", file=sys.stderr, flush=True)
    sim = build(args)
    sim.start()
    print(f"ibsim listening on {sim.host}:{sim.port} (server version {args.server_version}, "
          f"accounts {','.join(sim.gateway.accounts)})", flush=True)
    gw = sim.gateway
    if gw.loaded_state:
        print(f"ibsim: state loaded from {gw.config.state_file}: {gw.loaded_state} "
              f"(--fresh starts without it)", flush=True)
    elif gw.config.state_file:
        print(f"ibsim: state kept in {gw.config.state_file}", flush=True)
    if args.scenario:
        sim.run_scenario(load_scenario(args.scenario))
    done = threading.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: done.set())
    done.wait()
    sim.stop()
    return 0

