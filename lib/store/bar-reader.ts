import { statSync } from 'node:fs';
import { dailyBarOf } from './daily-bar-of.ts';
import path from 'node:path';
import { intervalMs, parseInterval } from '../calendar/interval.ts';
import { classifyRow, rejectCountsOf, ROW_CODE, ROW_LATE, ROW_OK, ROW_REASONS } from './classify-row.ts';
import { sortKept } from './sort-kept.ts';
import type { Session } from '../calendar/types.ts';
import { ConfigError, DataError, type ConfigProblem } from '../errors.ts';
import { layoutIsPerDay } from './layout.ts';
import { ParquetFile, type ColumnRequirement, type TimeRange } from './parquet-file.ts';
import { resolveLayoutFiles } from './resolve-layout-files.ts';
import type { Availability, BarColumns, DailyBars, LoadedBars, RejectCounts, RejectReason, StoreConfig, TimestampUnit } from './types.ts';
import { ZoneClock } from '../calendar/zone-clock.ts';

/** Tuning knobs of {@link ParquetBarReader}. */
export interface BarReaderOptions {
  /**
   * Memory the cached footers may hold (LRU, by `ParquetFile.residentBytes`). Per-year
   * files are reopened every day, so re-parsing their footer would dominate; per-day files
   * are not cached. A cached footer is compacted (its bytes and derived ranges, not the
   * parsed tree): ~0.2 MB for a yearly file with a row group per session, so the default
   * 256 MiB holds ~1,300 yearly files per reader (each decode thread has its own).
   */
  readonly footerCacheBytes?: number;
  /** At most this many footers, whatever their size (default: no limit but the bytes). */
  readonly footerCacheSize?: number;
  /** See `ParquetFileOptions.wholeFileMaxBytes`. Default 1 MiB. */
  readonly wholeFileMaxBytes?: number;
}

/** One window's result: its bars, or the data problem that kept them out. */
export type LoadOutcome = { ok: true; loaded: LoadedBars } | { ok: false; error: DataError };

const UNITS = new Set<TimestampUnit>(['s', 'ms', 'us', 'ns']);
const FIELDS = ['open', 'high', 'low', 'close', 'volume'] as const;
const HOUR_MS = 3_600_000;
const NULL_OR_NAN = ROW_CODE.null_or_nan;
const DUPLICATE = ROW_CODE.duplicate_timestamp;
const NO_STARTS = new Float64Array(0);
const DAY_MS = 86_400_000;

interface WindowRequest {
  readonly index: number;
  readonly from: number;
  readonly to: number;
  readonly date: string;
}

/**
 * The columns of every window one read returns, carved out of one ArrayBuffer. The buffer
 * belongs to those windows alone, so a decode thread may transfer it whole ({@link isReadBlock}).
 */
class ReadBlock {
  private readonly buffer: ArrayBuffer;
  private used = 0;

  constructor(doubles: number) {
    this.buffer = new ArrayBuffer(doubles * 8);
    readBlocks.add(this.buffer);
  }

  /** The next `length` doubles. */
  take(length: number): Float64Array {
    const view = new Float64Array(this.buffer, this.used * 8, length);
    this.used += length;
    return view;
  }
}

const readBlocks = new WeakSet<ArrayBuffer>();

/** The first `kept` rows of a column carved for more. */
function keptRows(column: Float64Array, kept: number): Float64Array {
  return kept === column.length ? column : column.subarray(0, kept);
}

/** Whether `buffer` backs the columns of one read's {@link LoadedBars} and nothing else (safe to transfer). */
export function isReadBlock(buffer: ArrayBufferLike): boolean {
  return buffer instanceof ArrayBuffer && readBlocks.has(buffer);
}

/** Decoded columns (ts, OHLCV, extras) of one file plus the rows of it that belong to one (symbol, window). */
interface Segment {
  readonly columns: readonly Float64Array[];
  readonly rows: Uint32Array;
}

/**
 * Reads one symbol's bars for one session window from a Parquet store (DESIGN §4): resolves
 * the file from the layout, prunes row groups by timestamp statistics, decodes only the
 * needed columns, converts end-labelled timestamps to bar starts, and drops invalid rows
 * while counting why.
 *
 * @example
 * ```ts
 * const reader = new ParquetBarReader({
 *   root: '/data/bars',
 *   layout: '{interval}/{symbol}/{yyyy}.parquet',
 *   timestamp: { column: 'ts', label: 'start' },
 * });
 * const loaded = await reader.load('SPY', '1m', session.open, session.close, session.date);
 * loaded.bars.length; // 390 on a full XNYS day
 * ```
 */
export class ParquetBarReader {
  readonly store: StoreConfig;
  private readonly perDay: boolean;
  private readonly columns: { readonly open: string; readonly high: string; readonly low: string; readonly close: string; readonly volume: string; readonly symbol: string | undefined };
  private readonly requirements: readonly ColumnRequirement[];
  /** `[name in BarColumns.extra, column in the file]` of `store.columns.extra`. */
  private readonly extraColumns: ReadonlyArray<readonly [string, string]>;
  /** See {@link dailyFilesOf}. */
  private readonly dailyFileMemo = new Map<string, { pattern: string; files: string[] }>();
  private readonly zone: ZoneClock;
  private readonly footers = new Map<string, ParquetFile>();
  private readonly footerCacheSize: number;
  private readonly footerCacheBytes: number;
  private readonly wholeFileMaxBytes: number | undefined;
  private readonly dateFormat: Intl.DateTimeFormat;

