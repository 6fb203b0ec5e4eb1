import { barMs } from '../calendar/interval.ts';
import type { Session } from '../calendar/types.ts';
import type { RunPlan } from '../config/plan-run.ts';
import { DataError } from '../errors.ts';
import { log } from '../log.ts';
import type { BarLoader } from '../store/threaded-bar-loader.ts';
import type { LoadedBars } from '../store/types.ts';
import { layoutIsPerDay } from '../store/layout.ts';
import { aggregateSessionWindows } from '../store/aggregate-windows.ts';
import { BarQueues } from './bar-queue.ts';
import { BarSeries, type PackedWindows } from './bar-series.ts';
import { SessionData, type SymbolData } from './session-data.ts';

/** A symbol left out of a day, with the reason and the file involved. */
export interface SkippedSymbol {
  readonly symbol: string;
  readonly reason: string;
  readonly file?: string;
}

/** What Phase 2 loaded for one day. */
export interface LoadedSession {
  readonly data: SessionData;
  readonly queues: BarQueues;
  readonly skipped: SkippedSymbol[];
  /** Valid base bars queued for today. */
  readonly barsIn: number;
  /** Rows dropped while loading today's bars, by reason. */
  readonly rejected: Record<string, number>;
  /** Base bars loaded as trailing history. */
  readonly historyBars: number;
}

/**
 * Keeps decoded sessions of base bars for the trailing-history window, so each day loads
 * only the one new session per symbol instead of re-reading N files. Entries older than
 * the window are evicted every day, which keeps memory flat across a long run.
 */
export class SessionBarsCache {
  /** Loads by date, then symbol: a day evicts whole dates, and lookups build no string keys. */
  private readonly byDate = new Map<string, Map<string, Promise<LoadedBars>>>();
  /** A finished day's live derived windows by date, symbol and width (ms): its history tomorrow. */
  private readonly windowsByDate = new Map<string, Map<string, Map<number, PackedWindows>>>();
  private count = 0;
  /** Daily bars per symbol and date (`null`: the session has no bar); past days never change. */
  private readonly daily = new Map<string, Map<string, DailyBar | null>>();

  /**
   * Daily bars of `symbol` for `sessions`, loading only the sessions not cached yet (one
   * `loadDaily` call for all of them), so a long daily window costs one new session per day.
   */
  async dailyBars(reader: BarLoader, symbol: string, sessions: readonly Session[], ahead: readonly Session[] = []): Promise<{ bars: Array<DailyBar | null>; missing: Array<{ date: string; reason: string }> }> {
    let known = this.daily.get(symbol);
    if (!known) this.daily.set(symbol, (known = new Map()));
    const wanted = sessions.filter((s) => !known.has(s.date));
    const missing: Array<{ date: string; reason: string }> = [];
    if (wanted.length > 0) {
      // Whatever is read, read the next sessions' bars with it: a daily file costs one read
      // whatever the number of rows taken, and tomorrow's history needs today's bar. They
      // are only cached here; history never asks for a session before it is past.
      const extra = ahead.filter((s) => !known.has(s.date) && !wanted.includes(s));
      const loaded = await reader.loadDaily(symbol, [...wanted, ...extra]);
      const asked = new Set(wanted.map((s) => s.date));
      loaded.dates.forEach((date, i) => {
        const b = loaded.bars;
        known.set(date, { date, start: b.start[i]!, open: b.open[i]!, high: b.high[i]!, low: b.low[i]!, close: b.close[i]!, volume: b.volume[i]! });
      });
      for (const m of loaded.missing) {
        if (!asked.has(m.date)) continue; // a later session's gap is reported on its own day
        known.set(m.date, null);
        missing.push(m);
      }
    }
    return { bars: sessions.map((s) => known.get(s.date) ?? null), missing };
  }

  /** Drop daily bars older than `oldestDate` (the start of the longest daily window). */
  evictDailyBefore(oldestDate: string): void {
    for (const dates of this.daily.values()) for (const date of dates.keys()) if (date < oldestDate) dates.delete(date);
  }

