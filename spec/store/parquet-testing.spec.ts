/**
 * Interop on apache/parquet-testing files (spec/fixtures/parquet-testing, see its README):
 * every flat column reads to the same values as DuckDB 1.5 (an independent reader) and to the
 * upstream ground truth where one is published; every unsupported feature is refused with a
 * DataError naming the file, the column and the feature — never wrong values.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import test from 'ava';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { parse } from 'csv-parse/sync';
import { DataError } from '../../lib/errors.ts';
import { ParquetFile, type PlainValue } from '../../lib/store/parquet-file.ts';

const DIR = fileURLToPath(new URL('../fixtures/parquet-testing/', import.meta.url));
const FILES = readdirSync(DIR).filter((f) => f.endsWith('.parquet')).sort();

/** Files (or columns) with features the store refuses, and the feature the error must name. */
const REFUSED: Record<string, { columns: string[]; feature: RegExp }> = {
  'datapage_v2.snappy.parquet': { columns: ['e'], feature: /nested LIST column/ },
  'nullable.impala.parquet': { columns: ['int_array', 'int_array_Array', 'int_map', 'int_Map_Array', 'nested_struct'], feature: /nested (LIST|MAP|STRUCT) column/ },
  'nulls.snappy.parquet': { columns: ['b_struct'], feature: /nested STRUCT column/ },
  'byte_stream_split_extended.gzip.parquet': { columns: ['decimal_plain', 'decimal_byte_stream_split'], feature: /DECIMAL/ },
  'int96_from_spark.parquet': { columns: ['a'], feature: /INT96 timestamp .* outside years 0001-9999/ },
};

/**
 * Files DuckDB cannot open (Hadoop-framed LZ4), checked against the file upstream wrote with
 * the same rows in another codec (arrow's tests expect identical values from all three).
 */
const SAME_DATA_AS: Record<string, string> = {
  'hadoop_lz4_compressed.parquet': 'lz4_raw_compressed.parquet',
  'non_hadoop_lz4_compressed.parquet': 'lz4_raw_compressed.parquet',
};

/** Upstream ground truth published next to a file: `*_expect.csv` (empty cell = null). */
const EXPECT_CSV = ['delta_binary_packed', 'delta_byte_array', 'delta_encoding_optional_column', 'delta_encoding_required_column'];

let con: DuckDBConnection;
test.before(async () => {
  const instance = await DuckDBInstance.create(':memory:', { threads: '1' });
  con = await instance.connect();
  await con.run("SET TimeZone = 'UTC'");
});

/** A value as text, the common ground between DuckDB, the CSV truth and the reader. */
function text(value: PlainValue): string {
  if (value === null) return '';
  if (value instanceof Uint8Array) return Buffer.from(value).toString('hex');
  if (typeof value === 'number' && Number.isNaN(value)) return 'NaN';
  return String(value);
}

/** DuckDB's values of `column` rendered like {@link text}: timestamps as epoch ms (exact, via epoch_ns), blobs as hex. */
async function duckdbColumn(file: string, column: string, kind: string, physical: string): Promise<string[]> {
  const quoted = `"${column.replace(/"/g, '""')}"`;
  let expr = `CAST(${quoted} AS VARCHAR)`;
  if (kind === 'timestamp') expr = `CAST(epoch_ns(${quoted}) AS VARCHAR)`;
  else if (physical === 'BYTE_ARRAY' || physical === 'FIXED_LEN_BYTE_ARRAY') expr = `CASE WHEN typeof(${quoted}) = 'BLOB' THEN lower(hex(${quoted})) ELSE CAST(${quoted} AS VARCHAR) END`;
  else if (physical === 'FLOAT' || physical === 'DOUBLE') expr = `CAST(CAST(${quoted} AS DOUBLE) AS VARCHAR)`;
  const reader = await con.runAndReadAll(`SELECT ${expr} FROM read_parquet('${path.join(DIR, file)}', binary_as_string = false)`);
  return reader.getRows().map(([v]) => (v === null ? '' : String(v)));
}

function ours(value: PlainValue, kind: string, physical: string): string {
  if (value === null) return '';
  if (kind === 'timestamp' && typeof value === 'number') {
    // Epoch ms back to exact nanoseconds (the reader keeps sub-ms digits as a fraction).
    const whole = Math.trunc(value);
    return String(BigInt(whole) * 1_000_000n + BigInt(Math.round((value - whole) * 1e6)));
  }
  if ((physical === 'FLOAT' || physical === 'DOUBLE') && typeof value === 'number') {
    if (Number.isNaN(value)) return 'nan';
    if (!Number.isFinite(value)) return value > 0 ? 'inf' : '-inf';
  }
  return text(value);
}

