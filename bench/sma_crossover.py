"""SMA(10)/SMA(30) CrossOver benchmark: backtrader vs backtrader_ib (plus backtesting.py).

Every case (package x bars x mode) runs in its own fresh Python process, so the
peak RSS reported is that case's alone. Only the run itself (``cerebro.run()``,
``Backtest.run()``) is timed. The parent prints a side-by-side table and checks
that backtrader and backtrader_ib complete the same orders and end with the same
value; it exits with status 1 on a mismatch or a failed case.

    python bench/sma_crossover.py                      # full run (100k and 1M bars)
    python bench/sma_crossover.py --bars 20000         # quick smoke run
    python bench/sma_crossover.py --packages backtrader backtrader_ib=backtrader
        # harness self-check: backtrader also plays the backtrader_ib column

A package is given as NAME or LABEL=MODULE (the module imported for column LABEL).
See docs/benchmarks.md.
"""
from __future__ import annotations

import argparse
import hashlib
import importlib
import json
import math
import os
import platform
import resource
import subprocess
import sys
import time
from typing import Any

BENCH_DIR = os.path.dirname(os.path.abspath(__file__))
REPO_ROOT = os.path.dirname(BENCH_DIR)
RESULT_TAG = "BENCH_RESULT "  # prefix of the child's JSON line on stdout

REFERENCE = "backtrader"
CANDIDATE = "backtrader_ib"
OUTSIDE = "backtesting"
DATA_ONLY = "buildonly"

# Cerebro keyword arguments of each mode.
MODES: dict[str, dict[str, Any]] = {
    "default": {},                  # preload=True, runonce=True
    "noronce": {"runonce": False},
    "exactbars1": {"exactbars": 1},
}
MODE_TITLES = {
    "default": "default (preload+runonce)",
    "noronce": "runonce=False",
    "exactbars1": "exactbars=1",
    "-": "-",
}
FAST, SLOW = 10, 30
CASH = 1e9
VALUE_TOLERANCE = 1e-6  # absolute, on a final value of about 1e9 (a few float ulps)

# What a package must provide for its case to run at all.
REQUIRED_API = {
    "backtrader_like": ["Cerebro", "Strategy", "feeds.PandasData", "indicators.SMA",
                        "indicators.CrossOver", "num2date"],
    OUTSIDE: ["Backtest", "Strategy", "lib.crossover"],
}

# Targets of issue 2 ("Done when"), printed for information only.
TARGET_RATIO = {"default": 15.0, "noronce": 10.0}
TARGET_RSS_1M_MB = 300.0


# --------------------------------------------------------------------------- child


