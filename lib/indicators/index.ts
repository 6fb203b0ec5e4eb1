/**
 * Framework-free streaming indicators (`sessionflow/indicators`).
 *
 * @example
 * ```ts
 * import { EMA } from 'sessionflow/indicators';
 * const ema = new EMA(9);
 * ```
 */
export type { Indicator } from './types.ts';
export { SMA } from './sma.ts';
export { EMA } from './ema.ts';
export { WMA } from './wma.ts';
export { DEMA } from './dema.ts';
export { TEMA } from './tema.ts';
export { HMA } from './hma.ts';
export { RSI } from './rsi.ts';
export { MACD, type MACDOptions, type MACDValue } from './macd.ts';
export { ROC } from './roc.ts';
export { Momentum } from './momentum.ts';
export { StdDev } from './std-dev.ts';
export { BollingerBands, type BollingerBandsOptions, type BollingerBandsValue } from './bollinger-bands.ts';
export { HistoricalVolatility, type HistoricalVolatilityOptions } from './historical-volatility.ts';
export { RollingHigh } from './rolling-high.ts';
export { RollingLow } from './rolling-low.ts';
export { WilderSmoother } from './wilder-smoother.ts';
export { RingBuffer } from './ring-buffer.ts';
export { MonotonicDeque } from './monotonic-deque.ts';
export type { BarInput } from './types.ts';
export { VWAP } from './vwap.ts';
export { TWAP } from './twap.ts';
export { Stochastic, type StochasticOptions, type StochasticValue } from './stochastic.ts';
export { CCI } from './cci.ts';
export { WilliamsR } from './williams-r.ts';
export { UltimateOscillator, type UltimateOscillatorOptions } from './ultimate-oscillator.ts';
export { ATR } from './atr.ts';
export { KeltnerChannels, type KeltnerChannelsOptions } from './keltner-channels.ts';
export { DonchianChannels, type ChannelValue } from './donchian-channels.ts';
export { OBV } from './obv.ts';
export { PVT } from './pvt.ts';
export { VolumeSMA } from './volume-sma.ts';
export { TrailingRatio } from './trailing-ratio.ts';
export { VolumeRatio } from './volume-ratio.ts';
export { SwingDetector, type SwingOptions } from './swing-detector.ts';
export { SwingHigh } from './swing-high.ts';
export { SwingLow } from './swing-low.ts';
export { PivotPoints, type PivotLevels } from './pivot-points.ts';
export { AverageVolume } from './average-volume.ts';
export { AverageRange } from './average-range.ts';
export { DailyATR } from './daily-atr.ts';
export { GapStatistics, type GapStatisticsValue } from './gap-statistics.ts';
export { RangeRatio } from './range-ratio.ts';
export { RollingExtremes, type DatedBarInput, type ExtremesValue } from './rolling-extremes.ts';
export { FiftyTwoWeekHighLow } from './fifty-two-week-high-low.ts';
