/**
 * Session operators (`sessionflow/operators`): stages a time slice passes through.
 * Each is `factory(config) → OperatorFunction<TimeSlice, TimeSlice>` with its state inside
 * the subscription, so one subscription is one session.
 */
export { deriveBars } from './bars/derive-bars.ts';
export { indicator, type IndicatorOptions, type PriceInput } from './indicators/indicator.ts';
export { ema } from './indicators/ema.ts';
export { sma } from './indicators/sma.ts';
export { registerIndicator, indicatorDefinition, listIndicators, type IndicatorDefinition } from './indicators/indicator-registry.ts';
export { trackQuality } from './quality/track-quality.ts';
export { strategy, type StrategyHandler, type SignalIntent } from './strategies/strategy.ts';
export { registerStrategy, strategyDefinition, listStrategies, type StrategyDefinition } from './strategies/strategy-registry.ts';
