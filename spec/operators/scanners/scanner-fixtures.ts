/**
 * Fixtures for the scanner specs: hand-built 1m stores with designed numbers, reading a
 * store's bars back with ParquetBarReader (independently of the engine's scan view), the
 * scanners' measures computed from those bars by hand, and what a scanner component should
 * have added given the picks.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { getCalendar } from '../../../lib/calendar/get-calendar.ts';
import type { Session } from '../../../lib/calendar/types.ts';
import type { SessionConfigInput } from '../../../lib/config/schema.ts';
import { DataError } from '../../../lib/errors.ts';
import type { Json } from '../../../lib/session/component.ts';
import type { DayResult } from '../../../lib/session/results.ts';
import { ParquetBarReader } from '../../../lib/store/bar-reader.ts';
import { DEMO_DAILY_LAYOUT } from '../../../lib/store/demo-data.ts';
import { writeParquetFile } from '../../../lib/store/parquet-writer.ts';

export const MINUTE = 60_000;

/** The store section of a config over a daily-layout 1m store (hand-built or generated). */
export function storeSection(root: string): SessionConfigInput['store'] {
  return { root, layout: DEMO_DAILY_LAYOUT, timestamp: { column: 'ts', label: 'start' } };
}

/** One minute bar of a hand-built store, `minute` minutes after the open. */
export interface DesignedBar {
  readonly minute: number;
  readonly o: number;
  readonly h: number;
  readonly l: number;
  readonly c: number;
  readonly v: number;
}

/** `count` flat bars (o = h = l = c = price) from `from` minutes after the open, each of `volume`. */
export function flatBars(price: number, volume: number, count: number, from = 0): DesignedBar[] {
  return Array.from({ length: count }, (_, i) => ({ minute: from + i, o: price, h: price, l: price, c: price, v: volume }));
}

/** A hand-built store: its root, sessions and a disposer. */
export interface DesignedStore {
  readonly root: string;
  readonly sessions: readonly Session[];
  dispose(): Promise<void>;
}

/**
 * Write a 1m store in the demo's daily layout (no store.json) whose bars are `design(symbol,
 * dayIndex, session)`; `undefined` or `[]` writes no file (the symbol misses that session).
 */
export async function writeDesignedStore(symbols: readonly string[], from: string, to: string, design: (symbol: string, day: number, session: Session) => readonly DesignedBar[] | undefined): Promise<DesignedStore> {
  const root = await mkdtemp(join(tmpdir(), 'sessionflow-scanners-'));
  const sessions = getCalendar('XNYS').sessions(from, to);
  const writes: Array<Promise<unknown>> = [];
  for (const symbol of symbols) {
    sessions.forEach((session, day) => {
      const bars = design(symbol, day, session);
      if (!bars || bars.length === 0) return;
      const file = join(root, '1m', symbol, session.date.slice(0, 4), session.date.slice(5, 7), `${session.date}.parquet`);
      writes.push(
        writeParquetFile(
          file,
          {
            ts: Float64Array.from(bars, (b) => session.open + b.minute * MINUTE),
            open: Float64Array.from(bars, (b) => b.o),
            high: Float64Array.from(bars, (b) => b.h),
            low: Float64Array.from(bars, (b) => b.l),
            close: Float64Array.from(bars, (b) => b.c),
            volume: Float64Array.from(bars, (b) => b.v),
          },
          { timestampColumns: ['ts'], int64Columns: ['volume'], compression: 'snappy' },
        ),
      );
    });
  }
  await Promise.all(writes);
  return { root, sessions, dispose: () => rm(root, { recursive: true, force: true }) };
}

/** A symbol's 1m bars of one session as read straight from the store. */
export interface ReadBars {
  readonly start: number[];
  readonly open: number[];
  readonly high: number[];
  readonly low: number[];
  readonly close: number[];
  readonly volume: number[];
}

/** Reads a daily-layout 1m store with ParquetBarReader, caching per (symbol, date). */
export class StoreBars {
  private readonly reader: ParquetBarReader;
  private readonly cache = new Map<string, Promise<ReadBars | undefined>>();