  /**
   * Keep the windows of width `ms` that a finished day derived live for `symbol` over the
   * whole session: the next days take them as trailing history instead of aggregating the
   * session's base bars again (the same windows: aggregateSessionWindows and the live
   * `deriveBars` agree bit for bit, which spec/session/history-reuse.spec.ts checks).
   */
  keepWindows(symbol: string, session: Session, ms: number, windows: PackedWindows): void {
    let bySymbol = this.windowsByDate.get(session.date);
    if (!bySymbol) this.windowsByDate.set(session.date, (bySymbol = new Map()));
    let byWidth = bySymbol.get(symbol);
    if (!byWidth) bySymbol.set(symbol, (byWidth = new Map()));
    byWidth.set(ms, windows);
  }

  /** The windows {@link keepWindows} kept for (symbol, session, width), if any. */
  windowsOf(symbol: string, session: Session, ms: number): PackedWindows | undefined {
    return this.windowsByDate.get(session.date)?.get(symbol)?.get(ms);
  }

  /** Whether (symbol, session) is cached or being loaded. */
  has(symbol: string, session: Session): boolean {
    return this.byDate.get(session.date)?.has(symbol) === true;
  }

  /** Cache the (pending) load of (symbol, session). */
  set(symbol: string, session: Session, value: Promise<LoadedBars>): void {
    // Read-ahead entries may fail and never be asked for: mark them handled so a broken file
    // surfaces when (and if) its session is loaded, not as an unhandled rejection.
    value.catch(() => undefined);
    let bySymbol = this.byDate.get(session.date);
    if (!bySymbol) this.byDate.set(session.date, (bySymbol = new Map()));
    if (!bySymbol.has(symbol)) this.count++;
    bySymbol.set(symbol, value);
  }

  /** The cached load of (symbol, session), starting it with `load` if needed. */
  get(symbol: string, session: Session, load: () => Promise<LoadedBars>): Promise<LoadedBars> {
    const cached = this.byDate.get(session.date)?.get(symbol);
    if (cached) return cached;
    const value = load();
    this.set(symbol, session, value);
    return value;
  }

  /** Drop every entry older than `oldestDate`. */
  evictBefore(oldestDate: string): void {
    for (const [date, bySymbol] of this.byDate) {
      if (date >= oldestDate) continue;
      this.count -= bySymbol.size;
      this.byDate.delete(date);
    }
    for (const date of this.windowsByDate.keys()) if (date < oldestDate) this.windowsByDate.delete(date);
  }

  /** Number of cached (symbol, session) loads. */
  get size(): number {
    return this.count;
  }

  clear(): void {
    this.byDate.clear();
    this.windowsByDate.clear();
    this.count = 0;
    this.daily.clear();
  }
}

/** One cached daily bar. */
export interface DailyBar {
  readonly date: string;
  readonly start: number;
  readonly open: number;
  readonly high: number;
  readonly low: number;
  readonly close: number;
  readonly volume: number;
}

/** What {@link loadSymbolsInto} added to a day. */
export interface LoadedSymbols {
  /** Symbols registered (in the order asked for). */
  readonly registered: string[];
  readonly skipped: SkippedSymbol[];
  /** Valid base bars queued for today. */
  readonly barsIn: number;
  /** Rows dropped while loading today's bars, by reason. */
  readonly rejected: Record<string, number>;
  /** Base bars loaded as trailing history. */
  readonly historyBars: number;
  /** Today's bars per registered symbol, as loaded (a mid-session insertion replays them). */
  readonly today: ReadonlyMap<string, LoadedBars>;
}

/** Where {@link loadSymbolsInto} puts what it loads. */
export interface LoadTarget {
  readonly data: SessionData;
  readonly queues: BarQueues;
}

/** Options of {@link loadSymbolsInto}. */
export interface LoadSymbolsOptions {
  /** When the symbols join (default: the open). Their queued bars with `end <= at` are skipped, for the caller to replay. */
  readonly at?: number;
  /** Fail on a DataError instead of skipping the symbol (default: the config's `strict`). */
  readonly strict?: boolean;
  /** Use the plan's known missing files for this date (configured symbols; default true). */
  readonly planned?: boolean;
  /**
   * Decode the next planned sessions along (default true). Off for symbols a scan adds: they
   * belong to their day, and 20 sessions read ahead for each would be memory for nothing.
   */
  readonly readAhead?: boolean;
}

/**
 * Phase 2, step 3 of the seed, for some symbols: register them in the day's SessionData, load
 * and derive their trailing history, queue today's base bars, and score the history's
 * quality. It adds to the day (a pre-session or mid-session scan loads through it too).
 * Symbols without data today are skipped and recorded, unless strict.
 *
 * @example
 * ```ts
 * const loaded = await loadSymbolsInto(plan, session, reader, cache, ['SPY'], { data, queues });
 * ```
 */
