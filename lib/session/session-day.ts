import { barMs } from '../calendar/interval.ts';
import { Subscription } from 'rxjs';
import type { Session } from '../calendar/types.ts';
import { sessionTicks } from '../clock/session-ticks.ts';
import type { RunPlan } from '../config/plan-run.ts';
import { LifecycleError } from '../errors.ts';
import { log } from '../log.ts';
import type { BarLoader } from '../store/threaded-bar-loader.ts';
import { BarQueues } from './bar-queue.ts';
import type { DayOperations, SymbolAddition, SymbolDrop, SymbolRequest } from './component.ts';
import { historySessionsFor, loadSymbolsInto, SessionBarsCache, type SkippedSymbol } from './load-session-data.ts';
import type { RunMemory } from './run-memory.ts';
import { ScanView } from './scan-view.ts';
import { SessionData } from './session-data.ts';
import type { TickBars } from './tick-bars.ts';
import type { TimeSlice } from './time-slice.ts';

/**
 * Where a day is in its life (DESIGN §2, §7). `'new'` → `'init'` (Phase 2: load, warm, set
 * up, pre-session scans) → `'active'` (Phase 3: the clock runs) → `'end'` (Phase 4: the day
 * is finished and intact) → `'torn-down'` (Phase 1 of the next day, a failure, an interrupt,
 * or the result's `dispose()`).
 */
export type DayPhase = 'new' | 'init' | 'active' | 'end' | 'torn-down';

/** The only moves a day can make; anything else is a LifecycleError naming both phases. */
const TRANSITIONS: Readonly<Record<DayPhase, readonly DayPhase[]>> = {
  new: ['init', 'torn-down'],
  init: ['active', 'torn-down'],
  active: ['end', 'torn-down'],
  end: ['torn-down'],
  'torn-down': [],
};

/** Which operations each phase allows (the rest is a LifecycleError naming the phase). */
const ALLOWED: Readonly<Record<string, readonly DayPhase[]>> = {
  load: ['init'],
  addSymbol: ['init', 'active'],
  dropSymbol: ['init', 'active'],
  activate: ['init'],
  drain: ['active'],
  slice: ['init', 'active'],
  scan: ['init', 'active'],
};

/** What a day is built from: the plan, its session, and the run's data source and cache. */
export interface SessionDayOptions {
  readonly plan: RunPlan;
  readonly session: Session;
  /** 0-based index of the day in the run. */
  readonly index: number;
  readonly isLastSession: boolean;
  readonly source: BarLoader;
  readonly cache: SessionBarsCache;
  /** `'data'`: ticks where something happens; `'clock'`: every base interval. */
  readonly mode: 'data' | 'clock';
  /**
   * The run's memory: the day's storage comes from it and goes back to it at teardown, so
   * the days of a run recycle each other's memory. Without it the day has its own.
   */
  readonly memory?: RunMemory;
}

/** One catch-up of a symbol that joined while the clock ran. */
interface Catchup {
  readonly symbol: string;
  /** Replays its bars: its own queue, drained at each catch-up instant. */
  readonly queues: BarQueues;
  /** The instants to replay, ascending, all `<= at`. */
  readonly times: Float64Array;
  /** Next instant to replay; -1 before the bar-less warm slice. */
  next: number;
}

/**
 * One trading day as an object (DESIGN §7): it owns the session, its SessionData, the bar
 * queues, the ticks and the day's scope, and reads through the run's data source and cache.
 * The session loop drives it through its phases; scans add and drop symbols through
 * {@link addSymbol} and {@link dropSymbol} while it runs.
 *
 * @example
 * ```ts
 * const day = new SessionDay({ plan, session, index: 0, isLastSession: true, source, cache, mode: 'data' });
 * day.begin();
 * await day.load(plan.config.symbols);
 * day.activate([]);
 * const closed = day.drain(session.open + 60_000);
 * day.end();
 * day.close();
 * ```
 */
