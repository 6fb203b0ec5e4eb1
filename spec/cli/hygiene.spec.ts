import test from 'ava';
import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CliIo } from '../../pipelines/cli/cli-io.ts';
import { main } from '../../pipelines/cli/main.ts';
import { demoConfig, makeDemoStore, tempDir, writeJson } from '../helpers/cli-fixtures.ts';
import { BIN, REPO_ROOT, runCli } from '../helpers/cli.ts';

const ESC = '\u001b[';

let dir = '';
let config = '';
let store = '';
test.before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sessionflow-hygiene-'));
  store = join(dir, 'store');
  await makeDemoStore(store, { symbols: 2, start: '2024-01-03', sessions: 2, missingDay: false });
  config = await writeJson(join(dir, 'session.json'), demoConfig('store', { backtest: { start: '2024-01-03', end: '2024-01-04' } }));
});
test.after.always(() => rm(dir, { recursive: true, force: true }));

/** `main` with the raw output captured (runCli strips escape codes, which these tests look for). */
async function raw(args: readonly string[], io: Partial<CliIo> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await main(['node', 'sessionflow', ...args], { stdout: { write: (s: string) => void (stdout += s) }, stderr: { write: (s: string) => void (stderr += s) }, ...io }, { signal: new AbortController().signal });
  return { code, stdout, stderr };
}

/** The bin with stdout a pipe, closed after the first chunk when `closeAfterFirstChunk`. */
function spawnBin(args: readonly string[], env: Record<string, string | undefined>, closeAfterFirstChunk: boolean): Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }> {
  return new Promise((done) => {
    const child = spawn(process.execPath, ['--import', 'tsx', BIN, ...args], { cwd: REPO_ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      // Like `| head -1`: the reader takes what it wants and goes away.
      if (closeAfterFirstChunk) child.stdout.destroy();
    });
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('close', (code, signal) => done({ code, signal, stdout, stderr }));
  });
}

// --- EPIPE and colour ---------------------------------------------------------------------------

test('sessionflow calendar | head: a reader that goes away (EPIPE) ends quietly with exit 0', async (t) => {
  // Five years of sessions (~200 KB) do not fit in a pipe's buffer, so writing goes on after the close.
  const result = await spawnBin(['calendar', 'XNYS', '--from', '2000-01-01', '--to', '2004-12-31'], { NO_COLOR: '1' }, true);
  t.is(result.code, 0, result.stderr);
  t.is(result.signal, null);
  t.is(result.stderr, '');
});

test('sessionflow calendar into a pipe: no colour codes even when the terminal type supports colour', async (t) => {
  // TERM=xterm made cli-table3 colour the header red and the borders grey, pipe or not.
  const { NO_COLOR: _n, FORCE_COLOR: _f, CI: _c, ...env } = process.env;
  const result = await new Promise<{ code: number | null; stdout: string }>((done) => {
    const child = spawn(process.execPath, ['--import', 'tsx', BIN, 'calendar', 'XNYS', '--from', '2025-07-01', '--to', '2025-07-07', '--holidays'], { cwd: REPO_ROOT, env: { ...env, TERM: 'xterm-256color' }, stdio: ['ignore', 'pipe', 'inherit'] });
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.on('close', (code) => done({ code, stdout }));
  });
  t.is(result.code, 0);
  t.regex(result.stdout, /│ 2025-07-04 │ Fri │ Independence Day +│/);
  t.false(result.stdout.includes(ESC), JSON.stringify(result.stdout.slice(0, 200)));
});

test('every table command prints no escape codes when the io says no colour (not a terminal, or NO_COLOR)', async (t) => {
  const results = await Promise.all([
    raw(['calendar', 'XNYS', '--from', '2025-01-01', '--to', '2025-01-31']),
    raw(['calendar', 'XNYS', '--from', '2025-01-01', '--to', '2025-12-31', '--holidays']),
    raw(['indicators']),
    raw(['strategies']),
    raw(['scanners']),
    raw(['validate', config]),
    raw(['run', config, '--no-progress']),
    raw(['data', 'check', '--store', store, '--symbols', 'DEMO01', '--from', '2024-01-03', '--to', '2024-01-04', '--layout', '{interval}/{symbol}/{yyyy}/{mm}/{date}.parquet']),
  ]);
  for (const [i, r] of results.entries()) {
    t.is(r.code, 0, `${i}: ${r.stderr}`);
    t.true(r.stdout.includes('│') || r.stdout.includes('valid'), `${i}: a table or plan was printed`);
    t.false(r.stdout.includes(ESC), `${i}: ${JSON.stringify(r.stdout.slice(0, 120))}`);
  }
});