  /** Validates `store` eagerly; throws a {@link ConfigError} listing every problem. */
  constructor(store: StoreConfig, options: BarReaderOptions = {}) {
    const problems = validateStore(store);
    if (problems.length > 0) {
      throw new ConfigError(`invalid store config: ${problems.map((p) => `${p.path}: ${p.message}`).join('; ')}`, problems);
    }
    this.store = store;
    this.perDay = layoutIsPerDay(store.layout);
    const c = store.columns ?? {};
    this.columns = { open: c.open ?? 'open', high: c.high ?? 'high', low: c.low ?? 'low', close: c.close ?? 'close', volume: c.volume ?? 'volume', symbol: c.symbol };
    const unit = store.timestamp.unit;
    this.extraColumns = Object.entries(c.extra ?? {});
    this.requirements = [
      { name: store.timestamp.column, role: 'timestamp.column', expect: 'timestamp', unit },
      ...FIELDS.map((field): ColumnRequirement => ({ name: this.columns[field], role: `columns.${field}`, expect: 'number' })),
      ...(this.columns.symbol ? [{ name: this.columns.symbol, role: 'columns.symbol', expect: 'string' } as const] : []),
      ...this.extraColumns.map(([name, column]): ColumnRequirement => ({ name: column, role: `columns.extra.${name}`, expect: 'number' })),
    ];
    this.zone = new ZoneClock(store.timezone ?? 'UTC', 'store.timezone');
    this.footerCacheSize = Math.max(1, options.footerCacheSize ?? Number.POSITIVE_INFINITY);
    this.footerCacheBytes = Math.max(0, options.footerCacheBytes ?? 256 * 1024 * 1024);
    this.wholeFileMaxBytes = options.wholeFileMaxBytes;
    // en-CA formats as YYYY-MM-DD; built once because Intl construction is slow (DESIGN §1).
    this.dateFormat = new Intl.DateTimeFormat('en-CA', { timeZone: store.timezone ?? 'UTC', year: 'numeric', month: '2-digit', day: '2-digit' });
  }

  /**
   * Load `symbol`'s `interval` bars that lie fully inside `[from, to)` (epoch ms UTC):
   * `start >= from` and `start + interval <= to`. `date` is the exchange-local trading date
   * that picks the file; it defaults to the date of `from` in `store.timezone`.
   *
   * Throws a {@link DataError} when the file is missing (`no data file for SPY on 2013-10-07: …`),
   * corrupt, or lacks a column.
   *
   * @example
   * ```ts
   * const { bars, rejected, outside } = await reader.load('SPY', '1m', Date.UTC(2013, 9, 7, 13, 30), Date.UTC(2013, 9, 7, 20), '2013-10-07');
   * ```
   */
  async load(symbol: string, interval: string, from: number, to: number, date?: string): Promise<LoadedBars> {
    const [result] = await this.loadMany(symbol, interval, [{ from, to, ...(date ? { date } : {}) }]);
    if (!result!.ok) throw result!.error;
    return result!.loaded;
  }

  /**
   * Load several session windows of one symbol at once: windows that live in the same file
   * (per-month or per-year layouts) are decoded in ONE read of the union of their row
   * groups, then split, so a read-ahead over many sessions costs one decode per file instead
   * of one per session. Results come back in the order of `windows`; a missing or broken
   * file fails the windows it holds with a {@link DataError}.
   *
   * @example
   * ```ts
   * const [mon, tue] = await reader.loadMany('SPY', '1m', [{ from: mo.open, to: mo.close, date: mo.date }, { from: tu.open, to: tu.close, date: tu.date }]);
   * if (mon.ok) console.log(mon.loaded.bars.length);
   * ```
   */
  async loadMany(symbol: string, interval: string, windows: ReadonlyArray<{ from: number; to: number; date?: string }>): Promise<LoadOutcome[]> {
    // Daily bars as the stream (`"streams": ["1d"]`): one bar per session window.
    if (parseInterval(interval).sessions > 0) return this.loadDailyWindows(symbol, windows);
    const ms = intervalMs(interval);
    const byFile = new Map<string, { files: string[]; windows: WindowRequest[] }>();
    windows.forEach(({ from, to, date }, index) => {
      checkWindow(from, to);
      const day = date ?? this.dateFormat.format(from);
      const { pattern, files } = resolveLayoutFiles({ root: this.store.root, layout: this.layoutFor(interval) }, { symbol, interval, date: day });
      let group = byFile.get(pattern);
      if (!group) byFile.set(pattern, (group = { files, windows: [] }));
      group.windows.push({ index, from, to, date: day });
    });
    const out = new Array<LoadOutcome>(windows.length);
    for (const [pattern, group] of byFile) {
      const results = await this.readSafely(pattern, group.files, [symbol], interval, ms, group.windows);
      group.windows.forEach(({ index }, w) => (out[index] = results[0]![w]!));
    }
    return out;
  }

  /**
   * Load one session window for many symbols. Symbols that share a file (a multi-symbol
   * file with `columns.symbol`) are served by ONE decode of that file: row groups are pruned
   * by the timestamp statistics and, when the file is sorted by symbol, by the symbol
   * column's statistics; the symbol column is matched once per row. Results come back in the
   * order of `symbols`; a missing or broken file fails only the symbols it holds.
   *
   * @example
   * ```ts
   * const results = await reader.loadSymbols(['AAPL', 'MSFT'], '1m', { from: s.open, to: s.close, date: s.date });
   * for (const r of results) if (r.ok) console.log(r.loaded.symbol, r.loaded.bars.length);
   * ```
   */
  async loadSymbols(symbols: readonly string[], interval: string, window: { from: number; to: number; date?: string }): Promise<LoadOutcome[]> {
    const ms = intervalMs(interval);
    checkWindow(window.from, window.to);
    const date = window.date ?? this.dateFormat.format(window.from);
    const byFile = new Map<string, { files: string[]; symbols: string[]; indexes: number[] }>();
    symbols.forEach((symbol, index) => {
      const { pattern, files } = resolveLayoutFiles({ root: this.store.root, layout: this.layoutFor(interval) }, { symbol, interval, date });
      let group = byFile.get(pattern);
      if (!group) byFile.set(pattern, (group = { files, symbols: [], indexes: [] }));
      group.symbols.push(symbol);
      group.indexes.push(index);
    });
    const out = new Array<LoadOutcome>(symbols.length);
    for (const [pattern, group] of byFile) {
      const results = await this.readSafely(pattern, group.files, group.symbols, interval, ms, [{ index: 0, from: window.from, to: window.to, date }]);
      group.indexes.forEach((index, k) => (out[index] = results[k]![0]!));
    }
    return out;
  }