export class SessionDay implements DayOperations {
  readonly session: Session;
  readonly plan: RunPlan;
  readonly index: number;
  readonly isLastSession: boolean;
  readonly data: SessionData;
  /** The day's SessionScope: released at the start of the next day (or on failure / dispose). */
  readonly scope = new Subscription();
  /** Symbols left out, with the reason (no data today). */
  readonly skipped: SkippedSymbol[] = [];
  readonly rejected: Record<string, number> = {};
  readonly additions: SymbolAddition[] = [];
  readonly drops: SymbolDrop[] = [];
  barsIn = 0;
  historyBars = 0;

  private phaseValue: DayPhase = 'new';
  private readonly queues: BarQueues;
  private readonly source: BarLoader;
  private readonly cache: SessionBarsCache;
  private readonly mode: 'data' | 'clock';
  private tickTimes: Float64Array = new Float64Array(0);
  /** Index of the tick being processed (-1 before the first). */
  private tickIndex = -1;
  private nowValue: number;
  private readonly catchups: Catchup[] = [];
  /** What scans read of symbols the day does not hold (universe data): kept for the day's scans, released with it. */
  private readonly scanCache = new SessionBarsCache();
  /** Symbols being loaded by an addition in flight (a second request for one is a no-op). */
  private readonly adding = new Set<string>();
  /** Symbols caught up since the last tick: listed in the next tick's `added`. */
  private joined: string[] = [];
  /** Teardowns of the day's components, run in reverse order before the data is cleared. */
  private readonly teardowns: Array<() => void> = [];

  /** Length of a base bar today (a daily stream's bar lasts the session). */
  private readonly baseMs: number;

  constructor(options: SessionDayOptions) {
    this.plan = options.plan;
    this.session = options.session;
    this.index = options.index;
    this.isLastSession = options.isLastSession;
    this.source = options.source;
    this.cache = options.cache;
    this.mode = options.mode;
    // A daily stream ("1d") is one bar per session: as long as this session.
    this.baseMs = barMs(this.plan.base, this.session);
    this.data = new SessionData(this.session, this.plan.intervals.map((i) => ({ name: i.name, ms: barMs(i, this.session) })), options.memory);
    this.queues = new BarQueues(this.baseMs, this.data.arena);
    this.nowValue = this.session.open;
  }

  /** The day's phase. */
  get phase(): DayPhase {
    return this.phaseValue;
  }

  /** The instant the day is at: the open in Phase 2, the tick being processed in Phase 3. */
  get now(): number {
    return this.nowValue;
  }

  /** The day's tick instants (read by the clock before every tick: insertions may add some). */
  get ticks(): Float64Array {
    return this.tickTimes;
  }

  /** Phase 2 starts. */
  begin(): void {
    this.moveTo('init');
  }

  /** Load `symbols` into the day at the open (Phase 2): registered, history, today's queues. */
  async load(symbols: readonly string[]): Promise<void> {
    this.assertAllowed('load');
    const loaded = await loadSymbolsInto(this.plan, this.session, this.source, this.cache, symbols, { data: this.data, queues: this.queues });
    // Torn down while loading (interrupted): what was loaded went with the day.
    if (this.phaseValue === 'torn-down') return;
    this.count(loaded);
    this.skipped.push(...loaded.skipped);
  }

  async addSymbol(symbol: string, request: SymbolRequest = {}): Promise<SymbolAddition> {
    const [addition] = await this.addSymbols([{ symbol, ...request }]);
    return addition!;
  }

