import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import test, { type ExecutionContext } from 'ava';
import { parse } from 'csv-parse/sync';
import { ConfigError, DataError } from '../../lib/errors.ts';
import { ParquetBarReader } from '../../lib/store/bar-reader.ts';
import type { LoadedBars, RejectReason, StoreConfig } from '../../lib/store/types.ts';
import { f64, i64, str, tempStore, ts, writeParquetFile } from './parquet-builder.ts';

const FIXTURES = fileURLToPath(new URL('../fixtures/parquet/', import.meta.url));
const WEEK = 'spy_2013-10-04_2013-10-11_all_rowgroups2048_snappy.parquet';
const RTH_FILES = ['uncompressed', 'snappy', 'zstd', 'gzip', 'lz4_raw', 'brotli', 'zstd_v2pages'].map((v) => `spy_2013-10-07_rth_${v}.parquet`);
const MINUTE = 60_000;

/** Regular session of an EDT date in October 2013: 13:30-20:00 UTC. */
function rth(date: string): { from: number; to: number; date: string } {
  return { from: Date.parse(`${date}T13:30:00Z`), to: Date.parse(`${date}T20:00:00Z`), date };
}

interface ExpectedRow { [column: string]: string }
const expectedRows = parse(readFileSync(path.join(FIXTURES, 'spy_2013-10-07_rth_expected.csv')), { columns: true }) as ExpectedRow[];
const expected = {
  start: expectedRows.map((r) => Number(BigInt(r.ts_utc_us_epoch_us!) / 1000n)),
  open: expectedRows.map((r) => Number(r.open)),
  high: expectedRows.map((r) => Number(r.high)),
  low: expectedRows.map((r) => Number(r.low)),
  close: expectedRows.map((r) => Number(r.close)),
  volume: expectedRows.map((r) => Number(r.volume)),
};

function fixtureReader(layout: string, timestamp: StoreConfig['timestamp'], columns?: StoreConfig['columns']): ParquetBarReader {
  return new ParquetBarReader({ root: FIXTURES, layout, timestamp, ...(columns ? { columns } : {}) });
}

function columnsOf(loaded: LoadedBars) {
  const { bars } = loaded;
  return { start: Array.from(bars.start), open: Array.from(bars.open), high: Array.from(bars.high), low: Array.from(bars.low), close: Array.from(bars.close), volume: Array.from(bars.volume) };
}

const TIMESTAMPS: StoreConfig['timestamp'][] = [
  { column: 'ts_utc_us', label: 'start' },
  { column: 'ts_naive_us', label: 'start' },
  { column: 'ts_ms', label: 'start' },
  { column: 'ts_ns', label: 'start' },
  { column: 'epoch_ms_int64', unit: 'ms', label: 'start' },
];

test('expected CSV: holds the 390 regular-session rows of 2013-10-07', (t) => {
  t.is(expectedRows.length, 390);
  // Cross-check the other timestamp encodings of the ground truth against each other.
  for (const row of expectedRows) {
    const ms = Number(BigInt(row.ts_utc_us_epoch_us!) / 1000n);
    if (Number(row.ts_ms_epoch_ms) !== ms || Number(row.epoch_ms_int64) !== ms || Number(BigInt(row.ts_ns_epoch_ns!) / 1_000_000n) !== ms) t.fail(`timestamps disagree: ${JSON.stringify(row)}`);
  }
  t.pass();
});

for (const file of RTH_FILES) {
  for (const timestamp of TIMESTAMPS) {
    test(`ParquetBarReader: reads ${file} with ${timestamp.column} to exactly the expected CSV`, async (t) => {
      const loaded = await fixtureReader(file, timestamp).load('SPY', '1m', rth('2013-10-07').from, rth('2013-10-07').to, '2013-10-07');
      t.is(loaded.bars.length, 390);
      t.deepEqual(columnsOf(loaded), expected);
      t.like(loaded, { symbol: 'SPY', interval: '1m', file: path.join(FIXTURES, file), outside: 0, rowsRead: 390, rowGroupsRead: 1, rowGroupsTotal: 1 });
      t.true(Object.values(loaded.rejected).every((n) => n === 0));
      t.is(loaded.reordered, 0);
      t.true(loaded.bars.start instanceof Float64Array && loaded.bars.volume instanceof Float64Array);
    });
  }
}

