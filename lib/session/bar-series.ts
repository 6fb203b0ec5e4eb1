import { DataError } from '../errors.ts';
import { anchorShape } from '../shape-anchor.ts';

const INITIAL_CAPACITY = 512;

/** Names of the fixed bar columns of every {@link BarSeries}. */
export const BAR_COLUMNS = ['start', 'end', 'open', 'high', 'low', 'close', 'volume'] as const;
export type BarColumnName = (typeof BAR_COLUMNS)[number];

/**
 * Offsets of a bar's fields in `ClosedBars.values`: bar `k` of a closed list is at
 * `values[k * BAR_VALUE_STRIDE + BAR_VALUE.<field>]`. `previousEnd` is the end of the
 * series' previous bar (-Infinity for its first bar), so a gap check needs no series read.
 *
 * @example
 * ```ts
 * const v = closed.values;
 * const close = v ? v[k * BAR_VALUE_STRIDE + BAR_VALUE.close]! : closed.series[k]!.close[closed.rows[k]!]!;
 * ```
 */
export const BAR_VALUE = { start: 0, end: 1, open: 2, high: 3, low: 4, close: 5, volume: 6, previousEnd: 7 } as const;
/** Doubles per bar in `ClosedBars.values`. */
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
 * @example
 * ```ts
 * const s = new BarSeries('SPY', '1m', 60_000);
 * const row = s.append(t0, t0 + 60_000, 100, 101, 99, 100.5, 1200, false);
 * s.setValue('ema_9', row, 100.2);
 * s.close[row]; // 100.5
 * ```
 */
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

  /** Number of bars. */
  get length(): number {
    return this.size;
  }
  get start(): Float64Array {
    return this.startCol;
  }
  get end(): Float64Array {
    return this.endCol;
  }
  get open(): Float64Array {
    return this.openCol;
  }
  get high(): Float64Array {
    return this.highCol;
  }
  get low(): Float64Array {
    return this.lowCol;
  }
  get close(): Float64Array {
    return this.closeCol;
  }
  get volume(): Float64Array {
    return this.volumeCol;
  }
  /** 1 where the bar is a window truncated by the close. */
  get partial(): Uint8Array {
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

  /** End of the last bar, or NaN when the series is empty (no column read, for per-bar loops). */
  lastEnd(): number {
    return this.lastEndValue;
  }

  /** The bar at `row` as an object (negative rows count from the end), or undefined. */
  bar(row: number): Bar | undefined {
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
    return [...this.extra.keys()];
  }

  /** Whether an extra column exists. */
  hasColumn(name: string): boolean {
    return this.extra.has(name);
  }

  /** An extra column aligned with the bars (created `NaN`-filled on first use). */
  column(name: string): Float64Array {
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
    const col = this.extra.get(name);
    if (!col || row < 0 || row >= this.size) return Number.NaN;
    return col[row]!;
  }

  /** Copies of the used part of every column (bars, `partial`, then extra columns). */
  toColumns(): Record<string, Float64Array | Uint8Array> {
    const out: Record<string, Float64Array | Uint8Array> = {};
    for (const name of BAR_COLUMNS) out[name] = this.cols[name].slice(0, this.size);
    out.partial = this.partialFlags.slice(0, this.size);
    for (const [name, col] of this.extra) out[name] = col.slice(0, this.size);
    return out;
  }

  /** Drop every bar and extra column, keeping allocated capacity small again. */
  clear(): void {
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

  private outOfOrder(start: number): never {
    throw new DataError(`${this.symbol} ${this.interval}: bar starting ${new Date(start).toISOString()} arrives after ${new Date(this.cols.start[this.size - 1]!).toISOString()}`, { symbol: this.symbol });
  }

  private grow(min: number): void {
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
 * Carves the columns of many series out of a few large ArrayBuffers. A day registers
 * hundreds of series; one backing store per MiB instead of one per series keeps Phase 2
 * allocation and the GC pressure it causes small. Each SessionData has its own arena, so
 * nothing is shared between days while they are alive.
 *
 * When a day is torn down ({@link release}, from `SessionData.clear()`), its chunks go to a
 * process-wide pool and the next day's arena takes them instead of fresh memory:
 * fresh chunks cost a page fault per 4 KiB (~20 ms per 20-day run of 100 symbols here) and
 * external-memory GCs. So a column array of a torn-down day may later hold another day's
 * values: copy what must outlive its day (`toColumns()`, `SessionData.table()`, exports).
 *
 * @example
 * ```ts
 * const arena = new ColumnArena();
 * const s = new BarSeries('SPY', '1m', 60_000, 390, 0, arena);
 * ```
 */
export class ColumnArena {
  private chunk: ArrayBuffer | undefined;
  private used = 0;
  /** Every chunk this arena carved from (handed back to the pool by {@link release}). */
  private readonly chunks: ArrayBuffer[] = [];

  /**
   * Whether the current chunk was recycled, i.e. holds an earlier day's values. Only what
   * must start zeroed is cleared (the partial flags, extra columns): bar rows past a series'
   * length are never read, and clearing whole 1 MiB chunks cost more than the flags.
   */
  private recycled = false;

  /** Storage for `capacity` rows (partial flags zeroed; bar rows are written before they are read). */
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
   * Give every chunk back to the pool for a later day (idempotent). Only for a day whose
   * series were cleared: their columns become another day's storage.
   */
  release(): void {
    for (const chunk of this.chunks) if (spareChunks.length < MAX_SPARE_CHUNKS) spareChunks.push(chunk);
    if (this.chunks.length > 0) forgetSpareChunksLater();
    this.chunks.length = 0;
    this.chunk = undefined;
    this.used = 0;
  }

  /** Byte offset of `bytes` (a multiple of 8) in the current chunk, or -1 when too large for the arena. */
  private reserve(bytes: number): number {
    if (!this.chunk || this.used + bytes > this.chunk.byteLength) {
      if (bytes > ARENA_CHUNK / 4) return -1;
      const spare = spareChunks.pop();
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

/** Chunks of torn-down days, ready for reuse (the next day normally takes them at once). */
const spareChunks: ArrayBuffer[] = [];
const MAX_SPARE_CHUNKS = 128;
/**
 * How long unused chunks stay pooled after the last release. Held weakly instead, a GC between
 * two runs of a sweep freed them and every run started on fresh memory (page faults, external-
 * memory GCs); held for good, a process done backtesting kept a day's columns for nothing.
 */
const SPARE_CHUNKS_KEPT_MS = 10_000;
let forgetTimer: ReturnType<typeof setTimeout> | undefined;

function forgetSpareChunksLater(): void {
  if (forgetTimer) clearTimeout(forgetTimer);
  forgetTimer = setTimeout(() => {
    forgetTimer = undefined;
    spareChunks.length = 0;
  }, SPARE_CHUNKS_KEPT_MS);
  // Never what keeps the process alive.
  forgetTimer.unref();
}

const EMPTY: SeriesStorage = carve(new ArrayBuffer(0), 0, 0);

/**
 * A zeroed buffer whose pages are already mapped. Chunks are taken in Phase 2 but most of
 * their columns are first written in Phase 3, where each untouched 4 KiB page stopped the
 * drain for a page fault (~2 µs here, ~3,000 per 20-day run); one write per page now
 * takes those faults in a tight loop while the day is being set up.
 */
function residentBuffer(bytes: number): ArrayBuffer {
  const buffer = new ArrayBuffer(bytes);
  const view = new Uint8Array(buffer);
  for (let i = 0; i < bytes; i += 4096) view[i] = 0;
  return buffer;
}

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
