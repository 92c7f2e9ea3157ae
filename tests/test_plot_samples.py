"""samples/plot_sample.py and samples/report_sample.py run and write their files."""
from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

SAMPLES = Path(__file__).resolve().parents[1] / 'samples'


def load(name: str):
    spec = importlib.util.spec_from_file_location(f'sample_{name}', SAMPLES / f'{name}.py')
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def test_plot_sample_writes_every_kind(tmp_path):
    import matplotlib.image as mpimg
    made = load('plot_sample').main(['--outdir', str(tmp_path), '--dpi', '40',
                                     '--numfigs', '2'])
    names = sorted(Path(p).name for p in made)
    assert names == ['bars.png', 'candles.png', 'custom.png', 'line.png', 'split_1.png',
                     'split_2.png', 'timeframes.png']
    for path in made:
        img = mpimg.imread(path)
        assert img.shape[1] > 300 and img[..., :3].std() > 0.05, path


def test_report_sample_writes_report_and_heatmap(tmp_path, capsys):
    pytest.importorskip('bokeh', reason='bokeh is not installed (the HTML report needs the [plot] extra)')
    out, opt = tmp_path / 'r.html', tmp_path / 'o.html'
    load('report_sample').main(['--fromdate', '2010-01-01', '--todate', '2012-12-31',
                                '--out', str(out), '--opt', str(opt)])
    assert 'report written to' in capsys.readouterr().out
    page = out.read_text(encoding='utf-8')
    assert '"price-0"' in page and '"price-1"' in page and 'nvda-1999-2014 (1 Day)' in page
    assert '"optheatmap"' in opt.read_text(encoding='utf-8')
