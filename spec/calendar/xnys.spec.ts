import test from 'ava';
import { ConfigError } from '../../lib/errors.ts';
import { createXnysCalendar } from '../../lib/calendar/xnys.ts';

// Expected values below are typed in from the published NYSE holiday and early-close schedules
// (nyse.com "Holidays & Trading Hours") and clock facts about US Eastern time, never computed
// by the code under test.

const xnys = createXnysCalendar();
const utc = (y: number, mo: number, d: number, h = 0, mi = 0): number => Date.UTC(y, mo - 1, d, h, mi);

/** Every Monday–Friday of `year`, enumerated independently of the calendar's own date code. */
function weekdaysOf(year: number): string[] {
  const out: string[] = [];
  for (let t = Date.UTC(year, 0, 1); t < Date.UTC(year + 1, 0, 1); t += 86_400_000) {
    const weekday = new Date(t).getUTCDay();
    if (weekday !== 0 && weekday !== 6) out.push(new Date(t).toISOString().slice(0, 10));
  }
  return out;
}

const PUBLISHED_HOLIDAYS: Record<number, string[]> = {
  // New Year's Day 2022 fell on a Saturday and was not observed.
  2022: ['2022-01-17', '2022-02-21', '2022-04-15', '2022-05-30', '2022-06-20', '2022-07-04', '2022-09-05', '2022-11-24', '2022-12-26'],
  2023: ['2023-01-02', '2023-01-16', '2023-02-20', '2023-04-07', '2023-05-29', '2023-06-19', '2023-07-04', '2023-09-04', '2023-11-23', '2023-12-25'],
  2024: ['2024-01-01', '2024-01-15', '2024-02-19', '2024-03-29', '2024-05-27', '2024-06-19', '2024-07-04', '2024-09-02', '2024-11-28', '2024-12-25'],
  // 2025-01-09: National Day of Mourning for President Carter.
  2025: ['2025-01-01', '2025-01-09', '2025-01-20', '2025-02-17', '2025-04-18', '2025-05-26', '2025-06-19', '2025-07-04', '2025-09-01', '2025-11-27', '2025-12-25'],
};

for (const [year, holidays] of Object.entries(PUBLISHED_HOLIDAYS)) {
  test(`XNYS: closes on exactly the published ${year} holidays`, (t) => {
    const sessions = new Set(xnys.sessions(`${year}-01-01`, `${year}-12-31`).map((s) => s.date));
    const closedWeekdays = weekdaysOf(Number(year)).filter((date) => !sessions.has(date));
    t.deepEqual(closedWeekdays, holidays);
  });
}

for (const [year, count] of [[2021, 252], [2022, 251], [2023, 250], [2024, 252], [2025, 250]] as const) {
  test(`XNYS: has ${count} sessions in ${year}`, (t) => {
    t.is(xnys.sessions(`${year}-01-01`, `${year}-12-31`).length, count);
  });
}

test('XNYS: has exactly the published early closes in 2022–2025', (t) => {
  const early = xnys.sessions('2022-01-01', '2025-12-31').filter((s) => s.earlyClose).map((s) => s.date);
  t.deepEqual(early, ['2022-11-25', '2023-07-03', '2023-11-24', '2024-07-03', '2024-11-29', '2024-12-24', '2025-07-03', '2025-11-28', '2025-12-24']);
});

// 13:00 Eastern is 17:00Z in daylight time (July) and 18:00Z in standard time (Nov, Dec).
const EARLY_CLOSES: [date: string, open: number, close: number][] = [
  ['2023-07-03', utc(2023, 7, 3, 13, 30), utc(2023, 7, 3, 17)],
  ['2023-11-24', utc(2023, 11, 24, 14, 30), utc(2023, 11, 24, 18)],
  ['2024-07-03', utc(2024, 7, 3, 13, 30), utc(2024, 7, 3, 17)],
  ['2024-11-29', utc(2024, 11, 29, 14, 30), utc(2024, 11, 29, 18)],
  ['2024-12-24', utc(2024, 12, 24, 14, 30), utc(2024, 12, 24, 18)],
  ['2015-12-24', utc(2015, 12, 24, 14, 30), utc(2015, 12, 24, 18)],
  ['2019-07-03', utc(2019, 7, 3, 13, 30), utc(2019, 7, 3, 17)],
];

for (const [date, open, close] of EARLY_CLOSES) {
  test(`XNYS: closes at 13:00 ET on ${date}`, (t) => {
    t.deepEqual(xnys.session(date), { date, open, close, earlyClose: true });
  });
}

test('XNYS: closes at 13:00 on the day after Thanksgiving', (t) => {
  for (const date of ['2019-11-29', '2020-11-27', '2021-11-26', '2022-11-25', '2023-11-24', '2024-11-29', '2025-11-28']) {
    const session = xnys.session(date);
    t.true(session?.earlyClose, date);
    t.is(xnys.minutes(session!), 210, date);
  }
});