def peak_rss_mb() -> float:
    """Peak resident set size of this process in MiB (ru_maxrss is KiB on Linux)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def import_package(label: str, module: str) -> Any:
    """Import ``module`` and check the API the benchmark uses; raise ImportError if absent."""
    package = importlib.import_module(module)
    for dotted in REQUIRED_API[OUTSIDE if label == OUTSIDE else "backtrader_like"]:
        obj = package
        for part in dotted.split("."):
            try:
                obj = getattr(obj, part)
            except AttributeError:
                try:  # a subpackage that the package does not import itself
                    obj = importlib.import_module(f"{obj.__name__}.{part}")
                except Exception:
                    raise ImportError(f"{module} has no {dotted}") from None
    return package


def make_strategy(bt: Any) -> type:
    """Build the benchmark strategy class for the backtrader-like module ``bt``."""

    class SmaCross(bt.Strategy):
        """Buy 1 when flat and SMA(10) crosses above SMA(30); close when it crosses below."""

        def __init__(self) -> None:
            fast = bt.indicators.SMA(self.data.close, period=FAST)
            slow = bt.indicators.SMA(self.data.close, period=SLOW)
            self.crossover = bt.indicators.CrossOver(fast, slow)
            self.completed = 0
            self.digest = hashlib.sha256()  # hashed as we go: no per-order memory

        def notify_order(self, order: Any) -> None:
            if order.status == order.Completed:
                self.completed += 1
                when = bt.num2date(order.executed.dt).isoformat()
                # float(): numpy 2 reprs np.float64 as "np.float64(...)"; compare values only
                size, price = float(order.executed.size), float(order.executed.price)
                record = f"{when} {size!r} {price!r}\n"
                self.digest.update(record.encode())

        def next(self) -> None:
            if not self.position:
                if self.crossover > 0:
                    self.buy(size=1)
            elif self.crossover < 0:
                self.close()

    return SmaCross


def run_backtrader_like(module: str, mode: str, bars: int) -> dict[str, Any]:
    """Run the strategy with a backtrader-compatible ``module``; time cerebro.run()."""
    from synthdata import make_ohlcv

    bt = import_package(CANDIDATE, module)
    df = make_ohlcv(bars)
    cerebro = bt.Cerebro(**MODES[mode])
    cerebro.adddata(bt.feeds.PandasData(dataname=df))
    cerebro.addstrategy(make_strategy(bt))
    cerebro.broker.setcash(CASH)
    start, cpu_start = time.perf_counter(), time.process_time()
    strategy = cerebro.run()[0]
    seconds = time.perf_counter() - start
    cpu_seconds = time.process_time() - cpu_start
    return {
        "seconds": seconds,
        "cpu_seconds": cpu_seconds,
        "orders": strategy.completed,
        "final_value": float(cerebro.broker.getvalue()),
        "orders_hash": strategy.digest.hexdigest()[:16],
        "version": getattr(bt, "__version__", "?"),
        "module_file": getattr(bt, "__file__", None),
    }


def run_backtesting(module: str, bars: int) -> dict[str, Any]:
    """Run the same strategy with backtesting.py (its own fill model); time Backtest.run()."""
    import pandas as pd
    from synthdata import make_ohlcv

    btp = import_package(OUTSIDE, module)
    crossover = importlib.import_module(f"{module}.lib").crossover

    def sma(values: Any, period: int) -> Any:
        return pd.Series(values).rolling(period).mean()

    class SmaCross(btp.Strategy):
        def init(self) -> None:
            self.fast = self.I(sma, self.data.Close, FAST)
            self.slow = self.I(sma, self.data.Close, SLOW)

        def next(self) -> None:
            if not self.position:
                if crossover(self.fast, self.slow):
                    self.buy(size=1)
            elif crossover(self.slow, self.fast):
                self.position.close()

    df = make_ohlcv(bars).rename(columns=str.capitalize)
    backtest = btp.Backtest(df, SmaCross, cash=CASH)
    start, cpu_start = time.perf_counter(), time.process_time()
    stats = backtest.run()
    seconds = time.perf_counter() - start
    cpu_seconds = time.process_time() - cpu_start
    open_position = bool(stats["_strategy"].position)  # not listed in stats["_trades"]
    return {
        "seconds": seconds,
        "cpu_seconds": cpu_seconds,
        "orders": 2 * len(stats["_trades"]) + int(open_position),  # entries plus exits
        "final_value": float(stats["Equity Final [$]"]),
        "orders_hash": None,
        "version": getattr(btp, "__version__", "?"),
        "module_file": getattr(btp, "__file__", None),
    }


def run_data_only(bars: int) -> dict[str, Any]:
    """Only build the DataFrame: the RSS baseline (Python + numpy + pandas + data)."""
    from synthdata import make_ohlcv

    df = make_ohlcv(bars)
    return {"seconds": None, "rows": len(df)}


def child_main(spec: dict[str, Any]) -> None:
    """Run one case and print its result as a tagged JSON line."""
    sys.path.insert(0, BENCH_DIR)
    label, module, mode, bars = spec["package"], spec["module"], spec["mode"], spec["bars"]
    result: dict[str, Any] = {"package": label, "module": module, "mode": mode, "bars": bars}
    try:
        if label != DATA_ONLY:
            import_package(label, module)
    except Exception as exc:  # import failure or missing API: "unavailable", not "failed"
        result["status"] = "unavailable"
        result["reason"] = f"{type(exc).__name__}: {exc}"
    else:
        try:
            if label == DATA_ONLY:
                result.update(run_data_only(bars))
            elif label == OUTSIDE:
                result.update(run_backtesting(module, bars))
            else:
                result.update(run_backtrader_like(module, mode, bars))
            result["status"] = "ok"
        except Exception as exc:
            result["status"] = "failed"
            result["reason"] = f"{type(exc).__name__}: {exc}"
    seconds = result.get("seconds")
    result["bars_per_s"] = bars / seconds if seconds else None
    cpu_seconds = result.get("cpu_seconds")
    result["cpu_bars_per_s"] = bars / cpu_seconds if cpu_seconds else None
    result["peak_rss_mb"] = peak_rss_mb()
    print(RESULT_TAG + json.dumps(result), flush=True)


# -------------------------------------------------------------------------- parent


def parse_package(spec: str) -> tuple[str, str]:
    """'NAME' -> (NAME, NAME); 'LABEL=MODULE' -> (LABEL, MODULE)."""
    label, _, module = spec.partition("=")
    return label, module or label


def run_case(label: str, module: str, mode: str, bars: int, timeout: float) -> dict[str, Any]:
    """Run one case in a fresh subprocess and return its result dict."""
    spec = {"package": label, "module": module, "mode": mode, "bars": bars}
    env = dict(os.environ)
    # benchmark the working tree's backtrader_ib even when it is not installed
    env["PYTHONPATH"] = os.pathsep.join(p for p in (REPO_ROOT, env.get("PYTHONPATH")) if p)
    command = [sys.executable, os.path.abspath(__file__), "--child", json.dumps(spec)]
    try:
        proc = subprocess.run(command, capture_output=True, text=True, env=env,
                              cwd=REPO_ROOT, timeout=timeout)
    except subprocess.TimeoutExpired:
        return {**spec, "status": "failed", "reason": f"timeout after {timeout:.0f} s"}
    for line in reversed(proc.stdout.splitlines()):
        if line.startswith(RESULT_TAG):
            return json.loads(line[len(RESULT_TAG):])
    tail = (proc.stderr.strip().splitlines() or ["no output"])[-1]
    return {**spec, "status": "failed", "reason": f"exit code {proc.returncode}: {tail}"}


def fmt_rate(result: dict[str, Any] | None, key: str = "bars_per_s") -> str:
    if result is None:
        return "-"
    if result["status"] != "ok":
        return f"{result['status']} (see below)"
    return f"{result[key]:,.0f}" if result.get(key) else "-"


def fmt_rss(result: dict[str, Any] | None) -> str:
    return f"{result['peak_rss_mb']:.1f}" if result and result["status"] == "ok" else "-"


def differences(a: dict[str, Any], b: dict[str, Any]) -> list[str]:
    """What differs between two runs: order count, order list (dt, size, price), final value."""
    diffs = []
    if a["orders"] != b["orders"]:
        diffs.append("order count")
    if a["orders_hash"] != b["orders_hash"]:
        diffs.append("order list")
    if not math.isclose(a["final_value"], b["final_value"], rel_tol=0.0,
                        abs_tol=VALUE_TOLERANCE):
        diffs.append("final value")
    return diffs


def bars_label(bars: int) -> str:
    if bars % 1_000_000 == 0:
        return f"{bars // 1_000_000}M"
    return f"{bars // 1000}k" if bars % 1000 == 0 else str(bars)


def print_table(headers: list[str], rows: list[list[str]]) -> None:
    """Print a GitHub-markdown table (readable as plain text too)."""
    widths = [max(len(h), *(len(r[i]) for r in rows)) if rows else len(h)
              for i, h in enumerate(headers)]
    print("| " + " | ".join(h.ljust(w) for h, w in zip(headers, widths)) + " |")
    print("|" + "|".join("-" * (w + 2) for w in widths) + "|")
    for row in rows:
        print("| " + " | ".join(c.ljust(w) for c, w in zip(row, widths)) + " |")


def report(results: list[dict[str, Any]], bars_list: list[int], modes: list[str]) -> int:
    """Print the comparison tables and return the exit status (1 on mismatch/failure)."""
    by_key = {(r["package"], r["mode"], r["bars"]): r for r in results}
    status = 0

    names = {label: label for label in (REFERENCE, CANDIDATE)}
    for r in results:  # show aliases such as backtrader_ib=backtrader in the headers
        if r["package"] in names and r["module"] != r["package"]:
            names[r["package"]] = f"{r['package']}={r['module']}"
    ref_name, cand_name = names[REFERENCE], names[CANDIDATE]
    headers = ["bars", "mode", f"{ref_name} bars/s", f"{cand_name} bars/s", "ratio",
               f"{ref_name} CPU bars/s", f"{cand_name} CPU bars/s", "CPU ratio",
               f"{ref_name} RSS MB", f"{cand_name} RSS MB", "orders", "final value", "check"]
    rows = []
    for bars in bars_list:
        base = by_key.get((DATA_ONLY, "-", bars))
        if base:
            rows.append([bars_label(bars), "data build only", "-", "-", "-", "-", "-", "-",
                         fmt_rss(base), fmt_rss(base), "-", "-", "-"])
        for mode in modes:
            ref = by_key.get((REFERENCE, mode, bars))
            cand = by_key.get((CANDIDATE, mode, bars))
            if ref is None and cand is None:
                continue
            ok_ref = ref is not None and ref["status"] == "ok"
            ok_cand = cand is not None and cand["status"] == "ok"
            ratio, cpu_ratio, orders, value, check = "-", "-", "-", "-", "n/a"
            if ok_ref and ok_cand:
                ratio = f"{cand['bars_per_s'] / ref['bars_per_s']:.2f}x"
                if cand.get("cpu_bars_per_s") and ref.get("cpu_bars_per_s"):
                    cpu_ratio = f"{cand['cpu_bars_per_s'] / ref['cpu_bars_per_s']:.2f}x"
                diffs = differences(ref, cand)
                check = f"MISMATCH ({', '.join(diffs)})" if diffs else "OK"
            for r in (ref, cand):
                if r is not None and r["status"] == "ok":
                    orders, value = str(r["orders"]), f"{r['final_value']:.2f}"
                    break
            if check.startswith("MISMATCH"):
                orders = f"{ref['orders']} vs {cand['orders']}"
                value = f"{ref['final_value']:.6f} vs {cand['final_value']:.6f}"
                status = 1
            rows.append([bars_label(bars), MODE_TITLES[mode], fmt_rate(ref), fmt_rate(cand),
                         ratio, fmt_rate(ref, "cpu_bars_per_s"), fmt_rate(cand, "cpu_bars_per_s"),
                         cpu_ratio, fmt_rss(ref), fmt_rss(cand), orders, value, check])
    print()
    print_table(headers, rows)

    outside = [r for r in results if r["package"] == OUTSIDE]
    if outside:
        print("\nOutside reference: backtesting.py (own fill model; orders not compared)")
        print_table(["bars", "bars/s", "run s", "peak RSS MB", "orders", "final value"],
                    [[bars_label(r["bars"]), fmt_rate(r),
                      f"{r['seconds']:.2f}" if r["status"] == "ok" else "-", fmt_rss(r),
                      str(r.get("orders", "-")),
                      f"{r['final_value']:.2f}" if r["status"] == "ok" else "-"]
                     for r in outside])

    # every mode of one package must give the same orders and value too
    for package in (REFERENCE, CANDIDATE):
        for bars in bars_list:
            runs = [by_key.get((package, m, bars)) for m in modes]
            runs = [r for r in runs if r is not None and r["status"] == "ok"]
            if any(differences(runs[0], r) for r in runs[1:]):
                print(f"\nMISMATCH between modes of {package} at {bars_label(bars)} bars")
                status = 1

    print_memory_growth(by_key, bars_list)
    print_targets(by_key, bars_list, modes, cand_name)

    print_problems(results)
    if any(r["status"] == "failed" for r in results):
        status = 1
    return status


def print_problems(results: list[dict[str, Any]]) -> None:
    """List unavailable packages (once each) and failed cases with their reasons."""
    seen = set()
    for r in results:
        if r["status"] == "unavailable" and (r["package"], r["reason"]) not in seen:
            seen.add((r["package"], r["reason"]))
            print(f"\n{r['package']}: unavailable: {r['reason']}", end="")
        elif r["status"] == "failed":
            print(f"\n{r['package']} {r['mode']} {bars_label(r['bars'])}: failed: {r['reason']}",
                  end="")
    if seen or any(r["status"] == "failed" for r in results):
        print()


def print_memory_growth(by_key: dict, bars_list: list[int]) -> None:
    """exactbars=1 peak RSS growth between the smallest and largest bar count."""
    if len(bars_list) < 2:
        return
    small, large = min(bars_list), max(bars_list)
    base_small = by_key.get((DATA_ONLY, "-", small))
    base_large = by_key.get((DATA_ONLY, "-", large))
    print(f"\nexactbars=1 peak RSS growth from {bars_label(small)} to {bars_label(large)} bars:")
    for package in (CANDIDATE, REFERENCE):
        a = by_key.get((package, "exactbars1", small))
        b = by_key.get((package, "exactbars1", large))
        if not (a and b and a["status"] == b["status"] == "ok"):
            print(f"  {package}: n/a")
            continue
        growth = b["peak_rss_mb"] - a["peak_rss_mb"]
        line = f"  {package}: {a['peak_rss_mb']:.1f} -> {b['peak_rss_mb']:.1f} MB (+{growth:.1f} MB)"
        if base_small and base_large and base_small["status"] == base_large["status"] == "ok":
            data_growth = base_large["peak_rss_mb"] - base_small["peak_rss_mb"]
            line += (f"; data build alone grows +{data_growth:.1f} MB,"
                     f" so the engine adds {growth - data_growth:+.1f} MB")
        print(line)


def print_targets(by_key: dict, bars_list: list[int], modes: list[str], cand_name: str) -> None:
    """Issue 2's speed and memory targets (informational; does not change the exit status)."""
    lines = []
    for bars in bars_list:
        for mode, target in TARGET_RATIO.items():
            ref, cand = by_key.get((REFERENCE, mode, bars)), by_key.get((CANDIDATE, mode, bars))
            if mode in modes and ref and cand and ref["status"] == cand["status"] == "ok":
                ratio = cand["bars_per_s"] / ref["bars_per_s"]
                verdict = "met" if ratio >= target else "NOT met"
                line = f"  {bars_label(bars)} {mode}: {ratio:.1f}x (target >= {target:.0f}x) {verdict}"
                if cand.get("cpu_bars_per_s") and ref.get("cpu_bars_per_s"):
                    cpu_ratio = cand["cpu_bars_per_s"] / ref["cpu_bars_per_s"]
                    line += (f"; on CPU time {cpu_ratio:.1f}x"
                             f" {'met' if cpu_ratio >= target else 'NOT met'}")
                lines.append(line)
    if 1_000_000 in bars_list:
        for mode in modes:
            cand = by_key.get((CANDIDATE, mode, 1_000_000))
            if cand and cand["status"] == "ok":
                verdict = "met" if cand["peak_rss_mb"] <= TARGET_RSS_1M_MB else "NOT met"
                lines.append(f"  1M {mode}: peak RSS {cand['peak_rss_mb']:.0f} MB"
                             f" (target <= {TARGET_RSS_1M_MB:.0f} MB) {verdict}")
    if lines:
        print(f"\nTargets (issue 2) for {cand_name}:")
        print("\n".join(lines))