export async function loadSymbolsInto(plan: RunPlan, session: Session, reader: BarLoader, cache: SessionBarsCache, symbols: readonly string[], target: LoadTarget, options: LoadSymbolsOptions = {}): Promise<LoadedSymbols> {
  const { data, queues } = target;
  const at = options.at ?? session.open;
  const strict = options.strict ?? plan.config.strict;
  const history = historySessionsFor(plan, session);
  cache.evictBefore(history[0]?.date ?? session.date);
  const dailySessions = trailingSessions(plan, session, plan.dailyHistorySessions);
  cache.evictDailyBefore(dailySessions[0]?.date ?? session.date);
  const ahead = options.readAhead === false ? [] : readAheadSessions(plan, session);
  // Files holding many sessions are read once for all the sessions a symbol needs (`readAhead: 0` asks for one at a time).
  const batched = plan.config.store.readAhead > 0 && !layoutIsPerDay(plan.store.layout);
  const base = plan.base.name;
  const skipped: SkippedSymbol[] = [];
  const rejected: Record<string, number> = {};
  const registered: string[] = [];
  const today = new Map<string, LoadedBars>();
  let barsIn = 0;
  let historyBars = 0;
  const planned = options.planned === false ? undefined : plan.skips.get(session.date);

  const loads = await Promise.all(
    symbols.map(async (symbol) => {
      const known = planned?.get(symbol);
      if (known) return { symbol, skip: { symbol, reason: known.reason, file: known.file } as SkippedSymbol };
      if (batched) prefetch(reader, cache, symbol, base, [...history, session], ahead);
      try {
        // Through the cache: tomorrow reads today's bars as its trailing session, so each
        // session is decoded once per run.
        const bars = await cache.get(symbol, session, () => reader.load(symbol, base, session.open, session.close, session.date));
        const past = await Promise.all(history.map((h) => cache.get(symbol, h, () => reader.load(symbol, base, h.open, h.close, h.date)).then((loaded) => ({ session: h, bars: loaded }), (error: unknown) => ({ session: h, error }))));
        const daily = dailySessions.length > 0 ? await cache.dailyBars(reader, symbol, dailySessions, [session, ...ahead]) : undefined;
        return { symbol, today: bars, past, daily };
      } catch (error) {
        if (strict || !(error instanceof DataError)) throw error;
        return { symbol, skip: { symbol, reason: error.message, ...(error.file ? { file: error.file } : {}) } as SkippedSymbol };
      }
    }),
  );

  for (const load of loads) {
    if ('skip' in load && load.skip) {
      skipped.push(load.skip);
      log.warn(`${session.date} ${load.symbol}: skipped (${load.skip.reason})`);
      continue;
    }
    if (!('today' in load)) continue;
    const { symbol, past, daily } = load;
    const bars = load.today;
    const entry = data.register(symbol, at);
    registered.push(symbol);
    today.set(symbol, bars);
    entry.addRejected(bars.rejected);
    entry.rejectedToday = bars.rejectedStarts;
    entry.reordered = bars.reordered;
    for (const [reason, n] of Object.entries(bars.rejected)) rejected[reason] = (rejected[reason] ?? 0) + n;
    queues.add(bars.bars, entry.series(plan.base.name));
    if (at > session.open) queues.skipUntil(symbol, at);
    barsIn += bars.bars.length;
    historyBars += fillHistory(plan, entry, past, data, cache);
    if (daily) fillDailyHistory(entry, dailySessions, daily.bars, data);
  }
  return { registered, skipped, barsIn, rejected, historyBars, today };
}

/**
 * One day's data for the configured symbols in a new SessionData (what Phase 2 loads before
 * any scan adds to it).
 *
 * @example
 * ```ts
 * const loaded = await loadSessionData(plan, session, reader, cache);
 * loaded.queues.drain(session.open + 60_000);
 * ```
 */
export async function loadSessionData(plan: RunPlan, session: Session, reader: BarLoader, cache: SessionBarsCache, symbols: readonly string[] = plan.config.symbols): Promise<LoadedSession> {
  const data = new SessionData(session, plan.intervals.map((i) => ({ name: i.name, ms: barMs(i, session) })));
  const queues = new BarQueues(barMs(plan.base, session), data.arena);
  const loaded = await loadSymbolsInto(plan, session, reader, cache, symbols, { data, queues });
  return { data, queues, skipped: loaded.skipped, barsIn: loaded.barsIn, rejected: loaded.rejected, historyBars: loaded.historyBars };
}

