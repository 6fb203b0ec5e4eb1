import { arquero } from './arquero.ts';
import type { DataTable } from './data-table.ts';
import type { Session } from '../calendar/types.ts';
import { DataError, LifecycleError } from '../errors.ts';
import { BAR_COLUMNS, BarSeries, ColumnArena } from './bar-series.ts';
import type { RunMemory } from './run-memory.ts';
import { anchorShape } from '../shape-anchor.ts';

const NO_STARTS = new Float64Array(0);

/** Quality of one symbol at one interval so far in the session (DESIGN §1, issue "Quality"). */
export interface IntervalQuality {
  readonly interval: string;
  /** Windows whose end the clock has reached. */
  readonly expected: number;
  /** Bars present among them. */
  readonly present: number;
  /**
   * Rows rejected by the bar rules whose bar would have ended by now (base interval only;
   * 0 for derived intervals, whose windows are built from the kept base bars).
   */
  readonly rejected: number;
  /** qualityScore(present, expected, rejected): 100 only with every window present and no row rejected. */
  readonly score: number;
  /** Missing windows as `[start, end)` pairs, in order. */
  readonly gaps: Array<[number, number]>;
}

/** Quality of the trailing history loaded for a symbol. */
export interface HistoryQuality {
  readonly interval: string;
  readonly sessions: number;
  readonly expected: number;
  readonly present: number;
  readonly score: number;
  /** Trailing sessions with no data at all. */
  readonly missingSessions: readonly string[];
}

/**
 * Everything the session knows about one symbol: today's series per interval, the trailing
 * history per interval (sessions strictly before today), rows rejected while loading, and
 * quality.
 */
export class SymbolData {
  readonly symbol: string;
  /** Today's bars per interval (base and derived). */
  readonly bars = new Map<string, BarSeries>();
  /** Trailing history per interval, oldest first; never contains today's bars. */
  readonly history = new Map<string, BarSeries>();
  /** Rows dropped while loading today's and the history's data, by reason. */
  readonly rejected: Record<string, number> = {};
  /**
   * Starts of today's rejected base rows, ascending: quality counts each once the clock
   * passes its bar's end, so a bad row late in the day does not lower the score at 10:00.
   */
  rejectedToday: Float64Array = NO_STARTS;
  /** Today's base rows that arrived out of order in their file (sorted when read). */
  reordered = 0;
  /** Quality per interval, maintained during the session by the quality operator. */
  readonly quality = new Map<string, IntervalQuality>();
  /** Quality of the history per interval. */
  readonly historyQuality = new Map<string, HistoryQuality>();
  /**
   * Per history interval, the row where each past session's bars begin (ascending), so
   * session-anchored indicators (VWAP, TWAP) can restart at every session of the warm-up.
   */
  readonly historySessionStarts = new Map<string, readonly number[]>();
  /** Per history interval, the trading date of each session in `historySessionStarts` (same order). */
  readonly historySessionDates = new Map<string, readonly string[]>();
  /**
   * Session-level values computed in Phase 2 from sessions strictly before today (average
   * volume, daily ATR, pivots, …), by column name; constant for the whole session.
   */
  readonly sessionValues = new Map<string, number>();
  /** When the symbol joined the session (the open for configured symbols, the scan's instant for later ones). */
  readonly addedAt: number;
  /**
   * When a scan dropped it (NaN while active). A dropped symbol's bars keep arriving, so its
   * data stays complete for analysis, but strategies no longer see it.
   */
  droppedAt = Number.NaN;
  /** Registration index within the session: operators key per-symbol state by it (arrays, not maps). */
  readonly slot: number;

  constructor(symbol: string, addedAt: number, slot = 0) {
    this.symbol = symbol;
    this.addedAt = addedAt;
    this.slot = slot;
  }

  /** Today's series at `interval`; throws a DataError naming the symbol when not registered. */
  series(interval: string): BarSeries {
    const s = this.bars.get(interval);
    if (!s) throw new DataError(`${this.symbol} has no ${interval} series in this session (streams: ${[...this.bars.keys()].join(', ')})`, { symbol: this.symbol });
    return s;
  }