// --- --json everywhere, errors included -----------------------------------------------------------

/** stdout is exactly one JSON object; returns it. */
function oneJson(t: { is(a: unknown, b: unknown, m?: string): void }, stdout: string): Record<string, unknown> {
  const parsed = JSON.parse(stdout) as Record<string, unknown>;
  t.is(typeof parsed, 'object', stdout);
  return parsed;
}

test('--json: errors of every command are one JSON object on stdout naming the file or value, with the usual exit code', async (t) => {
  const missing = join(dir, 'nope.json');
  const notRun = await tempDir(t);
  const [validate, run, calendar, check, imported, report, usage, unknownOption, badImport] = await Promise.all([
    runCli(['validate', missing, '--json']),
    runCli(['run', missing, '--json']),
    runCli(['calendar', 'XLON', '--json']),
    runCli(['data', 'check', '--store', join(dir, 'no-store'), '--json']),
    runCli(['import', join(dir, 'no-such.csv'), '--store', join(dir, 'imported'), '--interval', '1m', '--symbol', 'X', '--json']),
    runCli(['report', notRun, '--json']),
    runCli(['run', '--json']),
    runCli(['calendar', 'XNYS', '--json', '--bogus']),
    runCli(['--import', join(dir, 'missing-module.js'), 'strategies', '--json']),
  ]);
  const cases = [
    [validate, 1, missing],
    [run, 1, missing],
    [calendar, 1, '"XLON"'],
    [check, 1, join(dir, 'no-store')],
    [imported, 1, join(dir, 'no-such.csv')],
    [report, 1, join(notRun, 'summary.json')],
    [usage, 1, "missing required argument 'config'"],
    [unknownOption, 1, "unknown option '--bogus'"],
    [badImport, 1, join(dir, 'missing-module.js')],
  ] as const;
  for (const [i, [result, code, needle]] of cases.entries()) {
    t.is(result.code, code, `${i}: ${result.stdout}${result.stderr}`);
    const body = oneJson(t, result.stdout);
    t.is(body.ok, false, `${i}`);
    t.true(String(body.error).includes(needle), `${i}: ${String(body.error)}`);
    t.true(Array.isArray(body.problems), `${i}`);
    t.false(/^error:/m.test(result.stderr), `${i}: the error is not printed twice: ${result.stderr}`);
  }
  // validate --json keeps its shape: valid false, the problems with their paths.
  t.like(oneJson(t, validate.stdout), { valid: false, file: missing });
});

test('--json: validate, demo, report and run answer with JSON on success', async (t) => {
  const out = await tempDir(t);
  const [validate, demo] = await Promise.all([runCli(['validate', config, '--json']), runCli(['demo', '--out', join(out, 'demo'), '--symbols', '1', '--sessions', '1', '--json'])]);
  t.like(oneJson(t, validate.stdout), { ok: true, valid: true, name: 'spec' });
  t.like(oneJson(t, demo.stdout), { ok: true, files: 1, from: '2024-01-02', to: '2024-01-02' });
  const tradingConfig = await writeJson(join(out, 'trading.json'), demoConfig(store, { backtest: { start: '2024-01-03', end: '2024-01-04' }, strategies: [{ name: 'ema-crossover', params: { fast: 2, slow: 4, interval: '5m' } }] }));
  const run = await runCli(['run', tradingConfig, '--out', join(out, 'run'), '--json']);
  t.like(oneJson(t, run.stdout), { ok: true, status: 'ok' });
  const report = await runCli(['report', join(out, 'run'), '--json']);
  t.is(report.code, 0, report.stderr);
  t.deepEqual(oneJson(t, report.stdout), { ok: true, report: join(out, 'run', 'report.html') });
});

// --- config files ---------------------------------------------------------------------------------

test('validate: a config with a UTF-8 byte-order mark is accepted', async (t) => {
  const file = join(dir, 'bom.json');
  await writeFile(file, `\uFEFF${JSON.stringify(demoConfig('store', { backtest: { start: '2024-01-03', end: '2024-01-04' } }))}`);
  const { code, stdout, stderr } = await runCli(['validate', file]);
  t.is(code, 0, stderr);
  t.regex(stdout, /^config spec: valid$/m);
});

