import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ConfigError, DataError, quote } from '../../errors.ts';
import type { StoreConfig, TimestampUnit } from '../types.ts';

/** File name of the manifest at a store's root. */
export const STORE_MANIFEST = 'store.json';

/**
 * The `store.json` manifest at a store's root, as `sessionflow import` writes it: enough for
 * `sessionflow data check --store DIR` (and configs) to find and read the files. The demo
 * generator's `store.json` is accepted too (it keeps `timezone` inside `timestamp` and one
 * `interval`).
 *
 * @example
 * ```json
 * { "root": ".", "layout": "{interval}/{symbol}/{yyyy}.parquet",
 *   "timestamp": { "column": "ts", "unit": "ms", "label": "start" },
 *   "timezone": "America/New_York", "calendar": "XNYS",
 *   "columns": { "open": "open", "high": "high", "low": "low", "close": "close", "volume": "volume" },
 *   "intervals": ["1m"], "symbols": ["SPY"], "dates": { "from": "2013-10-04", "to": "2013-10-11" },
 *   "symbolDates": { "SPY": { "from": "2013-10-04", "to": "2013-10-11" } } }
 * ```
 */
export interface StoreManifestFile {
  root: '.';
  layout: string;
  timestamp: { column: string; unit?: TimestampUnit; label: 'start' | 'end'; timezone?: string };
  timezone?: string;
  calendar?: string;
  columns?: StoreConfig['columns'];
  intervals?: string[];
  interval?: string;
  symbols?: string[];
  dates?: { from: string; to: string };
  /** Trading-date range of each symbol's imported bars. */
  symbolDates?: Record<string, { from: string; to: string }>;
  sessions?: { from: string; to: string };
}

/** A store described by its manifest, ready for the reader. */
export interface StoreManifest {
  /** The manifest file read. */
  readonly file: string;
  /** Reader config: `root` is the absolute store folder. */
  readonly store: StoreConfig;
  readonly calendar: string | undefined;
  readonly intervals: readonly string[];
  readonly symbols: readonly string[];
  readonly dates: { readonly from: string; readonly to: string } | undefined;
  /** Per-symbol date ranges, when the manifest records them. */
  readonly symbolDates: Readonly<Record<string, { readonly from: string; readonly to: string }>>;
  /** The raw manifest, for writers that extend it. */
  readonly raw: StoreManifestFile;
}

/**
 * Read `<root>/store.json`, or `undefined` when there is none.
 *
 * @throws DataError when the manifest is not valid JSON or lacks `layout`/`timestamp`.
 * @example
 * ```ts
 * const manifest = readStoreManifest('/data/bars');
 * if (manifest) new ParquetBarReader(manifest.store);
 * ```
 */
export function readStoreManifest(root: string): StoreManifest | undefined {
  const folder = resolve(root);
  const file = join(folder, STORE_MANIFEST);
  if (!existsSync(file)) return undefined;
  let raw: StoreManifestFile;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8')) as StoreManifestFile;
  } catch (cause) {
    throw new DataError(`cannot read store manifest ${quote(file)}: ${(cause as Error).message}`, { file }, { cause });
  }
  if (typeof raw !== 'object' || raw === null || typeof raw.layout !== 'string' || typeof raw.timestamp !== 'object' || raw.timestamp === null) {
    throw new DataError(`store manifest ${quote(file)} needs "layout" and "timestamp" (see README "Importing data")`, { file });
  }
  const timezone = raw.timezone ?? raw.timestamp.timezone;
  if (raw.calendar !== undefined && typeof raw.calendar !== 'string') throw ConfigError.at('calendar', raw.calendar, 'a calendar name', file);
  const store: StoreConfig = {
    root: folder,
    layout: raw.layout,
    timestamp: { column: raw.timestamp.column, label: raw.timestamp.label, ...(raw.timestamp.unit ? { unit: raw.timestamp.unit } : {}) },
    ...(timezone ? { timezone } : {}),
    ...(raw.columns ? { columns: raw.columns } : {}),
  };
  const range = raw.dates ?? raw.sessions;
  return {
    file,
    store,
    calendar: raw.calendar,
    intervals: raw.intervals ?? (raw.interval ? [raw.interval] : []),
    symbols: Array.isArray(raw.symbols) ? raw.symbols : [],
    dates: range && range.from && range.to ? { from: range.from, to: range.to } : undefined,
    symbolDates: typeof raw.symbolDates === 'object' && raw.symbolDates !== null ? raw.symbolDates : {},
    raw,
  };
}
