/**
 * Session operators (`sessionflow/operators`): stages a time slice passes through.
 * Each is `factory(config) → OperatorFunction<TimeSlice, TimeSlice>` with its state inside
 * the subscription, so one subscription is one session.
 */
export { deriveBars } from './bars/derive-bars.ts';
export { indicator, type IndicatorOptions, type PriceInput, type IndicatorInput } from './indicators/indicator.ts';
export { sessionIndicator, type SessionIndicatorOptions } from './indicators/session-indicator.ts';
export { registeredIndicator, type RegisteredIndicatorOptions, type ResolvedIndicator } from './indicators/registered-indicator.ts';
export { ema } from './indicators/ema.ts';
export { sma } from './indicators/sma.ts';
export { rsi } from './indicators/rsi.ts';
export { macd } from './indicators/macd.ts';
export { bollinger } from './indicators/bollinger.ts';
export { atr } from './indicators/atr.ts';
export { vwap } from './indicators/vwap.ts';
export { registerIndicator, indicatorDefinition, listIndicators, type IndicatorDefinition } from './indicators/indicator-registry.ts';
export { trackQuality } from './quality/track-quality.ts';
export { strategy, type StrategyHandler, type SignalIntent } from './strategies/strategy.ts';
export { registerStrategy, strategyDefinition, listStrategies, type StrategyDefinition } from './strategies/strategy-registry.ts';
export { scanner, type ScannerOptions, type ScanRecord } from './scanners/scanner.ts';
export { registerScanner, SCANNERS, type ScannerDefinition, type Scanner, type ScanResult, type ScanPick } from './scanners/scanner-registry.ts';
export { defineStrategy, type StrategySpec, type StrategyContext, type StrategyBar, type StrategyIndicator, type OrderOptions, type DefinedStrategy } from './strategies/define-strategy.ts';
export { broker, isBrokerComponent, type BrokerComponent, type BrokerComponentOptions } from './execution/broker.ts';
export { benchmark } from './execution/benchmark.ts';
