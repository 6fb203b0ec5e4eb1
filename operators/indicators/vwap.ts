import type { SlicePipeline } from '../../lib/session/time-slice.ts';
import { registeredIndicator, type RegisteredIndicatorOptions } from './registered-indicator.ts';

/**
 * VWAP of the typical price since the session open, on each closed bar of `interval`, column `vwap`.
 *
 * @example
 * ```ts
 * vwap({ interval: '1m' }) // column vwap, restarting at every session open
 * ```
 */
export function vwap(options: RegisteredIndicatorOptions & { readonly interval: string }): SlicePipeline {
  return registeredIndicator('vwap', undefined, options).stage();
}