  /**
   * The latest value of column `name` at `interval` (an indicator, or a bar field such as
   * `close`): today's last bar once there is one, else the last bar of the trailing history,
   * which is where Phase 2 left the warmed indicators. NaN when there is neither.
   *
   * @example
   * ```ts
   * data.get('SPY')!.latest('5m', 'ema_9'); // in setup(), a pre-session scan or a strategy
   * ```
   */
  latest(interval: string, name: string): number {
    const today = this.bars.get(interval);
    if (today !== undefined && today.length > 0) return today.hasColumn(name) || isBarColumn(name) ? today.column(name)[today.length - 1]! : Number.NaN;
    const past = this.history.get(interval);
    if (past !== undefined && past.length > 0) return past.hasColumn(name) || isBarColumn(name) ? past.column(name)[past.length - 1]! : Number.NaN;
    return Number.NaN;
  }

  /** Count rejected rows by reason. */
  addRejected(counts: Readonly<Record<string, number>>): void {
    for (const [reason, n] of Object.entries(counts)) if (n > 0) this.rejected[reason] = (this.rejected[reason] ?? 0) + n;
  }
}

/**
 * The data of one trading day, columnar per symbol and interval. Cleared at the start of
 * the next day (Phase 1), never at the close, so the finished day stays inspectable.
 *
 * @example
 * ```ts
 * const data = new SessionData(session, [{ name: '1m', ms: 60_000 }, { name: '5m', ms: 300_000 }]);
 * data.register('SPY');
 * data.series('SPY', '5m').length;
 * ```
 */
export class SessionData {
  readonly session: Session;
  /** Intervals of the session, base first. */
  readonly intervals: ReadonlyArray<{ readonly name: string; readonly ms: number }>;
  /**
   * The day's storage: its series (today's and history) and the buffers behind its tick
   * views. Taken from the run's memory and given back, detached, when the day is cleared.
   */
  readonly arena: ColumnArena;
  private readonly bySymbol = new Map<string, SymbolData>();
  /** Symbols dropped now (see setDropped). */
  private dropped = 0;
  private cleared = false;

  /** `memory`: the run's (see RunMemory); without it the day has a memory of its own. */
  constructor(session: Session, intervals: ReadonlyArray<{ readonly name: string; readonly ms: number }>, memory?: RunMemory) {
    this.session = session;
    this.intervals = intervals;
    this.arena = new ColumnArena(memory);
  }

  /** The run's memory this day's storage comes from and goes back to. */
  get memory(): RunMemory {
    return this.arena.memory;
  }

  /** The base interval (the smallest stream). */
  get baseInterval(): string {
    return this.intervals[0]!.name;
  }

  /** Whether {@link clear} has run (the day was torn down). */
  get isCleared(): boolean {
    return this.cleared;
  }

  /** Register a symbol with an empty series per interval. Registering twice is an error. */
  register(symbol: string, addedAt: number = this.session.open): SymbolData {
    this.assertLive('register');
    if (this.bySymbol.has(symbol)) throw new DataError(`${symbol} is already registered for ${this.session.date}`, { symbol, date: this.session.date });
    const entry = new SymbolData(symbol, addedAt, this.bySymbol.size);
    // Sized for the whole session up front, so a normal day never grows a column.
    const span = this.session.close - this.session.open;
    for (const { name, ms } of this.intervals) entry.bars.set(name, new BarSeries(symbol, name, ms, Math.ceil(span / ms), entry.slot, this.arena));
    this.bySymbol.set(symbol, entry);
    return entry;
  }

  /** Number of registered symbols (no array built, unlike `symbols().length`: operators check it per tick). */
  get symbolCount(): number {
    return this.bySymbol.size;
  }

  /** Symbols in registration order. */
  symbols(): string[] {
    return [...this.bySymbol.keys()];
  }