test('XNYS: shortens the day before Independence Day only when July 4 falls Tuesday–Friday', (t) => {
  // 2020: July 4 is a Saturday, observed Friday July 3; Thursday July 2 trades full hours.
  t.false(xnys.isSession('2020-07-03'));
  t.false(xnys.session('2020-07-02')!.earlyClose);
  // 2021: July 4 is a Sunday, observed Monday July 5; Friday July 2 trades full hours.
  t.false(xnys.isSession('2021-07-05'));
  t.false(xnys.session('2021-07-02')!.earlyClose);
  // 2022: July 4 is a Monday; Friday July 1 trades full hours.
  t.false(xnys.session('2022-07-01')!.earlyClose);
  // 2025: July 4 is a Friday; Thursday July 3 closes early.
  t.true(xnys.session('2025-07-03')!.earlyClose);
});

test('XNYS: does not shorten a Christmas Eve that falls on a weekend or is the observed holiday', (t) => {
  t.false(xnys.session('2023-12-22')!.earlyClose); // Dec 24, 2023 is a Sunday
  t.false(xnys.isSession('2021-12-24')); // Christmas 2021 is a Saturday, observed Friday
  t.false(xnys.session('2021-12-23')!.earlyClose);
});

test('XNYS: ignores a Saturday New Year’s Day instead of closing the Friday before', (t) => {
  t.deepEqual(xnys.session('2021-12-31'), { date: '2021-12-31', open: utc(2021, 12, 31, 14, 30), close: utc(2021, 12, 31, 21), earlyClose: false });
  t.true(xnys.isSession('2010-12-31'));
  t.false(xnys.isSession('2023-01-02')); // Sunday New Year's Day is observed on Monday
});

test('XNYS: moves Saturday holidays to Friday and Sunday holidays to Monday', (t) => {
  t.false(xnys.isSession('2026-07-03')); // July 4, 2026 is a Saturday
  t.false(xnys.isSession('2027-06-18')); // Juneteenth 2027 is a Saturday
  t.false(xnys.isSession('2022-06-20')); // Juneteenth 2022 is a Sunday
  t.false(xnys.isSession('2022-12-26')); // Christmas 2022 is a Sunday
});

test('XNYS: observes Juneteenth from 2022 and Martin Luther King Jr. Day from 1998', (t) => {
  t.true(xnys.isSession('2021-06-18'));
  t.true(xnys.isSession('1997-01-20'));
  t.false(xnys.isSession('1998-01-19'));
});

test('XNYS: closes on Good Friday', (t) => {
  // Easter Sundays: 1990-04-15, 2000-04-23, 2015-04-05, 2016-03-27, 2019-04-21, 2038-04-25.
  for (const date of ['1990-04-13', '2000-04-21', '2015-04-03', '2016-03-25', '2019-04-19', '2038-04-23']) t.false(xnys.isSession(date), date);
  t.true(xnys.isSession('2015-04-02'));
});

test('XNYS: closes on the one-off closure days', (t) => {
  for (const date of ['1994-04-27', '2001-09-11', '2001-09-12', '2001-09-13', '2001-09-14', '2004-06-11', '2007-01-02', '2012-10-29', '2012-10-30', '2018-12-05', '2025-01-09']) {
    t.false(xnys.isSession(date), date);
  }
  t.true(xnys.isSession('2001-09-17')); // reopened the Monday after 9/11
  t.true(xnys.isSession('2012-10-31'));
});

test('XNYS: opens 14:30Z before and 13:30Z after the March 2024 DST change', (t) => {
  t.deepEqual(xnys.session('2024-03-08'), { date: '2024-03-08', open: utc(2024, 3, 8, 14, 30), close: utc(2024, 3, 8, 21), earlyClose: false });
  t.deepEqual(xnys.session('2024-03-11'), { date: '2024-03-11', open: utc(2024, 3, 11, 13, 30), close: utc(2024, 3, 11, 20), earlyClose: false });
});

test('XNYS: opens 13:30Z before and 14:30Z after the November 2024 DST change', (t) => {
  t.deepEqual(xnys.session('2024-11-01'), { date: '2024-11-01', open: utc(2024, 11, 1, 13, 30), close: utc(2024, 11, 1, 20), earlyClose: false });
  t.deepEqual(xnys.session('2024-11-04'), { date: '2024-11-04', open: utc(2024, 11, 4, 14, 30), close: utc(2024, 11, 4, 21), earlyClose: false });
});

test('XNYS: sessionAt includes the open and excludes the close', (t) => {
  const open = utc(2024, 3, 11, 13, 30);
  const close = utc(2024, 3, 11, 20);
  t.is(xnys.sessionAt(open)?.date, '2024-03-11');
  t.is(xnys.sessionAt(close - 1)?.date, '2024-03-11');
  t.is(xnys.sessionAt(close), undefined);
  t.is(xnys.sessionAt(open - 1), undefined);
});