test('validate: a JSON array, scalar or null at the root says "expected an object", naming the file', async (t) => {
  const cases = [
    ['array.json', '[{"name": "spec"}]', 'an array'],
    ['number.json', '42', 'a number'],
    ['string.json', '"session.json"', 'a string'],
    ['null.json', '\uFEFFnull', 'null'],
  ] as const;
  for (const [name, text, got] of cases) {
    const file = join(dir, name);
    await writeFile(file, text);
    const { code, stderr } = await runCli(['validate', file]);
    t.is(code, 1, name);
    t.is(stderr, `error: ${file}: expected an object at the root of the session config ({"backtest": …, "store": …, "symbols": …}), got ${got}\n`);
  }
  const json = await runCli(['run', join(dir, 'array.json'), '--json']);
  t.like(oneJson(t, json.stdout), { ok: false, file: join(dir, 'array.json'), problems: [{ path: '', expected: 'an object' }] });
});

// --- import: binary files and delimiters -----------------------------------------------------------

test('import: a binary file is refused as not text, naming the file (and what it is when the signature tells)', async (t) => {
  const root = await tempDir(t);
  const binary = join(root, 'bars.csv');
  await writeFile(binary, Buffer.from([0x74, 0x73, 0x2c, 0x6f, 0x00, 0x01, 0x02, 0xff, 0xfe, 0x00, 0x10]));
  const parquet = join(root, 'bars.txt');
  await writeFile(parquet, Buffer.concat([Buffer.from('PAR1'), Buffer.alloc(64, 7)]));
  const [a, b] = await Promise.all([runCli(['import', binary, '--store', join(root, 's1'), '--interval', '1m', '--symbol', 'X']), runCli(['import', parquet, '--store', join(root, 's2'), '--interval', '1m', '--symbol', 'X', '--json'])]);
  t.is(a.code, 1);
  t.is(a.stderr, `error: "${binary}" is not a text file (a NUL byte at offset 4); import reads CSV or TXT text (optionally .gz) and .parquet files\n`);
  t.is(b.code, 1);
  t.like(oneJson(t, b.stdout), { ok: false, file: parquet, error: `"${parquet}" is not a text file (it is a Parquet file: give it a .parquet name); import reads CSV or TXT text (optionally .gz) and .parquet files` });
});

const ROWS = [
  ['timestamp', 'open', 'high', 'low', 'close', 'volume'],
  ['2024-01-02T09:30:00-05:00', '470.00', '470.50', '469.80', '470.20', '1000'],
  ['2024-01-02T09:31:00-05:00', '470.20', '470.40', '470.00', '470.30', '800'],
  ['2024-01-02T09:32:00-05:00', '470.30', '470.60', '470.10', '470.40', '900'],
];

test('import: detects ";" and tab delimiters, and --delimiter names one', async (t) => {
  const root = await tempDir(t);
  const semicolon = join(root, 'semicolon.csv');
  await writeFile(semicolon, ROWS.map((r) => r.join(';')).join('\n') + '\n');
  const tab = join(root, 'tab.txt');
  await writeFile(tab, ROWS.map((r) => r.join('\t')).join('\r\n') + '\r\n');
  const pipe = join(root, 'pipe.csv');
  await writeFile(pipe, ROWS.map((r) => r.join('|')).join('\n') + '\n');
  const [a, b, c] = await Promise.all([
    runCli(['import', semicolon, '--store', join(root, 'a'), '--interval', '1m', '--symbol', 'X', '--json']),
    runCli(['import', tab, '--store', join(root, 'b'), '--interval', '1m', '--symbol', 'X', '--json']),
    runCli(['import', pipe, '--store', join(root, 'c'), '--interval', '1m', '--symbol', 'X', '--delimiter', 'pipe', '--json']),
  ]);
  for (const [name, r] of [['semicolon', a], ['tab', b], ['pipe', c]] as const) {
    t.is(r.code, 0, `${name}: ${r.stdout}${r.stderr}`);
    t.like(oneJson(t, r.stdout), { rowsRead: 3, rowsAccepted: 3, rowsRejected: 0 }, name);
  }
  // A delimiter that does not split the header: the missing columns are named, with the file.
  const wrong = await runCli(['import', semicolon, '--store', join(root, 'd'), '--interval', '1m', '--symbol', 'X', '--delimiter', ',']);
  t.is(wrong.code, 1);
  t.true(wrong.stderr.includes(semicolon), wrong.stderr);
  const bad = await runCli(['import', semicolon, '--store', join(root, 'e'), '--interval', '1m', '--symbol', 'X', '--delimiter', ';;']);
  t.is(bad.code, 1);
  t.regex(bad.stderr, /--delimiter must be one character other than a quote or a line break \(or tab, comma, semicolon, pipe, space\), got ";;"/);
});
