"""``backtrader-ib`` / ``python -m backtrader_ib``: the command line.

One module per command, each with ``main(argv) -> int``: ``run.py``
(backtrader's btrun), ``ibsim.py`` (the simulated gateway), ``download.py``
(IB history to CSV/Parquet). This module reads ``backtrader-ib [-V] COMMAND``
and hands the rest of the line to the command untouched.
"""
from __future__ import annotations

import argparse
import importlib
import sys

#: command -> what it does; the code is in backtrader_ib/cli/<command>.py
COMMANDS = {
    'run': "run a backtest (backtrader's btrun)",
    'ibsim': 'start the simulated TWS / IB Gateway',
    'download': 'download IB history to CSV/Parquet',
}


def build_parser() -> argparse.ArgumentParser:
    """The top-level parser: options before the command, then the command."""
    width = max(map(len, COMMANDS))
    lines = [f'  {name:<{width}}  {text}: backtrader-ib {name} --help'
             for name, text in COMMANDS.items()]
    p = argparse.ArgumentParser(
        prog='backtrader-ib', usage='backtrader-ib [--version] COMMAND [ARGS]',
        formatter_class=argparse.RawDescriptionHelpFormatter, add_help=False,
        description='commands:\n' + '\n'.join(lines))
    # plain flags, not argparse's help/version actions: main() returns 0 for them
    p.add_argument('-h', '--help', action='store_true', help='show this help and exit')
    p.add_argument('-V', '--version', action='store_true', help='print the version and exit')
    p.add_argument('command', nargs='?', choices=list(COMMANDS), metavar='COMMAND',
                   help=f'one of {", ".join(COMMANDS)}; its own options follow it')
    return p


def main(argv: list[str] | None = None) -> int:
    """Run ``backtrader-ib`` with ``argv`` (default: ``sys.argv[1:]``); the exit status."""
    argv = list(sys.argv[1:] if argv is None else argv)
    # everything after the first word that is not an option belongs to the command
    cut = next((i + 1 for i, arg in enumerate(argv) if not arg.startswith('-')), len(argv))
    parser = build_parser()
    args = parser.parse_args(argv[:cut])
    if args.version:
        from ..version import __version__
        print(f'backtrader-ib {__version__}')
        return 0
    if args.help or args.command is None:
        parser.print_help()
        return 0
    # only the chosen command's module is loaded (`run` does not start up the simulator's)
    command = importlib.import_module(f'.{args.command}', __name__)
    return command.main(argv[cut:])
