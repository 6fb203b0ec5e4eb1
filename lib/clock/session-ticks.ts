import type { Session } from '../calendar/types.ts';

/** How the clock advances through a session. */
export interface TickOptions {
  /** Base interval in ms. */
  readonly baseMs: number;
  /** Derived interval lengths in ms; their window ends (anchored at the open) become ticks in data-driven mode. */
  readonly windowMs?: readonly number[];
  /** Bar end instants per symbol (each ascending), used in data-driven mode. */
  readonly barEnds?: ReadonlyArray<ArrayLike<number>>;
  /** Extra instants that must be ticks in either mode (scheduled scans). */
  readonly timers?: readonly number[];
  /** `'data'` = the instants where something happens; `'clock'` = every base interval. */
  readonly mode: 'data' | 'clock';
}

/**
 * The tick instants of one session, ascending and distinct, all in `(open, close]`, the
 * last one exactly the close (DESIGN §2). Data-driven: the distinct base-bar ends plus
 * window ends, timers and the close. Clock-driven: `open + k·base` up to the close (390
 * ticks on a full XNYS day at 1m, 210 on a 13:00 close).
 *
 * @example
 * ```ts
 * sessionTicks(session, { mode: 'clock', baseMs: 60_000 }).length; // 390
 * ```
 */
export function sessionTicks(session: Session, options: TickOptions): Float64Array {
  const { open, close } = session;
  if (options.mode === 'clock') {
    const count = Math.ceil((close - open) / options.baseMs);
    const out = new Float64Array(count);
    for (let k = 1; k <= count; k++) out[k - 1] = Math.min(open + k * options.baseMs, close);
    // Scheduled instants off the base grid (a scan at 10:00:30) are ticks too, so they fire on time.
    const extra = (options.timers ?? []).filter((t) => t > open && t <= close && !((t - open) % options.baseMs === 0 || t === close));
    if (extra.length === 0) return out;
    return Float64Array.from(new Set([...out, ...extra])).sort();
  }
  // Nearly every instant lies on the base grid: mark grid slots (O(n), no sort) and sort only
  // the few off-grid instants (unaligned bars, timers).
  const base = options.baseMs;
  const slots = new Uint8Array(Math.ceil((close - open) / base) + 1);
  const offGrid: number[] = [];
  const add = (t: number): void => {
    if (!(t > open && t <= close)) return;
    const offset = t - open;
    if (offset % base === 0) slots[offset / base] = 1;
    else offGrid.push(t);
  };
  add(close);
  for (const t of options.timers ?? []) add(t);
  for (const ends of options.barEnds ?? []) for (let i = 0; i < ends.length; i++) add(ends[i]!);
  for (const ms of options.windowMs ?? []) for (let t = open + ms; t < close; t += ms) add(t);
  offGrid.sort((a, b) => a - b);
  const out: number[] = [];
  let k = 0;
  for (let slot = 1; slot < slots.length; slot++) {
    if (slots[slot] === 0) continue;
    const t = open + slot * base;
    while (k < offGrid.length && offGrid[k]! < t) pushDistinct(out, offGrid[k++]!);
    pushDistinct(out, t);
  }
  while (k < offGrid.length) pushDistinct(out, offGrid[k++]!);
  return Float64Array.from(out);
}

function pushDistinct(out: number[], t: number): void {
  if (out.length === 0 || out[out.length - 1] !== t) out.push(t);
}