def installed_versions() -> dict[str, str | None]:
    """Installed versions of the packages that matter for the numbers."""
    from importlib import metadata

    versions: dict[str, str | None] = {}
    for name in ("numpy", "pandas", "backtrader", "backtrader_ib", "backtesting"):
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = None
    return versions


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--bars", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--modes", nargs="+", choices=list(MODES), default=list(MODES))
    parser.add_argument("--packages", nargs="+", default=[REFERENCE, CANDIDATE, OUTSIDE],
                        help="NAME or LABEL=MODULE; labels: backtrader, backtrader_ib, backtesting")
    parser.add_argument("--json", metavar="PATH", help="also write all results as JSON")
    parser.add_argument("--no-buildonly", action="store_true",
                        help="skip the data-build-only RSS baseline cases")
    parser.add_argument("--timeout", type=float, default=3600.0, help="per case, seconds")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    if args.child:
        child_main(json.loads(args.child))
        return 0

    packages = [parse_package(p) for p in args.packages]
    unknown = [label for label, _ in packages if label not in (REFERENCE, CANDIDATE, OUTSIDE)]
    if unknown:
        parser.error(f"unknown package label(s) {unknown}; use LABEL=MODULE to alias a module")

    cases: list[tuple[str, str, str, int]] = []
    for bars in args.bars:
        if not args.no_buildonly:
            cases.append((DATA_ONLY, "", "-", bars))
        for label, module in packages:
            for mode in (["-"] if label == OUTSIDE else args.modes):
                cases.append((label, module, mode, bars))

    results = []
    for i, (label, module, mode, bars) in enumerate(cases, 1):
        shown = label if module in (label, "") else f"{label}={module}"
        print(f"[{i}/{len(cases)}] {shown} {mode} {bars_label(bars)} bars ...",
              end=" ", file=sys.stderr, flush=True)
        result = run_case(label, module, mode, bars, args.timeout)
        results.append(result)
        if result["status"] == "ok":
            rate = f"{result['bars_per_s']:,.0f} bars/s, " if result["bars_per_s"] else ""
            if result.get("cpu_bars_per_s"):
                rate += f"{result['cpu_bars_per_s']:,.0f} CPU bars/s, "
            print(f"{rate}{result['peak_rss_mb']:.1f} MB", file=sys.stderr, flush=True)
        else:
            print(f"{result['status']}: {result.get('reason')}", file=sys.stderr, flush=True)

    status = report(results, args.bars, args.modes)
    if args.json:
        meta = {"python": platform.python_version(), "machine": platform.machine(),
                "cpus": os.cpu_count(), "argv": sys.argv[1:], "versions": installed_versions()}
        with open(args.json, "w") as fh:
            json.dump({"meta": meta, "results": results}, fh, indent=2)
    return status


if __name__ == "__main__":
    sys.exit(main())