  /**
   * Add several symbols at once: their data is loaded in parallel, but they are registered,
   * caught up and recorded in the order given, so a run gives the same result whatever order
   * the loads finish in (decode threads or not). A symbol listed twice, already present or
   * being added by an earlier call is a no-op (`'present'`).
   */
  async addSymbols(requests: ReadonlyArray<SymbolRequest & { readonly symbol: string }>): Promise<SymbolAddition[]> {
    this.assertAllowed('addSymbol');
    const time = this.nowValue;
    const live = this.phaseValue === 'active';
    const outcome: Array<SymbolAddition | undefined> = new Array(requests.length).fill(undefined);
    const fresh: number[] = [];
    const claimed = new Set<string>();
    requests.forEach((request, i) => {
      const { symbol } = request;
      const entry = this.data.get(symbol);
      if (entry || claimed.has(symbol) || this.adding.has(symbol) || this.catchups.some((c) => c.symbol === symbol)) {
        // Already in the day (or on its way): a no-op, except that a dropped symbol becomes active again.
        if (entry) this.data.setDropped(symbol, Number.NaN);
        outcome[i] = { ...this.describe(request, time), status: 'present' };
        return;
      }
      claimed.add(symbol);
      fresh.push(i);
    });
    const symbols = fresh.map((i) => requests[i]!.symbol);
    for (const symbol of symbols) {
      this.adding.add(symbol);
      // What a scan already read of it (today, earlier sessions) is not decoded twice.
      for (const session of [...historySessionsFor(this.plan, this.session), this.session]) {
        if (!this.cache.has(symbol, session) && this.scanCache.has(symbol, session)) this.cache.set(symbol, session, this.scanCache.get(symbol, session, () => Promise.reject(new Error('unreachable'))));
      }
    }
    let loaded;
    try {
      loaded = symbols.length === 0 ? undefined : await loadSymbolsInto(this.plan, this.session, this.source, this.cache, symbols, { data: this.data, queues: this.queues }, { at: live ? time : this.session.open, strict: false, planned: false, readAhead: false });
    } finally {
      for (const symbol of symbols) this.adding.delete(symbol);
    }
    this.assertAllowed('addSymbol');
    if (loaded) this.count(loaded);
    for (const i of fresh) {
      const request = requests[i]!;
      const { symbol } = request;
      const bars = loaded?.today.get(symbol);
      if (bars === undefined) {
        const detail = loaded?.skipped.find((k) => k.symbol === symbol)?.reason ?? 'no data';
        log.warn(`${this.session.date} ${symbol}: not added by ${request.by ?? 'code'} (${detail})`);
        outcome[i] = { ...this.describe(request, time), status: 'unavailable', detail };
        continue;
      }
      // Caught up before the next tick: a bar-less slice warms its stages on the history, then
      // its bars with end <= T are replayed at their own instants (on a queue of its own, so the
      // live queues never hold them); in Phase 2 only the warm slice is needed.
      const queues = new BarQueues(this.baseMs, this.data.arena);
      queues.add(bars.bars, this.data.series(symbol, this.plan.base.name));
      const times = live ? this.catchupTimes(queues, time) : new Float64Array(0);
      if (live) this.extendTicks(queues, time);
      this.catchups.push({ symbol, queues, times, next: -1 });
      outcome[i] = { ...this.describe(request, time), status: 'added' };
    }
    const additions = outcome as SymbolAddition[];
    this.additions.push(...additions);
    return additions;
  }

  private describe(request: SymbolRequest & { readonly symbol: string }, time: number): Omit<SymbolAddition, 'status'> {
    return { symbol: request.symbol, time, by: request.by ?? 'code', ...(request.score === undefined ? {} : { score: request.score }), ...(request.reason === undefined ? {} : { reason: request.reason }) };
  }

  dropSymbol(symbol: string, request: SymbolRequest = {}): SymbolDrop {
    this.assertAllowed('dropSymbol');
    const entry = this.data.get(symbol);
    const active = entry !== undefined && Number.isNaN(entry.droppedAt);
    if (entry && active) this.data.setDropped(symbol, this.nowValue);
    const drop: SymbolDrop = { symbol, time: this.nowValue, by: request.by ?? 'code', ...(request.reason === undefined ? {} : { reason: request.reason }), status: active ? 'dropped' : 'absent' };
    this.drops.push(drop);
    return drop;
  }

  scanView(universe: readonly string[]): ScanView {
    this.assertAllowed('scan');
    const pre = this.phaseValue === 'init';
    return new ScanView({ plan: this.plan, session: this.session, data: this.data, source: this.source, cache: this.cache, dayCache: this.scanCache, asOf: pre ? this.session.open : this.nowValue, pre, universe, active: this.activeSymbols() });
  }

  isActive(symbol: string): boolean {
    return this.data.isActive(symbol);
  }

  activeSymbols(): string[] {
    return this.data.symbols().filter((s) => this.data.isActive(s));
  }

