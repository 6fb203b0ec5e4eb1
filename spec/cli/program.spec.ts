import test from 'ava';
import { readdir } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { readJson, tempDir } from '../helpers/cli-fixtures.ts';
import { runBin, runCli } from '../helpers/cli.ts';

// The one spawned test (~1 s of tsx start-up): every other CLI spec calls main in process.
test('bin: the sessionflow source starts through tsx, prints to stdout and ends with main\'s exit code', async (t) => {
  const { code, signal, stdout, stderr } = await runBin(['validate', '--json', 'no-such-session.json']);
  t.is(signal, null);
  t.is(code, 1, stderr);
  const result = JSON.parse(stdout) as { valid: boolean; error: string };
  t.false(result.valid);
  t.true(result.error.includes('no-such-session.json'), result.error);
});

test('demo: writes store.json and the Parquet files and prints what it wrote', async (t) => {
  const out = join(await tempDir(t), 'store');
  const { code, stdout, stderr } = await runCli(['demo', '--symbols', '2', '--sessions', '3', '--out', out]);
  t.is(code, 0, stderr);
  // 2 symbols × 3 sessions, minus the last symbol's middle session.
  t.regex(stdout, new RegExp(`^wrote 5 files, \\d+ bars for 2 symbols × 3 sessions \\(2024-01-02\\.\\.2024-01-04\\) to ${out.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} in \\d+ ms$`, 'm'));
  t.regex(stdout, /^layout: \{interval\}\/\{symbol\}\/\{yyyy\}\/\{mm\}\/\{date\}\.parquet; missing day: DEMO02 2024-01-03$/m);
  const files = (await readdir(out, { recursive: true, withFileTypes: true }))
    .filter((e) => e.isFile())
    .map((e) => relative(out, join(e.parentPath, e.name)))
    .sort();
  t.deepEqual(files, ['1m/DEMO01/2024/01/2024-01-02.parquet', '1m/DEMO01/2024/01/2024-01-03.parquet', '1m/DEMO01/2024/01/2024-01-04.parquet', '1m/DEMO02/2024/01/2024-01-02.parquet', '1m/DEMO02/2024/01/2024-01-04.parquet', 'store.json']);
  const descriptor = await readJson<{ symbols: string[]; sessions: { from: string; to: string; count: number }; layout: string }>(join(out, 'store.json'));
  t.like(descriptor, { symbols: ['DEMO01', 'DEMO02'], sessions: { from: '2024-01-02', to: '2024-01-04', count: 3 }, layout: '{interval}/{symbol}/{yyyy}/{mm}/{date}.parquet' });
});

test('demo: a non-numeric --symbols exits 1 with a message naming the option and the value', async (t) => {
  const out = join(await tempDir(t), 'store');
  const { code, stdout, stderr } = await runCli(['demo', '--symbols', 'x', '--out', out]);
  t.is(code, 1);
  t.is(stdout, '');
  t.regex(stderr, /^error: option '--symbols <n>' argument 'x' is invalid\. --symbols must be a whole number >= 1, got "x"$/m);
  t.regex(stderr, /Usage: sessionflow demo \[options\]/);
});

test('cli: an unknown command exits 1 naming the command and showing usage', async (t) => {
  const { code, stdout, stderr } = await runCli(['frobnicate']);
  t.is(code, 1);
  t.is(stdout, '');
  t.regex(stderr, /^error: unknown command 'frobnicate'$/m);
  t.regex(stderr, /Usage: sessionflow \[options\] \[command\]/);
});

test('cli: --help lists the commands on stdout and exits 0', async (t) => {
  const { code, stdout } = await runCli(['--help']);
  t.is(code, 0);
  for (const command of ['validate', 'run', 'demo', 'start']) t.regex(stdout, new RegExp(`^ +${command}\\b`, 'm'), command);
});

test('cli: --version prints the package version and exits 0', async (t) => {
  const { code, stdout } = await runCli(['--version']);
  const { version } = await readJson<{ version: string }>(join(import.meta.dirname, '../../package.json'));
  t.is(code, 0);
  t.is(stdout.trim(), version);
});

test('cli: run without a config exits 1 naming the missing argument', async (t) => {
  const { code, stderr } = await runCli(['run']);
  t.is(code, 1);
  t.regex(stderr, /^error: missing required argument 'config'$/m);
});
