import type { ConfigProblem } from '../errors.ts';
import { log } from '../log.ts';
import { closestName } from '../registry.ts';
import { ParquetFile, type ColumnInfo } from './parquet-file.ts';
import type { StoreConfig, TimestampUnit } from './types.ts';

/** The dates a sample file is expected to hold, in epoch ms, with how to name them in a message. */
export interface ExpectedDates {
  readonly from: number;
  readonly to: number;
  /** E.g. `2024-01-02 (the file's date)` or `2024 (the file's year)`. */
  readonly label: string;
}

const UNITS: readonly TimestampUnit[] = ['s', 'ms', 'us', 'ns'];
/** Milliseconds per unit: a raw value `v` in unit `u` is `v * MS[u]` epoch ms. */
const MS: Record<TimestampUnit, number> = { s: 1000, ms: 1, us: 1e-3, ns: 1e-6 };
const PRICE_FIELDS = ['open', 'high', 'low', 'close', 'volume'] as const;

/**
 * Compare one existing data file of a store with the store's config, so a wrong column
 * mapping, a column of the wrong type or a timestamp unit that is off by orders of magnitude
 * fails validation instead of giving a run that reads zero bars (or wrong ones). Only the
 * footer is read (its schema and row-group statistics); the timestamp column of the first
 * row group is decoded only when the file carries no statistics. Every problem names the
 * config field, the file and the value, with a "did you mean" from the file's own columns.
 *
 * @example
 * ```ts
 * const problems = await probeSampleFile('/data/1m/SPY/2024-01-02.parquet', store, { from: Date.UTC(2024, 0, 1), to: Date.UTC(2024, 0, 4), label: '2024-01-02 (the file\'s date)' });
 * // [{ path: 'store.columns.close', value: 'close', message: 'column "close" is not in /data/…: the file has ts, o, h, l, c, v (did you mean "c"?)' }]
 * ```
 */
export async function probeSampleFile(path: string, store: Pick<StoreConfig, 'timestamp' | 'columns'>, expected: ExpectedDates): Promise<ConfigProblem[]> {
  let file: ParquetFile;
  try {
    // Footer only: validation must stay cheap for per-year files of many megabytes.
    file = await ParquetFile.open(path, { prefetchSmall: false });
  } catch (error) {
    // A damaged sample says nothing about the config (the run skips that day, and ends with
    // exit 2 for it), but it should not pass unmentioned: `data check` finds every such file.
    log.warn(`the sample file ${path} cannot be read (${error instanceof Error ? error.message : String(error)}); its day will be skipped (sessionflow data check lists every damaged file)`);
    return [];
  }
  try {
    const problems: ConfigProblem[] = [];
    const columns = store.columns ?? {};
    const present = (field: string, name: string, role: string): ColumnInfo | undefined => {
      const info = file.column(name);
      // A nested column is in the file, just not readable: "is not in" (listing the flat
      // columns only) sent users looking for a column that was there.
      const nested = info ? undefined : file.nestedKind(name);
      if (nested) problems.push({ path: field, value: name, expected: `a flat ${role === 'timestamp' ? 'TIMESTAMP or integer' : 'numeric'} column`, message: `column ${JSON.stringify(name)} (${role}) of ${file.path} is a nested ${nested} column: expected a flat ${role === 'timestamp' ? 'TIMESTAMP or integer' : 'numeric'} column` });
      else if (!info) problems.push(missingColumn(file, field, name, role));
      return info;
    };
    for (const field of PRICE_FIELDS) {
      const name = columns[field] ?? field;
      const info = present(`store.columns.${field}`, name, field);
      if (info && info.kind !== 'number') problems.push(wrongType(file, `store.columns.${field}`, name, info, 'a numeric column (INT32, INT64, FLOAT or DOUBLE)'));
    }
    if (columns.symbol !== undefined) {
      const info = present('store.columns.symbol', columns.symbol, 'symbol');
      if (info && info.kind !== 'string') problems.push(wrongType(file, 'store.columns.symbol', columns.symbol, info, 'a string column holding the symbol'));
    }
    for (const [name, column] of Object.entries(columns.extra ?? {})) {
      const info = present(`store.columns.extra.${name}`, column, `extra column ${name}`);
      if (info && info.kind !== 'number') problems.push(wrongType(file, `store.columns.extra.${name}`, column, info, 'a numeric column'));
    }
    const ts = store.timestamp;
    const info = present('store.timestamp.column', ts.column, 'timestamp');
    if (info && info.kind !== 'timestamp' && info.kind !== 'number') {
      problems.push(wrongType(file, 'store.timestamp.column', ts.column, info, 'a TIMESTAMP or integer column'));
    } else if (info?.kind === 'number') {
      // A plain number carries no unit: the config's unit decides what instant it is, so a
      // unit off by a factor of 1000 moves every bar to 1970 or beyond the year 50000.
      const raw = await rawRange(file, ts.column, ts.unit);
      const fits = raw ? UNITS.filter((u) => within(raw, u, expected)) : [];
      const hint = fits.length > 0 ? `; its values fit ${fits.map((u) => JSON.stringify(u)).join(' or ')} (dates ${describe(raw!, fits[0]!)})` : '';
      if (ts.unit === undefined) {
        problems.push({ path: 'store.timestamp.unit', value: undefined, expected: 'one of "s", "ms", "us", "ns"', message: `column ${JSON.stringify(ts.column)} of ${path} is a plain ${info.physicalType} number, so its unit must be given: set store.timestamp.unit to "s", "ms", "us" or "ns"${hint}` });
      } else if (raw && !fits.includes(ts.unit) && fits.length > 0) {
        problems.push({
          path: 'store.timestamp.unit',
          value: ts.unit,
          expected: `${JSON.stringify(fits[0])} (the unit that puts ${path}'s timestamps near ${expected.label})`,
          message: `timestamps of ${path} read as ${JSON.stringify(ts.unit)} fall on ${describe(raw, ts.unit)}, not near ${expected.label}; as ${JSON.stringify(fits[0])} they fall on ${describe(raw, fits[0]!)}: set "unit": ${JSON.stringify(fits[0])}`,
        });
      }
    }
    return problems;
  } finally {
    file.close();
  }
}

