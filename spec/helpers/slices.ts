/**
 * Test helper: drive hand-built time slices through a session pipeline without the engine.
 * Base bars are appended to SessionData at the tick that reaches their end, exactly as the
 * engine's drain does (DESIGN §2), so an operator under test sees what it would see live.
 */
import { Subject } from 'rxjs';
import type { Session } from '../../lib/calendar/types.ts';
import { parseInterval } from '../../lib/calendar/interval.ts';
import type { Bar } from '../../lib/session/bar-series.ts';
import { SessionData } from '../../lib/session/session-data.ts';
import type { ClosedBars, SlicePipeline, TimeSlice } from '../../lib/session/time-slice.ts';

export const MIN = 60_000;

/** A base bar as input: start plus OHLCV (end = start + base interval). */
export interface InputBar {
  readonly start: number;
  readonly open: number;
  readonly high: number;
  readonly low: number;
  readonly close: number;
  readonly volume: number;
}

/** A session from UTC ISO instants, e.g. `sessionOf('2024-03-15', '13:30', '20:00')`. */
export function sessionOf(date: string, openUtc: string, closeUtc: string, earlyClose = false): Session {
  return { date, open: Date.parse(`${date}T${openUtc}:00Z`), close: Date.parse(`${date}T${closeUtc}:00Z`), earlyClose };
}

/** A flat-ish base bar: `open = close = price`, high/low one cent away. */
export function flatBar(start: number, price: number, volume = 100): InputBar {
  return { start, open: price, high: price + 0.01, low: price - 0.01, close: price, volume };
}

/** SessionData for `session` with the given intervals (base first) and symbols registered. */
export function makeData(session: Session, intervals: readonly string[], symbols: readonly string[]): SessionData {
  const data = new SessionData(
    session,
    intervals.map((i) => ({ name: parseInterval(i).name, ms: parseInterval(i).ms })),
  );
  for (const s of symbols) data.register(s);
  return data;
}

/** Data-driven tick instants: every base-bar end and every window end in (open, close], plus the close. */
export function dataTicks(session: Session, bars: ReadonlyMap<string, readonly InputBar[]>, baseMs: number, windowMs: readonly number[]): number[] {
  const set = new Set<number>([session.close]);
  for (const list of bars.values()) for (const b of list) if (b.start + baseMs > session.open && b.start + baseMs <= session.close) set.add(b.start + baseMs);
  for (const w of windowMs) for (let t = session.open + w; t < session.close; t += w) set.add(t);
  return [...set].sort((a, b) => a - b);
}

/** Every base step from open + base to the close (clock-driven ticks). */
export function clockTicks(session: Session, baseMs: number): number[] {
  const out: number[] = [];
  for (let t = session.open + baseMs; t < session.close; t += baseMs) out.push(t);
  out.push(session.close);
  return out;
}

/** What {@link runSlices} observed. */
export interface SliceRun {
  readonly data: SessionData;
  /** Every slice the pipeline emitted, in order. */
  readonly out: TimeSlice[];
  /** Derived bars emitted per interval, with the tick at which they appeared. */
  emitted(interval: string): Array<Bar & { symbol: string; at: number }>;
  readonly completed: boolean;
  readonly error: unknown;
}

/**
 * Push one slice per tick through `pipeline` via a Subject. Before each tick the base bars
 * with `end <= tick` are appended (ordered by end, then symbol) and listed in
 * `slice.closed[base]`.
 */
export function runSlices(pipeline: SlicePipeline, data: SessionData, bars: ReadonlyMap<string, readonly InputBar[]>, ticks: readonly number[]): SliceRun {
  const session = data.session;
  const base = data.intervals[0]!;
  const input = new Subject<TimeSlice>();
  const out: TimeSlice[] = [];
  let completed = false;
  let error: unknown;
  const sub = pipeline(input).subscribe({ next: (s) => out.push(s), complete: () => (completed = true), error: (e: unknown) => (error = e) });
  const pos = new Map<string, number>();
  const symbols = [...bars.keys()].sort();
  for (const [index, time] of ticks.entries()) {
    const pending: Array<{ symbol: string; bar: InputBar }> = [];
    for (const symbol of symbols) {
      const list = bars.get(symbol)!;
      let p = pos.get(symbol) ?? 0;
      while (p < list.length && list[p]!.start + base.ms <= time) pending.push({ symbol, bar: list[p++]! });
      pos.set(symbol, p);
    }
    pending.sort((a, b) => a.bar.start - b.bar.start || (a.symbol < b.symbol ? -1 : 1));
    const closed: ClosedBars = { series: [], rows: [] };
    for (const { symbol, bar } of pending) {
      const s = data.series(symbol, base.name);
      closed.series.push(s);
      closed.rows.push(s.append(bar.start, bar.start + base.ms, bar.open, bar.high, bar.low, bar.close, bar.volume, false));
    }
    const map = new Map<string, ClosedBars>([[base.name, closed]]);
    input.next({ kind: 'tick', time, index, session, data, closed: map, isClose: index === ticks.length - 1, signals: [], added: [] });
  }
  input.complete();
  sub.unsubscribe();
  return {
    data,
    out,
    completed,
    error,
    emitted(interval: string) {
      const rows: Array<Bar & { symbol: string; at: number }> = [];
      for (const slice of out) {
        const c = slice.closed.get(interval);
        if (!c) continue;
        for (let k = 0; k < c.rows.length; k++) rows.push({ ...c.series[k]!.bar(c.rows[k]!)!, symbol: c.series[k]!.symbol, at: slice.time });
      }
      return rows;
    },
  };
}

/** Plain rows of a series (for deep equality). */
export function rowsOf(data: SessionData, symbol: string, interval: string): Bar[] {
  const s = data.series(symbol, interval);
  const rows: Bar[] = [];
  for (let i = 0; i < s.length; i++) rows.push(s.bar(i)!);
  return rows;
}
