import test from 'ava';
import { createCustomCalendar } from '../../lib/calendar/custom-calendar.ts';
import { getCalendar } from '../../lib/calendar/get-calendar.ts';
import { ConfigError } from '../../lib/errors.ts';

// Clock facts used below: New York is UTC-5 in winter and UTC-4 in summer; London is UTC+0
// until 2024-03-31 01:00 UTC and UTC+1 after; Riyadh is UTC+3 all year. Weekdays: 2024-03-08 is
// a Friday, 2024-03-11 a Monday; XNYS closes on Good Friday 2024-03-29 and 2024-12-25.

const utc = (y: number, mo: number, d: number, h = 0, mi = 0): number => Date.UTC(y, mo - 1, d, h, mi);

test('createCustomCalendar: extends XNYS with an extra holiday and keeps its own', (t) => {
  const office = createCustomCalendar({ extends: 'XNYS', holidays: [{ date: '2024-03-11', reason: 'Office move' }, '2024-03-12'] });
  t.is(office.timezone, 'America/New_York');
  t.false(office.isSession('2024-03-11'));
  t.false(office.isSession('2024-03-12'));
  t.false(office.isSession('2024-03-29'));
  t.deepEqual(office.holidays('2024-03-01', '2024-03-31'), [
    { date: '2024-03-11', reason: 'Office move' },
    { date: '2024-03-12', reason: 'Holiday' },
    { date: '2024-03-29', reason: 'Good Friday' },
  ]);
  t.is(office.nextSession('2024-03-08').date, '2024-03-13');
  // The base's hours and DST handling are kept.
  t.deepEqual(office.session('2024-03-13'), { date: '2024-03-13', open: utc(2024, 3, 13, 13, 30), close: utc(2024, 3, 13, 20), earlyClose: false });
  t.is(office.sessions('2024-01-01', '2024-12-31').length, 250); // XNYS 2024 has 252
});

test('createCustomCalendar: applies an extra early close to an XNYS session', (t) => {
  const cal = createCustomCalendar({ name: 'XNYS-EARLY', extends: 'XNYS', earlyCloses: [{ date: '2024-03-13', close: '12:00', reason: 'Fire drill' }] });
  t.is(cal.name, 'XNYS-EARLY');
  t.deepEqual(cal.session('2024-03-13'), { date: '2024-03-13', open: utc(2024, 3, 13, 13, 30), close: utc(2024, 3, 13, 16), earlyClose: true });
  t.is(cal.minutes(cal.session('2024-03-13')!), 150);
  t.deepEqual(
    cal.specialDays('2024-03-13', '2024-03-13').map((d) => [d.date, d.kind, d.reason]),
    [['2024-03-13', 'shortened', 'Fire drill']],
  );
});

test('createCustomCalendar: builds a calendar of its own with its time zone, hours and holidays', (t) => {
  const london = createCustomCalendar({ name: 'LONDON', timezone: 'Europe/London', open: '08:00', close: '16:30', holidays: [{ date: '2024-03-29', reason: 'Good Friday' }], earlyCloses: [{ date: '2024-12-24', close: '12:30' }] });
  t.is(london.name, 'LONDON');
  t.deepEqual(london.session('2024-03-28'), { date: '2024-03-28', open: utc(2024, 3, 28, 8), close: utc(2024, 3, 28, 16, 30), earlyClose: false });
  t.false(london.isSession('2024-03-29'));
  t.deepEqual(london.session('2024-04-01'), { date: '2024-04-01', open: utc(2024, 4, 1, 7), close: utc(2024, 4, 1, 15, 30), earlyClose: false });
  t.deepEqual(london.session('2024-12-24'), { date: '2024-12-24', open: utc(2024, 12, 24, 8), close: utc(2024, 12, 24, 12, 30), earlyClose: true });
  t.true(london.isSession('2024-12-25')); // not listed, so it trades
  t.false(london.isSession('2024-03-09')); // Saturday: Monday–Friday by default
  t.deepEqual(london.holidays('2024-01-01', '2024-12-31'), [{ date: '2024-03-29', reason: 'Good Friday' }]);
});

test('createCustomCalendar: honours a Sunday–Thursday week given by name or number', (t) => {
  for (const weekdays of [['Sun', 'Mon', 'Tue', 'Wed', 'Thu'], [0, 1, 2, 3, 4]]) {
    const riyadh = createCustomCalendar({ timezone: 'Asia/Riyadh', open: '10:00', close: '15:00', weekdays });
    t.false(riyadh.isSession('2024-03-08'), 'Friday');
    t.false(riyadh.isSession('2024-03-09'), 'Saturday');
    t.deepEqual(riyadh.session('2024-03-10'), { date: '2024-03-10', open: utc(2024, 3, 10, 7), close: utc(2024, 3, 10, 12), earlyClose: false });
  }
});

