import { statSync } from 'node:fs';
import path from 'node:path';
import { intervalMs } from '../calendar/interval.ts';
import { ConfigError, DataError, type ConfigProblem } from '../errors.ts';
import { layoutIsPerDay, resolveLayout } from './layout.ts';
import { ParquetFile, type ColumnRequirement } from './parquet-file.ts';
import type { Availability, LoadedBars, RejectCounts, StoreConfig, TimestampUnit } from './types.ts';

/** Tuning knobs of {@link ParquetBarReader}. */
export interface BarReaderOptions {
  /**
   * Footers kept in memory (LRU). Per-year files are reopened every day, so re-parsing their
   * footer would dominate; per-day files simply cycle through. Default 256.
   */
  readonly footerCacheSize?: number;
  /** See `ParquetFileOptions.wholeFileMaxBytes`. Default 1 MiB. */
  readonly wholeFileMaxBytes?: number;
}

const UNITS = new Set<TimestampUnit>(['s', 'ms', 'us', 'ns']);
const FIELDS = ['open', 'high', 'low', 'close', 'volume'] as const;

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
  private readonly footers = new Map<string, ParquetFile>();
  private readonly footerCacheSize: number;
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
    this.requirements = [
      { name: store.timestamp.column, role: 'timestamp.column', expect: 'timestamp', unit },
      ...FIELDS.map((field): ColumnRequirement => ({ name: this.columns[field], role: `columns.${field}`, expect: 'number' })),
      ...(this.columns.symbol ? [{ name: this.columns.symbol, role: 'columns.symbol', expect: 'string' } as const] : []),
    ];
    this.footerCacheSize = Math.max(1, options.footerCacheSize ?? 256);
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
   * file rejects the whole call with a {@link DataError}.
   *
   * @example
   * ```ts
   * const [mon, tue] = await reader.loadMany('SPY', '1m', [{ from: mo.open, to: mo.close, date: mo.date }, { from: tu.open, to: tu.close, date: tu.date }]);
   * if (mon.ok) console.log(mon.loaded.bars.length);
   * ```
   */
  async loadMany(symbol: string, interval: string, windows: ReadonlyArray<{ from: number; to: number; date?: string }>): Promise<Array<{ ok: true; loaded: LoadedBars } | { ok: false; error: DataError }>> {
    const ms = intervalMs(interval);
    const byFile = new Map<string, Array<{ index: number; from: number; to: number; date: string }>>();
    windows.forEach(({ from, to, date }, index) => {
      checkWindow(from, to);
      const day = date ?? this.dateFormat.format(from);
      const file = resolveLayout(this.store, { symbol, interval, date: day });
      let group = byFile.get(file);
      if (!group) byFile.set(file, (group = []));
      group.push({ index, from, to, date: day });
    });
    const out = new Array<{ ok: true; loaded: LoadedBars } | { ok: false; error: DataError }>(windows.length);
    for (const [file, group] of byFile) {
      try {
        await this.readGroup(file, group, symbol, interval, ms, out);
      } catch (error) {
        if (!(error instanceof DataError)) throw error;
        for (const { index } of group) out[index] = { ok: false, error };
      }
    }
    return out;
  }

  private async readGroup(file: string, group: ReadonlyArray<{ index: number; from: number; to: number; date: string }>, symbol: string, interval: string, ms: number, out: Array<{ ok: true; loaded: LoadedBars } | { ok: false; error: DataError }>): Promise<void> {
    const parquet = await this.open(file, symbol, group[0]!.date);
    parquet.requireColumns(this.requirements, { symbol, date: group[0]!.date });
    const ranges = parquet.timeRanges(this.store.timestamp.column, this.store.timestamp.unit);
    // Either label can sit up to one interval outside a window, so prune with that margin.
    const wanted = group.map(({ from, to }) => {
      const groups: number[] = [];
      for (let i = 0; i < ranges.length; i++) {
        const r = ranges[i];
        if (!r || (r.min < to + ms && r.max > from - ms)) groups.push(i);
      }
      return groups;
    });
    const union = [...new Set(wanted.flat())].sort((a, b) => a - b);
    const { columns } = this;
    const read = await parquet.read({
      rowGroups: union,
      numeric: [{ name: this.store.timestamp.column, timestamp: true, unit: this.store.timestamp.unit }, ...FIELDS.map((field) => ({ name: columns[field] }))],
      match: columns.symbol ? { column: columns.symbol, value: symbol } : undefined,
    });
    // Row offset of each decoded row group, so a window scans only its own groups.
    const offset = new Map<number, number>();
    let at = 0;
    for (const g of union) {
      offset.set(g, at);
      at += parquet.rowGroupRows[g]!;
    }
    group.forEach(({ index, from, to }, k) => {
      const spans = wanted[k]!.map((g) => [offset.get(g)!, offset.get(g)! + parquet.rowGroupRows[g]!] as const);
      out[index] = { ok: true, loaded: this.extract(read, spans, symbol, interval, file, from, to, ms, ranges.length, wanted[k]!.length) };
    });
  }

  /**
   * Validate and copy the rows of one window out of decoded columns (which several windows
   * may share), counting rejected rows per reason and rows outside the window.
   */
  private extract(read: { rows: number; columns: Float64Array[]; matches?: Uint8Array | undefined }, spans: ReadonlyArray<readonly [number, number]>, symbol: string, interval: string, file: string, from: number, to: number, ms: number, rowGroupsTotal: number, rowGroupsRead: number): LoadedBars {
    const [ts, open, high, low, close, volume] = read.columns as [Float64Array, Float64Array, Float64Array, Float64Array, Float64Array, Float64Array];
    const matches = read.matches;
    const shift = this.store.timestamp.label === 'end' ? ms : 0;
    const lastStart = to - ms;
    let capacity = 0;
    for (const [a, b] of spans) capacity += b - a;
    const kStart = new Float64Array(capacity);
    const kOpen = new Float64Array(capacity);
    const kHigh = new Float64Array(capacity);
    const kLow = new Float64Array(capacity);
    const kClose = new Float64Array(capacity);
    const kVolume = new Float64Array(capacity);
    let kept = 0;
    let rowsRead = 0;
    let outside = 0;
    let nulls = 0;
    let highBelowLow = 0;
    let outsideRange = 0;
    let negativeVolume = 0;
    let duplicates = 0;
    let outOfOrder = 0;
    let previous = Number.NEGATIVE_INFINITY;
    for (const [a, b] of spans) {
      rowsRead += b - a;
      for (let i = a; i < b; i++) {
        if (matches !== undefined && matches[i] === 0) continue;
        const start = ts[i]! - shift;
        if (start !== start) {
          nulls++;
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
        // NaN fails every comparison, so the cheap self-inequality test catches nulls too.
        if (o !== o || h !== h || l !== l || c !== c || v !== v) nulls++;
        else if (h < l) highBelowLow++;
        else if (o < l || o > h || c < l || c > h) outsideRange++;
        else if (v < 0) negativeVolume++;
        else if (start === previous) duplicates++;
        else if (start < previous) outOfOrder++;
        else {
          kStart[kept] = start;
          kOpen[kept] = o;
          kHigh[kept] = h;
          kLow[kept] = l;
          kClose[kept] = c;
          kVolume[kept] = v;
          kept++;
          previous = start;
        }
      }
    }
    // Trim so a coarse file's other days are not kept alive by oversized arrays.
    const trim = (a: Float64Array): Float64Array => (kept === a.length ? a : a.slice(0, kept));
    const rejected: RejectCounts = {
      null_or_nan: nulls,
      high_below_low: highBelowLow,
      open_close_outside_range: outsideRange,
      negative_volume: negativeVolume,
      duplicate_timestamp: duplicates,
      out_of_order: outOfOrder,
    };
    return {
      symbol,
      interval,
      file,
      bars: { length: kept, start: trim(kStart), open: trim(kOpen), high: trim(kHigh), low: trim(kLow), close: trim(kClose), volume: trim(kVolume) },
      rejected,
      outside,
      rowsRead,
      rowGroupsRead,
      rowGroupsTotal,
    };
  }

  /**
   * Availability check for validation (DESIGN §4): never throws for missing or broken data,
   * it reports why. Per-day layouts only `stat` the file; coarser files consult the cached
   * footer statistics for a row group overlapping the window.
   *
   * @example
   * ```ts
   * const a = await reader.exists('SPY', '1m', '2013-10-07', open, close);
   * if (!a.ok) console.error(a.reason);
   * ```
   */
  async exists(symbol: string, interval: string, date: string, from: number, to: number): Promise<Availability> {
    const ms = intervalMs(interval);
    checkWindow(from, to);
    const file = resolveLayout(this.store, { symbol, interval, date });
    if (this.perDay) {
      try {
        const stat = statSync(file);
        if (!stat.isFile()) return { ok: false, file, reason: `not a file: ${file}` };
        return { ok: true, file };
      } catch {
        return { ok: false, file, reason: `no data file for ${symbol} on ${date}: ${file}` };
      }
    }
    let parquet: ParquetFile;
    try {
      parquet = await this.open(file, symbol, date);
      parquet.requireColumns(this.requirements.slice(0, 1), { symbol, date });
    } catch (error) {
      if (error instanceof DataError) return { ok: false, file, reason: error.message };
      throw error;
    }
    // Raw timestamps of bars fully inside the window lie in [lo, hi).
    const shift = this.store.timestamp.label === 'end' ? ms : 0;
    const lo = from + shift;
    const hi = to - ms + shift + 1;
    const ranges = parquet.timeRanges(this.store.timestamp.column, this.store.timestamp.unit);
    for (let i = 0; i < ranges.length; i++) {
      const r = ranges[i];
      if (parquet.rowGroupRows[i] === 0) continue;
      if (!r || (r.min < hi && r.max > lo)) return { ok: true, file };
    }
    return { ok: false, file, reason: `no bars of ${symbol} on ${date} in ${file} (no row group's timestamps overlap the session)` };
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
    this.footers.set(file, parquet);
    if (this.footers.size > this.footerCacheSize) {
      const oldest = this.footers.keys().next().value;
      if (oldest !== undefined) this.forget(oldest);
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
        if (![...FIELDS, 'symbol'].includes(key)) add(`columns.${key}`, value, 'one of open, high, low, close, volume, symbol');
        else if (value !== undefined && (typeof value !== 'string' || value.length === 0)) add(`columns.${key}`, value, 'a column name');
      }
    }
  }
  if (store.timezone !== undefined) {
    try {
      new Intl.DateTimeFormat('en-CA', { timeZone: store.timezone });
    } catch {
      add('timezone', store.timezone, 'an IANA time zone such as "America/New_York"');
    }
  }
  return problems;
}