test('ParquetBarReader: converts end-labelled timestamps to bar starts', async (t) => {
  const reader = fixtureReader('spy_2013-10-07_rth_zstd.parquet', { column: 'ts_ms', label: 'end' });
  const { from, to } = rth('2013-10-07');
  // Read as end labels, the 13:30 row is the bar 13:29-13:30: before the open, so outside.
  const loaded = await reader.load('SPY', '1m', from, to, '2013-10-07');
  t.is(loaded.bars.length, 389);
  t.is(loaded.outside, 1);
  t.is(loaded.bars.start[0], from);
  t.is(loaded.bars.close[0], expected.close[1]);
  t.deepEqual(Array.from(loaded.bars.start), expected.start.slice(1).map((s) => s - MINUTE));
  const shifted = await reader.load('SPY', '1m', from - MINUTE, to - MINUTE, '2013-10-07');
  t.is(shifted.bars.length, 390);
  t.deepEqual(Array.from(shifted.bars.start), expected.start.map((s) => s - MINUTE));
});

test('ParquetBarReader: keeps only bars fully inside [from, to)', async (t) => {
  const reader = fixtureReader('spy_2013-10-07_rth_snappy.parquet', { column: 'ts_utc_us', label: 'start' });
  const { from } = rth('2013-10-07');
  // [09:31, 09:35:30): the 09:35 bar would end at 09:36, after `to`.
  const loaded = await reader.load('SPY', '1m', from + MINUTE, from + 5.5 * MINUTE, '2013-10-07');
  t.deepEqual(Array.from(loaded.bars.start), [1, 2, 3, 4].map((k) => from + k * MINUTE));
  t.is(loaded.outside, 386);
  t.is(loaded.bars.start.length, 4);
});

test('ParquetBarReader: reads one row group for the 2013-10-04 session of the 3-row-group file', async (t) => {
  const reader = fixtureReader(WEEK, { column: 'ts', label: 'start' });
  const { from, to, date } = rth('2013-10-04');
  const loaded = await reader.load('SPY', '1m', from, to, date);
  t.like(loaded, { rowGroupsRead: 1, rowGroupsTotal: 3, rowsRead: 2048 });
  t.is(loaded.bars.length, 390);
  t.is(loaded.bars.start[0], from);
  t.is(loaded.bars.start[389], to - MINUTE);
  t.is(loaded.outside, 2048 - 390 - 0);
});

test('ParquetBarReader: reads the row groups whose statistics overlap 2013-10-08', async (t) => {
  const reader = fixtureReader(WEEK, { column: 'ts', label: 'start' });
  const { from, to, date } = rth('2013-10-08');
  const loaded = await reader.load('SPY', '1m', from, to, date);
  // Row group 0 ends at 18:22 UTC and row group 1 starts there: both overlap the session.
  t.like(loaded, { rowGroupsRead: 2, rowGroupsTotal: 3, rowsRead: 4096 });
  t.is(loaded.bars.length, 390);
  const late = await reader.load('SPY', '1m', rth('2013-10-11').from, rth('2013-10-11').to, '2013-10-11');
  t.like(late, { rowGroupsRead: 1, rowsRead: 743 });
  t.is(late.bars.length, 390);
});

test('ParquetBarReader: reads the same 2013-10-07 bars from the week file as from the day file', async (t) => {
  const { from, to, date } = rth('2013-10-07');
  const loaded = await fixtureReader(WEEK, { column: 'ts', label: 'start' }, { symbol: 'symbol' }).load('SPY', '1m', from, to, date);
  t.deepEqual(columnsOf(loaded), expected);
});

test('ParquetBarReader: reads by byte range when the file is larger than wholeFileMaxBytes', async (t) => {
  const store: StoreConfig = { root: FIXTURES, layout: WEEK, timestamp: { column: 'ts', label: 'start' } };
  const { from, to, date } = rth('2013-10-08');
  const whole = await new ParquetBarReader(store).load('SPY', '1m', from, to, date);
  const ranged = new ParquetBarReader(store, { wholeFileMaxBytes: 0 });
  const loaded = await ranged.load('SPY', '1m', from, to, date);
  t.deepEqual(columnsOf(loaded), columnsOf(whole));
  t.like(loaded, { rowGroupsRead: 2, rowsRead: 4096 });
  ranged.clearCache();
});

