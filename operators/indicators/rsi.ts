import type { SlicePipeline } from '../../lib/session/time-slice.ts';
import { registeredIndicator, type RegisteredIndicatorOptions } from './registered-indicator.ts';

/**
 * RSI with Wilder smoothing (TA-Lib) on each closed bar of `interval`, column `rsi_<period>`.
 *
 * @example
 * ```ts
 * rsi(14, { interval: '5m' }) // column rsi_14
 * ```
 */
export function rsi(period: number, options: RegisteredIndicatorOptions & { readonly interval: string }): SlicePipeline {
  return registeredIndicator('rsi', period, options).stage();
}
