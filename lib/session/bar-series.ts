import { DataError, LifecycleError } from '../errors.ts';
import { anchorShape } from '../shape-anchor.ts';
import { RunMemory, residentBuffer } from './run-memory.ts';

const INITIAL_CAPACITY = 512;

/** Names of the fixed bar columns of every {@link BarSeries}. */
export const BAR_COLUMNS = ['start', 'end', 'open', 'high', 'low', 'close', 'volume'] as const;
export type BarColumnName = (typeof BAR_COLUMNS)[number];

/**
 * Offsets of a bar's fields in the contiguous values behind a tick view (`TickBars`, built by
 * the engine): bar `k` is at `values[k * BAR_VALUE_STRIDE + BAR_VALUE.<field>]`.
 * `previousEnd` is the end of the series' previous bar (-Infinity for its first bar), so a
 * gap check needs no series read. Stages read through the view's accessors
 * (`bars.close(k)`); the layout is for the engine code that fills it.
 */
export const BAR_VALUE = { start: 0, end: 1, open: 2, high: 3, low: 4, close: 5, volume: 6, previousEnd: 7 } as const;
/** Doubles per bar in a tick view's values (64 bytes: one cache line). */
export const BAR_VALUE_STRIDE = 8;

/** A bar as a small object, for events and convenience reads (never retained in bulk). */
export interface Bar {
  readonly start: number;
  readonly end: number;
  readonly open: number;
  readonly high: number;
  readonly low: number;
  readonly close: number;
  readonly volume: number;
  /** True for a derived bar whose window was cut by the session close. */
  readonly partial: boolean;
}

/**
 * The bars of one symbol at one interval, stored as growable `Float64Array` columns
 * (DESIGN §3: 48 instead of 160 bytes per bar, and loops over columns are ~2.7× faster
 * than over objects). Indicator values live in extra columns aligned row for row with the
 * bars; rows an indicator has not produced are `NaN`.
 *
 * Column arrays are replaced when the series grows, so read them through the getters on
 * each use instead of keeping a reference across appends (or re-fetch them when
 * {@link BarSeries.storageVersion} changed).
 *
 * A series belongs to its day: once the day is torn down ({@link clear}) every read of it
 * (getters, `bar()`, `value()`, `column()`, `toColumns()`) throws a LifecycleError naming
 * the symbol, interval and date, and column arrays fetched earlier are empty (their memory
 * was detached and serves a later day). Copy what must outlive the day.
 *
 * @example
 * ```ts
 * const s = new BarSeries('SPY', '1m', 60_000);
 * const row = s.append(t0, t0 + 60_000, 100, 101, 99, 100.5, 1200, false);
 * s.setValue('ema_9', row, 100.2);
 * s.close[row]; // 100.5
 * ```
 */
/** Bars of a series packed for keeping ({@link BarSeries.packWindows}): the seven columns back to back, then the partial flags. */
export interface PackedWindows {
  readonly length: number;
  /** start, end, open, high, low, close, volume: `length` values each, in that order. */
  readonly values: Float64Array;
  readonly partial: Uint8Array;
}

export class BarSeries {
  readonly symbol: string;
  readonly interval: string;
  readonly intervalMs: number;
  /** The symbol's registration index in its session (see `SymbolData.slot`); operators index per-symbol state by it. */
  readonly slot: number;
  private size = 0;
  // Start and end of the last bar, next to `size` on the object: the order check and
  // lastEnd() then read a field the append touches anyway, not a column (an extra cache
  // line per appended bar when a tick appends to 100 series).
  private lastStart = Number.NEGATIVE_INFINITY;
  private lastEndValue = Number.NaN;
  private capacity: number;
  // Set by adopt(). The column arrays are both in `cols` (access by name) and in fields of
  // their own: getters and append then load one object fewer per column, which adds up when
  // a tick touches every column of 100 series.
  private cols!: Record<BarColumnName, Float64Array>;
  private startCol!: Float64Array;
  private endCol!: Float64Array;
  private openCol!: Float64Array;
  private highCol!: Float64Array;
  private lowCol!: Float64Array;
  private closeCol!: Float64Array;
  private volumeCol!: Float64Array;
  /**
   * The seven columns back to back (`capacity` rows each) as one array. append() writes
   * through it: one typed-array header to load and bounds-check instead of seven. With ~100
   * series appended per tick, those headers alone were ~700 cache lines per tick.
   */
  private block!: Float64Array;
  private partialFlags!: Uint8Array;
  private readonly extra = new Map<string, Float64Array>();
  /** Where extra columns are carved from (the day's arena), if the series was given one. */
  private readonly arena: ColumnArena | undefined;
  private version = 0;
  /** Set by {@link clear}: the day is gone, reads throw. */
  private torn = false;
  /** The date of the day that tore the series down, for errors. */
  private tornOn: string | undefined = undefined;

