import type { SlicePipeline } from '../../lib/session/time-slice.ts';
import { registeredIndicator, type RegisteredIndicatorOptions } from './registered-indicator.ts';

/**
 * EMA of each symbol's bars at `interval` (SMA-seeded, TA-Lib), written to the column `ema_<period>` (or `as`).
 *
 * @example
 * ```ts
 * pipe(deriveBars(['5m']), ema(9, { interval: '5m' })) // column ema_9
 * ```
 */
export function ema(period: number, options: RegisteredIndicatorOptions & { readonly interval: string }): SlicePipeline {
  return registeredIndicator('ema', period, options).stage();
}