/** Min and max of the column's raw values (in the file's own numbers), from statistics or one decoded row group. */
async function rawRange(file: ParquetFile, column: string, unit: TimestampUnit | undefined): Promise<{ min: number; max: number } | undefined> {
  // Read as milliseconds and scale back: the statistics and the decoder both convert by unit.
  const asMs = unit ?? 'ms';
  const ranges = file.timeRanges(column, asMs).filter((r) => r !== undefined);
  let min = Infinity;
  let max = -Infinity;
  if (ranges.length > 0) {
    for (const r of ranges) {
      min = Math.min(min, r.min);
      max = Math.max(max, r.max - 1); // timeRanges widens max by 1 ms for sub-ms truncation
    }
  } else {
    const first = file.rowGroupRows.findIndex((rows) => rows > 0);
    if (first < 0) return undefined;
    const { columns } = await file.read({ rowGroups: [first], numeric: [{ name: column, timestamp: true, unit: asMs }] });
    for (const v of columns[0]!) {
      if (v !== v) continue;
      if (v < min) min = v;
      if (v > max) max = v;
    }
  }
  if (!(min <= max)) return undefined;
  return { min: min / MS[asMs], max: max / MS[asMs] };
}

const within = (raw: { min: number; max: number }, unit: TimestampUnit, expected: ExpectedDates): boolean => raw.min * MS[unit] >= expected.from && raw.max * MS[unit] < expected.to;

/** `2024-01-02 to 2024-01-03` (dates of the raw range read in `unit`), or the raw numbers when they are no dates at all. */
function describe(raw: { min: number; max: number }, unit: TimestampUnit): string {
  const day = (ms: number): string => {
    if (!(Math.abs(ms) < 8.64e15)) return `${ms > 0 ? 'after' : 'before'} the year 275760`;
    const year = new Date(ms).getUTCFullYear();
    return year >= 1000 && year <= 9999 ? new Date(ms).toISOString().slice(0, 10) : `the year ${year}`;
  };
  const from = day(raw.min * MS[unit]);
  const to = day(raw.max * MS[unit]);
  return from === to ? from : `${from} to ${to}`;
}

const describeType = (info: ColumnInfo): string => `${info.physicalType}${info.logicalType ? ` ${info.logicalType}` : ''}`;

function missingColumn(file: ParquetFile, field: string, name: string, role: string): ConfigProblem {
  const names = file.columnNames;
  // Edit distance catches "Close" and "closee"; a file's only TIMESTAMP column is the likely
  // timestamp ("time", "datetime"); abbreviations ("vol", "c") are prefixes of the role.
  const stamps = names.filter((n) => file.column(n)?.kind === 'timestamp');
  const abbreviates = (n: string): boolean => [name, role].some((full) => full.toLowerCase().startsWith(n.toLowerCase()));
  const guess = closestName(name, names) ?? (role === 'timestamp' && stamps.length === 1 ? stamps[0] : names.find(abbreviates));
  return {
    path: field,
    value: name,
    expected: `a column of ${file.path} (${names.join(', ')})`,
    message: `column ${JSON.stringify(name)} (${role}) is not in ${file.path}${guess ? ` (did you mean ${JSON.stringify(guess)}?)` : ''}; the file has ${names.join(', ')}`,
  };
}

function wrongType(file: ParquetFile, field: string, name: string, info: ColumnInfo, expected: string): ConfigProblem {
  return { path: field, value: name, expected, message: `column ${JSON.stringify(name)} of ${file.path} is ${describeType(info)}: expected ${expected}` };
}
