"""More built-in indicators on two years of data: values every 25 bars and a composite signal."""
import json
import os

import backtrader as bt

DATADIR = os.environ.get('BTIB_DATA_DIR') or os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'data')
MODE = json.loads(os.environ.get('BTPROG_MODE', '{}'))


class Zoo(bt.Strategy):
    def __init__(self):
        self.inds = dict(
            kst=bt.ind.KnowSureThing(),
            dv2=bt.ind.DV2(),
            pgo=bt.ind.PrettyGoodOscillator(),
            hurst=bt.ind.HurstExponent(period=40),
            prank=bt.ind.PercentRank(period=30),
            meandev=bt.ind.MeanDeviation(period=20),
            adxr=bt.ind.ADXR(),
            dma=bt.ind.DicksonMovingAverage(period=20),
            roc100=bt.ind.ROC100(period=12),
            momosc=bt.ind.MomentumOscillator(period=12),
            priceosc=bt.ind.PriceOscillator(),
            trixsig=bt.ind.TrixSignal(),
            williamsad=bt.ind.WilliamsAD(),
            accdec=bt.ind.AccelerationDecelerationOscillator(),
            stochfull=bt.ind.StochasticFull(),
            ecosc=bt.ind.ZeroLagIndicator(period=20),
            upday=bt.ind.UpDay(),
            downdayb=bt.ind.DownDayBool(),
            sumn=bt.ind.SumN(self.data.volume, period=5),
            anyn=bt.ind.AnyN(self.data.close > self.data.open, period=3),
            allN=bt.ind.AllN(self.data.close > self.data.open, period=3),
            fhi=bt.ind.FindFirstIndexHighest(self.data.high, period=10),
            ll=bt.ind.LowestN(self.data.low, period=10) if hasattr(bt.ind, 'LowestN') else bt.ind.Lowest(self.data.low, period=10),
            wma_env=bt.ind.WMAEnvelope(period=10, perc=1.5),
            ema_osc=bt.ind.EMAOscillator(period=10),
            hma_env=bt.ind.HullMovingAverageEnvelope(period=10),
        )
        self.signal = bt.And(self.inds['dv2'] < 50, self.inds['kst'].kst > self.inds['kst'].signal)

    def next(self):
        if len(self) % 25:
            return
        print(self.data.datetime.date(0), 'signal %d' % self.signal[0])
        for name, ind in self.inds.items():
            print('  %s %s' % (name, ' '.join('%.4f' % line[0] for line in ind.lines)))


if __name__ == '__main__':
    cerebro = bt.Cerebro(**MODE)
    cerebro.adddata(bt.feeds.BacktraderCSVData(dataname=os.path.join(DATADIR, '2005-2006-day-001.txt')))
    cerebro.addstrategy(Zoo)
    cerebro.run()
