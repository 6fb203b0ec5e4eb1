/**
 * Framework-free streaming indicators (`sessionflow/indicators`).
 *
 * @example
 * ```ts
 * import { EMA } from 'sessionflow/indicators';
 * const ema = new EMA(9);
 * ```
 */
export type { Indicator } from './types.ts';
export { SMA } from './sma.ts';
export { EMA } from './ema.ts';