  /**
   * Daily bars of `symbol` for `sessions` (ascending). When the store has `1d` files for the
   * symbol (`store.layouts['1d']`, or `layout` with `{interval}` = `1d`), rows are matched to
   * sessions by their exchange-local date (a timestamp at exactly 00:00 UTC is taken as that
   * UTC date, the usual way dates are stored as instants). Otherwise each session's bar is
   * derived from the intraday `from` bars (default `1m`) of its regular session
   * `[open, close)`: open of the first bar, highest high, lowest low, close of the last bar,
   * summed volume. Either way `start` is the session's open.
   *
   * @example
   * ```ts
   * const daily = await reader.loadDaily('SPY', calendar.sessions('2024-01-02', '2024-01-31'));
   * daily.source; // 'file' or 'derived'
   * ```
   */
  async loadDaily(symbol: string, sessions: readonly Session[], options: { from?: string } = {}): Promise<DailyBars> {
    if (sessions.length === 0) return { symbol, source: 'derived', files: [], bars: emptyBars(), dates: [], missing: [], rejected: noRejects() };
    const dailyFiles = [...new Set(sessions.flatMap((session) => this.dailyFilesOf(symbol, session.date).files))];
    if (dailyFiles.length > 0) return this.readDaily(symbol, sessions, dailyFiles);
    return this.deriveDaily(symbol, sessions, options.from ?? '1m');
  }

  /**
   * Each window as one session's daily bar (`start` = the window's start, the open): from the
   * store's `1d` files, or derived from its 1m bars ({@link loadDaily}). A window without a bar
   * loads empty (the day's quality says so); no file at all is a DataError, as for intraday.
   */
  private async loadDailyWindows(symbol: string, windows: ReadonlyArray<{ from: number; to: number; date?: string }>): Promise<LoadOutcome[]> {
    const sessions: Session[] = windows.map((w) => {
      checkWindow(w.from, w.to);
      return { date: w.date ?? this.dateFormat.format(w.from), open: w.from, close: w.to, earlyClose: false };
    });
    let daily: DailyBars;
    try {
      daily = await this.loadDaily(symbol, sessions);
    } catch (error) {
      if (!(error instanceof DataError)) throw error;
      return windows.map(() => ({ ok: false as const, error }));
    }
    const file = daily.files[0] ?? '';
    if (daily.files.length === 0 && daily.dates.length === 0) {
      const { pattern } = resolveLayoutFiles({ root: this.store.root, layout: this.layoutFor('1d') }, { symbol, interval: '1d', date: sessions[0]!.date });
      const error = new DataError(`no daily bars for ${symbol}: no file matches ${pattern}${daily.missing[0] ? ` (${daily.missing[0].reason})` : ''}`, { file: pattern, symbol, date: sessions[0]!.date });
      return windows.map(() => ({ ok: false as const, error }));
    }
    const row = new Map(daily.dates.map((date, i) => [date, i]));
    return sessions.map((session): LoadOutcome => {
      const i = row.get(session.date);
      const bars = i === undefined ? emptyBars() : sliceBars(daily.bars, i, i + 1);
      return { ok: true, loaded: { symbol, interval: '1d', file, bars, rejected: i === undefined ? noRejects() : daily.rejected, rejectedStarts: NO_STARTS, reordered: 0, outside: 0, rowsRead: daily.bars.length, rowGroupsRead: 0, rowGroupsTotal: 0 } };
    });
  }

