"""Writes the files of this folder from the shared market data (run from anywhere).

Each file holds the rows of a tests/data file in another vendor's layout, for
the format tests in tests/test_feeds_formats.py:

* 2006-day-001.txt -> vchart-day.csv (VisualChart CSV, period D), sierrachart-day.csv
  (SierraChart), quandl-day.csv (Quandl; the Adj. columns are the prices times 0.9),
  vchart-day.fd (VisualChart binary daily)
* 2006-volume-day-001.txt -> vchart-volume-day.csv, 0015/010015ES.fd (VChartFile layout
  for market code 015ES, with volume and open interest)
* 2006-min-005.txt, first 300 bars -> vchart-min.csv (period I), mt4-min.csv (MetaTrader 4,
  with a header line as backtrader skips the first line), mt4-min-noheader.csv, vchart-min.min
"""
import os
import struct

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = os.path.dirname(HERE)


def rows(name, limit=None):
    with open(os.path.join(DATA, name)) as f:
        out = [line.strip().split(',') for line in f][1:]
    return out[:limit] if limit else out


def write(name, lines):
    with open(os.path.join(HERE, name), 'w', newline='\n') as f:
        f.write('\n'.join(lines) + '\n')


def vcdate(iso):
    y, m, d = (int(x) for x in iso.split('-'))
    return y * 500 + m * 32 + d


def main():
    day = rows('2006-day-001.txt')
    vol = rows('2006-volume-day-001.txt')
    mins = rows('2006-min-005.txt', 300)
    head = 'Ticker,Per,Date,Time,Open,High,Low,Close,Vol,OI'
    write('vchart-day.csv', [head] + ['ESTX50,D,{},000000,{}'.format(
        r[0].replace('-', ''), ','.join(r[1:7])) for r in day])
    write('vchart-volume-day.csv', [head] + ['FESX,D,{},000000,{}'.format(
        r[0].replace('-', ''), ','.join(r[1:7])) for r in vol])
    write('vchart-min.csv', [head] + ['ESTX50,I,{},{},{}'.format(
        r[0].replace('-', ''), r[1].replace(':', ''), ','.join(r[2:8])) for r in mins])
    write('sierrachart-day.csv', ['Date,Open,High,Low,Close,Volume,OpenInterest'] + [
        ','.join([r[0].replace('-', '/')] + r[1:7]) for r in day])
    mt4 = ['{},{},{}'.format(r[0].replace('-', '.'), r[1][:5], ','.join(r[2:7])) for r in mins]
    write('mt4-min.csv', ['Date,Time,Open,High,Low,Close,Volume'] + mt4)
    write('mt4-min-noheader.csv', mt4)
    qhead = ('Date,Open,High,Low,Close,Volume,Ex-Dividend,Split Ratio,'
             'Adj. Open,Adj. High,Adj. Low,Adj. Close,Adj. Volume')
    write('quandl-day.csv', [qhead] + [','.join(
        [r[0]] + r[1:6] + ['0.0', '1.0'] + ['%.4f' % (float(x) * 0.9) for x in r[1:5]]
        + [r[5]]) for r in day])
    with open(os.path.join(HERE, 'vchart-day.fd'), 'wb') as f:
        for r in day:
            f.write(struct.pack('<IffffII', vcdate(r[0]), *(float(x) for x in r[1:5]),
                                int(float(r[5])), int(float(r[6]))))
    os.makedirs(os.path.join(HERE, '0015'), exist_ok=True)
    with open(os.path.join(HERE, '0015', '010015ES.fd'), 'wb') as f:
        for r in vol:
            f.write(struct.pack('<IffffII', vcdate(r[0]), *(float(x) for x in r[1:5]),
                                int(float(r[5])), int(float(r[6]))))
    with open(os.path.join(HERE, 'vchart-min.min'), 'wb') as f:
        for r in mins:
            hh, mm, ss = (int(x) for x in r[1].split(':'))
            f.write(struct.pack('<IIffffII', vcdate(r[0]), (hh * 60 + mm) * 60 + ss,
                                *(float(x) for x in r[2:6]), int(float(r[6])),
                                int(float(r[7]))))


if __name__ == '__main__':
    main()
