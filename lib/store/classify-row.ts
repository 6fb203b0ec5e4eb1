import type { RejectReason } from './types.ts';

/**
 * The bar rules (DESIGN §3), in one place for every path that reads bars: the store reader,
 * `sessionflow import` and `sessionflow data check` call {@link classifyRow}, so a row is
 * filed under the same reason wherever it is met, and the reader's quality and the data
 * check's score can never disagree.
 */

/** A valid row, strictly after the previous kept one. */
export const ROW_OK = -1;
/**
 * A valid row earlier than a row already kept: the file is not sorted. Readers keep it and
 * sort (a note in the day's quality), never drop it: an unsorted file is not a bad file.
 */
export const ROW_LATE = -2;

/**
 * Reasons by code, in the order the checks run. The order matters: a row with a NaN price
 * and a repeated timestamp counts as `null_or_nan`, whichever path reads it.
 */
export const ROW_REASONS: readonly RejectReason[] = ['null_or_nan', 'non_finite', 'high_below_low', 'open_close_outside_range', 'negative_volume', 'misaligned_timestamp', 'duplicate_timestamp'];

/** Code of each reason (an index into {@link ROW_REASONS}). */
export const ROW_CODE: Readonly<Record<RejectReason, number>> = Object.fromEntries(ROW_REASONS.map((reason, i) => [reason, i])) as Record<RejectReason, number>;

const NULL_OR_NAN = ROW_CODE.null_or_nan;
const NON_FINITE = ROW_CODE.non_finite;
const HIGH_BELOW_LOW = ROW_CODE.high_below_low;
const OUTSIDE_RANGE = ROW_CODE.open_close_outside_range;
const NEGATIVE_VOLUME = ROW_CODE.negative_volume;
const MISALIGNED = ROW_CODE.misaligned_timestamp;
const DUPLICATE = ROW_CODE.duplicate_timestamp;

/**
 * Classify one row: finite prices and volume (`Infinity` and `1e400` are not prices),
 * `low <= open, close <= high`, volume >= 0, a start on the interval's grid, and a start
 * after the previous kept row's. Returns {@link ROW_OK}, {@link ROW_LATE} or the index of the
 * reason in {@link ROW_REASONS}. Plain numbers in and out so the hot loops stay
 * allocation-free.
 *
 * `offset` is the row's start minus the grid's anchor (DESIGN §1: the session open) and
 * `gridMs` the interval; `gridMs = 0` skips the grid check (daily bars are keyed by date).
 * `previous` is the latest start kept so far (`-Infinity` before the first, or when the
 * caller de-duplicates after sorting, as the importer does).
 *
 * @example
 * ```ts
 * const code = classifyRow(start, previous, start - session.open, 60_000, o, h, l, c, v);
 * if (code === ROW_OK) keep(); else if (code !== ROW_LATE) counts[code]++;
 * ```
 */
export function classifyRow(start: number, previous: number, offset: number, gridMs: number, o: number, h: number, l: number, c: number, v: number): number {
  // x - x is 0 for every finite number and NaN for NaN and ±Infinity: one test for all five
  // fields on the common path, the reason only when it fails.
  if (o - o + (h - h) + (l - l) + (c - c) + (v - v) !== 0) return o !== o || h !== h || l !== l || c !== c || v !== v ? NULL_OR_NAN : NON_FINITE;
  if (h < l) return HIGH_BELOW_LOW;
  if (o < l || o > h || c < l || c > h) return OUTSIDE_RANGE;
  if (v < 0) return NEGATIVE_VOLUME;
  if (gridMs !== 0 && offset % gridMs !== 0) return MISALIGNED;
  if (start === previous) return DUPLICATE;
  if (start < previous) return ROW_LATE;
  return ROW_OK;
}

/**
 * What is wrong with a row classified as `code`, for a person: the values that broke the
 * rule. The import report and error messages quote it.
 *
 * @example
 * ```ts
 * describeRow(ROW_CODE.high_below_low, 1, 9, 10, 9.5, 100, 60_000); // 'high 9 < low 10'
 * ```
 */
export function describeRow(code: number, o: number, h: number, l: number, c: number, v: number, gridMs: number): string {
  switch (ROW_REASONS[code]) {
    case 'null_or_nan':
      return `empty or non-numeric price/volume (open ${o}, high ${h}, low ${l}, close ${c}, volume ${v})`;
    case 'non_finite':
      return `infinite price/volume (open ${o}, high ${h}, low ${l}, close ${c}, volume ${v})`;
    case 'high_below_low':
      return `high ${h} < low ${l}`;
    case 'open_close_outside_range':
      return `open ${o} / close ${c} outside [${l}, ${h}]`;
    case 'negative_volume':
      return `volume ${v}`;
    case 'misaligned_timestamp':
      return `start not on the ${gridMs / 1000} s grid anchored at the session open`;
    default:
      return 'timestamp already seen';
  }
}

/** Row counts per reason as the {@link RejectCounts} record. */
export function rejectCountsOf(counts: ArrayLike<number>): Record<RejectReason, number> {
  const out = {} as Record<RejectReason, number>;
  ROW_REASONS.forEach((reason, i) => (out[reason] = counts[i] ?? 0));
  return out;
}
