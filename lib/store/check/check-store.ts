import { parseDay } from '../../calendar/civil-date.ts';
import type { Session, TradingCalendar } from '../../calendar/types.ts';
import { parseInterval } from '../../calendar/interval.ts';
import { ConfigError, DataError } from '../../errors.ts';
import { qualityScore } from '../../metrics/quality.ts';
import { ParquetBarReader } from '../bar-reader.ts';
import { ParquetFile } from '../parquet-file.ts';
import type { StoreConfig } from '../types.ts';
import type { OutlierExample, OutlierFlags, OutlierOptions } from '../outlier-flags.ts';
import { ZoneClock } from '../../calendar/zone-clock.ts';
import { checkAvailability } from './session-availability.ts';
import { sessionCoverage, type SessionCoverage } from './session-coverage.ts';

/** Options of {@link checkStore}. */
export interface CheckStoreOptions {
  readonly store: StoreConfig;
  readonly calendar: TradingCalendar;
  /** Base interval to check, e.g. `1m`. */
  readonly interval: string;
  readonly symbols: readonly string[];
  /** Inclusive trading-date range. */
  readonly from: string;
  readonly to: string;
  /** Per-symbol date ranges that replace `[from, to]` for those symbols (e.g. each symbol's imported range). */
  readonly ranges?: Readonly<Record<string, { readonly from: string; readonly to: string }>>;
  /** Called after each symbol, for progress bars. */
  readonly onSymbol?: (done: number, total: number) => void;
  /** Outlier flags to report (a session config's `quality`): zero or negative prices by default, jumps with `maxJump`. */
  readonly outliers?: OutlierOptions;
}

/** A missing run of bars rendered in exchange-local time. */
export interface LocalMissingRange {
  /** `HH:MM` of the first missing bar's start. */
  readonly from: string;
  /** `HH:MM` of the last missing bar's end. */
  readonly to: string;
  readonly bars: number;
  readonly start: number;
  readonly end: number;
}

/** The check of one (symbol, session). */
export interface SessionCheck extends Omit<SessionCoverage, 'missingRanges' | 'flags'> {
  readonly symbol: string;
  readonly date: string;
  readonly file: string;
  /** `false` when step 0 would skip the symbol that day (`reason` says why). */
  readonly available: boolean;
  readonly reason?: string;
  readonly missingRanges: readonly LocalMissingRange[];
  /** Outlier flags; each example also carries its local `HH:MM`. */
  readonly flags: Omit<OutlierFlags, 'examples'> & { readonly examples: ReadonlyArray<OutlierExample & { readonly time: string }> };
}

/** Totals of one symbol over the range. */
export interface SymbolCheck {
  readonly symbol: string;
  readonly sessions: number;
  /** Sessions without a usable file. */
  readonly unavailable: number;
  readonly expected: number;
  readonly present: number;
  readonly duplicates: number;
  /** Rows out of order in their file (sorted when read, a note). */
  readonly reordered: number;
  readonly outsideSession: number;
  readonly misaligned: number;
  readonly invalidOhlc: number;
  /** Bars flagged as jumps / with zero or negative prices (kept; see flagOutliers). */
  readonly jumps: number;
  readonly nonPositivePrices: number;
  readonly score: number;
  /** The lowest session score. */
  readonly worstScore: number;
}

/** What {@link checkStore} found. */
export interface StoreCheckReport {
  readonly root: string;
  readonly layout: string;
  readonly calendar: string;
  readonly interval: string;
  readonly from: string;
  readonly to: string;
  readonly sessions: number;
  readonly symbols: readonly SymbolCheck[];
  readonly details: readonly SessionCheck[];
  /** {@link qualityScore} of all present, expected and rejected rows. */
  readonly score: number;
}

