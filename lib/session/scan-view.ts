import { barMs } from '../calendar/interval.ts';
import type { Session } from '../calendar/types.ts';
import type { RunPlan } from '../config/plan-run.ts';
import { DataError, LifecycleError } from '../errors.ts';
import type { BarLoader } from '../store/threaded-bar-loader.ts';
import type { BarColumns, LoadedBars, OhlcvColumns } from '../store/types.ts';
import { dailyBarOf } from '../store/daily-bar-of.ts';
import { resolveLayoutFiles } from '../store/resolve-layout-files.ts';
import { existsSync } from 'node:fs';
import { trailingSessions, type SessionBarsCache } from './load-session-data.ts';
import type { SessionData } from './session-data.ts';

/** Bars a scan may see, as copies (never views into the day's buffers, which hold later bars). */
export interface ScanBars extends OhlcvColumns {
  /** `start + interval`: every one is `<= asOf`. */
  readonly end: Float64Array;
}

/** One earlier session's daily bar (from `1d` files, or derived from its base bars). */
export interface ScanDailyBar {
  readonly date: string;
  readonly open: number;
  readonly high: number;
  readonly low: number;
  readonly close: number;
  readonly volume: number;
}

/** What a scan is given, built by the day for one scan instant. */
export interface ScanViewOptions {
  readonly plan: RunPlan;
  readonly session: Session;
  readonly data: SessionData;
  readonly source: BarLoader;
  /** The run's cache: what the day already loaded (its symbols' today and history) is read from it. */
  readonly cache: SessionBarsCache;
  /** The day's own cache for everything else a scan reads; it goes with the day. */
  readonly dayCache: SessionBarsCache;
  /** The scan's one as-of time: the open for a pre-session scan, the tick T otherwise. */
  readonly asOf: number;
  readonly pre: boolean;
  readonly universe: readonly string[];
  /** Symbols strategies see now. */
  readonly active: readonly string[];
}

/**
 * Everything a scan may read, with ONE as-of time, checked in one place (the private `clip`): a
 * pre-session scan sees only data strictly before the open (earlier sessions' daily and
 * intraday bars); a scan at T sees today's bars with `end <= T` and nothing later. Universe
 * symbols are loaded on demand and cached for the day, so memory follows what scans read,
 * not the size of the universe; results are copies, so a scan cannot reach the rest of the
 * day through a buffer.
 *
 * @example
 * ```ts
 * const bars = await view.today('AAPL'); // bars with end <= view.asOf (none before the open)
 * const [yesterday] = await view.daily('AAPL', 1);
 * ```
 */
export class ScanView {
  readonly asOf: number;
  /** True for a pre-session scan (Phase 2). */
  readonly pre: boolean;
  readonly session: Session;
  /** The symbols this scan chooses from. */
  readonly universe: readonly string[];
  /** The day's symbols strategies see now. */
  readonly active: readonly string[];
  /** The day's SessionData (read it; scans change the day only through their result). */
  readonly data: SessionData;
  /** Universe symbols the store had no data for, with the reason (for the scan's report). */
  readonly unavailable = new Map<string, string>();
  private readonly plan: RunPlan;
  private readonly source: BarLoader;
  private readonly cache: SessionBarsCache;
  private readonly dayCache: SessionBarsCache;
  private closed = false;

  constructor(options: ScanViewOptions) {
    this.plan = options.plan;
    this.session = options.session;
    this.data = options.data;
    this.source = options.source;
    this.cache = options.cache;
    this.dayCache = options.dayCache;
    this.asOf = options.asOf;
    this.pre = options.pre;
    this.universe = options.universe;
    this.active = options.active;
  }

  /** The base interval's length in ms. */
  get baseMs(): number {
    return barMs(this.plan.base, this.session);
  }

