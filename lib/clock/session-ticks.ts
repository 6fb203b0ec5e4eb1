import type { Session } from '../calendar/types.ts';

/** How the clock advances through a session. */
export interface TickOptions {
  /** Base interval in ms. */
  readonly baseMs: number;
  /** Derived interval lengths in ms; their window ends (anchored at the open) become ticks in data-driven mode. */
  readonly windowMs?: readonly number[];
  /** Bar end instants per symbol (each ascending), used in data-driven mode. */
  readonly barEnds?: ReadonlyArray<ArrayLike<number>>;
  /** Extra instants that must be ticks (scheduled scans). */
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
    return out;
  }
  let total = 1 + (options.timers?.length ?? 0);
  for (const ends of options.barEnds ?? []) total += ends.length;
  for (const ms of options.windowMs ?? []) total += Math.ceil((close - open) / ms);
  const all = new Float64Array(total);
  let n = 0;
  all[n++] = close;
  for (const t of options.timers ?? []) if (t > open && t <= close) all[n++] = t;
  for (const ends of options.barEnds ?? []) for (let i = 0; i < ends.length; i++) { const t = ends[i]!; if (t > open && t <= close) all[n++] = t; }
  for (const ms of options.windowMs ?? []) for (let t = open + ms; t < close; t += ms) all[n++] = t;
  const sorted = all.subarray(0, n).sort();
  let m = 0;
  for (let i = 0; i < sorted.length; i++) if (m === 0 || sorted[i] !== sorted[m - 1]) sorted[m++] = sorted[i]!;
  return sorted.slice(0, m);
}
