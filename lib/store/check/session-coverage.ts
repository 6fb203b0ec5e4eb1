import { classifyRow, rejectCountsOf, ROW_CODE, ROW_OK, ROW_REASONS } from '../classify-row.ts';
import type { Session } from '../../calendar/types.ts';
import { expectedWindows, qualityScore } from '../../metrics/quality.ts';
import type { RejectCounts } from '../types.ts';
import { flagOutliers, type OutlierBars, type OutlierFlags, type OutlierOptions } from '../outlier-flags.ts';

const DUPLICATE = ROW_CODE.duplicate_timestamp;

/** Raw rows of one file, as decoded (file order, nothing dropped), and which of them to look at. */
export interface RawSessionRows {
  /** Timestamps in epoch ms as stored; `shift` is subtracted to get bar starts. */
  readonly ts: Float64Array;
  readonly open: Float64Array;
  readonly high: Float64Array;
  readonly low: Float64Array;
  readonly close: Float64Array;
  readonly volume: Float64Array;
  /** 1 for rows of the wanted symbol (multi-symbol files); `undefined` = every row. */
  readonly matches?: Uint8Array | undefined;
  /** ms to subtract from `ts` (one interval for end-labelled stores, else 0). */
  readonly shift: number;
  /** Row index spans `[from, to)` that may hold the day (e.g. its row groups), ascending. */
  readonly spans: ReadonlyArray<readonly [number, number]>;
  /** The exchange-local calendar day `[dayStart, dayEnd)`: rows outside it belong to other days. */
  readonly dayStart: number;
  readonly dayEnd: number;
}

/** A run of missing bars: starts `start`, `start + interval`, … up to `end` (exclusive). */
export interface MissingRange {
  readonly start: number;
  readonly end: number;
  readonly bars: number;
}

/**
 * Data quality of one (symbol, session). `present` counts exactly the bars the session loop
 * would receive (the reader's rules: valid, on the grid, fully inside `[open, close)`, the
 * first row of each start after sorting), so `score` equals the loop's quality score for
 * that day.
 */
export interface SessionCoverage {
  /** Bars expected: the loop's count (`expectedWindows` at the close; 390 1m bars on a full XNYS day). */
  readonly expected: number;
  readonly present: number;
  /** Expected bars with no present bar. */
  readonly missing: number;
  readonly missingRanges: readonly MissingRange[];
  /** Rows repeating the start of a kept bar. */
  readonly duplicates: number;
  /** Rows earlier than a row before them in the file: the reader sorts them (kept, a note). */
  readonly reordered: number;
  /** Rows of the same local day outside the regular session (extended hours); not an error. */
  readonly outsideSession: number;
  /** Rows in the session whose start is not on the interval grid anchored at the open (rejected). */
  readonly misaligned: number;
  /** Rows with a null/NaN or infinite field, `high < low`, open/close outside `[low, high]` or negative volume. */
  readonly invalidOhlc: number;
  /** Rejected rows in the session per reason (the reader's reasons, {@link RejectCounts}). */
  readonly rejected: RejectCounts;
  /** The quality score: {@link qualityScore} of present, expected and rejected rows. */
  readonly score: number;
  /** Outlier flags of the kept bars (see flagOutliers); reported, the bars are kept. */
  readonly flags: OutlierFlags;
}

/**
 * Compare a session's raw rows with what the calendar expects: present and missing bars (as
 * ranges), duplicates, rows out of order, rows outside the session, misaligned starts and
 * invalid OHLC. Without rows (no data at all) every expected bar is missing. This is the
 * per-session arithmetic shared by `sessionflow data check` and the loop's quality score
 * (`expectedWindows`, `classifyRow`, `qualityScore`), so the two can never disagree.
 *
 * @example
 * ```ts
 * const c = sessionCoverage(session, 60_000, { ts, open, high, low, close, volume, shift: 0, spans: [[0, ts.length]], dayStart, dayEnd });
 * console.log(c.present, c.expected, c.score, c.missingRanges);
 * ```
 */
