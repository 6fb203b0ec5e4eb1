import test from 'ava';
import { join } from 'node:path';
import type { SessionConfigInput } from '../../lib/config/schema.ts';
import { ConfigError } from '../../lib/errors.ts';
import { backtest } from '../../pipelines/backtest.ts';
import { broker } from '../../operators/execution/broker.ts';
import { defineStrategy } from '../../operators/strategies/define-strategy.ts';
import { parameterSetComponents } from '../../pipelines/sweep/parameter-set-components.ts';
import { runParameterBatch } from '../../pipelines/sweep/run-parameter-batch.ts';
import { sweep } from '../../pipelines/sweep/sweep.ts';
import { withParameters } from '../../pipelines/sweep/with-parameters.ts';
import { demoConfig, makeDemoStore, tempDir } from '../helpers/cli-fixtures.ts';

const FAST = 'strategies[0].params.fast';
const SLOW = 'strategies[0].params.slow';
const SMA_CROSS = join(import.meta.dirname, 'fixtures/sma-cross.ts');

async function sweepFixture(t: Parameters<typeof tempDir>[0]): Promise<{ root: string; config: Record<string, unknown> }> {
  const root = await tempDir(t, 'sessionflow-batch-');
  await makeDemoStore(join(root, 'store'), { symbols: 2, start: '2024-01-02', sessions: 5, missingDay: false });
  const config = demoConfig('store', {
    streams: ['1m', '5m'],
    backtest: { start: '2024-01-03', end: '2024-01-08', speed: 0 },
    history: [{ trailingSessions: 1, intervals: ['1m'] }],
    strategies: [{ module: SMA_CROSS, params: { fast: 5, slow: 20, shares: 50 } }],
    broker: { cash: 100_000, commission: { type: 'per-share', rate: 0.005, minimum: 1 } },
  });
  return { root, config };
}

test('runParameterBatch: every set of a shared batch has the statistics of its own backtest, to the last bit', async (t) => {
  const { root, config } = await sweepFixture(t);
  const sets = [
    { [FAST]: 3, [SLOW]: 8 },
    { [FAST]: 5, [SLOW]: 8 },
    { [FAST]: 3, [SLOW]: 30 },
    // Not a strategy parameter: a broker setting is a set's own too.
    { [FAST]: 5, [SLOW]: 30, 'broker.cash': 20_000 },
    // Another symbol list: a group of its own, still exact.
    { [FAST]: 5, [SLOW]: 8, symbols: ['DEMO02'] },
  ].map((parameters, index) => ({ index, parameters }));
  let days = 0;
  const rows = await runParameterBatch({ config, baseDir: root, sets }, { onDay: () => days++ });
  t.deepEqual(rows.map((r) => r.index), [0, 1, 2, 3, 4]);
  // Two backtests of four sessions: the first four sets share one, the other symbol list has its own.
  t.is(days, 8);
  for (const set of sets) {
    const alone = await backtest(withParameters(config, set.parameters) as SessionConfigInput, { baseDir: root }).result();
    const expected = alone.stats;
    alone.dispose();
    t.truthy(expected, 'the set traded through a broker');
    t.true(expected!.trades > 0, `set ${set.index} traded`);
    t.deepEqual(rows[set.index]!.stats, expected, `set ${set.index}: ${JSON.stringify(set.parameters)}`);
    t.deepEqual(rows[set.index]!.parameters, set.parameters);
  }
  // The sets are not all the same run under another name.
  t.is(new Set(rows.map((r) => r.stats!.equityFinal)).size, rows.length);
});

test('runParameterBatch: a set the strategy refuses is a ConfigError naming the set and the JSON path, before any day runs', async (t) => {
  const { root, config } = await sweepFixture(t);
  let days = 0;
  const sets = [
    { index: 0, parameters: { [FAST]: 3, [SLOW]: 8 } },
    { index: 7, parameters: { [FAST]: 9, [SLOW]: 8 } },
  ];
  const error = await t.throwsAsync(runParameterBatch({ config, baseDir: root, file: 'sweep.json', sets }, { onDay: () => days++ }), { instanceOf: ConfigError });
  t.regex(error.message, /sweep\.json: parameter set 7 \(strategies\[0\]\.params\.fast=9, strategies\[0\]\.params\.slow=8\)/);
  t.regex(error.message, /strategies\[0\]\.params\.fast/);
  t.is(days, 0);
  const typed = await t.throwsAsync(runParameterBatch({ config, baseDir: root, sets: [{ index: 0, parameters: { [FAST]: 'fast' } }] }), { instanceOf: ConfigError });
  t.true(typed.problems.some((p) => p.path === FAST), typed.message);
});

test('runParameterBatch: aborting stops the batch with an InterruptedError', async (t) => {
  const { root, config } = await sweepFixture(t);
  const controller = new AbortController();
  let days = 0;
  const error = await t.throwsAsync(
    runParameterBatch({ config, baseDir: root, sets: [{ index: 0, parameters: { [FAST]: 3, [SLOW]: 8 } }] }, { signal: controller.signal, onDay: () => ++days === 1 && controller.abort() }),
  );
  t.is(error.name, 'InterruptedError');
  t.is(days, 1);
});

