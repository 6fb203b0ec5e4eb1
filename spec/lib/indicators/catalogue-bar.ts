/**
 * Bar-input indicators (`{open, high, low, close, volume}` in) for the shared contract test; see
 * `catalogue.ts`. Each `warmup` is the first-value bar number from the indicator's definition
 * (TA-Lib lookback + 1 where TA-Lib defines it), worked out by hand in the comment.
 */
import { ATR } from '../../../lib/indicators/atr.ts';
import { AverageRange } from '../../../lib/indicators/average-range.ts';
import { AverageVolume } from '../../../lib/indicators/average-volume.ts';
import { CCI } from '../../../lib/indicators/cci.ts';
import { DailyATR } from '../../../lib/indicators/daily-atr.ts';
import { DonchianChannels } from '../../../lib/indicators/donchian-channels.ts';
import { GapStatistics } from '../../../lib/indicators/gap-statistics.ts';
import { KeltnerChannels } from '../../../lib/indicators/keltner-channels.ts';
import { OBV } from '../../../lib/indicators/obv.ts';
import { PivotPoints } from '../../../lib/indicators/pivot-points.ts';
import { PVT } from '../../../lib/indicators/pvt.ts';
import { RangeRatio } from '../../../lib/indicators/range-ratio.ts';
import { RollingExtremes } from '../../../lib/indicators/rolling-extremes.ts';
import { Stochastic } from '../../../lib/indicators/stochastic.ts';
import { SwingHigh } from '../../../lib/indicators/swing-high.ts';
import { SwingLow } from '../../../lib/indicators/swing-low.ts';
import { TrailingRatio } from '../../../lib/indicators/trailing-ratio.ts';
import { TWAP } from '../../../lib/indicators/twap.ts';
import { UltimateOscillator } from '../../../lib/indicators/ultimate-oscillator.ts';
import { VolumeRatio } from '../../../lib/indicators/volume-ratio.ts';
import { VolumeSMA } from '../../../lib/indicators/volume-sma.ts';
import { VWAP } from '../../../lib/indicators/vwap.ts';
import { WilliamsR } from '../../../lib/indicators/williams-r.ts';
import type { CatalogueEntry } from './catalogue.ts';

export const BAR_INDICATORS: readonly CatalogueEntry[] = [
  // Cumulative from the first bar.
  { name: 'VWAP', input: 'bar', warmup: 1, make: () => new VWAP() },
  { name: 'TWAP', input: 'bar', warmup: 1, make: () => new TWAP() },
  // TA-Lib STOCH lookback (14−1)+(3−1)+(3−1) = 17 → 18; fast: 13+0+2 = 15 → 16.
  { name: 'Stochastic(14,3,3)', input: 'bar', warmup: 18, make: () => new Stochastic({ period: 14, kSmoothing: 3, dPeriod: 3 }) },
  { name: 'Stochastic(14,1,3)', input: 'bar', warmup: 16, make: () => new Stochastic({ period: 14, kSmoothing: 1, dPeriod: 3 }) },
  { name: 'Stochastic(5,1,1)', input: 'bar', warmup: 5, make: () => new Stochastic({ period: 5, kSmoothing: 1, dPeriod: 1 }) },
  // TA-Lib CCI / WILLR lookback period − 1.
  { name: 'CCI(20)', input: 'bar', warmup: 20, make: () => new CCI(20) },
  { name: 'WilliamsR(14)', input: 'bar', warmup: 14, make: () => new WilliamsR(14) },
  // TA-Lib ULTOSC lookback = longest period (28): first value at bar 29.
  { name: 'UltimateOscillator(7,14,28)', input: 'bar', warmup: 29, make: () => new UltimateOscillator() },
  { name: 'UltimateOscillator(2,3,5)', input: 'bar', warmup: 6, make: () => new UltimateOscillator({ short: 2, medium: 3, long: 5 }) },
  // TA-Lib ATR lookback = period (the first TR needs a previous close).
  { name: 'ATR(14)', input: 'bar', warmup: 15, make: () => new ATR(14) },
  { name: 'ATR(1)', input: 'bar', warmup: 2, make: () => new ATR(1) },
  // EMA(20) ready at bar 20, ATR(10) at bar 11 → 20; EMA(5) at 5, ATR(25) at 26 → 26.
  { name: 'KeltnerChannels(20,2,10)', input: 'bar', warmup: 20, make: () => new KeltnerChannels() },
  { name: 'KeltnerChannels(5,1.5,25)', input: 'bar', warmup: 26, make: () => new KeltnerChannels({ period: 5, multiplier: 1.5, atrPeriod: 25 }) },
  { name: 'DonchianChannels(20)', input: 'bar', warmup: 20, make: () => new DonchianChannels(20) },
  // OBV: TA-Lib lookback 0. PVT: the first change needs a previous close.
  { name: 'OBV', input: 'bar', warmup: 1, make: () => new OBV() },
  { name: 'PVT', input: 'bar', warmup: 2, make: () => new PVT() },
  { name: 'VolumeSMA(20)', input: 'bar', warmup: 20, make: () => new VolumeSMA(20) },
  // The ratio needs 20 earlier bars before the current one.
  { name: 'VolumeRatio(20)', input: 'bar', warmup: 21, make: () => new VolumeRatio(20) },
  { name: 'TrailingRatio(5)', input: 'price', warmup: 6, make: () => new TrailingRatio(5) },
  // left + pivot + right bars.
  { name: 'SwingHigh(2,2)', input: 'bar', warmup: 5, make: () => new SwingHigh({ left: 2, right: 2 }) },
  { name: 'SwingLow(3,1)', input: 'bar', warmup: 5, make: () => new SwingLow({ left: 3, right: 1 }) },
  { name: 'PivotPoints', input: 'bar', warmup: 1, make: () => new PivotPoints() },
  // Session-level, fed daily bars.
  { name: 'AverageVolume(20)', input: 'bar', warmup: 20, make: () => new AverageVolume(20) },
  { name: 'AverageRange(14)', input: 'bar', warmup: 14, make: () => new AverageRange(14) },
  { name: 'DailyATR(14)', input: 'bar', warmup: 15, make: () => new DailyATR(14) },
  // 20 gaps need 21 daily bars; 10 prior ranges + the latest = 11.
  { name: 'GapStatistics(20)', input: 'bar', warmup: 21, make: () => new GapStatistics(20) },
  { name: 'RangeRatio(10)', input: 'bar', warmup: 11, make: () => new RangeRatio(10) },
  { name: "RollingExtremes('20d')", input: 'bar', warmup: 20, make: () => new RollingExtremes('20d') },
];
