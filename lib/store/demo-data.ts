/**
 * A deterministic generator of realistic 1-minute bar stores, for demos, tests and
 * benchmarks that must not depend on licensed market data.
 *
 * Each symbol gets its own start price, volatility and volume level; prices follow a
 * geometric random walk inside the session with an overnight gap between sessions; volume
 * is U-shaped over the day. A few minutes are missing (never the open) and, by default, the
 * last symbol misses one whole session, so data-quality code has something to find. The
 * same seed and options give byte-identical files.
 */
import { GrowableBars } from './growable-bars.ts';
import { rename, rm, writeFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Session } from '../calendar/types.ts';
import { ConfigError } from '../errors.ts';
import { PARQUET_COMPRESSIONS, writeParquetFile, type ParquetCompression } from './parquet-writer.ts';
import { SeededRandom } from '../seeded-random.ts';

/** Layout template of a `'daily'` demo store, relative to its root (one file per symbol and session). */
export const DEMO_DAILY_LAYOUT = '{interval}/{symbol}/{yyyy}/{mm}/{date}.parquet';
/** Layout template of a `'yearly'` demo store (one file per symbol and year, one row group per session). */
export const DEMO_YEARLY_LAYOUT = '{interval}/{symbol}/{yyyy}.parquet';
/** Bumped whenever the generated numbers change for the same seed. */
export const DEMO_GENERATOR_VERSION = 1;

const MINUTE = 60_000;

/** Options of {@link generateDemoStore}. */
export interface DemoStoreOptions {
  /** Root folder of the store; created if missing. Existing files are overwritten, not removed. */
  out: string;
  /** A count (`10` → `DEMO01` … `DEMO10`) or explicit symbol names. */
  symbols: number | string[];
  /** Sessions to generate, ascending; bars cover each `[open, close)`. */
  sessions: Session[];
  /** PRNG seed (default 42). */
  seed?: number;
  /** Probability that a minute after the open has no bar (default 0.003). */
  missingMinuteRate?: number;
  /** The last symbol misses the middle session (default true; needs at least 3 sessions). */
  missingDaySymbol?: boolean;
  /** `'daily'` (default) or `'yearly'`. */
  layout?: 'daily' | 'yearly';
  /**
   * Page compression (default `'snappy'`, as pyarrow and DuckDB write by default). parquet-wasm
   * decodes Snappy pages about 4.5× faster than ZSTD ones (0.45 vs 2.0 ms for 11 sessions of
   * one symbol), and decoding is most of Phase 2; `'zstd'` files are about 35% smaller.
   */
  compression?: ParquetCompression;
}

/** What {@link generateDemoStore} wrote. */
export interface DemoStoreSummary {
  readonly out: string;
  readonly layout: 'daily' | 'yearly';
  /** The layout template (see {@link DEMO_DAILY_LAYOUT}). */
  readonly template: string;
  readonly symbols: readonly string[];
  readonly sessions: number;
  /** Parquet files written (store.json not counted). */
  readonly files: number;
  readonly rows: number;
  readonly bytes: number;
  /** Missing minutes per symbol (the missing day not counted). */
  readonly missingMinutes: Readonly<Record<string, number>>;
  /** The symbol and session with no data at all, or `null`. */
  readonly missingDay: { readonly symbol: string; readonly date: string } | null;
  readonly elapsedMs: number;
}

/** The `store.json` written at the store root. */
export interface DemoStoreDescriptor {
  root: '.';
  layout: string;
  timestamp: { column: 'ts'; label: 'start'; unit: 'ms'; timezone: 'UTC' };
  interval: '1m';
  columns: { open: 'open'; high: 'high'; low: 'low'; close: 'close'; volume: 'volume' };
  symbols: string[];
  sessions: { from: string; to: string; count: number };
  seed: number;
  compression: ParquetCompression;
  missingDay: { symbol: string; date: string } | null;
  generator: { name: 'sessionflow demo-data'; version: number };
}

/**
 * Generate a demo store of 1-minute bars under `options.out` and describe it in
 * `<out>/store.json`.
 *
 * @throws ConfigError for invalid options (sessions out of order, bad symbol names, …).
 * @example
 * ```ts
 * const day = (d: string): Session => ({ date: d, open: Date.parse(`${d}T14:30:00Z`), close: Date.parse(`${d}T21:00:00Z`), earlyClose: false });
 * const summary = await generateDemoStore({ out: 'demo', symbols: 10, sessions: ['2024-01-02', '2024-01-03'].map(day) });
 * summary.files; // 20 (the missing day needs at least 3 sessions)
 * ```
 */
