/**
 * A `JSON.stringify` replacer that writes NaN and ±Infinity as `null` (JSON has neither):
 * undefined statistics (a Sharpe ratio of a flat equity, the win rate of no trades) stay
 * visible as null instead of failing or disappearing.
 *
 * @example
 * ```ts
 * JSON.stringify({ sharpe: NaN }, nanAsNull); // '{"sharpe":null}'
 * ```
 */
export function nanAsNull(_key: string, value: unknown): unknown {
  return typeof value === 'number' && !Number.isFinite(value) ? null : value;
}
