/**
 * `npm run bench:memory`: is a run's memory bounded by the day, not the run? Each case runs
 * the real `sessionflow run … --out DIR` (runCommand, in a fresh process of its own so its
 * peak RSS is its own) over the standard bench pipeline (1m/5m/15m, two EMAs, quality) and
 * samples the main heap (after gc()) and the process RSS as days finish (the `onDay` hook),
 * then fits a line through the samples after the first 10 % of the days:
 *
 * - `long`: 1 symbol × 2,500 sessions (ten years of 1m bars, ten yearly files);
 * - `wide`: 500 symbols × 250 sessions (a year of 1m bars for 500 symbols).
 *
 * "Flat" means the fitted growth over the whole run is below 5 % of the mean heap (and of
 * the mean RSS) — the days are not accumulating. The outputs written after the last day
 * (tables, statistics, the printed day table: read back from OUT/days.ndjson) are timed and
 * their peak is reported separately. Figures go to a table and to `.cache/bench/memory.json`.
 *
 * Options: --case long|wide|both (default both) --out FILE
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { cliTable } from '../lib/cli/cli-table.ts';
import type { DayResult } from '../lib/session/results.ts';
import { runCommand } from '../pipelines/cli/run-command.ts';
import { ensureBenchStore } from './bench-store.ts';
import { benchConfig } from './session-loop.bench.ts';

/** Growth over the run, as a share of the mean, below which memory counts as flat. */
const FLAT_SHARE = 0.05;

interface Case {
  readonly symbols: number;
  readonly sessions: number;
  readonly from?: string;
  /** Sample every this many days (gc() each time costs a few milliseconds). */
  readonly every: number;
}

const CASES: Readonly<Record<string, Case>> = {
  long: { symbols: 1, sessions: 2500, from: '2014-12-01', every: 10 },
  wide: { symbols: 500, sessions: 250, every: 2 },
};

interface Sample {
  readonly day: number;
  readonly heapMB: number;
  readonly rssMB: number;
}

interface CaseResult {
  readonly name: string;
  readonly symbols: number;
  readonly sessions: number;
  readonly bars: number;
  readonly code: number;
  readonly runMs: number;
  readonly outputsMs: number;
  readonly samples: readonly Sample[];
  readonly heapSlopeKBPerDay: number;
  readonly rssSlopeKBPerDay: number;
  readonly heapMeanMB: number;
  readonly rssMeanMB: number;
  readonly heapGrowthShare: number;
  readonly rssGrowthShare: number;
  readonly peakRssMB: number;
  readonly flat: boolean;
}

const { values: args } = parseArgs({
  options: {
    case: { type: 'string', default: 'both' },
    out: { type: 'string', default: '.cache/bench/memory.json' },
    child: { type: 'boolean', default: false },
  },
});
const CACHE = resolve(import.meta.dirname, '../.cache/bench');

const mb = (bytes: number): number => bytes / 1024 / 1024;

function slope(points: ReadonlyArray<readonly [number, number]>): number {
  const n = points.length;
  if (n < 2) return 0;
  const mx = points.reduce((a, [x]) => a + x, 0) / n;
  const my = points.reduce((a, [, y]) => a + y, 0) / n;
  let sxy = 0;
  let sxx = 0;
  for (const [x, y] of points) {
    sxy += (x - mx) * (y - my);
    sxx += (x - mx) ** 2;
  }
  return sxx === 0 ? 0 : sxy / sxx;
}

