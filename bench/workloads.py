"""Workloads where users wait longest, timed side by side with backtrader (issue 18).

One command runs every workload on backtrader 1.9.78.123 and on the working tree's
backtrader_ib, each case (workload x package) in its own fresh Python process, and
prints one table: process CPU time of ``cerebro.run()``, bars/s, the ratio, each
side's peak RSS, and a check that both complete the same orders (hashed: datetime,
size, price) and end with the same value.

    python bench/workloads.py                 # full sizes
    python bench/workloads.py --quick         # smaller sizes, a smoke run
    python bench/workloads.py --only resample replay
    python bench/workloads.py --only single-default --repeat 5   # median of 5, interleaved
    BTIB_GENERAL_PATH=1 python bench/workloads.py   # backtrader_ib without fast paths

Workloads (synthetic, seeded data from bench/synthdata.py):

* ``resample``: 1-minute bars plus the same resampled to 15 minutes
  (``cerebro.resampledata``), SMA(10)/SMA(30) cross on the 15-minute data,
  orders on the 1-minute data.
* ``replay``: the 1-minute bars replayed to 15 minutes (``cerebro.replaydata``),
  the same strategy on the replayed data.
* ``portfolio``: many daily feeds, an SMA cross per feed, ``order_target_percent``
  per feed (enter at 0.4% of the value, leave at 0%).
* ``single-default``, ``single-noronce``, ``single-exactbars1``: one daily feed,
  bench/sma_crossover.py's strategy, in the three Cerebro modes.

Exit status 1 if any check is a MISMATCH or a case failed. See docs/benchmarks.md.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import math
import os
import subprocess
import sys
import time
from typing import Any, Callable

BENCH_DIR = os.path.dirname(os.path.abspath(__file__))
REPO_ROOT = os.path.dirname(BENCH_DIR)
RESULT_TAG = "BENCH_RESULT "
PACKAGES = ("backtrader", "backtrader_ib")
FAST, SLOW = 10, 30

# bars per workload: (full, --quick); the portfolio's are (feeds, bars per feed)
SIZES: dict[str, tuple[Any, Any]] = {
    "resample": (100_000, 20_000),
    "replay": (100_000, 20_000),
    "portfolio": ((200, 2_500), (50, 1_000)),
    "single-default": (100_000, 20_000),
    "single-noronce": (100_000, 20_000),
    "single-exactbars1": (100_000, 20_000),
}
TITLES = {
    "resample": "1-min + resampled 15-min, SMA cross on 15-min",
    "replay": "1-min replayed to 15-min, SMA cross",
    "portfolio": "daily feeds, SMA cross + order_target_percent per feed",
    "single-default": "one daily feed, default mode",
    "single-noronce": "one daily feed, runonce=False",
    "single-exactbars1": "one daily feed, exactbars=1",
}
TARGETS = {"resample": 15.0, "replay": 15.0, "portfolio": 20.0, "single-default": 20.0,
           "single-noronce": 12.0}


# --------------------------------------------------------------------------- child


class OrderLog:
    """Counts completed orders and hashes (datetime, size, price) as they come."""

    def __init__(self, bt: Any) -> None:
        self.bt = bt
        self.completed = 0
        self.digest = hashlib.sha256()

    def add(self, order: Any) -> None:
        if order.status == order.Completed:
            self.completed += 1
            when = self.bt.num2date(order.executed.dt).isoformat()
            size, price = float(order.executed.size), float(order.executed.price)
            self.digest.update(f"{when} {size!r} {price!r}\n".encode())


def cross_strategy(bt: Any, log: OrderLog) -> type:
    """SMA cross on the last data, orders on the first (the same data if only one)."""

    class Cross(bt.Strategy):
        def __init__(self) -> None:
            sig = self.datas[-1]
            self.crossover = bt.indicators.CrossOver(bt.indicators.SMA(sig.close, period=FAST),
                                                     bt.indicators.SMA(sig.close, period=SLOW))

        def notify_order(self, order: Any) -> None:
            log.add(order)

        def next(self) -> None:
            if not self.position:
                if self.crossover > 0:
                    self.buy(size=1)
            elif self.crossover < 0:
                self.close()

    return Cross


def portfolio_strategy(bt: Any, log: OrderLog) -> type:
    class Portfolio(bt.Strategy):
        def __init__(self) -> None:
            self.crosses = [bt.indicators.CrossOver(bt.indicators.SMA(d.close, period=FAST),
                                                    bt.indicators.SMA(d.close, period=SLOW))
                            for d in self.datas]

        def notify_order(self, order: Any) -> None:
            log.add(order)

        def next(self) -> None:
            for d, cross in zip(self.datas, self.crosses):
                if cross[0] > 0:
                    self.order_target_percent(data=d, target=0.004)
                elif cross[0] < 0:
                    self.order_target_percent(data=d, target=0.0)

    return Portfolio


def minute_feed(bt: Any, bars: int) -> Any:
    from synthdata import make_intraday

    return bt.feeds.PandasData(dataname=make_intraday(bars), timeframe=bt.TimeFrame.Minutes,
                               compression=1)


def build(bt: Any, workload: str, size: Any, log: OrderLog) -> Any:
    """A ready-to-run Cerebro for ``workload``."""
    from synthdata import make_ohlcv

    tf = bt.TimeFrame
    if workload == "resample":
        cerebro = bt.Cerebro()
        data = minute_feed(bt, size)
        cerebro.adddata(data)
        cerebro.resampledata(data, timeframe=tf.Minutes, compression=15)
        cerebro.addstrategy(cross_strategy(bt, log))
    elif workload == "replay":
        cerebro = bt.Cerebro()
        cerebro.replaydata(minute_feed(bt, size), timeframe=tf.Minutes, compression=15)
        cerebro.addstrategy(cross_strategy(bt, log))
    elif workload == "portfolio":
        feeds, bars = size
        cerebro = bt.Cerebro()
        for i in range(feeds):
            cerebro.adddata(bt.feeds.PandasData(dataname=make_ohlcv(bars, seed=i)), name=f"s{i}")
        cerebro.addstrategy(portfolio_strategy(bt, log))
    else:
        mode = workload.split("-", 1)[1]
        kwargs = {"default": {}, "noronce": {"runonce": False},
                  "exactbars1": {"exactbars": 1}}[mode]
        cerebro = bt.Cerebro(**kwargs)
        cerebro.adddata(bt.feeds.PandasData(dataname=make_ohlcv(size)))
        cerebro.addstrategy(cross_strategy(bt, log))
    cerebro.broker.setcash(1e6 if workload == "portfolio" else 1e9)
    return cerebro


def source_bars(workload: str, size: Any) -> int:
    return size[0] * size[1] if workload == "portfolio" else size


def child_main(spec: dict[str, Any]) -> None:
    """Run one case; print its result as one tagged JSON line."""
    import importlib
    import resource

    sys.path.insert(0, BENCH_DIR)
    result: dict[str, Any] = dict(spec)
    try:
        bt = importlib.import_module(spec["package"])
        log = OrderLog(bt)
        size = spec["size"] if not isinstance(spec["size"], list) else tuple(spec["size"])
        cerebro = build(bt, spec["workload"], size, log)
        if spec.get("profile"):
            import cProfile
            import pstats

            prof = cProfile.Profile()
            prof.enable()
        start, cpu = time.perf_counter(), time.process_time()
        cerebro.run()
        result["cpu_seconds"] = time.process_time() - cpu
        result["seconds"] = time.perf_counter() - start
        if spec.get("profile"):
            prof.disable()
            stats = pstats.Stats(prof, stream=sys.stderr)
            stats.sort_stats(spec["profile"]).print_stats(30)
        result.update(status="ok", orders=log.completed, orders_hash=log.digest.hexdigest()[:16],
                      final_value=float(cerebro.broker.getvalue()))
    except Exception as exc:
        result.update(status="failed", reason=f"{type(exc).__name__}: {exc}")
    result["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0
    print(RESULT_TAG + json.dumps(result), flush=True)


# -------------------------------------------------------------------------- parent


def run_case(spec: dict[str, Any], timeout: float, profile_out: Callable | None = None) -> dict:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (REPO_ROOT, env.get("PYTHONPATH")) if p)
    command = [sys.executable, os.path.abspath(__file__), "--child", json.dumps(spec)]
    try:
        proc = subprocess.run(command, capture_output=True, text=True, env=env, cwd=REPO_ROOT,
                              timeout=timeout)
    except subprocess.TimeoutExpired:
        return {**spec, "status": "failed", "reason": f"timeout after {timeout:.0f} s"}
    if profile_out is not None:
        profile_out(proc.stderr)
    for line in reversed(proc.stdout.splitlines()):
        if line.startswith(RESULT_TAG):
            return json.loads(line[len(RESULT_TAG):])
    tail = (proc.stderr.strip().splitlines() or ["no output"])[-1]
    return {**spec, "status": "failed", "reason": f"exit code {proc.returncode}: {tail}"}


def merge_runs(runs: list[dict]) -> dict:
    """One result for repeated runs of a case: the median run by CPU time, with
    every run's CPU time kept (a failed run makes the case failed)."""
    failed = [r for r in runs if r["status"] != "ok"]
    if failed:
        return failed[0]
    ordered = sorted(runs, key=lambda r: r["cpu_seconds"])
    median = dict(ordered[(len(ordered) - 1) // 2])
    median["cpu_runs"] = [r["cpu_seconds"] for r in runs]
    median["peak_rss_mb"] = max(r["peak_rss_mb"] for r in runs)
    if len({(r["orders"], r["orders_hash"], r["final_value"]) for r in runs}) > 1:
        median.update(status="failed", reason="repeated runs disagree")
    return median


def check(ref: dict, cand: dict) -> str:
    diffs = []
    if ref["orders"] != cand["orders"]:
        diffs.append(f"orders {ref['orders']} vs {cand['orders']}")
    elif ref["orders_hash"] != cand["orders_hash"]:
        diffs.append("order list")
    if not math.isclose(ref["final_value"], cand["final_value"], rel_tol=1e-12, abs_tol=1e-6):
        diffs.append(f"value {ref['final_value']!r} vs {cand['final_value']!r}")
    return "MISMATCH (" + "; ".join(diffs) + ")" if diffs else "OK"


def size_label(workload: str, size: Any) -> str:
    if workload == "portfolio":
        return f"{size[0]} x {size[1]:,}"
    return f"{size:,}"


def print_table(headers: list[str], rows: list[list[str]]) -> None:
    widths = [max(len(h), *(len(r[i]) for r in rows)) if rows else len(h)
              for i, h in enumerate(headers)]
    print("| " + " | ".join(h.ljust(w) for h, w in zip(headers, widths)) + " |")
    print("|" + "|".join("-" * (w + 2) for w in widths) + "|")
    for row in rows:
        print("| " + " | ".join(c.ljust(w) for c, w in zip(row, widths)) + " |")


def paired_ratios(ref: dict, cand: dict) -> str:
    """min-max of backtrader/backtrader_ib over the interleaved repetitions."""
    pairs = [a / b for a, b in zip(ref.get("cpu_runs", []), cand.get("cpu_runs", []))]
    if len(pairs) < 2:
        return "-"
    return f"{min(pairs):.1f}-{max(pairs):.1f}x ({len(pairs)} runs)"


def report(results: dict[tuple[str, str], dict], workloads: list[str]) -> int:
    status = 0
    headers = ["workload", "bars", "bt CPU s", "btib CPU s", "bt bars/s", "btib bars/s",
               "ratio (CPU)", "paired ratios", "target", "bt RSS MB", "btib RSS MB", "orders", "final value",
               "check"]
    rows = []
    for w in workloads:
        ref, cand = results.get((w, PACKAGES[0])), results.get((w, PACKAGES[1]))
        bars = source_bars(w, tuple(ref["size"]) if w == "portfolio" else ref["size"])
        row = [w, size_label(w, ref["size"])]
        if ref["status"] != "ok" or cand["status"] != "ok":
            status = 1
            bad = ref if ref["status"] != "ok" else cand
            rows.append(row + ["-"] * 11 + [f"FAILED {bad['package']}: {bad.get('reason')}"])
            continue
        ratio = ref["cpu_seconds"] / cand["cpu_seconds"]
        verdict = check(ref, cand)
        if verdict != "OK":
            status = 1
        target = TARGETS.get(w)
        rows.append(row + [
            f"{ref['cpu_seconds']:.2f}", f"{cand['cpu_seconds']:.2f}",
            f"{bars / ref['cpu_seconds']:,.0f}", f"{bars / cand['cpu_seconds']:,.0f}",
            f"{ratio:.1f}x", paired_ratios(ref, cand),
            (f">= {target:.0f}x " + ("met" if ratio >= target else "NOT met")) if target else "-",
            f"{ref['peak_rss_mb']:.0f}", f"{cand['peak_rss_mb']:.0f}",
            str(cand["orders"]), f"{cand['final_value']:.2f}", verdict])
    print()
    print_table(headers, rows)
    return status


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="smaller sizes (a smoke run)")
    parser.add_argument("--only", nargs="+", choices=list(SIZES), help="these workloads only")
    parser.add_argument("--packages", nargs="+", choices=PACKAGES, default=list(PACKAGES))
    parser.add_argument("--profile", metavar="SORT", nargs="?", const="tottime",
                        help="print a cProfile of each backtrader_ib case (sorted by SORT)")
    parser.add_argument("--json", metavar="PATH", help="also write the results as JSON")
    parser.add_argument("--timeout", type=float, default=1800.0, help="per case, seconds")
    parser.add_argument("--repeat", type=int, default=1, metavar="N",
                        help="run each case N times, the packages interleaved; the table "
                             "shows the median CPU time and the range of the paired ratios")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        child_main(json.loads(args.child))
        return 0

    workloads = args.only or list(SIZES)
    results: dict[tuple[str, str], dict] = {}
    for w in workloads:
        size = SIZES[w][1 if args.quick else 0]
        runs: dict[str, list[dict]] = {package: [] for package in args.packages}
        for rep in range(max(1, args.repeat)):
            for package in args.packages:  # interleaved: both sides see the same machine
                spec = {"workload": w, "package": package, "size": size}
                profile_out = None
                if args.profile and package == "backtrader_ib" and rep == 0:
                    spec["profile"] = args.profile
                    profile_out = lambda text, w=w: print(f"\n## profile: {w}\n{text}")  # noqa: E731
                print(f"{w} {size_label(w, size)} {package} ...", end=" ", file=sys.stderr,
                      flush=True)
                r = run_case(spec, args.timeout, profile_out)
                runs[package].append(r)
                if r["status"] == "ok":
                    print(f"{r['cpu_seconds']:.2f} s CPU, {r['peak_rss_mb']:.0f} MB",
                          file=sys.stderr, flush=True)
                else:
                    print(f"{r['status']}: {r.get('reason')}", file=sys.stderr, flush=True)
        for package, package_runs in runs.items():
            results[(w, package)] = merge_runs(package_runs)
    if len(args.packages) < 2:
        for r in results.values():
            print(json.dumps(r))
        return 0
    status = report(results, workloads)
    if args.json:
        with open(args.json, "w") as fh:
            json.dump({"argv": sys.argv[1:], "general_path": os.environ.get("BTIB_GENERAL_PATH"),
                       "results": list(results.values())}, fh, indent=2)
    return status


if __name__ == "__main__":
    sys.exit(main())
