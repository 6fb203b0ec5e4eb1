/**
 * `npm run bench:startup`: how long a cold process takes to start sessionflow, against a
 * process that does nothing (`node -e 0`), measured in the same run (issue target: within 4×).
 *
 * - `sessionflow --help`: the compiled bin (dist/), printing help. Commands import what they
 *   run when they run, so this loads commander and the command definitions only.
 * - `import('sessionflow')`: a fresh ESM process importing the compiled package root.
 * - `import('rxjs')`: the peer dependency alone, the floor under any sessionflow import.
 *
 * Builds dist/ first (`npm run build`) unless `--no-build`. The processes are interleaved
 * (one of each per round) so machine noise hits all of them alike; each figure is min /
 * median / max wall time over `--runs` rounds (default 15), and the ratio is median over
 * the median of `node -e 0`. Figures go to a table on stdout and to `.cache/bench/startup.json`.
 *
 * Options: --runs N --no-build --out FILE
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import Table from 'cli-table3';

const TARGET_RATIO = 4;
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

const cases: Array<{ name: string; args: string[] }> = [
  { name: 'node -e 0', args: ['-e', '0'] },
  { name: 'sessionflow --help', args: [join(root, 'dist/pipelines/cli/sessionflow.js'), '--help'] },
  { name: "import('sessionflow')", args: ['--input-type=module', '-e', `await import(${JSON.stringify(dist('pipelines/index.js'))})`] },
  { name: "import('rxjs')", args: ['--input-type=module', '-e', "await import('rxjs')"] },
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
const table = new Table({ head: ['process', 'min ms', 'median ms', 'max ms', '× node -e 0', `target ≤ ${TARGET_RATIO}×`] });
const report: Record<string, unknown> = { runs, node: process.version, targetRatio: TARGET_RATIO };
for (const c of cases) {
  const s = stats(times.get(c.name)!);
  const ratio = s.median / baseline;
  const judged = c.name === 'sessionflow --help' || c.name === "import('sessionflow')";
  table.push([c.name, s.min.toFixed(0), s.median.toFixed(0), s.max.toFixed(0), ratio.toFixed(2), judged ? (ratio <= TARGET_RATIO ? 'PASS' : 'FAIL') : '']);
  report[c.name] = { ...s, ratio };
}
console.log(table.toString());
const out = resolve(root, args.out);
mkdirSync(dirname(out), { recursive: true });
writeFileSync(out, JSON.stringify(report, null, 2) + '\n');
console.log(`figures: ${out}`);
