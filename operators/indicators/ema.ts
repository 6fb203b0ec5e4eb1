import { EMA } from '../../lib/indicators/ema.ts';
import type { SlicePipeline } from '../../lib/session/time-slice.ts';
import { indicator, type PriceInput } from './indicator.ts';

/**
 * EMA of each symbol's bars at `interval`, written to the column `ema_<period>` (or `as`).
 *
 * @example
 * ```ts
 * pipe(deriveBars(['5m']), ema(9, { interval: '5m' }))
 * ```
 */
export function ema(period: number, options: { interval: string; as?: string; input?: PriceInput }): SlicePipeline {
  new EMA(period); // validate the period eagerly, at pipeline construction
  return indicator(() => new EMA(period), { interval: options.interval, as: options.as ?? `ema_${period}`, ...(options.input ? { input: options.input } : {}) });
}
