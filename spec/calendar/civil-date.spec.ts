import test from 'ava';
import fc from 'fast-check';
import { ConfigError } from '../../lib/errors.ts';
import { civilDate, dayNumber, easterSunday, formatDay, lastWeekdayOfMonth, MONDAY, nthWeekdayOfMonth, parseDay, THURSDAY, weekdayOf } from '../../lib/calendar/civil-date.ts';

test('civil-date: agrees with Date.UTC on day numbers, weekdays and formatting', (t) => {
  fc.assert(
    fc.property(fc.integer({ min: -200_000, max: 200_000 }), (day) => {
      const date = new Date(day * 86_400_000);
      const [y, m, d] = civilDate(day);
      return (
        y === date.getUTCFullYear() &&
        m === date.getUTCMonth() + 1 &&
        d === date.getUTCDate() &&
        dayNumber(y, m, d) === day &&
        weekdayOf(day) === date.getUTCDay() &&
        (y < 1000 || y > 9999 || formatDay(day) === date.toISOString().slice(0, 10))
      );
    }),
  );
  t.pass();
});

test('civil-date: computes published Easter Sundays', (t) => {
  // Western Easter dates from published tables (e.g. the US Naval Observatory / Wikipedia list).
  const easters = ['1818-03-22', '1990-04-15', '1991-03-31', '2000-04-23', '2008-03-23', '2011-04-24', '2019-04-21', '2024-03-31', '2025-04-20', '2038-04-25'];
  for (const date of easters) t.is(formatDay(easterSunday(Number(date.slice(0, 4)))), date);
});

test('civil-date: finds nth and last weekdays of a month', (t) => {
  t.is(formatDay(nthWeekdayOfMonth(2024, 11, THURSDAY, 4)), '2024-11-28');
  t.is(formatDay(nthWeekdayOfMonth(2024, 9, MONDAY, 1)), '2024-09-02');
  t.is(formatDay(lastWeekdayOfMonth(2024, 5, MONDAY)), '2024-05-27');
  t.is(formatDay(lastWeekdayOfMonth(2021, 5, MONDAY)), '2021-05-31');
});

test('civil-date: parseDay rejects malformed and impossible dates', (t) => {
  t.is(parseDay('2024-02-29'), dayNumber(2024, 2, 29));
  for (const bad of ['2023-02-29', '2024-13-01', '2024-00-10', '2024-1-1', '20240101', ' 2024-01-01', '']) {
    t.throws(() => parseDay(bad, 'backtest.start'), { instanceOf: ConfigError, message: /^backtest\.start: expected a date "YYYY-MM-DD"/ }, bad);
  }
  t.throws(() => parseDay(undefined as unknown as string), { instanceOf: ConfigError });
});
