/**
 * `npm run bench:startup`: how long a cold process takes to start sessionflow, against a
 * process that does nothing (`node -e 0`), measured in the same run (issue target: within 4×).
 *
 * - `sessionflow --help`: the compiled bin (dist/), printing help. Commands import what they
 *   run when they run, so this loads commander and the command definitions only.
 * - `import('sessionflow')`: a fresh ESM process importing the compiled package root.
 * - `import('rxjs')`: the peer dependency alone, the floor under any sessionflow import.
 * - `sessionflow run` over one symbol and one session (a demo store made first), printing
 *   the day table and statistics: the whole process, validation, Parquet (wasm) and the day
 *   included (issue "Fast at every scale" target: within 10×).
 *
 * Builds dist/ first (`npm run build`) unless `--no-build`. The processes are interleaved
 * (one of each per round) so machine noise hits all of them alike; each figure is min /
 * median / max wall time over `--runs` rounds (default 15), and the ratio is median over
 * the median of `node -e 0`. Figures go to a table on stdout and to `.cache/bench/startup.json`.
 *
 * Options: --runs N --no-build --out FILE
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { cliTable } from '../lib/cli/cli-table.ts';

/** Issue targets: the bin's help and the package import within 4×, a one-day run within 10×. */
const TARGET_RATIO = 4;
const RUN_TARGET_RATIO = 10;
const { values: args } = parseArgs({
  options: {
    runs: { type: 'string', default: '15' },
    'no-build': { type: 'boolean', default: false },
    out: { type: 'string', default: '.cache/bench/startup.json' },
  },
});

const root = resolve(import.meta.dirname, '..');
if (!args['no-build']) execFileSync('npm', ['run', 'build', '--silent'], { cwd: root, stdio: 'inherit' });
const dist = (path: string): string => pathToFileURL(join(root, 'dist', path)).href;

// One symbol, one session: the smallest real run.
const work = mkdtempSync(join(tmpdir(), 'sessionflow-startup-'));
process.on('exit', () => rmSync(work, { recursive: true, force: true }));
execFileSync(process.execPath, [join(root, 'dist/pipelines/cli/sessionflow.js'), 'demo', '--out', join(work, 'store'), '--symbols', '1', '--sessions', '1'], { stdio: 'ignore' });
writeFileSync(
  join(work, 'one.json'),
  JSON.stringify({ name: 'one-day', backtest: { start: '2024-01-02', end: '2024-01-02' }, store: { root: './store', layout: '{interval}/{symbol}/{yyyy}/{mm}/{date}.parquet', timestamp: { column: 'ts', label: 'start' } }, symbols: ['DEMO01'], streams: ['1m', '5m'], indicators: [{ name: 'ema', period: 9, interval: '5m' }] }),
);

const cases: Array<{ name: string; args: string[]; target?: number }> = [
  { name: 'node -e 0', args: ['-e', '0'] },
  { name: 'sessionflow --help', args: [join(root, 'dist/pipelines/cli/sessionflow.js'), '--help'] },
  { name: "import('sessionflow')", args: ['--input-type=module', '-e', `await import(${JSON.stringify(dist('pipelines/index.js'))})`] },
  { name: "import('rxjs')", args: ['--input-type=module', '-e', "await import('rxjs')"] },
  { name: 'sessionflow run (1 symbol, 1 session)', args: [join(root, 'dist/pipelines/cli/sessionflow.js'), 'run', join(work, 'one.json'), '--no-progress'], target: RUN_TARGET_RATIO },
];

const runs = Number(args.runs);
const times = new Map(cases.map((c) => [c.name, [] as number[]]));
for (let round = 0; round < runs; round++) {
  for (const c of cases) {
    const started = performance.now();
    const result = spawnSync(process.execPath, c.args, { cwd: root, stdio: ['ignore', 'ignore', 'pipe'] });
    const ms = performance.now() - started;
    if (result.status !== 0) throw new Error(`${c.name} exited with ${result.status}: ${result.stderr.toString()}`);
    times.get(c.name)!.push(ms);
  }
}

const stats = (values: number[]): { min: number; median: number; max: number } => {
  const sorted = [...values].sort((a, b) => a - b);
  return { min: sorted[0]!, median: sorted[Math.floor(sorted.length / 2)]!, max: sorted.at(-1)! };
};
const baseline = stats(times.get('node -e 0')!).median;
const table = cliTable({ head: ['process', 'min ms', 'median ms', 'max ms', '× node -e 0', 'target', 'verdict'] });
const report: Record<string, unknown> = { runs, node: process.version, targetRatio: TARGET_RATIO, runTargetRatio: RUN_TARGET_RATIO };
for (const c of cases) {
  const s = stats(times.get(c.name)!);
  const ratio = s.median / baseline;
  const target = c.target ?? (c.name === 'sessionflow --help' || c.name === "import('sessionflow')" ? TARGET_RATIO : undefined);
  table.push([c.name, s.min.toFixed(0), s.median.toFixed(0), s.max.toFixed(0), ratio.toFixed(2), target === undefined ? '' : `≤ ${target}×`, target === undefined ? '' : ratio <= target ? 'PASS' : 'FAIL']);
  report[c.name] = { ...s, ratio };
}
console.log(table.toString());
const out = resolve(root, args.out);
mkdirSync(dirname(out), { recursive: true });
writeFileSync(out, JSON.stringify(report, null, 2) + '\n');
console.log(`figures: ${out}`);