test('ParquetBarReader: rejects the null closes of close_with_nulls as null_or_nan', async (t) => {
  const reader = fixtureReader('spy_2013-10-07_rth_zstd_v2pages.parquet', { column: 'ts_utc_us', label: 'start' }, { close: 'close_with_nulls' });
  const { from, to, date } = rth('2013-10-07');
  const loaded = await reader.load('SPY', '1m', from, to, date);
  t.is(loaded.rejected.null_or_nan, 55);
  t.is(loaded.bars.length, 335);
  // Every 7th row (1-based) is gone.
  t.deepEqual(Array.from(loaded.bars.start), expected.start.filter((_, i) => (i + 1) % 7 !== 0));
});

// --- invalid rows, on small files written by the test -------------------------------------

const T0 = Date.parse('2024-03-04T14:30:00Z');
const DAY = { from: T0, to: T0 + 390 * MINUTE, date: '2024-03-04' };
type Row = [minute: number | null, open: number | null, high: number, low: number, close: number, volume: number];

async function loadRows(t: ExecutionContext, rows: Row[], store: Partial<StoreConfig> = {}): Promise<LoadedBars> {
  const root = tempStore(t);
  writeParquetFile(root, 'SPY/2024-03-04.parquet', {
    ts: ts(rows.map((r) => (r[0] === null ? null : T0 + r[0] * MINUTE)), 'us'),
    open: f64(rows.map((r) => r[1])),
    high: f64(rows.map((r) => r[2])),
    low: f64(rows.map((r) => r[3])),
    close: f64(rows.map((r) => r[4])),
    volume: i64(rows.map((r) => r[5])),
  });
  const reader = new ParquetBarReader({ root, layout: '{symbol}/{date}.parquet', timestamp: { column: 'ts', label: 'start' }, ...store });
  return reader.load('SPY', '1m', DAY.from, DAY.to, DAY.date);
}

function onlyRejected(loaded: LoadedBars, reason: RejectReason, count: number): boolean {
  return Object.entries(loaded.rejected).every(([key, value]) => value === (key === reason ? count : 0));
}

test('ParquetBarReader: drops rows with a null or NaN field and counts them', async (t) => {
  const loaded = await loadRows(t, [[0, 10, 11, 9, 10, 100], [1, null, 11, 9, 10, 100], [2, 10, Number.NaN, 9, 10, 100], [null, 10, 11, 9, 10, 100], [3, 10, 11, 9, 10, 100]]);
  t.true(onlyRejected(loaded, 'null_or_nan', 3));
  t.deepEqual(Array.from(loaded.bars.start), [T0, T0 + 3 * MINUTE]);
});

test('ParquetBarReader: drops rows whose high is below low and counts them', async (t) => {
  const loaded = await loadRows(t, [[0, 10, 11, 9, 10, 100], [1, 10, 9, 11, 10, 100], [2, 10, 11, 9, 10, 100]]);
  t.true(onlyRejected(loaded, 'high_below_low', 1));
  t.deepEqual(Array.from(loaded.bars.start), [T0, T0 + 2 * MINUTE]);
});

test('ParquetBarReader: drops rows whose open or close is outside [low, high] and counts them', async (t) => {
  const loaded = await loadRows(t, [[0, 12, 11, 9, 10, 100], [1, 10, 11, 9, 8, 100], [2, 8.99, 11, 9, 10, 100], [3, 9, 11, 9, 11, 100]]);
  t.true(onlyRejected(loaded, 'open_close_outside_range', 3));
  t.deepEqual(Array.from(loaded.bars.start), [T0 + 3 * MINUTE]);
});

test('ParquetBarReader: drops rows with negative volume and counts them', async (t) => {
  const loaded = await loadRows(t, [[0, 10, 11, 9, 10, -1], [1, 10, 11, 9, 10, 0]]);
  t.true(onlyRejected(loaded, 'negative_volume', 1));
  t.deepEqual(Array.from(loaded.bars.volume), [0]);
});

test('ParquetBarReader: keeps the first of duplicate timestamps and counts the rest', async (t) => {
  const loaded = await loadRows(t, [[0, 10, 11, 9, 10, 100], [0, 10, 11, 9, 9.5, 200], [0, 10, 11, 9, 9.6, 300], [1, 10, 11, 9, 10, 100]]);
  t.true(onlyRejected(loaded, 'duplicate_timestamp', 2));
  t.deepEqual(Array.from(loaded.bars.close), [10, 10]);
  t.deepEqual(Array.from(loaded.bars.volume), [100, 100]);
});

