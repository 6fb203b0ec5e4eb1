import type { SlicePipeline } from '../../lib/session/time-slice.ts';
import { registeredIndicator, type RegisteredIndicatorOptions } from './registered-indicator.ts';

/**
 * ATR with Wilder smoothing (TA-Lib) of each closed bar of `interval`, column `atr_<period>`.
 *
 * @example
 * ```ts
 * atr(14, { interval: '15m' }) // column atr_14
 * ```
 */
export function atr(period: number, options: RegisteredIndicatorOptions & { readonly interval: string }): SlicePipeline {
  return registeredIndicator('atr', period, options).stage();
}
