import test from 'ava';
import { getCalendar } from '../../lib/calendar/get-calendar.ts';
import { sessionCoverage } from '../../lib/store/check/session-coverage.ts';

const MIN = 60_000;
const xnys = getCalendar('XNYS');
// 2024-01-02 is a full XNYS day (09:30-16:00 EST = 14:30-21:00 UTC); local midnight is 05:00 UTC.
const day = xnys.session('2024-01-02')!;
const dayStart = Date.UTC(2024, 0, 2, 5);
const dayEnd = Date.UTC(2024, 0, 3, 5);

/** Rows as [start, open, high, low, close, volume], in file order. */
function rows(list: ReadonlyArray<readonly [number, number, number, number, number, number]>, shift = 0) {
  const col = (k: number) => Float64Array.from(list, (r) => r[k]!);
  return { ts: col(0), open: col(1), high: col(2), low: col(3), close: col(4), volume: col(5), shift, spans: [[0, list.length]] as const, dayStart, dayEnd };
}
const bar = (minute: number, o = 10, h = 11, l = 9, c = 10.5, v = 100) => [day.open + minute * MIN, o, h, l, c, v] as const;

test('sessionCoverage: a day without rows misses every expected bar (390 on a full day, 210 on a 13:00 close)', (t) => {
  const full = sessionCoverage(day, MIN);
  t.like(full, { expected: 390, present: 0, missing: 390, score: 0 });
  t.deepEqual(full.missingRanges, [{ start: day.open, end: day.close, bars: 390 }]);
  // 2015-12-24 closed at 13:00 (NYSE early close), so 09:30-13:00 = 210 minutes.
  t.like(sessionCoverage(xnys.session('2015-12-24')!, MIN), { expected: 210 });
  // 5m windows anchored at the open: 78 on a full day.
  t.like(sessionCoverage(day, 5 * MIN), { expected: 78 });
});

test('sessionCoverage: counts present bars and renders gaps as ranges', (t) => {
  const minutes = Array.from({ length: 390 }, (_, i) => i).filter((m) => m !== 1 && m !== 2 && m !== 389);
  const c = sessionCoverage(day, MIN, rows(minutes.map((m) => bar(m))));
  t.like(c, { expected: 390, present: 387, missing: 3, duplicates: 0, reordered: 0, invalidOhlc: 0 });
  t.is(c.score, (100 * 387) / 390);
  t.deepEqual(c.missingRanges, [
    { start: day.open + MIN, end: day.open + 3 * MIN, bars: 2 },
    { start: day.close - MIN, end: day.close, bars: 1 },
  ]);
});

test('sessionCoverage: flags duplicates, out-of-order, misaligned, invalid and extended-hours rows the way the loop would treat them', (t) => {
  const c = sessionCoverage(day, MIN, rows([
    [day.open - 30 * MIN, 10, 11, 9, 10, 5], // pre-market: outside the session
    bar(0),
    bar(0), // duplicate of the previous row
    bar(2),
    bar(1), // earlier than 09:32: out of order (sorted and kept by the loop)
    [day.open + 3 * MIN + 30_000, 10, 11, 9, 10, 5], // 09:33:30: misaligned
    bar(4, 10, 9, 11, 10), // high < low
    bar(5, 12, 11, 9, 10), // open above high
    bar(6, 10, 11, 9, Number.NaN), // null close
    bar(7, 10, 11, 9, 10, -1), // negative volume
    bar(8, 10, Number.POSITIVE_INFINITY, 9, 10), // infinite high (1e400 in a CSV)
    [day.close, 10, 11, 9, 10, 5], // 16:00 post-market: outside
    [dayEnd + MIN, 10, 11, 9, 10, 5], // the next local day: not this session's row at all
  ]));
  t.like(c, { present: 3, duplicates: 1, reordered: 1, misaligned: 1, outsideSession: 2, invalidOhlc: 5 });
  t.deepEqual(c.rejected, { null_or_nan: 1, non_finite: 1, high_below_low: 1, open_close_outside_range: 1, negative_volume: 1, misaligned_timestamp: 1, duplicate_timestamp: 1 });
  // 3 bars present of 390 expected, 7 rows rejected: the score counts both.
  t.is(c.score, (100 * 3) / 390);
});

test('sessionCoverage: a day whose rows were rejected never scores 100, even with every window present', (t) => {
  const full = Array.from({ length: 390 }, (_, m) => bar(m));
  t.is(sessionCoverage(day, MIN, rows(full)).score, 100);
  const c = sessionCoverage(day, MIN, rows([...full, bar(17)]));
  t.like(c, { present: 390, duplicates: 1 });
  t.true(c.score < 100);
  t.is(c.score, (100 * 390) / 391);
});

test('sessionCoverage: 1m bars stamped hh:mm:30 are misaligned, and the day scores 0, not 100', (t) => {
  const half = Array.from({ length: 390 }, (_, m) => [day.open + m * MIN + 30_000, 10, 11, 9, 10, 5] as const);
  const c = sessionCoverage(day, MIN, rows(half));
  // 15:59:30 starts after the last bar may start (15:59): outside the session, the rest misaligned.
  t.like(c, { present: 0, misaligned: 389, outsideSession: 1, score: 0 });
});

test('sessionCoverage: subtracts the shift of end-labelled stores before judging rows', (t) => {
  const ends = Array.from({ length: 390 }, (_, m) => bar(m + 1));
  t.like(sessionCoverage(day, MIN, rows(ends, MIN)), { present: 390, score: 100, outsideSession: 0 });
  t.like(sessionCoverage(day, MIN, rows(ends, 0)), { present: 389, outsideSession: 1 });
});
