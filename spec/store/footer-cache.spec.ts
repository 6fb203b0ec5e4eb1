/**
 * Cached footers are bounded by bytes (issue "Fast at every scale", point 4): a cached file
 * keeps its footer's bytes and the ranges derived from them, not hyparquet's parsed tree
 * (~8× the bytes), and the reader's LRU evicts by an estimate of that memory.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import test from 'ava';
import { getCalendar } from '../../lib/calendar/get-calendar.ts';
import { ParquetBarReader } from '../../lib/store/bar-reader.ts';
import { DEMO_YEARLY_LAYOUT, generateDemoStore } from '../../lib/store/demo-data.ts';
import { ParquetFile } from '../../lib/store/parquet-file.ts';

const WEEK = path.join(fileURLToPath(new URL('../fixtures/parquet/', import.meta.url)), 'spy_2013-10-04_2013-10-11_all_rowgroups2048_snappy.parquet');
const READ = { numeric: [{ name: 'ts', timestamp: true, unit: 'ms' as const }, { name: 'close' }, { name: 'volume' }] };

test('ParquetFile.compact keeps what reads need and drops the parsed footer: same ranges and values, a fraction of the memory', async (t) => {
  const fresh = await ParquetFile.open(WEEK, { prefetchSmall: false });
  const file = await ParquetFile.open(WEEK, { prefetchSmall: false });
  t.true(file.rowGroupRows.length > 2);
  const times = file.timeRanges('ts', 'ms');
  const before = file.residentBytes;
  file.compact();
  const after = file.residentBytes;
  t.true(after * 3 < before, `${before} → ${after} bytes`);
  t.is(file.timeRanges('ts', 'ms'), times, 'derived ranges are kept, not derived again');
  // Ranges first asked after compact are derived from the bytes, and the tree goes again.
  t.deepEqual(file.numberRanges('close'), fresh.numberRanges('close'));
  t.false(file.residentBytes > after * 2, 'the parsed footer is not kept alive by a later range');
  for (const rowGroups of [[1], [0, 2], file.rowGroupRows.map((_, i) => i)]) {
    const [a, b] = await Promise.all([file.read({ rowGroups, ...READ }), fresh.read({ rowGroups, ...READ })]);
    t.is(a.rows, b.rows);
    t.deepEqual(a.columns, b.columns);
  }
  // The fallback and interop readers parse the footer again from its bytes.
  t.deepEqual(await file.readValues(['close'], [1]), await fresh.readValues(['close'], [1]));
  file.close();
  fresh.close();
});

test('ParquetBarReader: a footer cache of any byte budget, down to one file, gives the same bars as an unbounded one', async (t) => {
  const dir = await mkdtemp(path.join(tmpdir(), 'sessionflow-footers-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  const sessions = getCalendar('XNYS').sessions('2023-12-26', '2024-01-05');
  await generateDemoStore({ out: dir, symbols: 3, sessions, layout: 'yearly', missingDaySymbol: false });
  const store = { root: dir, layout: DEMO_YEARLY_LAYOUT, timestamp: { column: 'ts', unit: 'ms' as const, label: 'start' as const } };
  const roomy = new ParquetBarReader(store);
  const tight = new ParquetBarReader(store, { footerCacheBytes: 1 });
  // Symbols interleaved over two years' files: the tight cache evicts on every open.
  for (const session of sessions) {
    for (const symbol of ['DEMO01', 'DEMO02', 'DEMO03']) {
      const [a, b] = await Promise.all([roomy.load(symbol, '1m', session.open, session.close, session.date), tight.load(symbol, '1m', session.open, session.close, session.date)]);
      t.deepEqual(b, a, `${symbol} ${session.date}`);
      t.true(a.bars.length > 300, `${symbol} ${session.date}: ${a.bars.length} bars`);
    }
  }
  roomy.clearCache();
  tight.clearCache();
});
