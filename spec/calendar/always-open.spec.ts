import test from 'ava';
import { createAlwaysOpenCalendar } from '../../lib/calendar/always-open.ts';

const always = createAlwaysOpenCalendar();
const DAY = 86_400_000;

test('24/7: is named 24/7 and runs on UTC', (t) => {
  t.is(always.name, '24/7');
  t.is(always.timezone, 'UTC');
});

test('24/7: has one session per UTC day from midnight to midnight, weekends included', (t) => {
  t.deepEqual(always.sessions('2024-03-09', '2024-03-11'), [
    { date: '2024-03-09', open: Date.UTC(2024, 2, 9), close: Date.UTC(2024, 2, 10), earlyClose: false },
    { date: '2024-03-10', open: Date.UTC(2024, 2, 10), close: Date.UTC(2024, 2, 11), earlyClose: false },
    { date: '2024-03-11', open: Date.UTC(2024, 2, 11), close: Date.UTC(2024, 2, 12), earlyClose: false },
  ]);
});

test('24/7: has 366 sessions in a leap year and 365 otherwise', (t) => {
  t.is(always.sessions('2024-01-01', '2024-12-31').length, 366);
  t.is(always.sessions('2023-01-01', '2023-12-31').length, 365);
  t.true(always.isSession('2024-02-29'));
});

test('24/7: assigns midnight to the day it starts', (t) => {
  const midnight = Date.UTC(2024, 2, 10);
  t.is(always.sessionAt(midnight)?.date, '2024-03-10');
  t.is(always.sessionAt(midnight - 1)?.date, '2024-03-09');
  t.is(always.sessionAt(Date.UTC(2025, 0, 1))?.date, '2025-01-01');
  t.is(always.sessionAt(Date.UTC(2024, 11, 31, 23, 59, 59, 999))?.date, '2024-12-31');
});

test('24/7: minutes is 1440 every day', (t) => {
  t.is(always.minutes(always.session('2024-03-10')!), 1440);
  t.is(always.session('2024-03-10')!.close - always.session('2024-03-10')!.open, DAY);
});

test('24/7: nextSession and previousSession are the neighbouring days', (t) => {
  t.is(always.nextSession('2024-12-31').date, '2025-01-01');
  t.is(always.previousSession('2024-03-01').date, '2024-02-29');
});

test('24/7: has no holidays, special days or extended hours', (t) => {
  t.deepEqual(always.holidays('2024-01-01', '2024-12-31'), []);
  t.deepEqual(always.specialDays('2024-01-01', '2024-12-31'), []);
  const session = always.session('2024-12-25')!;
  t.deepEqual(always.extendedHours(session), { preOpen: session.open, postClose: session.close });
});
