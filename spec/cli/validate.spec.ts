import test from 'ava';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { demoConfig, demoFile, makeDemoStore, writeJson } from '../helpers/cli-fixtures.ts';
import { runCli } from '../helpers/cli.ts';

// One store for the file: 2 symbols × 2024-01-02..04, DEMO02 has no 2024-01-03.
let dir = '';
test.before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sessionflow-validate-'));
  await makeDemoStore(join(dir, 'store'), { symbols: 2, start: '2024-01-02', sessions: 3 });
  await writeJson(join(dir, 'good.json'), demoConfig('store', { streams: ['5m', '1m', '15m'], indicators: [{ name: 'ema', period: 9, interval: '5m' }] }));
  await writeJson(join(dir, 'bad.json'), {
    backtest: { start: '2024-02-30', end: '2024-01-04', speed: -2 },
    store: { root: 'store', layout: '{interval}/{symbol}/{date}.parquet' },
    symbol: ['DEMO01'],
    streams: ['1m', '7x'],
    indicators: [{ name: 'ema', period: 9, interval: '15m' }],
  });
});
test.after.always(() => rm(dir, { recursive: true, force: true }));

test('validate: prints the resolved plan (intervals, sessions, symbols, data files, missing data) and exits 0', async (t) => {
  // A config path relative to the working directory (main runs in this process, so that is
  // the test's own); store.root is relative to the config's folder, not to the working directory.
  const { code, stdout } = await runCli(['validate', relative(process.cwd(), join(dir, 'good.json'))]);
  t.is(code, 0);
  t.regex(stdout, /^config spec: valid$/m);
  t.regex(stdout, /^calendar +XNYS \(America\/New_York\)$/m);
  t.regex(stdout, /^sessions +3 from 2024-01-02 to 2024-01-04$/m);
  t.regex(stdout, /^base interval +1m$/m);
  t.regex(stdout, /^derived +5m, 15m$/m);
  t.regex(stdout, /^symbols +2: DEMO01, DEMO02$/m);
  t.regex(stdout, /^indicators +ema\(9\) on 5m$/m);
  // EMA(9) on 5m needs one trailing session to be ready at the open; the store starts on the
  // first backtest day, so that warm-up session (2023-12-29) is missing for both symbols.
  t.regex(stdout, /^history +1 trailing session at 5m$/m);
  t.regex(stdout, /^data files +5 found; 5 of 8 \(symbol, session\) pairs available$/m);
  t.true(stdout.includes(`DEMO02 2024-01-03 session: no data file for DEMO02 on 2024-01-03: ${demoFile(join(dir, 'store'), 'DEMO02', '2024-01-03')}`));
  t.regex(stdout, /DEMO01 2023-12-29 history: no data file for DEMO01 on 2023-12-29/);
  t.notRegex(stdout, /indicators are configured but no history/);
});

test('validate --json: prints the plan as one JSON document', async (t) => {
  const { code, stdout } = await runCli(['validate', '--json', join(dir, 'good.json')]);
  t.is(code, 0);
  const plan = JSON.parse(stdout) as Record<string, unknown>;
  t.like(plan, { valid: true, name: 'spec', calendar: 'XNYS', baseInterval: '1m', derivedIntervals: ['5m', '15m'], sessions: ['2024-01-02', '2024-01-03', '2024-01-04'], symbols: ['DEMO01', 'DEMO02'], historySessions: 1, dataFiles: 5 });
  t.deepEqual((plan.missing as Array<{ kind: string }>).filter((m) => m.kind === 'session'), [{ symbol: 'DEMO02', date: '2024-01-03', file: demoFile(join(dir, 'store'), 'DEMO02', '2024-01-03'), reason: `no data file for DEMO02 on 2024-01-03: ${demoFile(join(dir, 'store'), 'DEMO02', '2024-01-03')}`, kind: 'session' }]);
});

test('validate: prints every problem with its JSON path, value and expectation on stderr and exits 1', async (t) => {
  const file = join(dir, 'bad.json');
  const { code, stdout, stderr } = await runCli(['validate', file]);
  t.is(code, 1);
  t.is(stdout, '');
  t.true(stderr.startsWith(`error: ${file}: invalid session config (6 problems):\n`), stderr);
  t.regex(stderr, /^ {2}backtest\.start: a real calendar date; got "2024-02-30"$/m);
  t.regex(stderr, /^ {2}backtest\.speed: a speed >= 0 \(0 = data-driven\); got -2$/m);
  t.regex(stderr, /^ {2}streams\[1\]: an interval like "1m", "5m", "1h" or "1d"; got "7x"$/m);
  t.regex(stderr, /^ {2}symbol: unknown key "symbol" \(did you mean "symbols"\?\)/m);
  t.regex(stderr, /^ {2}symbols: missing required key "symbols"$/m);
  // Cross-field rules are reported in the same pass as the schema's problems.
  t.regex(stderr, /^ {2}indicators\[0\]\.interval: interval 15m is not a configured stream \(1m, 7x\)$/m);
});

test('validate --json: prints {valid: false, problems} with path, value and expected and exits 1', async (t) => {
  const { code, stdout } = await runCli(['validate', '--json', join(dir, 'bad.json')]);
  t.is(code, 1);
  const result = JSON.parse(stdout) as { valid: boolean; error: string; problems: Array<{ path: string; value?: unknown; expected?: string; message: string }> };
  t.false(result.valid);
  const byPath = new Map(result.problems.map((p) => [p.path, p]));
  t.deepEqual([...byPath.keys()].sort(), ['backtest.speed', 'backtest.start', 'indicators[0].interval', 'streams[1]', 'symbol', 'symbols']);
  t.like(byPath.get('backtest.start'), { value: '2024-02-30', expected: 'a real calendar date' });
  t.like(byPath.get('backtest.speed'), { value: -2, expected: 'a speed >= 0 (0 = data-driven)' });
  t.like(byPath.get('streams[1]'), { value: '7x' });
  t.like(byPath.get('symbol'), { value: 'symbol' });
  t.like(byPath.get('indicators[0].interval'), { value: '15m', expected: 'one of the streams (1m, 7x), or "1d" for a session-level indicator' });
  t.true(result.error.includes('invalid session config (6 problems)'));
});
