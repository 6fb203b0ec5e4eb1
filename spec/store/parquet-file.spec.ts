import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import test from 'ava';
import { DataError } from '../../lib/errors.ts';
import { ParquetFile } from '../../lib/store/parquet-file.ts';
import { f64, i64, str, tempStore, ts, writeParquetFile } from './parquet-builder.ts';

const FIXTURES = fileURLToPath(new URL('../fixtures/parquet/', import.meta.url));
const RTH = path.join(FIXTURES, 'spy_2013-10-07_rth_snappy.parquet');
const WEEK = path.join(FIXTURES, 'spy_2013-10-04_2013-10-11_all_rowgroups2048_snappy.parquet');

test('ParquetFile: reads the footer and describes columns with their time unit', async (t) => {
  const file = await ParquetFile.open(RTH);
  t.is(file.numRows, 390);
  t.deepEqual(file.rowGroupRows, [390]);
  t.like(file.column('ts_utc_us'), { kind: 'timestamp', timeUnit: 'us', physicalType: 'INT64' });
  t.like(file.column('ts_ms'), { kind: 'timestamp', timeUnit: 'ms' });
  t.like(file.column('ts_ns'), { kind: 'timestamp', timeUnit: 'ns' });
  t.like(file.column('epoch_ms_int64'), { kind: 'number', timeUnit: undefined });
  t.like(file.column('symbol'), { kind: 'string' });
  t.like(file.column('close_with_nulls'), { kind: 'number', nullable: true });
  t.is(file.column('nope'), undefined);
});

test('ParquetFile: gives each row group its timestamp range in epoch ms', async (t) => {
  const file = await ParquetFile.open(WEEK);
  const ranges = file.timeRanges('ts');
  t.deepEqual(file.rowGroupRows, [2048, 2048, 743]);
  t.is(ranges.length, 3);
  t.is(ranges[0]?.min, Date.parse('2013-10-04T08:06:00Z'));
  t.is(ranges[0]?.max, Date.parse('2013-10-08T18:22:00Z') + 1);
  t.true(ranges[1]!.min <= ranges[1]!.max && ranges[2]!.min >= ranges[1]!.min);
});

test('ParquetFile: converts plain integer statistics with the configured unit', async (t) => {
  const file = await ParquetFile.open(RTH);
  const [range] = file.timeRanges('epoch_ms_int64', 'ms');
  t.deepEqual(range, { min: Date.parse('2013-10-07T13:30:00Z'), max: Date.parse('2013-10-07T19:59:00Z') + 1 });
  // Without a unit a plain number cannot be placed in time: unknown, so never pruned.
  t.deepEqual(file.timeRanges('epoch_ms_int64'), [undefined]);
});

test('ParquetFile: treats missing statistics as unknown', async (t) => {
  const root = tempStore(t);
  const out = writeParquetFile(root, 'x.parquet', { ts: ts([1000, 2000]), open: f64([1, 2]) });
  const file = await ParquetFile.open(out);
  t.deepEqual(file.timeRanges('no_such_column'), [undefined]);
});

test('ParquetFile: refuses a truncated file with a DataError naming it', async (t) => {
  const root = tempStore(t);
  const bytes = readFileSync(RTH);
  const truncated = path.join(root, 'truncated.parquet');
  writeFileSync(truncated, bytes.subarray(0, bytes.length >> 1));
  const error = await t.throwsAsync(ParquetFile.open(truncated), { instanceOf: DataError });
  t.is(error.file, truncated);
  t.true(error.message.includes(truncated));
});

test('ParquetFile: refuses corrupt data pages with a DataError naming the file, and keeps working', async (t) => {
  const root = tempStore(t);
  const bytes = Uint8Array.from(readFileSync(RTH));
  for (let i = 200; i < 4000; i++) bytes[i] = 0;
  const corrupt = path.join(root, 'corrupt.parquet');
  writeFileSync(corrupt, bytes);
  const file = await ParquetFile.open(corrupt);
  // Bytes 200-4000 hold the pages of ts_utc_us (offset 4) and the start of ts_naive_us.
  const error = await t.throwsAsync(file.read({ rowGroups: [0], numeric: [{ name: 'ts_utc_us', timestamp: true }] }), { instanceOf: DataError });
  t.is(error.file, corrupt);
  t.true(error.message.includes(corrupt));
  // The intact open column (from offset 12288) is still read, by the fallback reader, exactly.
  const intact = await file.read({ rowGroups: [0], numeric: [{ name: 'open' }] });
  t.is(intact.columns[0]?.[0], 167.43);
  // A failed read must not poison the shared wasm instance.
  const good = await ParquetFile.open(RTH);
  const { rows, columns } = await good.read({ rowGroups: [0], numeric: [{ name: 'open' }] });
  t.is(rows, 390);
  t.is(columns[0]?.[0], 167.43);
});