/**
 * Check a store against a calendar: for every symbol and session in `[from, to]`, expected vs
 * present regular-session bars, missing ranges, duplicate and out-of-order timestamps, bars
 * outside the session, misaligned starts, invalid OHLC and a quality score. Availability
 * comes from `checkAvailability` (the loop's step 0); the rows come from a raw read
 * (nothing dropped) of the row groups overlapping each day, one decode per file, and are
 * judged by {@link sessionCoverage}.
 *
 * @throws ConfigError for bad options; DataError is reported per session, never thrown.
 * @example
 * ```ts
 * const report = await checkStore({ store, calendar: getCalendar('XNYS'), interval: '1m', symbols: ['SPY'], from: '2024-01-02', to: '2024-01-31' });
 * report.symbols[0]!.score; // e.g. 99.7
 * ```
 */
export async function checkStore(options: CheckStoreOptions): Promise<StoreCheckReport> {
  const interval = parseInterval(options.interval, 'interval');
  const { calendar, store } = options;
  parseDay(options.from, 'from');
  parseDay(options.to, 'to');
  if (options.from > options.to) throw ConfigError.at('to', options.to, `a date on or after from (${options.from})`);
  if (options.symbols.length === 0) throw ConfigError.at('symbols', options.symbols, 'at least one symbol');
  const allSessions = calendar.sessions(options.from, options.to);
  const reader = new ParquetBarReader(store);
  const dayClock = new ZoneClock(calendar.timezone, 'calendar');
  const shift = store.timestamp.label === 'end' ? interval.ms : 0;
  const columns = { open: store.columns?.open ?? 'open', high: store.columns?.high ?? 'high', low: store.columns?.low ?? 'low', close: store.columns?.close ?? 'close', volume: store.columns?.volume ?? 'volume' };
  const details: SessionCheck[] = [];
  const totals: SymbolCheck[] = [];

  let done = 0;
  for (const symbol of options.symbols) {
    const range = options.ranges?.[symbol];
    const sessions = range ? calendar.sessions(range.from, range.to) : allSessions;
    const found = await checkAvailability(reader, interval.name, sessions.map((session) => ({ symbol, session })));
    const checks: SessionCheck[] = [];
    const byFile = new Map<string, Session[]>();
    sessions.forEach((session, i) => {
      const a = found[i]!;
      if (a.ok) {
        const list = byFile.get(a.file) ?? [];
        list.push(session);
        byFile.set(a.file, list);
      } else checks.push(toCheck(symbol, session, a.file, sessionCoverage(session, interval.ms), dayClock, a.reason));
    });
    for (const [file, group] of byFile) {
      try {
        checks.push(...(await checkFile(file, group, symbol, interval.ms, store, columns, shift, dayClock, options.outliers ?? {})));
      } catch (error) {
        if (!(error instanceof DataError)) throw error;
        for (const session of group) checks.push(toCheck(symbol, session, file, sessionCoverage(session, interval.ms), dayClock, error.message));
      }
    }
    checks.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
    details.push(...checks);
    totals.push(summarise(symbol, checks));
    options.onSymbol?.(++done, options.symbols.length);
  }
  reader.clearCache();
  const expected = totals.reduce((n, s) => n + s.expected, 0);
  const present = totals.reduce((n, s) => n + s.present, 0);
  const rejected = details.reduce((n, c) => n + c.invalidOhlc + c.misaligned + c.duplicates, 0);
  return {
    root: store.root,
    layout: store.layout,
    calendar: calendar.name,
    interval: interval.name,
    from: options.from,
    to: options.to,
    sessions: allSessions.length,
    symbols: totals,
    details,
    score: qualityScore(present, expected, rejected),
  };
}