test('XNYS: sessionAt returns undefined on a weekend, a holiday and outside the calendar range', (t) => {
  t.is(xnys.sessionAt(utc(2024, 3, 9, 15)), undefined); // Saturday
  t.is(xnys.sessionAt(utc(2024, 7, 4, 15)), undefined); // Independence Day
  t.is(xnys.sessionAt(utc(1985, 6, 3, 15)), undefined);
  t.is(xnys.sessionAt(Number.NaN), undefined);
});

test('XNYS: sessionAt finds 390 session minutes on each full day of a minute-by-minute sweep', (t) => {
  // Sweeps Fri 2024-03-08 through Mon 2024-03-11 (DST change in between) one minute at a time.
  const counts = new Map<string, number>();
  for (let instant = utc(2024, 3, 8); instant < utc(2024, 3, 12); instant += 60_000) {
    const session = xnys.sessionAt(instant);
    if (session) counts.set(session.date, (counts.get(session.date) ?? 0) + 1);
  }
  t.deepEqual([...counts], [['2024-03-08', 390], ['2024-03-11', 390]]);
});

test('XNYS: sessionAt finds sessions on both sides of a year boundary', (t) => {
  t.is(xnys.sessionAt(utc(2024, 12, 31, 15))?.date, '2024-12-31');
  t.is(xnys.sessionAt(utc(2025, 1, 2, 15))?.date, '2025-01-02');
  t.is(xnys.sessionAt(utc(2025, 1, 1, 15)), undefined);
});

test('XNYS: nextSession and previousSession skip a holiday weekend', (t) => {
  // Labor Day 2024 is Monday 2024-09-02.
  t.is(xnys.nextSession('2024-08-30').date, '2024-09-03');
  t.is(xnys.nextSession('2024-09-01').date, '2024-09-03');
  t.is(xnys.previousSession('2024-09-03').date, '2024-08-30');
  t.is(xnys.previousSession('2024-09-02').date, '2024-08-30');
  // Good Friday 2024 is 2024-03-29.
  t.is(xnys.nextSession('2024-03-28').date, '2024-04-01');
  t.is(xnys.previousSession('2024-04-01').date, '2024-03-28');
});

test('XNYS: nextSession and previousSession cross a year boundary', (t) => {
  t.is(xnys.nextSession('2024-12-31').date, '2025-01-02');
  t.is(xnys.previousSession('2025-01-02').date, '2024-12-31');
});

test('XNYS: minutes is 390 on a full day and 210 on a 13:00 close', (t) => {
  t.is(xnys.minutes(xnys.session('2024-03-11')!), 390);
  t.is(xnys.minutes(xnys.session('2024-12-24')!), 210);
});

test('XNYS: sessions is inclusive at both ends and empty when from > to', (t) => {
  t.deepEqual(xnys.sessions('2024-12-23', '2024-12-27').map((s) => s.date), ['2024-12-23', '2024-12-24', '2024-12-26', '2024-12-27']);
  t.deepEqual(xnys.sessions('2024-12-28', '2025-01-03').map((s) => s.date), ['2024-12-30', '2024-12-31', '2025-01-02', '2025-01-03']);
  t.deepEqual(xnys.sessions('2024-12-27', '2024-12-23'), []);
});

test('XNYS: returns the same frozen session object on every lookup', (t) => {
  const session = xnys.session('2024-03-11')!;
  t.is(xnys.sessions('2024-03-11', '2024-03-11')[0], session);
  t.is(xnys.sessionAt(session.open), session);
  t.is(xnys.nextSession('2024-03-08'), session);
  t.true(Object.isFrozen(session));
});

test('XNYS: keeps working when its methods are detached from the calendar', (t) => {
  const { isSession, nextSession } = xnys;
  t.true(isSession('2024-03-11'));
  t.is(nextSession('2024-03-08').date, '2024-03-11');
});

test('XNYS: rejects a malformed date with a ConfigError quoting it', (t) => {
  const error = t.throws(() => xnys.isSession('2024-3-1'), { instanceOf: ConfigError });
  t.regex(error!.message, /"2024-3-1"/);
  t.regex(error!.message, /YYYY-MM-DD/);
  t.throws(() => xnys.session('2023-02-29'), { instanceOf: ConfigError, message: /"2023-02-29"/ });
  t.throws(() => xnys.sessions('2024-01-01', 'tomorrow'), { instanceOf: ConfigError, message: /^to: .*"tomorrow"/ });
});

test('XNYS: rejects dates outside 1990–2099 with a ConfigError naming the range', (t) => {
  t.throws(() => xnys.session('1989-12-29'), { instanceOf: ConfigError, message: /1990-01-01 and 2099-12-31/ });
  t.throws(() => xnys.sessions('2024-01-01', '2100-01-04'), { instanceOf: ConfigError, message: /"2100-01-04"/ });
  t.throws(() => xnys.nextSession('2099-12-31'), { instanceOf: ConfigError });
  t.throws(() => xnys.previousSession('1990-01-02'), { instanceOf: ConfigError });
});

test('XNYS: is named XNYS and runs on New York time', (t) => {
  t.is(xnys.name, 'XNYS');
  t.is(xnys.timezone, 'America/New_York');
});
