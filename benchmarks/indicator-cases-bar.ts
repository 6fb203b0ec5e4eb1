/**
 * Bar-input and session-level indicator rows of `npm run bench:indicators` (see
 * `indicator-case.ts`). Counterparts are trading-signals 8.3.0 classes, which since v7 compute
 * with plain numbers (there are no separate big.js / `Faster*` variants any more); their
 * `add(candle)` is wrapped as `update(bar)`. Where trading-signals defines an indicator
 * differently, the note says how; rows without a counterpart time ours only.
 */
import * as ts from 'trading-signals';
import { ATR } from '../lib/indicators/atr.ts';
import { AverageRange } from '../lib/indicators/average-range.ts';
import { AverageVolume } from '../lib/indicators/average-volume.ts';
import { CCI } from '../lib/indicators/cci.ts';
import { DailyATR } from '../lib/indicators/daily-atr.ts';
import { DonchianChannels } from '../lib/indicators/donchian-channels.ts';
import { GapStatistics } from '../lib/indicators/gap-statistics.ts';
import { KeltnerChannels } from '../lib/indicators/keltner-channels.ts';
import { OBV } from '../lib/indicators/obv.ts';
import { PivotPoints } from '../lib/indicators/pivot-points.ts';
import { PVT } from '../lib/indicators/pvt.ts';
import { RangeRatio } from '../lib/indicators/range-ratio.ts';
import { RollingExtremes } from '../lib/indicators/rolling-extremes.ts';
import { Stochastic } from '../lib/indicators/stochastic.ts';
import { SwingHigh } from '../lib/indicators/swing-high.ts';
import { SwingLow } from '../lib/indicators/swing-low.ts';
import { TWAP } from '../lib/indicators/twap.ts';
import type { BarInput } from '../lib/indicators/types.ts';
import { UltimateOscillator } from '../lib/indicators/ultimate-oscillator.ts';
import { VolumeRatio } from '../lib/indicators/volume-ratio.ts';
import { VolumeSMA } from '../lib/indicators/volume-sma.ts';
import { VWAP } from '../lib/indicators/vwap.ts';
import { WilliamsR } from '../lib/indicators/williams-r.ts';
import type { IndicatorCase } from './indicator-case.ts';

/** Adapts a trading-signals candle indicator (`add`) to the benchmark's `update`. */
const wrap = (indicator: { add(candle: BarInput): unknown }) => ({ update: (bar: BarInput) => indicator.add(bar) });
/** Adapts a trading-signals number indicator fed one field of the bar. */
const wrapField = (indicator: { add(x: number): unknown }, field: (bar: BarInput) => number) => ({ update: (bar: BarInput) => indicator.add(field(bar)) });

export const INDICATOR_CASES: IndicatorCase[] = [
  { name: 'VWAP', input: 'bar', ours: () => new VWAP(), theirs: () => wrap(new ts.VWAP()), note: 'ts.VWAP: cumulative, no session reset' },
  { name: 'TWAP', input: 'bar', ours: () => new TWAP(), note: 'no trading-signals counterpart' },
  {
    name: 'Stochastic(14,3,3)',
    input: 'bar',
    ours: () => new Stochastic({ period: 14, kSmoothing: 3, dPeriod: 3 }),
    theirs: () => wrap(new ts.StochasticOscillator({ kPeriod: 14, kSlowingPeriod: 3, dPeriod: 3 })),
    note: 'ts.StochasticOscillator (also computes %J)',
  },
  { name: 'CCI(20)', input: 'bar', ours: () => new CCI(20), theirs: () => wrap(new ts.CCI(20)), note: 'ts.CCI; ours O(period) per bar (mean deviation)' },
  { name: 'WilliamsR(14)', input: 'bar', ours: () => new WilliamsR(14), theirs: () => wrap(new ts.WilliamsR(14)), note: 'ts.WilliamsR' },
  {
    name: 'UltimateOscillator(7,14,28)',
    input: 'bar',
    ours: () => new UltimateOscillator({ short: 7, medium: 14, long: 28 }),
    theirs: () => wrap(new ts.UltimateOscillator({ shortPeriod: 7, mediumPeriod: 14, longPeriod: 28 })),
    note: 'ts.UltimateOscillator',
  },
  { name: 'ATR(14)', input: 'bar', ours: () => new ATR(14), theirs: () => wrap(new ts.ATR(14)), note: 'ts.ATR (WSMA smoothing = Wilder)' },
  {
    name: 'KeltnerChannels(20,2,10)',
    input: 'bar',
    ours: () => new KeltnerChannels({ period: 20, multiplier: 2, atrPeriod: 10 }),
    theirs: () => wrap(new ts.KeltnerChannels({ emaInterval: 20, multiplier: 2, atrInterval: 10 })),
    note: 'ts.KeltnerChannels',
  },
  { name: 'DonchianChannels(20)', input: 'bar', ours: () => new DonchianChannels(20), theirs: () => wrap(new ts.DonchianChannels(20)), note: 'ts.DonchianChannels' },
  { name: 'OBV', input: 'bar', ours: () => new OBV(), theirs: () => wrap(new ts.OBV(2)), note: 'ts.OBV(2) (keeps 2 candles): starts at 0, not the first volume' },
  { name: 'PVT', input: 'bar', ours: () => new PVT(), theirs: () => wrap(new ts.PVT()), note: 'ts.PVT' },
  { name: 'VolumeSMA(20)', input: 'bar', ours: () => new VolumeSMA(20), theirs: () => wrapField(new ts.SMA(20), (b) => b.volume), note: 'ts.SMA fed bar.volume' },
  { name: 'VolumeRatio(20)', input: 'bar', ours: () => new VolumeRatio(20), theirs: () => wrapField(new ts.RVOL(20), (b) => b.volume), note: 'ts.RVOL (same definition: previous 20 bars)' },
  {
    name: 'SwingHigh(5,5)',
    input: 'bar',
    ours: () => new SwingHigh({ left: 5, right: 5 }),
    theirs: () => wrap(new ts.SwingHigh({ lookback: 5 })),
    note: 'ts.SwingHigh({lookback: 5}): strict both sides, emits only on confirmation bars',
  },
  { name: 'SwingLow(5,5)', input: 'bar', ours: () => new SwingLow({ left: 5, right: 5 }), theirs: () => wrap(new ts.SwingLow({ lookback: 5 })), note: 'ts.SwingLow({lookback: 5}), as SwingHigh' },
  { name: 'PivotPoints', input: 'bar', ours: () => new PivotPoints(), note: 'no trading-signals counterpart; allocates its 7-level object' },
  { name: 'AverageVolume(20)', input: 'bar', ours: () => new AverageVolume(20), note: 'session-level (daily bars); = VolumeSMA' },
  { name: 'AverageRange(14)', input: 'bar', ours: () => new AverageRange(14), note: 'session-level; no counterpart' },
  { name: 'DailyATR(14)', input: 'bar', ours: () => new DailyATR(14), theirs: () => wrap(new ts.ATR(14)), note: 'session-level; = ATR' },
  { name: 'GapStatistics(20)', input: 'bar', ours: () => new GapStatistics(20), note: 'session-level; O(period) exact passes; no counterpart' },
  { name: 'RangeRatio(10)', input: 'bar', ours: () => new RangeRatio(10), note: 'session-level; no counterpart' },
  { name: "RollingExtremes('252d')", input: 'bar', ours: () => new RollingExtremes('252d'), note: "session-level; the '52w' form needs dated bars; no counterpart" },
];