test('ParquetBarReader: sorts rows that arrive out of order instead of dropping them, and notes how many', async (t) => {
  const loaded = await loadRows(t, [[0, 10, 11, 9, 10, 100], [5, 10, 11, 9, 10, 100], [3, 10, 11, 9, 10, 103], [4, 10, 11, 9, 10, 104], [6, 10, 11, 9, 10, 100]]);
  t.true(onlyRejected(loaded, 'duplicate_timestamp', 0));
  t.is(loaded.reordered, 2);
  t.deepEqual(Array.from(loaded.bars.start), [0, 3, 4, 5, 6].map((k) => T0 + k * MINUTE));
  t.deepEqual(Array.from(loaded.bars.volume), [100, 103, 104, 100, 100]);
});

test('ParquetBarReader: a file in reverse order loses no bar; repeats it hid are counted as duplicates, the first kept', async (t) => {
  const rows = Array.from({ length: 390 }, (_, m): Row => [389 - m, 10, 11, 9, 10, 1000 + (389 - m)]);
  rows.splice(101, 0, [289, 10, 11, 9, 10, 7]); // a second row for 14:19, right after the first in the file
  const loaded = await loadRows(t, rows);
  t.is(loaded.bars.length, 390);
  t.true(onlyRejected(loaded, 'duplicate_timestamp', 1));
  t.deepEqual(Array.from(loaded.rejectedStarts), [T0 + 289 * MINUTE]);
  t.is(loaded.bars.volume[289], 1289);
  t.true(Array.from(loaded.bars.start).every((s, i) => s === T0 + i * MINUTE));
});

test('ParquetBarReader: rejects infinite prices and volume as non_finite, with their starts', async (t) => {
  const loaded = await loadRows(t, [[0, 10, 11, 9, 10, 100], [1, 10, Number.POSITIVE_INFINITY, 9, 10, 100], [2, 10, 11, Number.NEGATIVE_INFINITY, 10, 100], [3, 10, 11, 9, Number.POSITIVE_INFINITY, 100], [4, 10, 11, 9, 10, 100]]);
  t.true(onlyRejected(loaded, 'non_finite', 3));
  t.deepEqual(Array.from(loaded.rejectedStarts), [1, 2, 3].map((k) => T0 + k * MINUTE));
  t.deepEqual(Array.from(loaded.bars.start), [T0, T0 + 4 * MINUTE]);
});

test('ParquetBarReader: rejects starts off the grid anchored at the open (1m bars stamped hh:mm:30)', async (t) => {
  const loaded = await loadRows(t, [[0, 10, 11, 9, 10, 100], [1.5, 10, 11, 9, 10, 100], [2, 10, 11, 9, 10, 100]]);
  t.true(onlyRejected(loaded, 'misaligned_timestamp', 1));
  t.deepEqual(Array.from(loaded.bars.start), [T0, T0 + 2 * MINUTE]);
});

test('ParquetBarReader: counts rows outside the window as outside, not as rejections', async (t) => {
  // Pre-market row, the last bar before the close, and the bar starting at the close.
  const loaded = await loadRows(t, [[-30, 10, 11, 9, 10, 100], [-1, 10, 9, 11, 10, 100], [389, 10, 11, 9, 10, 100], [390, 10, 11, 9, 10, 100]]);
  t.is(loaded.outside, 3);
  t.true(Object.values(loaded.rejected).every((n) => n === 0));
  t.deepEqual(Array.from(loaded.bars.start), [T0 + 389 * MINUTE]);
});

