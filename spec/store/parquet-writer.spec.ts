import test from 'ava';
import { mkdtemp, mkdir, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readParquet } from 'parquet-wasm';
import { TimeUnit, tableFromIPC } from '@uwdata/flechette';
import { parquetMetadata, readOffsetIndex } from 'hyparquet';
import type { FileMetaData } from 'hyparquet';
import { writeParquetFile } from '../../lib/store/parquet-writer.ts';
import type { ParquetColumnValues } from '../../lib/store/parquet-writer.ts';
import { ConfigError, DataError } from '../../lib/errors.ts';

const OPEN = Date.UTC(2024, 0, 2, 14, 30);

async function tempDir(t: { teardown(fn: () => Promise<void>): void }): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'sessionflow-writer-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

function sampleColumns(n: number): Record<string, ParquetColumnValues> {
  return {
    ts: Float64Array.from({ length: n }, (_, i) => OPEN + i * 60_000),
    close: Float64Array.from({ length: n }, (_, i) => 100 + i / 100),
    volume: Float64Array.from({ length: n }, (_, i) => i * 1_000_003),
    count: Int32Array.from({ length: n }, (_, i) => -i),
    flag: Uint8Array.from({ length: n }, (_, i) => i % 256),
    symbol: Array.from({ length: n }, (_, i) => `S${i % 7}`),
    halted: Array.from({ length: n }, (_, i) => i % 3 === 0),
  };
}

async function metadataOf(path: string): Promise<FileMetaData> {
  const buf = await readFile(path);
  return parquetMetadata(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength));
}

async function readBack(path: string, rowGroups?: number[]) {
  const bytes = new Uint8Array(await readFile(path));
  return tableFromIPC(readParquet(bytes, rowGroups ? { rowGroups } : undefined).intoIPCStream());
}

test('writeParquetFile: round-trips every column kind and writes ts as TIMESTAMP(MILLIS, UTC)', async (t) => {
  const dir = await tempDir(t);
  const path = join(dir, 'a.parquet');
  const columns = sampleColumns(500);
  const result = await writeParquetFile(path, columns, { timestampColumns: ['ts'], int64Columns: ['volume'] });
  t.is(result.rows, 500);

  const table = await readBack(path);
  t.deepEqual(table.names, Object.keys(columns));
  for (const [name, values] of Object.entries(columns)) {
    t.deepEqual(Array.from(table.getChild(name).toArray() as ArrayLike<unknown>), Array.from(values as ArrayLike<unknown>), name);
  }
  const tsType = table.schema.fields[0]!.type as { unit: number; timezone: string };
  t.is(tsType.unit, TimeUnit.MILLISECOND);
  t.is(tsType.timezone, 'UTC');

  const md = await metadataOf(path);
  const ts = md.schema.find((s) => s.name === 'ts')!;
  t.is(ts.type, 'INT64');
  t.deepEqual(ts.logical_type, { type: 'TIMESTAMP', isAdjustedToUTC: true, unit: 'MILLIS' });
  t.is(md.schema.find((s) => s.name === 'volume')!.type, 'INT64');
  t.is(md.schema.find((s) => s.name === 'close')!.type, 'DOUBLE');
  t.is(md.row_groups[0]!.columns[0]!.meta_data!.codec, 'ZSTD');
  // Timestamps and int64 columns are written plain (no dictionary: values hardly repeat);
  // other columns may use one.
  const chunkOf = (name: string) => md.row_groups[0]!.columns.find((c) => c.meta_data!.path_in_schema.join('.') === name)!.meta_data!;
  for (const name of ['ts', 'volume']) {
    t.is(chunkOf(name).dictionary_page_offset, undefined, `${name}: no dictionary page`);
    t.false(chunkOf(name).encodings.includes('RLE_DICTIONARY'), `${name}: no dictionary encoding`);
  }
  t.true(chunkOf('close').encodings.includes('RLE_DICTIONARY'), 'close keeps its dictionary');
});

test('writeParquetFile: writes min/max statistics and page indexes for ts in every row group', async (t) => {
  const dir = await tempDir(t);
  const path = join(dir, 'stats.parquet');
  const columns = sampleColumns(250);
  await writeParquetFile(path, columns, { timestampColumns: ['ts'], int64Columns: ['volume'], rowGroupSize: 100 });
  const md = await metadataOf(path);
  t.deepEqual(md.row_groups.map((rg) => Number(rg.num_rows)), [100, 100, 50]);
  md.row_groups.forEach((rg, g) => {
    const chunk = rg.columns[0]!;
    const stats = chunk.meta_data!.statistics!;
    t.is((stats.min_value as Date).getTime(), OPEN + g * 100 * 60_000);
    t.is((stats.max_value as Date).getTime(), OPEN + (Math.min(250, (g + 1) * 100) - 1) * 60_000);
    t.truthy(chunk.column_index_offset, 'page-level column index written');
  });
});

