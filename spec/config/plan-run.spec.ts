import test from 'ava';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { parseConfig } from '../../lib/config/parse-config.ts';
import { planRun } from '../../lib/config/plan-run.ts';
import { ConfigError, DataError } from '../../lib/errors.ts';
import { setLogLevel } from '../../lib/log.ts';
import { DEMO_DAILY_LAYOUT } from '../../lib/store/demo-data.ts';
import { runCommand } from '../../pipelines/cli/run-command.ts';
import { demoConfig, demoFile, makeDemoStore, tempDir, writeJson } from '../helpers/cli-fixtures.ts';

// planRun warns about every missing pair; the assertions below read the report instead.
setLogLevel('error');

const config = (root: string, extra: Record<string, unknown> = {}) => parseConfig(demoConfig(root, extra));

test('planRun: takes the smallest stream as base and derives the others, ascending', async (t) => {
  const dir = await tempDir(t);
  const plan = await planRun(config(dir, { streams: ['15m', '1m', '5m'], backtest: { start: '2024-01-02', end: '2024-01-02' } }));
  t.is(plan.base.name, '1m');
  t.deepEqual(
    plan.derived.map((i) => i.name),
    ['5m', '15m'],
  );
  t.deepEqual(
    plan.intervals.map((i) => i.name),
    ['1m', '5m', '15m'],
  );
});

test('planRun: lists the XNYS sessions of the range (January 2024: 21, no New Year, no MLK day)', async (t) => {
  const dir = await tempDir(t);
  const plan = await planRun(config(dir, { symbols: ['SPY'], backtest: { start: '2024-01-01', end: '2024-01-31' } }));
  const dates = plan.sessions.map((s) => s.date);
  t.is(plan.calendar.name, 'XNYS');
  t.is(dates.length, 21);
  t.is(dates[0], '2024-01-02');
  t.is(dates.at(-1), '2024-01-31');
  t.false(dates.includes('2024-01-15'), 'Martin Luther King Jr. Day');
  t.false(dates.includes('2024-01-06'), 'a Saturday');
  // An empty store: every session is reported missing, each with the file looked for.
  t.is(plan.availability.checked, 21);
  t.is(plan.availability.found, 0);
  t.deepEqual(
    plan.availability.missing.map((m) => m.date),
    dates,
  );
  t.is(plan.availability.missing[0]!.file, demoFile(dir, 'SPY', '2024-01-02'));
});

test('planRun: a range without sessions is a ConfigError at backtest', async (t) => {
  const dir = await tempDir(t);
  const error = await t.throwsAsync(planRun(config(dir, { backtest: { start: '2024-01-13', end: '2024-01-15' } })), { instanceOf: ConfigError });
  t.is(error.problems[0]!.path, 'backtest');
  t.regex(error.message, /at least one XNYS session/);
});

test('planRun: reports missing sessions and trailing history with symbol, date, file and kind', async (t) => {
  const dir = await tempDir(t);
  const root = join(dir, 'store');
  // 2024-01-03..05; DEMO02 has no 2024-01-04.
  const store = await makeDemoStore(root, { symbols: 2, start: '2024-01-03', sessions: 3 });
  t.deepEqual(store.missingDay, { symbol: 'DEMO02', date: '2024-01-04' });
  const plan = await planRun(config(root, { backtest: { start: '2024-01-04', end: '2024-01-05' }, history: [{ trailingSessions: 2, intervals: ['1m'] }] }));
  t.deepEqual(
    plan.leadingSessions.map((s) => s.date),
    ['2024-01-02', '2024-01-03'],
  );
  t.deepEqual(
    plan.availability.missing.map((m) => ({ symbol: m.symbol, date: m.date, kind: m.kind, file: m.file })),
    [
      { symbol: 'DEMO01', date: '2024-01-02', kind: 'history', file: demoFile(root, 'DEMO01', '2024-01-02') },
      { symbol: 'DEMO02', date: '2024-01-02', kind: 'history', file: demoFile(root, 'DEMO02', '2024-01-02') },
      { symbol: 'DEMO02', date: '2024-01-04', kind: 'session', file: demoFile(root, 'DEMO02', '2024-01-04') },
    ],
  );
  for (const m of plan.availability.missing) t.true(m.reason.includes(m.file), m.reason);
  t.is(plan.availability.checked, 2 * (2 + 2));
  t.is(plan.availability.found, 5);
  t.is(plan.availability.files.length, 5);
  // Only backtest days become skips; history gaps are a quality matter.
  t.deepEqual([...plan.skips.keys()], ['2024-01-04']);
  t.deepEqual([...plan.skips.get('2024-01-04')!.keys()], ['DEMO02']);
});

