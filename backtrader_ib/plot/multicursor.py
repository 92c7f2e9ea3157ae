"""A crosshair cursor shared by several axes (backtrader's MultiCursor).

The vertical line follows the mouse in every axes (a chart's panes share the
bar axis); the horizontal line shows in the axes under the mouse only, or in
all of them (``horizMulti``).
"""
from __future__ import annotations

from typing import Any

from matplotlib.widgets import Widget

__all__ = ('Widget', 'MultiCursor', 'MultiCursor2')


class MultiCursor(Widget):
    """Crosshair lines over ``axes`` (which may span several figures' canvases).

    ``vertOn``/``horizOn`` switch the vertical/horizontal line; ``vertMulti``
    and ``horizMulti`` draw it in every axes rather than the one under the
    mouse. ``horizShared``/``vertShared`` are accepted for backtrader's
    signature (the position always comes from the mouse). ``useblit`` is
    accepted; redraws use ``draw_idle``. ``lineprops`` style the lines.
    """

    def __init__(self, canvas: Any, axes: list, useblit: bool = True,
                 horizOn: bool = False, vertOn: bool = True,
                 horizMulti: bool = False, vertMulti: bool = True,
                 horizShared: bool = True, vertShared: bool = False,
                 **lineprops: Any) -> None:
        self.canvas = canvas
        self.axes = list(axes)
        self.horizOn, self.vertOn = horizOn, vertOn
        self.horizMulti, self.vertMulti = horizMulti, vertMulti
        self.horizShared, self.vertShared = horizShared, vertShared
        self.useblit = useblit
        lineprops = {'color': 'red', 'lw': 1, **lineprops, 'animated': False}
        self.vlines = [ax.axvline(0, visible=False, **lineprops) for ax in self.axes]
        self.hlines = [ax.axhline(0, visible=False, **lineprops) for ax in self.axes]
        self.canvases = {ax.figure.canvas for ax in self.axes} | {canvas}
        self._cids = [(c, c.mpl_connect('motion_notify_event', self.onmove))
                      for c in self.canvases]

    def disconnect(self) -> None:
        for c, cid in self._cids:
            c.mpl_disconnect(cid)
        self._cids = []

    def onmove(self, event) -> None:
        if self.ignore(event) or event.inaxes not in self.axes:
            return
        here = event.inaxes
        for ax, vline, hline in zip(self.axes, self.vlines, self.hlines):
            vline.set_xdata([event.xdata, event.xdata])
            vline.set_visible(self.vertOn and (self.vertMulti or ax is here))
            hline.set_ydata([event.ydata, event.ydata])
            hline.set_visible(self.horizOn and (self.horizMulti or ax is here))
        for c in self.canvases:
            c.draw_idle()


class MultiCursor2(MultiCursor):
    """matplotlib's original behaviour: both lines in every axes."""

    def __init__(self, canvas: Any, axes: list, useblit: bool = True, horizOn: bool = False,
                 vertOn: bool = True, **lineprops: Any) -> None:
        super().__init__(canvas, axes, useblit=useblit, horizOn=horizOn, vertOn=vertOn,
                         horizMulti=True, vertMulti=True, **lineprops)