test('ParquetBarReader: keeps only the wanted symbol of a multi-symbol file', async (t) => {
  const root = tempStore(t);
  const minutes = [0, 0, 1, 1, 2];
  writeParquetFile(root, '1m/2024.parquet', {
    sym: str(['SPY', 'QQQ', 'SPY', 'QQQ', 'SPY']),
    ts: ts(minutes.map((m) => T0 + m * MINUTE)),
    open: f64([1, 2, 3, 4, 5]),
    high: f64([1, 2, 3, 4, 5]),
    low: f64([1, 2, 3, 4, 5]),
    close: f64([1, 2, 3, 4, 5]),
    volume: f64([1, 2, 3, 4, 5]),
  });
  const reader = new ParquetBarReader({ root, layout: '{interval}/{yyyy}.parquet', timestamp: { column: 'ts', label: 'start' }, columns: { symbol: 'sym' } });
  const spy = await reader.load('SPY', '1m', DAY.from, DAY.to, DAY.date);
  t.deepEqual(Array.from(spy.bars.close), [1, 3, 5]);
  t.is(spy.rowsRead, 5);
  t.true(Object.values(spy.rejected).every((n) => n === 0));
  const qqq = await reader.load('QQQ', '1m', DAY.from, DAY.to, DAY.date);
  t.deepEqual(Array.from(qqq.bars.close), [2, 4]);
});

test('ParquetBarReader: reads plain integer timestamps in seconds with unit s', async (t) => {
  const root = tempStore(t);
  writeParquetFile(root, 'SPY.parquet', { t: i64([T0 / 1000, T0 / 1000 + 60]), open: f64([1, 2]), high: f64([1, 2]), low: f64([1, 2]), close: f64([1, 2]), volume: i64([7, 8]) });
  const reader = new ParquetBarReader({ root, layout: '{symbol}.parquet', timestamp: { column: 't', unit: 's', label: 'start' } });
  const loaded = await reader.load('SPY', '1m', DAY.from, DAY.to, DAY.date);
  t.deepEqual(Array.from(loaded.bars.start), [T0, T0 + MINUTE]);
  t.deepEqual(Array.from(loaded.bars.volume), [7, 8]);
});

// --- errors ---------------------------------------------------------------------------------

test('ParquetBarReader: reports a missing file as no data file for SYMBOL on DATE', async (t) => {
  const root = tempStore(t);
  const reader = new ParquetBarReader({ root, layout: '{interval}/{symbol}/{yyyy}/{mm}/{date}.parquet', timestamp: { column: 'ts', label: 'start' } });
  const file = path.join(root, '1m/SPY/2024/03/2024-03-04.parquet');
  const error = await t.throwsAsync(reader.load('SPY', '1m', DAY.from, DAY.to, DAY.date), { instanceOf: DataError });
  t.is(error.message, `no data file for SPY on 2024-03-04: ${file}`);
  t.like(error, { file, symbol: 'SPY', date: '2024-03-04' });
});

test('ParquetBarReader: refuses a truncated file with a DataError naming the file', async (t) => {
  const root = tempStore(t);
  const bytes = readFileSync(path.join(FIXTURES, 'spy_2013-10-07_rth_zstd.parquet'));
  const file = path.join(root, 'SPY.parquet');
  writeFileSync(file, bytes.subarray(0, bytes.length >> 1));
  const reader = new ParquetBarReader({ root, layout: '{symbol}.parquet', timestamp: { column: 'ts_utc_us', label: 'start' } });
  const { from, to, date } = rth('2013-10-07');
  const error = await t.throwsAsync(reader.load('SPY', '1m', from, to, date), { instanceOf: DataError });
  t.like(error, { file, symbol: 'SPY', date });
  t.true(error.message.includes(file));
});

test('ParquetBarReader: names a missing column in the DataError', async (t) => {
  const reader = fixtureReader('spy_2013-10-07_rth_zstd.parquet', { column: 'ts_utc_us', label: 'start' }, { volume: 'qty' });
  const { from, to, date } = rth('2013-10-07');
  const error = await t.throwsAsync(reader.load('SPY', '1m', from, to, date), { instanceOf: DataError });
  t.is(error.column, 'qty');
  t.regex(error.message, /missing column "qty" \(columns\.volume\)/);
  t.true(error.message.includes(path.join(FIXTURES, 'spy_2013-10-07_rth_zstd.parquet')));
});

test('ParquetBarReader: validates the store config eagerly and lists every problem', (t) => {
  const bad = { root: 'relative', layout: '{symbol}/{day}.parquet', timestamp: { column: '', label: 'middle', unit: 'min' }, columns: { adj: 'x' } } as unknown as StoreConfig;
  const error = t.throws(() => new ParquetBarReader(bad), { instanceOf: ConfigError });
  t.deepEqual(error.problems.map((p) => p.path).sort(), ['store.columns.adj', 'store.layout', 'store.root', 'store.timestamp.column', 'store.timestamp.label', 'store.timestamp.unit']);
  t.regex(error.message, /\{day\}/);
});