export function sessionCoverage(session: Session, intervalMs: number, rows?: RawSessionRows, outliers: OutlierOptions = {}): SessionCoverage {
  const expected = expectedWindows(session, intervalMs, session.close);
  const filled = new Uint8Array(expected);
  // The kept bar of every slot, in slot order: what the loop sees after sorting, for the flags.
  const kept = { length: expected, start: new Float64Array(expected), open: new Float64Array(expected), high: new Float64Array(expected), low: new Float64Array(expected), close: new Float64Array(expected) };
  let present = 0;
  let outsideSession = 0;
  let reordered = 0;
  const invalid = new Int32Array(ROW_REASONS.length);
  if (rows) {
    const { ts, open, high, low, close, volume, matches, shift, dayStart, dayEnd } = rows;
    const lastStart = session.close - intervalMs;
    let latest = Number.NEGATIVE_INFINITY;
    for (const [a, b] of rows.spans) {
      for (let i = a; i < b; i++) {
        if (matches !== undefined && matches[i] === 0) continue;
        const start = ts[i]! - shift;
        if (!(start >= dayStart && start < dayEnd)) continue;
        if (start < session.open || start > lastStart) {
          outsideSession++;
          continue;
        }
        // The reader's own rule; repeats and order are decided by slot, as the reader's sort
        // and de-duplication decide them.
        const code = classifyRow(start, Number.NEGATIVE_INFINITY, start - session.open, intervalMs, open[i]!, high[i]!, low[i]!, close[i]!, volume[i]!);
        if (code !== ROW_OK) {
          invalid[code]!++;
          continue;
        }
        const slot = (start - session.open) / intervalMs;
        if (filled[slot] === 1) {
          invalid[DUPLICATE]!++;
          continue;
        }
        if (start < latest) reordered++;
        else latest = start;
        present++;
        filled[slot] = 1;
        kept.start[slot] = start;
        kept.open[slot] = open[i]!;
        kept.high[slot] = high[i]!;
        kept.low[slot] = low[i]!;
        kept.close[slot] = close[i]!;
      }
    }
  }
  const missingRanges: MissingRange[] = [];
  for (let s = 0; s < expected; s++) {
    if (filled[s] === 1) continue;
    let e = s;
    while (e + 1 < expected && filled[e + 1] === 0) e++;
    missingRanges.push({ start: session.open + s * intervalMs, end: Math.min(session.close, session.open + (e + 1) * intervalMs), bars: e - s + 1 });
    s = e;
  }
  const rejected = rejectCountsOf(invalid);
  const flags = flagOutliers(compactKept(kept, filled, present), outliers);
  const rejectedRows = invalid.reduce((a, b) => a + b, 0);
  return {
    expected,
    present,
    missing: expected - present,
    missingRanges,
    duplicates: rejected.duplicate_timestamp,
    reordered,
    outsideSession,
    misaligned: rejected.misaligned_timestamp,
    invalidOhlc: rejected.null_or_nan + rejected.non_finite + rejected.high_below_low + rejected.open_close_outside_range + rejected.negative_volume,
    rejected,
    score: qualityScore(present, expected, rejectedRows),
    flags,
  };
}

/** The present slots' bars, gaps closed up, as the loop's series holds them. */
function compactKept(kept: { start: Float64Array; open: Float64Array; high: Float64Array; low: Float64Array; close: Float64Array }, filled: Uint8Array, present: number): OutlierBars {
  const out = { length: present, start: new Float64Array(present), open: new Float64Array(present), high: new Float64Array(present), low: new Float64Array(present), close: new Float64Array(present) };
  let k = 0;
  for (let s = 0; s < filled.length; s++) {
    if (filled[s] === 0) continue;
    out.start[k] = kept.start[s]!;
    out.open[k] = kept.open[s]!;
    out.high[k] = kept.high[s]!;
    out.low[k] = kept.low[s]!;
    out.close[k] = kept.close[s]!;
    k++;
  }
  return out;
}
