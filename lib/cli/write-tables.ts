import { join } from 'node:path';
import { stringify } from 'csv-stringify/sync';
import type { DayResult } from '../session/results.ts';
import { encodeParquet, type ParquetColumnValues } from '../store/parquet-writer.ts';
import { writeFileAtomic, type OutputFs } from './write-file-atomic.ts';

/** Columns holding epoch-ms instants: TIMESTAMP in Parquet, ISO 8601 UTC in CSV. */
const TIME_COLUMN = /^(time|barStart|submittedAt)$|Time$/;

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
 * @throws DataError naming the file that could not be written (no temporary file remains).
 * @example
 * ```ts
 * const files = await writeTables('runs/jan', result.days); // ['runs/jan/fills.parquet', 'runs/jan/fills.csv', …]
 * ```
 */
export async function writeTables(out: string, days: readonly DayResult[], options: { fs?: OutputFs; written?: string[] } = {}): Promise<string[]> {
  const byTable = new Map<string, Array<Record<string, unknown>>>();
  for (const day of days) {
    for (const [name, rows] of Object.entries(day.tables ?? {})) {
      let list = byTable.get(name);
      if (!list) byTable.set(name, (list = []));
      for (const row of rows) list.push({ date: day.date, ...row });
    }
  }
  const written = options.written ?? [];
  if (byTable.size === 0) return written;
  for (const [name, rows] of byTable) {
    // No rows over the whole run: nothing to describe its columns with, so no file.
    if (rows.length === 0) continue;
    const names: string[] = [];
    const seen = new Set<string>();
    for (const row of rows) {
      for (const key of Object.keys(row)) {
        if (seen.has(key)) continue;
        seen.add(key);
        names.push(key);
      }
    }
    const columns: Record<string, ParquetColumnValues> = {};
    const times: string[] = [];
    for (const key of names) {
      const kind = columnKind(rows, key);
      if (kind === 'number') {
        const values = new Float64Array(rows.length);
        rows.forEach((r, i) => (values[i] = typeof r[key] === 'number' ? (r[key] as number) : NaN));
        columns[key] = values;
        if (TIME_COLUMN.test(key) && values.every((x) => Number.isFinite(x))) times.push(key);
      } else if (kind === 'boolean') {
        columns[key] = rows.map((r) => r[key] === true);
      } else {
        columns[key] = rows.map((r) => text(r[key]));
      }
    }
    const parquet = join(out, `${name}.parquet`);
    writeFileAtomic(parquet, encodeParquet(columns, { timestampColumns: times, compression: 'snappy' }, parquet), options.fs);
    written.push(parquet);
    const timeSet = new Set(times);
    const records = rows.map((r) => names.map((key) => (timeSet.has(key) ? new Date(r[key] as number).toISOString() : typeof r[key] === 'number' && !Number.isFinite(r[key]) ? '' : text(r[key]))));
    const csv = join(out, `${name}.csv`);
    writeFileAtomic(csv, stringify(records, { header: true, columns: names }), options.fs);
    written.push(csv);
  }
  return written;
}

function columnKind(rows: ReadonlyArray<Record<string, unknown>>, key: string): 'number' | 'boolean' | 'string' {
  let kind: 'number' | 'boolean' | 'string' | undefined;
  for (const row of rows) {
    const value = row[key];
    if (value === undefined || value === null) continue;
    const k = typeof value === 'number' ? 'number' : typeof value === 'boolean' ? 'boolean' : 'string';
    if (kind !== undefined && kind !== k) return 'string';
    kind = k;
  }
  return kind ?? 'string';
}

function text(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (Array.isArray(value)) return value.map(text).join(';');
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}
