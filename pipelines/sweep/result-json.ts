import type { ParameterSetResult } from './run-parameter-batch.ts';

/**
 * A parameter set's result as JSON text that keeps what JSON cannot hold: statistics are
 * NaN when undefined (a Sharpe without trades) and ±Infinity at times (a profit factor
 * without losses), which `JSON.stringify` would turn into `null`. Decoded by
 * {@link decodeResult}: a result read back from Redis equals the one computed.
 *
 * @example
 * ```ts
 * decodeResult(encodeResult(row)); // deep-equal to row
 * ```
 */
export function encodeResult(result: ParameterSetResult): string {
  return JSON.stringify(result, (_key, value: unknown) => (typeof value === 'number' && !Number.isFinite(value) ? { $number: String(value) } : value));
}

/** The result {@link encodeResult} wrote. */
export function decodeResult(text: string): ParameterSetResult {
  return JSON.parse(text, (_key, value: unknown) => (value !== null && typeof value === 'object' && typeof (value as { $number?: unknown }).$number === 'string' ? Number((value as { $number: string }).$number) : value)) as ParameterSetResult;
}
