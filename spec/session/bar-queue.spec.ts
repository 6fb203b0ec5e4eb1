import test from 'ava';
import { BarQueues } from '../../lib/session/bar-queue.ts';
import { BarSeries } from '../../lib/session/bar-series.ts';

const T0 = Date.UTC(2024, 0, 2, 14, 30);
const M = 60_000;

function bars(starts: number[]) {
  const f = (v: (i: number) => number) => Float64Array.from(starts, (_, i) => v(i));
  return { length: starts.length, start: Float64Array.from(starts), open: f((i) => 100 + i), high: f((i) => 101 + i), low: f((i) => 99 + i), close: f((i) => 100.5 + i), volume: f(() => 10) };
}

test('BarQueues: drains only bars whose end is at or before the tick', (t) => {
  const q = new BarQueues(M);
  const spy = new BarSeries('SPY', '1m', M);
  q.add(bars([T0, T0 + M, T0 + 2 * M]), spy);
  t.is(q.drain(T0 + M - 1).count, 0);
  const first = q.drain(T0 + M);
  t.is(first.count, 1);
  t.is(first.row(0), 0);
  t.deepEqual(first.bar(0), { start: T0, end: T0 + M, open: 100, high: 101, low: 99, close: 100.5, volume: 10, partial: false });
  t.is(first.previousEnd(0), Number.NEGATIVE_INFINITY);
  t.is(spy.length, 1);
  t.is(spy.end[0], T0 + M);
  t.is(q.pending(), 2);
});

test('BarQueues: orders a drain by end, then symbol', (t) => {
  const q = new BarQueues(M);
  const b = new BarSeries('B', '1m', M);
  const a = new BarSeries('A', '1m', M);
  q.add(bars([T0, T0 + M]), b);
  q.add(bars([T0 + M]), a);
  // A coarse tick drains two bars of B and one of A at once.
  const out = q.drain(T0 + 2 * M);
  t.deepEqual(Array.from({ length: out.count }, (_, k) => `${out.series(k).end[out.row(k)]! - T0}/${out.symbol(k)}`), [`${M}/B`, `${2 * M}/A`, `${2 * M}/B`]);
  // The view's values agree with the series, and each bar knows its predecessor's end.
  t.deepEqual(Array.from({ length: out.count }, (_, k) => out.end(k) - T0), [M, 2 * M, 2 * M]);
  t.deepEqual(Array.from({ length: out.count }, (_, k) => out.previousEnd(k)), [Number.NEGATIVE_INFINITY, Number.NEGATIVE_INFINITY, T0 + M]);
});

test('BarQueues: exposes bar ends for data-driven ticks and forgets everything on clear', (t) => {
  const q = new BarQueues(M);
  q.add(bars([T0, T0 + 5 * M]), new BarSeries('SPY', '1m', M));
  t.deepEqual([...q.ends()], [T0 + M, T0 + 6 * M]);
  q.clear();
  t.is(q.pending(), 0);
  t.is(q.drain(T0 + 10 * M).count, 0);
});

test('BarQueues: skipUntil passes over bars already replayed for a late symbol', (t) => {
  const q = new BarQueues(M);
  const spy = new BarSeries('SPY', '1m', M);
  q.add(bars([T0, T0 + M, T0 + 2 * M]), spy);
  q.skipUntil('SPY', T0 + 2 * M);
  const out = q.drain(T0 + 3 * M);
  t.is(out.count, 1);
  t.is(spy.start[0], T0 + 2 * M);
});