  constructor(symbol: string, interval: string, intervalMs: number, capacity = INITIAL_CAPACITY, slot = 0, arena?: ColumnArena) {
    this.symbol = symbol;
    this.interval = interval;
    this.intervalMs = intervalMs;
    this.slot = slot;
    this.capacity = Math.max(1, Math.ceil(capacity));
    this.arena = arena;
    this.adopt(arena ? arena.take(this.capacity) : allocate(this.capacity));
  }

  /**
   * Changes whenever the column arrays are replaced (growth, {@link clear}). A column array
   * fetched at the same version is still the live one, so a hot loop may keep it instead of
   * looking it up by name on every write.
   */
  get storageVersion(): number {
    return this.version;
  }

  /** Whether the series' day was torn down ({@link clear}): every read throws. */
  get isTornDown(): boolean {
    return this.torn;
  }

  /** Number of bars. */
  get length(): number {
    if (this.torn) this.fail('length');
    return this.size;
  }
  get start(): Float64Array {
    if (this.torn) this.fail('start');
    return this.startCol;
  }
  get end(): Float64Array {
    if (this.torn) this.fail('end');
    return this.endCol;
  }
  get open(): Float64Array {
    if (this.torn) this.fail('open');
    return this.openCol;
  }
  get high(): Float64Array {
    if (this.torn) this.fail('high');
    return this.highCol;
  }
  get low(): Float64Array {
    if (this.torn) this.fail('low');
    return this.lowCol;
  }
  get close(): Float64Array {
    if (this.torn) this.fail('close');
    return this.closeCol;
  }
  get volume(): Float64Array {
    if (this.torn) this.fail('volume');
    return this.volumeCol;
  }
  /** 1 where the bar is a window truncated by the close. */
  get partial(): Uint8Array {
    if (this.torn) this.fail('partial');
    return this.partialFlags;
  }

  /** Append one bar and return its row index. Bars must arrive in start order. */
  append(start: number, end: number, open: number, high: number, low: number, close: number, volume: number, partial: boolean): number {
    const row = this.size;
    // Cold paths live in their own methods so this one stays small enough to inline.
    if (start < this.lastStart) this.outOfOrder(start);
    if (row === this.capacity) this.grow(row + 1);
    const block = this.block;
    const rows = this.capacity;
    block[row] = start;
    block[rows + row] = end;
    block[2 * rows + row] = open;
    block[3 * rows + row] = high;
    block[4 * rows + row] = low;
    block[5 * rows + row] = close;
    block[6 * rows + row] = volume;
    // Rows past `size` are never written and the partial flags start zeroed (fresh buffers,
    // growth and clear() allocate anew; a recycled arena chunk has its flags cleared), so only
    // a partial bar needs a store: one cache line less per appended bar.
    if (partial) this.partialFlags[row] = 1;
    this.size = row + 1;
    this.lastStart = start;
    this.lastEndValue = end;
    return row;
  }

  /** Append `count` rows copied from parallel columns (used to bulk-load history). */
  appendColumns(src: { start: ArrayLike<number>; open: ArrayLike<number>; high: ArrayLike<number>; low: ArrayLike<number>; close: ArrayLike<number>; volume: ArrayLike<number>; extra?: Readonly<Record<string, ArrayLike<number>>> }, from: number, count: number): void {
    if (count <= 0) return;
    if (this.size + count > this.capacity) this.grow(this.size + count);
    const c = this.cols;
    const base = this.size;
    for (let i = 0; i < count; i++) {
      const s = src.start[from + i]!;
      c.start[base + i] = s;
      c.end[base + i] = s + this.intervalMs;
      c.open[base + i] = src.open[from + i]!;
      c.high[base + i] = src.high[from + i]!;
      c.low[base + i] = src.low[from + i]!;
      c.close[base + i] = src.close[from + i]!;
      c.volume[base + i] = src.volume[from + i]!;
    }
    // Extra store columns (vwap, trades, …) stay aligned with the bars they came with.
    if (src.extra) {
      for (const [name, values] of Object.entries(src.extra)) {
        const col = this.column(name);
        for (let i = 0; i < count; i++) col[base + i] = values[from + i]!;
      }
    }
    this.size = base + count;
    this.lastStart = c.start[this.size - 1]!;
    this.lastEndValue = c.end[this.size - 1]!;
  }