  /**
   * Availability check for validation (DESIGN §4): never throws for missing or broken data,
   * it reports why. Per-day layouts only `stat` the file (or list the partition folder);
   * coarser files consult the cached footer statistics for a row group overlapping the window
   * (and holding the symbol, for multi-symbol files with symbol statistics).
   *
   * @example
   * ```ts
   * const a = await reader.exists('SPY', '1m', '2013-10-07', open, close);
   * if (!a.ok) console.error(a.reason);
   * ```
   */
  async exists(symbol: string, interval: string, date: string, from: number, to: number): Promise<Availability> {
    if (parseInterval(interval).sessions > 0) {
      // Daily bars: a 1d file of the symbol (a date missing inside it loads empty, and the
      // day's quality says so), or 1m bars to derive the day's bar from.
      const { pattern, files: present } = this.dailyFilesOf(symbol, date);
      if (present.length > 0) return { ok: true, file: present[0]! };
      const intraday = await this.exists(symbol, '1m', date, from, to);
      return intraday.ok ? intraday : { ok: false, file: pattern, reason: `no daily bars for ${symbol} on ${date}: no file matches ${pattern}, and no 1m bars to derive them from (${intraday.reason})` };
    }
    const ms = intervalMs(interval);
    checkWindow(from, to);
    const layout = this.layoutFor(interval);
    const { pattern, files } = resolveLayoutFiles({ root: this.store.root, layout }, { symbol, interval, date });
    const file = files[0] ?? pattern;
    if (files.length === 0) return { ok: false, file, reason: `no data file for ${symbol} on ${date}: no file matches ${pattern}` };
    if (layoutIsPerDay(layout) && !this.columns.symbol) {
      for (const part of files) {
        try {
          if (!statSync(part).isFile()) return { ok: false, file: part, reason: `${part} is ${statSync(part).isDirectory() ? 'a directory' : 'not a regular file'}, not a Parquet file` };
        } catch {
          return { ok: false, file: part, reason: `no data file for ${symbol} on ${date}: ${part}` };
        }
      }
      return { ok: true, file };
    }
    // Raw timestamps of bars fully inside the window lie in [lo, hi).
    const shift = this.store.timestamp.label === 'end' ? ms : 0;
    const lo = from + shift;
    const hi = to - ms + shift + 1;
    for (const part of files) {
      let parquet: ParquetFile;
      try {
        parquet = await this.open(part, symbol, date);
        parquet.requireColumns(this.requirements.slice(0, 1), { symbol, date });
      } catch (error) {
        if (error instanceof DataError) return { ok: false, file: part, reason: error.message };
        throw error;
      }
      const ranges = this.timeRangesOf(parquet);
      const symbolRanges = this.columns.symbol ? parquet.stringRanges(this.columns.symbol) : [];
      for (let i = 0; i < ranges.length; i++) {
        const r = ranges[i];
        const s = symbolRanges[i];
        if (parquet.rowGroupRows[i] === 0) continue;
        if (s && (symbol < s.min || symbol > s.max)) continue;
        if (!r || (r.min < hi && r.max > lo)) return { ok: true, file: part };
      }
    }
    return { ok: false, file, reason: `no bars of ${symbol} on ${date} in ${files.length === 1 ? file : pattern} (no row group's statistics overlap the session${this.columns.symbol ? ' and the symbol' : ''})` };
  }

  /**
   * {@link exists} for several sessions of one symbol (one request to a decode thread).
   *
   * @example
   * ```ts
   * const [a, b] = await reader.existsMany('SPY', '1m', [monday, tuesday].map((s) => ({ date: s.date, from: s.open, to: s.close })));
   * ```
   */
  async existsMany(symbol: string, interval: string, windows: ReadonlyArray<{ date: string; from: number; to: number }>): Promise<Availability[]> {
    const out: Availability[] = [];
    for (const w of windows) out.push(await this.exists(symbol, interval, w.date, w.from, w.to));
    return out;
  }

  /**
   * The `1d` files of `symbol` that exist for `date`, memoised by the part of the date the
   * layout uses (a `daily/{symbol}.parquet` file is resolved and stat'ed once per run, not
   * once per session: a 10-year daily run asks 2,520 times per symbol).
   */
  private dailyFilesOf(symbol: string, date: string): { pattern: string; files: string[] } {
    // Daily files are those of `layouts["1d"]`, or of a layout with {interval}; a layout
    // without it names the intraday files, which must not be read as daily bars.
    const layout = this.store.layouts?.['1d'] ?? (this.store.layout.includes('{interval}') ? this.store.layout : undefined);
    if (layout === undefined) return { pattern: `(no 1d layout: set store.layouts["1d"] or use {interval} in store.layout)`, files: [] };
    const part = layout.includes('{date}') || layout.includes('{dd}') ? date : layout.includes('{mm}') ? date.slice(0, 7) : layout.includes('{yyyy}') ? date.slice(0, 4) : '';
    const key = `${symbol}\u0000${part}`;
    let found = this.dailyFileMemo.get(key);
    if (!found) {
      const { pattern, files } = resolveLayoutFiles({ root: this.store.root, layout }, { symbol, interval: '1d', date });
      this.dailyFileMemo.set(key, (found = { pattern, files: files.filter((f) => isFile(f)) }));
    }
    return found;
  }

  /** The template of `interval`: its own entry in `store.layouts`, else `store.layout`. */
  private layoutFor(interval: string): string {
    return this.store.layouts?.[interval] ?? this.store.layout;
  }

  /** Timestamp statistics in UTC: naive (wall-clock) statistics are moved into the store's zone, widened by an hour for DST ambiguity. */
  private timeRangesOf(parquet: ParquetFile): readonly TimeRange[] {
    const { column, unit } = this.store.timestamp;
    const ranges = parquet.timeRanges(column, unit);
    if (parquet.column(column)?.adjustedToUTC !== false) return ranges;
    return ranges.map((r) => (r ? { min: this.zone.toUtc(r.min) - HOUR_MS, max: this.zone.toUtc(r.max) + HOUR_MS } : undefined));
  }

  /** {@link readFiles}, with data problems turned into per-symbol failures. Result: [symbol][window]. */
  private async readSafely(pattern: string, files: readonly string[], symbols: readonly string[], interval: string, ms: number, windows: readonly WindowRequest[]): Promise<LoadOutcome[][]> {
    try {
      return await this.readFiles(pattern, files, symbols, interval, ms, windows);
    } catch (error) {
      if (!(error instanceof DataError)) throw error;
      return symbols.map((symbol) => windows.map(() => ({ ok: false as const, error: withSymbol(error, symbol, windows[0]!.date) })));
    }
  }