async function checkFile(path: string, sessions: readonly Session[], symbol: string, ms: number, store: StoreConfig, columns: Record<'open' | 'high' | 'low' | 'close' | 'volume', string>, shift: number, dayClock: ZoneClock, outliers: OutlierOptions): Promise<SessionCheck[]> {
  const file = await ParquetFile.open(path);
  try {
    const unit = store.timestamp.unit;
    const symbolColumn = store.columns?.symbol;
    file.requireColumns([
      { name: store.timestamp.column, role: 'timestamp.column', expect: 'timestamp', unit },
      ...(Object.entries(columns) as Array<[string, string]>).map(([field, name]) => ({ name, role: `columns.${field}`, expect: 'number' as const })),
      ...(symbolColumn ? [{ name: symbolColumn, role: 'columns.symbol', expect: 'string' as const }] : []),
    ], { symbol });
    const ranges = file.timeRanges(store.timestamp.column, unit);
    const days = sessions.map((session) => {
      const day = parseDay(session.date);
      const dayStart = dayClock.startOfDay(day);
      const dayEnd = dayClock.startOfDay(day + 1);
      const groups: number[] = [];
      for (let g = 0; g < ranges.length; g++) {
        const r = ranges[g];
        // Raw timestamps of the day lie in [dayStart + shift, dayEnd + shift).
        if (!r || (r.min < dayEnd + shift && r.max > dayStart + shift)) groups.push(g);
      }
      return { session, dayStart, dayEnd, groups };
    });
    const union = [...new Set(days.flatMap((d) => d.groups))].sort((a, b) => a - b);
    const read = await file.read({
      rowGroups: union,
      numeric: [{ name: store.timestamp.column, timestamp: true, unit }, { name: columns.open }, { name: columns.high }, { name: columns.low }, { name: columns.close }, { name: columns.volume }],
      match: symbolColumn ? { column: symbolColumn, value: symbol } : undefined,
    });
    const [ts, open, high, low, close, volume] = read.columns as [Float64Array, Float64Array, Float64Array, Float64Array, Float64Array, Float64Array];
    const offset = new Map<number, number>();
    let at = 0;
    for (const g of union) {
      offset.set(g, at);
      at += file.rowGroupRows[g]!;
    }
    return days.map(({ session, dayStart, dayEnd, groups }) => {
      const spans = groups.map((g) => [offset.get(g)!, offset.get(g)! + file.rowGroupRows[g]!] as const);
      const coverage = sessionCoverage(session, ms, { ts, open, high, low, close, volume, matches: read.matches, shift, spans, dayStart, dayEnd }, outliers);
      return toCheck(symbol, session, path, coverage, dayClock);
    });
  } finally {
    file.close();
  }
}

function toCheck(symbol: string, session: Session, file: string, coverage: SessionCoverage, dayClock: ZoneClock, reason?: string): SessionCheck {
  return {
    symbol,
    date: session.date,
    file,
    available: reason === undefined,
    ...(reason === undefined ? {} : { reason }),
    ...coverage,
    missingRanges: coverage.missingRanges.map((r) => ({ from: dayClock.localTime(r.start), to: dayClock.localTime(r.end), bars: r.bars, start: r.start, end: r.end })),
    flags: { ...coverage.flags, examples: coverage.flags.examples.map((e) => ({ ...e, time: dayClock.localTime(e.start) })) },
  };
}

function summarise(symbol: string, checks: readonly SessionCheck[]): SymbolCheck {
  const sum = (f: (c: SessionCheck) => number) => checks.reduce((n, c) => n + f(c), 0);
  const expected = sum((c) => c.expected);
  const present = sum((c) => c.present);
  return {
    symbol,
    sessions: checks.length,
    unavailable: sum((c) => (c.available ? 0 : 1)),
    expected,
    present,
    duplicates: sum((c) => c.duplicates),
    reordered: sum((c) => c.reordered),
    outsideSession: sum((c) => c.outsideSession),
    misaligned: sum((c) => c.misaligned),
    invalidOhlc: sum((c) => c.invalidOhlc),
    jumps: sum((c) => c.flags.jumps),
    nonPositivePrices: sum((c) => c.flags.nonPositivePrices),
    score: qualityScore(present, expected, sum((c) => c.invalidOhlc + c.misaligned + c.duplicates)),
    worstScore: checks.reduce((m, c) => Math.min(m, c.score), 100),
  };
}