  /** Phase 3 starts: the ticks are fixed from today's queues plus `timers` (scheduled scans). */
  activate(timers: readonly number[]): void {
    this.assertAllowed('activate');
    this.tickTimes = sessionTicks(this.session, {
      mode: this.mode,
      baseMs: this.baseMs,
      windowMs: this.plan.derived.map((i) => i.ms),
      barEnds: [this.queues.ends()],
      timers,
    });
    this.moveTo('active');
  }

  /** Every queued base bar with `end <= time`, appended to SessionData (ordered by end, then symbol). */
  drain(time: number): TickBars {
    this.assertAllowed('drain');
    return this.queues.drain(time);
  }

  /** The slice of tick `index` (Phase 3): drains the queues up to its instant. */
  tickSlice(time: number, index: number): TimeSlice {
    const closed = new Map<string, TickBars>();
    closed.set(this.plan.base.name, this.drain(time));
    this.tickIndex = index;
    this.nowValue = time;
    const added = this.joined;
    if (added.length > 0) this.joined = [];
    return { kind: 'tick', time, index, session: this.session, data: this.data, closed, isClose: time >= this.session.close, signals: [], added };
  }

  /** A Phase 2 slice at the open: `'warmup'` (every symbol in `added`) or `'pre'`. */
  openSlice(kind: 'warmup' | 'pre'): TimeSlice {
    this.assertAllowed('slice');
    return { kind, time: this.session.open, index: -1, session: this.session, data: this.data, closed: new Map(), isClose: false, signals: [], added: kind === 'warmup' ? this.data.symbols() : [] };
  }

  /**
   * The next catch-up slice of a joining symbol, or undefined when none is pending: first a
   * bar-less one at the open (its stages warm on the history), then one per instant up to the
   * join time with its bars that ended by then.
   */
  nextCatchupSlice(): TimeSlice | undefined {
    const c = this.catchups[0];
    if (c === undefined) return undefined;
    this.assertAllowed('slice');
    const at = c.next;
    if (at + 1 >= c.times.length) {
      this.catchups.shift();
      if (this.phaseValue === 'active') this.joined.push(c.symbol);
    } else c.next = at + 1;
    const time = at < 0 ? this.session.open : c.times[at]!;
    const closed = new Map<string, TickBars>();
    if (at >= 0) closed.set(this.plan.base.name, c.queues.drain(time));
    return { kind: 'replay', time, index: this.tickIndex + 1, session: this.session, data: this.data, closed, isClose: false, signals: [], added: [c.symbol] };
  }

  /** Whether symbols are waiting to be caught up. */
  get catchingUp(): boolean {
    return this.catchups.length > 0;
  }

  /** Phase 4: the day is finished; its data stays intact until {@link close}. */
  /**
   * The day is complete. `derivedBySessionflow`: the intervals sessionflow's own `deriveBars`
   * stage derived live today (a trusted `bars` component); their windows are kept as the
   * next days' trailing history (see keepHistoryWindows).
   */
  end(derivedBySessionflow: ReadonlySet<string> = new Set()): void {
    this.moveTo('end');
    this.keepHistoryWindows(derivedBySessionflow);
  }

  /**
   * Keep each symbol's live derived windows of the history intervals (a copy; SessionData is
   * cleared at teardown) for the next days' trailing history, so the session is not
   * aggregated again from its base bars (~9 % of a 500-symbol run's main thread). Only
   * windows sessionflow's own stage derived (a user's stage may derive differently, or none
   * may run), and only for symbols in the day from the open to the close (one a scan added
   * or dropped has an incomplete session).
   */
  private keepHistoryWindows(derived: ReadonlySet<string>): void {
    const { plan, session } = this;
    if (plan.historySessions === 0 || derived.size === 0) return;
    const intervals = plan.historyIntervals.filter((i) => i.name !== plan.base.name && derived.has(i.name) && Number.isFinite(i.ms));
    if (intervals.length === 0) return;
    const dropped = new Set(this.drops.filter((d) => d.status === 'dropped').map((d) => d.symbol));
    for (const symbol of this.data.symbols()) {
      const entry = this.data.get(symbol)!;
      if (entry.addedAt !== session.open || dropped.has(symbol)) continue;
      for (const interval of intervals) {
        this.cache.keepWindows(symbol, session, interval.ms, entry.series(interval.name).packWindows());
      }
    }
  }