test('planRun: strict mode fails with a DataError naming every missing pair', async (t) => {
  const dir = await tempDir(t);
  const root = join(dir, 'store');
  await makeDemoStore(root, { symbols: 2, start: '2024-01-03', sessions: 3 });
  const error = await t.throwsAsync(planRun(config(root, { strict: true, backtest: { start: '2024-01-03', end: '2024-01-05' }, history: [{ trailingSessions: 1, intervals: ['1m'] }] })), { instanceOf: DataError });
  t.regex(error.message, /^strict mode: data missing for 3 \(symbol, session\) pairs:/);
  t.true(error.message.includes(`DEMO02 2024-01-04 (session): no data file for DEMO02 on 2024-01-04: ${demoFile(root, 'DEMO02', '2024-01-04')}`));
  t.true(error.message.includes('DEMO01 2024-01-02 (history)'));
  t.is(error.file, demoFile(root, 'DEMO01', '2024-01-02'));
});

test('runCommand: strict mode with missing data exits 1 before any day runs (no summary written)', async (t) => {
  const dir = await tempDir(t);
  const root = join(dir, 'store');
  await makeDemoStore(root, { symbols: 2, start: '2024-01-03', sessions: 3 });
  const file = await writeJson(join(dir, 'session.json'), demoConfig('store', { backtest: { start: '2024-01-03', end: '2024-01-05' }, store: { root: 'store', layout: DEMO_DAILY_LAYOUT } }));
  const out = join(dir, 'out');
  let stdout = '';
  let stderr = '';
  const io = { stdout: { write: (text: string) => void (stdout += text) }, stderr: { write: (text: string) => void (stderr += text) } };
  t.is(await runCommand(file, { out, strict: true, progress: false }, io), 1);
  t.is(stdout, '');
  t.false(existsSync(join(out, 'summary.json')));
  t.regex(stderr, /strict mode: data missing for 1 \(symbol, session\) pair:\n {2}DEMO02 2024-01-04 \(session\)/);
});

test('planRun: loads the trailing sessions the warm-ups need on the real days, counting an early close as the short day it is', async (t) => {
  const dir = await tempDir(t);
  const ema21on15m = [{ interval: '15m', bars: 21 }];
  const plan = async (start: string, end: string, history = ema21on15m) => (await planRun(config(dir, { symbols: ['SPY'], streams: ['1m', '15m'], backtest: { start, end } }), { history })).historySessions;
  // A full session holds 26 fifteen-minute bars: one is enough on an ordinary day.
  t.is(await plan('2024-12-04', '2024-12-06'), 1);
  // 2024-12-02 follows the 13:00 close of 2024-11-29 (14 bars): it needs the session before too.
  t.is(await plan('2024-12-02', '2024-12-02'), 2);
  t.is(await plan('2024-11-25', '2024-12-06'), 2, 'a run takes the most any of its days needs');
  // 100 five-minute bars: 78 per full day, 42 on the early close.
  t.is(await plan('2024-12-04', '2024-12-04', [{ interval: '5m', bars: 100 }]), 2);
  t.is(await plan('2024-12-03', '2024-12-03', [{ interval: '5m', bars: 100 }]), 2, '42 + 78 bars on Nov 29 and 27');
  t.is(await plan('2024-12-02', '2024-12-02', [{ interval: '5m', bars: 121 }]), 3);
});
