import { classifyRow, ROW_OK, ROW_REASONS } from '../classify-row.ts';
import type { Session } from '../../calendar/types.ts';
import { expectedWindows } from '../../metrics/quality.ts';

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
 * would receive (the reader's rules: valid, fully inside `[open, close)`, strictly after the
 * previous kept bar), so `score` equals the loop's quality score for that day.
 */
export interface SessionCoverage {
  /** Bars expected: the loop's count (`expectedWindows` at the close; 390 1m bars on a full XNYS day). */
  readonly expected: number;
  readonly present: number;
  /** Expected bars with no present bar. */
  readonly missing: number;
  readonly missingRanges: readonly MissingRange[];
  /** Rows repeating the previous kept bar's start. */
  readonly duplicates: number;
  /** Rows earlier than the previous kept bar (the loop drops them). */
  readonly outOfOrder: number;
  /** Rows of the same local day outside the regular session (extended hours); not an error. */
  readonly outsideSession: number;
  /** Rows in the session whose start is not on the interval grid anchored at the open. */
  readonly misaligned: number;
  /** Rows with a null/NaN field, `high < low`, open/close outside `[low, high]` or negative volume. */
  readonly invalidOhlc: number;
  readonly invalid: { readonly null_or_nan: number; readonly high_below_low: number; readonly open_close_outside_range: number; readonly negative_volume: number };
  /** 100 × min(present, expected) / expected (100 when nothing is expected). */
  readonly score: number;
}

/**
 * Compare a session's raw rows with what the calendar expects: present and missing bars (as
 * ranges), duplicates, out-of-order rows, rows outside the session, misaligned starts and
 * invalid OHLC. Without rows (no data at all) every expected bar is missing. This is the
 * per-session arithmetic shared by `sessionflow data check` and the loop's quality score
 * (`expectedWindows`), so the two can never disagree.
 *
 * @example
 * ```ts
 * const c = sessionCoverage(session, 60_000, { ts, open, high, low, close, volume, shift: 0, spans: [[0, ts.length]], dayStart, dayEnd });
 * console.log(c.present, c.expected, c.score, c.missingRanges);
 * ```
 */
export function sessionCoverage(session: Session, intervalMs: number, rows?: RawSessionRows): SessionCoverage {
  const expected = expectedWindows(session, intervalMs, session.close);
  const filled = new Uint8Array(expected);
  let present = 0;
  let outsideSession = 0;
  let misaligned = 0;
  const invalid = new Int32Array(ROW_REASONS.length);
  if (rows) {
    const { ts, open, high, low, close, volume, matches, shift, dayStart, dayEnd } = rows;
    const lastStart = session.close - intervalMs;
    let previous = Number.NEGATIVE_INFINITY;
    for (const [a, b] of rows.spans) {
      for (let i = a; i < b; i++) {
        if (matches !== undefined && matches[i] === 0) continue;
        const start = ts[i]! - shift;
        if (!(start >= dayStart && start < dayEnd)) continue;
        if (start < session.open || start > lastStart) {
          outsideSession++;
          continue;
        }
        const o = open[i]!;
        const h = high[i]!;
        const l = low[i]!;
        const c = close[i]!;
        const v = volume[i]!;
        // The reader's own rule, so each row lands in the reason the loop would count.
        const code = classifyRow(start, previous, o, h, l, c, v);
        if (code !== ROW_OK) invalid[code]!++;
        else {
          previous = start;
          const slot = (start - session.open) / intervalMs;
          if (slot !== Math.floor(slot)) misaligned++;
          else {
            present++;
            filled[slot] = 1;
          }
        }
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
  return {
    expected,
    present,
    missing: expected - present,
    missingRanges,
    duplicates: invalid[4]!,
    outOfOrder: invalid[5]!,
    outsideSession,
    misaligned,
    invalidOhlc: invalid[0]! + invalid[1]! + invalid[2]! + invalid[3]!,
    invalid: { null_or_nan: invalid[0]!, high_below_low: invalid[1]!, open_close_outside_range: invalid[2]!, negative_volume: invalid[3]! },
    score: expected === 0 ? 100 : (100 * Math.min(present, expected)) / expected,
  };
}
