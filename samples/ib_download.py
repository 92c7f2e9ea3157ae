#!/usr/bin/env python
"""Download historical bars from Interactive Brokers into a CSV (or Parquet) file.

A thin wrapper of ``backtrader-ib download`` (backtrader_ib/cli/download.py;
``download()`` in backtrader_ib.stores.ibdownload does the same from Python).
The range is split into IB-sized requests, paced by IB's rules, retried on
pacing violations and resumed after a disconnection. Without --port an
in-process ibsim (simulated TWS) answers, so it runs out of the box; --data
defaults to AAPL and --fromdate to 2024-01-01.

    python samples/ib_download.py --timeframe Minutes --fromdate 2024-03-01 -o aapl.csv
    python samples/ib_download.py --port 4002 --data EUR.USD-CASH-IDEALPRO --what MIDPOINT \\
        --timeframe Days --fromdate 2020-01-01 -o eurusd.csv
"""
from __future__ import annotations

import sys

from backtrader_ib.cli.download import main as download_main


def main(argv=None) -> int:
    return download_main(argv, prog='ib_download.py', data='AAPL', fromdate='2024-01-01',
                         sim_without_port=True)


if __name__ == '__main__':
    sys.exit(main())
