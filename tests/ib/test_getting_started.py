"""docs/getting-started.md's offline IB example runs as written, against an
ibsim standing in for ``backtrader-ib ibsim`` on 7497."""
from __future__ import annotations

import re
from pathlib import Path

from backtrader_ib.ibsim import IBSim
from backtrader_ib.stores.ibstore import IBStore

PAGE = Path(__file__).resolve().parents[2] / 'docs' / 'getting-started.md'


def test_offline_ib_example_runs(tmp_path, monkeypatch, capsys):
    text = PAGE.read_text()
    first, offline = re.findall(r'```python\n(.*?)```', text, re.S)[:2]
    assert 'listens on 7497' in text
    assert '[Interactive Brokers](ib.md)' in text
    monkeypatch.chdir(tmp_path)
    env = {'__name__': '__doc_example__'}
    exec(compile(first, 'getting-started.md', 'exec'), env)   # defines SmaCross
    assert 'port=7497' in offline
    sim = IBSim(port=0, pacing=False).start()
    try:
        code = offline.replace('port=7497', f'port={sim.port}')
        capsys.readouterr()
        exec(compile(code, 'getting-started.md', 'exec'), env)
    finally:
        sim.stop()
        IBStore.reset()
    value = float(capsys.readouterr().out.strip().splitlines()[-1])
    assert value != 100_000.0                     # it traded
    strat = env['cerebro'].runstrats[0][0]
    assert 240 <= len(strat.data) <= 262           # a year of weekdays (ibsim has no holidays)