  /** Run `teardown` when the day is torn down: teardowns run in reverse order of adding, before SessionData is cleared. */
  addTeardown(teardown: () => void): void {
    if (this.phaseValue === 'torn-down') {
      teardown();
      return;
    }
    this.teardowns.push(teardown);
  }

  /**
   * Tear the day down (idempotent): the scope is released (the pipeline stops), the
   * components' teardowns run in reverse order, then queues and SessionData are cleared.
   * Errors of teardowns are collected and rethrown together after everything ran.
   */
  close(): void {
    if (this.phaseValue === 'torn-down') return;
    this.phaseValue = 'torn-down';
    const errors: unknown[] = [];
    try {
      this.scope.unsubscribe();
    } catch (error) {
      errors.push(error);
    }
    for (let i = this.teardowns.length - 1; i >= 0; i--) {
      try {
        this.teardowns[i]!();
      } catch (error) {
        errors.push(error);
      }
    }
    this.teardowns.length = 0;
    this.catchups.length = 0;
    this.scanCache.clear();
    this.queues.clear();
    this.data.clear();
    if (errors.length === 1) throw errors[0];
    if (errors.length > 1) throw new AggregateError(errors, `${this.session.date}: ${errors.length} teardowns failed`);
  }

  private count(loaded: { barsIn: number; historyBars: number; rejected: Record<string, number> }): void {
    this.barsIn += loaded.barsIn;
    this.historyBars += loaded.historyBars;
    for (const [reason, n] of Object.entries(loaded.rejected)) this.rejected[reason] = (this.rejected[reason] ?? 0) + n;
  }

  /**
   * The instants at which a joining symbol is caught up: the ticks the day has processed so
   * far plus its own bar ends, up to `at`, so derived windows close at the same instants as
   * they would have for a symbol present from the open.
   */
  private catchupTimes(queues: BarQueues, at: number): Float64Array {
    const own = queues.ends();
    const past = this.tickTimes.subarray(0, this.tickIndex + 1);
    const all = sessionTicks(this.session, { mode: 'data', baseMs: this.baseMs, windowMs: this.plan.derived.map((i) => i.ms), barEnds: [own, past] });
    let n = 0;
    while (n < all.length && all[n]! <= at) n++;
    return all.subarray(0, n);
  }

  /** A joining symbol's later bar ends become ticks too (data-driven), so its bars are not seen late. */
  private extendTicks(queues: BarQueues, at: number): void {
    if (this.mode === 'clock') return;
    const done = this.tickTimes.subarray(0, this.tickIndex + 1);
    const pending = this.tickTimes.subarray(this.tickIndex + 1);
    const own = queues.ends().filter((t) => t > at && t <= this.session.close);
    if (own.every((t) => pending.includes(t))) return;
    const merged = Float64Array.from(new Set([...pending, ...own])).sort();
    const next = new Float64Array(done.length + merged.length);
    next.set(done);
    next.set(merged, done.length);
    this.tickTimes = next;
  }

  private moveTo(next: DayPhase): void {
    if (!TRANSITIONS[this.phaseValue].includes(next)) {
      throw new LifecycleError(`${this.session.date}: a day in phase ${this.phaseValue} cannot move to phase ${next} (allowed: ${TRANSITIONS[this.phaseValue].join(', ') || 'none'})`, { phase: this.phaseValue, date: this.session.date });
    }
    this.phaseValue = next;
  }

  private assertAllowed(operation: keyof typeof ALLOWED): void {
    const allowed = ALLOWED[operation]!;
    if (allowed.includes(this.phaseValue)) return;
    throw new LifecycleError(`${this.session.date}: ${operation}() in phase ${this.phaseValue} (allowed in ${allowed.join(', ')})`, { phase: this.phaseValue, date: this.session.date });
  }
}