/**
 * Start loading what `symbol` needs and is not cached yet. When the store's files hold many
 * sessions (per-month/year layouts), the missing sessions and the next `readAhead` planned
 * ones are decoded together, one read per file (a read has a fixed cost of ~0.4 ms, about
 * what 1,000 rows cost); per-day files are loaded one by one.
 *
 * A background loader (decode threads) also refills the read-ahead before it runs out: once
 * half of the window is not loaded, all of it is requested in one read, which the threads
 * decode during the coming days' Phase 2 while the main thread assembles those days.
 */
function prefetch(reader: BarLoader, cache: SessionBarsCache, symbol: string, interval: string, needed: readonly Session[], ahead: readonly Session[]): void {
  const missing = needed.filter((s) => !cache.has(symbol, s));
  const missingAhead = ahead.filter((s) => !cache.has(symbol, s));
  if (missing.length > 0) request(reader, cache, symbol, interval, [...missing, ...missingAhead]);
  else if (reader.background === true && ahead.length > 0 && missingAhead.length >= Math.ceil(ahead.length / 2)) request(reader, cache, symbol, interval, missingAhead);
}

/** One read of several sessions of `symbol`, each cached as its own pending load. */
function request(reader: BarLoader, cache: SessionBarsCache, symbol: string, interval: string, batch: readonly Session[]): void {
  const all = reader.loadMany(symbol, interval, batch.map((s) => ({ from: s.open, to: s.close, date: s.date })));
  batch.forEach((s, i) => cache.set(symbol, s, all.then((results) => (results[i]!.ok ? results[i]!.loaded : Promise.reject(results[i]!.error)))));
}

/**
 * Memory the read-ahead of the configured symbols may hold. Decoded sessions cost ~19 KB
 * per symbol (390 1m bars × 6 columns × 8 bytes): 20 sessions of 5,000 symbols held 1.9 GB
 * (a 5,000 × 20 run peaked at 3.0 GB), so the number of sessions read ahead shrinks with
 * the number of symbols, down to one. At 500 symbols 128 MiB (14 sessions instead of 20)
 * ran as fast as 20 and peaked ~50 MB lower (917–944 against 981–990 MB, 500 × 250).
 */
export const READ_AHEAD_BYTES = 128 * 1024 * 1024;

/** `store.readAhead`, capped so that the read-ahead of every configured symbol fits in {@link READ_AHEAD_BYTES}. */
export function readAheadCount(plan: Pick<RunPlan, 'config' | 'base'>, session: Pick<Session, 'open' | 'close'>): number {
  const configured = plan.config.store.readAhead;
  if (configured === 0) return 0;
  const perSession = Math.max(1, plan.config.symbols.length) * Math.ceil((session.close - session.open) / plan.base.ms) * 6 * 8;
  return Math.max(1, Math.min(configured, Math.floor(READ_AHEAD_BYTES / perSession)));
}

/** Planned sessions after `session` to decode ahead (none for per-day layouts, where it cannot save a read). */
function readAheadSessions(plan: RunPlan, session: Session): Session[] {
  const count = readAheadCount(plan, session);
  if (count === 0 || layoutIsPerDay(plan.store.layout)) return [];
  const at = plan.sessions.findIndex((s) => s.date === session.date);
  return at < 0 ? [] : plan.sessions.slice(at + 1, at + 1 + count);
}

/** The trailing sessions of `session`, oldest first, strictly before it. */
export function historySessionsFor(plan: RunPlan, session: Session): Session[] {
  return trailingSessions(plan, session, plan.historySessions);
}

/** The `count` sessions before `session`, oldest first. */
export function trailingSessions(plan: RunPlan, session: Session, count: number): Session[] {
  if (count === 0) return [];
  const all = [...plan.leadingSessions, ...plan.sessions];
  const at = all.findIndex((s) => s.date === session.date);
  if (at >= count) return all.slice(at - count, at);
  // Before the planned leading sessions (a longer daily window, or a caller running one day
  // alone): walk the calendar.
  const out: Session[] = [];
  let cursor = session.date;
  for (let i = 0; i < count; i++) {
    const prev = plan.calendar.previousSession(cursor);
    out.unshift(prev);
    cursor = prev.date;
  }
  return out;
}

