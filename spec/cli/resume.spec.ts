import test from 'ava';
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { demoConfig, makeDemoStore, readJson, writeJson } from '../helpers/cli-fixtures.ts';
import { runCli, runDays } from '../helpers/cli.ts';

// Issue 15, point 5: `--resume OUT` continues a killed run (even kill -9) from its last
// finished day using the components' carry, with final results identical to an
// uninterrupted run.

const BIN = fileURLToPath(new URL('../../pipelines/cli/sessionflow.ts', import.meta.url));
const SESSIONS = 8;

interface Setup {
  readonly dir: string;
  readonly config: string;
  /** The uninterrupted run's folder. */
  readonly baseline: string;
}

let shared: Setup;

// One store and one uninterrupted run for every test (made before, removed after all of them).
test.before(async () => {
  const dir = await mkdtemp(join(tmpdir(), 'sessionflow-resume-'));
  const store = await makeDemoStore(join(dir, 'store'), { symbols: 4, start: '2024-01-02', sessions: SESSIONS + 3 });
  const config = await writeJson(
    join(dir, 'session.json'),
    demoConfig('./store', {
      backtest: { start: store.dates[3]!, end: store.dates.at(-1)! },
      symbols: ['DEMO01', 'DEMO02', 'DEMO03', 'DEMO04'],
      history: [{ trailingSessions: 3, intervals: ['5m'] }],
      strategies: [{ name: 'ema-crossover', params: { fast: 5, slow: 13, interval: '5m', allocation: 0.2 } }],
      broker: { cash: 100_000, commission: { type: 'per-share', rate: 0.005, minimum: 1 }, slippage: { type: 'bps', bps: 1 } },
    }),
  );
  const baseline = join(dir, 'baseline');
  const run = await runCli(['run', config, '--out', baseline, '--no-progress', '--allow-empty']);
  if (run.code !== 0) throw new Error(`baseline run failed: ${run.stderr}`);
  shared = { dir, config, baseline };
});

test.after.always(async () => {
  if (shared) await rm(shared.dir, { recursive: true, force: true });
});

/** The shared setup (a function so each test reads it after `before` ran). */
function setup(_t: unknown): Promise<Setup> {
  return Promise.resolve(shared);
}

