import test from 'ava';
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT } from '../helpers/cli.ts';

// The package as a user gets it: `npm pack` (which builds dist/ through `prepack`), then the
// tarball installed into a fresh project outside the repository, next to the TypeScript,
// @types/node and rxjs versions this repository uses (so `npm ci`'s cache serves them).
// Everything below runs the installed package only: no tsx, no sources.

interface Ran {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Run `command args` in `cwd` to completion (no kill timeout: a busy machine is not a failure). */
function run(command: string, args: readonly string[], cwd: string, env: NodeJS.ProcessEnv = {}): Promise<Ran> {
  return new Promise((done) => {
    execFile(command, args, { cwd, env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0', ...env }, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      done({ code: error === null ? 0 : typeof error.code === 'number' ? error.code : 1, stdout, stderr });
    });
  });
}

const node = (args: readonly string[], cwd: string, env?: NodeJS.ProcessEnv): Promise<Ran> => run(process.execPath, args, cwd, env);
const versionOf = async (name: string): Promise<string> => (JSON.parse(await readFile(join(REPO_ROOT, 'node_modules', name, 'package.json'), 'utf8')) as { version: string }).version;

let dir: string;
let project: string;
let tarballFiles: string[];
let ownVersion: string;

test.before(async (t) => {
  t.timeout(15 * 60_000, 'npm pack and npm install');
  dir = await mkdtemp(join(tmpdir(), 'sessionflow-packed-'));
  ownVersion = (JSON.parse(await readFile(join(REPO_ROOT, 'package.json'), 'utf8')) as { version: string }).version;
  const packed = await run('npm', ['pack', '--json', '--pack-destination', dir], REPO_ROOT);
  if (packed.code !== 0) throw new Error(`npm pack failed:\n${packed.stderr}`);
  const [info] = JSON.parse(packed.stdout.slice(packed.stdout.indexOf('['))) as Array<{ filename: string; files: Array<{ path: string }> }>;
  tarballFiles = info!.files.map((f) => f.path);
  project = join(dir, 'project');
  await mkdir(project);
  await writeFile(join(project, 'package.json'), JSON.stringify({ name: 'user-project', private: true, type: 'module' }));
  const pins = [`typescript@${await versionOf('typescript')}`, `@types/node@${await versionOf('@types/node')}`, `rxjs@${await versionOf('rxjs')}`];
  const installed = await run('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', join(dir, info!.filename), ...pins], project);
  if (installed.code !== 0) throw new Error(`npm install of the tarball failed:\n${installed.stderr}`);
});

test.after.always(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

test.serial('the installed bin runs a TypeScript strategy module once the project has tsx, and says what to do before', async (t) => {
  // Serial (AVA runs these first): it installs tsx into the project the other tests share.
  const bin = join(project, 'node_modules/.bin/sessionflow');
  const work = join(project, 'ts-module');
  await mkdir(work);
  const demo = await run(bin, ['demo', '--out', join(work, 'store'), '--symbols', '2', '--sessions', '3'], project);
  t.is(demo.code, 0, demo.stderr);
  await writeFile(
    join(work, 'hold.ts'),
    `import { defineStrategy } from 'sessionflow';\nconst shares: number = 5;\nexport default defineStrategy({ name: 'hold', onBar: (ctx, bar) => { if (ctx.position(bar.symbol).quantity === 0) ctx.buy(bar.symbol, shares); } });\n`,
  );
  const config = { name: 'ts-module', backtest: { start: '2024-01-02', end: '2024-01-04' }, store: { root: './store', layout: '{interval}/{symbol}/{yyyy}/{mm}/{date}.parquet', timestamp: { column: 'ts', label: 'start' } }, symbols: ['DEMO01'], strategies: [{ module: './hold.ts' }] };
  await writeFile(join(work, 'session.json'), JSON.stringify(config));
  const before = await run(bin, ['validate', 'session.json'], work);
  t.is(before.code, 1);
  t.regex(before.stderr, /strategies\[0\]\.module: .*hold\.ts is TypeScript and no TypeScript loader is active: install tsx/);
  const installed = await run('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', `tsx@${await versionOf('tsx')}`], project);
  t.is(installed.code, 0, installed.stderr);
  const after = await run(bin, ['run', 'session.json', '--out', 'out', '--no-progress', '--export', 'none'], work);
  t.is(after.code, 0, after.stderr);
  const summary = JSON.parse(await readFile(join(work, 'out', 'summary.json'), 'utf8')) as { stats: { exposureTimePct: number } };
  t.true(summary.stats.exposureTimePct > 90, 'the TypeScript strategy bought and held');
});

test('tarball: ships the compiled package, README, LICENSE and CHANGELOG, and no sources or tests', (t) => {
  for (const file of ['package.json', 'README.md', 'LICENSE', 'CHANGELOG.md', 'dist/pipelines/index.js', 'dist/pipelines/index.d.ts', 'dist/pipelines/cli/sessionflow.js', 'dist/lib/store/decode-thread-main.js', 'dist/pipelines/examples/configs/ema-crossover.json']) {
    t.true(tarballFiles.includes(file), file);
  }
  const stray = tarballFiles.filter((f) => !/^(dist\/|package\.json$|README\.md$|LICENSE$|CHANGELOG\.md$)/.test(f) || (f.endsWith('.ts') && !f.endsWith('.d.ts')));
  t.deepEqual(stray, [], 'only dist/ and the documents');
});

