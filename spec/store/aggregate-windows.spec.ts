import test from 'ava';
import { aggregateSessionWindows } from '../../lib/store/aggregate-windows.ts';
import { dailyBarOf } from '../../lib/store/daily-bar-of.ts';
import { BarSeries } from '../../lib/session/bar-series.ts';

const M = 60_000;
// 2015-12-24, NYSE early close: 09:30-13:00 ET = 14:30Z-18:00Z.
const session = { date: '2015-12-24', open: Date.UTC(2015, 11, 24, 14, 30), close: Date.UTC(2015, 11, 24, 18, 0), earlyClose: true };

function minuteBars(count: number, skip: Set<number> = new Set()) {
  const idx = [...Array(count).keys()].filter((i) => !skip.has(i));
  const f = (v: (i: number) => number) => Float64Array.from(idx, v);
  return { length: idx.length, start: f((i) => session.open + i * M), open: f((i) => 100 + i), high: f((i) => 102 + i), low: f((i) => 99 + i), close: f((i) => 101 + i), volume: f(() => 5) };
}

test('aggregateSessionWindows: anchors windows at the open and cuts the last one at an early close', (t) => {
  const src = minuteBars(210);
  const out = new BarSeries('GOOG', '60m', 60 * M);
  t.is(aggregateSessionWindows(src, 0, src.length, session, 60 * M, out), 4);
  t.deepEqual([...out.start.subarray(0, 4)].map((s) => (s - session.open) / M), [0, 60, 120, 180]);
  t.is(out.end[3], session.close);
  t.deepEqual([...out.partial.subarray(0, 4)], [0, 0, 0, 1]);
  t.is(out.open[0], 100);
  t.is(out.close[0], 101 + 59);
  t.is(out.high[3], 102 + 209);
  t.is(out.volume[3], 30 * 5);
});

test('aggregateSessionWindows: a window without base bars produces nothing', (t) => {
  const src = minuteBars(30, new Set([5, 6, 7, 8, 9]));
  const out = new BarSeries('GOOG', '5m', 5 * M);
  t.is(aggregateSessionWindows(src, 0, src.length, session, 5 * M, out), 5);
  t.deepEqual([...out.start.subarray(0, 5)].map((s) => (s - session.open) / M), [0, 10, 15, 20, 25]);
});

test('aggregateSessionWindows: a 1d window is the whole session', (t) => {
  const src = minuteBars(210);
  const out = new BarSeries('GOOG', '1d', 0);
  aggregateSessionWindows(src, 0, src.length, session, Number.POSITIVE_INFINITY, out);
  t.is(out.length, 1);
  t.deepEqual(out.bar(0), { start: session.open, end: session.close, open: 100, high: 311, low: 99, close: 310, volume: 1050, partial: false });
});

test('dailyBarOf: one window over every bar (open of the first, high and low of all, close of the last, summed volume)', (t) => {
  const start = Float64Array.from([0, 60_000, 120_000]);
  t.deepEqual(dailyBarOf({ length: 3, start, open: Float64Array.of(10, 11, 12), high: Float64Array.of(11, 15, 13), low: Float64Array.of(9, 10, 8), close: Float64Array.of(10.5, 12, 12.5), volume: Float64Array.of(1, 2, 3) }), { open: 10, high: 15, low: 8, close: 12.5, volume: 6 });
  t.is(dailyBarOf({ length: 0, start: new Float64Array(0), open: new Float64Array(0), high: new Float64Array(0), low: new Float64Array(0), close: new Float64Array(0), volume: new Float64Array(0) }), undefined);
});

test('aggregateSessionWindows: a width it cannot step by, or a start that fits no window, throws instead of looping forever', (t) => {
  const bars = { length: 1, start: Float64Array.of(Number.NaN), open: Float64Array.of(1), high: Float64Array.of(1), low: Float64Array.of(1), close: Float64Array.of(1), volume: Float64Array.of(1) };
  const sink = { append: () => undefined };
  t.throws(() => aggregateSessionWindows(bars, 0, 1, { open: 0, close: Number.POSITIVE_INFINITY }, Number.POSITIVE_INFINITY, sink), { instanceOf: RangeError, message: /window width Infinity ms/ });
  t.throws(() => aggregateSessionWindows(bars, 0, 1, { open: 0, close: 3_600_000 }, 300_000, sink), { instanceOf: RangeError, message: /bar 0 has no usable start \(NaN\)/ });
});
