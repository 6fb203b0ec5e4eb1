/**
 * `npm run bench:sweep`: parameter sweep throughput (issue "Parameter sweeps", point 6).
 *
 * 1,000 parameter sets of the example SMA crossover (`sma-crossover`: fast 1..25 × slow
 * 30..225 step 5, 1m bars, 100 shares, no costs) over 1 symbol × 1 year (250 sessions + one of
 * history) of 1m bars:
 *
 * - sweep: `sweep(config, { grid, workers })` — every set validated, batches on worker
 *   threads, each day decoded once per batch and each SMA computed once per batch;
 * - baseline: the same sets one `backtest()` at a time in one process, as a user would loop
 *   over them. A full baseline of 1,000 sets takes ~5 minutes, so it runs a sample of
 *   `--sample` sets spread evenly over the grid, and its rate (sets/s) stands for all of them.
 *
 * Both sides run the compiled package (dist/, built first unless `--no-build`), as users run
 * it: from the sources each worker thread would first load TypeScript through tsx (~1 s).
 * Each side runs in a fresh child process (its own peak RSS, read from
 * `process.resourceUsage().maxRSS`), alternating, `--runs` times; min / median / max. The
 * sample's statistics must equal the sweep's rows for the same sets, bit for bit (checked:
 * a mismatch fails the bench). Target: sweep sets/s ≥ 10 × the baseline's.
 *
 * Options: --runs N (default 3) --workers N (default 2) --sample N (default 20) --cache DIR --no-build
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { cliTable } from '../lib/cli/cli-table.ts';
import type { BacktestStats } from '../lib/metrics/compute-stats.ts';
import type { SessionConfigInput } from '../lib/config/schema.ts';
import type * as Sessionflow from '../pipelines/index.ts';
import { ensureBenchStore } from './bench-store.ts';

const GRID = ['strategies[0].params.fast=1..25', 'strategies[0].params.slow=30..225:5'];
const TARGET = 10;

const { values: args } = parseArgs({
  options: {
    runs: { type: 'string', default: '3' },
    workers: { type: 'string', default: '2' },
    sample: { type: 'string', default: '20' },
    cache: { type: 'string', default: '.cache/bench' },
    child: { type: 'string' },
    'no-build': { type: 'boolean', default: false },
  },
});

const ROOT = resolve(import.meta.dirname, '..');
/** The compiled package, as users run it. */
const pkg = (): Promise<typeof Sessionflow> => import(pathToFileURL(join(ROOT, 'dist/pipelines/index.js')).href) as Promise<typeof Sessionflow>;

/** What a child reports. */
interface ChildResult {
  readonly sets: number;
  readonly ms: number;
  readonly maxRssMb: number;
  /** Statistics by set index (the sample's sets; the sweep reports the same ones). */
  readonly stats: Readonly<Record<number, BacktestStats | undefined>>;
}

async function configOf(): Promise<Record<string, unknown>> {
  const store = await ensureBenchStore(resolve(args.cache), 1, 250, 1, 'yearly');
  return {
    name: 'sweep-bench',
    calendar: 'XNYS',
    backtest: { start: store.sessions[0]!.date, end: store.sessions.at(-1)!.date, speed: 0 },
    store: { root: store.root, layout: store.layout, timestamp: { column: 'ts', unit: 'ms', label: 'start' } },
    symbols: [...store.symbols],
    streams: ['1m'],
    history: [{ trailingSessions: 1, intervals: ['1m'] }],
    strategies: [{ name: 'sma-crossover', params: { shares: 100 } }],
    broker: { cash: 10_000_000 },
  };
}

/** The sample: `n` set indexes spread evenly over the grid. */
function sampleOf(total: number, n: number): number[] {
  return Array.from({ length: Math.min(n, total) }, (_, i) => Math.floor((i * total) / Math.min(n, total)));
}

