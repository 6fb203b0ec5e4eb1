import test from 'ava';
import { join } from 'node:path';
import { getCalendar } from '../../lib/calendar/get-calendar.ts';
import { ParquetBarReader } from '../../lib/store/bar-reader.ts';
import { checkStore } from '../../lib/store/check/check-store.ts';
import { importBars } from '../../lib/store/import/import-bars.ts';
import { writeParquetFile } from '../../lib/store/parquet-writer.ts';
import type { RejectCounts } from '../../lib/store/types.ts';
import { backtest } from '../../pipelines/backtest.ts';
import { tempRoot } from '../helpers/lean-store.ts';

// One damaged day read by every path that reads bars: the store reader, the session loop,
// `data check` and `import`. They must file every row under the same reason and agree on
// what is kept and on the score (issue 15, "every bar rule, one place, every path").

const xnys = getCalendar('XNYS');
const DAY = xnys.session('2024-03-05')!;
const MIN = 60_000;
const LAYOUT = '{interval}/{symbol}/{date}.parquet';

type Row = [start: number, open: number, high: number, low: number, close: number, volume: number];
const good = (minute: number, price = 100): Row => [DAY.open + minute * MIN, price, price + 0.5, price - 0.5, price, 1000];

/** A full day in reverse file order, with one row of every kind of damage mixed in. */
function damagedDay(): Row[] {
  const rows = Array.from({ length: 390 }, (_, m) => good(389 - m));
  rows.push(
    [DAY.open + 400 * MIN, 100, 100.5, 99.5, 100, 1000], // after the close: outside the session, not a rejection
    [DAY.open + 10 * MIN, 100, Number.NaN, 99.5, 100, 1000], // null_or_nan (minute 10 itself is present above)
    [DAY.open + 11 * MIN, 100, Number.POSITIVE_INFINITY, 99.5, 100, 1000], // non_finite
    [DAY.open + 12 * MIN, 100, 99, 101, 100, 1000], // high_below_low
    [DAY.open + 13 * MIN, 102, 100.5, 99.5, 100, 1000], // open_close_outside_range
    [DAY.open + 14 * MIN, 100, 100.5, 99.5, 100, -1], // negative_volume
    [DAY.open + 15 * MIN + 30_000, 100, 100.5, 99.5, 100, 1000], // misaligned_timestamp (09:45:30)
    good(16), // duplicate_timestamp: minute 16 again, after the first in the file
  );
  return rows;
}

const EXPECTED_REJECTED: RejectCounts = { null_or_nan: 1, non_finite: 1, high_below_low: 1, open_close_outside_range: 1, negative_volume: 1, misaligned_timestamp: 1, duplicate_timestamp: 1 };

async function writeDamaged(root: string, symbol: string): Promise<string> {
  const rows = damagedDay();
  const col = (k: number) => Float64Array.from(rows, (r) => r[k]!);
  const file = join(root, '1m', symbol, `${DAY.date}.parquet`);
  await writeParquetFile(file, { ts: col(0), open: col(1), high: col(2), low: col(3), close: col(4), volume: col(5) }, { timestampColumns: ['ts'] });
  return file;
}

test('bar rules: the reader, the session loop and data check classify a damaged, unsorted day identically and agree on the score', async (t) => {
  const root = await tempRoot(t, 'sessionflow-rules-');
  await writeDamaged(root, 'BAD');
  const store = { root, layout: LAYOUT, timestamp: { column: 'ts', label: 'start' as const } };

  const loaded = await new ParquetBarReader(store).load('BAD', '1m', DAY.open, DAY.close, DAY.date);
  t.deepEqual(loaded.rejected, EXPECTED_REJECTED);
  // Reverse order is sorted, not dropped: all 390 minutes survive.
  t.is(loaded.bars.length, 390);
  t.is(loaded.reordered, 389);
  t.is(loaded.outside, 1);

  const check = await checkStore({ store, calendar: xnys, interval: '1m', symbols: ['BAD'], from: DAY.date, to: DAY.date });
  const session = check.details[0]!;
  t.deepEqual(session.rejected, EXPECTED_REJECTED);
  t.like(session, { present: 390, expected: 390, outsideSession: 1 });
  // Every window has a bar, but seven rows were rejected: the score is not 100.
  t.is(session.score, (100 * 390) / 397);

  const run = await backtest({ backtest: { start: DAY.date, end: DAY.date }, store, symbols: ['BAD'] }, { baseDir: root }).result();
  t.teardown(() => run.dispose());
  const day = run.days[0]!;
  t.is(day.barsIn, 390);
  t.deepEqual(day.rejected, EXPECTED_REJECTED);
  t.is(day.quality.BAD!.reordered, 389);
  t.is(day.quality.BAD!.intervals['1m']!.score, session.score);
});

test('bar rules: import files a Parquet row under the reader\'s reason, and what it writes reads back clean', async (t) => {
  const root = await tempRoot(t, 'sessionflow-rules-');
  const source = await writeDamaged(join(root, 'vendor'), 'BAD');
  const report = await importBars({ inputs: [source], store: join(root, 'store'), interval: '1m', symbol: 'BAD', map: { ts: 'timestamp' } });
  t.like(report.rejected, EXPECTED_REJECTED);
  t.is(report.rowsAccepted, 391); // the 390 minutes and the row after the close (imports keep extended hours)
  t.is(report.reordered, 389);
  const reread = await new ParquetBarReader({ root: join(root, 'store'), layout: report.layout, timestamp: { column: 'ts', unit: 'ms', label: 'start' } }).load('BAD', '1m', DAY.open, DAY.close, DAY.date);
  t.is(reread.bars.length, 390);
  t.true(Object.values(reread.rejected).every((n) => n === 0));
  t.is(reread.reordered, 0);
});

test('a directory named like a day\'s Parquet file skips that day naming the path, and the next day\'s warm-up does not abort', async (t) => {
  const root = await tempRoot(t, 'sessionflow-rules-');
  const next = xnys.nextSession(DAY.date);
  const { mkdir } = await import('node:fs/promises');
  await mkdir(join(root, '1m', 'X', `${DAY.date}.parquet`), { recursive: true });
  const rows = Array.from({ length: 390 }, (_, m): Row => [next.open + m * MIN, 100, 100.5, 99.5, 100, 1000]);
  const col = (k: number) => Float64Array.from(rows, (r) => r[k]!);
  await writeParquetFile(join(root, '1m', 'X', `${next.date}.parquet`), { ts: col(0), open: col(1), high: col(2), low: col(3), close: col(4), volume: col(5) }, { timestampColumns: ['ts'] });
  const store = { root, layout: LAYOUT, timestamp: { column: 'ts', label: 'start' as const } };
  const run = await backtest({ backtest: { start: DAY.date, end: next.date }, store, symbols: ['X'], history: [{ trailingSessions: 1, intervals: ['1m'] }] }, { baseDir: root }).result();
  t.teardown(() => run.dispose());
  const [first, second] = run.days;
  t.is(first!.skipped.length, 1);
  t.regex(first!.skipped[0]!.reason, new RegExp(`X/${DAY.date}\\.parquet is a directory, not a Parquet file`));
  t.is(second!.barsIn, 390);
  t.deepEqual(second!.quality.X!.history['1m']!.missingSessions, [DAY.date]);
});
