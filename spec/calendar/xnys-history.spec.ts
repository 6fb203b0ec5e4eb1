import test from 'ava';
import { createXnysCalendar } from '../../lib/calendar/xnys.ts';
import { NYSE_CLOSED_WEEKDAYS } from './fixtures/nyse-holidays.ts';
import { NYSE_SHORTENED_SESSIONS } from './fixtures/nyse-shortened-sessions.ts';

// Expected values come from the literal fixtures (sources named there), from published session
// counts, and from the ICU time-zone database through Intl — which the calendar does not use
// (it reads moment-timezone's table) — never from the calendar code itself.

const xnys = createXnysCalendar();
const DAY = 86_400_000;

/** Every Monday–Friday of `year`, enumerated with Date, independently of the calendar's date code. */
function weekdaysOf(year: number): string[] {
  const out: string[] = [];
  for (let t = Date.UTC(year, 0, 1); t < Date.UTC(year + 1, 0, 1); t += DAY) {
    const weekday = new Date(t).getUTCDay();
    if (weekday !== 0 && weekday !== 6) out.push(new Date(t).toISOString().slice(0, 10));
  }
  return out;
}

const newYork = new Intl.DateTimeFormat('en-CA', { timeZone: 'America/New_York', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
/** `'YYYY-MM-DD HH:MM'` of an instant in New York, per ICU. */
function newYorkTime(instant: number): string {
  const parts = Object.fromEntries(newYork.formatToParts(instant).map((p) => [p.type, p.value]));
  return `${parts.year}-${parts.month}-${parts.day} ${parts.hour}:${parts.minute}`;
}

for (const [year, closed] of Object.entries(NYSE_CLOSED_WEEKDAYS)) {
  test(`XNYS history: closes on exactly the NYSE's closed weekdays of ${year}`, (t) => {
    const sessions = new Set(xnys.sessions(`${year}-01-01`, `${year}-12-31`).map((s) => s.date));
    t.deepEqual(
      weekdaysOf(Number(year)).filter((date) => !sessions.has(date)),
      [...closed],
    );
    // holidays() lists the same days, each with a reason.
    const holidays = xnys.holidays(`${year}-01-01`, `${year}-12-31`);
    t.deepEqual(
      holidays.map((h) => h.date),
      [...closed],
    );
    for (const h of holidays) t.regex(h.reason, /\S/, h.date);
  });
}

// Trading days per year as published (e.g. NYSE annual calendars; 2001 lost four days to
// September 11, 2012 two to Hurricane Sandy).
const SESSIONS_PER_YEAR: Record<number, number> = {
  2000: 252, 2001: 248, 2002: 252, 2003: 252, 2004: 252, 2005: 252, 2006: 251, 2007: 251, 2008: 253, 2009: 252,
  2010: 252, 2011: 252, 2012: 250, 2013: 252, 2014: 252, 2015: 252, 2016: 252, 2017: 251, 2018: 251, 2019: 252,
  2020: 253, 2021: 252, 2022: 251, 2023: 250, 2024: 252, 2025: 250,
};

test('XNYS history: has the published number of sessions in every year 2000–2025', (t) => {
  for (const [year, count] of Object.entries(SESSIONS_PER_YEAR)) t.is(xnys.sessions(`${year}-01-01`, `${year}-12-31`).length, count, year);
});

test('XNYS history: shortens exactly the NYSE early-close and late-open days of 1990–2027, to the minute', (t) => {
  const shortened = xnys.specialDays('1990-01-01', '2027-12-31').filter((d) => d.kind === 'shortened');
  t.deepEqual(
    shortened.map((d) => d.date),
    NYSE_SHORTENED_SESSIONS.map((s) => s.date),
  );
  for (const expected of NYSE_SHORTENED_SESSIONS) {
    const session = xnys.session(expected.date)!;
    t.is(newYorkTime(session.open), `${expected.date} ${expected.open}`, expected.date);
    t.is(newYorkTime(session.close), `${expected.date} ${expected.close}`, expected.date);
    t.is(session.earlyClose, expected.close !== '16:00', expected.date);
    const [oh, om] = expected.open.split(':').map(Number);
    const [ch, cm] = expected.close.split(':').map(Number);
    t.is(xnys.minutes(session), ch! * 60 + cm! - (oh! * 60 + om!), expected.date);
  }
  // Every other session of the span is a full 09:30–16:00 day.
  const special = new Set(NYSE_SHORTENED_SESSIONS.map((s) => s.date));
  const irregular = xnys.sessions('1990-01-01', '2027-12-31').filter((s) => !special.has(s.date) && (s.earlyClose || xnys.minutes(s) !== 390));
  t.deepEqual(irregular, []);
});

test('XNYS history: gives a reason for every shortened session', (t) => {
  const reasons = new Map(xnys.specialDays('1990-01-01', '2027-12-31').map((d) => [d.date, d.reason]));
  t.is(reasons.get('1992-11-27'), 'Day after Thanksgiving');
  t.is(reasons.get('1996-07-05'), 'Day after Independence Day');
  t.is(reasons.get('2024-12-24'), 'Christmas Eve');
  t.is(reasons.get('1997-10-27'), 'Circuit breaker triggered by the market drop');
  t.regex(reasons.get('2001-09-17')!, /September 11/);
  t.is(reasons.get('1996-01-08'), 'Snowstorm');
  t.is(reasons.get('2025-01-09'), 'National Day of Mourning for President Jimmy Carter');
  t.is(reasons.get('2022-12-26'), 'Christmas Day (observed)');
  t.is(reasons.get('2027-06-18'), 'Juneteenth National Independence Day (observed)');
});

test('XNYS history: opens 09:30 and closes 16:00 or 13:00 New York time on every session 1990–2099 (ICU time zone data)', (t) => {
  const special = new Map(NYSE_SHORTENED_SESSIONS.map((s) => [s.date, s]));
  const sessions = xnys.sessions('1990-01-01', '2099-12-31');
  const wrong: string[] = [];
  for (const s of sessions) {
    const expected = special.get(s.date);
    const open = expected?.open ?? '09:30';
    const close = expected?.close ?? (s.earlyClose ? '13:00' : '16:00');
    if (newYorkTime(s.open) !== `${s.date} ${open}` || newYorkTime(s.close) !== `${s.date} ${close}`) wrong.push(s.date);
  }
  t.deepEqual(wrong, []);
  t.is(sessions[0]!.date, '1990-01-02');
  t.is(sessions.at(-1)!.date, '2099-12-31');
});

// US daylight saving: 1987–2006 first Sunday of April to last Sunday of October; from 2007 second
// Sunday of March to first Sunday of November (Energy Policy Act of 2005). EST = UTC-5, EDT = UTC-4.
const utc = (y: number, mo: number, d: number, h: number, mi = 0): number => Date.UTC(y, mo - 1, d, h, mi);
const DST_DAYS: Array<[date: string, open: number, close: number, why: string]> = [
  ['1990-03-30', utc(1990, 3, 30, 14, 30), utc(1990, 3, 30, 21), 'Friday before DST starts 1990-04-01'],
  ['1990-04-02', utc(1990, 4, 2, 13, 30), utc(1990, 4, 2, 20), 'Monday after DST starts'],
  ['1990-10-26', utc(1990, 10, 26, 13, 30), utc(1990, 10, 26, 20), 'Friday before DST ends 1990-10-28'],
  ['1990-10-29', utc(1990, 10, 29, 14, 30), utc(1990, 10, 29, 21), 'Monday after DST ends'],
  ['2006-03-13', utc(2006, 3, 13, 14, 30), utc(2006, 3, 13, 21), 'second week of March 2006: still EST under the old rule'],
  ['2006-03-31', utc(2006, 3, 31, 14, 30), utc(2006, 3, 31, 21), 'Friday before DST starts 2006-04-02'],
  ['2006-04-03', utc(2006, 4, 3, 13, 30), utc(2006, 4, 3, 20), 'Monday after DST starts 2006-04-02'],
  ['2006-10-27', utc(2006, 10, 27, 13, 30), utc(2006, 10, 27, 20), 'Friday before DST ends 2006-10-29'],
  ['2006-10-30', utc(2006, 10, 30, 14, 30), utc(2006, 10, 30, 21), 'Monday after DST ends 2006-10-29'],
  ['2006-11-03', utc(2006, 11, 3, 14, 30), utc(2006, 11, 3, 21), 'early November 2006: already EST under the old rule'],
  ['2007-03-09', utc(2007, 3, 9, 14, 30), utc(2007, 3, 9, 21), 'Friday before DST starts 2007-03-11 (new rule)'],
  ['2007-03-12', utc(2007, 3, 12, 13, 30), utc(2007, 3, 12, 20), 'Monday after DST starts 2007-03-11'],
  ['2007-11-02', utc(2007, 11, 2, 13, 30), utc(2007, 11, 2, 20), 'Friday before DST ends 2007-11-04'],
  ['2007-11-05', utc(2007, 11, 5, 14, 30), utc(2007, 11, 5, 21), 'Monday after DST ends 2007-11-04'],
  ['2024-03-08', utc(2024, 3, 8, 14, 30), utc(2024, 3, 8, 21), 'Friday before DST starts 2024-03-10'],
  ['2024-03-11', utc(2024, 3, 11, 13, 30), utc(2024, 3, 11, 20), 'Monday after DST starts 2024-03-10'],
  ['2024-11-01', utc(2024, 11, 1, 13, 30), utc(2024, 11, 1, 20), 'Friday before DST ends 2024-11-03'],
  ['2024-11-04', utc(2024, 11, 4, 14, 30), utc(2024, 11, 4, 21), 'Monday after DST ends 2024-11-03'],
  ['2050-03-11', utc(2050, 3, 11, 14, 30), utc(2050, 3, 11, 21), 'Friday before DST starts 2050-03-13'],
  ['2050-03-14', utc(2050, 3, 14, 13, 30), utc(2050, 3, 14, 20), 'Monday after DST starts 2050-03-13'],
];

for (const [date, open, close, why] of DST_DAYS) {
  test(`XNYS history: opens and closes at the right UTC instants on ${date} (${why})`, (t) => {
    t.deepEqual(xnys.session(date), { date, open, close, earlyClose: false });
  });
}

test('XNYS history: has no session on the DST transition Sundays themselves', (t) => {
  for (const date of ['1990-04-01', '1990-10-28', '2006-04-02', '2006-10-29', '2007-03-11', '2007-11-04', '2024-03-10', '2024-11-03']) {
    t.false(xnys.isSession(date), date);
    const noon = Date.parse(`${date}T16:00:00Z`);
    t.is(xnys.sessionAt(noon), undefined, date);
  }
});

test('XNYS history: sessionAt finds 390 minutes on each full day around the 2006 (old rule) DST changes', (t) => {
  for (const [from, to, days] of [['2006-03-31', '2006-04-04', ['2006-03-31', '2006-04-03']], ['2006-10-27', '2006-10-31', ['2006-10-27', '2006-10-30']]] as const) {
    const counts = new Map<string, number>();
    for (let instant = Date.parse(`${from}T00:00:00Z`); instant < Date.parse(`${to}T00:00:00Z`); instant += 60_000) {
      const session = xnys.sessionAt(instant);
      if (session) counts.set(session.date, (counts.get(session.date) ?? 0) + 1);
    }
    t.deepEqual([...counts], days.map((d) => [d, 390]));
  }
});

test('XNYS history: extended hours run 04:00–09:30 and 16:00–20:00 New York time, to 17:00 after a 13:00 close', (t) => {
  for (const date of ['2006-04-03', '2024-03-08', '2024-03-11', '2024-11-04']) {
    const hours = xnys.extendedHours(xnys.session(date)!);
    t.is(newYorkTime(hours.preOpen), `${date} 04:00`, date);
    t.is(newYorkTime(hours.postClose), `${date} 20:00`, date);
  }
  const halfDay = xnys.extendedHours(xnys.session('2024-11-29')!);
  t.is(newYorkTime(halfDay.postClose), '2024-11-29 17:00');
});
