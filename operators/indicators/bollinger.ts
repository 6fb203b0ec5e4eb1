import type { SlicePipeline } from '../../lib/session/time-slice.ts';
import { registeredIndicator, type RegisteredIndicatorOptions } from './registered-indicator.ts';

/**
 * Bollinger Bands (SMA ± k · population σ, TA-Lib BBANDS) on each closed bar of `interval`: columns `bollinger_<period>_upper`, `_middle`, `_lower`.
 *
 * @example
 * ```ts
 * bollinger(20, { interval: '5m', stdDev: 2 }) // columns bollinger_20_upper, _middle, _lower
 * ```
 */
export function bollinger(period: number, options: RegisteredIndicatorOptions & { readonly interval: string; readonly stdDev?: number }): SlicePipeline {
  return registeredIndicator('bollinger', period, { ...options, params: { ...options.params, ...(options.stdDev !== undefined ? { stdDev: options.stdDev } : {}) } }).stage();
}
