import test from 'ava';
import { join } from 'node:path';
import type { SessionConfigInput } from '../../lib/config/schema.ts';
import { ConfigError } from '../../lib/errors.ts';
import { backtest } from '../../pipelines/backtest.ts';
import { sweep } from '../../pipelines/sweep/sweep.ts';
import { parseWalkForward, walkForward } from '../../pipelines/sweep/walk-forward.ts';
import { withParameters } from '../../pipelines/sweep/with-parameters.ts';
import { demoConfig, makeDemoStore, tempDir } from '../helpers/cli-fixtures.ts';

const GRID = ['strategies[0].params.fast=2..6:2', 'strategies[0].params.slow=[10,20]'];

test('walkForward: rolling windows of the calendar\'s sessions, each training window\'s best set run on the next test window, stitched out of sample', async (t) => {
  const dir = await tempDir(t, 'sessionflow-wf-');
  await makeDemoStore(join(dir, 'store'), { symbols: 1, start: '2024-01-02', sessions: 16, missingDay: false });
  const config = demoConfig('store', {
    symbols: ['DEMO01'],
    streams: ['1m'],
    backtest: { start: '2024-01-03', end: '2024-01-24' },
    history: [{ trailingSessions: 1, intervals: ['1m'] }],
    strategies: [{ name: 'sma-crossover', params: { shares: 50 } }],
    broker: { cash: 100_000 },
  }) as SessionConfigInput;
  const result = await walkForward(config, { train: 6, test: 4 }, { grid: GRID, objective: 'returnPct', workers: 0, baseDir: dir });
  // 15 sessions (MLK day 2024-01-15 closed): steps at 0, 4 and 8, the last test window cut to 1 session.
  t.deepEqual(result.steps.map((s) => [s.train.start, s.train.end, s.test.start, s.test.end]), [
    ['2024-01-03', '2024-01-10', '2024-01-11', '2024-01-17'],
    ['2024-01-09', '2024-01-17', '2024-01-18', '2024-01-23'],
    ['2024-01-16', '2024-01-23', '2024-01-24', '2024-01-24'],
  ]);
  // Step 1 chose the best set of its training window, as a sweep of that window ranks it.
  const first = result.steps[0]!;
  const trainSweep = await sweep(withParameters(config, { 'backtest.start': first.train.start, 'backtest.end': first.train.end }), { grid: GRID, objective: 'returnPct', workers: 0, baseDir: dir });
  t.deepEqual(first.parameters, trainSweep.rows[0]!.parameters);
  t.is(first.inSample.score, trainSweep.rows[0]!.score);
  // Its out-of-sample figures are that set's own backtest of the test window.
  const alone = await backtest(withParameters(config, { ...first.parameters, 'backtest.start': first.test.start, 'backtest.end': first.test.end }), { baseDir: dir }).result();
  t.is(first.outOfSample.returnPct, alone.stats!.returnPct);
  alone.dispose();
  // The stitched curve compounds the test windows: its end is the product of their returns.
  const compounded = result.steps.reduce((e, s) => e * (1 + s.outOfSample.returnPct / 100), 1);
  t.true(Math.abs(result.outOfSampleReturnPct - (compounded - 1) * 100) < 1e-9, `${result.outOfSampleReturnPct} vs ${(compounded - 1) * 100}`);
  t.is(result.outOfSample.length, result.steps.reduce((n, s) => n + s.test.sessions, 0), 'one point per test session');
  t.is(result.inSample.length, result.steps.length * 4, 'the 4 sessions before each choice');
});

test('walkForward: windows that do not fit the backtest, or a malformed --walk-forward, are ConfigErrors naming it', async (t) => {
  t.deepEqual(parseWalkForward('train=120,test=20'), { train: 120, test: 20 });
  for (const bad of ['train=120', 'train=0,test=5', 'train=1.5,test=2', 'test=5,train=x', 'train=5,test=5,step=1']) t.throws(() => parseWalkForward(bad), { instanceOf: ConfigError, message: /--walk-forward/ });
  const dir = await tempDir(t, 'sessionflow-wf-');
  const config = demoConfig(join(dir, 'store'), { backtest: { start: '2024-01-03', end: '2024-01-10' }, strategies: [{ name: 'sma-crossover' }] }) as SessionConfigInput;
  await t.throwsAsync(walkForward(config, { train: 5, test: 5 }, { grid: GRID, workers: 0, baseDir: dir }), { instanceOf: ConfigError, message: /train \+ test <= 6/ });
});