test('writeParquetFile: rowGroupBoundaries produce exactly those row groups', async (t) => {
  const dir = await tempDir(t);
  const path = join(dir, 'groups.parquet');
  const columns = sampleColumns(1000);
  const boundaries = [0, 390, 600, 601, 810];
  await writeParquetFile(path, columns, { timestampColumns: ['ts'], int64Columns: ['volume'], rowGroupBoundaries: boundaries, metadata: { origin: 'spec' } });

  const buf = await readFile(path);
  const arrayBuffer = buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength);
  const md = parquetMetadata(arrayBuffer);
  const ends = [...boundaries.slice(1), 1000];
  t.is(Number(md.num_rows), 1000);
  t.deepEqual(md.row_groups.map((rg) => Number(rg.num_rows)), boundaries.map((b, i) => ends[i]! - b));
  t.true(md.key_value_metadata!.some((kv) => kv.key === 'origin' && kv.value === 'spec'));
  md.row_groups.forEach((rg, g) => {
    const stats = rg.columns[0]!.meta_data!.statistics!;
    t.is((stats.min_value as Date).getTime(), OPEN + boundaries[g]! * 60_000);
    t.is((stats.max_value as Date).getTime(), OPEN + (ends[g]! - 1) * 60_000);
    // The spliced offset index still points at each chunk's first data page.
    for (const chunk of rg.columns) {
      const index = readOffsetIndex({ view: new DataView(arrayBuffer, Number(chunk.offset_index_offset)), offset: 0 });
      t.is(index.page_locations[0]!.offset, chunk.meta_data!.data_page_offset);
    }
  });

  const whole = await readBack(path);
  for (const [name, values] of Object.entries(columns)) {
    t.deepEqual(Array.from(whole.getChild(name).toArray() as ArrayLike<unknown>), Array.from(values as ArrayLike<unknown>), name);
  }
  const third = await readBack(path, [3]);
  t.deepEqual(Array.from(third.getChild('ts').toArray() as Float64Array), Array.from((columns.ts as Float64Array).slice(601, 810)));
});

test('writeParquetFile: equal-sized rowGroupBoundaries produce those row groups too', async (t) => {
  const dir = await tempDir(t);
  const path = join(dir, 'uniform.parquet');
  await writeParquetFile(path, sampleColumns(1000), { timestampColumns: ['ts'], rowGroupBoundaries: [0, 390, 780] });
  const md = await metadataOf(path);
  t.deepEqual(md.row_groups.map((rg) => Number(rg.num_rows)), [390, 390, 220]);
});

test('writeParquetFile: writes atomically, creates parent folders and leaves no temp file', async (t) => {
  const dir = await tempDir(t);
  const path = join(dir, 'deep', 'er', 'x.parquet');
  await writeParquetFile(path, { x: new Float64Array([1, 2, 3]) }, { compression: 'snappy' });
  await writeParquetFile(path, { x: new Float64Array([4, 5]) }, { compression: 'uncompressed' });
  t.deepEqual(await readdir(join(dir, 'deep', 'er')), ['x.parquet']);
  const table = await readBack(path);
  t.deepEqual(Array.from(table.getChild('x').toArray() as Float64Array), [4, 5]);
  t.is((await metadataOf(path)).row_groups[0]!.columns[0]!.meta_data!.codec, 'UNCOMPRESSED');
});

test('writeParquetFile: a failed write leaves no file behind', async (t) => {
  const dir = await tempDir(t);
  const path = join(dir, 'bad.parquet');
  const error = await t.throwsAsync(writeParquetFile(path, { a: new Float64Array(3), b: new Float64Array(2) }), { instanceOf: DataError });
  t.regex(error.message, /"b" has 2 rows/);
  // Rename onto an existing directory fails after the temp file was written.
  const blocked = join(dir, 'blocked.parquet');
  await mkdir(blocked);
  await writeFile(join(blocked, 'keep'), '');
  await t.throwsAsync(writeParquetFile(blocked, { a: new Float64Array(3) }), { instanceOf: DataError });
  t.deepEqual((await readdir(dir)).sort(), ['blocked.parquet']);
});

test('writeParquetFile: rejects invalid options and non-integer int64 values', async (t) => {
  const dir = await tempDir(t);
  const path = join(dir, 'x.parquet');
  const x = new Float64Array([1, 2, 3]);
  await t.throwsAsync(writeParquetFile(path, { x }, { rowGroupBoundaries: [1, 2] }), { instanceOf: ConfigError });
  await t.throwsAsync(writeParquetFile(path, { x }, { timestampColumns: ['nope'] }), { instanceOf: ConfigError });
  await t.throwsAsync(writeParquetFile(path, { x: new Float64Array([1.5]) }, { int64Columns: ['x'] }), { instanceOf: DataError });
  await t.throwsAsync(writeParquetFile(path, {}), { instanceOf: ConfigError });
  t.deepEqual(await readdir(dir), []);
});

test('writeParquetFile: writes 100k bar rows that read back intact', async (t) => {
  const dir = await tempDir(t);
  const n = 100_000;
  const columns = {
    ts: Float64Array.from({ length: n }, (_, i) => OPEN + i * 60_000),
    open: Float64Array.from({ length: n }, (_, i) => 100 + (i % 977) / 100),
    high: Float64Array.from({ length: n }, (_, i) => 101 + (i % 977) / 100),
    low: Float64Array.from({ length: n }, (_, i) => 99 + (i % 977) / 100),
    close: Float64Array.from({ length: n }, (_, i) => 100 + (i % 983) / 100),
    volume: Float64Array.from({ length: n }, (_, i) => (i * 7919) % 100_000),
  };
  const started = performance.now();
  await writeParquetFile(join(dir, 'big.parquet'), columns, { timestampColumns: ['ts'], int64Columns: ['volume'] });
  const elapsed = performance.now() - started;
  t.log(`wrote ${n} rows in ${elapsed.toFixed(0)} ms = ${Math.round((n / elapsed) * 1000).toLocaleString('en-US')} rows/s`);
  const back = tableFromIPC(readParquet(new Uint8Array(await readFile(join(dir, 'big.parquet')))).intoIPCStream());
  t.is(back.numRows, n);
  t.is(back.getChild('close')!.at(n - 1), columns.close[n - 1]);
  t.is(back.getChild('ts')!.at(n - 1), columns.ts[n - 1]);
});
