/**
 * Decode threads (`store.decodeThreads`, ThreadedBarLoader) must be invisible in results: the
 * same bars bit for bit, the same rejection counts and the same DataErrors (file, symbol,
 * date) as the main-thread reader, and a thread that cannot start must not fail a load.
 * Expected values come from ParquetBarReader on the same files, the reader the rest of the
 * store specs check against DuckDB and the upstream fixtures.
 */
import { writeFileSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import test, { type ExecutionContext } from 'ava';
import { getCalendar } from '../../lib/calendar/get-calendar.ts';
import { DataError } from '../../lib/errors.ts';
import { setLogLevel } from '../../lib/log.ts';
import { ParquetBarReader, type LoadOutcome } from '../../lib/store/bar-reader.ts';
import { DEMO_YEARLY_LAYOUT, generateDemoStore } from '../../lib/store/demo-data.ts';
import { ThreadedBarLoader } from '../../lib/store/threaded-bar-loader.ts';
import type { StoreConfig } from '../../lib/store/types.ts';
import { sameBits } from '../helpers/engine-fixtures.ts';

setLogLevel('error');

const sessions = getCalendar('XNYS').sessions('2024-03-04', '2024-03-11');

async function yearlyStore(t: { teardown(fn: () => Promise<void>): void }): Promise<{ root: string; store: StoreConfig; symbols: string[] }> {
  const root = await mkdtemp(join(tmpdir(), 'sessionflow-threads-'));
  t.teardown(() => rm(root, { recursive: true, force: true }));
  // The last symbol misses the middle session: a window with no rows, not an error.
  const summary = await generateDemoStore({ out: root, symbols: 3, sessions, seed: 11, layout: 'yearly', missingMinuteRate: 0.01 });
  // A damaged file for one more symbol: parquet magic around garbage.
  const damaged = join(root, '1m', 'BROKEN', '2024.parquet');
  await mkdir(join(root, '1m', 'BROKEN'), { recursive: true });
  writeFileSync(damaged, Buffer.concat([Buffer.from('PAR1'), Buffer.alloc(300, 7), Buffer.from([44, 1, 0, 0]), Buffer.from('PAR1')]));
  const store: StoreConfig = { root, layout: DEMO_YEARLY_LAYOUT, timestamp: { column: 'ts', unit: 'ms', label: 'start' } };
  return { root, store, symbols: [...summary.symbols, 'BROKEN', 'NOFILE'] };
}

function assertSameOutcomes(t: ExecutionContext, got: readonly LoadOutcome[], want: readonly LoadOutcome[], label: string): void {
  t.is(got.length, want.length, label);
  want.forEach((w, i) => {
    const g = got[i]!;
    t.is(g.ok, w.ok, `${label} window ${i}: ok`);
    if (w.ok && g.ok) {
      for (const field of ['start', 'open', 'high', 'low', 'close', 'volume'] as const) t.true(sameBits(g.loaded.bars[field], w.loaded.bars[field]), `${label} window ${i}: ${field}`);
      t.is(g.loaded.bars.length, w.loaded.bars.length);
      t.deepEqual(g.loaded.rejected, w.loaded.rejected, `${label} window ${i}: rejected`);
      t.is(g.loaded.outside, w.loaded.outside);
      t.is(g.loaded.file, w.loaded.file);
    } else if (!w.ok && !g.ok) {
      t.true(g.error instanceof DataError, `${label} window ${i}: a DataError on the main thread`);
      t.is(g.error.message, w.error.message);
      t.is(g.error.file, w.error.file);
      t.is(g.error.symbol, w.error.symbol);
      t.is(g.error.date, w.error.date);
    }
  });
}

test('decode threads return the main-thread reader\'s bars, rejections and DataErrors', async (t) => {
  const { store, symbols } = await yearlyStore(t);
  const reader = new ParquetBarReader(store);
  const loader = new ThreadedBarLoader(store, new ParquetBarReader(store), 2);
  const windows = sessions.map((s) => ({ from: s.open, to: s.close, date: s.date }));
  let failures = 0;
  for (const symbol of symbols) {
    const [got, want] = await Promise.all([loader.loadMany(symbol, '1m', windows), reader.loadMany(symbol, '1m', windows)]);
    assertSameOutcomes(t, got, want, symbol);
    failures += want.filter((o) => !o.ok).length;
  }
  // The damaged and the missing file fail every window; the demo symbols fail none.
  t.is(failures, 2 * sessions.length);
  t.deepEqual(loader.stats, { threaded: symbols.length, mainThread: 0 }, 'every load was decoded on a thread');
  const missingDay = await loader.load('DEMO03', '1m', sessions[3]!.open, sessions[3]!.close, sessions[3]!.date);
  t.is(missingDay.bars.length, 0, 'the generator left DEMO03 without its middle session');
  const error = await t.throwsAsync(loader.load('BROKEN', '1m', sessions[0]!.open, sessions[0]!.close, sessions[0]!.date), { instanceOf: DataError });
  t.regex(error!.message, /BROKEN/);
  t.true(error!.file?.endsWith(join('BROKEN', '2024.parquet')));
});

test('a decode thread that cannot start falls back to the main thread without failing a load', async (t) => {
  const { root, store } = await yearlyStore(t);
  const failing = join(root, 'failing-thread.mjs');
  writeFileSync(failing, "throw new Error('this decode thread cannot start');\n");
  const reader = new ParquetBarReader(store);
  const loader = new ThreadedBarLoader(store, new ParquetBarReader(store), 1, new URL(`file://${failing}`));
  const windows = sessions.slice(0, 3).map((s) => ({ from: s.open, to: s.close, date: s.date }));
  assertSameOutcomes(t, await loader.loadMany('DEMO01', '1m', windows), await reader.loadMany('DEMO01', '1m', windows), 'fallback');
  // Later loads go straight to the main thread.
  assertSameOutcomes(t, await loader.loadMany('DEMO02', '1m', windows), await reader.loadMany('DEMO02', '1m', windows), 'after fallback');
  t.deepEqual(loader.stats, { threaded: 0, mainThread: 2 });
});

/** Whether `promise` is still pending after `ms` of real time. */
async function stillPending(promise: Promise<unknown>, ms: number): Promise<boolean> {
  let settled = false;
  promise.then(
    () => (settled = true),
    () => (settled = true),
  );
  await new Promise((resolve) => setTimeout(resolve, ms));
  return !settled;
}

// Serial: a hold pauses read-ahead for every loader on the process's threads.
test.serial('holdBackground keeps the threads from read-ahead work until released, but answers what the holder waits for', async (t) => {
  const { store } = await yearlyStore(t);
  const reader = new ParquetBarReader(store);
  const replay = new ThreadedBarLoader(store, new ParquetBarReader(store), 1);
  // A second loader on the same threads stands for read-ahead requested before the replay began.
  const readAhead = new ThreadedBarLoader(store, new ParquetBarReader(store), 1);
  const windows = sessions.slice(0, 2).map((s) => ({ from: s.open, to: s.close, date: s.date }));
  await replay.loadMany('DEMO01', '1m', windows); // the thread is up

  const release = replay.holdBackground();
  const waiting = readAhead.loadMany('DEMO02', '1m', windows);
  t.true(await stillPending(waiting, 400), 'read-ahead waits while the replay holds the threads');
  // A load the holder makes is what it waits for (a symbol added mid-session): answered at once.
  assertSameOutcomes(t, await replay.loadMany('DEMO03', '1m', windows), await reader.loadMany('DEMO03', '1m', windows), 'urgent while held');
  t.true(await stillPending(waiting, 50), 'still held after the urgent load');
  release();
  assertSameOutcomes(t, await waiting, await reader.loadMany('DEMO02', '1m', windows), 'after release');

  // Releasing twice counts once: a second hold still holds.
  release();
  const again = replay.holdBackground();
  const held = readAhead.loadMany('DEMO01', '1m', windows);
  t.true(await stillPending(held, 400), 'a double release did not cancel the next hold');
  again();
  t.is((await held).length, 2);
});

test('availability checks on decode threads report what the main-thread reader reports, reasons and files included', async (t) => {
  const { store, symbols } = await yearlyStore(t);
  const reader = new ParquetBarReader(store);
  const loader = new ThreadedBarLoader(store, new ParquetBarReader(store), 2);
  // A weekend day has no bars in any file: a miss with the reader's own reason.
  const windows = [...sessions.map((s) => ({ date: s.date, from: s.open, to: s.close })), { date: '2024-03-09', from: Date.UTC(2024, 2, 9, 14, 30), to: Date.UTC(2024, 2, 9, 21) }];
  let misses = 0;
  for (const symbol of symbols) {
    const [got, want] = await Promise.all([loader.existsMany(symbol, '1m', windows), reader.existsMany(symbol, '1m', windows)]);
    t.deepEqual(got, want, symbol);
    misses += want.filter((a) => !a.ok).length;
  }
  // BROKEN and NOFILE miss every window; each demo symbol misses the weekend; DEMO03 its hole.
  t.is(misses, 2 * windows.length + 3 + 1);
  t.is(loader.stats.mainThread, 0, 'answered on the threads');
  t.true(loader.stats.threaded >= symbols.length);
});

test('threadMemory reports each decode thread\'s own heap, and nothing once the threads are lost', async (t) => {
  const { root, store } = await yearlyStore(t);
  const loader = new ThreadedBarLoader(store, new ParquetBarReader(store), 2);
  await loader.loadMany('DEMO01', '1m', sessions.map((s) => ({ from: s.open, to: s.close, date: s.date })));
  const memory = await loader.threadMemory();
  t.is(memory.length, 2);
  for (const m of memory) {
    t.true(m.heapUsed > 1 << 20 && m.heapUsed < 1 << 30, `a worker heap of ${m.heapUsed} bytes`);
    t.true(m.external >= 0);
  }
  const failing = join(root, 'failing-thread.mjs');
  writeFileSync(failing, "throw new Error('this decode thread cannot start');\n");
  const broken = new ThreadedBarLoader(store, new ParquetBarReader(store), 1, new URL(`file://${failing}`));
  await broken.load('DEMO01', '1m', sessions[0]!.open, sessions[0]!.close, sessions[0]!.date);
  t.deepEqual(await broken.threadMemory(), []);
});