test('createCustomCalendar: runs a session to midnight with close "24:00" and has extended hours when asked', (t) => {
  const allDay = createCustomCalendar({ timezone: 'UTC', open: '06:00', close: '24:00' });
  t.is(allDay.session('2024-03-11')!.close, utc(2024, 3, 12));
  t.is(allDay.minutes(allDay.session('2024-03-11')!), 1080);
  const cal = createCustomCalendar({ timezone: 'UTC', open: '06:00', close: '22:00', preMarket: '05:00', postMarket: '24:00' });
  const session = cal.session('2024-03-11')!;
  t.deepEqual(cal.extendedHours(session), { preOpen: utc(2024, 3, 11, 5), postClose: utc(2024, 3, 12) });
  t.deepEqual(allDay.extendedHours(allDay.session('2024-03-11')!), { preOpen: utc(2024, 3, 11, 6), postClose: utc(2024, 3, 12) });
  const evening = createCustomCalendar({ extends: 'XNYS', postMarket: '18:00' });
  t.is(evening.extendedHours(evening.session('2024-03-11')!).postClose, utc(2024, 3, 11, 22));
  t.is(evening.extendedHours(evening.session('2024-11-29')!).postClose, utc(2024, 11, 29, 20)); // 13:00 close + 2 h
});

test('createCustomCalendar: reports every field problem with its path', (t) => {
  const error = t.throws(() => createCustomCalendar({ timezone: 'Mars/Olympus', open: '9:30', holidays: ['2024-02-30'], weekdays: ['Mon', 'Mon'], bogus: true }), { instanceOf: ConfigError });
  t.deepEqual(error.problems.map((p) => p.path).sort(), ['calendar.bogus', 'calendar.close', 'calendar.holidays[0]', 'calendar.open', 'calendar.timezone', 'calendar.weekdays']);
  t.regex(error.message, /calendar\.timezone: an IANA time zone .*"Mars\/Olympus"/);
  t.regex(error.message, /calendar\.close: missing required key "close"/);
});

test('createCustomCalendar: refuses hours and time zone together with extends', (t) => {
  const error = t.throws(() => createCustomCalendar({ extends: 'XNYS', timezone: 'UTC', open: '08:00' }, { path: 'sessions[0].calendar' }), { instanceOf: ConfigError });
  t.deepEqual(error.problems.map((p) => p.path).sort(), ['sessions[0].calendar.open', 'sessions[0].calendar.timezone']);
  t.regex(error.message, /not given together with "extends"/);
});

test('createCustomCalendar: suggests the closest calendar for a misspelt extends', (t) => {
  const error = t.throws(() => createCustomCalendar({ extends: 'NYES' }), { instanceOf: ConfigError });
  t.is(error.problems[0]!.path, 'calendar.extends');
  t.regex(error.problems[0]!.message, /^unknown calendar "NYES"; known: "XNYS", .*; got "NYES"; did you mean "NYSE"\?$/);
  t.notRegex(t.throws(() => createCustomCalendar({ extends: 'XLON' }), { instanceOf: ConfigError }).message, /did you mean/);
});

test('createCustomCalendar: reports rule problems: unknown base, close before open, days off the week, early closes outside the session', (t) => {
  const unknown = t.throws(() => createCustomCalendar({ extends: 'XLON' }), { instanceOf: ConfigError });
  t.is(unknown.problems[0]!.path, 'calendar.extends');
  t.regex(unknown.message, /unknown calendar "XLON"; known: "XNYS", "NYSE"/);

  const standalone = t.throws(() => createCustomCalendar({ timezone: 'UTC', open: '10:00', close: '09:00', holidays: ['2024-03-09'], earlyCloses: [{ date: '2024-03-11', close: '11:00' }] }), { instanceOf: ConfigError });
  t.deepEqual(standalone.problems.map((p) => p.path), ['calendar.close', 'calendar.holidays[0]', 'calendar.earlyCloses[0].close']);
  t.regex(standalone.message, /2024-03-09 is a Sat, not a trading weekday/);

  const extending = t.throws(() => createCustomCalendar({ extends: 'XNYS', earlyCloses: [{ date: '2024-12-25', close: '13:00' }, { date: '2024-03-11', close: '17:00' }, { date: '2024-03-12', close: '12:00' }], holidays: ['2024-03-12', '2150-01-05'] }), { instanceOf: ConfigError });
  t.deepEqual(extending.problems.map((p) => p.path), ['calendar.earlyCloses[2].date', 'calendar.holidays[1]', 'calendar.earlyCloses[0].date', 'calendar.earlyCloses[1].close']);
  t.regex(extending.message, /2024-12-25 is not a XNYS session/);
  t.regex(extending.message, /17:00 is not inside the XNYS session of 2024-03-11/);
});

test('getCalendar: builds a definition object once and returns the same calendar for the same definition', (t) => {
  const a = getCalendar({ extends: 'XNYS', holidays: ['2024-03-11'] });
  t.is(getCalendar({ extends: 'XNYS', holidays: ['2024-03-11'] }), a);
  t.false(a.isSession('2024-03-11'));
  t.not(getCalendar({ extends: 'XNYS', holidays: ['2024-03-12'] }), a);
});