/** Wait (polling, no deadline) until `file` holds a header and `days` day lines, or `gaveUp()`. */
async function journalHolds(file: string, days: number, gaveUp: () => boolean): Promise<void> {
  while (!gaveUp()) {
    const lines = existsSync(file) ? readFileSync(file, 'utf8').split('\n').length - 1 : 0;
    if (lines >= 1 + days) return;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/** Remove wall-clock figures (`…Ms`, `ms`) and the run's own paths, which differ between any two runs. */
function timeless(value: unknown, root: string): unknown {
  if (Array.isArray(value)) return value.map((v) => timeless(v, root));
  if (typeof value === 'string') return value.split(root).join('<out>');
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(Object.entries(value).filter(([key]) => key !== 'ms' && !key.endsWith('Ms')).map(([key, v]) => [key, timeless(v, root)]));
}

/** Everything a user reads from a run folder, comparable across runs. */
async function outputs(out: string): Promise<Record<string, unknown>> {
  const summary = timeless(await readJson(join(out, 'summary.json')), out) as Record<string, unknown>;
  const csvs = Object.fromEntries(await Promise.all(['trades', 'fills', 'orders', 'equity', 'positions'].filter((name) => existsSync(join(out, `${name}.csv`))).map(async (name) => [name, await readFile(join(out, `${name}.csv`), 'utf8')] as const)));
  return { summary, days: timeless(runDays(out), out), stats: await readFile(join(out, 'stats.json'), 'utf8'), csvs };
}

// Serial: --log-level info is process-wide (see run.spec.ts's Ctrl-C test).
test.serial('--resume after an interrupted run (Ctrl-C after day 3) gives results identical to the uninterrupted run', async (t) => {
  const { dir, config, baseline } = await setup(t);
  const out = join(dir, 'interrupted');
  const controller = new AbortController();
  const journalFile = join(out, 'days.ndjson');
  // Ctrl-C from inside the run, as it logs the start of the day after the third: a run may
  // go several days without yielding to the event loop, so a timer could land later.
  const running = runCli(['--log-level', 'info', 'run', config, '--out', out, '--no-progress', '--allow-empty'], {
    signal: controller.signal,
    onStderr: () => {
      if (!controller.signal.aborted && existsSync(journalFile) && readFileSync(journalFile, 'utf8').split('\n').length - 1 >= 1 + 3) controller.abort();
    },
  });
  const first = await running;
  t.is(first.code, 130, first.stderr);
  const journal = readFileSync(join(out, 'days.ndjson'), 'utf8').trim().split('\n');
  t.is(journal.length, 1 + 3, 'a header and three finished days');

  const resumed = await runCli(['run', config, '--resume', out, '--no-progress', '--allow-empty']);
  t.is(resumed.code, 0, resumed.stderr);
  t.regex(resumed.stderr, new RegExp(`^resuming .*interrupted: 3 of ${SESSIONS} sessions finished \\(last \\d{4}-\\d\\d-\\d\\d\\)$`, 'm'));
  const baselineOutputs = await outputs(baseline);
  t.is((baselineOutputs.days as unknown[]).length, SESSIONS);
  t.is((baselineOutputs.summary as { days: { count: number } }).days.count, SESSIONS);
  t.deepEqual(await outputs(out), baselineOutputs);
  // The strategy traded, so the carry (positions, cash, open orders) really crossed the cut.
  t.true(Object.keys(baselineOutputs.csvs as object).includes('trades'));
});

for (const [trial, afterDays] of [
  [1, 2],
  [2, 5],
] as const) {
  test(`--resume after kill -9 of the real process while day ${afterDays + 1} runs (trial ${trial}) gives identical results`, async (t) => {
    const { dir, config, baseline } = await setup(t);
    const out = join(dir, `killed-${trial}`);
    // Killed as soon as the journal holds `afterDays` days: the next day is loading or
    // replaying, and its journal line may be half written.
    const child = spawn(process.execPath, ['--import', 'tsx', BIN, 'run', config, '--out', out, '--no-progress', '--allow-empty'], { stdio: 'ignore' });
    const exited = new Promise<NodeJS.Signals | null>((resolve) => child.once('exit', (_code, signal) => resolve(signal)));
    await journalHolds(join(out, 'days.ndjson'), afterDays, () => child.exitCode !== null);
    child.kill('SIGKILL');
    t.is(await exited, 'SIGKILL', 'the run was still going when it was killed');
    t.false(existsSync(join(out, 'summary.json')), 'a killed run wrote no summary');

    const resumed = await runCli(['run', config, '--resume', out, '--no-progress', '--allow-empty']);
    t.is(resumed.code, 0, resumed.stderr);
    t.deepEqual(await outputs(out), await outputs(baseline));
  });
}

test('--resume refuses a journal written with another config, naming the field, and a folder without a journal', async (t) => {
  const { dir, config, baseline } = await setup(t);
  const changed = join(dir, 'changed.json');
  const original = JSON.parse(await readFile(config, 'utf8')) as { strategies: Array<{ params: Record<string, unknown> }> };
  original.strategies[0]!.params.fast = 6;
  await writeFile(changed, JSON.stringify(original));
  const other = await runCli(['run', changed, '--resume', baseline, '--no-progress']);
  t.is(other.code, 1);
  t.regex(other.stderr, /days\.ndjson: the journal records another config: config\.strategies\[0\]\.params\.fast was 5, now 6/);

  const empty = await runCli(['run', config, '--resume', join(dir, 'store'), '--no-progress']);
  t.is(empty.code, 1);
  t.regex(empty.stderr, /store\/days\.ndjson: no run journal here, nothing to resume/);

  const both = await runCli(['run', config, '--resume', baseline, '--force']);
  t.is(both.code, 1);
  t.regex(both.stderr, /--resume continues the run in its folder; --force would delete it/);
});

test('--resume of a run that had finished every day rewrites the same outputs', async (t) => {
  const { baseline, config } = await setup(t);
  const before = await outputs(baseline);
  const again = await runCli(['run', config, '--resume', baseline, '--no-progress', '--allow-empty']);
  t.is(again.code, 0, again.stderr);
  t.regex(again.stderr, new RegExp(`${SESSIONS} of ${SESSIONS} sessions finished`));
  t.deepEqual(await outputs(baseline), before);
});

test('summary.json, written a key at a time (no string limit), is exactly what JSON.stringify(…, 2) would write, and points to the days', async (t) => {
  const { baseline } = await setup(t);
  const text = await readFile(join(baseline, 'summary.json'), 'utf8');
  t.is(text, JSON.stringify(JSON.parse(text), null, 2) + '\n');
  t.like(JSON.parse(text), { days: { file: join(baseline, 'days.ndjson'), count: SESSIONS } });
  t.is(runDays(baseline).length, SESSIONS);
});

test('a rerun writes byte-identical tables and statistics, and the same summary and days apart from timings and its folder', async (t) => {
  const { dir, config, baseline } = await setup(t);
  const again = join(dir, 'again');
  const run = await runCli(['run', config, '--out', again, '--no-progress', '--allow-empty']);
  t.is(run.code, 0, run.stderr);
  const files = (await readdir(baseline)).filter((f) => /\.(parquet|csv)$/.test(f) || f === 'stats.json').sort();
  t.true(files.length >= 9, files.join(', '));
  t.deepEqual((await readdir(again)).filter((f) => files.includes(f)).sort(), files);
  for (const file of files) t.true((await readFile(join(baseline, file))).equals(await readFile(join(again, file))), `${file} differs between two runs`);
  t.deepEqual(timeless(await readJson(join(again, 'summary.json')), again), timeless(await readJson(join(baseline, 'summary.json')), baseline));
  t.deepEqual(timeless(runDays(again), again), timeless(runDays(baseline), baseline));
});