  /**
   * A copy of the bars (start, end, OHLCV and the partial flags), packed in two arrays: what
   * a finished day keeps of its live derived windows for the next days' trailing history
   * (see {@link appendWindows}).
   */
  packWindows(): PackedWindows {
    if (this.torn) this.fail('packWindows');
    const n = this.size;
    const rows = this.capacity;
    const block = this.block;
    const values = new Float64Array(7 * n);
    for (let k = 0; k < 7; k++) for (let i = 0; i < n; i++) values[k * n + i] = block[k * rows + i]!;
    return { length: n, values, partial: this.partialFlags.slice(0, n) };
  }

  /** Append bars packed by {@link packWindows} (in start order after the last bar). */
  appendWindows(packed: PackedWindows): void {
    const n = packed.length;
    if (n === 0) return;
    const values = packed.values;
    if (values[0]! < this.lastStart) this.outOfOrder(values[0]!);
    if (this.size + n > this.capacity) this.grow(this.size + n);
    const base = this.size;
    const rows = this.capacity;
    const block = this.block;
    for (let k = 0; k < 7; k++) for (let i = 0; i < n; i++) block[k * rows + base + i] = values[k * n + i]!;
    this.partialFlags.set(packed.partial, base);
    this.size = base + n;
    this.lastStart = values[n - 1]!;
    this.lastEndValue = values[2 * n - 1]!;
  }

  /** End of the last bar, or NaN when the series is empty (no column read, for per-bar loops). */
  lastEnd(): number {
    if (this.torn) this.fail('lastEnd()');
    return this.lastEndValue;
  }

  /** The bar at `row` as an object (negative rows count from the end), or undefined. */
  bar(row: number): Bar | undefined {
    if (this.torn) this.fail('bar()');
    const i = row < 0 ? this.size + row : row;
    if (i < 0 || i >= this.size) return undefined;
    const c = this.cols;
    return { start: c.start[i]!, end: c.end[i]!, open: c.open[i]!, high: c.high[i]!, low: c.low[i]!, close: c.close[i]!, volume: c.volume[i]!, partial: this.partialFlags[i] === 1 };
  }

  /** The most recent bar, or undefined when empty. */
  last(): Bar | undefined {
    return this.bar(-1);
  }

  /** Names of the indicator (extra) columns, in creation order. */
  columnNames(): string[] {
    if (this.torn) this.fail('columnNames()');
    return [...this.extra.keys()];
  }

  /** Whether an extra column exists. */
  hasColumn(name: string): boolean {
    if (this.torn) this.fail('hasColumn()');
    return this.extra.has(name);
  }

  /**
   * An extra column's storage if it exists (its first `length` values are the bars'), else
   * undefined; nothing is created. For hot reads of several values (a crossover reads four):
   * read it again after the series grows.
   */
  existingColumn(name: string): Float64Array | undefined {
    if (this.torn) this.fail(`existingColumn(${JSON.stringify(name)})`);
    return this.extra.get(name);
  }

  /** An extra column aligned with the bars (created `NaN`-filled on first use). */
  column(name: string): Float64Array {
    if (this.torn) this.fail(`column(${JSON.stringify(name)})`);
    let col = this.extra.get(name);
    if (!col) {
      if ((BAR_COLUMNS as readonly string[]).includes(name)) return this.cols[name as BarColumnName];
      // Carved from the day's arena when there is one: indicators add two columns per symbol
      // (history and today) at their first bar, and a backing store of its own per column
      // cost ~1 µs each, in the middle of the session.
      col = (this.arena ? this.arena.takeColumn(this.capacity) : new Float64Array(this.capacity)).fill(Number.NaN);
      this.extra.set(name, col);
    }
    return col;
  }

  /** Write an extra-column value for `row`. */
  setValue(name: string, row: number, value: number): void {
    this.column(name)[row] = value;
  }

  /** Read an extra-column value (NaN when unset or unknown column). */
  value(name: string, row: number): number {
    if (this.torn) this.fail(`value(${JSON.stringify(name)})`);
    const col = this.extra.get(name);
    if (!col || row < 0 || row >= this.size) return Number.NaN;
    return col[row]!;
  }

