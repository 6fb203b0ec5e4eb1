import test from 'ava';
import { createWeekdaysOpenCalendar } from '../../lib/calendar/weekdays-open.ts';

const weekdays = createWeekdaysOpenCalendar();

test('24/5: is named 24/5 and runs on UTC', (t) => {
  t.is(weekdays.name, '24/5');
  t.is(weekdays.timezone, 'UTC');
});

test('24/5: has one UTC midnight-to-midnight session per Monday–Friday and none at weekends', (t) => {
  // 2024-03-08 is a Friday.
  t.deepEqual(weekdays.sessions('2024-03-08', '2024-03-11'), [
    { date: '2024-03-08', open: Date.UTC(2024, 2, 8), close: Date.UTC(2024, 2, 9), earlyClose: false },
    { date: '2024-03-11', open: Date.UTC(2024, 2, 11), close: Date.UTC(2024, 2, 12), earlyClose: false },
  ]);
  t.is(weekdays.sessions('2024-01-01', '2024-12-31').length, 262); // 2024 has 262 weekdays
  t.false(weekdays.isSession('2024-03-09')); // a Saturday
  t.false(weekdays.isSession('2024-03-10')); // a Sunday
});

test('24/5: trades on holidays and lists none', (t) => {
  t.true(weekdays.isSession('2024-12-24'));
  t.deepEqual(weekdays.holidays('2024-01-01', '2024-12-31'), []);
  t.deepEqual(weekdays.specialDays('2024-01-01', '2024-12-31'), []);
});

test('24/5: sessionAt is undefined over the weekend and nextSession skips it', (t) => {
  t.is(weekdays.sessionAt(Date.UTC(2024, 2, 9, 12)), undefined);
  t.is(weekdays.sessionAt(Date.UTC(2024, 2, 11))?.date, '2024-03-11');
  t.is(weekdays.nextSession('2024-03-08').date, '2024-03-11');
  t.is(weekdays.previousSession('2024-03-11').date, '2024-03-08');
  t.is(weekdays.minutes(weekdays.session('2024-03-11')!), 1440);
});

test('24/5: has no extended hours', (t) => {
  const session = weekdays.session('2024-03-11')!;
  t.deepEqual(weekdays.extendedHours(session), { preOpen: session.open, postClose: session.close });
});
