"""Many built-in indicators with plotinfo tweaks, values printed every few bars."""
import json
import os

import backtrader as bt

DATADIR = os.environ.get('BTIB_DATA_DIR') or os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'data')
MODE = json.loads(os.environ.get('BTPROG_MODE', '{}'))


class Zoo(bt.Strategy):
    def __init__(self):
        self.inds = dict(
            sma=bt.ind.SMA(period=10, plotname='sma10'),
            ema=bt.ind.EMA(period=10),
            wma=bt.ind.WMA(period=10),
            dema=bt.ind.DEMA(period=10),
            tema=bt.ind.TEMA(period=10),
            kama=bt.ind.KAMA(period=10),
            smma=bt.ind.SMMA(period=10),
            hma=bt.ind.HullMA(period=10),
            zlema=bt.ind.ZeroLagExponentialMovingAverage(period=10),
            rsi=bt.ind.RSI(period=14, upperband=75, lowerband=25),
            stoch=bt.ind.StochasticSlow(),
            macd=bt.ind.MACDHisto(),
            atr=bt.ind.ATR(period=14),
            adx=bt.ind.ADX(),
            dmi=bt.ind.DirectionalMovementIndex(),
            cci=bt.ind.CCI(period=20),
            willr=bt.ind.WilliamsR(),
            boll=bt.ind.BollingerBandsPct(),
            aroon=bt.ind.AroonUpDown(),
            ppo=bt.ind.PPO(),
            trix=bt.ind.TRIX(),
            ultimate=bt.ind.UltimateOscillator(),
            psar=bt.ind.ParabolicSAR(),
            pivot=bt.ind.PivotPoint(),
            dpo=bt.ind.DPO(),
            awesome=bt.ind.AwesomeOscillator(),
            envelope=bt.ind.SMAEnvelope(perc=2.0),
            stddev=bt.ind.StdDev(period=20),
            tsi=bt.ind.TrueStrengthIndicator(),
            vortex=bt.ind.Vortex(),
            lrsi=bt.ind.LaguerreRSI(),
        )
        self.inds['macd'].plotinfo.plotname = 'macd histo'
        self.inds['rsi'].plotinfo.plotyhlines = [25, 50, 75]

    def next(self):
        if len(self) % 17:
            return
        print(self.data.datetime.date(0))
        for name, ind in self.inds.items():
            vals = ' '.join('%s=%.4f' % (ln, getattr(ind.lines, ln)[0]) for ln in ind.lines.getlinealiases())
            print('  %s %s' % (name, vals))


if __name__ == '__main__':
    cerebro = bt.Cerebro(**MODE)
    cerebro.adddata(bt.feeds.BacktraderCSVData(dataname=os.path.join(DATADIR, '2006-day-001.txt')))
    cerebro.addstrategy(Zoo)
    cerebro.run()