  constructor(root: string) {
    this.reader = new ParquetBarReader({ root, layout: DEMO_DAILY_LAYOUT, timestamp: { column: 'ts', label: 'start' } });
  }

  /** The session's regular-hours bars, or undefined when the store has no file for it. */
  day(symbol: string, session: Session): Promise<ReadBars | undefined> {
    const key = `${symbol}@${session.date}`;
    let found = this.cache.get(key);
    if (!found) {
      found = this.reader.load(symbol, '1m', session.open, session.close, session.date).then(
        ({ bars }) => ({ start: Array.from(bars.start), open: Array.from(bars.open), high: Array.from(bars.high), low: Array.from(bars.low), close: Array.from(bars.close), volume: Array.from(bars.volume) }),
        (error: unknown) => {
          if (error instanceof DataError) return undefined;
          throw error;
        },
      );
      this.cache.set(key, found);
    }
    return found;
  }
}

/** The bars that ended by `until` (`start + 1m <= until`). */
export function endedBy(bars: ReadBars | undefined, until: number): ReadBars {
  const keep = (bars?.start ?? []).map((s, i) => [s, i] as const).filter(([s]) => s + MINUTE <= until).map(([, i]) => i);
  const pick = (a: number[] | undefined) => keep.map((i) => a![i]!);
  return { start: pick(bars?.start), open: pick(bars?.open), high: pick(bars?.high), low: pick(bars?.low), close: pick(bars?.close), volume: pick(bars?.volume) };
}

export const sum = (values: readonly number[]): number => values.reduce((a, b) => a + b, 0);

/** A session's daily close (last bar) and volume (all bars), or undefined without bars. */
export function dailyOf(bars: ReadBars | undefined): { close: number; volume: number } | undefined {
  if (!bars || bars.close.length === 0) return undefined;
  return { close: bars.close.at(-1)!, volume: sum(bars.volume) };
}

/** A pick as the specs expect it. */
export interface Expected {
  readonly symbol: string;
  readonly score: number;
}

/** Sort by score, best first (ties by symbol, for stable expectations). */
export function best(picks: readonly Expected[]): Expected[] {
  return [...picks].sort((a, b) => b.score - a.score || a.symbol.localeCompare(b.symbol));
}

/** One scan as the scanner component reports it. */
export interface ScanReport {
  readonly asOf: number;
  readonly phase: 'pre' | 'intraday';
  readonly universe: number;
  readonly unavailable: number;
  readonly picks: number;
  readonly added: string[];
  readonly dropped: string[];
  readonly ms: number;
}

/** A scanner component's report of one day. */
export function scansOf(day: DayResult, name: string): ScanReport[] {
  const report = day.components[name] as { scans?: Json } | undefined;
  if (!report || !Array.isArray(report.scans)) throw new Error(`${day.date}: no report of scanner ${name} (components: ${Object.keys(day.components).join(', ')})`);
  return report.scans as unknown as ScanReport[];
}

/** What a scanner adds from `picks` (best first): the ones not active, at most `maxAdds`. */
export function expectedAdds(picks: readonly Expected[], active: ReadonlySet<string>, maxAdds: number): Expected[] {
  return best(picks)
    .filter((p) => !active.has(p.symbol))
    .slice(0, maxAdds);
}

/** The day's additions by one scanner, as `{symbol, score}` sorted like {@link best}. */
export function additionsBy(day: DayResult, by: string): Array<{ symbol: string; score: number | undefined; time: number; status: string }> {
  return day.additions
    .filter((a) => a.by === by)
    .map((a) => ({ symbol: a.symbol, score: a.score, time: a.time, status: a.status }))
    .sort((a, b) => (b.score ?? 0) - (a.score ?? 0) || a.symbol.localeCompare(b.symbol));
}

/** Whether two scores agree up to float noise of summing in another order. */
export function sameScore(a: number | undefined, b: number): boolean {
  return a !== undefined && Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(b));
}

/** A midpoint between two values (a threshold that separates them). */
export const between = (a: number, b: number): number => (a + b) / 2;
