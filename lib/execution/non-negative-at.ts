import { ConfigError } from '../errors.ts';

/**
 * `value` when it is a finite number >= 0, else a ConfigError at `path` quoting it: the one
 * check of every cost setting (commission rates, minimums, slippage amounts).
 *
 * @example
 * ```ts
 * nonNegativeAt('broker.commission.rate', 0.005); // 0.005
 * ```
 */
export function nonNegativeAt(path: string, value: unknown): number {
  if (!(typeof value === 'number' && Number.isFinite(value) && value >= 0)) throw ConfigError.at(path, value, 'a number >= 0');
  return value;
}
