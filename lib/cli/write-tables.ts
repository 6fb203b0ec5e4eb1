import { join } from 'node:path';
import { stringify } from 'csv-stringify/sync';
import type { DayResult } from '../session/results.ts';
import { encodeParquet, type ParquetColumnValues } from '../store/parquet-writer.ts';
import { writeFileAtomic, type OutputFs } from './write-file-atomic.ts';

/** Columns holding epoch-ms instants: TIMESTAMP in Parquet, ISO 8601 UTC in CSV. */
const TIME_COLUMN = /^(time|barStart|submittedAt)$|Time$/;

/** Rows written to the CSV per chunk: the CSV text of a large table never exists as one string. */
const CSV_CHUNK_ROWS = 16_384;

type Kind = 'number' | 'boolean' | 'string';

/** A table's columns as the whole run wrote them (first pass): names in first-seen order, kinds, row count. */
interface TableShape {
  readonly names: string[];
  /** Per column: the one kind of its values; undefined while only missing values were seen. */
  readonly kinds: Map<string, Kind | undefined>;
  rows: number;
}

/** A table's columns filled in (second pass). */
interface TableColumns {
  readonly shape: TableShape;
  readonly columns: Map<string, Float64Array | Uint8Array | string[]>;
  filled: number;
}

/**
 * Write each table the components recorded (the broker's `orders`, `fills`, `trades`,
 * `positions`, `equity`) over all days as `OUT/<table>.parquet` and `OUT/<table>.csv`, with
 * the session date as the first column. Column types follow the values: numbers (missing =
 * NaN in Parquet, empty in CSV), strings, booleans; lists are joined with `;`. Instants are
 * timestamps in Parquet and ISO 8601 (UTC) in CSV. Files are written atomically (see
 * writeFileAtomic); a table without rows over the whole run is not written. Each file written
 * is pushed to `options.written` as soon as it is in place, so a caller still knows what was
 * kept when a later file fails.
 *
 * `days` is read twice, in order (the first pass finds each table's columns and size, the
 * second fills typed columns), so it can be a run's journal read back from disk: the days
 * are never all in memory, only the tables' columns, and the CSV is written in chunks.
 *
 * @throws DataError naming the file that could not be written (no temporary file remains).
 * @example
 * ```ts
 * const files = await writeTables('runs/jan', result.days); // ['runs/jan/fills.parquet', 'runs/jan/fills.csv', …]
 * ```
 */
export async function writeTables(out: string, days: Iterable<Pick<DayResult, 'date' | 'tables'>>, options: { fs?: OutputFs; written?: string[]; dateColumn?: boolean } = {}): Promise<string[]> {
  const written = options.written ?? [];
  // Without the date column: tables that are not per day (a sweep's one row per parameter set).
  const dated = options.dateColumn ?? true;
  const shapes = new Map<string, TableShape>();
  for (const day of days) {
    for (const [name, rows] of Object.entries(day.tables ?? {})) {
      let shape = shapes.get(name);
      if (!shape) shapes.set(name, (shape = dated ? { names: ['date'], kinds: new Map([['date', 'string']]), rows: 0 } : { names: [], kinds: new Map(), rows: 0 }));
      shape.rows += rows.length;
      for (const row of rows) {
        for (const [key, value] of Object.entries(row)) {
          if (!shape.kinds.has(key)) {
            shape.names.push(key);
            shape.kinds.set(key, undefined);
          }
          if (value === undefined || value === null) continue;
          const kind: Kind = typeof value === 'number' ? 'number' : typeof value === 'boolean' ? 'boolean' : 'string';
          const was = shape.kinds.get(key);
          // Values of two kinds in one column: it is written as text.
          shape.kinds.set(key, was === undefined || was === kind ? kind : 'string');
        }
      }
    }
  }
  // No rows over the whole run: nothing to describe its columns with, so no file.
  const tables = new Map<string, TableColumns>();
  for (const [name, shape] of shapes) {
    if (shape.rows === 0) continue;
    const columns = new Map<string, Float64Array | Uint8Array | string[]>();
    for (const key of shape.names) {
      const kind = shape.kinds.get(key) ?? 'string';
      columns.set(key, kind === 'number' ? new Float64Array(shape.rows) : kind === 'boolean' ? new Uint8Array(shape.rows) : new Array<string>(shape.rows));
    }
    tables.set(name, { shape, columns, filled: 0 });
  }
  if (tables.size === 0) return written;
  for (const day of days) {
    for (const [name, rows] of Object.entries(day.tables ?? {})) {
      const table = tables.get(name);
      if (!table) continue;
      for (const row of rows) {
        const i = table.filled++;
        for (const [key, column] of table.columns) {
          const value = dated && key === 'date' ? day.date : row[key];
          if (column instanceof Float64Array) column[i] = typeof value === 'number' ? value : NaN;
          // 1 true, 0 false, 2 missing (false in Parquet, empty in CSV).
          else if (column instanceof Uint8Array) column[i] = value === true ? 1 : value === false ? 0 : 2;
          else (column as string[])[i] = text(value);
        }
      }
    }
  }
  for (const [name, { shape, columns, filled }] of tables) {
    // The days changed between the passes (a journal appended to meanwhile): never a torn table.
    if (filled !== shape.rows) throw new Error(`the days changed while the ${name} table was written (${shape.rows} rows, then ${filled})`);
    const times = shape.names.filter((key) => {
      const column = columns.get(key)!;
      return TIME_COLUMN.test(key) && column instanceof Float64Array && column.every((x) => Number.isFinite(x));
    });
    const parquet = join(out, `${name}.parquet`);
    const values: Record<string, ParquetColumnValues> = {};
    for (const [key, column] of columns) values[key] = column instanceof Uint8Array ? Array.from(column, (x) => x === 1) : column;
    writeFileAtomic(parquet, encodeParquet(values, { timestampColumns: times, compression: 'snappy' }, parquet), options.fs);
    written.push(parquet);
    const csv = join(out, `${name}.csv`);
    writeFileAtomic(csv, csvChunks(shape, columns, new Set(times)), options.fs);
    written.push(csv);
  }
  return written;
}

/** The CSV of one table, header first, {@link CSV_CHUNK_ROWS} rows at a time. */
function* csvChunks(shape: TableShape, columns: ReadonlyMap<string, Float64Array | Uint8Array | string[]>, times: ReadonlySet<string>): Generator<string> {
  const list = shape.names.map((key) => [key, columns.get(key)!, times.has(key)] as const);
  for (let from = 0; from < shape.rows; from += CSV_CHUNK_ROWS) {
    const records: string[][] = [];
    for (let i = from; i < Math.min(shape.rows, from + CSV_CHUNK_ROWS); i++) {
      records.push(list.map(([, column, isTime]) => {
        const value = column[i]!;
        if (column instanceof Uint8Array) return value === 2 ? '' : value === 1 ? 'true' : 'false';
        if (isTime) return new Date(value as number).toISOString();
        return typeof value === 'number' && !Number.isFinite(value) ? '' : String(value);
      }));
    }
    yield stringify(records, { header: from === 0, columns: shape.names });
  }
}

function text(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (Array.isArray(value)) return value.map(text).join(';');
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}