test('ParquetFile: names a missing column, its role and what was expected', async (t) => {
  const file = await ParquetFile.open(RTH);
  const error = t.throws(() => file.requireColumns([{ name: 'adj_close', role: 'columns.close', expect: 'number' }]), { instanceOf: DataError });
  t.is(error.column, 'adj_close');
  t.is(error.file, RTH);
  t.regex(error.message, /missing column "adj_close" \(columns\.close\).*expected a number column/);
});

test('ParquetFile: asks for timestamp.unit when the timestamp column is a plain integer', async (t) => {
  const file = await ParquetFile.open(RTH);
  t.throws(() => file.requireColumns([{ name: 'epoch_ms_int64', role: 'timestamp.column', expect: 'timestamp' }]), { instanceOf: DataError, message: /timestamp\.unit/ });
  t.notThrows(() => file.requireColumns([{ name: 'epoch_ms_int64', role: 'timestamp.column', expect: 'timestamp', unit: 'ms' }]));
  t.throws(() => file.requireColumns([{ name: 'symbol', role: 'columns.open', expect: 'number' }]), { instanceOf: DataError, message: /expected a numeric column/ });
});

test('ParquetFile: refuses a row group that does not exist instead of trapping in wasm', async (t) => {
  const file = await ParquetFile.open(RTH);
  await t.throwsAsync(file.read({ rowGroups: [3], numeric: [{ name: 'open' }] }), { instanceOf: DataError, message: /row group 3/ });
});

test('ParquetFile: converts int64 timestamps exactly, including nanoseconds beyond 2^53 and negatives', async (t) => {
  const root = tempStore(t);
  const ns = [1381152600000000000n, 1381152660123456789n, -1500000n, 0n, 9007199254740993000n];
  const us = [1381152600000000n, 1381152660000999n, -1500n, -1n, 4102444800000001n];
  const out = writeParquetFile(root, 'ints.parquet', { ns: i64(ns), us: i64(us), s: i64([1381152600, 1, -1, 0, 2]) });
  const file = await ParquetFile.open(out);
  const { columns } = await file.read({
    rowGroups: [0],
    numeric: [{ name: 'ns', timestamp: true, unit: 'ns' }, { name: 'us', timestamp: true, unit: 'us' }, { name: 's', timestamp: true, unit: 's' }],
  });
  const exact = (v: bigint, div: bigint) => Number(v / div) + Number(v % div) / Number(div);
  t.deepEqual(Array.from(columns[0]!), ns.map((v) => exact(v, 1_000_000n)));
  t.deepEqual(Array.from(columns[1]!), us.map((v) => exact(v, 1_000n)));
  t.deepEqual(Array.from(columns[2]!), [1381152600000, 1000, -1000, 0, 2000]);
});

test('ParquetFile: turns nulls into NaN and matches strings by bytes', async (t) => {
  const root = tempStore(t);
  const out = writeParquetFile(root, 'nulls.parquet', { v: f64([1, null, 3]), n: i64([5, 6, null]), sym: str(['SPY', null, 'SPYX']) });
  const file = await ParquetFile.open(out);
  const { columns, matches } = await file.read({ rowGroups: [0], numeric: [{ name: 'v' }, { name: 'n' }], match: { column: 'sym', value: 'SPY' } });
  t.deepEqual(Array.from(columns[0]!), [1, Number.NaN, 3]);
  t.deepEqual(Array.from(columns[1]!), [5, 6, Number.NaN]);
  t.deepEqual(Array.from(matches!), [1, 0, 0]);
});
