import test from 'ava';
import { runCli } from '../helpers/cli.ts';

// Expected dates are NYSE's published 2025 schedule (nyse.com "Holidays & Trading Hours") and
// its closings history for September 2001 (closed 11–14, reopened on the 17th at 09:33 after
// moments of silence), not output of the calendar code.

test('calendar: prints the sessions of a year as a table with early closes and a summary', async (t) => {
  const { code, stdout, stderr } = await runCli(['calendar', 'XNYS', '--from', '2025-01-01', '--to', '2025-12-31']);
  t.is(code, 0, stderr);
  t.regex(stdout, /│ 2025-01-02 │ Thu │ 09:30 +│ 16:00 │ 14:30 +│ 21:00 +│ 390 +│/);
  t.regex(stdout, /│ 2025-07-03 │ Thu │ 09:30 +│ 13:00 │ 13:30 +│ 17:00 +│ 210 +│ Day before Independence Day +│/);
  t.regex(stdout, /│ 2025-11-28 │ Fri │ 09:30 +│ 13:00 │ 14:30 +│ 18:00 +│ 210 +│ Day after Thanksgiving +│/);
  t.false(stdout.includes('2025-01-09'), 'National Day of Mourning for President Carter');
  t.regex(stdout, /^XNYS: 250 sessions from 2025-01-01 to 2025-12-31 \(3 early closes, 0 late opens\)$/m);
});

test('calendar --holidays --json: lists the closed weekdays of 2025 with their reasons', async (t) => {
  const { code, stdout, stderr } = await runCli(['calendar', 'NYSE', '--from', '2025-01-01', '--to', '2025-12-31', '--holidays', '--json']);
  t.is(code, 0, stderr);
  const result = JSON.parse(stdout) as { calendar: string; holidays: Array<{ date: string; weekday: string; reason: string }> };
  t.is(result.calendar, 'XNYS');
  t.deepEqual(
    result.holidays.map((h) => h.date),
    ['2025-01-01', '2025-01-09', '2025-01-20', '2025-02-17', '2025-04-18', '2025-05-26', '2025-06-19', '2025-07-04', '2025-09-01', '2025-11-27', '2025-12-25'],
  );
  t.like(result.holidays[1], { weekday: 'Thu', reason: 'National Day of Mourning for President Jimmy Carter' });
  t.like(result.holidays[9], { weekday: 'Thu', reason: 'Thanksgiving Day' });
});

test('calendar --holidays: prints the closed weekdays as a table', async (t) => {
  const { code, stdout } = await runCli(['calendar', 'XNYS', '--from', '2001-09-01', '--to', '2001-09-30', '--holidays']);
  t.is(code, 0);
  t.regex(stdout, /│ 2001-09-03 │ Mon │ Labor Day +│/);
  t.regex(stdout, /│ 2001-09-14 │ Fri │ September 11 attacks +│/);
  t.regex(stdout, /^XNYS: 5 closed weekdays from 2001-09-01 to 2001-09-30$/m);
});

test('calendar --json --extended: gives instants, local times, extended hours and the reason of a late open', async (t) => {
  const { code, stdout } = await runCli(['calendar', 'nasdaq', '--from', '2001-09-10', '--to', '2001-09-18', '--json', '--extended']);
  t.is(code, 0);
  const result = JSON.parse(stdout) as { timezone: string; sessions: Array<Record<string, unknown>> };
  t.is(result.timezone, 'America/New_York');
  t.deepEqual(
    result.sessions.map((s) => s.date),
    ['2001-09-10', '2001-09-17', '2001-09-18'],
  );
  t.like(result.sessions[1], { openLocal: '09:33', closeLocal: '16:00', openUtc: '2001-09-17T13:33:00.000Z', open: Date.UTC(2001, 8, 17, 13, 33), minutes: 387, earlyClose: false, preOpenLocal: '04:00', postCloseLocal: '20:00' });
  t.regex(String(result.sessions[1]!.reason), /September 11/);
});

test('calendar: rejects an unknown calendar and a malformed date with exit code 1', async (t) => {
  const [unknown, badDate, reversed] = await Promise.all([
    runCli(['calendar', 'XLON', '--from', '2025-01-01']),
    runCli(['calendar', 'XNYS', '--from', '2025-02-30']),
    runCli(['calendar', 'XNYS', '--from', '2025-03-01', '--to', '2025-02-01']),
  ]);
  t.is(unknown.code, 1);
  t.regex(unknown.stderr, /^error: calendar: expected one of "XNYS", "NYSE", .*"24\/7", "24\/5", got "XLON"$/m);
  t.is(badDate.code, 1);
  t.regex(badDate.stderr, /^error: --from: expected a date "YYYY-MM-DD", got "2025-02-30"$/m);
  t.is(reversed.code, 1);
  t.regex(reversed.stderr, /--to: expected a date on or after --from \(2025-03-01\), got "2025-02-01"/);
  t.is(unknown.stdout + badDate.stdout + reversed.stdout, '');
});