export async function generateDemoStore(options: DemoStoreOptions): Promise<DemoStoreSummary> {
  const started = performance.now();
  const symbols = symbolNames(options.symbols);
  const sessions = options.sessions;
  validateSessions(sessions);
  const seed = options.seed ?? 42;
  if (!Number.isInteger(seed)) throw ConfigError.at('seed', seed, 'an integer');
  const missingRate = options.missingMinuteRate ?? 0.003;
  if (!(missingRate >= 0 && missingRate < 1)) throw ConfigError.at('missingMinuteRate', missingRate, 'a number in [0, 1)');
  const layout = options.layout ?? 'daily';
  if (layout !== 'daily' && layout !== 'yearly') throw ConfigError.at('layout', layout, "'daily' or 'yearly'");
  const template = layout === 'daily' ? DEMO_DAILY_LAYOUT : DEMO_YEARLY_LAYOUT;
  const compression = options.compression ?? 'snappy';
  if (!PARQUET_COMPRESSIONS.includes(compression)) throw ConfigError.at('compression', compression, PARQUET_COMPRESSIONS.map((c) => `'${c}'`).join(', '));

  const missingDayIndex = (options.missingDaySymbol ?? true) && sessions.length >= 3 ? Math.floor(sessions.length / 2) : -1;
  const missingDay = missingDayIndex >= 0 ? { symbol: symbols[symbols.length - 1]!, date: sessions[missingDayIndex]!.date } : null;

  await mkdir(options.out, { recursive: true });
  const missingMinutes: Record<string, number> = {};
  let files = 0;
  let rows = 0;
  let bytes = 0;
  // Encoding is synchronous CPU work; keep a few file writes in flight behind it.
  const pending = new Set<Promise<void>>();
  const write = async (relative: string, bars: GrowableBars, boundaries?: number[]): Promise<void> => {
    const task = writeParquetFile(join(options.out, relative), bars.columns(), {
      timestampColumns: ['ts'],
      int64Columns: ['volume'],
      compression,
      ...(boundaries ? { rowGroupBoundaries: boundaries } : {}),
      metadata: { 'sessionflow.demo': `seed=${seed};version=${DEMO_GENERATOR_VERSION}` },
    }).then((r) => {
      files++;
      rows += r.rows;
      bytes += r.bytes;
    });
    const tracked: Promise<void> = task.finally(() => pending.delete(tracked));
    // Failures surface through race/all below; this only keeps a late one from going unhandled.
    tracked.catch(() => undefined);
    pending.add(tracked);
    if (pending.size >= 8) await Promise.race(pending);
  };

  for (let s = 0; s < symbols.length; s++) {
    const symbol = symbols[s]!;
    const walk = new SymbolWalk(seed, symbol);
    const skipIndex = s === symbols.length - 1 ? missingDayIndex : -1;
    missingMinutes[symbol] = 0;
    let year = '';
    let yearBars: GrowableBars | undefined;
    let yearBounds: number[] = [];
    const flushYear = async () => {
      if (yearBars && yearBars.length > 0) await write(`1m/${symbol}/${year}.parquet`, yearBars, yearBounds);
      yearBars = undefined;
      yearBounds = [];
    };
    for (let d = 0; d < sessions.length; d++) {
      const session = sessions[d]!;
      const minutes = Math.floor((session.close - session.open) / MINUTE);
      const dayYear = session.date.slice(0, 4);
      if (layout === 'yearly' && dayYear !== year) {
        await flushYear();
        year = dayYear;
      }
      // The walk always advances, so the missing day does not change any other day's prices.
      const target = layout === 'yearly' ? (yearBars ??= new GrowableBars(minutes * 260)) : new GrowableBars(minutes);
      const startLength = target.length;
      const missed = walk.session(session, minutes, missingRate, d > 0, target);
      if (d === skipIndex) {
        target.length = startLength;
        continue;
      }
      missingMinutes[symbol] += missed;
      if (layout === 'daily') {
        await write(`1m/${symbol}/${dayYear}/${session.date.slice(5, 7)}/${session.date}.parquet`, target);
      } else if (target.length > startLength) {
        yearBounds.push(startLength);
      }
    }
    if (layout === 'yearly') await flushYear();
  }
  await Promise.all(pending);

  const descriptor: DemoStoreDescriptor = {
    root: '.',
    layout: template,
    timestamp: { column: 'ts', label: 'start', unit: 'ms', timezone: 'UTC' },
    interval: '1m',
    columns: { open: 'open', high: 'high', low: 'low', close: 'close', volume: 'volume' },
    symbols,
    sessions: { from: sessions[0]?.date ?? '', to: sessions[sessions.length - 1]?.date ?? '', count: sessions.length },
    seed,
    compression,
    missingDay,
    generator: { name: 'sessionflow demo-data', version: DEMO_GENERATOR_VERSION },
  };
  const storeJson = join(options.out, 'store.json');
  const tmp = `${storeJson}.tmp-${process.pid}`;
  try {
    await writeFile(tmp, `${JSON.stringify(descriptor, null, 2)}\n`);
    await rename(tmp, storeJson);
  } catch (e) {
    await rm(tmp, { force: true });
    throw e;
  }

  return {
    out: options.out,
    layout,
    template,
    symbols,
    sessions: sessions.length,
    files,
    rows,
    bytes,
    missingMinutes,
    missingDay,
    elapsedMs: performance.now() - started,
  };
}