async function child(kind: string): Promise<ChildResult> {
  const { backtest, expandGrid, sweep, withParameters } = await pkg();
  const config = await configOf();
  const sets = expandGrid(GRID);
  const sample = sampleOf(sets.length, Number(args.sample));
  const t0 = performance.now();
  const stats: Record<number, BacktestStats | undefined> = {};
  let count = 0;
  if (kind === 'sweep') {
    const result = await sweep(config, { grid: GRID, workers: Number(args.workers) });
    count = result.rows.length;
    const byIndex = new Map(result.rows.map((r) => [r.index, r.stats]));
    for (const i of sample) stats[i] = byIndex.get(i);
  } else {
    for (const i of sample) {
      const run = await backtest(withParameters(config, sets[i]!) as SessionConfigInput).result();
      stats[i] = run.stats;
      run.dispose();
      count++;
    }
  }
  const ms = performance.now() - t0;
  return { sets: count, ms, maxRssMb: process.resourceUsage().maxRSS / 1024, stats };
}

function spawnChild(kind: string): ChildResult {
  const out = spawnSync(process.execPath, ['--import', 'tsx', import.meta.filename, '--child', kind, '--workers', args.workers, '--sample', args.sample, '--cache', args.cache], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 256 * 1024 * 1024 });
  if (out.status !== 0) throw new Error(`${kind} child failed (exit ${out.status})`);
  return JSON.parse(out.stdout) as ChildResult;
}

const stat = (xs: readonly number[]): { min: number; median: number; max: number } => {
  const s = [...xs].sort((a, b) => a - b);
  return { min: s[0]!, median: s[Math.floor(s.length / 2)]!, max: s.at(-1)! };
};

if (args.child) {
  process.stdout.write(JSON.stringify(await child(args.child)));
} else {
  await configOf(); // the store, generated once before anything is timed
  if (!args['no-build']) execFileSync('npm', ['run', 'build', '--silent'], { cwd: ROOT, stdio: 'inherit' });
  const runs = Number(args.runs);
  const sweeps: ChildResult[] = [];
  const baselines: ChildResult[] = [];
  let mismatches = 0;
  for (let r = 0; r < runs; r++) {
    const base = spawnChild('baseline');
    const swept = spawnChild('sweep');
    baselines.push(base);
    sweeps.push(swept);
    for (const [i, expected] of Object.entries(base.stats)) {
      if (JSON.stringify(swept.stats[Number(i)]) !== JSON.stringify(expected)) {
        mismatches++;
        console.error(`set ${i}: the sweep's statistics differ from its own backtest's`);
      }
    }
    console.error(`run ${r + 1}: baseline ${base.sets} sets in ${(base.ms / 1000).toFixed(1)} s, sweep ${swept.sets} sets in ${(swept.ms / 1000).toFixed(1)} s`);
  }
  const baseRate = baselines.map((b) => b.sets / (b.ms / 1000));
  const sweepRate = sweeps.map((s) => s.sets / (s.ms / 1000));
  const ratio = sweepRate.map((s, i) => s / baseRate[i]!);
  const fmt = (xs: readonly number[], digits = 1): string => {
    const { min, median, max } = stat(xs);
    return `${min.toFixed(digits)} / ${median.toFixed(digits)} / ${max.toFixed(digits)}`;
  };
  const table = cliTable({ head: ['', 'sets', 'sets/s (min / median / max)', 'peak RSS MB (min / median / max)'] });
  table.push(['baseline: one backtest() at a time (sample)', String(baselines[0]!.sets), fmt(baseRate, 2), fmt(baselines.map((b) => b.maxRssMb), 0)]);
  table.push([`sweep, ${args.workers} worker threads`, String(sweeps[0]!.sets), fmt(sweepRate, 2), fmt(sweeps.map((s) => s.maxRssMb), 0)]);
  console.log(`1,000 SMA-crossover parameter sets over 1 symbol × 250 sessions of 1m bars; ${runs} run(s), alternating, fresh processes, compiled package`);
  console.log(table.toString());
  const { median } = stat(ratio);
  console.log(`sweep / baseline sets per second: ${fmt(ratio)} × (target ≥ ${TARGET}×: ${median >= TARGET ? 'PASS' : 'FAIL'} at the median)`);
  console.log(`cross-check (sample's statistics equal the sweep's rows): ${mismatches === 0 ? 'OK' : `${mismatches} MISMATCHES`}`);
  if (mismatches > 0) process.exitCode = 1;
}
