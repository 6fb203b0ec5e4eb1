import test from 'ava';
import { parseConfig } from '../../lib/config/parse-config.ts';
import { planRun } from '../../lib/config/plan-run.ts';
import { ConfigError } from '../../lib/errors.ts';
import { setLogLevel } from '../../lib/log.ts';
import { demoConfig, tempDir } from '../helpers/cli-fixtures.ts';

// planRun warns about every missing pair (the stores here are empty); only the plan matters.
setLogLevel('error');

test('planRun: a config calendar that adds a holiday to XNYS skips that day', async (t) => {
  const dir = await tempDir(t);
  // 2024-01-08..12 is a Monday–Friday week with no XNYS holiday.
  const config = parseConfig(demoConfig(dir, { symbols: ['SPY'], calendar: { extends: 'XNYS', holidays: [{ date: '2024-01-10', reason: 'Exchange systems upgrade' }] }, backtest: { start: '2024-01-08', end: '2024-01-12' } }));
  const plan = await planRun(config);
  t.deepEqual(
    plan.sessions.map((s) => s.date),
    ['2024-01-08', '2024-01-09', '2024-01-11', '2024-01-12'],
  );
  t.is(plan.calendar.timezone, 'America/New_York');
  t.deepEqual(plan.calendar.holidays('2024-01-08', '2024-01-12'), [{ date: '2024-01-10', reason: 'Exchange systems upgrade' }]);
  t.is(plan.availability.checked, 4);
});

test('planRun: a config calendar of its own sets the session hours', async (t) => {
  const dir = await tempDir(t);
  const config = parseConfig(demoConfig(dir, { symbols: ['SPY'], calendar: { name: 'LDN', timezone: 'Europe/London', open: '08:00', close: '16:30' }, backtest: { start: '2024-04-01', end: '2024-04-01' } }));
  const plan = await planRun(config);
  t.is(plan.calendar.name, 'LDN');
  t.deepEqual(plan.sessions, [{ date: '2024-04-01', open: Date.UTC(2024, 3, 1, 7), close: Date.UTC(2024, 3, 1, 15, 30), earlyClose: false }]);
});

test('parseConfig: reports calendar definition problems with their JSON paths, alongside the others', (t) => {
  const error = t.throws(() => parseConfig({ ...demoConfig('/tmp/none'), calendar: { timezone: 'Nowhere/City', open: '9:30', clse: '16:00' }, symbols: [] }), { instanceOf: ConfigError });
  const paths = error.problems.map((p) => p.path).sort();
  t.deepEqual(paths, ['calendar.close', 'calendar.clse', 'calendar.open', 'calendar.timezone', 'symbols']);
  t.regex(error.message, /calendar\.clse: unknown key "clse" \(did you mean "close"\?\)/);
  t.regex(error.message, /calendar\.timezone: an IANA time zone such as "America\/New_York"; got "Nowhere\/City"/);
});

test('parseConfig: still accepts a calendar name and defaults to XNYS', (t) => {
  t.is(parseConfig({ ...demoConfig('/tmp/none'), calendar: '24/5' }).calendar, '24/5');
  const { calendar: _omitted, ...withoutCalendar } = demoConfig('/tmp/none');
  t.is(parseConfig(withoutCalendar).calendar, 'XNYS');
});

test('planRun: an unknown base calendar fails with the path calendar.extends', async (t) => {
  const dir = await tempDir(t);
  const config = parseConfig(demoConfig(dir, { calendar: { extends: 'XLON' } }));
  const error = await t.throwsAsync(planRun(config), { instanceOf: ConfigError });
  t.is(error.problems[0]!.path, 'calendar.extends');
});
