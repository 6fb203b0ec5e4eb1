/**
 * `npm run bench:scale`: whole `sessionflow run` processes at scale, cold (a fresh process:
 * start-up, validation, every day, the outputs, exit), over the standard bench pipeline
 * (1m/5m/15m, EMA(9) on 5m, EMA(21) on 15m, quality), timed from spawn to exit with the
 * process's peak RSS (read by a preload at exit):
 *
 * - `wide`: 500 symbols × 250 sessions (issue target: ≥ 1.5 M base bars/s with a peak RSS
 *   ≤ 1 GB);
 * - `many`: 5,000 symbols × 20 sessions; `long`: 1 symbol × 20 years (5,040 sessions):
 *   they must complete; their time and peak are reported and projected to 5,000 symbols ×
 *   one year (252 sessions) from the per-(symbol, session) time of `many` (memory is bounded
 *   by the day: see `npm run bench:memory`).
 *
 * The stores are generated once into `.cache/bench/` (per-symbol yearly files, a row group
 * per session). Builds dist/ first (`npm run build`) unless `--no-build`. Each case runs
 * `--runs` times (default 1); min / median / max. Figures go to `.cache/bench/scale.json`.
 *
 * Options: --case wide|many|long|all (default all) --runs N --no-build --out FILE
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { cliTable } from '../lib/cli/cli-table.ts';
import { ensureBenchStore } from './bench-store.ts';
import { benchConfig } from './session-loop.bench.ts';

/** Issue targets for `wide`. */
const TARGET_BARS_PER_SEC = 1.5e6;
const TARGET_PEAK_RSS_MB = 1024;

const CASES: Readonly<Record<string, { symbols: number; sessions: number; from?: string; targets?: boolean }>> = {
  wide: { symbols: 500, sessions: 250, targets: true },
  many: { symbols: 5000, sessions: 20 },
  long: { symbols: 1, sessions: 5040, from: '2004-11-01' },
};

const { values: args } = parseArgs({
  options: {
    case: { type: 'string', default: 'all' },
    runs: { type: 'string', default: '1' },
    'no-build': { type: 'boolean', default: false },
    out: { type: 'string', default: '.cache/bench/scale.json' },
  },
});
const root = resolve(import.meta.dirname, '..');
const CACHE = join(root, '.cache/bench');
const PRELOAD = join(root, 'benchmarks/peak-rss-preload.mjs');

interface Run {
  readonly ms: number;
  readonly peakRssMB: number;
  readonly bars: number;
}

const stats = (values: number[]): { min: number; median: number; max: number } => {
  const sorted = [...values].sort((a, b) => a - b);
  return { min: sorted[0]!, median: sorted[Math.floor(sorted.length / 2)]!, max: sorted.at(-1)! };
};

async function runCase(name: string, runs: number): Promise<{ name: string; symbols: number; sessions: number; runs: Run[] }> {
  const spec = CASES[name]!;
  const store = await ensureBenchStore(CACHE, spec.symbols, spec.sessions, 1, 'yearly', spec.from);
  if (store.generated) console.log(`${name}: store generated in ${(store.generateMs / 1000).toFixed(0)} s (${store.root})`);
  const work = mkdtempSync(join(tmpdir(), 'sessionflow-scale-'));
  try {
    const config = join(work, 'session.json');
    writeFileSync(config, JSON.stringify(benchConfig(store, 1)));
    const list: Run[] = [];
    for (let r = 0; r < runs; r++) {
      const out = join(work, `out-${r}`);
      const rssFile = join(work, `rss-${r}`);
      const started = performance.now();
      const child = spawnSync(process.execPath, ['--import', PRELOAD, join(root, 'dist/pipelines/cli/sessionflow.js'), 'run', config, '--out', out, '--export', 'none', '--no-progress'], {
        cwd: work,
        stdio: ['ignore', 'ignore', 'pipe'],
        env: { ...process.env, SESSIONFLOW_PEAK_RSS_FILE: rssFile },
        maxBuffer: 256 * 1024 * 1024,
      });
      const ms = performance.now() - started;
      if (child.status !== 0) throw new Error(`${name}: sessionflow run exited with ${child.status}: ${child.stderr.toString().slice(-2000)}`);
      const summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8')) as { totals: { barsIn: number } };
      list.push({ ms, peakRssMB: Number(readFileSync(rssFile, 'utf8')) / 1024, bars: summary.totals.barsIn });
      rmSync(out, { recursive: true, force: true });
    }
    return { name, symbols: spec.symbols, sessions: spec.sessions, runs: list };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  if (!args['no-build']) execFileSync('npm', ['run', 'build', '--silent'], { cwd: root, stdio: 'inherit' });
  const names = args.case === 'all' ? Object.keys(CASES) : [args.case];
  const runs = Number(args.runs);
  const results = [];
  for (const name of names) {
    if (!CASES[name]) throw new Error(`--case ${name}: expected wide, many, long or all`);
    results.push(await runCase(name, runs));
  }
  const table = cliTable({ head: ['case', 'base bars', 'wall s (min / median / max)', 'M bars/s (median)', 'peak RSS MB (max)', 'target', 'verdict'] });
  const report: Record<string, unknown> = { node: process.version, runs };
  for (const r of results) {
    const wall = stats(r.runs.map((x) => x.ms));
    const bars = r.runs[0]!.bars;
    const rate = bars / (wall.median / 1000);
    const peak = Math.max(...r.runs.map((x) => x.peakRssMB));
    const targets = CASES[r.name]!.targets;
    const pass = rate >= TARGET_BARS_PER_SEC && peak <= TARGET_PEAK_RSS_MB;
    table.push([`${r.name}: ${r.symbols} × ${r.sessions}`, bars.toLocaleString('en-US'), `${(wall.min / 1000).toFixed(1)} / ${(wall.median / 1000).toFixed(1)} / ${(wall.max / 1000).toFixed(1)}`, (rate / 1e6).toFixed(2), peak.toFixed(0), targets ? `≥ ${TARGET_BARS_PER_SEC / 1e6} M/s, ≤ ${TARGET_PEAK_RSS_MB} MB` : '', targets ? (pass ? 'PASS' : 'FAIL') : '']);
    report[r.name] = { symbols: r.symbols, sessions: r.sessions, bars, wallMs: wall, barsPerSec: rate, peakRssMB: peak, runs: r.runs };
  }
  console.log('cold sessionflow run processes (spawn to exit, validation and outputs included; standard pipeline)');
  console.log(table.toString());
  const many = report.many as { wallMs: { median: number }; symbols: number; sessions: number; peakRssMB: number } | undefined;
  if (many) {
    const perSymbolSession = many.wallMs.median / (many.symbols * many.sessions);
    const projected = (perSymbolSession * 5000 * 252) / 1000;
    report.projection5000x252 = { seconds: projected, peakRssMB: many.peakRssMB };
    console.log(`projected 5,000 symbols × 252 sessions: ${(projected / 60).toFixed(1)} min (${perSymbolSession.toFixed(3)} ms per symbol-session from 'many'), peak RSS about ${many.peakRssMB.toFixed(0)} MB (memory is bounded by the day)`);
  }
  const out = resolve(root, args.out);
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, JSON.stringify(report, null, 2) + '\n');
  console.log(`figures: ${out}`);
}

await main();
