import { ATR } from '../../lib/indicators/atr.ts';
import { AverageRange } from '../../lib/indicators/average-range.ts';
import { AverageVolume } from '../../lib/indicators/average-volume.ts';
import { BollingerBands } from '../../lib/indicators/bollinger-bands.ts';
import { CCI } from '../../lib/indicators/cci.ts';
import { DailyATR } from '../../lib/indicators/daily-atr.ts';
import { DEMA } from '../../lib/indicators/dema.ts';
import { DonchianChannels } from '../../lib/indicators/donchian-channels.ts';
import { EMA } from '../../lib/indicators/ema.ts';
import { FiftyTwoWeekHighLow } from '../../lib/indicators/fifty-two-week-high-low.ts';
import { GapStatistics } from '../../lib/indicators/gap-statistics.ts';
import { HistoricalVolatility } from '../../lib/indicators/historical-volatility.ts';
import { HMA } from '../../lib/indicators/hma.ts';
import { KeltnerChannels } from '../../lib/indicators/keltner-channels.ts';
import { MACD } from '../../lib/indicators/macd.ts';
import { Momentum } from '../../lib/indicators/momentum.ts';
import { OBV } from '../../lib/indicators/obv.ts';
import { PivotPoints } from '../../lib/indicators/pivot-points.ts';
import { PVT } from '../../lib/indicators/pvt.ts';
import { RangeRatio } from '../../lib/indicators/range-ratio.ts';
import { ROC } from '../../lib/indicators/roc.ts';
import { RollingExtremes } from '../../lib/indicators/rolling-extremes.ts';
import { RollingHigh } from '../../lib/indicators/rolling-high.ts';
import { RollingLow } from '../../lib/indicators/rolling-low.ts';
import { RSI } from '../../lib/indicators/rsi.ts';
import { SMA } from '../../lib/indicators/sma.ts';
import { StdDev } from '../../lib/indicators/std-dev.ts';
import { Stochastic } from '../../lib/indicators/stochastic.ts';
import { SwingHigh } from '../../lib/indicators/swing-high.ts';
import { SwingLow } from '../../lib/indicators/swing-low.ts';
import { TEMA } from '../../lib/indicators/tema.ts';
import { TWAP } from '../../lib/indicators/twap.ts';
import type { Indicator } from '../../lib/indicators/types.ts';
import { UltimateOscillator } from '../../lib/indicators/ultimate-oscillator.ts';
import { VolumeRatio } from '../../lib/indicators/volume-ratio.ts';
import { VolumeSMA } from '../../lib/indicators/volume-sma.ts';
import { VWAP } from '../../lib/indicators/vwap.ts';
import { WilliamsR } from '../../lib/indicators/williams-r.ts';
import { WMA } from '../../lib/indicators/wma.ts';
import type { IndicatorDefinition } from './indicator-registry.ts';

type Params = Readonly<Record<string, unknown>>;
type Make = (period: number, params: Params) => Indicator<never, unknown>;

/** Optional numeric params, passed on only when present so each class applies its own default. */
function pick(params: Params, ...keys: string[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const key of keys) if (params[key] !== undefined) out[key] = params[key] as number;
  return out;
}

/**
 * One table row. The warm-up is asked of a fresh instance, so the description can never
 * disagree with the class.
 */
function define(row: Omit<IndicatorDefinition, 'kind' | 'warmup' | 'create'> & { readonly make: Make; readonly warmup?: IndicatorDefinition['warmup'] }): IndicatorDefinition {
  const { make, warmup, ...rest } = row;
  return { kind: 'indicator', ...rest, warmup: warmup ?? ((period, params) => make(period, params).warmup), create: make };
}

/**
 * Sessions a calendar-window extreme needs for a FULL window. The classes give a value from the
 * first bar (over whatever history exists), so their own `warmup` is 1; the plan must still load
 * the whole window: N sessions for "Nd", 5 per week for "Nw" (an upper bound: holidays only
 * shorten it).
 */