/** One case, in this process (the child). */
async function runCase(name: string): Promise<CaseResult> {
  const spec = CASES[name]!;
  const store = await ensureBenchStore(CACHE, spec.symbols, spec.sessions, 1, 'yearly', spec.from);
  const dir = mkdtempSync(join(tmpdir(), 'sessionflow-memory-'));
  try {
    const configFile = join(dir, 'session.json');
    writeFileSync(configFile, JSON.stringify(benchConfig(store, 1)));
    const samples: Sample[] = [];
    let bars = 0;
    let lastDayAt = 0;
    const gc = globalThis.gc!;
    const started = performance.now();
    const sink = { write: (): boolean => true };
    const code = await runCommand(
      configFile,
      {
        out: join(dir, 'out'),
        export: 'none',
        progress: false,
        onDay: (day: DayResult, index: number) => {
          bars += day.barsIn;
          lastDayAt = performance.now();
          if (index % spec.every !== 0 && index !== spec.sessions - 1) return;
          gc();
          const m = process.memoryUsage();
          samples.push({ day: index + 1, heapMB: mb(m.heapUsed), rssMB: mb(m.rss) });
        },
      },
      { stdout: sink, stderr: sink },
    );
    const ended = performance.now();
    const fitted = samples.filter((s) => s.day > spec.sessions * 0.1);
    const heapSlope = slope(fitted.map((s) => [s.day, s.heapMB]));
    const rssSlope = slope(fitted.map((s) => [s.day, s.rssMB]));
    const heapMean = fitted.reduce((a, s) => a + s.heapMB, 0) / fitted.length;
    const rssMean = fitted.reduce((a, s) => a + s.rssMB, 0) / fitted.length;
    const heapGrowthShare = (heapSlope * spec.sessions) / heapMean;
    const rssGrowthShare = (rssSlope * spec.sessions) / rssMean;
    return {
      name,
      symbols: spec.symbols,
      sessions: spec.sessions,
      bars,
      code,
      runMs: lastDayAt - started,
      outputsMs: ended - lastDayAt,
      samples,
      heapSlopeKBPerDay: heapSlope * 1024,
      rssSlopeKBPerDay: rssSlope * 1024,
      heapMeanMB: heapMean,
      rssMeanMB: rssMean,
      heapGrowthShare,
      rssGrowthShare,
      peakRssMB: process.resourceUsage().maxRSS / 1024,
      flat: heapGrowthShare < FLAT_SHARE && rssGrowthShare < FLAT_SHARE,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  if (args.child) {
    process.stdout.write(`${JSON.stringify(await runCase(args.case))}\n`);
    return;
  }
  const names = args.case === 'both' ? Object.keys(CASES) : [args.case];
  const results: CaseResult[] = [];
  for (const name of names) {
    if (!CASES[name]) throw new Error(`--case ${name}: expected long, wide or both`);
    // Its own process: a clean heap and a peak RSS that is this case's alone.
    const child = spawnSync(process.execPath, ['--import', 'tsx', '--expose-gc', import.meta.filename, '--child', '--case', name], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 64 * 1024 * 1024 });
    if (child.status !== 0) throw new Error(`case ${name} failed (exit ${child.status})`);
    results.push(JSON.parse(child.stdout.trim().split('\n').at(-1)!) as CaseResult);
  }
  const table = cliTable({ head: ['case', 'bars', 'run (s)', 'outputs (s)', 'heap mean (MB)', 'heap slope (KB/day)', 'heap growth over run', 'RSS mean (MB)', 'RSS slope (KB/day)', 'RSS growth over run', 'peak RSS (MB)', 'flat'] });
  for (const r of results) {
    table.push([`${r.name}: ${r.symbols} × ${r.sessions}`, r.bars.toLocaleString('en-US'), (r.runMs / 1000).toFixed(1), (r.outputsMs / 1000).toFixed(1), r.heapMeanMB.toFixed(1), r.heapSlopeKBPerDay.toFixed(2), `${(r.heapGrowthShare * 100).toFixed(2)} %`, r.rssMeanMB.toFixed(0), r.rssSlopeKBPerDay.toFixed(1), `${(r.rssGrowthShare * 100).toFixed(2)} %`, r.peakRssMB.toFixed(0), r.flat ? 'yes' : 'NO']);
  }
  console.log(`memory over a run (sessionflow run --out, standard pipeline; fit over days after the first 10 %; flat = growth over the run < ${FLAT_SHARE * 100} % of the mean)`);
  console.log(table.toString());
  mkdirSync(dirname(args.out), { recursive: true });
  writeFileSync(args.out, JSON.stringify({ node: process.version, results }, null, 2));
  if (results.some((r) => r.code !== 0)) process.exitCode = 1;
}

await main();
