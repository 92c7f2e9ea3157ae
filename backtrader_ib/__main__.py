"""``python -m backtrader_ib``: the ``backtrader-ib`` command line."""
import sys

from .cli import main

sys.exit(main())