for (const file of FILES) {
  test(`parquet-testing: ${file} reads to DuckDB's values or is refused naming the feature`, async (t) => {
    const parquet = await ParquetFile.open(path.join(DIR, file));
    const refused = REFUSED[file];
    for (const column of refused?.columns ?? []) {
      const error = await t.throwsAsync(parquet.readValues([column]), { instanceOf: DataError });
      t.is(error.file, path.join(DIR, file));
      t.is(error.column, column);
      t.regex(error.message, refused!.feature);
      t.true(error.message.includes(file));
    }
    const names = parquet.columnNames.filter((name) => !refused?.columns.includes(name));
    if (names.length === 0) return;
    const { rows, values } = await parquet.readValues(names);
    t.is(rows, parquet.numRows);
    for (const name of names) {
      const info = parquet.column(name)!;
      const physical = info.logicalType === 'FLOAT16' ? 'FLOAT' : info.physicalType;
      // Upstream wrote each *_byte_stream_split column with the same values as its *_plain
      // twin; DuckDB decodes BYTE_STREAM_SPLIT for FLOAT/DOUBLE only, so the twin is the reference.
      const reference = file === 'byte_stream_split_extended.gzip.parquet' ? name.replace(/_byte_stream_split$/, '_plain') : name;
      const expected = await duckdbColumn(SAME_DATA_AS[file] ?? file, reference, info.kind, physical);
      const actual = values.get(name)!.map((v) => ours(v, info.kind, physical));
      t.deepEqual(actual, expected.map((v) => (physical === 'FLOAT' || physical === 'DOUBLE' ? normaliseDouble(v) : v)), `${file}: ${name}`);
    }
  });
}

/** DuckDB prints doubles shortest-round-trip like JS, except for specials and exponents. */
function normaliseDouble(v: string): string {
  if (v === '' || v === 'nan' || v === 'inf' || v === '-inf') return v;
  return String(Number(v));
}

for (const base of EXPECT_CSV) {
  test(`parquet-testing: ${base}.parquet matches the upstream ${base}_expect.csv`, async (t) => {
    const parquet = await ParquetFile.open(path.join(DIR, `${base}.parquet`));
    const rows = parse(readFileSync(path.join(DIR, `${base}_expect.csv`)), { relax_quotes: true }) as string[][];
    const header = rows.shift()!;
    const { values } = await parquet.readValues();
    const names = [...values.keys()];
    t.is(names.length, header.length);
    t.is(rows.length, parquet.numRows);
    names.forEach((name, c) => {
      const actual = values.get(name)!.map((v) => text(v));
      t.deepEqual(actual, rows.map((r) => r[c] ?? ''), `${base}: column ${c} (${name})`);
    });
  });
}

test('parquet-testing: INT96 from Spark decodes the in-range values exactly before refusing the wrapped one', async (t) => {
  // Upstream int96_from_spark.md lists the values as microseconds since the epoch.
  const parquet = await ParquetFile.open(path.join(DIR, 'int96_from_spark.parquet'));
  t.like(parquet.column('a'), { physicalType: 'INT96', kind: 'timestamp' });
  const error = await t.throwsAsync(parquet.read({ rowGroups: [0], numeric: [{ name: 'a', timestamp: true }] }), { instanceOf: DataError });
  t.regex(error.message, /row 5\) lies outside years 0001-9999/);
  // alltypes_plain's INT96 column, cross-checked with DuckDB above, is 2009-04-01 00:00 and 00:01 UTC in row group 0 rows 0-1.
  const plain = await ParquetFile.open(path.join(DIR, 'alltypes_plain.snappy.parquet'));
  const { columns } = await plain.read({ rowGroups: [0], numeric: [{ name: 'timestamp_col', timestamp: true }] });
  t.deepEqual(Array.from(columns[0]!), [Date.UTC(2009, 3, 1, 0, 0), Date.UTC(2009, 3, 1, 0, 1)]);
});

test('parquet-testing: NaN statistics are not trusted for pruning', async (t) => {
  const parquet = await ParquetFile.open(path.join(DIR, 'nan_in_stats.parquet'));
  t.deepEqual(parquet.numberRanges('x'), [undefined]);
  const { values } = await parquet.readValues(['x']);
  t.deepEqual(values.get('x'), [1, Number.NaN]);
});

test('parquet-testing: a dictionary page at offset 0 is read by the fallback reader', async (t) => {
  const parquet = await ParquetFile.open(path.join(DIR, 'dict-page-offset-zero.parquet'));
  const { rows, values } = await parquet.readValues(['l_partkey']);
  t.is(rows, 39);
  t.true(values.get('l_partkey')!.every((v) => v === 1552));
});
