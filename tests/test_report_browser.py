"""The HTML report opened in real headless Chromium over the DevTools protocol.

A tiny WebSocket client (standard library only) drives Chromium: load the
report, collect console errors and uncaught exceptions, query the rendered
Bokeh document (tabs, panes, canvases) and save a screenshot under
``test-artifacts/`` (git-ignored).
"""
from __future__ import annotations

import base64
import datetime
import json
import os
import re
import shutil
import socket
import struct
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest

pytest.importorskip('bokeh', reason='bokeh is not installed (the HTML report needs the [plot] extra)')

import backtrader_ib as bt  # noqa: E402
from backtrader_ib import datas  # noqa: E402
from backtrader_ib.plot import report  # noqa: E402

ARTIFACTS = Path(__file__).resolve().parents[1] / 'test-artifacts'
CHROMIUM = next((shutil.which(n) for n in ('chromium', 'chromium-browser', 'google-chrome')
                 if shutil.which(n)), None)
pytestmark = pytest.mark.skipif(
    CHROMIUM is None, reason='headless Chromium not installed (apt-get install chromium; '
                             '.ci/run installs it)')


class WebSocket:
    """Just enough RFC 6455 for the DevTools protocol: masked text frames out."""

    def __init__(self, url: str, timeout: float = 30.0) -> None:
        m = re.match(r'ws://([^:/]+):(\d+)(/.*)', url)
        host, port, path = m.group(1), int(m.group(2)), m.group(3)
        self.sock = socket.create_connection((host, port), timeout=timeout)
        key = base64.b64encode(os.urandom(16)).decode()
        self.sock.sendall((f'GET {path} HTTP/1.1\r\nHost: {host}:{port}\r\n'
                           f'Upgrade: websocket\r\nConnection: Upgrade\r\n'
                           f'Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n')
                          .encode())
        head = b''
        while b'\r\n\r\n' not in head:
            chunk = self.sock.recv(1)
            if not chunk:
                raise ConnectionError('DevTools closed the connection during the handshake')
            head += chunk
        if b' 101 ' not in head.split(b'\r\n', 1)[0]:
            raise ConnectionError(f'DevTools refused the WebSocket: {head[:200]!r}')

    def _exact(self, n: int) -> bytes:
        buf = bytearray()
        while len(buf) < n:
            chunk = self.sock.recv(min(n - len(buf), 1 << 20))
            if not chunk:
                raise ConnectionError('DevTools closed the connection')
            buf += chunk
        return bytes(buf)

    def send(self, text: str) -> None:
        payload = text.encode()
        n = len(payload)
        head = bytes([0x81])
        if n < 126:
            head += bytes([0x80 | n])
        elif n < 1 << 16:
            head += bytes([0x80 | 126]) + struct.pack('>H', n)
        else:
            head += bytes([0x80 | 127]) + struct.pack('>Q', n)
        mask = os.urandom(4)
        masked = bytes(b ^ mask[i % 4] for i, b in enumerate(payload))
        self.sock.sendall(head + mask + masked)

    def recv(self) -> str:
        parts = []
        while True:
            b0, b1 = self._exact(2)
            n = b1 & 0x7F
            if n == 126:
                n = struct.unpack('>H', self._exact(2))[0]
            elif n == 127:
                n = struct.unpack('>Q', self._exact(8))[0]
            payload = self._exact(n)
            if b0 & 0x0F == 0x8:
                raise ConnectionError('DevTools closed the WebSocket')
            parts.append(payload)
            if b0 & 0x80:
                return b''.join(parts).decode()


