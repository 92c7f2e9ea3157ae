"""Command line: ``python -m backtrader_ib.ibsim --port 7497``."""
from __future__ import annotations

import argparse
import logging
import signal
import sys
import tempfile
import threading
from datetime import datetime, timezone
from pathlib import Path

from .api import IBSim
from .catalog import Catalog, default_catalog
from .faults import load_scenario
from .prices import load_bars
from .protocol import MAX_VERSION, MIN_VERSION


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="python -m backtrader_ib.ibsim",
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
                                   "(default: ibsim-PORT.json in the temp dir; 'none' disables)")
    p.add_argument("--no-pacing", action="store_true", help="do not enforce historical data pacing")
    p.add_argument("-v", "--verbose", action="store_true", help="debug logging (connections, requests, faults)")
    return p.parse_args(argv)


def build(args: argparse.Namespace) -> IBSim:
    catalog = Catalog.load(args.catalog, default_catalog()) if args.catalog else default_catalog()
    data = {}
    for item in args.data:
        key, _, path = item.partition("=")
        if not path:
            raise SystemExit(f"--data wants SYMBOL=FILE, got {item!r}")
        data[int(key) if key.isdigit() else key] = load_bars(path)
    state = args.state
    if state is None and args.port:
        state = str(Path(tempfile.gettempdir()) / f"ibsim-{args.port}.json")
    if state == "none":
        state = None
    start = None
    if args.start:
        start = datetime.fromisoformat(args.start)
        if start.tzinfo is None:
            start = start.replace(tzinfo=timezone.utc)
    return IBSim(args.port, args.host, start=start, speed=args.speed, catalog=catalog, data=data,
                 server_version=args.server_version, accounts=tuple(args.account or ["DU123456"]),
                 cash=args.cash, seed=args.seed, state_file=state, pacing=not args.no_pacing)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    logging.basicConfig(level=logging.DEBUG if args.verbose else logging.WARNING,
                        format="%(asctime)s %(name)s %(levelname)s %(message)s")
    sim = build(args)
    sim.start()
    print(f"ibsim listening on {sim.host}:{sim.port} (server version {args.server_version}, "
          f"accounts {','.join(sim.gateway.accounts)})", flush=True)
    if args.scenario:
        sim.run_scenario(load_scenario(args.scenario))
    done = threading.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: done.set())
    done.wait()
    sim.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