test('sweep: 1,000 parameter sets (grid and random draw), every one ranked once, in even batches of at most 250; sweep(config, grid, options) as in the issue', async (t) => {
  const { root, config } = await sweepFixture(t);
  const short = { ...config, backtest: { start: '2024-01-03', end: '2024-01-03', speed: 0 } };
  const sizes: number[] = [];
  const result = await sweep(short, ['strategies[0].params.fast=1..40', 'strategies[0].params.slow=41..65', 'strategies[0].params.shares=[10]'], { workers: 0, baseDir: root, objective: 'returnPct', onBatch: (rows) => sizes.push(rows.length) });
  t.is(result.rows.length, 1000);
  t.deepEqual(new Set(result.rows.map((r) => r.index)).size, 1000, 'each set once');
  t.deepEqual(result.rows.map((r) => r.rank), Array.from({ length: 1000 }, (_, i) => i + 1));
  t.deepEqual(sizes, [250, 250, 250, 250], 'as few batches as 250 sets each allow, all the same size');
  const scores = result.rows.map((r) => r.score).filter((s) => !Number.isNaN(s));
  t.deepEqual(scores, [...scores].sort((a, b) => b - a));
  const drawn = await sweep(short, ['strategies[0].params.fast=1..40', 'strategies[0].params.slow=41..65'], { random: 25, seed: 3, workers: 0, baseDir: root });
  t.is(drawn.rows.length, 25);
});

test('sweep: sets that can share a backtest go to the same batch, whatever their place in the grid', async (t) => {
  const { root, config } = await sweepFixture(t);
  const batches: number[][] = [];
  // Grid order alternates the end date, which sets must share to run as one backtest.
  const result = await sweep(config, ['strategies[0].params.fast=[3,4,5]', 'backtest.end=["2024-01-05","2024-01-08"]'], {
    workers: 0,
    batchSize: 3,
    baseDir: root,
    onBatch: (rows) => batches.push(rows.map((r) => r.index)),
  });
  const endOf = (index: number): unknown => result.rows.find((r) => r.index === index)!.parameters['backtest.end'];
  t.deepEqual(batches, [[0, 2, 4], [1, 3, 5]]);
  for (const batch of batches) t.is(new Set(batch.map(endOf)).size, 1, `batch ${JSON.stringify(batch)} runs one backtest`);
  t.is(result.rows.length, 6);
});

test('sweep: aborting stops the sweep with an InterruptedError; the batches that finished were handed over first', async (t) => {
  const { root, config } = await sweepFixture(t);
  const controller = new AbortController();
  const seen: number[] = [];
  const error = await t.throwsAsync(
    sweep(config, ['strategies[0].params.fast=2..5', 'strategies[0].params.slow=[10,20]'], {
      workers: 0,
      batchSize: 2,
      baseDir: root,
      signal: controller.signal,
      onBatch: (rows) => {
        seen.push(...rows.map((r) => r.index));
        controller.abort();
      },
    }),
  );
  t.is(error.name, 'InterruptedError');
  t.deepEqual(seen, [0, 1], 'the first batch, and nothing after the abort');
});

test('parameterSetComponents: a set\'s components keep what the run reads of them (kind, trusted stage, fresh report), under the set\'s names', (t) => {
  const made = parameterSetComponents('set7/', [broker({ cash: 1000 }), { name: 'plain', report: () => ({ n: 1 }) }]);
  t.deepEqual(
    made.map((c) => ({ name: c.name, kind: c.kind, trustedStage: c.trustedStage, freshReport: c.freshReport })),
    [
      { name: 'set7/broker', kind: 'broker', trustedStage: true, freshReport: true },
      { name: 'set7/plain', kind: undefined, trustedStage: undefined, freshReport: undefined },
    ],
  );
});

test('parameterSetComponents with onEnd: each day, the set\'s reports (checked as JSON) and asked-for tables go there and not into the day\'s result', async (t) => {
  const { root, config } = await sweepFixture(t);
  const flip = defineStrategy({
    name: 'flip',
    onBar(ctx, bar) {
      if ((bar.end - ctx.session.open) % 1_800_000 === 0) ctx.target(bar.symbol, { quantity: ctx.position(bar.symbol).quantity > 0 ? 0 : 10 });
    },
  });
  const seen: Array<{ name: string; report: unknown; tables: Record<string, ReadonlyArray<unknown>> }> = [];
  const set = parameterSetComponents('set3/', [broker({ cash: 100_000 }), flip.create({})], { tables: ['trades'], onEnd: (day) => seen.push(day) });
  t.is(set[0]!.kind, 'broker', 'the getters stay');
  // The fixture's config without its own strategy and broker: only the set's components trade.
  const plain: Record<string, unknown> = { ...config, strategies: [] };
  delete plain.broker;
  const run = await backtest(plain as SessionConfigInput, { baseDir: root, components: set }).result();
  t.is(run.days.length, 4);
  for (const day of run.days) {
    t.deepEqual(Object.keys(day.components).filter((name) => name.startsWith('set3/')), [], `${day.date}: no set report in the result`);
    t.deepEqual(Object.keys(day.tables).filter((name) => name.startsWith('set3/')), [], `${day.date}: no set table in the result`);
  }
  const brokerDays = seen.filter((d) => d.name === 'broker');
  t.is(brokerDays.length, 4, 'one broker report a day');
  t.deepEqual(Object.keys(brokerDays[0]!.tables), ['trades'], 'only the tables asked for');
  const trades = brokerDays.flatMap((d) => d.tables.trades!);
  t.true(trades.length > 0, 'the set traded');
  const last = brokerDays.at(-1)!.report as { equityEnd: number; trades: number };
  t.true(Number.isFinite(last.equityEnd));
  t.is(brokerDays.reduce((n, d) => n + (d.report as { trades: number }).trades, 0), trades.length);
  const bad = parameterSetComponents('set4/', [{ name: 'nan', report: () => ({ value: Number.NaN }) }], { onEnd: () => undefined });
  const error = await t.throwsAsync(backtest(plain as SessionConfigInput, { baseDir: root, components: bad }).result());
  t.regex(error.message, /set4\/nan\.report\(\) must return plain JSON/);
});