class Browser:
    """Headless Chromium with one page, driven over the DevTools protocol."""

    def __init__(self, profile: Path) -> None:
        self.proc = subprocess.Popen(
            [CHROMIUM, '--headless', '--no-sandbox', '--disable-gpu',
             '--disable-dev-shm-usage', '--no-first-run', '--remote-debugging-port=0',
             f'--user-data-dir={profile}', '--window-size=1400,1100', 'about:blank'],
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        deadline = time.time() + 30
        url = None
        while time.time() < deadline and url is None:
            line = self.proc.stderr.readline()
            if not line and self.proc.poll() is not None:
                break
            m = re.search(r'ws://127\.0\.0\.1:(\d+)/', line)
            if m:
                url = m.group(1)
        if url is None:
            self.close()
            raise RuntimeError('Chromium did not start its DevTools endpoint')
        with urllib.request.urlopen(f'http://127.0.0.1:{url}/json/list', timeout=10) as r:
            pages = [t for t in json.load(r) if t['type'] == 'page']
        self.ws = WebSocket(pages[0]['webSocketDebuggerUrl'])
        self.next_id = 0
        self.events: list[dict] = []

    def call(self, method: str, **params):
        self.next_id += 1
        my_id = self.next_id
        self.ws.send(json.dumps({'id': my_id, 'method': method, 'params': params}))
        while True:
            msg = json.loads(self.ws.recv())
            if msg.get('id') == my_id:
                if 'error' in msg:
                    raise RuntimeError(f'{method}: {msg["error"]}')
                return msg['result']
            self.events.append(msg)

    def evaluate(self, expr: str):
        res = self.call('Runtime.evaluate', expression=expr, returnByValue=True,
                        awaitPromise=True)
        if 'exceptionDetails' in res:
            raise RuntimeError(f'{expr}: {res["exceptionDetails"]}')
        return res['result'].get('value')

    def errors(self) -> list[str]:
        out = []
        for ev in self.events:
            m, p = ev.get('method'), ev.get('params', {})
            if m == 'Runtime.exceptionThrown':
                out.append(json.dumps(p['exceptionDetails'])[:500])
            elif m == 'Runtime.consoleAPICalled' and p.get('type') in ('error', 'assert'):
                out.append(' '.join(str(a.get('value', a.get('description')))
                                    for a in p.get('args', [])))
            elif m == 'Log.entryAdded' and p['entry'].get('level') == 'error':
                out.append(p['entry'].get('text', ''))
        return out

    def close(self) -> None:
        self.proc.kill()
        self.proc.wait(timeout=10)


# every element, shadow roots included (Bokeh renders into shadow DOM)
_WALK = """
(() => { const all = []; const walk = (root) => { for (const el of root.querySelectorAll('*')) {
  all.push(el); if (el.shadowRoot) walk(el.shadowRoot); } }; walk(document); return all; })()
"""


def _run(tmp_path, two_datas: bool):
    class Cross(bt.Strategy):
        def __init__(self):
            self.cross = bt.ind.CrossOver(bt.ind.SMA(period=10), bt.ind.SMA(period=30))
            bt.ind.RSI(self.data)

        def next(self):
            if not self.position and self.cross > 0:
                self.buy()
            elif self.position and self.cross < 0:
                self.close()

    cerebro = bt.Cerebro()
    cerebro.adddata(bt.feeds.YahooFinanceCSVData(
        dataname=datas.path('orcl-1995-2014.csv'), fromdate=datetime.datetime(2010, 1, 1),
        todate=datetime.datetime(2012, 12, 31)))
    if two_datas:
        cerebro.adddata(bt.feeds.YahooFinanceCSVData(
            dataname=datas.path('nvda-1999-2014.csv'), fromdate=datetime.datetime(2010, 1, 1),
            todate=datetime.datetime(2012, 12, 31)))
    cerebro.addstrategy(Cross)
    cerebro.run()
    return cerebro


@pytest.fixture(scope='module')
def browser(tmp_path_factory):
    b = Browser(tmp_path_factory.mktemp('chromium-profile'))
    b.call('Runtime.enable')
    b.call('Log.enable')
    b.call('Page.enable')
    b.call('Emulation.setDeviceMetricsOverride', width=1400, height=1100,
           deviceScaleFactor=1, mobile=False)
    yield b
    b.close()


def _load(browser: Browser, path: Path) -> None:
    browser.events.clear()
    browser.call('Page.navigate', url=path.resolve().as_uri())
    deadline = time.time() + 30
    while time.time() < deadline:
        ready = browser.evaluate(
            "typeof Bokeh !== 'undefined' && Bokeh.documents.length > 0 && "
            "document.readyState === 'complete' && "
            f"{_WALK}.filter(e => e.tagName === 'CANVAS').length > 0")
        if ready:
            time.sleep(0.5)  # let the first paint settle
            return
        time.sleep(0.2)
    raise AssertionError(f'the report {path} did not render within 30 s: '
                         f'{browser.errors()}')


def _screenshot(browser: Browser, name: str) -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    png = base64.b64decode(browser.call('Page.captureScreenshot', format='png')['data'])
    out = ARTIFACTS / name
    out.write_bytes(png)
    return out


def test_report_renders_in_chromium(tmp_path, browser):
    cerebro = _run(tmp_path, two_datas=True)
    html = tmp_path / 'report.html'
    report(cerebro, str(html))
    _load(browser, html)
    assert browser.errors() == []
    titles = browser.evaluate(
        "Bokeh.documents[0].get_model_by_name('tabs').tabs.map(t => t.title)")
    assert titles == ['Summary', 'orcl-1995-2014 (1 Day)', 'nvda-1999-2014 (1 Day)']
    for name in ('summary', 'monthly', 'trades', 'price-0', 'volume-0', 'equity-0',
                 'drawdown-0', 'price-1', 'equity-1', 'drawdown-1', 'indicator-0-0'):
        assert browser.evaluate(
            f"Bokeh.documents[0].get_model_by_name('{name}') !== null"), name
    # the tab headers are in the rendered page, not only in the model
    shown = browser.evaluate(f"{_WALK}.filter(e => e.classList.contains('bk-tab'))"
                             ".map(e => e.textContent)")
    assert shown == titles
    # the summary tab shows its key figures
    text = browser.evaluate(f"{_WALK}.map(e => e.shadowRoot ? '' : e.textContent).join(' ')")
    for figure in ('Sharpe ratio', 'Sortino ratio', 'Max drawdown', 'Profit factor',
                   'Win rate', 'Exposure'):
        assert figure in text
    assert _screenshot(browser, 'report-summary.png').stat().st_size > 10000

    # switch to the first data's tab: its panes render without errors
    browser.evaluate("Bokeh.documents[0].get_model_by_name('tabs').active = 1")
    time.sleep(1.0)
    canvases = browser.evaluate(f"{_WALK}.filter(e => e.tagName === 'CANVAS' && "
                                "e.offsetParent !== null && e.width > 0).length")
    assert canvases >= 5  # price, volume, RSI, equity, drawdown
    assert browser.errors() == []
    assert _screenshot(browser, 'report-data.png').stat().st_size > 20000


def test_opt_heatmap_renders_in_chromium(tmp_path, browser):
    from backtrader_ib.plot import opt_heatmap

    class Run:  # an OptReturn-like result: params and a metric
        def __init__(self, fast, slow):
            self.params = type('P', (), dict(fast=fast, slow=slow))()
            self.value = 10000 + fast * 3 - slow

    results = [[Run(f, s)] for f in (5, 10, 15) for s in (20, 30, 40, 50)]
    html = tmp_path / 'opt.html'
    opt_heatmap(results, 'fast', 'slow', lambda r: r.value, str(html), metric_name='value')
    _load(browser, html)
    assert browser.errors() == []
    model = browser.evaluate(
        "(() => { const f = Bokeh.documents[0].get_model_by_name('optheatmap');"
        " return [f.x_range.factors, f.y_range.factors]; })()")
    assert model == [['5', '10', '15'], ['20', '30', '40', '50']]
    _screenshot(browser, 'opt-heatmap.png')
