/**
 * Test helper: writes small Parquet files in memory (flechette → Arrow IPC → parquet-wasm), so
 * invalid rows and odd column types can be tested without checking in binary fixtures.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { float64, int64, tableFromArrays, tableToIPC, timestamp, TimeUnit, utf8, type DataType } from '@uwdata/flechette';
import { Table, writeParquet, WriterPropertiesBuilder } from 'parquet-wasm';
import type { ExecutionContext } from 'ava';

/** Column spec: values plus an Arrow type; `null` entries become Parquet nulls. */
export type ColumnSpec = { values: (number | bigint | string | null)[] | BigInt64Array; type: DataType };

/** TIMESTAMP column from epoch-ms numbers; flechette scales them to `unit` when encoding. */
export const ts = (values: (number | null)[], unit: 'ms' | 'us' = 'ms'): ColumnSpec => ({
  values,
  type: timestamp(unit === 'ms' ? TimeUnit.MILLISECOND : TimeUnit.MICROSECOND, 'UTC'),
});
export const f64 = (values: (number | null)[]): ColumnSpec => ({ values, type: float64() });
export const i64 = (values: (number | bigint | null)[]): ColumnSpec => ({ values: values.map((v) => (typeof v === 'number' ? BigInt(v) : v)), type: int64() });
export const str = (values: (string | null)[]): ColumnSpec => ({ values, type: utf8() });

/** Encode columns as Parquet bytes; `rowGroupSize` splits them into several row groups. */
export function parquetBytes(columns: Record<string, ColumnSpec>, rowGroupSize?: number): Uint8Array {
  const data: Record<string, unknown[]> = {};
  const types: Record<string, DataType> = {};
  for (const [name, spec] of Object.entries(columns)) {
    data[name] = [...spec.values];
    types[name] = spec.type;
  }
  const ipc = tableToIPC(tableFromArrays(data as Record<string, never[]>, { types }), { format: 'stream' });
  if (!ipc) throw new Error('tableToIPC returned nothing');
  const table = Table.fromIPCStream(ipc);
  const builder = new WriterPropertiesBuilder();
  return writeParquet(table, rowGroupSize ? builder.setMaxRowGroupSize(rowGroupSize).build() : builder.build());
}

/** A fresh temporary folder for one test's store, removed when the test ends. */
export function tempStore(t: ExecutionContext): string {
  const root = mkdtempSync(path.join(tmpdir(), 'sessionflow-store-'));
  t.teardown(() => rmSync(root, { recursive: true, force: true }));
  return root;
}

/** Write `columns` to `root/relative` and return the absolute path. */
export function writeParquetFile(root: string, relative: string, columns: Record<string, ColumnSpec>, rowGroupSize?: number): string {
  const file = path.join(root, relative);
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, parquetBytes(columns, rowGroupSize));
  return file;
}
