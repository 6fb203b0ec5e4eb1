/** Price-input indicators (number in) for the shared contract test; see `catalogue.ts`. */
import { BollingerBands } from '../../../lib/indicators/bollinger-bands.ts';
import { DEMA } from '../../../lib/indicators/dema.ts';
import { EMA } from '../../../lib/indicators/ema.ts';
import { HistoricalVolatility } from '../../../lib/indicators/historical-volatility.ts';
import { HMA } from '../../../lib/indicators/hma.ts';
import { MACD } from '../../../lib/indicators/macd.ts';
import { Momentum } from '../../../lib/indicators/momentum.ts';
import { ROC } from '../../../lib/indicators/roc.ts';
import { RollingHigh } from '../../../lib/indicators/rolling-high.ts';
import { RollingLow } from '../../../lib/indicators/rolling-low.ts';
import { RSI } from '../../../lib/indicators/rsi.ts';
import { SMA } from '../../../lib/indicators/sma.ts';
import { StdDev } from '../../../lib/indicators/std-dev.ts';
import { TEMA } from '../../../lib/indicators/tema.ts';
import { WMA } from '../../../lib/indicators/wma.ts';
import type { CatalogueEntry } from './catalogue.ts';

// Warm-up counts from the definitions (TA-Lib lookback + 1 where TA-Lib defines the indicator).
export const PRICE_INDICATORS: readonly CatalogueEntry[] = [
  { name: 'SMA(1)', input: 'price', warmup: 1, make: () => new SMA(1) },
  { name: 'SMA(20)', input: 'price', warmup: 20, make: () => new SMA(20) },
  { name: 'EMA(9)', input: 'price', warmup: 9, make: () => new EMA(9) },
  // WMA lookback N−1.
  { name: 'WMA(1)', input: 'price', warmup: 1, make: () => new WMA(1) },
  { name: 'WMA(10)', input: 'price', warmup: 10, make: () => new WMA(10) },
  // DEMA lookback 2(N−1): 18 + 1.
  { name: 'DEMA(10)', input: 'price', warmup: 19, make: () => new DEMA(10) },
  // TEMA lookback 3(N−1): 27 + 1.
  { name: 'TEMA(10)', input: 'price', warmup: 28, make: () => new TEMA(10) },
  // HMA: N + ⌊√N⌋ − 1 → 9 + 3 − 1, 16 + 4 − 1, 2 + 1 − 1.
  { name: 'HMA(9)', input: 'price', warmup: 11, make: () => new HMA(9) },
  { name: 'HMA(16)', input: 'price', warmup: 19, make: () => new HMA(16) },
  { name: 'HMA(2)', input: 'price', warmup: 2, make: () => new HMA(2) },
  // RSI lookback N.
  { name: 'RSI(14)', input: 'price', warmup: 15, make: () => new RSI(14) },
  { name: 'RSI(1)', input: 'price', warmup: 2, make: () => new RSI(1) },
  // MACD lookback (slow − 1) + (signal − 1): 25 + 8 + 1; 4 + 1 + 1.
  { name: 'MACD(12,26,9)', input: 'price', warmup: 34, make: () => new MACD({ fast: 12, slow: 26, signal: 9 }) },
  { name: 'MACD(3,5,2)', input: 'price', warmup: 6, make: () => new MACD({ fast: 3, slow: 5, signal: 2 }) },
  // ROC and MOM lookback N.
  { name: 'ROC(12)', input: 'price', warmup: 13, make: () => new ROC(12) },
  { name: 'Momentum(10)', input: 'price', warmup: 11, make: () => new Momentum(10) },
  // STDDEV, BBANDS, MAX, MIN lookback N−1.
  { name: 'StdDev(20)', input: 'price', warmup: 20, make: () => new StdDev(20) },
  { name: 'BollingerBands(20,2)', input: 'price', warmup: 20, make: () => new BollingerBands({ period: 20, stdDev: 2 }) },
  { name: 'RollingHigh(14)', input: 'price', warmup: 14, make: () => new RollingHigh(14) },
  { name: 'RollingLow(14)', input: 'price', warmup: 14, make: () => new RollingLow(14) },
  { name: 'RollingHigh(1)', input: 'price', warmup: 1, make: () => new RollingHigh(1) },
  // N log returns need N + 1 prices.
  { name: 'HistoricalVolatility(20)', input: 'price', warmup: 21, make: () => new HistoricalVolatility({ period: 20 }) },
];
