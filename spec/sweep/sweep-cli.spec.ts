import test from 'ava';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { demoConfig, makeDemoStore, readJson, readParquetTable, tempDir, writeJson } from '../helpers/cli-fixtures.ts';
import { runCli } from '../helpers/cli.ts';

const SMA_CROSS = join(import.meta.dirname, 'fixtures/sma-cross.ts');
const GRID = ['--grid', 'strategies[0].params.fast=2..6:2', '--grid', 'strategies[0].params.slow=[10,20]'];

async function sweepConfig(t: Parameters<typeof tempDir>[0]): Promise<{ dir: string; config: string }> {
  const dir = await tempDir(t, 'sessionflow-sweep-cli-');
  await makeDemoStore(join(dir, 'store'), { symbols: 2, start: '2024-01-02', sessions: 5, missingDay: false });
  const config = await writeJson(
    join(dir, 'sweep.json'),
    demoConfig('store', {
      streams: ['1m'],
      backtest: { start: '2024-01-03', end: '2024-01-08' },
      history: [{ trailingSessions: 1, intervals: ['1m'] }],
      strategies: [{ module: SMA_CROSS, params: { fast: 5, slow: 20, shares: 40 } }],
      broker: { cash: 100_000, commission: { type: 'per-share', rate: 0.005, minimum: 1 } },
    }),
  );
  return { dir, config };
}

test('sessionflow sweep: ranks every set of the grid on worker threads, writes them as Parquet and CSV, and the best row\'s command gives the same statistics with sessionflow run', async (t) => {
  const { dir, config } = await sweepConfig(t);
  const out = join(dir, 'sweep-out');
  const swept = await runCli(['sweep', config, ...GRID, '--objective', 'returnPct', '--workers', '2', '--batch-size', '2', '--out', out, '--report', '--heatmap', 'strategies[0].params.slow,strategies[0].params.fast']);
  t.is(swept.code, 0, swept.stderr);
  t.regex(swept.stdout, /6 parameter sets in [\d.]+ s on 2 worker threads/);
  const csv = parse(await readFile(join(out, 'sweep.csv'), 'utf8'), { columns: true }) as Array<Record<string, string>>;
  t.is(csv.length, 6, 'one row per parameter set');
  t.deepEqual(csv.map((r) => `${r['strategies[0].params.fast']}/${r['strategies[0].params.slow']}`).sort(), ['2/10', '2/20', '4/10', '4/20', '6/10', '6/20']);
  const returns = csv.map((r) => Number(r.returnPct));
  t.deepEqual(returns, [...returns].sort((a, b) => b - a), 'sorted by the objective, best first');
  t.deepEqual(csv.map((r) => Number(r.rank)), [1, 2, 3, 4, 5, 6]);
  const parquet = await readParquetTable(join(out, 'sweep.parquet'));
  t.is(parquet.rows, 6);
  t.deepEqual(parquet.column('returnPct').map(Number), returns);
  const report = await readFile(join(out, 'report.html'), 'utf8');
  t.regex(report, /returnPct over slow × fast/, 'the heatmap over the two chosen paths');
  t.is((report.match(/title="slow=\d+, fast=\d+: returnPct /g) ?? []).length, 6, 'a cell per set');
  const summary = await readJson<{ status: string; objective: string; sets: number; top: unknown[] }>(join(out, 'sweep.json'));
  t.like(summary, { status: 'finished', objective: 'returnPct', sets: 6 });
  // Reproduce the second-best row (not the first: any row must reproduce) with its own command.
  const row = csv[1]!;
  const args = row.command!.match(/'[^']*'|\S+/g)!.map((w) => w.replace(/^'|'$/g, ''));
  t.deepEqual(args.slice(0, 3), ['sessionflow', 'run', config]);
  const runOut = join(dir, 'run-out');
  const ran = await runCli([...args.slice(1), '--out', runOut, '--export', 'none', '--no-progress']);
  t.is(ran.code, 0, ran.stderr);
  const stats = await readJson<Record<string, unknown>>(join(runOut, 'stats.json'));
  for (const key of ['returnPct', 'sharpe', 'maxDrawdownPct', 'trades', 'equityFinal', 'winRatePct', 'exposureTimePct', 'commissions', 'profitFactor', 'sqn']) {
    const fromRun = stats[key] === null ? '' : String(stats[key]);
    t.is(row[key], fromRun, `${key} of set ${row.set}`);
  }
});

test('sessionflow sweep: a parameter set the strategy refuses fails before anything runs (exit 1, naming the set and path), and --out gets no sweep files', async (t) => {
  const { dir, config } = await sweepConfig(t);
  const out = join(dir, 'bad');
  const result = await runCli(['sweep', config, '--grid', 'strategies[0].params.fast=5..25:10', '--grid', 'strategies[0].params.slow=[20]', '--workers', '0', '--out', out]);
  t.is(result.code, 1);
  t.regex(result.stderr, /parameter set 2 \(strategies\[0\]\.params\.fast=25, strategies\[0\]\.params\.slow=20\)/);
  t.regex(result.stderr, /strategies\[0\]\.params\.fast/);
  t.false(existsSync(join(out, 'sweep.json')) || existsSync(join(out, 'sweep.csv')));
  const unknown = await runCli(['sweep', config, ...GRID, '--objective', 'sharp', '--workers', '0']);
  t.is(unknown.code, 1);
  t.regex(unknown.stderr, /--objective.*sharpe/s);
  const badGrid = await runCli(['sweep', config, '--grid', 'strategies[0].params.fast=9..1', '--workers', '0']);
  t.is(badGrid.code, 1);
  t.regex(badGrid.stderr, /grid\[0\]/);
});

test('sessionflow run --set: assigns a value at a config path before validation, and a bad path or value is exit 1 naming it', async (t) => {
  const { dir, config } = await sweepConfig(t);
  const ok = await runCli(['run', config, '--set', 'strategies[0].params.fast=3', '--set', 'strategies[0].params.slow=9', '--json', '--no-progress', '--export', 'none']);
  t.is(ok.code, 0, ok.stderr);
  const bad = await runCli(['run', config, '--set', 'strategies[0].params.fast=30', '--no-progress']);
  t.is(bad.code, 1);
  t.regex(bad.stderr, /strategies\[0\]\.params\.fast/);
  const missing = await runCli(['run', config, '--set', 'strategies[3].params.fast=3', '--no-progress']);
  t.is(missing.code, 1);
  t.regex(missing.stderr, /strategies\[3\]/);
  t.truthy(dir);
});