function windowSessions(window: string): number {
  const match = /^([1-9][0-9]*)([dw])$/.exec(window);
  if (!match) return 1; // the class rejects it with a ConfigError when created
  return match[2] === 'w' ? 5 * Number(match[1]) : Number(match[1]);
}

const asIndicator = <I, O>(ind: Indicator<I, O>): Indicator<never, unknown> => ind as unknown as Indicator<never, unknown>;
const PRICE = ['close'];
const HLC = ['high', 'low', 'close'];
const BANDS = ['upper', 'middle', 'lower'];

/**
 * The indicators a session config can name out of the box, as data: the registry registers
 * them when it loads. Each class's TSDoc has the full definition and its reference (TA-Lib
 * conventions where TA-Lib defines the indicator). Bar indicators update on each closed bar
 * of their interval; `scope: 'session'` ones are computed once per session from the daily
 * bars of earlier sessions (config interval `"1d"`).
 */
export const BUILTIN_INDICATORS: readonly IndicatorDefinition[] = [
  // Moving averages and price oscillators (input: the close, or `input` of the operator).
  define({ name: 'sma', description: 'simple moving average (TA-Lib SMA)', params: [], inputs: PRICE, outputs: ['sma'], make: (p) => new SMA(p) }),
  define({ name: 'ema', description: 'exponential moving average, SMA-seeded (TA-Lib EMA)', params: [], inputs: PRICE, outputs: ['ema'], make: (p) => new EMA(p) }),
  define({ name: 'wma', description: 'linearly weighted moving average (TA-Lib WMA)', params: [], inputs: PRICE, outputs: ['wma'], make: (p) => new WMA(p) }),
  define({ name: 'dema', description: 'double EMA, 2·EMA − EMA(EMA) (TA-Lib DEMA, SMA-seeded EMAs)', params: [], inputs: PRICE, outputs: ['dema'], make: (p) => new DEMA(p) }),
  define({ name: 'tema', description: 'triple EMA, 3·EMA − 3·EMA² + EMA³ (TA-Lib TEMA, SMA-seeded EMAs)', params: [], inputs: PRICE, outputs: ['tema'], make: (p) => new TEMA(p) }),
  define({ name: 'hma', description: 'Hull moving average, WMA(2·WMA(n/2) − WMA(n), √n)', params: [], inputs: PRICE, outputs: ['hma'], make: (p) => new HMA(p) }),
  define({ name: 'rsi', description: 'relative strength index, Wilder smoothing (TA-Lib RSI)', params: [], inputs: PRICE, outputs: ['rsi'], make: (p) => new RSI(p) }),
  define({ name: 'macd', description: 'MACD from SMA-seeded EMAs: {macd, signal, histogram} (TA-Lib MACD); period = fast', period: { default: 12 }, params: ['slow', 'signal'], inputs: PRICE, outputs: ['macd', 'signal', 'histogram'], make: (p, params) => asIndicator(new MACD({ fast: p, ...pick(params, 'slow', 'signal') })) }),
  define({ name: 'roc', description: 'rate of change in percent (TA-Lib ROC)', params: [], inputs: PRICE, outputs: ['roc'], make: (p) => new ROC(p) }),
  define({ name: 'momentum', description: 'price minus the price `period` inputs ago (TA-Lib MOM)', params: [], inputs: PRICE, outputs: ['momentum'], make: (p) => new Momentum(p) }),
  define({ name: 'stddev', description: 'population standard deviation (TA-Lib STDDEV)', params: [], inputs: PRICE, outputs: ['stddev'], make: (p) => new StdDev(p) }),
  define({ name: 'bollinger', description: 'Bollinger Bands: SMA ± stdDev · population σ (TA-Lib BBANDS)', period: { default: 20 }, params: ['stdDev'], inputs: PRICE, outputs: BANDS, make: (p, params) => asIndicator(new BollingerBands({ period: p, ...pick(params, 'stdDev') })) }),
  define({ name: 'historical_volatility', description: 'sample σ of log returns × √annualization (default 252)', period: { default: 20 }, params: ['annualization'], inputs: PRICE, outputs: ['historical_volatility'], make: (p, params) => new HistoricalVolatility({ period: p, ...pick(params, 'annualization') }) }),
  define({ name: 'rolling_high', description: 'highest high of the last `period` bars (TA-Lib MAX)', input: 'high', params: [], inputs: ['high'], outputs: ['rolling_high'], make: (p) => new RollingHigh(p) }),
  define({ name: 'rolling_low', description: 'lowest low of the last `period` bars (TA-Lib MIN)', input: 'low', params: [], inputs: ['low'], outputs: ['rolling_low'], make: (p) => new RollingLow(p) }),
  // Whole-bar indicators.
  define({ name: 'vwap', description: 'volume-weighted average typical price since the session open', input: 'bar', period: 'none', params: [], inputs: ['high', 'low', 'close', 'volume'], outputs: ['vwap'], make: () => asIndicator(new VWAP()) }),
  define({ name: 'twap', description: 'time-weighted average typical price since the session open', input: 'bar', period: 'none', params: [], inputs: HLC, outputs: ['twap'], make: () => asIndicator(new TWAP()) }),
  define({ name: 'stochastic', description: 'stochastic oscillator {k, d}, SMA smoothing (TA-Lib STOCH)', input: 'bar', period: { default: 14 }, params: ['kSmoothing', 'dPeriod'], inputs: HLC, outputs: ['k', 'd'], make: (p, params) => asIndicator(new Stochastic({ period: p, ...pick(params, 'kSmoothing', 'dPeriod') })) }),
  define({ name: 'cci', description: 'commodity channel index, mean absolute deviation, 0.015 (TA-Lib CCI)', input: 'bar', params: [], inputs: HLC, outputs: ['cci'], make: (p) => asIndicator(new CCI(p)) }),
  define({ name: 'williams_r', description: 'Williams %R (TA-Lib WILLR)', input: 'bar', params: [], inputs: HLC, outputs: ['williams_r'], make: (p) => asIndicator(new WilliamsR(p)) }),
  define({ name: 'ultimate_oscillator', description: 'Ultimate Oscillator over short/medium/long (default 7/14/28, TA-Lib ULTOSC)', input: 'bar', period: 'none', params: ['short', 'medium', 'long'], inputs: HLC, outputs: ['ultimate_oscillator'], make: (_p, params) => asIndicator(new UltimateOscillator(pick(params, 'short', 'medium', 'long'))) }),
  define({ name: 'atr', description: 'average true range, Wilder smoothing (TA-Lib ATR)', input: 'bar', params: [], inputs: HLC, outputs: ['atr'], make: (p) => asIndicator(new ATR(p)) }),
  define({ name: 'keltner', description: 'Keltner Channels: EMA(period) of the close ± multiplier · ATR(atrPeriod) (StockCharts)', input: 'bar', period: { default: 20 }, params: ['multiplier', 'atrPeriod'], inputs: HLC, outputs: BANDS, make: (p, params) => asIndicator(new KeltnerChannels({ period: p, ...pick(params, 'multiplier', 'atrPeriod') })) }),
  define({ name: 'donchian', description: 'Donchian Channels: highest high, lowest low and their midpoint', input: 'bar', params: [], inputs: ['high', 'low'], outputs: BANDS, make: (p) => asIndicator(new DonchianChannels(p)) }),
  define({ name: 'obv', description: 'on-balance volume, starting at the first bar’s volume (TA-Lib OBV)', input: 'bar', period: 'none', params: [], inputs: ['close', 'volume'], outputs: ['obv'], make: () => asIndicator(new OBV()) }),
  define({ name: 'pvt', description: 'price-volume trend', input: 'bar', period: 'none', params: [], inputs: ['close', 'volume'], outputs: ['pvt'], make: () => asIndicator(new PVT()) }),
  define({ name: 'volume_sma', description: 'simple moving average of the volume', input: 'bar', params: [], inputs: ['volume'], outputs: ['volume_sma'], make: (p) => asIndicator(new VolumeSMA(p)) }),
  define({ name: 'volume_ratio', description: 'volume / its average (relative volume)', input: 'bar', params: [], inputs: ['volume'], outputs: ['volume_ratio'], make: (p) => asIndicator(new VolumeRatio(p)) }),
  define({ name: 'swing_high', description: 'last confirmed swing high, `period` bars each side (`right` overrides the confirming side); known `right` bars after the pivot', input: 'bar', params: ['right'], inputs: ['high'], outputs: ['swing_high'], make: (p, params) => asIndicator(new SwingHigh({ left: p, right: (params.right as number | undefined) ?? p })) }),
  define({ name: 'swing_low', description: 'last confirmed swing low, `period` bars each side (`right` overrides the confirming side); known `right` bars after the pivot', input: 'bar', params: ['right'], inputs: ['low'], outputs: ['swing_low'], make: (p, params) => asIndicator(new SwingLow({ left: p, right: (params.right as number | undefined) ?? p })) }),
  // Session-level: once per session from the daily bars of earlier sessions (interval "1d").
  define({ name: 'pivot_points', description: 'classic floor pivots from the previous session’s daily bar', scope: 'session', input: 'bar', period: 'none', params: [], inputs: HLC, outputs: ['pp', 'r1', 'r2', 'r3', 's1', 's2', 's3'], make: () => asIndicator(new PivotPoints()) }),
  define({ name: 'average_volume', description: 'mean daily volume of the previous `period` sessions', scope: 'session', input: 'bar', params: [], inputs: ['volume'], outputs: ['average_volume'], make: (p) => asIndicator(new AverageVolume(p)) }),
  define({ name: 'average_range', description: 'mean daily high − low of the previous `period` sessions', scope: 'session', input: 'bar', params: [], inputs: ['high', 'low'], outputs: ['average_range'], make: (p) => asIndicator(new AverageRange(p)) }),
  define({ name: 'daily_atr', description: 'ATR over daily bars of the previous sessions (Wilder)', scope: 'session', input: 'bar', params: [], inputs: HLC, outputs: ['daily_atr'], make: (p) => asIndicator(new DailyATR(p)) }),
  define({ name: 'gap_statistics', description: 'opening gaps (open / previous close − 1) of the previous `period` sessions: {mean, meanAbs, std}', scope: 'session', input: 'bar', params: [], inputs: ['open', 'close'], outputs: ['mean', 'meanAbs', 'std'], make: (p) => asIndicator(new GapStatistics(p)) }),
  define({ name: 'range_ratio', description: 'last session’s range / the average range of the `period` sessions before it', scope: 'session', input: 'bar', params: [], inputs: ['high', 'low'], outputs: ['range_ratio'], make: (p) => asIndicator(new RangeRatio(p)) }),
  define({ name: 'high_low_52w', description: '52-week (364 calendar days) high and low of the previous sessions', scope: 'session', input: 'bar', period: 'none', params: [], inputs: ['high', 'low'], outputs: ['high', 'low'], warmup: () => windowSessions('52w'), make: () => asIndicator(new FiftyTwoWeekHighLow()) }),
  define({ name: 'rolling_extremes', description: 'high and low of the previous sessions over `window` ("20d" sessions or "26w" calendar weeks)', scope: 'session', input: 'bar', period: 'none', params: ['window'], inputs: ['high', 'low'], outputs: ['high', 'low'], warmup: (_p, params) => windowSessions((params.window as string | undefined) ?? '52w'), make: (_p, params) => asIndicator(new RollingExtremes((params.window as string | undefined) ?? '52w')) }),
];
