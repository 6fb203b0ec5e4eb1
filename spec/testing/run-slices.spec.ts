import test from 'ava';
import { concatMap, delay, of, pipe, tap } from 'rxjs';
import { LifecycleError } from '../../lib/errors.ts';
import type { TimeSlice } from '../../lib/session/time-slice.ts';
import { deriveBars } from '../../operators/bars/derive-bars.ts';
import { ema } from '../../operators/indicators/ema.ts';
import { runSlices, runSlicesAsync } from '../../pipelines/testing/index.ts';
import { MIN, flatBar, sessionOf } from '../helpers/bars.ts';

const session = sessionOf('2024-03-15', '13:30', '13:40');
const minutes = (from: number, prices: readonly number[]) => prices.map((p, i) => flatBar(session.open + (from + i) * MIN, p, 10 + i));

test('runSlices: drives a stage through the engine: a warm-up slice with every symbol first, then a tick per instant whose views the drain built', (t) => {
  const seen: TimeSlice[] = [];
  const run = runSlices(tap<TimeSlice>((s) => seen.push(s)), { session, intervals: ['1m', '5m'], bars: { BBB: minutes(0, [1, 2, 3]), AAA: minutes(1, [5, 6]) } });
  t.true(run.completed);
  t.is(run.error, undefined);
  t.deepEqual(seen, [...run.slices]);
  t.deepEqual(run.slices.map((s) => s.kind), ['warmup', 'tick', 'tick', 'tick', 'tick', 'tick']);
  t.deepEqual(run.slices[0]!.added, ['BBB', 'AAA']);
  // Data-driven ticks: the bar ends, the 5m window end and the close.
  t.deepEqual(run.ticks.map((s) => (s.time - session.open) / MIN), [1, 2, 3, 5, 10]);
  t.deepEqual(run.ticks.map((s) => s.index), [0, 1, 2, 3, 4]);
  t.true(run.ticks.at(-1)!.isClose);
  const at2 = run.ticks[1]!.closed.get('1m')!;
  // (end, symbol) order, fields from the view's values and the series alike.
  t.deepEqual(Array.from({ length: at2.count }, (_, k) => `${at2.symbol(k)}@${(at2.end(k) - session.open) / MIN}:${at2.close(k)}`), ['AAA@2:5', 'BBB@2:2']);
  for (let k = 0; k < at2.count; k++) t.is(at2.series(k).close[at2.row(k)], at2.close(k));
  t.is(at2.previousEnd(1), session.open + MIN, 'BBB\'s previous bar ended at 13:31');
  t.is(at2.previousEnd(0), Number.NEGATIVE_INFINITY, 'AAA\'s first bar of the day');
  t.deepEqual(run.closed('1m').map((b) => `${b.symbol}@${(b.at - session.open) / MIN}`), ['BBB@1', 'AAA@2', 'BBB@2', 'AAA@3', 'BBB@3']);
  t.deepEqual(run.rows('AAA', '1m').map((b) => b.close), [5, 6]);
  run.dispose();
});

test('runSlices: a disposed day\'s views, series and column arrays refuse to be read', (t) => {
  const run = runSlices(deriveBars(['5m']), { session, intervals: ['1m', '5m'], bars: { X: minutes(0, [1, 2, 3, 4, 5, 6]) } });
  const view = run.ticks.find((s) => s.closed.has('5m'))!.closed.get('5m')!;
  t.is(view.close(0), 5);
  const column = view.series(0).close;
  run.dispose();
  const error = t.throws(() => view.close(0), { instanceOf: LifecycleError });
  t.is(error?.phase, 'torn-down');
  t.is(error?.date, session.date);
  t.regex(error?.message ?? '', /^X 5m of 2024-03-15: /);
  t.throws(() => view.series(0).close, { instanceOf: LifecycleError });
  t.throws(() => run.rows('X', '5m'), { instanceOf: LifecycleError });
  t.is(column.length, 0);
  t.throws(() => view.close(1), { instanceOf: RangeError }, 'out of range is not a lifecycle error');
});

test('runSlices: history warms indicators on the warm-up slice; `pre` adds the pre-session slice', (t) => {
  const yesterday = Date.parse('2024-03-14T13:30:00Z');
  const history = [10, 11, 12].map((p, i) => flatBar(yesterday + i * MIN, p));
  const values: number[] = [];
  const run = runSlices(
    pipe(
      ema(3, { interval: '1m' }),
      tap<TimeSlice>((s) => s.kind !== 'tick' && values.push(s.data.get('X')!.latest('1m', 'ema_3'))),
    ),
    { session, intervals: ['1m'], bars: { X: minutes(0, [13]) }, history: { X: { '1m': history } }, pre: true },
  );
  t.deepEqual(run.slices.slice(0, 2).map((s) => s.kind), ['warmup', 'pre']);
  t.deepEqual(values, [11, 11], 'EMA(3) seeded on yesterday\'s closes before the open');
  t.is(run.data.series('X', '1m').value('ema_3', 0), 12);
});

test('runSlicesAsync: waits for a stage that returns async work; runSlices refuses one', async (t) => {
  const slow = concatMap((s: TimeSlice) => of(s).pipe(delay(1)));
  const options = { session, intervals: ['1m'], bars: { X: minutes(0, [1, 2]) } };
  t.throws(() => runSlices(slow, options), { message: /use runSlicesAsync/ });
  const run = await runSlicesAsync(slow, options);
  t.true(run.completed);
  t.deepEqual(run.ticks.map((s) => (s.time - session.open) / MIN), [1, 2, 10]);
});
