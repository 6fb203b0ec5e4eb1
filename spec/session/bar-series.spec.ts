import test from 'ava';
import { BarSeries } from '../../lib/session/bar-series.ts';
import { SessionData } from '../../lib/session/session-data.ts';
import { DataError, LifecycleError } from '../../lib/errors.ts';
import { RunMemory } from '../../lib/session/run-memory.ts';

const T0 = Date.UTC(2024, 0, 2, 14, 30);
const M = 60_000;

test('BarSeries: keeps bars columnar and grows past its initial capacity', (t) => {
  const s = new BarSeries('SPY', '1m', M, 2);
  for (let i = 0; i < 1000; i++) s.append(T0 + i * M, T0 + (i + 1) * M, 100 + i, 101 + i, 99 + i, 100.5 + i, i, false);
  t.is(s.length, 1000);
  t.is(s.start[999], T0 + 999 * M);
  t.is(s.close[500], 600.5);
  t.deepEqual(s.bar(-1), { start: T0 + 999 * M, end: T0 + 1000 * M, open: 1099, high: 1100, low: 1098, close: 1099.5, volume: 999, partial: false });
  t.is(s.bar(1000), undefined);
});

test('BarSeries: aligns indicator columns with the bars, NaN where unset, across growth', (t) => {
  const s = new BarSeries('SPY', '5m', 5 * M, 1);
  s.append(T0, T0 + 5 * M, 1, 1, 1, 1, 1, false);
  s.setValue('ema_9', 0, 1.5);
  for (let i = 1; i < 40; i++) s.append(T0 + i * 5 * M, T0 + (i + 1) * 5 * M, 1, 1, 1, 1, 1, false);
  s.setValue('ema_9', 39, 2.5);
  t.is(s.value('ema_9', 0), 1.5);
  t.true(Number.isNaN(s.value('ema_9', 20)));
  t.is(s.value('ema_9', 39), 2.5);
  t.true(Number.isNaN(s.value('unknown', 0)));
  const cols = s.toColumns();
  t.deepEqual(Object.keys(cols), ['start', 'end', 'open', 'high', 'low', 'close', 'volume', 'partial', 'ema_9']);
  t.is(cols.ema_9!.length, 40);
});

test('BarSeries: refuses a bar that starts before the previous one', (t) => {
  const s = new BarSeries('SPY', '1m', M);
  s.append(T0 + M, T0 + 2 * M, 1, 1, 1, 1, 1, false);
  const error = t.throws(() => s.append(T0, T0 + M, 1, 1, 1, 1, 1, false), { instanceOf: DataError });
  t.regex(error.message, /SPY 1m/);
});

test('BarSeries: records the partial flag of truncated windows', (t) => {
  const s = new BarSeries('SPY', '1h', 60 * M);
  s.append(T0, T0 + 30 * M, 1, 2, 0.5, 1.5, 10, true);
  t.true(s.bar(0)!.partial);
  t.is(s.partial[0], 1);
});

test('SessionData: registers symbols with one series per interval and clears idempotently', (t) => {
  const session = { date: '2024-01-02', open: T0, close: T0 + 390 * M, earlyClose: false };
  const data = new SessionData(session, [{ name: '1m', ms: M }, { name: '5m', ms: 5 * M }]);
  data.register('SPY');
  data.register('AAPL');
  t.deepEqual(data.symbols(), ['SPY', 'AAPL']);
  t.is(data.baseInterval, '1m');
  data.series('SPY', '5m').append(T0, T0 + 5 * M, 1, 2, 0.5, 1.5, 100, false);
  t.is(data.table('SPY', '5m').numRows(), 1);
  t.deepEqual([...data.tables().keys()], ['SPY/1m', 'SPY/5m', 'AAPL/1m', 'AAPL/5m']);
  t.throws(() => data.register('SPY'), { instanceOf: DataError, message: /already registered/ });
  t.throws(() => data.series('MSFT', '1m'), { instanceOf: DataError, message: /unknown symbol "MSFT".*SPY, AAPL/ });
  t.throws(() => data.series('SPY', '15m'), { instanceOf: DataError, message: /no 15m series/ });
  data.clear();
  data.clear();
  t.true(data.isCleared);
  t.deepEqual(data.symbols(), []);
});