test('ParquetBarReader: loads a session interval as the session\'s one daily bar (derived from its 1m bars without 1d files) and refuses an empty window', async (t) => {
  const reader = fixtureReader('spy_2013-10-07_rth_zstd.parquet', { column: 'ts_utc_us', label: 'start' });
  const { from, to, date } = rth('2013-10-07');
  const minutes = (await reader.load('SPY', '1m', from, to, date)).bars;
  const daily = (await reader.load('SPY', '1d', from, to, date)).bars;
  t.is(daily.length, 1);
  t.deepEqual(
    [daily.start[0], daily.open[0], daily.high[0], daily.low[0], daily.close[0], daily.volume[0]],
    [from, minutes.open[0], Math.max(...minutes.high), Math.min(...minutes.low), minutes.close[minutes.length - 1], minutes.volume.reduce((a, b) => a + b, 0)],
  );
  await t.throwsAsync(reader.load('SPY', '1m', DAY.to, DAY.from, DAY.date), { instanceOf: ConfigError });
});

test('ParquetBarReader: derives the trading date from from in the store time zone', async (t) => {
  const root = tempStore(t);
  writeParquetFile(root, 'SPY/2013-10-07.parquet', { ts: ts([Date.parse('2013-10-07T23:00:00Z')]), open: f64([1]), high: f64([1]), low: f64([1]), close: f64([1]), volume: f64([1]) });
  const reader = new ParquetBarReader({ root, layout: '{symbol}/{date}.parquet', timezone: 'America/New_York', timestamp: { column: 'ts', label: 'start' } });
  // 2013-10-08T01:00Z is still 2013-10-07 in New York.
  const loaded = await reader.load('SPY', '1m', Date.parse('2013-10-07T22:00:00Z'), Date.parse('2013-10-08T01:00:00Z'));
  t.is(loaded.bars.length, 1);
});

// --- availability ---------------------------------------------------------------------------

test('ParquetBarReader: exists stats per-day files', async (t) => {
  const root = tempStore(t);
  writeParquetFile(root, 'SPY/2024-03-04.parquet', { ts: ts([T0]), open: f64([1]), high: f64([1]), low: f64([1]), close: f64([1]), volume: f64([1]) });
  const reader = new ParquetBarReader({ root, layout: '{symbol}/{date}.parquet', timestamp: { column: 'ts', label: 'start' } });
  t.deepEqual(await reader.exists('SPY', '1m', DAY.date, DAY.from, DAY.to), { ok: true, file: path.join(root, 'SPY/2024-03-04.parquet') });
  const missing = await reader.exists('SPY', '1m', '2024-03-05', DAY.from + 86_400_000, DAY.to + 86_400_000);
  t.false(missing.ok);
  t.like(missing, { reason: `no data file for SPY on 2024-03-05: ${path.join(root, 'SPY/2024-03-05.parquet')}` });
});

test('ParquetBarReader: exists consults footer statistics for coarse files', async (t) => {
  const reader = fixtureReader(WEEK, { column: 'ts', label: 'start' });
  const inside = rth('2013-10-10');
  t.deepEqual(await reader.exists('SPY', '1m', inside.date, inside.from, inside.to), { ok: true, file: path.join(FIXTURES, WEEK) });
  const after = rth('2013-10-14');
  const result = await reader.exists('SPY', '1m', after.date, after.from, after.to);
  t.false(result.ok);
  if (!result.ok) t.regex(result.reason, /no row group/);
});

test('ParquetBarReader: exists reports a corrupt coarse file instead of throwing', async (t) => {
  const root = tempStore(t);
  const bytes = readFileSync(path.join(FIXTURES, WEEK));
  writeFileSync(path.join(root, '2013.parquet'), bytes.subarray(0, 1000));
  const reader = new ParquetBarReader({ root, layout: '{yyyy}.parquet', timestamp: { column: 'ts', label: 'start' } });
  const { from, to, date } = rth('2013-10-07');
  const result = await reader.exists('SPY', '1m', date, from, to);
  t.false(result.ok);
  if (!result.ok) t.true(result.reason.includes(path.join(root, '2013.parquet')));
});
