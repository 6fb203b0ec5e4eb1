/**
 * SessionBarsCache: each (symbol, session) is loaded once per run and dropped once it is
 * older than the trailing-history window, which is what keeps a long run's memory flat.
 */
import test from 'ava';
import { getCalendar } from '../../lib/calendar/get-calendar.ts';
import { READ_AHEAD_BYTES, readAheadCount, SessionBarsCache } from '../../lib/session/load-session-data.ts';
import type { LoadedBars } from '../../lib/store/types.ts';
import { rejectCountsOf } from '../../lib/store/classify-row.ts';

const sessions = getCalendar('XNYS').sessions('2024-03-04', '2024-03-08');

function loaded(symbol: string): LoadedBars {
  const empty = new Float64Array(0);
  return { symbol, interval: '1m', file: `${symbol}.parquet`, bars: { length: 0, start: empty, open: empty, high: empty, low: empty, close: empty, volume: empty }, rejected: rejectCountsOf([]), rejectedStarts: new Float64Array(0), reordered: 0, outside: 0, rowsRead: 0, rowGroupsRead: 0, rowGroupsTotal: 0 };
}

test('SessionBarsCache: loads each (symbol, session) once and evicts whole days older than the window', async (t) => {
  const cache = new SessionBarsCache();
  let loads = 0;
  const load = (symbol: string) => () => {
    loads++;
    return Promise.resolve(loaded(symbol));
  };
  for (const s of sessions) for (const symbol of ['AAA', 'BBB']) await cache.get(symbol, s, load(symbol));
  t.is(loads, 10);
  t.is(cache.size, 10);
  // A second ask is served from the cache, for the same symbol only.
  t.is((await cache.get('AAA', sessions[2]!, load('AAA'))).symbol, 'AAA');
  t.is(loads, 10);
  t.true(cache.has('BBB', sessions[4]!));
  t.false(cache.has('CCC', sessions[4]!));

  cache.evictBefore(sessions[3]!.date);
  t.is(cache.size, 4, 'the two newest days of two symbols remain');
  t.false(cache.has('AAA', sessions[2]!));
  t.true(cache.has('AAA', sessions[3]!));
  // An evicted session is loaded again if asked for.
  await cache.get('AAA', sessions[0]!, load('AAA'));
  t.is(loads, 11);
  t.is(cache.size, 5);
  cache.clear();
  t.is(cache.size, 0);
});

test('SessionBarsCache: a failed read-ahead is not an unhandled rejection, and fails only when asked for', async (t) => {
  const cache = new SessionBarsCache();
  cache.set('AAA', sessions[1]!, Promise.reject(new Error('damaged file')));
  await new Promise((resolve) => setImmediate(resolve));
  t.true(cache.has('AAA', sessions[1]!));
  await t.throwsAsync(cache.get('AAA', sessions[1]!, () => Promise.resolve(loaded('AAA'))), { message: 'damaged file' });
});

test('readAheadCount: store.readAhead sessions, fewer when the configured symbols would hold more than READ_AHEAD_BYTES, never fewer than one', (t) => {
  const session = { open: 0, close: 390 * 60_000 };
  const plan = (symbols: number, readAhead: number) => ({ config: { symbols: Array.from({ length: symbols }, (_, i) => `S${i}`), store: { readAhead } }, base: { ms: 60_000 } }) as unknown as Parameters<typeof readAheadCount>[0];
  const perSymbolSession = 390 * 6 * 8;
  t.is(readAheadCount(plan(1, 20), session), 20);
  t.is(readAheadCount(plan(200, 20), session), 20, '200 symbols × 20 sessions fit (75 MB)');
  t.is(readAheadCount(plan(500, 20), session), 14, '500 symbols: 14 sessions (131 MB)');
  t.is(readAheadCount(plan(5000, 20), session), Math.floor(READ_AHEAD_BYTES / (5000 * perSymbolSession)));
  t.true(readAheadCount(plan(5000, 20), session) * 5000 * perSymbolSession <= READ_AHEAD_BYTES);
  t.is(readAheadCount(plan(200_000, 20), session), 1);
  t.is(readAheadCount(plan(5000, 0), session), 0, 'readAhead 0 stays off');
});