test('SessionData: a torn-down day\'s storage serves the next day of the run, zeroed, and never while the day is alive', (t) => {
  const session = { date: '2024-01-02', open: T0, close: T0 + 390 * M, earlyClose: false };
  const intervals = [{ name: '1m', ms: M }, { name: '1h', ms: 60 * M }];
  const memory = new RunMemory();
  const day1 = new SessionData(session, intervals, memory);
  t.is(day1.memory, memory);
  day1.register('SPY');
  const hour = day1.series('SPY', '1h');
  // Fill day 1 with values that must not show through on day 2: a partial bar and an indicator column.
  for (let i = 0; i < 7; i++) hour.append(T0 + i * 60 * M, Math.min(T0 + (i + 1) * 60 * M, session.close), 1, 2, 0.5, 1.5, 10, i === 6);
  hour.setValue('ema_3', 6, 1.25);
  const day1Buffers = new Set([day1.series('SPY', '1m').close.buffer, hour.close.buffer, hour.partial.buffer, hour.column('ema_3').buffer]);
  const day1Close = hour.close;

  // While day 1 is alive, another day gets storage of its own.
  const other = new SessionData(session, intervals, memory);
  other.register('SPY');
  t.false(day1Buffers.has(other.series('SPY', '1h').close.buffer), 'a live day\'s chunk is never handed out');
  t.is(memory.pooledBytes, 0, 'nothing is pooled while both days are alive');
  other.clear();
  const afterOther = memory.pooledBytes;
  t.true(afterOther > 0, 'a torn-down day\'s storage goes back to the run');

  day1.clear();
  t.true(memory.pooledBytes > afterOther);
  // A column array fetched before teardown was detached: it reads nothing, not a later day's values.
  t.is(day1Close.length, 0);
  t.is(day1Close[6], undefined);
  const pooled = memory.pooledBytes;
  const day2 = new SessionData(session, intervals, memory);
  day2.register('SPY');
  t.true(memory.pooledBytes < pooled, 'day 2 takes the torn-down days\' storage');
  const next = day2.series('SPY', '1h');
  for (let i = 0; i < 7; i++) next.append(T0 + i * 60 * M, T0 + (i + 1) * 60 * M, 3, 4, 2, 3.5, 20, false);
  t.deepEqual([...next.partial.subarray(0, 7)], [0, 0, 0, 0, 0, 0, 0], 'no partial flag of day 1 shows through');
  t.deepEqual([...next.column('ema_3').subarray(0, 7)].map(Number.isNaN), [true, true, true, true, true, true, true], 'a new indicator column starts NaN');
  t.is(next.close[6], 3.5);
  day2.clear();
  memory.release();
  t.true(memory.released);
  t.is(memory.pooledBytes, 0);
});

test('BarSeries: every read of a torn-down day\'s series throws a LifecycleError naming symbol, interval and date', (t) => {
  const session = { date: '2024-01-02', open: T0, close: T0 + 390 * M, earlyClose: false };
  const data = new SessionData(session, [{ name: '1m', ms: M }, { name: '5m', ms: 5 * M }]);
  data.register('SPY');
  const s = data.series('SPY', '5m');
  s.append(T0, T0 + 5 * M, 1, 2, 0.5, 1.5, 100, false);
  s.setValue('ema_9', 0, 1.25);
  const column = s.column('ema_9');
  data.clear();
  t.true(s.isTornDown);
  const reads: Array<[string, () => unknown]> = [
    ['close', () => s.close],
    ['start', () => s.start],
    ['partial', () => s.partial],
    ['length', () => s.length],
    ['bar()', () => s.bar(0)],
    ['last()', () => s.last()],
    ['value()', () => s.value('ema_9', 0)],
    ['column()', () => s.column('ema_9')],
    ['toColumns()', () => s.toColumns()],
    ['lastEnd()', () => s.lastEnd()],
    ['append()', () => s.append(T0 + 5 * M, T0 + 10 * M, 1, 1, 1, 1, 1, false)],
  ];
  for (const [what, read] of reads) {
    const error = t.throws(read, { instanceOf: LifecycleError }, what);
    t.is(error?.phase, 'torn-down', what);
    t.is(error?.symbol, 'SPY', what);
    t.is(error?.date, '2024-01-02', what);
    t.regex(error?.message ?? '', /^SPY 5m of 2024-01-02: .* after the day was torn down \(phase torn-down/, what);
  }
  // The indicator column fetched before teardown is detached, not another day's values.
  t.is(column.length, 0);
});

test('RunMemory: a recycled buffer keeps its bytes under a new ArrayBuffer and detaches every old view', (t) => {
  const memory = new RunMemory();
  const buffer = new ArrayBuffer(1024);
  const view = new Float64Array(buffer, 8, 4);
  view[0] = 42;
  memory.recycle([buffer]);
  t.is(buffer.byteLength, 0);
  t.is(view.length, 0);
  t.is(memory.pooledBytes, 1024);
  t.is(memory.takeSpare(2048), undefined, 'only a buffer of the size asked for');
  const spare = memory.takeSpare(512, 1024)!;
  t.is(spare.byteLength, 1024);
  t.is(new Float64Array(spare)[1], 42);
  t.is(memory.pooledBytes, 0);
  memory.release();
  // After the run, buffers given back are still detached, but nothing is kept.
  const late = new ArrayBuffer(64);
  const lateView = new Uint8Array(late);
  memory.recycle([late]);
  t.is(lateView.length, 0);
  t.is(memory.pooledBytes, 0);
});

test('BarSeries.packWindows / appendWindows: a copy of the bars and partial flags that appends after other bars, growing the series, and refuses to go back in time', (t) => {
  const day = new BarSeries('SPY', '5m', 300_000, 4);
  day.append(1_000, 301_000, 1, 2, 0.5, 1.5, 10, false);
  day.append(301_000, 500_000, 1.5, 3, 1, 2.5, 20, true);
  const packed = day.packWindows();
  t.is(packed.length, 2);
  t.deepEqual(Array.from(packed.partial), [0, 1]);
  const history = new BarSeries('SPY', '5m', 300_000, 1);
  history.append(-300_000, 0, 9, 9, 9, 9, 9, false);
  history.appendWindows(packed);
  t.is(history.length, 3);
  t.deepEqual(history.bar(1), day.bar(0));
  t.deepEqual(history.bar(2), day.bar(1));
  t.is(history.partial[2], 1);
  t.is(history.lastEnd(), 500_000);
  const later = new BarSeries('SPY', '5m', 300_000, 4);
  later.append(900_000, 1_200_000, 1, 1, 1, 1, 1, false);
  t.throws(() => later.appendWindows(packed), { instanceOf: DataError, message: 'SPY 5m: bar starting 1970-01-01T00:00:01.000Z arrives after 1970-01-01T00:15:00.000Z' });
});