/** The daily history series (`1d`) of one symbol from cached daily bars, with its quality. */
function fillDailyHistory(entry: SymbolData, sessions: readonly Session[], bars: ReadonlyArray<DailyBar | null>, data: SessionData): void {
  const series = new BarSeries(entry.symbol, '1d', 0, sessions.length, entry.slot, data.arena);
  const starts: number[] = [];
  const dates: string[] = [];
  const missingSessions: string[] = [];
  bars.forEach((bar, i) => {
    if (!bar) {
      missingSessions.push(sessions[i]!.date);
      return;
    }
    starts.push(series.length);
    dates.push(bar.date);
    series.append(bar.start, sessions[i]!.close, bar.open, bar.high, bar.low, bar.close, bar.volume, false);
  });
  entry.history.set('1d', series);
  entry.historySessionStarts.set('1d', starts);
  entry.historySessionDates.set('1d', dates);
  entry.historyQuality.set('1d', { interval: '1d', sessions: sessions.length, expected: sessions.length, present: series.length, score: sessions.length === 0 ? 100 : (100 * series.length) / sessions.length, missingSessions });
}

/**
 * The trailing history of one symbol: a series per history interval (only the intervals the
 * config lists or an indicator needs: copying base bars nobody reads cost ~5% of Phase 2),
 * and the history's quality per interval, always including the base interval's.
 */
function fillHistory(plan: RunPlan, entry: SymbolData, past: ReadonlyArray<{ session: Session; bars?: LoadedBars; error?: unknown }>, data: SessionData, cache: SessionBarsCache): number {
  if (plan.historySessions === 0) return 0;
  const series = new Map<string, BarSeries>();
  const expected = new Map<string, number>();
  const missingSessions: string[] = [];
  for (const interval of plan.historyIntervals) {
    let windows = 0;
    for (const { session } of past) windows += Number.isFinite(interval.ms) ? Math.ceil((session.close - session.open) / interval.ms) : 1;
    expected.set(interval.name, windows);
    // Sized for every expected window, so loading history never grows a column.
    series.set(interval.name, new BarSeries(entry.symbol, interval.name, Number.isFinite(interval.ms) ? interval.ms : 0, windows, entry.slot, data.arena));
  }
  const starts = new Map<string, number[]>(plan.historyIntervals.map((i) => [i.name, []]));
  const dates: string[] = [];
  let baseBars = 0;
  for (const { session, bars, error } of past) {
    if (!bars || bars.bars.length === 0) {
      missingSessions.push(session.date);
      if (error && !(error instanceof DataError)) throw error;
      continue;
    }
    entry.addRejected(bars.rejected);
    baseBars += bars.bars.length;
    dates.push(session.date);
    for (const interval of plan.historyIntervals) {
      const target = series.get(interval.name)!;
      starts.get(interval.name)!.push(target.length);
      if (interval.name === plan.base.name) {
        target.appendColumns(bars.bars, 0, bars.bars.length);
        continue;
      }
      // The windows the session derived live when it was the day, else aggregated here.
      const kept = cache.windowsOf(entry.symbol, session, interval.ms);
      if (!kept) aggregateSessionWindows(bars.bars, 0, bars.bars.length, session, interval.ms, target);
      else target.appendWindows(kept);
    }
  }
  for (const interval of plan.historyIntervals) {
    const s = series.get(interval.name)!;
    entry.history.set(interval.name, s);
    entry.historySessionStarts.set(interval.name, starts.get(interval.name)!);
    const exp = expected.get(interval.name)!;
    entry.historyQuality.set(interval.name, { interval: interval.name, sessions: past.length, expected: exp, present: s.length, score: exp === 0 ? 100 : (100 * s.length) / exp, missingSessions });
  }
  for (const interval of plan.historyIntervals) entry.historySessionDates.set(interval.name, dates);
  if (!series.has(plan.base.name)) {
    // Quality of the base bars as loaded, without keeping them.
    let exp = 0;
    for (const { session } of past) exp += Math.ceil((session.close - session.open) / plan.base.ms);
    entry.historyQuality.set(plan.base.name, { interval: plan.base.name, sessions: past.length, expected: exp, present: baseBars, score: exp === 0 ? 100 : (100 * baseBars) / exp, missingSessions });
  }
  return baseBars;
}