  /**
   * Today's base bars of `symbol` with `end <= asOf` (none before the open), or undefined
   * when the store has none for today (the reason is kept in {@link unavailable}).
   */
  async today(symbol: string): Promise<ScanBars | undefined> {
    this.assertOpen();
    if (this.pre) return emptyBars();
    const s = this.session;
    try {
      const loaded = await this.bars(symbol, s);
      return this.clip(loaded.bars);
    } catch (error) {
      if (!(error instanceof DataError)) throw error;
      this.unavailable.set(symbol, error.message);
      return undefined;
    }
  }

  /** {@link today} for many symbols at once (loads run in parallel); symbols without data are left out. */
  async todayMany(symbols: readonly string[]): Promise<Map<string, ScanBars>> {
    const all = await Promise.all(symbols.map(async (symbol) => [symbol, await this.today(symbol)] as const));
    const out = new Map<string, ScanBars>();
    for (const [symbol, bars] of all) if (bars !== undefined) out.set(symbol, bars);
    return out;
  }

  /**
   * The daily bars of the `count` sessions before today, oldest first (sessions without data
   * are left out, so fewer may come back).
   */
  async daily(symbol: string, count: number): Promise<ScanDailyBar[]> {
    this.assertOpen();
    const sessions = trailingSessions(this.plan, this.session, count);
    if (!this.hasDailyFiles(symbol, sessions)) return this.derivedDaily(symbol, sessions);
    let found;
    try {
      found = await this.dayCache.dailyBars(this.source, symbol, sessions);
    } catch (error) {
      if (!(error instanceof DataError)) throw error;
      this.unavailable.set(symbol, error.message);
      return [];
    }
    // No bar in any of the sessions (a symbol the store does not hold): unavailable, like today().
    if (sessions.length > 0 && found.bars.every((b) => b === null)) this.unavailable.set(symbol, found.missing[0]?.reason ?? `no daily bars for the ${sessions.length} sessions before ${this.session.date}`);
    const out: ScanDailyBar[] = [];
    for (const bar of found.bars) {
      if (bar === null) continue;
      // Daily bars are of earlier sessions by construction; the as-of rule is checked anyway.
      if (bar.start >= this.session.open) throw this.lookAhead(symbol, bar.start);
      out.push({ date: bar.date, open: bar.open, high: bar.high, low: bar.low, close: bar.close, volume: bar.volume });
    }
    return out;
  }

  /** The base bars of each of the `count` sessions before today, oldest first (a session without data comes back empty). */
  async previousSessions(symbol: string, count: number): Promise<Array<{ session: Session; bars: ScanBars }>> {
    this.assertOpen();
    const sessions = trailingSessions(this.plan, this.session, count);
    this.request(symbol, sessions);
    return Promise.all(
      sessions.map(async (session) => {
        try {
          const loaded = await this.bars(symbol, session);
          return { session, bars: copyBars(loaded.bars, loaded.bars.length, barMs(this.plan.base, session), (start) => this.assertBefore(symbol, start)) };
        } catch (error) {
          if (!(error instanceof DataError)) throw error;
          return { session, bars: emptyBars() };
        }
      }),
    );
  }

  /**
   * Daily bars derived from each session's base bars (open of the first, highest high, lowest
   * low, close of the last, summed volume: the store's own rule for sessions without `1d`
   * files), read through the run's data source — the decode threads, one read per file for
   * all the sessions — instead of deriving on the main thread.
   */
  private async derivedDaily(symbol: string, sessions: readonly Session[]): Promise<ScanDailyBar[]> {
    this.request(symbol, sessions);
    const out: ScanDailyBar[] = [];
    let reason: string | undefined;
    for (const session of sessions) {
      let bars: BarColumns;
      try {
        bars = (await this.bars(symbol, session)).bars;
      } catch (error) {
        if (!(error instanceof DataError)) throw error;
        reason ??= error.message;
        continue;
      }
      const day = dailyBarOf(bars);
      if (day === undefined) continue;
      // Bars are in start order: the last one is the latest this daily bar saw.
      this.assertBefore(symbol, bars.start[bars.length - 1]!);
      out.push({ date: session.date, ...day });
    }
    if (sessions.length > 0 && out.length === 0) this.unavailable.set(symbol, reason ?? `no bars in the ${sessions.length} sessions before ${this.session.date}`);
    return out;
  }