  /** Copies of the used part of every column (bars, `partial`, then extra columns). */
  toColumns(): Record<string, Float64Array | Uint8Array> {
    if (this.torn) this.fail('toColumns()');
    const out: Record<string, Float64Array | Uint8Array> = {};
    for (const name of BAR_COLUMNS) out[name] = this.cols[name].slice(0, this.size);
    out.partial = this.partialFlags.slice(0, this.size);
    for (const [name, col] of this.extra) out[name] = col.slice(0, this.size);
    return out;
  }

  /**
   * Tear the series down with its day (`SessionData.clear()`; idempotent): every bar and
   * extra column is dropped, and from now on every read throws a LifecycleError naming the
   * symbol, interval and `date`, because the storage serves later days.
   */
  clear(date?: string): void {
    this.torn = true;
    this.tornOn ??= date;
    this.size = 0;
    this.lastStart = Number.NEGATIVE_INFINITY;
    this.lastEndValue = Number.NaN;
    // Zero-length storage shared by every cleared series: tearing a day down allocates nothing.
    this.capacity = 0;
    this.adopt(EMPTY);
    this.extra.clear();
    this.version++;
  }

  /** Switch to new storage: `cols` and the per-column fields always point at the same arrays. */
  private adopt({ cols, block, flags }: SeriesStorage): void {
    this.cols = cols;
    this.block = block;
    this.startCol = cols.start;
    this.endCol = cols.end;
    this.openCol = cols.open;
    this.highCol = cols.high;
    this.lowCol = cols.low;
    this.closeCol = cols.close;
    this.volumeCol = cols.volume;
    this.partialFlags = flags;
  }

  /** Throw unless the series' day is alive (for views that read through it). */
  assertLive(what: string): void {
    if (this.torn) this.fail(what);
  }

  private fail(what: string): never {
    const on = this.tornOn === undefined ? '' : ` of ${this.tornOn}`;
    throw new LifecycleError(`${this.symbol} ${this.interval}${on}: ${what} after the day was torn down (phase torn-down; its storage serves later days: copy what must outlive its day with toColumns() or SessionData.table() before the next day starts or the result is disposed)`, { phase: 'torn-down', symbol: this.symbol, ...(this.tornOn === undefined ? {} : { date: this.tornOn }) });
  }

  private outOfOrder(start: number): never {
    throw new DataError(`${this.symbol} ${this.interval}: bar starting ${new Date(start).toISOString()} arrives after ${new Date(this.cols.start[this.size - 1]!).toISOString()}`, { symbol: this.symbol });
  }

  private grow(min: number): void {
    if (this.torn) this.fail('append()');
    let next = Math.max(16, this.capacity * 2);
    while (next < min) next *= 2;
    const storage = allocate(next);
    const { cols, flags } = storage;
    for (const name of BAR_COLUMNS) cols[name].set(this.cols[name].subarray(0, this.size));
    flags.set(this.partialFlags.subarray(0, this.size));
    for (const [name, col] of this.extra) {
      const bigger = new Float64Array(next).fill(Number.NaN);
      bigger.set(col.subarray(0, this.size));
      this.extra.set(name, bigger);
    }
    this.adopt(storage);
    this.capacity = next;
    this.version++;
  }
}

/** Typed-array storage for one series: the bar columns and the partial flags. */
interface SeriesStorage {
  cols: Record<BarColumnName, Float64Array>;
  /** All of `cols`, in BAR_COLUMNS order, as one array. */
  block: Float64Array;
  flags: Uint8Array;
}

const BYTES_PER_ROW = 8 * 7 + 1;
const ARENA_CHUNK = 1 << 20;

/**
 * A day's storage: carves the columns of many series out of a few large ArrayBuffers, and
 * hands out whole buffers that live exactly as long as the day (the drain-order run of its
 * bars, the values behind derived tick views). A day registers hundreds of series; one
 * backing store per MiB instead of one per series keeps Phase 2 allocation and the GC
 * pressure it causes small. Each SessionData has its own arena, so nothing is shared
 * between days while they are alive.
 *
 * The buffers come from the run's {@link RunMemory} and go back to it when the day is torn
 * down ({@link release}, from `SessionData.clear()`), detached: the next day writes into
 * memory that is already mapped, and a view of the torn-down day (a column array fetched
 * before teardown) is empty instead of showing the next day's values.
 *
 * @example
 * ```ts
 * const arena = new ColumnArena(new RunMemory());
 * const s = new BarSeries('SPY', '1m', 60_000, 390, 0, arena);
 * ```
 */