  private async readFiles(pattern: string, files: readonly string[], symbols: readonly string[], interval: string, ms: number, windows: readonly WindowRequest[]): Promise<LoadOutcome[][]> {
    const date = windows[0]!.date;
    const symbol = symbols[0]!;
    if (files.length === 0) throw new DataError(`no data file for ${symbol} on ${date}: no file matches ${pattern}`, { file: pattern, symbol, date });
    const parts: Array<{ parquet: ParquetFile; ranges: readonly TimeRange[] }> = [];
    for (const file of files) {
      const parquet = await this.open(file, symbol, date);
      parquet.requireColumns(this.requirements, { symbol, date });
      parts.push({ parquet, ranges: this.timeRangesOf(parquet) });
    }
    // Partition parts are read oldest first, so rows arrive in time order when parts do not overlap.
    if (parts.length > 1) parts.sort((a, b) => firstMin(a.ranges) - firstMin(b.ranges));
    const segments: Segment[][][] = symbols.map(() => windows.map(() => []));
    const stats = symbols.map(() => windows.map(() => ({ rowsRead: 0, rowGroupsRead: 0, rowGroupsTotal: 0 })));
    for (const { parquet, ranges } of parts) {
      const symbolRanges = this.columns.symbol ? parquet.stringRanges(this.columns.symbol) : undefined;
      // Either label can sit up to one interval outside a window, so prune with that margin.
      const wanted = symbols.map((sym) =>
        windows.map(({ from, to }) => {
          const groups: number[] = [];
          for (let i = 0; i < ranges.length; i++) {
            const r = ranges[i];
            const s = symbolRanges?.[i];
            if (s && (sym < s.min || sym > s.max)) continue;
            if (!r || (r.min < to + ms && r.max > from - ms)) groups.push(i);
          }
          return groups;
        }),
      );
      const union = [...new Set(wanted.flat(2))].sort((a, b) => a - b);
      const read = await parquet.read({
        rowGroups: union,
        numeric: [{ name: this.store.timestamp.column, timestamp: true, unit: this.store.timestamp.unit }, ...FIELDS.map((field) => ({ name: this.columns[field] })), ...this.extraColumns.map(([, column]) => ({ name: column }))],
        matchAny: this.columns.symbol ? { column: this.columns.symbol, values: symbols } : undefined,
      });
      if (parquet.column(this.store.timestamp.column)?.adjustedToUTC === false) this.zone.toUtcInPlace(read.columns[0]!);
      // Row offset of each decoded row group, so a window scans only its own groups.
      const offset = new Map<number, number>();
      let at = 0;
      for (const g of union) {
        offset.set(g, at);
        at += parquet.rowGroupRows[g]!;
      }
      const bySlot = read.slots ? rowsBySlot(read.slots, symbols.length) : undefined;
      symbols.forEach((_, k) => {
        windows.forEach((_w, w) => {
          const groups = wanted[k]![w]!;
          const spans = groups.map((g) => [offset.get(g)!, offset.get(g)! + parquet.rowGroupRows[g]!] as const);
          const stat = stats[k]![w]!;
          for (const [a, b] of spans) stat.rowsRead += b - a;
          stat.rowGroupsRead += groups.length;
          stat.rowGroupsTotal += ranges.length;
          segments[k]![w]!.push({ columns: read.columns, rows: rowsWithin(spans, bySlot?.[k]) });
        });
      });
    }
    // Every window's columns are carved from one block: one allocation (and, from a decode
    // thread, one transfer) per read instead of six per window.
    let cells = 0;
    for (const perWindow of segments) for (const list of perWindow) for (const segment of list) cells += segment.rows.length;
    const block = new ReadBlock(cells * (FIELDS.length + 1 + this.extraColumns.length));
    return symbols.map((sym, k) => windows.map(({ from, to }, w) => ({ ok: true as const, loaded: this.extract(segments[k]![w]!, sym, interval, files[0]!, from, to, ms, stats[k]![w]!, block) })));
  }

  /**
   * Validate and copy the rows of one window out of decoded columns (which several windows
   * and symbols may share), counting rejected rows per reason and rows outside the window.
   */
  private extract(segments: readonly Segment[], symbol: string, interval: string, file: string, from: number, to: number, ms: number, stat: { rowsRead: number; rowGroupsRead: number; rowGroupsTotal: number }, block: ReadBlock): LoadedBars {
    const shift = this.store.timestamp.label === 'end' ? ms : 0;
    const lastStart = to - ms;
    const extraCount = this.extraColumns.length;
    let capacity = 0;
    for (const segment of segments) capacity += segment.rows.length;
    const kStart = block.take(capacity);
    const kOpen = block.take(capacity);
    const kHigh = block.take(capacity);
    const kLow = block.take(capacity);
    const kClose = block.take(capacity);
    const kVolume = block.take(capacity);
    const kExtra = this.extraColumns.map(() => block.take(capacity));
    let kept = 0;
    let outside = 0;
    let reordered = 0;
    const invalid = new Int32Array(ROW_REASONS.length);
    // Starts of rejected rows (rare), for quality that counts them when the clock passes them.
    const rejectedStarts: number[] = [];
    let previous = Number.NEGATIVE_INFINITY;
    for (const { columns, rows } of segments) {
      const ts = columns[0]!;
      const open = columns[1]!;
      const high = columns[2]!;
      const low = columns[3]!;
      const close = columns[4]!;
      const volume = columns[5]!;
      for (let r = 0; r < rows.length; r++) {
        const i = rows[r]!;
        const start = ts[i]! - shift;
        if (start !== start) {
          // A null timestamp belongs to no instant: it counts against the day at its end.
          invalid[NULL_OR_NAN]!++;
          rejectedStarts.push(lastStart);
          continue;
        }
        if (start < from || start > lastStart) {
          outside++;
          continue;
        }
        const o = open[i]!;
        const h = high[i]!;
        const l = low[i]!;
        const c = close[i]!;
        const v = volume[i]!;
        // The window starts at the session open, the grid's anchor (DESIGN §1).
        const code = classifyRow(start, previous, start - from, ms, o, h, l, c, v);
        if (code === ROW_OK || code === ROW_LATE) {
          kStart[kept] = start;
          kOpen[kept] = o;
          kHigh[kept] = h;
          kLow[kept] = l;
          kClose[kept] = c;
          kVolume[kept] = v;
          for (let e = 0; e < extraCount; e++) kExtra[e]![kept] = columns[6 + e]![i]!;
          kept++;
          if (code === ROW_OK) previous = start;
          else reordered++;
        } else {
          invalid[code]!++;
          rejectedStarts.push(start);
        }
      }
    }
    // An unsorted file is sorted, not dropped; repeats it hid are removed (the first kept).
    // A repeat found only now arrived late (an in-order repeat was caught above), so it is a
    // duplicate, not a reordered row: the counts match data check's.
    if (reordered > 0) kept = sortKept([kStart, kOpen, kHigh, kLow, kClose, kVolume, ...kExtra], kept, (start) => {
      invalid[DUPLICATE]!++;
      reordered--;
      rejectedStarts.push(start);
    });
    const rejected: RejectCounts = rejectCountsOf(invalid);
    // Views of the kept rows (the rest of each column's room in the block stays unused).
    const bars: BarColumns = { length: kept, start: keptRows(kStart, kept), open: keptRows(kOpen, kept), high: keptRows(kHigh, kept), low: keptRows(kLow, kept), close: keptRows(kClose, kept), volume: keptRows(kVolume, kept) };
    return {
      symbol,
      interval,
      file,
      bars: extraCount === 0 ? bars : { ...bars, extra: Object.fromEntries(this.extraColumns.map(([name], e) => [name, keptRows(kExtra[e]!, kept)])) },
      rejected,
      // The usual clean window shares one empty array instead of allocating its own.
      rejectedStarts: rejectedStarts.length === 0 ? NO_STARTS : Float64Array.from(rejectedStarts).sort(),
      reordered,
      outside,
      ...stat,
    };
  }

