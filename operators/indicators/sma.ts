import type { SlicePipeline } from '../../lib/session/time-slice.ts';
import { registeredIndicator, type RegisteredIndicatorOptions } from './registered-indicator.ts';

/**
 * SMA of each symbol's bars at `interval`, written to the column `sma_<period>` (or `as`).
 *
 * @example
 * ```ts
 * sma(20, { interval: '1m' }) // column sma_20
 * ```
 */
export function sma(period: number, options: RegisteredIndicatorOptions & { readonly interval: string }): SlicePipeline {
  return registeredIndicator('sma', period, options).stage();
}
