import type { RejectReason } from './types.ts';

/**
 * Why a row is not a valid next bar, in the order the checks run, as indexes into
 * {@link ROW_REASONS}; {@link ROW_OK} when it is. The order matters: a row with a NaN price
 * and a repeated timestamp counts as `null_or_nan`, so the reader, `sessionflow data check`
 * and the import report always file a row under the same reason.
 */
export const ROW_OK = -1;

/** Reasons by code (see {@link classifyRow}). */
export const ROW_REASONS: readonly RejectReason[] = ['null_or_nan', 'high_below_low', 'open_close_outside_range', 'negative_volume', 'duplicate_timestamp', 'out_of_order'];

/**
 * Classify one row against the bar rules (DESIGN §3): finite prices and volume, `low <= open,
 * close <= high`, volume >= 0, and a start strictly after the previous kept bar's. Returns
 * {@link ROW_OK} or the index of the reason in {@link ROW_REASONS}. Plain numbers in and out
 * so the hot loops that call it stay allocation-free.
 *
 * @example
 * ```ts
 * const code = classifyRow(start, previous, o, h, l, c, v);
 * if (code === ROW_OK) keep(); else counts[code]++;
 * ```
 */
export function classifyRow(start: number, previous: number, o: number, h: number, l: number, c: number, v: number): number {
  // NaN fails every comparison, so the cheap self-inequality test catches nulls too.
  if (o !== o || h !== h || l !== l || c !== c || v !== v) return 0;
  if (h < l) return 1;
  if (o < l || o > h || c < l || c > h) return 2;
  if (v < 0) return 3;
  if (start === previous) return 4;
  if (start < previous) return 5;
  return ROW_OK;
}

/** Row counts per reason as the {@link RejectCounts} record. */
export function rejectCountsOf(counts: ArrayLike<number>): Record<RejectReason, number> {
  const out = {} as Record<RejectReason, number>;
  ROW_REASONS.forEach((reason, i) => (out[reason] = counts[i] ?? 0));
  return out;
}