  private async readDaily(symbol: string, sessions: readonly Session[], files: readonly string[]): Promise<DailyBars> {
    const first = sessions[0]!;
    // Each session's exchange-local calendar day in UTC, computed once per session.
    const days = sessions.map((s) => {
      const midnight = Date.parse(`${s.date}T00:00:00Z`);
      return { session: s, from: this.zone.toUtc(midnight), to: this.zone.toUtc(midnight + DAY_MS), utcMidnight: midnight };
    });
    const byUtcMidnight = new Map(days.map((d, k) => [d.utcMidnight, k] as const));
    const lo = Math.min(days[0]!.from, days[0]!.utcMidnight);
    const hi = Math.max(days[days.length - 1]!.to, days[days.length - 1]!.utcMidnight + 1);
    const found = new Array<{ o: number; h: number; l: number; c: number; v: number; extra: number[] } | undefined>(sessions.length);
    const rejected = noRejects();
    for (const file of files) {
      const parquet = await this.open(file, symbol, first.date);
      parquet.requireColumns(this.requirements, { symbol, date: first.date });
      const ranges = this.timeRangesOf(parquet);
      const groups: number[] = [];
      ranges.forEach((r, i) => {
        if (!r || (r.min < hi && r.max > lo)) groups.push(i);
      });
      const read = await parquet.read({
        rowGroups: groups,
        numeric: [{ name: this.store.timestamp.column, timestamp: true, unit: this.store.timestamp.unit }, ...FIELDS.map((field) => ({ name: this.columns[field] })), ...this.extraColumns.map(([, column]) => ({ name: column }))],
        matchAny: this.columns.symbol ? { column: this.columns.symbol, values: [symbol] } : undefined,
      });
      const naive = parquet.column(this.store.timestamp.column)?.adjustedToUTC === false;
      if (naive) this.zone.toUtcInPlace(read.columns[0]!);
      const [ts, open, high, low, close, volume] = read.columns as [Float64Array, Float64Array, Float64Array, Float64Array, Float64Array, Float64Array];
      for (let i = 0; i < read.rows; i++) {
        if (read.slots && read.slots[i] !== 0) continue;
        const t = ts[i]!;
        let k = !naive ? byUtcMidnight.get(t) : undefined;
        if (k === undefined) k = findDay(days, t);
        if (k < 0) continue;
        const o = open[i]!;
        const h = high[i]!;
        const l = low[i]!;
        const c = close[i]!;
        const v = volume[i]!;
        // The same rule as intraday rows; a daily bar is keyed by its date, so no grid, and a
        // second row of a date is the duplicate.
        const code = classifyRow(k, found[k] ? k : Number.NEGATIVE_INFINITY, 0, 0, o, h, l, c, v);
        if (code === ROW_OK) found[k] = { o, h, l, c, v, extra: this.extraColumns.map((_, e) => read.columns[6 + e]![i]!) };
        else rejected[ROW_REASONS[code]!]++;
      }
    }
    const kept = sessions.flatMap((s, k) => (found[k] ? [{ session: s, bar: found[k] }] : []));
    const bars: BarColumns = {
      length: kept.length,
      start: Float64Array.from(kept, (x) => x.session.open),
      open: Float64Array.from(kept, (x) => x.bar.o),
      high: Float64Array.from(kept, (x) => x.bar.h),
      low: Float64Array.from(kept, (x) => x.bar.l),
      close: Float64Array.from(kept, (x) => x.bar.c),
      volume: Float64Array.from(kept, (x) => x.bar.v),
      ...(this.extraColumns.length > 0 ? { extra: Object.fromEntries(this.extraColumns.map(([name], e) => [name, Float64Array.from(kept, (x) => x.bar.extra[e]!)])) } : {}),
    };
    const missing = sessions.flatMap((s, k) => (found[k] ? [] : [{ date: s.date, reason: `no daily bar of ${symbol} on ${s.date} in ${files.join(', ')}` }]));
    return { symbol, source: 'file', files, bars, dates: kept.map((x) => x.session.date), missing, rejected };
  }

