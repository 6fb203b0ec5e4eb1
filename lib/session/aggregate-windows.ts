import type { Session } from '../calendar/types.ts';
import type { BarSeries } from './bar-series.ts';
import type { QueuedBars } from './bar-queue.ts';

/**
 * Aggregate one session's base bars into windows anchored at the session open (DESIGN §1)
 * and append them to `into`: windows of `windowMs`, or the whole session when `windowMs`
 * is `Infinity` (a `1d` bar). The last window is cut at the close and flagged partial;
 * windows without base bars produce nothing. Used for trailing history, where the whole
 * session is known; the live stream uses the incremental `deriveBars` operator instead.
 *
 * @returns the number of windows written.
 *
 * @example
 * ```ts
 * aggregateSessionWindows(bars, 0, bars.length, session, 300_000, history5m);
 * ```
 */
export function aggregateSessionWindows(src: QueuedBars, from: number, count: number, session: Session, windowMs: number, into: BarSeries): number {
  const { open, close } = session;
  const whole = !Number.isFinite(windowMs);
  const width = whole ? close - open : windowMs;
  // Columns in locals: read through `src` they were reloaded for every bar.
  const { start, open: opens, high: highs, low: lows, close: closes, volume: volumes } = src;
  let written = 0;
  let i = from;
  const stop = from + count;
  while (i < stop) {
    const k = Math.floor((start[i]! - open) / width);
    const wStart = open + k * width;
    const fullEnd = wStart + width;
    const wEnd = Math.min(fullEnd, close);
    let high = -Infinity;
    let low = Infinity;
    let volume = 0;
    const o = opens[i]!;
    let c = o;
    while (i < stop && start[i]! < fullEnd) {
      // Math.max/min compile to branch-free instructions; an `if` mispredicted on real prices.
      high = Math.max(high, highs[i]!);
      low = Math.min(low, lows[i]!);
      volume += volumes[i]!;
      c = closes[i]!;
      i++;
    }
    into.append(wStart, wEnd, o, high, low, c, volume, !whole && wEnd < fullEnd);
    written++;
  }
  return written;
}
