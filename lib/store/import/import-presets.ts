import { ConfigError, quote } from '../../errors.ts';
import type { TimestampUnit } from '../types.ts';

/** The fields an importer fills; `date` + `time` replace `timestamp` for split date/time files. */
export type ImportField = 'timestamp' | 'date' | 'time' | 'open' | 'high' | 'low' | 'close' | 'volume' | 'symbol';

/** The names of the built-in presets. */
export type ImportPresetName = 'generic' | 'lean' | 'polygon' | 'kibot';

/**
 * How one source format's columns map onto bars.
 *
 * @example
 * ```ts
 * const preset: ImportPreset = IMPORT_PRESETS.polygon;
 * preset.columns.timestamp; // ['window_start']
 * ```
 */
export interface ImportPreset {
  readonly name: ImportPresetName;
  readonly description: string;
  /** Column names of files without a header row, by position; `undefined` when row 1 is the header. */
  readonly headerless?: readonly string[];
  /** Field → accepted source column names (case-insensitive, first present wins). */
  readonly columns: Readonly<Partial<Record<ImportField, readonly string[]>>>;
  /** Whether the source timestamps label the bar start or its end. */
  readonly label: 'start' | 'end';
  /** Epoch unit of the timestamp column, when the format fixes it. */
  readonly unit?: TimestampUnit;
  /** Take the symbol from the file name (`MSFT.txt` → `MSFT`) when no symbol is given. */
  readonly symbolFromFileName?: boolean;
}

const OHLCV = {
  open: ['open', 'o'],
  high: ['high', 'h'],
  low: ['low', 'l'],
  close: ['close', 'c'],
  volume: ['volume', 'vol', 'v'],
} as const;

/**
 * The built-in import formats (README "Importing data" lists them too):
 *
 * - `generic`: a header row with `timestamp` (or `ts`, `datetime`, `time`, `date`),
 *   `open`, `high`, `low`, `close`, `volume` and optionally `symbol`/`ticker`; timestamps
 *   ISO 8601 with an offset, naive ISO read in `--tz`, or epoch s/ms/us/ns. Split `date` +
 *   `time` columns work too.
 * - `lean`: the QuantConnect Lean minute CSVs of the project's reference data, header
 *   `ts_start_utc,ts_start_exchange_local,open,high,low,close,volume`; `ts_start_utc` is the
 *   bar start in UTC, prices in USD.
 * - `polygon`: Polygon.io (Massive) flat-file minute aggregates, header
 *   `ticker,volume,open,close,high,low,window_start,transactions`; `window_start` is the bar
 *   start in Unix nanoseconds; the symbol comes from `ticker`.
 * - `kibot`: Kibot intraday files, no header, `Date,Time,Open,High,Low,Close,Volume` with
 *   `MM/DD/YYYY` and `HH:MM` in US Eastern time stamping the bar start; the symbol comes from
 *   the file name (`MSFT.txt`).
 *
 * @example
 * ```ts
 * IMPORT_PRESETS.kibot.headerless; // ['Date', 'Time', 'Open', 'High', 'Low', 'Close', 'Volume']
 * ```
 */
export const IMPORT_PRESETS: Readonly<Record<ImportPresetName, ImportPreset>> = {
  generic: {
    name: 'generic',
    description: 'header timestamp,open,high,low,close,volume[,symbol]; ISO 8601 (offset, or naive in --tz) or epoch s/ms/us/ns',
    columns: { timestamp: ['timestamp', 'ts', 'datetime', 'date_time'], date: ['date'], time: ['time'], ...OHLCV, symbol: ['symbol', 'ticker'] },
    label: 'start',
  },
  lean: {
    name: 'lean',
    description: 'QuantConnect Lean minute CSV: ts_start_utc,ts_start_exchange_local,open,high,low,close,volume (bar start, UTC)',
    columns: { timestamp: ['ts_start_utc'], open: ['open'], high: ['high'], low: ['low'], close: ['close'], volume: ['volume'] },
    label: 'start',
  },
  polygon: {
    name: 'polygon',
    description: 'Polygon.io flat-file aggregates: ticker,volume,open,close,high,low,window_start,transactions (window_start = bar start, Unix ns)',
    columns: { timestamp: ['window_start'], symbol: ['ticker'], open: ['open'], high: ['high'], low: ['low'], close: ['close'], volume: ['volume'] },
    label: 'start',
    unit: 'ns',
  },
  kibot: {
    name: 'kibot',
    description: 'Kibot intraday: no header, Date,Time,Open,High,Low,Close,Volume (MM/DD/YYYY, HH:MM US Eastern, bar start); symbol from the file name',
    headerless: ['Date', 'Time', 'Open', 'High', 'Low', 'Close', 'Volume'],
    columns: { date: ['date'], time: ['time'], open: ['open'], high: ['high'], low: ['low'], close: ['close'], volume: ['volume'] },
    label: 'start',
    symbolFromFileName: true,
  },
};

const US_DATE = /^\d{1,2}\/\d{1,2}\/\d{4}$/;

/**
 * Pick a preset for a file from its first row when none was named: `window_start` + `ticker`
 * → `polygon`, `ts_start_utc` → `lean`, a first cell like `01/02/2024` (data, no header) →
 * `kibot`, anything else → `generic`. A named preset must exist.
 *
 * @throws ConfigError for an unknown preset name.
 * @example
 * ```ts
 * choosePreset(undefined, ['ticker', 'volume', 'open', 'close', 'high', 'low', 'window_start', 'transactions']).name; // 'polygon'
 * ```
 */
export function choosePreset(name: string | undefined, firstRow: readonly string[]): ImportPreset {
  if (name !== undefined) {
    const preset = (IMPORT_PRESETS as Record<string, ImportPreset | undefined>)[name];
    if (!preset) throw ConfigError.at('format', name, `one of ${quote(Object.keys(IMPORT_PRESETS))}`);
    return preset;
  }
  const header = new Set(firstRow.map((c) => c.trim().toLowerCase()));
  if (header.has('window_start') && header.has('ticker')) return IMPORT_PRESETS.polygon;
  if (header.has('ts_start_utc')) return IMPORT_PRESETS.lean;
  if (US_DATE.test(firstRow[0]?.trim() ?? '')) return IMPORT_PRESETS.kibot;
  return IMPORT_PRESETS.generic;
}