  private async deriveDaily(symbol: string, sessions: readonly Session[], from: string): Promise<DailyBars> {
    const results = await this.loadMany(symbol, from, sessions.map((s) => ({ from: s.open, to: s.close, date: s.date })));
    const rows: Array<{ date: string; start: number; o: number; h: number; l: number; c: number; v: number }> = [];
    const missing: Array<{ date: string; reason: string }> = [];
    const files = new Set<string>();
    const rejected = noRejects();
    results.forEach((result, k) => {
      const session = sessions[k]!;
      if (!result.ok) {
        missing.push({ date: session.date, reason: result.error.message });
        return;
      }
      const { bars } = result.loaded;
      files.add(result.loaded.file);
      for (const [reason, n] of Object.entries(result.loaded.rejected) as Array<[RejectReason, number]>) rejected[reason] += n;
      const day = dailyBarOf(bars);
      if (day === undefined) {
        missing.push({ date: session.date, reason: `no ${from} bars of ${symbol} in the regular session of ${session.date} to derive a daily bar from` });
        return;
      }
      rows.push({ date: session.date, start: session.open, o: day.open, h: day.high, l: day.low, c: day.close, v: day.volume });
    });
    const bars: BarColumns = {
      length: rows.length,
      start: Float64Array.from(rows, (r) => r.start),
      open: Float64Array.from(rows, (r) => r.o),
      high: Float64Array.from(rows, (r) => r.h),
      low: Float64Array.from(rows, (r) => r.l),
      close: Float64Array.from(rows, (r) => r.c),
      volume: Float64Array.from(rows, (r) => r.v),
    };
    return { symbol, source: 'derived', files: [...files], bars, dates: rows.map((r) => r.date), missing, rejected };
  }

  /**
   * Forget cached footers (and free their wasm handles), e.g. after rewriting store files.
   *
   * @example
   * ```ts
   * reader.clearCache();
   * ```
   */
  clearCache(): void {
    for (const file of this.footers.values()) file.close();
    this.footers.clear();
  }

  private async open(file: string, symbol: string, date: string): Promise<ParquetFile> {
    let stat;
    try {
      stat = statSync(file);
    } catch (cause) {
      this.forget(file);
      throw new DataError(`no data file for ${symbol} on ${date}: ${file}`, { file, symbol, date }, { cause });
    }
    // A folder named like a data file is a broken store, not a missing day: say so, by name
    // (reading it failed later with a bare EISDIR).
    if (!stat.isFile()) throw new DataError(`${file} is a ${stat.isDirectory() ? 'directory' : 'special file'}, not a Parquet file (${symbol} on ${date})`, { file, symbol, date });
    const cached = this.footers.get(file);
    if (cached && cached.byteLength === stat.size && cached.mtimeMs === stat.mtimeMs) {
      // Re-insert to mark as most recently used.
      this.footers.delete(file);
      this.footers.set(file, cached);
      return cached;
    }
    this.forget(file);
    let parquet: ParquetFile;
    try {
      parquet = await ParquetFile.open(file, { ...(this.wholeFileMaxBytes === undefined ? {} : { wholeFileMaxBytes: this.wholeFileMaxBytes }), prefetchSmall: this.perDay });
    } catch (error) {
      if (error instanceof DataError) throw new DataError(error.message, { file, symbol, date }, { cause: error });
      throw error;
    }
    // A per-day file is read once per run (the session cache keeps its bars): caching its
    // footer would only churn the LRU.
    if (this.perDay) return parquet;
    // What every read of this file asks, derived once; then the parsed tree goes (compact).
    this.timeRangesOf(parquet);
    if (this.columns.symbol) parquet.stringRanges(this.columns.symbol);
    parquet.compact();
    this.footers.set(file, parquet);
    let bytes = 0;
    for (const cached of this.footers.values()) bytes += cached.residentBytes;
    // The least recently used go first; the file just opened always stays.
    for (const [oldest, cached] of this.footers) {
      if (this.footers.size <= 1 || (this.footers.size <= this.footerCacheSize && bytes <= this.footerCacheBytes)) break;
      bytes -= cached.residentBytes;
      this.forget(oldest);
    }
    return parquet;
  }

  private forget(file: string): void {
    const cached = this.footers.get(file);
    if (!cached) return;
    cached.close();
    this.footers.delete(file);
  }
}

function checkWindow(from: number, to: number): void {
  if (!Number.isFinite(from)) throw ConfigError.at('from', from, 'a finite epoch-ms instant');
  if (!Number.isFinite(to) || to <= from) throw ConfigError.at('to', to, `a finite epoch-ms instant after from (${from})`);
}

