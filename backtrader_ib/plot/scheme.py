"""The options of a chart (colours, styles, sizes), as backtrader names them."""
from __future__ import annotations

from typing import Any

__all__ = ('PlotScheme', 'TABLEAU10', 'TABLEAU10_LIGHT')

#: line colours, in backtrader's order (its "tableau10" list)
TABLEAU10 = ['blue', 'darkorange', 'green', 'crimson', 'mediumpurple',
             'saddlebrown', 'orchid', 'gray', 'olive', 'mediumturquoise']
TABLEAU10_LIGHT = ['lightsteelblue', 'peachpuff', 'lightgreen', 'lightcoral',
                   'thistle', 'rosybrown', 'lightpink', 'lightgray',
                   'palegoldenrod', 'paleturquoise']
# the order backtrader hands out those colours: crimson first, then blue ...
_COLOR_ORDER = (3, 0, 2, 1, 2, 4, 5, 6, 7, 8, 9)

_DEFAULTS: dict[str, Any] = dict(
    ytight=False,           # no margin above/below the data's y range
    yadjust=0.0,            # minimum y margin of sub-plotted indicators
    zdown=True,             # later lines go below earlier ones
    tickrotation=15,        # x tick label rotation (degrees)
    rowsmajor=5,            # height of a data pane, in rows
    rowsminor=1,            # height of an indicator/observer/volume pane
    plotdist=0.0,           # vertical space between panes
    grid=True,
    style='line',           # 'line', 'bar' (or 'ohlc'), 'candle'
    loc='black',            # colour of the close line in 'line' style
    barup='0.75', bardown='red',
    bartrans=1.0, barupfill=True, bardownfill=True, baralpha=1.0,
    fillalpha=0.20,         # alpha of _fill_gt/_fill_lt areas
    volume=True,
    voloverlay=True,        # volume under the prices (else its own pane)
    volscaling=0.33,        # overlaid volume takes this share of the height
    volpushup=0.00,         # lift the prices away from overlaid volume
    volup='#aaaaaa', voldown='#cc6073', voltrans=0.50,
    subtxttrans=0.66, subtxtsize=9,
    legendtrans=0.0, legendind=True,   # legend boxes opaque (backtrader: 0.25)
    legendindloc='best', legenddataloc='best',   # where the lines leave room (backtrader: upper left)
    linevalues=True,        # last value in the legend labels
    valuetags=True,         # last value in a tag on the right
    hlinescolor='0.66', hlinesstyle='--', hlineswidth=1.0,
    lcolors=TABLEAU10,
    fmt_x_ticks=None,       # strftime of tick labels (None: by tick spacing)
    fmt_x_data=None,        # strftime of the cursor read-out (None: by timeframe)
    locbg='white', locbgother='white',
)


class PlotScheme:
    """Every chart option as a plain attribute; keyword arguments override."""

    def __init__(self, **options: Any) -> None:
        for name, value in _DEFAULTS.items():
            setattr(self, name, list(value) if isinstance(value, list) else value)
        self.update(**options)

    def update(self, **options: Any) -> 'PlotScheme':
        """Set options; an unknown name is an error, not a silent no-op."""
        for name, value in options.items():
            if name not in _DEFAULTS:
                known = ', '.join(sorted(_DEFAULTS))
                raise TypeError(f'unknown plot option {name!r}; known options: {known}')
            setattr(self, name, value)
        if self.style not in ('line', 'bar', 'ohlc', 'candle', 'candlestick'):
            raise ValueError(f"plot option style={self.style!r}: use 'line', 'bar', "
                             f"'ohlc' or 'candle'")
        return self

    def color(self, idx: int) -> str:
        """The ``idx``-th automatic line colour."""
        return self.lcolors[_COLOR_ORDER[idx % len(_COLOR_ORDER)] % len(self.lcolors)]


# backtrader's names of the colour tables: tableau20 pairs each colour with its
# light tone (starting from steelblue); tab10_index is the hand-out order
tableau10 = TABLEAU10
tableau10_light = TABLEAU10_LIGHT
tableau20 = [c for pair in zip(['steelblue'] + TABLEAU10[1:], TABLEAU10_LIGHT) for c in pair]
tab10_index = list(_COLOR_ORDER)