  /** Whether the store keeps `1d` files for `symbol` (then they are read, as the engine's daily history does). */
  private hasDailyFiles(symbol: string, sessions: readonly Session[]): boolean {
    const store = this.plan.store;
    const last = sessions.at(-1);
    if (last === undefined) return false;
    const layout = store.layouts?.['1d'] ?? (store.layout.includes('{interval}') ? store.layout : undefined);
    if (layout === undefined) return false;
    try {
      return resolveLayoutFiles({ root: store.root, layout }, { symbol, interval: '1d', date: last.date }).files.some((f) => existsSync(f));
    } catch {
      return false;
    }
  }

  /** Start loading the sessions of `symbol` not cached yet, in one read (files holding many sessions are read once). */
  private request(symbol: string, sessions: readonly Session[]): void {
    const missing = sessions.filter((s) => !this.cache.has(symbol, s) && !this.dayCache.has(symbol, s));
    if (missing.length < 2) return;
    const all = this.source.loadMany(symbol, this.plan.base.name, missing.map((s) => ({ from: s.open, to: s.close, date: s.date })));
    missing.forEach((s, i) => this.dayCache.set(symbol, s, all.then((results) => (results[i]!.ok ? results[i]!.loaded : Promise.reject(results[i]!.error)))));
  }

  /**
   * A session's base bars of `symbol`: from the run's cache when the day loaded them (its own
   * symbols), else through the day's cache, so universe data a scan reads is kept for the
   * day's other scans and released with the day: memory follows what scans read.
   */
  private bars(symbol: string, session: Session): Promise<LoadedBars> {
    const load = (): Promise<LoadedBars> => this.source.load(symbol, this.plan.base.name, session.open, session.close, session.date);
    return this.cache.has(symbol, session) ? this.cache.get(symbol, session, load) : this.dayCache.get(symbol, session, load);
  }

  /** The view is only valid during its scan: a scanner that keeps it gets a LifecycleError later. */
  close(): void {
    this.closed = true;
  }

  /** Today's bars up to the as-of time: the one place the rule `end <= asOf` is applied. */
  private clip(bars: BarColumns): ScanBars {
    const base = this.baseMs;
    let n = 0;
    while (n < bars.length && bars.start[n]! + base <= this.asOf) n++;
    return copyBars(bars, n, base, (start) => {
      if (start + base > this.asOf) throw this.lookAhead('', start);
    });
  }

  private assertBefore(symbol: string, start: number): void {
    if (start >= this.session.open) throw this.lookAhead(symbol, start);
  }

  private lookAhead(symbol: string, start: number): LifecycleError {
    return new LifecycleError(`look-ahead: a scan as of ${new Date(this.asOf).toISOString()} was about to see ${symbol ? `${symbol}'s ` : 'a '}bar starting ${new Date(start).toISOString()}`, { phase: this.pre ? 'init' : 'active', date: this.session.date, ...(symbol ? { symbol } : {}) });
  }

  private assertOpen(): void {
    if (this.closed) throw new LifecycleError(`${this.session.date}: a scan view as of ${new Date(this.asOf).toISOString()} used after its scan ended`, { phase: 'active', date: this.session.date });
  }
}

function emptyBars(): ScanBars {
  const none = new Float64Array(0);
  return { length: 0, start: none, end: none, open: none, high: none, low: none, close: none, volume: none };
}

function copyBars(bars: BarColumns, n: number, baseMs: number, check: (start: number) => void): ScanBars {
  const start = bars.start.slice(0, n);
  const end = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    check(start[i]!);
    end[i] = start[i]! + baseMs;
  }
  return { length: n, start, end, open: bars.open.slice(0, n), high: bars.high.slice(0, n), low: bars.low.slice(0, n), close: bars.close.slice(0, n), volume: bars.volume.slice(0, n) };
}