test('installed: tsx and rxjs are not dependencies of the package, rxjs is a peer', async (t) => {
  const pkg = JSON.parse(await readFile(join(project, 'node_modules/sessionflow/package.json'), 'utf8')) as { dependencies: Record<string, string>; peerDependencies: Record<string, string> };
  t.false('tsx' in pkg.dependencies);
  t.false('rxjs' in pkg.dependencies);
  t.is(pkg.peerDependencies.rxjs, '^7.8.0');
  // One rxjs in the project: the user's operators and sessionflow's are the same library.
  const nested = await run('npm', ['ls', 'rxjs', '--all', '--parseable'], project);
  t.is(nested.stdout.trim().split('\n').filter(Boolean).length, 1, nested.stdout);
});

test('plain ESM JavaScript imports the package and runs a backtest on the demo data', async (t) => {
  await writeFile(
    join(project, 'esm.mjs'),
    `import { backtest, prepareDemo } from 'sessionflow';
import { SMA } from 'sessionflow/indicators';
import { runSlices } from 'sessionflow/testing';
const { configPath } = await prepareDemo(process.argv[2]);
const result = await backtest(configPath).result();
const sma = new SMA(2); sma.update(1); sma.update(3);
console.log(JSON.stringify({ name: result.name, days: result.days.length, trades: result.stats?.trades, sma: sma.value, testing: typeof runSlices }));
result.dispose();
`,
  );
  const { code, stdout, stderr } = await node(['esm.mjs', join(dir, 'esm-demo')], project);
  t.is(code, 0, stderr);
  const out = JSON.parse(stdout.trim().split('\n').at(-1)!) as { name: string; days: number; trades: number; sma: number; testing: string };
  t.is(out.name, 'demo');
  t.is(out.days, 21, 'the 21 XNYS sessions of January 2024');
  t.true(out.trades > 0, 'the demo strategy traded');
  t.is(out.sma, 2);
  t.is(out.testing, 'function');
});

test('CommonJS require loads the package (Node >= 20.19 loads ESM from require)', async (t) => {
  await writeFile(join(project, 'cjs.cjs'), `const { getCalendar } = require('sessionflow');\nconsole.log(getCalendar('XNYS').session('2024-07-03').earlyClose);\n`);
  const { code, stdout, stderr } = await node(['cjs.cjs'], project);
  t.is(code, 0, stderr);
  t.is(stdout.trim().split('\n').at(-1), 'true', 'July 3rd 2024 closed early');
});

test('a strict nodenext TypeScript project with skipLibCheck false type-checks and composes its own RxJS operator with sessionflow\'s', async (t) => {
  await writeFile(
    join(project, 'tsconfig.json'),
    JSON.stringify({ compilerOptions: { target: 'ES2022', module: 'nodenext', moduleResolution: 'nodenext', strict: true, skipLibCheck: false, noEmit: true, types: ['node'] }, include: ['*.ts'] }),
  );
  await writeFile(
    join(project, 'compose.ts'),
    `import { pipe, tap, type OperatorFunction } from 'rxjs';
import { createBacktest, deriveBars, ema, defineStrategy, parseConfig, type SessionConfigInput, type TimeSlice } from 'sessionflow';
import { EMA } from 'sessionflow/indicators';

// The user's own operator, made with the user's rxjs, between two of sessionflow's.
const countTicks = (seen: { n: number }): OperatorFunction<TimeSlice, TimeSlice> => tap(() => void seen.n++);
const seen = { n: 0 };
const config: SessionConfigInput = { name: 'x', calendar: 'XNYS', backtest: { start: '2024-01-02', end: '2024-01-03' }, store: { root: './store', layout: '{symbol}.parquet' }, symbols: ['SPY'] };
const run = createBacktest(parseConfig(config), { pipeline: () => pipe(deriveBars(['5m']), countTicks(seen), ema(9, { interval: '5m' })) });
const buyDips = defineStrategy({ name: 'buy-dips', onBar: (ctx, bar) => { if (ctx.position(bar.symbol).quantity === 0) ctx.buy(bar.symbol, 1); } });
const e: EMA = new EMA(3);
export { run, buyDips, e };
`,
  );
  const { code, stdout, stderr } = await node([join(project, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.json'], project);
  t.is(code, 0, `${stdout}${stderr}`);
  t.is(stdout.trim(), '', 'zero errors');
});

test('the installed bin prints its version, help with examples, and runs the demo into the user cache folder', async (t) => {
  const bin = join(project, 'node_modules/.bin/sessionflow');
  const version = await run(bin, ['--version'], project);
  t.is(version.code, 0, version.stderr);
  t.is(version.stdout.trim(), ownVersion);
  const help = await run(bin, ['run', '--help'], project);
  t.is(help.code, 0, help.stderr);
  t.regex(help.stdout, /Examples:/);
  const installed = join(project, 'node_modules/sessionflow');
  const before = (await readdir(installed, { recursive: true })).sort();
  const cache = join(dir, 'xdg-cache');
  const demo = await run(bin, ['start'], project, { XDG_CACHE_HOME: cache });
  t.is(demo.code, 0, demo.stderr);
  t.regex(demo.stdout, /Sharpe Ratio/);
  t.true(demo.stdout.includes(`summary: ${join(cache, 'sessionflow', 'demo', 'runs', 'latest', 'summary.json')}`), demo.stdout);
  // Nothing was written into the installed package.
  t.deepEqual((await readdir(installed, { recursive: true })).sort(), before);
});