export class ColumnArena {
  /** Where the buffers come from and go back to (the run's). */
  readonly memory: RunMemory;
  private chunk: ArrayBuffer | undefined;
  private used = 0;
  /** Every buffer this arena handed out or carved from (given back by {@link release}). */
  private readonly chunks: ArrayBuffer[] = [];

  /**
   * Whether the current chunk was recycled, i.e. holds an earlier day's values. Only what
   * must start zeroed is cleared (the partial flags, extra columns): bar rows past a series'
   * length are never read, and clearing whole 1 MiB chunks cost more than the flags.
   */
  private recycled = false;

  constructor(memory: RunMemory = new RunMemory()) {
    this.memory = memory;
  }

  /**
   * Storage for `capacity` rows (partial flags zeroed; bar rows are written before they are
   * read): what a {@link BarSeries} built on this arena keeps its columns in.
   *
   * @internal
   */
  take(capacity: number): SeriesStorage {
    const at = this.reserve(Math.ceil((capacity * BYTES_PER_ROW) / 8) * 8);
    if (at < 0) return allocate(capacity);
    const storage = carve(this.chunk!, at, capacity);
    if (this.recycled) storage.flags.fill(0);
    return storage;
  }

  /** One zero-filled `Float64Array` column of `capacity` rows. */
  takeColumn(capacity: number): Float64Array {
    const at = this.reserve(capacity * 8);
    if (at < 0) return new Float64Array(capacity);
    const column = new Float64Array(this.chunk!, at, capacity);
    if (this.recycled) column.fill(0);
    return column;
  }

  /**
   * A whole buffer of `min` to `max` bytes for the day, NOT zeroed (a recycled one holds an
   * earlier day's bytes: write before reading). It goes back to the run with the day.
   */
  takeBuffer(min: number, max: number = min): ArrayBuffer {
    const buffer = this.memory.takeSpare(min, max) ?? new ArrayBuffer(min);
    this.chunks.push(buffer);
    return buffer;
  }

  /**
   * Give every buffer back to the run, detached (idempotent). Only for a day whose series
   * were cleared: their memory becomes another day's storage.
   */
  release(): void {
    this.memory.recycle(this.chunks);
    this.chunks.length = 0;
    this.chunk = undefined;
    this.used = 0;
  }

  /** Byte offset of `bytes` (a multiple of 8) in the current chunk, or -1 when too large for the arena. */
  private reserve(bytes: number): number {
    if (!this.chunk || this.used + bytes > this.chunk.byteLength) {
      if (bytes > ARENA_CHUNK / 4) return -1;
      const spare = this.memory.takeSpare(ARENA_CHUNK);
      this.recycled = spare !== undefined;
      this.chunk = spare ?? residentBuffer(ARENA_CHUNK);
      this.chunks.push(this.chunk);
      this.used = 0;
    }
    const at = this.used;
    this.used += bytes;
    return at;
  }
}

const EMPTY: SeriesStorage = carve(new ArrayBuffer(0), 0, 0);

function allocate(capacity: number): SeriesStorage {
  return carve(new ArrayBuffer(Math.ceil((capacity * BYTES_PER_ROW) / 8) * 8), 0, capacity);
}

// Every bar column and the partial flags of a series share one backing store. No helper
// closure for the views: under tsx (keepNames) each one created costs an Object.defineProperty,
// and a day carves ~500 series.
function carve(buffer: ArrayBuffer, offset: number, capacity: number): SeriesStorage {
  const bytes = capacity * 8;
  return {
    cols: {
      start: new Float64Array(buffer, offset, capacity),
      end: new Float64Array(buffer, offset + bytes, capacity),
      open: new Float64Array(buffer, offset + 2 * bytes, capacity),
      high: new Float64Array(buffer, offset + 3 * bytes, capacity),
      low: new Float64Array(buffer, offset + 4 * bytes, capacity),
      close: new Float64Array(buffer, offset + 5 * bytes, capacity),
      volume: new Float64Array(buffer, offset + 6 * bytes, capacity),
    },
    block: new Float64Array(buffer, offset, BAR_COLUMNS.length * capacity),
    flags: new Uint8Array(buffer, offset + BAR_COLUMNS.length * capacity * 8, capacity),
  };
}

// Keeps the optimized code for series valid between runs (see shape-anchor.ts).
anchorShape(new BarSeries('', '', 0, 1), new ColumnArena());
