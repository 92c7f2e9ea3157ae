"""``cerebro.plot()`` inside Jupyter: a notebook run headless (nbclient, a
real ipykernel) shows the chart inline as a PNG."""
from __future__ import annotations

import base64
import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOK = ROOT / 'tests' / 'notebooks' / 'plot.ipynb'


def test_plot_shows_inline_in_a_notebook(tmp_path, monkeypatch):
    nbformat = pytest.importorskip('nbformat', reason='nbformat is not installed ([test] extra)')
    nbclient = pytest.importorskip('nbclient', reason='nbclient is not installed ([test] extra)')
    pytest.importorskip('ipykernel', reason='ipykernel is not installed ([test] extra)')
    # the kernel imports this checkout, whatever is installed; and runs in a scratch dir
    monkeypatch.setenv('PYTHONPATH', os.pathsep.join(
        [str(ROOT)] + [p for p in os.environ.get('PYTHONPATH', '').split(os.pathsep) if p]))
    monkeypatch.delenv('MPLBACKEND', raising=False)
    nb = nbformat.read(NOTEBOOK, as_version=4)
    nbclient.NotebookClient(nb, timeout=300, kernel_name='python3',
                            resources={'metadata': {'path': str(tmp_path)}}).execute()
    run_cell, plot_cell = nb.cells[1], nb.cells[2]
    assert run_cell.outputs[0]['data']['text/plain'] == '249'        # ORCL's 2012 bars
    images = [o for o in plot_cell.outputs
              if o['output_type'] == 'display_data' and 'image/png' in o.get('data', {})]
    assert len(images) == 1, plot_cell.outputs                     # one figure, shown once
    png = base64.b64decode(images[0]['data']['image/png'])
    assert png[:8] == b'\x89PNG\r\n\x1a\n' and len(png) > 10_000
    assert not [o for o in plot_cell.outputs if o['output_type'] == 'error']
    assert list(tmp_path.iterdir()) == []                          # shown, not saved