/** Every problem of a store config at once, so a user fixes them in one go. */
function validateStore(store: StoreConfig): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const add = (p: string, value: unknown, expected: string): void => {
    problems.push({ path: `store.${p}`, value, expected, message: `expected ${expected}, got ${JSON.stringify(value) ?? String(value)}` });
  };
  if (typeof store !== 'object' || store === null) {
    add('', store, 'an object');
    return problems;
  }
  if (typeof store.root !== 'string' || !path.isAbsolute(store.root)) add('root', store.root, 'an absolute folder path');
  try {
    layoutIsPerDay(store.layout);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    for (const problem of error.problems) problems.push(problem);
  }
  const ts = store.timestamp as Partial<StoreConfig['timestamp']> | undefined;
  if (typeof ts !== 'object' || ts === null) add('timestamp', ts, 'an object { column, label, unit? }');
  else {
    if (typeof ts.column !== 'string' || ts.column.length === 0) add('timestamp.column', ts.column, 'a column name');
    if (ts.label !== 'start' && ts.label !== 'end') add('timestamp.label', ts.label, '"start" or "end"');
    if (ts.unit !== undefined && !UNITS.has(ts.unit)) add('timestamp.unit', ts.unit, '"s", "ms", "us" or "ns"');
  }
  if (store.columns !== undefined) {
    if (typeof store.columns !== 'object' || store.columns === null) add('columns', store.columns, 'an object of column names');
    else {
      for (const [key, value] of Object.entries(store.columns)) {
        if (key === 'extra') {
          if (value === undefined) continue;
          if (typeof value !== 'object' || value === null) add('columns.extra', value, 'an object { name: column }');
          else {
            for (const [name, column] of Object.entries(value)) {
              if ((FIELDS as readonly string[]).includes(name) || name === 'start') add(`columns.extra.${name}`, column, `a name other than start, ${FIELDS.join(', ')}`);
              else if (typeof column !== 'string' || column.length === 0) add(`columns.extra.${name}`, column, 'a column name');
            }
          }
        } else if (![...FIELDS, 'symbol'].includes(key)) add(`columns.${key}`, value, 'one of open, high, low, close, volume, symbol, extra');
        else if (value !== undefined && (typeof value !== 'string' || value.length === 0)) add(`columns.${key}`, value, 'a column name');
      }
    }
  }
  if (store.timezone !== undefined) {
    try {
      new Intl.DateTimeFormat('en-CA', { timeZone: store.timezone });
      new ZoneClock(store.timezone, 'store.timezone');
    } catch {
      add('timezone', store.timezone, 'an IANA time zone such as "America/New_York"');
    }
  }
  if (store.layouts !== undefined) {
    if (typeof store.layouts !== 'object' || store.layouts === null) add('layouts', store.layouts, 'an object { interval: template }');
    else {
      for (const [interval, template] of Object.entries(store.layouts)) {
        try {
          layoutIsPerDay(template);
        } catch (error) {
          if (!(error instanceof ConfigError)) throw error;
          add(`layouts.${interval}`, template, error.problems[0]?.expected ?? 'a path template');
        }
      }
    }
  }
  return problems;
}

/** The same data problem, attributed to one symbol of a shared file. */
function withSymbol(error: DataError, symbol: string, date: string): DataError {
  if (error.symbol === symbol) return error;
  return new DataError(error.message, { ...(error.file ? { file: error.file } : {}), ...(error.column ? { column: error.column } : {}), symbol, date: error.date ?? date }, { cause: error });
}

function firstMin(ranges: readonly TimeRange[]): number {
  for (const r of ranges) if (r) return r.min;
  return Number.POSITIVE_INFINITY;
}

/** Rows of each slot, ascending (a counting sort of the slot column: one pass to count, one to place). */
function rowsBySlot(slots: Int32Array, count: number): Uint32Array[] {
  const sizes = new Uint32Array(count);
  for (let i = 0; i < slots.length; i++) {
    const k = slots[i]!;
    if (k >= 0) sizes[k]!++;
  }
  const out = Array.from(sizes, (n) => new Uint32Array(n));
  const fill = new Uint32Array(count);
  for (let i = 0; i < slots.length; i++) {
    const k = slots[i]!;
    if (k >= 0) out[k]![fill[k]!++] = i;
  }
  return out;
}

/** The rows inside `spans` (ascending, disjoint): every row, or those of `candidates` (ascending). */
function rowsWithin(spans: ReadonlyArray<readonly [number, number]>, candidates: Uint32Array | undefined): Uint32Array {
  if (!candidates) {
    let n = 0;
    for (const [a, b] of spans) n += b - a;
    const out = new Uint32Array(n);
    let at = 0;
    for (const [a, b] of spans) for (let i = a; i < b; i++) out[at++] = i;
    return out;
  }
  const out = new Uint32Array(candidates.length);
  let at = 0;
  let s = 0;
  for (let r = 0; r < candidates.length && s < spans.length; r++) {
    const i = candidates[r]!;
    while (s < spans.length && spans[s]![1] <= i) s++;
    if (s < spans.length && i >= spans[s]![0]) out[at++] = i;
  }
  return at === out.length ? out : out.slice(0, at);
}

/** Index of the day whose [from, to) holds `t` (days ascending), or -1. */
function findDay(days: ReadonlyArray<{ from: number; to: number }>, t: number): number {
  let lo = 0;
  let hi = days.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const day = days[mid]!;
    if (t < day.from) hi = mid - 1;
    else if (t >= day.to) lo = mid + 1;
    else return mid;
  }
  return -1;
}

function emptyBars(): BarColumns {
  const empty = new Float64Array(0);
  return { length: 0, start: empty, open: empty, high: empty, low: empty, close: empty, volume: empty };
}

/** Rows `[from, to)` of `bars` (copies: the caller may keep them past the source). */
function sliceBars(bars: BarColumns, from: number, to: number): BarColumns {
  const extra = bars.extra ? Object.fromEntries(Object.entries(bars.extra).map(([k, v]) => [k, v.slice(from, to)])) : undefined;
  return { length: to - from, start: bars.start.slice(from, to), open: bars.open.slice(from, to), high: bars.high.slice(from, to), low: bars.low.slice(from, to), close: bars.close.slice(from, to), volume: bars.volume.slice(from, to), ...(extra ? { extra } : {}) };
}

function noRejects(): RejectCounts {
  return rejectCountsOf([]);
}

function isFile(file: string): boolean {
  try {
    return statSync(file).isFile();
  } catch {
    return false;
  }
}
