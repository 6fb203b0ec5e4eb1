import { existsSync, statSync } from 'node:fs';
import { mkdir, readdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { randomBytes } from 'node:crypto';
import { formatDay } from '../../calendar/civil-date.ts';
import { getCalendar } from '../../calendar/get-calendar.ts';
import { parseInterval } from '../../calendar/interval.ts';
import { ConfigError, DataError, quote } from '../../errors.ts';
import { resolveLayout } from '../layout.ts';
import { ParquetFile } from '../parquet-file.ts';
import { PARQUET_COMPRESSIONS, writeParquetFile, type ParquetCompression } from '../parquet-writer.ts';
import type { OhlcvColumns, TimestampUnit } from '../types.ts';
import { SessionGrid } from './session-grid.ts';
import { BarCollector, type CollectedBars, type ImportRejectReason, type RejectExample } from './bar-collector.ts';
import type { ImportField } from './import-presets.ts';
import { readCsvBars } from './read-csv-bars.ts';
import { readParquetBars } from './read-parquet-bars.ts';
import { readStoreManifest, STORE_MANIFEST, type StoreManifestFile } from './store-manifest.ts';
import { ZoneClock } from '../../calendar/zone-clock.ts';

/** Default layout of imported stores: one file per symbol and year, a row group per day. */
export const IMPORT_DEFAULT_LAYOUT = '{interval}/{symbol}/{yyyy}.parquet';
/** Bumped when the bytes written for the same input change. */
export const IMPORT_WRITER_VERSION = 1;

const FIELDS: readonly ImportField[] = ['timestamp', 'date', 'time', 'open', 'high', 'low', 'close', 'volume', 'symbol'];
const INPUT = /\.(csv|txt|csv\.gz|txt\.gz|parquet)$/i;

/** Options of {@link importBars}. */
export interface ImportOptions {
  /** Files, or folders whose `.csv`, `.txt`, `.csv.gz` and `.parquet` files are imported (recursively). */
  readonly inputs: readonly string[];
  /** Store root folder; created if missing. */
  readonly store: string;
  /** Bar interval of the input, e.g. `1m`. */
  readonly interval: string;
  /** Exchange calendar whose zone decides each bar's trading date (file and row group). Default `XNYS`. */
  readonly calendar?: string;
  /** Layout template; default the store manifest's, else {@link IMPORT_DEFAULT_LAYOUT}. Must contain `{symbol}`. */
  readonly layout?: string;
  /** Preset name (`generic`, `lean`, `polygon`, `kibot`); default: detected per file. */
  readonly format?: string;
  /** Source column → field overrides, e.g. `{ px_last: 'close' }`. */
  readonly map?: Readonly<Record<string, string>>;
  /** The symbol of every row (single-symbol files without a symbol column). */
  readonly symbol?: string;
  /** The column holding each row's symbol. */
  readonly symbolColumn?: string;
  /** Zone of naive timestamps; default the calendar's. */
  readonly timezone?: string;
  /** Override the preset's label: `end` shifts timestamps back by one interval to the bar start. */
  readonly label?: 'start' | 'end';
  /** Epoch unit of numeric timestamps; default detected (CSV) — required for plain-integer Parquet columns. */
  readonly unit?: TimestampUnit;
  /** Multiply prices by this (e.g. `0.0001` for Lean's raw deci-cents). Default 1. */
  readonly priceScale?: number;
  /** CSV field delimiter (one character); default: detected per file (tab, `;`, `,` or `|`). */
  readonly delimiter?: string;
  /** Rows per row group instead of one row group per trading day. */
  readonly rowGroupSize?: number;
  /**
   * Page compression of the written files (default `'snappy'`): parquet-wasm decodes Snappy
   * about 4.5× faster than ZSTD, and decoding is most of a backtest's loading; ZSTD files are
   * about 35% smaller.
   */
  readonly compression?: ParquetCompression;
  /** Rejected-row examples kept per reason. Default 5. */
  readonly examplesPerReason?: number;
  /** Progress of reading, in input bytes. */
  readonly onProgress?: (done: number, total: number) => void;
}

/** One store file the import touched. */
export interface ImportedFile {
  readonly path: string;
  readonly symbol: string;
  /** Rows in the file after the import. */
  readonly rows: number;
  /** Imported rows whose timestamp the file did not have. */
  readonly added: number;
  /** Imported rows that replaced a stored row with different values. */
  readonly replaced: number;
  /** `false` when the file already held exactly these rows (it was not rewritten). */
  readonly written: boolean;
  readonly bytes: number;
  readonly rowGroups: number;
}

/** What {@link importBars} did. */
export interface ImportReport {
  readonly store: string;
  readonly layout: string;
  readonly interval: string;
  readonly calendar: string;
  readonly timezone: string;
  readonly inputs: ReadonlyArray<{ readonly file: string; readonly format: string; readonly rows: number }>;
  readonly rowsRead: number;
  /** Distinct bars accepted (after validation and de-duplication). */
  readonly rowsAccepted: number;
  readonly rowsRejected: number;
  readonly rejected: Readonly<Record<ImportRejectReason, number>>;
  /** First rejected rows per reason, with file and line. */
  readonly examples: readonly RejectExample[];
  /** Accepted rows that arrived out of time order (sorted on import). */
  readonly reordered: number;
  readonly symbols: readonly string[];
  readonly files: readonly ImportedFile[];
  readonly elapsedMs: number;
}

/**
 * Convert bar files (CSV in any preset format, or Parquet with another schema) into a
 * store's layout: rows are validated (rejections counted by reason, with file:line
 * examples), sorted and de-duplicated per symbol, grouped into layout files by the
 * exchange-local trading date, merged with what a file already holds (imported rows win on
 * equal timestamps), and written as ZSTD Parquet with page and chunk statistics and one row
 * group per trading day (or `rowGroupSize` rows). Every file is written to a temporary name
 * and renamed into place, so an interrupted import never leaves a half-written file; a file
 * whose content would not change is not rewritten, so re-importing the same data is
 * idempotent (identical bytes). `store.json` at the root records the layout, timestamp
 * column and zone (README "Importing data").
 *
 * @throws ConfigError for bad options or inputs; DataError for unreadable inputs or store files.
 * @example
 * ```ts
 * const report = await importBars({ inputs: ['downloads/SPY.csv'], store: 'bars', interval: '1m', symbol: 'SPY' });
 * console.log(report.rowsAccepted, report.rejected, report.files.length);
 * ```
 */
export async function importBars(options: ImportOptions): Promise<ImportReport> {
  const started = performance.now();
  const interval = parseInterval(options.interval, 'interval');
  const calendar = getCalendar(options.calendar ?? 'XNYS');
  const root = resolve(options.store);
  const manifest = readStoreManifest(root);
  const layout = options.layout ?? manifest?.store.layout ?? IMPORT_DEFAULT_LAYOUT;
  if (manifest && manifest.store.layout !== layout) {
    throw ConfigError.at('layout', layout, `the layout of the existing store ${quote(manifest.store.layout)} (${manifest.file})`);
  }
  if (manifest && manifest.store.timezone !== undefined && manifest.store.timezone !== calendar.timezone) {
    throw ConfigError.at('calendar', calendar.name, `a calendar in the store's zone ${quote(manifest.store.timezone)} (${manifest.file})`);
  }
  if (!layout.includes('{symbol}')) throw ConfigError.at('layout', layout, 'a template with {symbol} (imported stores keep one symbol per file)');
  resolveLayout({ root, layout }, { symbol: 'CHECK', interval: interval.name, date: '2000-01-01' });
  if (options.symbol !== undefined && options.symbolColumn !== undefined) throw ConfigError.at('symbol', options.symbol, 'either --symbol or --symbol-column, not both');
  if (options.symbol !== undefined && !/^[A-Za-z0-9._^=-]+$/.test(options.symbol)) throw ConfigError.at('symbol', options.symbol, 'a symbol of letters, digits, ".", "_", "^", "=" or "-"');
  if (options.priceScale !== undefined && !(options.priceScale > 0 && Number.isFinite(options.priceScale))) throw ConfigError.at('priceScale', options.priceScale, 'a positive number');
  if (options.rowGroupSize !== undefined && !(Number.isInteger(options.rowGroupSize) && options.rowGroupSize > 0)) throw ConfigError.at('rowGroupSize', options.rowGroupSize, 'a positive integer');
  const compression = options.compression ?? 'snappy';
  if (!PARQUET_COMPRESSIONS.includes(compression)) throw ConfigError.at('compression', compression, PARQUET_COMPRESSIONS.map((c) => `'${c}'`).join(', '));
  if (options.label !== undefined && options.label !== 'start' && options.label !== 'end') throw ConfigError.at('label', options.label, '"start" or "end"');
  const map: Record<string, ImportField> = {};
  for (const [source, field] of Object.entries(options.map ?? {})) {
    if (!FIELDS.includes(field as ImportField)) throw ConfigError.at(`map.${source}`, field, `one of ${FIELDS.join(', ')}`);
    map[source] = field as ImportField;
  }
  const zone = new ZoneClock(options.timezone ?? calendar.timezone, 'tz');
  const dayClock = new ZoneClock(calendar.timezone, 'calendar');

  const files = await expandInputs(options.inputs);
  const sizes = await Promise.all(files.map(async (f) => (await stat(f)).size));
  const total = sizes.reduce((a, b) => a + b, 0);
  let done = 0;
  const onBytes = options.onProgress ? (n: number) => options.onProgress!((done += n), total) : undefined;
  const grid = new SessionGrid(calendar, dayClock);
  const collector = new BarCollector({ intervalMs: interval.ms, anchorOf: (ts) => grid.anchorOf(ts), ...(options.examplesPerReason !== undefined ? { examplesPerReason: options.examplesPerReason } : {}) });
  const inputs: Array<{ file: string; format: string; rows: number }> = [];
  for (const file of files) {
    const common = {
      collector,
      fileIndex: collector.addFile(file),
      intervalMs: interval.ms,
      zone,
      format: options.format,
      map,
      symbol: options.symbol,
      symbolColumn: options.symbolColumn,
      label: options.label,
      unit: options.unit,
      priceScale: options.priceScale,
      delimiter: options.delimiter,
      onBytes,
    };
    const read = /\.parquet$/i.test(file) ? await readParquetBars(file, common) : await readCsvBars(file, common);
    inputs.push({ file, format: read.preset, rows: read.rows });
  }
  const collected = collector.finish();

  const written: ImportedFile[] = [];
  const symbolDates: Record<string, { from: string; to: string }> = {};
  for (const bars of collected.symbols) {
    if (bars.length === 0) continue;
    symbolDates[bars.symbol] = { from: formatDay(dayClock.localDay(bars.start[0]!)), to: formatDay(dayClock.localDay(bars.start[bars.length - 1]!)) };
    for (const [path, from, to] of fileRuns(bars, dayClock, root, layout, interval.name)) {
      written.push(await writeStoreFile(path, bars, from, to, dayClock, options.rowGroupSize, compression));
    }
  }
  const symbols = collected.symbols.filter((s) => s.length > 0).map((s) => s.symbol);
  await writeManifest(root, layout, calendar.name, calendar.timezone, interval.name, symbolDates);

  const rowsRejected = Object.values(collected.rejected).reduce((a, b) => a + b, 0);
  return {
    store: root,
    layout,
    interval: interval.name,
    calendar: calendar.name,
    timezone: zone.timezone,
    inputs,
    rowsRead: collected.rowsRead,
    rowsAccepted: collected.symbols.reduce((n, s) => n + s.length, 0),
    rowsRejected,
    rejected: collected.rejected,
    examples: collected.examples,
    reordered: collected.reordered,
    symbols,
    files: written,
    elapsedMs: performance.now() - started,
  };
}

async function expandInputs(inputs: readonly string[]): Promise<string[]> {
  if (!Array.isArray(inputs) || inputs.length === 0) throw ConfigError.at('inputs', inputs, 'at least one file or folder');
  const out: string[] = [];
  for (const input of inputs) {
    const path = resolve(input);
    let info;
    try {
      info = await stat(path);
    } catch (cause) {
      throw new DataError(`import input not found: ${path}`, { file: path }, { cause });
    }
    if (info.isDirectory()) {
      const entries = (await readdir(path, { recursive: true, withFileTypes: true })).filter((e) => e.isFile() && INPUT.test(e.name));
      const found = entries.map((e) => join(e.parentPath, e.name)).sort();
      if (found.length === 0) throw new DataError(`no .csv, .txt, .csv.gz or .parquet files in ${path}`, { file: path });
      out.push(...found);
    } else out.push(path);
  }
  return [...new Set(out)];
}

/** Consecutive row ranges of `bars` that belong to one layout file: `[path, from, to)`. */
function* fileRuns(bars: CollectedBars, dayClock: ZoneClock, root: string, layout: string, interval: string): Generator<[string, number, number]> {
  let path = '';
  let start = 0;
  let day = Number.NaN;
  for (let i = 0; i < bars.length; i++) {
    const d = dayClock.localDay(bars.start[i]!);
    if (d === day) continue;
    day = d;
    const file = resolveLayout({ root, layout }, { symbol: bars.symbol, interval, date: formatDay(d) });
    if (file === path) continue;
    if (i > 0) yield [path, start, i];
    path = file;
    start = i;
  }
  if (bars.length > 0) yield [path, start, bars.length];
}

/** Merge rows `[from, to)` of `bars` into the file at `path` (imported rows win) and write it if anything changed. */
async function writeStoreFile(path: string, bars: CollectedBars, from: number, to: number, dayClock: ZoneClock, rowGroupSize: number | undefined, compression: ParquetCompression): Promise<ImportedFile> {
  if (existsSync(path) && !statSync(path).isFile()) throw new DataError(`cannot write store file ${path}: the path exists and is not a file`, { file: path, symbol: bars.symbol });
  const existing = existsSync(path) ? await readStoreFile(path) : undefined;
  const n = to - from;
  const m = existing?.start.length ?? 0;
  const cols = { start: new Float64Array(n + m), open: new Float64Array(n + m), high: new Float64Array(n + m), low: new Float64Array(n + m), close: new Float64Array(n + m), volume: new Float64Array(n + m) };
  let k = 0;
  let added = 0;
  let replaced = 0;
  const copy = (src: OhlcvColumns, i: number): void => {
    cols.start[k] = src.start[i]!;
    cols.open[k] = src.open[i]!;
    cols.high[k] = src.high[i]!;
    cols.low[k] = src.low[i]!;
    cols.close[k] = src.close[i]!;
    cols.volume[k] = src.volume[i]!;
    k++;
  };
  let i = from;
  let j = 0;
  while (i < to || j < m) {
    const a = i < to ? bars.start[i]! : Number.POSITIVE_INFINITY;
    const b = j < m ? existing!.start[j]! : Number.POSITIVE_INFINITY;
    if (a < b) {
      added++;
      copy(bars, i++);
    } else if (b < a) copy(existing!, j++);
    else {
      const e = existing!;
      if (bars.open[i] !== e.open[j] || bars.high[i] !== e.high[j] || bars.low[i] !== e.low[j] || bars.close[i] !== e.close[j] || bars.volume[i] !== e.volume[j]) replaced++;
      copy(bars, i++);
      j++;
    }
  }
  const rows = k;
  const slice = (a: Float64Array) => (rows === a.length ? a : a.subarray(0, rows));
  const boundaries: number[] = [];
  let day = Number.NaN;
  for (let r = 0; r < rows; r++) {
    const d = dayClock.localDay(cols.start[r]!);
    if (d !== day) boundaries.push(r);
    day = d;
  }
  const rowGroups = rowGroupSize === undefined ? boundaries.length : Math.ceil(rows / rowGroupSize);
  if (existing && added === 0 && replaced === 0) {
    return { path, symbol: bars.symbol, rows, added, replaced, written: false, bytes: existing.bytes, rowGroups: existing.rowGroups };
  }
  const volume = slice(cols.volume);
  const integral = volume.every((v) => Number.isSafeInteger(v));
  const result = await writeParquetFile(
    path,
    // The store's column is `ts` (the layout's timestamp column); in memory bars have a `start`.
    { ts: slice(cols.start), open: slice(cols.open), high: slice(cols.high), low: slice(cols.low), close: slice(cols.close), volume },
    {
      timestampColumns: ['ts'],
      int64Columns: integral ? ['volume'] : [],
      compression,
      ...(rowGroupSize === undefined ? { rowGroupBoundaries: boundaries } : { rowGroupSize }),
      metadata: { 'sessionflow.import': `version=${IMPORT_WRITER_VERSION}` },
    },
  );
  return { path, symbol: bars.symbol, rows, added, replaced, written: true, bytes: result.bytes, rowGroups };
}

/** Every row of a store file written by an import (or any file with the same columns). */
async function readStoreFile(path: string): Promise<OhlcvColumns & { bytes: number; rowGroups: number }> {
  const file = await ParquetFile.open(path);
  try {
    file.requireColumns([
      { name: 'ts', role: 'timestamp.column', expect: 'timestamp' },
      ...(['open', 'high', 'low', 'close', 'volume'] as const).map((name) => ({ name, role: `columns.${name}`, expect: 'number' as const })),
    ]);
    const groups = file.rowGroupRows.map((_, g) => g);
    const read = await file.read({ rowGroups: groups, numeric: [{ name: 'ts', timestamp: true }, { name: 'open' }, { name: 'high' }, { name: 'low' }, { name: 'close' }, { name: 'volume' }] });
    const [ts, open, high, low, close, volume] = read.columns as [Float64Array, Float64Array, Float64Array, Float64Array, Float64Array, Float64Array];
    for (let r = 1; r < ts.length; r++) {
      if (!(ts[r]! > ts[r - 1]!)) throw new DataError(`existing store file ${path} is not sorted by unique ts at row ${r}; fix or remove it before importing into it`, { file: path, column: 'ts' });
    }
    return { length: ts.length, start: ts, open, high, low, close, volume, bytes: file.byteLength, rowGroups: file.rowGroupRows.length };
  } finally {
    file.close();
  }
}

async function writeManifest(root: string, layout: string, calendar: string, timezone: string, interval: string, imported: Readonly<Record<string, { from: string; to: string }>>): Promise<void> {
  const previous = readStoreManifest(root)?.raw;
  const symbolDates: Record<string, { from: string; to: string }> = { ...(previous?.symbolDates ?? {}) };
  for (const [symbol, range] of Object.entries(imported)) {
    const before = symbolDates[symbol];
    symbolDates[symbol] = before ? { from: before.from < range.from ? before.from : range.from, to: before.to > range.to ? before.to : range.to } : range;
  }
  const sorted = Object.fromEntries(Object.entries(symbolDates).sort(([a], [b]) => (a < b ? -1 : 1)));
  const ranges = Object.values(sorted);
  const manifest: StoreManifestFile = {
    root: '.',
    layout,
    timestamp: { column: 'ts', unit: 'ms', label: 'start' },
    timezone,
    calendar,
    columns: { open: 'open', high: 'high', low: 'low', close: 'close', volume: 'volume' },
    intervals: [...new Set([...(previous?.intervals ?? (previous?.interval ? [previous.interval] : [])), interval])].sort(),
    symbols: [...new Set([...(previous?.symbols ?? []), ...Object.keys(sorted)])].sort(),
    ...(ranges.length > 0 ? { dates: { from: ranges.map((r) => r.from).sort()[0]!, to: ranges.map((r) => r.to).sort().at(-1)! } } : {}),
    symbolDates: sorted,
  };
  const text = `${JSON.stringify(manifest, null, 2)}\n`;
  await mkdir(root, { recursive: true });
  const file = join(root, STORE_MANIFEST);
  const tmp = `${file}.tmp-${process.pid}-${randomBytes(6).toString('hex')}`;
  try {
    await writeFile(tmp, text);
    await rename(tmp, file);
  } catch (cause) {
    await rm(tmp, { force: true });
    throw new DataError(`cannot write store manifest ${file}: ${(cause as Error).message}`, { file }, { cause });
  }
}