function symbolNames(symbols: number | string[]): string[] {
  if (typeof symbols === 'number') {
    if (!Number.isInteger(symbols) || symbols < 1 || symbols > 9999) throw ConfigError.at('symbols', symbols, 'an integer in [1, 9999] or a list of names');
    const width = Math.max(2, String(symbols).length);
    return Array.from({ length: symbols }, (_, i) => `DEMO${String(i + 1).padStart(width, '0')}`);
  }
  if (!Array.isArray(symbols) || symbols.length === 0) throw ConfigError.at('symbols', symbols, 'a positive count or a non-empty list of names');
  const seen = new Set<string>();
  symbols.forEach((name, i) => {
    if (typeof name !== 'string' || !/^[A-Za-z0-9._-]+$/.test(name) || name === '.' || name === '..') {
      throw ConfigError.at(`symbols[${i}]`, name, 'a name of letters, digits, ".", "_" or "-"');
    }
    if (seen.has(name)) throw ConfigError.at(`symbols[${i}]`, name, 'a name not listed before');
    seen.add(name);
  });
  return [...symbols];
}

function validateSessions(sessions: Session[]): void {
  if (!Array.isArray(sessions) || sessions.length === 0) throw ConfigError.at('sessions', sessions, 'a non-empty list of sessions');
  sessions.forEach((s, i) => {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(s.date)) throw ConfigError.at(`sessions[${i}].date`, s.date, "a 'YYYY-MM-DD' date");
    if (!(Number.isSafeInteger(s.open) && Number.isSafeInteger(s.close) && s.close - s.open >= MINUTE)) {
      throw ConfigError.at(`sessions[${i}]`, s, 'open < close in epoch ms, at least one minute apart');
    }
    if (s.open % MINUTE !== 0) throw ConfigError.at(`sessions[${i}].open`, s.open, 'a whole minute');
    const prev = sessions[i - 1];
    if (prev && !(s.open >= prev.close && s.date > prev.date)) {
      throw ConfigError.at(`sessions[${i}]`, s, `a session after ${prev.date} (sessions must be ascending and not overlap)`);
    }
  });
}

/** One symbol's price/volume process; all randomness comes from its own seeded PRNG. */
class SymbolWalk {
  private readonly rng: SeededRandom;
  private price: number;
  private readonly minuteVol: number;
  private readonly volumeLevel: number;

  constructor(seed: number, symbol: string) {
    this.rng = new SeededRandom(mix(seed, symbol));
    // Log-uniform start price in [20, 500], daily vol 0.8–3.5 %, per-minute volume level 2k–200k.
    this.price = roundCents(20 * Math.exp(this.rng.next() * Math.log(25)));
    const dailyVol = 0.008 + this.rng.next() * 0.027;
    this.minuteVol = dailyVol / Math.sqrt(390);
    this.volumeLevel = 2_000 * Math.exp(this.rng.next() * Math.log(100));
  }

  /** Append one session's bars to `out`; returns how many minutes were left out. */
  session(session: Session, minutes: number, missingRate: number, gap: boolean, out: GrowableBars): number {
    const rng = this.rng;
    const sigma = this.minuteVol;
    if (gap) this.price = Math.max(1, roundCents(this.price * Math.exp(0.01 * rng.normal())));
    let price = this.price;
    let missed = 0;
    // The U spans the actual session, so an early close also ends with its closing rush.
    const dayLength = Math.max(1, minutes - 1);
    for (let i = 0; i < minutes; i++) {
      // Mostly open = previous close; sometimes a one-tick-ish jump between bars.
      const open = rng.next() < 0.85 ? price : Math.max(0.01, roundCents(price * (1 + 0.15 * sigma * rng.normal())));
      const close = Math.max(0.01, roundCents(open * Math.exp(sigma * rng.normal())));
      const high = Math.max(open, close, ceilCents(Math.max(open, close) * Math.exp(Math.abs(0.6 * sigma * rng.normal()))));
      const low = Math.max(0.01, Math.min(open, close, floorCents(Math.min(open, close) * Math.exp(-Math.abs(0.6 * sigma * rng.normal())))));
      const x = i / dayLength;
      const shape = 0.6 + 2.2 * Math.exp(-x / 0.06) + 1.6 * Math.exp(-(1 - x) / 0.05);
      const volume = Math.round(this.volumeLevel * shape * Math.exp(0.35 * rng.normal()));
      const skip = i > 0 && rng.next() < missingRate;
      price = close;
      if (skip) {
        missed++;
        continue;
      }
      out.push(session.open + i * MINUTE, open, high, low, close, volume);
    }
    this.price = price;
    return missed;
  }
}

const roundCents = (x: number) => Math.round(x * 100) / 100;
const ceilCents = (x: number) => Math.ceil(x * 100 - 1e-9) / 100;
const floorCents = (x: number) => Math.floor(x * 100 + 1e-9) / 100;

/** FNV-1a of the symbol, mixed with the seed (so a symbol's data does not depend on its position). */
function mix(seed: number, symbol: string): number {
  let h = 0x811c9dc5 ^ (seed >>> 0);
  for (let i = 0; i < symbol.length; i++) {
    h ^= symbol.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  h ^= Math.floor(seed / 0x1_0000_0000);
  return h >>> 0;
}

