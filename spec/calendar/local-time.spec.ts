import test from 'ava';
import { dayNumber } from '../../lib/calendar/civil-date.ts';
import { createLocalTimeConverter } from '../../lib/calendar/local-time.ts';
import { ConfigError } from '../../lib/errors.ts';

// Expected instants are clock facts: US Eastern is UTC-5 (EST) / UTC-4 (EDT), switching at
// 02:00 local on 2024-03-10 and 2024-11-03; London UTC+0 / UTC+1 switching at 01:00 UTC on
// 2024-03-31 and 2024-10-27; India UTC+5:30 all year; Sydney UTC+11 (AEDT) until 2024-04-07 03:00.

const at = (zone: string, y: number, mo: number, d: number, h: number, mi = 0): number => createLocalTimeConverter(zone)(dayNumber(y, mo, d), h * 60 + mi);

test('createLocalTimeConverter: applies standard and daylight offsets', (t) => {
  t.is(at('America/New_York', 2024, 1, 15, 9, 30), Date.UTC(2024, 0, 15, 14, 30));
  t.is(at('America/New_York', 2024, 7, 15, 9, 30), Date.UTC(2024, 6, 15, 13, 30));
  t.is(at('Asia/Kolkata', 2024, 7, 15, 9, 15), Date.UTC(2024, 6, 15, 3, 45));
  t.is(at('Australia/Sydney', 2024, 1, 15, 10), Date.UTC(2024, 0, 14, 23));
  t.is(at('Australia/Sydney', 2024, 7, 15, 10), Date.UTC(2024, 7 - 1, 15, 0));
  t.is(at('UTC', 2024, 7, 15, 9, 30), Date.UTC(2024, 6, 15, 9, 30));
});

test('createLocalTimeConverter: is exact on both sides of a transition within the same day', (t) => {
  // 2024-03-10 New York: 01:59 EST, then 03:00 EDT.
  t.is(at('America/New_York', 2024, 3, 10, 1, 59), Date.UTC(2024, 2, 10, 6, 59));
  t.is(at('America/New_York', 2024, 3, 10, 3, 0), Date.UTC(2024, 2, 10, 7, 0));
  t.is(at('America/New_York', 2024, 3, 10, 9, 30), Date.UTC(2024, 2, 10, 13, 30));
  t.is(at('America/New_York', 2024, 11, 3, 9, 30), Date.UTC(2024, 10, 3, 14, 30));
});

test('createLocalTimeConverter: moves a time in the spring-forward gap forward by the gap', (t) => {
  // 02:30 does not exist in New York on 2024-03-10; it is read as 03:30 EDT.
  t.is(at('America/New_York', 2024, 3, 10, 2, 30), Date.UTC(2024, 2, 10, 7, 30));
  // 01:30 does not exist in London on 2024-03-31; it is read as 02:30 BST.
  t.is(at('Europe/London', 2024, 3, 31, 1, 30), Date.UTC(2024, 2, 31, 1, 30));
});

test('createLocalTimeConverter: reads a repeated autumn time as its first occurrence', (t) => {
  // 01:30 happens twice in New York on 2024-11-03; the first is 01:30 EDT = 05:30Z.
  t.is(at('America/New_York', 2024, 11, 3, 1, 30), Date.UTC(2024, 10, 3, 5, 30));
  // 01:30 happens twice in London on 2024-10-27; the first is 01:30 BST = 00:30Z.
  t.is(at('Europe/London', 2024, 10, 27, 1, 30), Date.UTC(2024, 9, 27, 0, 30));
});

test('createLocalTimeConverter: rolls minutes past 24:00 into the next day', (t) => {
  t.is(at('America/New_York', 2024, 3, 9, 24 + 9, 30), Date.UTC(2024, 2, 10, 13, 30));
});

test('createLocalTimeConverter: gives the same answer for days visited out of order', (t) => {
  const toInstant = createLocalTimeConverter('America/New_York');
  const days = [dayNumber(2024, 7, 1), dayNumber(1995, 1, 3), dayNumber(2090, 12, 1), dayNumber(2024, 7, 1)];
  t.deepEqual(
    days.map((d) => toInstant(d, 570)),
    [Date.UTC(2024, 6, 1, 13, 30), Date.UTC(1995, 0, 3, 14, 30), Date.UTC(2090, 11, 1, 14, 30), Date.UTC(2024, 6, 1, 13, 30)],
  );
});

test('createLocalTimeConverter: rejects an unknown time zone with a ConfigError naming the path', (t) => {
  const error = t.throws(() => createLocalTimeConverter('Mars/Olympus', 'calendar.timezone'), { instanceOf: ConfigError });
  t.regex(error.message, /^calendar\.timezone: .*"Mars\/Olympus"/);
});