  /**
   * Mark `symbol` dropped at `at` (NaN: active again). The one way `droppedAt` changes, so
   * {@link droppedCount} stays exact.
   */
  setDropped(symbol: string, at: number): void {
    const entry = this.bySymbol.get(symbol);
    if (!entry) return;
    const was = !Number.isNaN(entry.droppedAt);
    const is = !Number.isNaN(at);
    entry.droppedAt = at;
    this.dropped += Number(is) - Number(was);
  }

  /** How many registered symbols are dropped now: 0 lets per-bar loops skip {@link isActive}. */
  get droppedCount(): number {
    return this.dropped;
  }

  /** Whether `symbol` is registered and not dropped by a scan. */
  isActive(symbol: string): boolean {
    const entry = this.bySymbol.get(symbol);
    return entry !== undefined && Number.isNaN(entry.droppedAt);
  }

  /** Whether `symbol` is registered. */
  has(symbol: string): boolean {
    return this.bySymbol.has(symbol);
  }

  /** The data of `symbol`, or undefined. */
  get(symbol: string): SymbolData | undefined {
    if (this.cleared) this.assertLive('get');
    return this.bySymbol.get(symbol);
  }

  /** Today's series of `symbol` at `interval`; throws a DataError for unknown symbols. */
  series(symbol: string, interval: string): BarSeries {
    if (this.cleared) this.assertLive('series');
    const entry = this.bySymbol.get(symbol);
    if (!entry) throw new DataError(`unknown symbol ${JSON.stringify(symbol)} in session ${this.session.date} (registered: ${this.symbols().join(', ') || 'none'})`, { symbol, date: this.session.date });
    return entry.series(interval);
  }

  /** All symbols' data. */
  entries(): IterableIterator<SymbolData> {
    return this.bySymbol.values();
  }

  /**
   * Today's series of `symbol` at `interval` as an arquero table (a copy), with columns
   * `start, end, open, high, low, close, volume, partial` and every indicator column.
   */
  table(symbol: string, interval: string): DataTable {
    this.assertLive('table');
    const cols = this.series(symbol, interval).toColumns();
    const out: Record<string, ArrayLike<unknown>> = {};
    for (const [name, values] of Object.entries(cols)) out[name] = name === 'partial' ? Array.from(values, (v) => v === 1) : values;
    return arquero().table(out);
  }

  /** Every (symbol, interval) series as arquero tables, keyed `SYMBOL/interval`. */
  tables(): Map<string, DataTable> {
    this.assertLive('tables');
    const out = new Map<string, DataTable>();
    for (const entry of this.bySymbol.values()) for (const interval of entry.bars.keys()) out.set(`${entry.symbol}/${interval}`, this.table(entry.symbol, interval));
    return out;
  }

  /**
   * Tear the day's data down (Phase 1 of the next day, or the result's dispose(); idempotent):
   * every series is cleared (reading one throws a LifecycleError from now on) and the storage
   * goes back to the run's memory, detached, to serve a later day.
   */
  clear(): void {
    const date = this.session.date;
    for (const entry of this.bySymbol.values()) {
      for (const s of entry.bars.values()) s.clear(date);
      for (const s of entry.history.values()) s.clear(date);
    }
    this.bySymbol.clear();
    this.dropped = 0;
    // The series above no longer point into the arena: its chunks can serve a later day.
    this.arena.release();
    this.cleared = true;
  }

  /**
   * A torn-down day's storage serves later days, so reading it would return another day's
   * values: refuse with the phase instead (a result used after `dispose()` lands here too).
   */
  private assertLive(operation: string): void {
    if (this.cleared) throw new LifecycleError(`SessionData of ${this.session.date}: ${operation}() after the day was torn down (phase torn-down; copy what must outlive its day with table() or toColumns() before the next day starts or the result is disposed)`, { phase: 'torn-down', date: this.session.date });
  }
}

// Keeps the optimized code for these classes valid between runs (see shape-anchor.ts).
anchorShape(new SessionData({ date: '1970-01-01', open: 0, close: 0, earlyClose: false }, [{ name: '1m', ms: 60_000 }]), new SymbolData('', 0, 0));

function isBarColumn(name: string): boolean {
  return (BAR_COLUMNS as readonly string[]).includes(name);
}
