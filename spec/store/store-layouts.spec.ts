/**
 * Every store layout and schema variant of issue #4, on files written by DuckDB 1.5 (an
 * independent writer) from the Lean SPY minute fixture. Expected values come from the fixture
 * CSV parsed in JS, never from the reader.
 */
import { mkdirSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import test from 'ava';
import type { DuckDBConnection } from '@duckdb/node-api';
import { DataError } from '../../lib/errors.ts';
import { ParquetBarReader } from '../../lib/store/bar-reader.ts';
import { PARQUET_IO } from '../../lib/store/parquet-file.ts';
import type { LoadedBars, StoreConfig } from '../../lib/store/types.ts';
import { csvBars, DATES, duckdbWithSpy, expectedSession, rth } from './duckdb-store.ts';
import { tempStore } from './parquet-builder.ts';

const MINUTE = 60_000;

function columnsOf(loaded: LoadedBars) {
  const { bars } = loaded;
  return { start: Array.from(bars.start), open: Array.from(bars.open), high: Array.from(bars.high), low: Array.from(bars.low), close: Array.from(bars.close), volume: Array.from(bars.volume) };
}

let con: DuckDBConnection;
test.before(async () => {
  con = await duckdbWithSpy();
});

async function copy(sql: string, file: string, options = 'FORMAT parquet'): Promise<void> {
  mkdirSync(path.dirname(file), { recursive: true });
  await con.run(`COPY (${sql}) TO '${file}' (${options})`);
}

test('layout: one file per symbol per day ({interval}/{symbol}/{yyyy}/{mm}/{dd}.parquet)', async (t) => {
  const root = tempStore(t);
  for (const date of DATES) {
    const [yyyy, mm, dd] = date.split('-');
    await copy(`SELECT ts, open, high, low, close, volume FROM spy WHERE date = '${date}' ORDER BY ts`, path.join(root, '1m', 'SPY', yyyy!, mm!, `${dd}.parquet`));
  }
  const reader = new ParquetBarReader({ root, layout: '{interval}/{symbol}/{yyyy}/{mm}/{dd}.parquet', timestamp: { column: 'ts', label: 'start' } });
  for (const date of DATES) {
    const { from, to } = rth(date);
    const loaded = await reader.load('SPY', '1m', from, to, date);
    t.deepEqual(columnsOf(loaded), expectedSession(date), date);
    t.like(await reader.exists('SPY', '1m', date, from, to), { ok: true });
  }
  t.like(await reader.exists('SPY', '1m', '2013-10-14', rth('2013-10-14').from, rth('2013-10-14').to), { ok: false });
});

test('layout: one file per symbol per year with many row groups reads only the session\'s row groups', async (t) => {
  const root = tempStore(t);
  const file = path.join(root, '1m', 'SPY', '2013.parquet');
  await copy('SELECT ts, open, high, low, close, volume FROM spy ORDER BY ts', file, 'FORMAT parquet, ROW_GROUP_SIZE 2048');
  const reader = new ParquetBarReader({ root, layout: '{interval}/{symbol}/{yyyy}.parquet', timestamp: { column: 'ts', label: 'start' } });
  const results = await reader.loadMany('SPY', '1m', DATES.map((d) => rth(d)));
  for (const [k, date] of DATES.entries()) {
    const result = results[k]!;
    if (!result.ok) return t.fail(result.error.message);
    t.deepEqual(columnsOf(result.loaded), expectedSession(date), date);
    t.is(result.loaded.rowGroupsTotal, 3);
  }
  // 2013-10-04 lies in the first 2048 rows only.
  const first = await reader.load('SPY', '1m', rth('2013-10-04').from, rth('2013-10-04').to, '2013-10-04');
  t.like(first, { rowGroupsRead: 1, rowsRead: 2048 });
});

test('layout: per-month files ({yyyy}-{mm}) work through the same config', async (t) => {
  const root = tempStore(t);
  await copy('SELECT ts, open, high, low, close, volume FROM spy ORDER BY ts', path.join(root, 'SPY', '2013-10.parquet'), 'FORMAT parquet, ROW_GROUP_SIZE 2048');
  const reader = new ParquetBarReader({ root, layout: '{symbol}/{yyyy}-{mm}.parquet', timestamp: { column: 'ts', label: 'start' } });
  const loaded = await reader.load('SPY', '1m', rth('2013-10-09').from, rth('2013-10-09').to, '2013-10-09');
  t.deepEqual(columnsOf(loaded), expectedSession('2013-10-09'));
});

test('layout: hive partitions symbol=/date= with any part file names', async (t) => {
  const root = tempStore(t);
  // DuckDB names the parts data_0.parquet and drops the partition columns from the files.
  await con.run(`COPY (SELECT 'SPY' AS symbol, date, ts, open, high, low, close, volume FROM spy ORDER BY ts) TO '${path.join(root, '1m')}' (FORMAT parquet, PARTITION_BY (symbol, date))`);
  const store: StoreConfig = { root, layout: '{interval}/symbol={symbol}/date={date}/*.parquet', timestamp: { column: 'ts', label: 'start' } };
  const reader = new ParquetBarReader(store);
  for (const date of DATES) {
    const loaded = await reader.load('SPY', '1m', rth(date).from, rth(date).to, date);
    t.deepEqual(columnsOf(loaded), expectedSession(date), date);
    t.regex(loaded.file, /symbol=SPY\/date=2013-10-\d\d\/data_0\.parquet$/);
  }
  // A second part file in a partition is merged in time order.
  const date = '2013-10-08';
  const folder = path.join(root, '1m', 'symbol=SPY', `date=${date}`);
  await con.run(`COPY (SELECT ts, open, high, low, close, volume FROM spy WHERE date = '${date}' AND ts < TIMESTAMPTZ '2013-10-08 16:00:00+00' ORDER BY ts) TO '${path.join(folder, 'part-a.parquet')}' (FORMAT parquet)`);
  await con.run(`COPY (SELECT ts, open, high, low, close, volume FROM spy WHERE date = '${date}' AND ts >= TIMESTAMPTZ '2013-10-08 16:00:00+00' ORDER BY ts) TO '${path.join(folder, 'part-b.parquet')}' (FORMAT parquet)`);
  rmSync(path.join(folder, 'data_0.parquet'));
  const split = await new ParquetBarReader(store).load('SPY', '1m', rth(date).from, rth(date).to, date);
  t.deepEqual(columnsOf(split), expectedSession(date));
  const missing = await t.throwsAsync(reader.load('SPY', '1m', rth('2013-10-14').from, rth('2013-10-14').to, '2013-10-14'), { instanceOf: DataError });
  t.regex(missing.message, /no data file for SPY on 2013-10-14: no file matches .*date=2013-10-14\/\*\.parquet/);
  t.like(await reader.exists('SPY', '1m', '2013-10-14', rth('2013-10-14').from, rth('2013-10-14').to), { ok: false });
  t.like(await reader.exists('SPY', '1m', date, rth(date).from, rth(date).to), { ok: true });
});

// Serial: PARQUET_IO counts the whole process, and serial tests run before the concurrent ones.
test.serial('layout: one multi-symbol file with a dictionary symbol column, pruned by symbol and time, decoded once for many symbols', async (t) => {
  const root = tempStore(t);
  const file = path.join(root, 'all-1m.parquet');
  // Three symbols with prices scaled by 1, 2 and 3, sorted by (symbol, ts) as the issue asks.
  await copy(
    "SELECT s.symbol, ts, open * s.k AS open, high * s.k AS high, low * s.k AS low, close * s.k AS close, volume FROM spy, (VALUES ('AAA', 1), ('BBB', 2), ('CCC', 3)) s(symbol, k) ORDER BY s.symbol, ts",
    file,
    'FORMAT parquet, ROW_GROUP_SIZE 2048',
  );
  // Byte-range reads (as for any file over 1 MiB), so the bytes taken from disk can be compared.
  const reader = new ParquetBarReader({ root, layout: 'all-{interval}.parquet', timestamp: { column: 'ts', label: 'start' }, columns: { symbol: 'symbol' } }, { wholeFileMaxBytes: 0 });
  const date = '2013-10-09';
  const results = await reader.loadSymbols(['CCC', 'AAA', 'ZZZ'], '1m', rth(date));
  const [ccc, aaa, zzz] = results;
  if (!ccc?.ok || !aaa?.ok || !zzz?.ok) return t.fail('a symbol failed');
  t.deepEqual(columnsOf(aaa.loaded), expectedSession(date, 1));
  const expected3 = expectedSession(date, 3);
  t.deepEqual(columnsOf(ccc.loaded).start, expected3.start);
  for (const field of ['open', 'high', 'low', 'close'] as const) {
    columnsOf(ccc.loaded)[field].forEach((v, i) => {
      if (Math.abs(v - expected3[field][i]!) > 1e-9) t.fail(`${field}[${i}] ${v} != ${expected3[field][i]}`);
    });
  }
  t.is(zzz.loaded.bars.length, 0);
  // 3 x 4839 rows = 7 full row groups + 1. A session of one symbol spans one or two groups,
  // plus at most the group where the previous symbol ends (its time range covers the week).
  t.is(aaa.loaded.rowGroupsTotal, 8);
  t.true(aaa.loaded.rowGroupsRead <= 3 && ccc.loaded.rowGroupsRead <= 3);
  t.is(zzz.loaded.rowGroupsRead, 0);
  // Only AAA's two row groups (of eight) and only the needed columns leave the disk.
  PARQUET_IO.bytesRead = 0;
  const single = await reader.load('AAA', '1m', rth(date).from, rth(date).to, date);
  t.deepEqual(columnsOf(single), columnsOf(aaa.loaded));
  t.is(single.rowGroupsRead, 2);
  const { size } = statSync(file);
  t.true(PARQUET_IO.bytesRead < size * 0.3, `${PARQUET_IO.bytesRead} bytes read of ${size}`);
  t.like(await reader.exists('BBB', '1m', date, rth(date).from, rth(date).to), { ok: true });
  t.like(await reader.exists('ZZZ', '1m', date, rth(date).from, rth(date).to), { ok: false });
});

test('schema: naive TIMESTAMP (isAdjustedToUTC=false) is read as wall-clock time in store.timezone', async (t) => {
  const root = tempStore(t);
  await copy('SELECT ts_local AS ts, open, high, low, close, volume FROM spy ORDER BY ts', path.join(root, 'SPY.parquet'));
  const store: StoreConfig = { root, layout: '{symbol}.parquet', timestamp: { column: 'ts', label: 'start' }, timezone: 'America/New_York' };
  for (const date of DATES) {
    const loaded = await new ParquetBarReader(store).load('SPY', '1m', rth(date).from, rth(date).to, date);
    t.deepEqual(columnsOf(loaded), expectedSession(date), date);
  }
  // Read as UTC wall time instead, 09:30 local would be 09:30Z: four hours early.
  const utc = await new ParquetBarReader({ ...store, timezone: 'UTC' }).load('SPY', '1m', rth('2013-10-07').from - 4 * 60 * MINUTE, rth('2013-10-07').to - 4 * 60 * MINUTE, '2013-10-07');
  t.deepEqual(Array.from(utc.bars.close), expectedSession('2013-10-07').close);
});

const VARIANTS: Array<{ title: string; select: string; timestamp: StoreConfig['timestamp'] }> = [
  { title: 'TIMESTAMP_MS (UTC)', select: "CAST(timezone('UTC', ts) AS TIMESTAMP_MS) AS t", timestamp: { column: 't', label: 'start' } },
  { title: 'TIMESTAMP_NS', select: "CAST(timezone('UTC', ts) AS TIMESTAMP_NS) AS t", timestamp: { column: 't', label: 'start' } },
  { title: 'TIMESTAMPTZ (MICROS, adjusted to UTC)', select: 'ts AS t', timestamp: { column: 't', label: 'start' } },
  { title: 'epoch seconds as BIGINT with unit s', select: 'epoch(ts)::BIGINT AS t', timestamp: { column: 't', unit: 's', label: 'start' } },
  { title: 'epoch ms as INTEGER-typed DOUBLE with unit ms', select: 'epoch_ms(ts)::DOUBLE AS t', timestamp: { column: 't', unit: 'ms', label: 'start' } },
  { title: 'epoch us as BIGINT with unit us, labelled by bar end', select: 'epoch_us(ts) + 60000000 AS t', timestamp: { column: 't', unit: 'us', label: 'end' } },
];

for (const variant of VARIANTS) {
  test(`schema: timestamps as ${variant.title}`, async (t) => {
    const root = tempStore(t);
    // Naive TIMESTAMP_MS/NS hold UTC wall time here, so the store zone is UTC.
    await copy(`SELECT ${variant.select}, open AS o, high AS h, low AS l, close AS c, volume AS v FROM spy ORDER BY ts`, path.join(root, 'SPY.parquet'));
    const reader = new ParquetBarReader({ root, layout: '{symbol}.parquet', timestamp: variant.timestamp, timezone: 'UTC', columns: { open: 'o', high: 'h', low: 'l', close: 'c', volume: 'v' } });
    const loaded = await reader.load('SPY', '1m', rth('2013-10-10').from, rth('2013-10-10').to, '2013-10-10');
    t.deepEqual(columnsOf(loaded), expectedSession('2013-10-10'));
  });
}

test('schema: volume as INTEGER or DOUBLE, extra columns (vwap, trades) kept aligned with the bars', async (t) => {
  const root = tempStore(t);
  await copy('SELECT ts, open, high, low, close, CAST(volume AS INTEGER) AS vol32, CAST(volume AS DOUBLE) AS vold, (high + low + close) / 3 AS vwap, CAST(volume // 100 AS INTEGER) AS n FROM spy ORDER BY ts', path.join(root, 'SPY.parquet'));
  const date = '2013-10-11';
  const expected = expectedSession(date);
  for (const volume of ['vol32', 'vold']) {
    const reader = new ParquetBarReader({ root, layout: '{symbol}.parquet', timestamp: { column: 'ts', label: 'start' }, columns: { volume, extra: { vwap: 'vwap', trades: 'n' } } });
    const loaded = await reader.load('SPY', '1m', rth(date).from, rth(date).to, date);
    t.deepEqual(columnsOf(loaded), expected, volume);
    const extra = loaded.bars.extra!;
    t.deepEqual(Object.keys(extra), ['vwap', 'trades']);
    t.is(extra.vwap!.length, loaded.bars.length);
    extra.vwap!.forEach((v, i) => {
      if (Math.abs(v - (expected.high[i]! + expected.low[i]! + expected.close[i]!) / 3) > 1e-9) t.fail(`vwap[${i}]`);
    });
    t.deepEqual(Array.from(extra.trades!), expected.volume.map((v) => Math.floor(v / 100)));
  }
});

test('schema: nulls in price columns are invalid rows, counted and dropped', async (t) => {
  const root = tempStore(t);
  await copy("SELECT ts, CASE WHEN minute(timezone('UTC', ts)) = 7 THEN NULL ELSE open END AS open, high, low, close, volume FROM spy ORDER BY ts", path.join(root, 'SPY.parquet'));
  const reader = new ParquetBarReader({ root, layout: '{symbol}.parquet', timestamp: { column: 'ts', label: 'start' } });
  const date = '2013-10-07';
  const loaded = await reader.load('SPY', '1m', rth(date).from, rth(date).to, date);
  const expected = expectedSession(date);
  const withNull = expected.start.filter((s) => new Date(s).getUTCMinutes() === 7).length;
  t.is(withNull, 6); // 09:37 ... 15:37 local
  t.is(loaded.rejected.null_or_nan, withNull);
  t.is(loaded.bars.length, expected.start.length - withNull);
});

test('1d: daily bars come from 1d files when present and are derived from 1m otherwise, with the same values', async (t) => {
  const root = tempStore(t);
  await copy('SELECT ts, open, high, low, close, volume FROM spy ORDER BY ts', path.join(root, '1m', 'SPY', '2013.parquet'), 'FORMAT parquet, ROW_GROUP_SIZE 2048');
  await copy('SELECT ts, open * 2 AS open, high * 2 AS high, low * 2 AS low, close * 2 AS close, volume FROM spy ORDER BY ts', path.join(root, '1m', 'TWO', '2013.parquet'));
  // DuckDB aggregates the regular session itself: dates stored as midnight UTC instants.
  await copy(
    `SELECT CAST(date AS TIMESTAMPTZ) AS ts, arg_min(open, ts) AS open, max(high) AS high, min(low) AS low, arg_max(close, ts) AS close, sum(volume) AS volume
     FROM spy WHERE strftime(ts_local, '%H:%M') >= '09:30' AND strftime(ts_local, '%H:%M') < '16:00' GROUP BY date ORDER BY date`,
    path.join(root, 'daily', 'SPY.parquet'),
  );
  const reader = new ParquetBarReader({ root, layout: '{interval}/{symbol}/{yyyy}.parquet', layouts: { '1d': 'daily/{symbol}.parquet' }, timestamp: { column: 'ts', label: 'start' }, timezone: 'America/New_York' });
  const sessions = DATES.map((date) => ({ date, open: rth(date).from, close: rth(date).to, earlyClose: false }));
  const fromFile = await reader.loadDaily('SPY', sessions);
  t.is(fromFile.source, 'file');
  t.deepEqual(fromFile.dates, DATES);
  t.deepEqual(Array.from(fromFile.bars.start), sessions.map((s) => s.open));
  // Independent expectation: the CSV's regular-session rows aggregated in JS.
  const expected = DATES.map((date) => {
    const s = expectedSession(date);
    return { open: s.open[0], high: Math.max(...s.high), low: Math.min(...s.low), close: s.close[s.close.length - 1], volume: s.volume.reduce((a, b) => a + b, 0) };
  });
  t.deepEqual(DATES.map((_, k) => ({ open: fromFile.bars.open[k], high: fromFile.bars.high[k], low: fromFile.bars.low[k], close: fromFile.bars.close[k], volume: fromFile.bars.volume[k] })), expected);
  const derived = await reader.loadDaily('TWO', sessions);
  t.is(derived.source, 'derived');
  t.deepEqual(derived.dates, DATES);
  t.deepEqual(Array.from(derived.bars.volume), expected.map((e) => e.volume));
  t.deepEqual(Array.from(derived.bars.high), expected.map((e) => e.high * 2));
  const partly = await reader.loadDaily('SPY', [...sessions, { date: '2013-10-14', open: rth('2013-10-14').from, close: rth('2013-10-14').to, earlyClose: false }]);
  t.deepEqual(partly.missing.map((m) => m.date), ['2013-10-14']);
  t.is(csvBars.length, 4839);
});
