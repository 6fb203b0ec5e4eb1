/**
 * Price-input indicator rows of `npm run bench:indicators` (see `indicator-case.ts`). The
 * counterparts are trading-signals 8.3.0 classes, which since v7 compute with plain numbers
 * (there are no separate big.js / `Faster*` variants any more); their `add(x)` is wrapped as
 * `update(x)`.
 */
import * as ts from 'trading-signals';
import { BollingerBands } from '../lib/indicators/bollinger-bands.ts';
import { DEMA } from '../lib/indicators/dema.ts';
import { EMA } from '../lib/indicators/ema.ts';
import { HistoricalVolatility } from '../lib/indicators/historical-volatility.ts';
import { HMA } from '../lib/indicators/hma.ts';
import { MACD } from '../lib/indicators/macd.ts';
import { Momentum } from '../lib/indicators/momentum.ts';
import { ROC } from '../lib/indicators/roc.ts';
import { RollingHigh } from '../lib/indicators/rolling-high.ts';
import { RollingLow } from '../lib/indicators/rolling-low.ts';
import { RSI } from '../lib/indicators/rsi.ts';
import { SMA } from '../lib/indicators/sma.ts';
import { StdDev } from '../lib/indicators/std-dev.ts';
import { TEMA } from '../lib/indicators/tema.ts';
import { WMA } from '../lib/indicators/wma.ts';
import type { IndicatorCase } from './indicator-case.ts';

/** Adapts a trading-signals indicator (`add`) to the benchmark's `update`. */
const wrap = (indicator: { add(x: number): unknown }) => ({ update: (x: number) => indicator.add(x) });

export const INDICATOR_CASES: IndicatorCase[] = [
  { name: 'SMA(20)', input: 'price', ours: () => new SMA(20), theirs: () => wrap(new ts.SMA(20)) },
  { name: 'EMA(9)', input: 'price', ours: () => new EMA(9), theirs: () => wrap(new ts.EMA(9)) },
  { name: 'WMA(20)', input: 'price', ours: () => new WMA(20), theirs: () => wrap(new ts.WMA(20)) },
  { name: 'DEMA(20)', input: 'price', ours: () => new DEMA(20), theirs: () => wrap(new ts.DEMA(20)) },
  { name: 'TEMA(20)', input: 'price', ours: () => new TEMA(20), theirs: () => wrap(new ts.TEMA(20)) },
  { name: 'HMA(20)', input: 'price', ours: () => new HMA(20), theirs: () => wrap(new ts.HMA(20)) },
  { name: 'RSI(14)', input: 'price', ours: () => new RSI(14), theirs: () => wrap(new ts.RSI(14)) },
  {
    name: 'MACD(12,26,9)',
    input: 'price',
    ours: () => new MACD({ fast: 12, slow: 26, signal: 9 }),
    theirs: () => wrap(new ts.MACD(new ts.EMA(12), new ts.EMA(26), new ts.EMA(9))),
    note: 'both allocate a result object per value',
  },
  { name: 'ROC(12)', input: 'price', ours: () => new ROC(12), theirs: () => wrap(new ts.ROC(12)) },
  { name: 'Momentum(10)', input: 'price', ours: () => new Momentum(10), theirs: () => wrap(new ts.MOM(10)), note: 'trading-signals MOM' },
  { name: 'StdDev(20)', input: 'price', ours: () => new StdDev(20), note: 'trading-signals has no streaming standard deviation (only getStandardDeviation over an array)' },
  { name: 'BollingerBands(20,2)', input: 'price', ours: () => new BollingerBands({ period: 20, stdDev: 2 }), theirs: () => wrap(new ts.BollingerBands(20, 2)) },
  { name: 'HistoricalVolatility(20)', input: 'price', ours: () => new HistoricalVolatility({ period: 20 }), note: 'no trading-signals counterpart' },
  { name: 'RollingHigh(20)', input: 'price', ours: () => new RollingHigh(20), theirs: () => wrap(new ts.Period(20)), note: 'trading-signals Period (computes highest and lowest together)' },
  { name: 'RollingLow(20)', input: 'price', ours: () => new RollingLow(20), theirs: () => wrap(new ts.Period(20)), note: 'trading-signals Period (computes highest and lowest together)' },
];
