import { SMA } from '../../lib/indicators/sma.ts';
import type { SlicePipeline } from '../../lib/session/time-slice.ts';
import { indicator, type PriceInput } from './indicator.ts';

/**
 * SMA of each symbol's bars at `interval`, written to the column `sma_<period>` (or `as`).
 *
 * @example
 * ```ts
 * sma(20, { interval: '1m' })
 * ```
 */
export function sma(period: number, options: { interval: string; as?: string; input?: PriceInput }): SlicePipeline {
  new SMA(period); // validate the period eagerly, at pipeline construction
  return indicator(() => new SMA(period), { interval: options.interval, as: options.as ?? `sma_${period}`, ...(options.input ? { input: options.input } : {}) });
}
