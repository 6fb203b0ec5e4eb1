import type { SlicePipeline } from '../../lib/session/time-slice.ts';
import { registeredIndicator, type RegisteredIndicatorOptions } from './registered-indicator.ts';

/**
 * MACD (TA-Lib, SMA-seeded EMAs; default 12/26/9) on each closed bar of `interval`: columns `macd_<fast>_macd`, `_signal`, `_histogram`.
 *
 * @example
 * ```ts
 * macd({ interval: '5m' }) // columns macd_12_macd, macd_12_signal, macd_12_histogram
 * ```
 */
export function macd(options: RegisteredIndicatorOptions & { readonly interval: string; readonly fast?: number; readonly slow?: number; readonly signal?: number }): SlicePipeline {
  return registeredIndicator('macd', options.fast, { ...options, params: { ...options.params, ...(options.slow !== undefined ? { slow: options.slow } : {}), ...(options.signal !== undefined ? { signal: options.signal } : {}) } }).stage();
}
